/** `headroom export` as CI runs it: the built CLI in a child process; output, exit codes, --check, -o. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(__dirname, '..', 'fixtures', 'export');
const work = mkdtempSync(join(tmpdir(), 'headroom-export-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], cwd = fixtures) {
  const r = spawnSync(process.execPath, [cli, 'export', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('prints the config on stdout, the same bytes as the golden file', () => {
  const r = run(['02-inheritance/spec.yaml', '--target', 'kong']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, readFileSync(join(fixtures, '02-inheritance', 'kong.yaml'), 'utf8'));
});

test('-o writes the file; --check passes on it and fails (exit 1) once it drifts', () => {
  const out = join(work, 'gateway.conf');
  assert.equal(run(['01-one-server/spec.yaml', '--target', 'nginx', '-o', out]).code, 0);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(join(fixtures, '01-one-server', 'nginx.conf'), 'utf8'));
  assert.equal(run(['01-one-server/spec.yaml', '--target', 'nginx', '--check', out]).code, 0);
  writeFileSync(out, readFileSync(out, 'utf8').replace('rate=100r/m', 'rate=1000r/m'));
  const r = run(['01-one-server/spec.yaml', '--target', 'nginx', '--check', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /is out of date with 01-one-server\/spec.yaml/);
  // A checkout with CRLF line ends is the same config.
  assert.equal(run(['01-one-server/spec.yaml', '--target', 'nginx', '-o', out]).code, 0);
  writeFileSync(out, readFileSync(out, 'utf8').replace(/\n/g, '\r\n'));
  assert.equal(run(['01-one-server/spec.yaml', '--target', 'nginx', '--check', out]).code, 0);
  // Another target's or another spec's config: --check says whose it is; -o does not replace it.
  const other = run(['01-one-server/spec.yaml', '--target', 'haproxy', '--check', out]);
  assert.deepEqual([other.code, other.err.split('\n').at(-2)], [1, `headroom: ${out} is not this export's config: it was written by \`headroom export spec.yaml --target nginx\`; check it with that command`]);
  const replaced = run(['01-one-server/spec.yaml', '--target', 'haproxy', '-o', out]);
  assert.deepEqual([replaced.code, replaced.err.split('\n').at(-2)], [2, `headroom: not writing ${out}: it is the config written by \`headroom export spec.yaml --target nginx\`; remove it or choose another file`]);
  assert.equal(run(['02-inheritance/spec.yaml', '--target', 'nginx', '-o', out]).code, 0, 'another spec of the same name and target: the same command');
  // A renamed spec writes its own target's config again.
  writeFileSync(join(work, 'renamed.yaml'), readFileSync(join(fixtures, '01-one-server', 'spec.yaml')));
  assert.equal(run([join(work, 'renamed.yaml'), '--target', 'nginx', '-o', out]).code, 0, 'a renamed spec, the same target');
});

test('--listen sets where NGINX and HAProxy listen', () => {
  const nginx = run(['01-one-server/spec.yaml', '--target', 'nginx', '--listen', '0.0.0.0:9090']);
  assert.match(nginx.out, /^ {8}listen 0\.0\.0\.0:9090;$/m);
  assert.match(nginx.out, /--target nginx --listen 0\.0\.0\.0:9090`/);
  const haproxy = run(['01-one-server/spec.yaml', '--target', 'haproxy', '--listen', '[::1]:9091']);
  assert.match(haproxy.out, /^ {4}bind \[::1\]:9091$/m);
  // Every address: `*:PORT`, as both gateways write it (quoted in the command, for the shell).
  const all = run(['01-one-server/spec.yaml', '--target', 'nginx', '--listen', '*:9092']);
  assert.match(all.out, /^ {8}listen \*:9092;$/m);
  assert.match(all.out, /--target nginx --listen '\*:9092'`/);
  assert.match(run(['01-one-server/spec.yaml', '--target', 'haproxy', '--listen', '*:9092']).out, /^ {4}bind \*:9092$/m);
  // Addresses no gateway can bind are refused before a config is written.
  for (const listen of ['256.1.1.1:80', '1.2.3.4.5:80', '10.0.0:80', ':8080', 'host-:80', 'a..b:80', '127.0.0.1:0', '127.0.0.1:65536']) {
    const r = run(['01-one-server/spec.yaml', '--target', 'nginx', '--listen', listen]);
    assert.equal(r.code, 2, listen);
    assert.match(r.err, new RegExp(`^headroom: invalid --listen "${listen.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`), listen);
  }
});

test('--check names what to run to regenerate the config (its options included), and refuses the spec itself', () => {
  const out = join(work, 'listen.conf');
  assert.equal(run(['01-one-server/spec.yaml', '--target', 'nginx', '--listen', '*:9093', '-o', out]).code, 0);
  writeFileSync(out, readFileSync(out, 'utf8').replace('rate=100r/m', 'rate=1000r/m'));
  const r = run(['01-one-server/spec.yaml', '--target', 'nginx', '--listen', '*:9093', '--check', out]);
  assert.equal(r.code, 1);
  assert.ok(r.err.endsWith(`regenerate it with headroom export 01-one-server/spec.yaml --target nginx --listen '*:9093' -o ${out}\n`), r.err);
  const self = run(['01-one-server/spec.yaml', '--target', 'nginx', '--check', '01-one-server/spec.yaml']);
  assert.equal(self.code, 2);
  assert.equal(self.err, 'headroom: --check 01-one-server/spec.yaml: it is a file the export read (the spec or a file it $refs), not an exported config\n');
});

test('--gateway takes Kubernetes names: a namespace of at most 63 characters, a name of at most 253', () => {
  const spec = '01-one-server/spec.yaml';
  assert.equal(run([spec, '--target', 'envoy-gateway', '--gateway', `${'n'.repeat(63)}/${'g'.repeat(253)}`]).code, 0);
  for (const gateway of [`${'n'.repeat(64)}/eg`, 'g'.repeat(254), 'Eg', 'ns/', '/eg', 'a/b/c']) {
    const r = run([spec, '--target', 'envoy-gateway', '--gateway', gateway]);
    assert.equal(r.code, 2, gateway);
    assert.match(r.err, /^headroom: invalid gateway /, gateway);
  }
});

test('annotation errors: the findings (file:line:col rule message), exit 1, nothing written', () => {
  const out = join(work, 'never.yaml');
  const r = run(['18-invalid-annotation/spec.yaml', '--target', 'kong', '-o', out]);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.ok(!existsSync(out));
  const lines = r.err.trim().split('\n');
  assert.equal(lines[0], '18-invalid-annotation/spec.yaml:5:47 error ratelimit-policy-valid window "1 minute" must be a whole number above 0 followed by s, m, h or d (e.g. "60s", "1m"), at most 2147483647 seconds (~68 years).');
  assert.equal(lines.at(-1), 'headroom: export stopped: the spec has 5 errors in its gateway annotations; nothing was written.');
});

test('what a target approximates is printed as warnings on stderr', () => {
  const r = run(['06-several-windows/spec.yaml', '--target', 'nginx']);
  assert.equal(r.code, 0);
  assert.match(r.err, /^headroom: warning: nginx: 5000 per 1h: NGINX has no hour window/m);
});

test('usage and I/O errors: exit 2 with one line', () => {
  const usage = run(['01-one-server/spec.yaml']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /^headroom: --target is required \(kong, nginx, haproxy, envoy-gateway\)\n/);
  assert.equal(run(['01-one-server/spec.yaml', '--target', 'envoy']).code, 2);
  assert.equal(run(['01-one-server/spec.yaml', '--target', 'nginx', '--listen', 'localhost']).code, 2);
  const missing = run(['nope.yaml', '--target', 'kong']);
  assert.equal(missing.code, 2);
  assert.equal(missing.err, `headroom: file not found: ${join(fixtures, 'nope.yaml')}\n`);
  const check = run(['01-one-server/spec.yaml', '--target', 'kong', '--check', join(work, 'missing.yaml')]);
  assert.equal(check.code, 2);
  assert.equal(check.err.trim().split('\n').length, 1);
});

test('cluster scope: --peers/--node for HAProxy, --redis for Kong; NGINX stops with one error per scope: cluster in force', () => {
  const spec = '25-cluster-scope/spec.yaml';
  const haproxy = run([spec, '--target', 'haproxy', '--peers', 'gw1=10.0.0.1:10000,gw2=10.0.0.2:10000', '--node', 'gw1']);
  assert.equal(haproxy.code, 0, haproxy.err);
  assert.equal(haproxy.out, readFileSync(join(fixtures, '25-cluster-scope', 'haproxy.cfg'), 'utf8'));
  const kong = run([spec, '--target', 'kong', '--redis', 'redis.internal:6380', '--redis-password-env', 'HEADROOM_REDIS_PASSWORD']);
  assert.equal(kong.code, 0, kong.err);
  assert.equal(kong.out, readFileSync(join(fixtures, '25-cluster-scope', 'kong.yaml'), 'utf8'));

  const nginx = run([spec, '--target', 'nginx']);
  assert.equal(nginx.code, 1);
  assert.equal(nginx.out, '');
  const lines = nginx.err.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^25-cluster-scope\/spec.yaml:11:59 error export scope: cluster cannot be exported to NGINX: open-source NGINX keeps limit_req counters in each server's own memory/);
  assert.equal(lines[2], 'headroom: export stopped: the spec has 2 annotations this gateway cannot enforce; nothing was written.');

  const noPeers = run([spec, '--target', 'haproxy']);
  assert.equal(noPeers.code, 1);
  assert.match(noPeers.err, /error export scope: cluster needs HAProxy peers to share counters: export with --peers NAME=ADDR:PORT,… \(every node\) and --node NAME \(this one\)\./);

  for (const [args, message] of [
    [['--target', 'haproxy', '--peers', 'gw1=10.0.0.1'], 'headroom: --peers: invalid peer "gw1=10.0.0.1" (expected NAME=ADDR:PORT, e.g. node1=10.0.0.1:10000)'],
    [['--target', 'haproxy', '--peers', 'a=10.0.0.1:1,a=10.0.0.2:1'], 'headroom: --peers: peer "a" is given twice'],
    [['--target', 'haproxy', '--peers', 'a=10.0.0.1:1,b=10.0.0.1:1'], 'headroom: --peers: peers "a" and "b" have the same address 10.0.0.1:1'],
    [['--target', 'haproxy', '--peers', 'a=10.0.0.1:1', '--node', 'b'], 'headroom: --node "b" is not one of the peers (a)'],
    [['--target', 'nginx', '--peers', 'a=10.0.0.1:1'], 'headroom: --peers is for --target haproxy'],
    [['--target', 'kong', '--redis', 'redis'], 'headroom: --redis: invalid Redis address "redis" (expected HOST:PORT, e.g. redis:6379)'],
    [['--target', 'haproxy', '--redis', 'redis:6379'], 'headroom: --redis and --redis-password-env are for --target kong'],
    // The same socket written two ways; an IPv6 address that is none; a peer on the front end's socket.
    [['--target', 'haproxy', '--peers', 'a=127.0.0.1:9000,b=127.0.0.01:9000'], 'headroom: --peers: peers "a" and "b" have the same address 127.0.0.1:9000'],
    [['--target', 'haproxy', '--peers', 'a=[1:2:3]:9000'], 'headroom: --peers: invalid peer "a=[1:2:3]:9000" (expected NAME=ADDR:PORT, e.g. node1=10.0.0.1:10000)'],
    [['--target', 'haproxy', '--listen', '127.0.0.1:9000', '--peers', 'a=127.0.0.1:9000,b=10.0.0.2:9000', '--node', 'a'], 'headroom: peer "a" (127.0.0.1:9000) is on the socket --listen binds: the peers need a port of their own'],
    [['--target', 'haproxy', '--listen', '127.0.0.1:9000', '--peers', 'a=localhost:9000,b=10.0.0.2:9000'], 'headroom: peer "a" (localhost:9000) is on the socket --listen binds: the peers need a port of their own'],
    [['--target', 'haproxy', '--listen', '*:9000', '--peers', 'a=10.0.0.1:9000'], 'headroom: peer "a" (10.0.0.1:9000) is on the socket --listen binds: the peers need a port of their own'],
    [['--target', 'haproxy', '--listen', '[::1]:9000', '--peers', 'a=[0:0::1]:9000'], 'headroom: peer "a" ([0:0::1]:9000) is on the socket --listen binds: the peers need a port of their own'],
    [['--target', 'haproxy', '--peers', 'a=10.0.0.1:9000', '--node', 'a', '--node', 'b'], 'headroom: --node is given twice'],
    [['--target', 'kong', '--redis-password-env', 'redis_pw'], 'headroom: invalid environment variable name "redis_pw" (Kong\'s env vault reads upper-case names: REDIS_PW)'],
  ] as const) {
    const r = run([spec, ...args]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.split('\n')[0], message);
  }
});

test('a spec that does not parse stops the export with its syntax errors, called syntax errors', () => {
  const spec = join(work, 'broken.yaml');
  writeFileSync(spec, 'openapi: 3.0.3\ninfo: {title: T, version: "1"\npaths: {}\n');
  const r = run([spec, '--target', 'nginx'], work);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  const lines = r.err.trim().split('\n');
  assert.match(lines[0], /^broken\.yaml:\d+:\d+ error parse /);
  assert.equal(lines.at(-1), `headroom: export stopped: the spec has ${lines.length - 1} syntax error${lines.length === 2 ? '' : 's'}; nothing was written.`);
  const json = join(work, 'broken.json');
  writeFileSync(json, '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},}\n');
  const j = run([json, '--target', 'kong'], work);
  assert.equal(j.code, 1);
  const jLines = j.err.trim().split('\n');
  assert.ok(jLines.slice(0, -1).every((l) => /^broken\.json:\d+:\d+ error parse /.test(l)), j.err);
  assert.equal(jLines.at(-1), `headroom: export stopped: the spec has ${jLines.length - 1} syntax errors; nothing was written.`);
  const notOpenApi = join(work, 'plain.yaml');
  writeFileSync(notOpenApi, 'name: not an api\n');
  assert.equal(run([notOpenApi, '--target', 'kong'], work).err.trim().split('\n').at(-1), 'headroom: export stopped: the file is not an OpenAPI document; nothing was written.');
});

test('a duplicate key in JSON stops the export, as in YAML: JSON.parse would keep the last one silently', () => {
  writeFileSync(join(work, 'duplicate.json'), '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "servers": [{"url": "https://api.example.com"}],\n "x-gateway-rate-limit": {"requests": 5, "window": "1m"},\n "x-gateway-rate-limit": {"requests": 500000, "window": "1m"},\n "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}\n');
  const r = run(['duplicate.json', '--target', 'nginx'], work);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(r.err, 'duplicate.json:3:2 error parse Duplicate key: x-gateway-rate-limit\nheadroom: export stopped: the spec has 1 syntax error; nothing was written.\n');
});

test('a syntax error in a $ref-ed file stops the export too: what the parser skipped would be missing from the gateway', () => {
  writeFileSync(join(work, 'with-broken-part.yaml'), "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /a:\n    $ref: broken-part.yaml\n");
  // The rate limit after the stray brackets is what a parser that recovers would drop.
  writeFileSync(join(work, 'broken-part.yaml'), "get:\n  responses: {'200': {description: ok}}\n  ]]]\n  x-gateway-rate-limit: {requests: 5, window: 1m}\n");
  for (const target of ['nginx', 'haproxy', 'kong', 'envoy-gateway']) {
    const r = run(['with-broken-part.yaml', '--target', target], work);
    assert.equal(r.code, 1, target);
    assert.equal(r.out, '', target);
    const lines = r.err.trim().split('\n');
    assert.ok(lines.length > 1 && lines.slice(0, -1).every((l) => /^broken-part\.yaml:\d+:\d+ error parse /.test(l)), r.err);
    assert.equal(lines.at(-1), `headroom: export stopped: the spec has ${lines.length - 1} syntax error${lines.length === 2 ? '' : 's'}; nothing was written.`);
  }
});

test('openapi: 3.9.9 has one verdict: lint and export an error on the version, report --fail-under fails', () => {
  writeFileSync(join(work, 'future.yaml'), "openapi: 3.9.9\ninfo: {title: F, version: '1'}\npaths:\n  /a:\n    get: {responses: {'200': {description: ok}}}\n");
  const exported = run(['future.yaml', '--target', 'kong'], work);
  assert.equal(exported.code, 1);
  assert.equal(exported.out, '');
  assert.equal(
    exported.err,
    'future.yaml:1:10 error unrecognized-format openapi: "3.9.9" is no OpenAPI version Headroom reads (openapi 3.0.x, 3.1.x or 3.2.x, or swagger "2.0").\n' +
      "headroom: export stopped: the spec's OpenAPI version is not one Headroom reads; nothing was written.\n",
  );
  const lint = spawnSync(process.execPath, [cli, 'lint', 'future.yaml', '--format', 'json'], { cwd: work, encoding: 'utf8' });
  assert.equal(lint.status, 1);
  assert.deepEqual(
    (JSON.parse(lint.stdout) as { rule: string; severity: string; path: string[] }[]).filter((f) => f.rule === 'validate').map((f) => [f.severity, f.path.join('.')]),
    [['error', 'openapi']],
  );
  const report = spawnSync(process.execPath, [cli, 'report', 'future.yaml', '--fail-under', '10', '-o', 'future.json'], { cwd: work, encoding: 'utf8' });
  assert.equal(report.status, 1);
  assert.match(report.stderr, /\nheadroom: no score for future\.yaml: it is no OpenAPI document Headroom reads, so --fail-under 10 fails\n$/);
});

test('a config that enforces an open lint warning says so (a cache shared between callers), and is still written', () => {
  writeFileSync(
    join(work, 'shared-cache.yaml'),
    "openapi: 3.0.3\ninfo: {title: S, version: '1'}\nservers: [{url: 'http://127.0.0.1:18081'}]\nx-gateway-rate-limit: false\n" +
      'components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-API-Key}\nsecurity: [{key: []}]\n' +
      "paths:\n  /me:\n    get:\n      x-gateway-cache: {ttl: 60s}\n      responses: {'200': {description: ok}, '401': {description: no}}\n",
  );
  const out = join(work, 'shared-cache.conf');
  const r = run(['shared-cache.yaml', '--target', 'nginx', '-o', out], work);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(out));
  assert.match(
    r.err,
    /^headroom: warning: the config ships 1 open lint warning it enforces as written:\n {2}shared-cache\.yaml:12:7 warning cache-shared-authenticated x-gateway-cache serves one caller's cached response of authenticated GET \/me to others: add X-API-Key \(key\) to vary-headers\.\n$/m,
  );
});

test('a path item whose $ref leads nowhere stops the export: its routes would be missing from the gateway, silently', () => {
  writeFileSync(
    join(work, 'lost-path.yaml'),
    "openapi: 3.1.0\ninfo: {title: L, version: '1'}\nservers: [{url: 'http://127.0.0.1:18081'}]\nx-gateway-rate-limit: {requests: 10, window: 1m}\n" +
      "paths:\n  /a:\n    $ref: 'missing.yaml#/a'\n  /b:\n    $ref: '#/components/pathItems/Nope'\n  /c:\n    get:\n      responses: {'200': {description: ok}}\n",
  );
  const r = run(['lost-path.yaml', '--target', 'kong'], work);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'lost-path.yaml:7:11 error ref $ref "missing.yaml#/a" cannot be resolved: file not found: missing.yaml; the path /a would be left out of the gateway.\n' +
      'lost-path.yaml:9:11 error ref $ref "#/components/pathItems/Nope" points at nothing: no "/components/pathItems/Nope" in this document; the path /b would be left out of the gateway.\n' +
      'headroom: export stopped: the spec has 2 $refs or path items it cannot follow (outside the allowed root, remote, an alias bomb, or a path item leading nowhere); nothing was written.\n',
  );
});

test('a warning the export locates in the spec is printed once, not again as a note of the target', () => {
  writeFileSync(join(work, 'no-server.yaml'), "openapi: 3.0.3\ninfo: {title: N, version: '1'}\nx-gateway-rate-limit: false\npaths:\n  /a:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n");
  const r = run(['no-server.yaml', '--target', 'nginx'], work);
  assert.equal(r.code, 0);
  assert.equal(
    r.err,
    'no-server.yaml:1:1 warning export No server gives a host, so the upstream is http://127.0.0.1:80; declare the backend with x-gateway-upstream: {targets: [{url: "https://backend:443"}]}.\n',
  );
});

test('a path holding "?" or "#" is not exported, saying why: no request path can match it', () => {
  writeFileSync(
    join(work, 'query-path.yaml'),
    "openapi: 3.0.3\ninfo: {title: Q, version: '1'}\nservers: [{url: 'http://127.0.0.1:18081'}]\nx-gateway-rate-limit: false\npaths:\n" +
      "  /q?x=1:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n  /h#frag:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n  /ok:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n",
  );
  const r = run(['query-path.yaml', '--target', 'haproxy'], work);
  assert.equal(r.code, 0);
  assert.equal(
    r.err,
    'query-path.yaml:7:5 warning export GET /q?x=1 is not exported: its path holds "?", which starts a URL\'s query, so no request path can match it; declare query parameters as parameters.\n' +
      'query-path.yaml:11:5 warning export GET /h#frag is not exported: its path holds "#", which starts a URL\'s fragment, so no request path can match it.\n',
  );
  const config = r.out.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  assert.doesNotMatch(config, /\/q\?x|\/h#/);
  assert.match(config, /\/ok/);
});

test('a $ref to a file whose YAML aliases are a bomb stops the export: blanked, `security: *authed` would read as no security', () => {
  mkdirSync(join(work, 'bomb-ref'), { recursive: true });
  writeFileSync(
    join(work, 'bomb-ref', 'spec.yaml'),
    "openapi: 3.0.3\ninfo: {title: B, version: '1'}\nservers: [{url: 'http://127.0.0.1:18081'}]\nx-gateway-rate-limit: false\n" +
      'components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\npaths:\n  /a:\n    $ref: ./item.yaml\n',
  );
  const levels = ['b', 'c', 'd', 'e', 'f', 'g'].map((n, i, all) => `x-${n}: &${n} {${'defghijklm'.split('').map((k) => `${k}: *${i === 0 ? 'a' : all[i - 1]}`).join(', ')}}`);
  writeFileSync(
    join(work, 'bomb-ref', 'item.yaml'),
    ['x-a: &a {d: 1, e: 2, f: 3, g: 4, h: 5, i: 6, j: 7, k: 8, l: 9, m: 10}', ...levels, 'x-authed: &authed [{key: []}]', 'get:', '  security: *authed', '  x-y: *g', "  responses: {'200': {description: ok}}", ''].join('\n'),
  );
  const r = run(['spec.yaml', '--target', 'nginx'], join(work, 'bomb-ref'));
  assert.equal(r.code, 1);
  assert.match(r.err, /^spec\.yaml:10:11 error ref \$ref "\.\/item\.yaml" leads to \.\/item\.yaml, where YAML aliases expand to more than 500,000 nodes/);
  assert.match(r.err, /\nheadroom: export stopped: the spec has 1 \$ref or path item it cannot follow \(outside the allowed root, remote, an alias bomb, or a path item leading nowhere\); nothing was written\.\n$/);
});

test('a path with no path item (empty, null, a list, a scalar, a $ref chain that breaks in another file) stops the export, each named', () => {
  const dir = join(work, 'lost-items');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.yaml'), '$ref: ./empty.yaml\n');
  writeFileSync(join(dir, 'empty.yaml'), '# nothing yet\n');
  writeFileSync(join(dir, 'tilde.yaml'), '~\n');
  writeFileSync(
    join(dir, 'spec.yaml'),
    [
      'openapi: 3.0.3',
      "info: {title: L, version: '1'}",
      "servers: [{url: 'http://127.0.0.1:18081'}]",
      'x-gateway-rate-limit: false',
      'paths:',
      '  /empty:',
      '  /list: []',
      '  /text: hello',
      '  /chain:',
      '    $ref: ./a.yaml',
      '  /tilde:',
      '    $ref: ./tilde.yaml',
      '  /ok:',
      "    get: {responses: {'200': {description: ok}}}",
      '',
    ].join('\n'),
  );
  const r = run(['spec.yaml', '--target', 'haproxy'], dir);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'spec.yaml:6:3 error ref The path /empty has no path item (it is empty); it would be left out of the gateway.\n' +
      'spec.yaml:7:3 error ref The path /list has no path item (it is a list); it would be left out of the gateway.\n' +
      'spec.yaml:8:10 error ref The path /text has no path item (it is "hello"); it would be left out of the gateway.\n' +
      'spec.yaml:9:3 error ref The path /chain has no path item (its `$ref` chain leads to nothing); it would be left out of the gateway.\n' +
      'spec.yaml:11:3 error ref The path /tilde has no path item (it is empty); it would be left out of the gateway.\n' +
      'headroom: export stopped: the spec has 5 $refs or path items it cannot follow (outside the allowed root, remote, an alias bomb, or a path item leading nowhere); nothing was written.\n',
  );
});

test('an annotation written as a $ref is one error at the $ref, in the spec: the export reads no other file for it', () => {
  const dir = join(work, 'annotation-ref');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'policy.yaml'), 'requests: 10\nwindow: 1m\n');
  writeFileSync(
    join(dir, 'spec.yaml'),
    ['openapi: 3.0.3', "info: {title: R, version: '1'}", "servers: [{url: 'http://127.0.0.1:18081'}]", 'x-gateway-rate-limit: {$ref: ./policy.yaml}', 'paths:', '  /a:', "    get: {responses: {'200': {description: ok}}}", ''].join('\n'),
  );
  const r = run(['spec.yaml', '--target', 'nginx'], dir);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'spec.yaml:4:30 error ratelimit-policy-valid x-gateway-rate-limit cannot be a $ref: annotations are read where they stand; write the value here.\n' +
      'headroom: export stopped: the spec has 1 error in its gateway annotations; nothing was written.\n',
  );
});
