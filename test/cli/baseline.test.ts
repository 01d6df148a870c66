/**
 * Baselines through the built CLI: a spec's findings recorded, then the spec edited the ways real
 * specs change (lines inserted, keys reordered, an operation moved to another file, an array item
 * inserted, an operation deleted, a new problem) and linted against the baseline; corrupt and
 * foreign baseline files.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inTempDir } from '../helpers/tempDir';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { Baseline, stableMessage } from '../../src/core/baseline';
import type { Finding } from '../../src/shared/types';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const source = join(root, 'test', 'fixtures', 'coverage', '02-shared-and-files');
let work: string;
let original: string;
let recorded: number;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const lintAgainst = (...extra: string[]) => run(['lint', 'spec.yaml', '--baseline', 'baseline.json', ...extra]);

/** Edit spec.yaml through the yaml library (which also rewrites its layout: every line moves). */
function editSpec(edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(original);
  edit(doc);
  writeFileSync(join(work, 'spec.yaml'), doc.toString({ lineWidth: 0 }));
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'headroom-baseline-'));
  cpSync(source, work, { recursive: true });
  original = readFileSync(join(work, 'spec.yaml'), 'utf8');
  const r = run(['lint', 'spec.yaml', '--write-baseline', 'baseline.json']);
  assert.equal(r.code, 0, r.err);
  recorded = (JSON.parse(readFileSync(join(work, 'baseline.json'), 'utf8')) as { findings: unknown[] }).findings.length;
  assert.equal(r.err, `headroom: wrote ${recorded} findings to the baseline baseline.json\n`);
  assert.equal(r.out, '');
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the baseline file: format, version, findings by relative file, rule, JSON pointer, message, severity; sorted', () => {
  const data = JSON.parse(readFileSync(join(work, 'baseline.json'), 'utf8'));
  assert.equal(data.format, 'headroom-baseline');
  assert.equal(data.version, 1);
  assert.equal(recorded, 18);
  assert.deepEqual(data.findings[0], {
    file: 'paths/orders.yaml',
    rule: 'auth-401-response',
    path: '/delete/responses',
    message: 'DELETE /orders takes credentials (apiKey) but documents no 401 (Unauthorized) response for missing or invalid ones.',
    severity: 'warn',
    spec: 'spec.yaml',
  });
  assert.ok(data.findings.every((f: { file: string; spec?: string }) => (f.file === 'spec.yaml') === (f.spec === undefined)), 'the spec is named where it is not the file');
  const keys = data.findings.map((f: { file: string; path: string }) => `${f.file} ${f.path}`);
  assert.deepEqual(keys, [...keys].sort());
  assert.ok(data.findings.some((f: { path: string }) => f.path === '/paths/~1items/get/parameters/0/schema'));
});

test('unchanged spec: no new problems, exit 0, every finding known', () => {
  writeFileSync(join(work, 'spec.yaml'), original);
  const r = lintAgainst('--fail-severity', 'hint');
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(r.out, `No new problems.\n${recorded} known findings remain (baseline baseline.json); 0 fixed since it was written.\n`);
});

test('inserted lines (comments, blank lines) move every finding down: still known', () => {
  writeFileSync(join(work, 'spec.yaml'), '# inserted\n# lines\n\n' + original.replace('paths:\n', 'paths:\n  # a comment\n\n'));
  const r = lintAgainst('--fail-severity', 'hint');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^No new problems\.\n18 known findings remain/);
});

test('reordered keys (paths, operations, responses reversed; the layout rewritten): still known', () => {
  editSpec((doc) => {
    const paths = doc.get('paths') as YAMLMap;
    paths.items.reverse();
    for (const item of paths.items) {
      if (!isMap(item.value)) continue;
      item.value.items.reverse();
      for (const op of item.value.items) if (isMap(op.value)) op.value.items.reverse();
    }
    (doc.get('components') as YAMLMap).items.reverse();
  });
  const r = lintAgainst('--fail-severity', 'hint');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^No new problems\.\n18 known findings remain/);
});

test('an operation moved to another file ($ref): still known', () => {
  const doc = parseDocument(original);
  const health = doc.getIn(['paths', '/health']) as YAMLMap;
  writeFileSync(join(work, 'paths', 'health.yaml'), String(new (doc.constructor as any)(health.toJSON())).replace(/#\/components/g, '../spec.yaml#/components'));
  doc.setIn(['paths', '/health'], doc.createNode({ $ref: 'paths/health.yaml' }));
  writeFileSync(join(work, 'spec.yaml'), doc.toString({ lineWidth: 0 }));
  const lint = JSON.parse(run(['lint', 'spec.yaml', '-f', 'json']).out) as Finding[];
  assert.ok(lint.some((f) => f.file === join(work, 'paths', 'health.yaml') && f.rule === 'ratelimit-policy-valid'), 'the finding moved with the operation');
  const r = lintAgainst('--fail-severity', 'hint');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^No new problems\.\n18 known findings remain/);
  rmSync(join(work, 'paths', 'health.yaml'));
});

test('an array item inserted before a finding (its index changes): still known', () => {
  editSpec((doc) => {
    const params = doc.getIn(['paths', '/items', 'get', 'parameters']);
    assert.ok(isSeq(params));
    params.items.unshift(doc.createNode({ name: 'q', in: 'query', schema: { type: 'string' } }));
  });
  const lint = JSON.parse(run(['lint', 'spec.yaml', '-f', 'json']).out) as Finding[];
  assert.ok(lint.some((f) => f.rule === 'pagination-limit-bounded' && f.path.join('.') === 'paths./items.get.parameters.1.schema'));
  const r = lintAgainst('--fail-severity', 'hint');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^No new problems\.\n18 known findings remain/);
});

test('a deleted operation: its findings are listed as fixed, the rest known', () => {
  editSpec((doc) => doc.deleteIn(['paths', '/items', 'options']));
  const r = lintAgainst('--fail-severity', 'hint');
  assert.equal(r.code, 0, r.out);
  assert.equal(
    r.out,
    'No new problems.\n16 known findings remain (baseline baseline.json); 2 fixed since it was written:\n' +
      '  fixed  spec.yaml  ratelimit-429-response  /paths/~1items/options/responses  OPTIONS /items documents no 429 (Too Many Requests) response.\n' +
      '  fixed  spec.yaml  ratelimit-headers  /paths/~1items/options/responses/204  The 204 response of OPTIONS /items documents no rate-limit headers: add RateLimit and RateLimit-Policy, or X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.\n',
  );
});

test('a new problem: stylish and JSON print only it, it fails the run, SARIF marks new / unchanged / absent', () => {
  editSpec((doc) => {
    doc.deleteIn(['paths', '/items', 'options']);
    doc.setIn(['paths', '/extra'], doc.createNode({ get: { security: [], responses: { '200': { description: 'x' } } } }));
  });
  let r = lintAgainst('-f', 'json');
  const fresh = JSON.parse(r.out) as Finding[];
  assert.ok(fresh.length > 0 && fresh.every((f) => f.path.join('.').startsWith('paths./extra.get')), JSON.stringify(fresh.map((f) => [f.rule, f.path.join('.')])));
  assert.ok(fresh.some((f) => f.rule === 'ratelimit-429-response'));
  assert.match(r.err, new RegExp(`^${fresh.length} new problems? .*\\n16 known findings remain`));
  r = lintAgainst('--fail-severity', 'warn');
  assert.equal(r.code, 1);
  assert.match(r.out, /^spec\.yaml\n  \d+:\d+ +warning  ratelimit-429-response +GET \/extra documents no 429 \(Too Many Requests\) response\./m);
  assert.match(r.out, new RegExp(`\\n\\n${fresh.length} new problems? \\(.*\\)\\n16 known findings remain \\(baseline baseline\\.json\\); 2 fixed since it was written:\\n`));
  r = lintAgainst('-f', 'sarif');
  const results = JSON.parse(r.out).runs[0].results as { ruleId: string; baselineState: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
  const count = (s: string) => results.filter((x) => x.baselineState === s).length;
  assert.deepEqual([count('new'), count('unchanged'), count('absent')], [fresh.length, 16, 2]);
  assert.deepEqual(results.filter((x) => x.baselineState === 'absent').map((x) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri]), [
    ['ratelimit-429-response', 'spec.yaml'],
    ['ratelimit-headers', 'spec.yaml'],
  ]);
});

test('a corrupt, foreign or missing baseline: one line, exit 2, nothing printed; never a pass', () => {
  writeFileSync(join(work, 'spec.yaml'), original);
  const cases: [string, string | undefined, RegExp][] = [
    ['truncated.json', '{"format": "headroom-baseline", "version": 1, "findings": [', /is not a Headroom baseline: not JSON \(/],
    ['foreign.json', JSON.stringify([{ ruleId: 'x' }]), /foreign\.json is not a Headroom baseline \(no "format": "headroom-baseline"\); write one with headroom lint --write-baseline/],
    ['future.json', JSON.stringify({ format: 'headroom-baseline', version: 2, findings: [] }), /future\.json: baseline version 2 is not supported/],
    ['entry.json', JSON.stringify({ format: 'headroom-baseline', version: 1, findings: [{ file: 'spec.yaml', rule: 'x' }] }), /entry\.json: findings\[0\] must have string file, rule, path, message, a severity/],
    ['binary.json', '\u0000\u0001\u0002', /is not a Headroom baseline: not JSON/],
    ['missing.json', undefined, /^headroom: baseline file not found: .*missing\.json\n$/],
  ];
  for (const [name, text, message] of cases) {
    if (text !== undefined) writeFileSync(join(work, name), text);
    const r = run(['lint', 'spec.yaml', '--baseline', name]);
    assert.equal(r.code, 2, name);
    assert.equal(r.out, '', name);
    assert.match(r.err, message, name);
    assert.equal(r.err.split('\n').length, 2, `${name}: one line: ${r.err}`);
  }
  // A pipe would block the read forever: refused before it is opened for reading.
  execFileSync('mkfifo', [join(work, 'pipe.json')]);
  const pipe = run(['lint', 'spec.yaml', '--baseline', 'pipe.json']);
  assert.equal(pipe.code, 2);
  assert.equal(pipe.err, `headroom: baseline not a regular file (a pipe, socket or device): ${join(work, 'pipe.json')}\n`);
  const both = run(['lint', 'spec.yaml', '--baseline', 'baseline.json', '--write-baseline', 'b.json']);
  assert.equal(both.code, 2);
  assert.match(both.err, /^headroom: use --baseline or --write-baseline, not both\n/);
});

test('a baseline saved with a byte order mark is read', () => {
  writeFileSync(join(work, 'spec.yaml'), original);
  writeFileSync(join(work, 'bom.json'), `\uFEFF${readFileSync(join(work, 'baseline.json'), 'utf8')}`);
  const r = run(['lint', 'spec.yaml', '--baseline', 'bom.json']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^No new problems\.\n/);
});

test('--write-baseline never overwrites a spec the lint read, nor a file that is not a baseline', () => {
  writeFileSync(join(work, 'spec.yaml'), original);
  const spec = run(['lint', 'spec.yaml', '--write-baseline', 'spec.yaml']);
  assert.equal(spec.code, 2);
  assert.equal(spec.err, 'headroom: not writing the baseline to spec.yaml: it is a file the lint read\n');
  assert.equal(readFileSync(join(work, 'spec.yaml'), 'utf8'), original);
  writeFileSync(join(work, 'notes.txt'), 'my notes');
  const notes = run(['lint', 'spec.yaml', '--write-baseline', 'notes.txt']);
  assert.equal(notes.code, 2);
  assert.match(notes.err, /^headroom: not writing the baseline to notes\.txt: it exists and is not a Headroom baseline \(.*not JSON.*\); remove it or choose another file\n$/);
  assert.equal(readFileSync(join(work, 'notes.txt'), 'utf8'), 'my notes');
  // JSON that is no baseline (a package.json): the refusal does not advise the command it refuses.
  writeFileSync(join(work, 'package.json'), '{"name": "mine"}\n');
  const pkg = run(['lint', 'spec.yaml', '--write-baseline', 'package.json']);
  assert.equal(pkg.code, 2);
  assert.match(pkg.err, /^headroom: not writing the baseline to package\.json: it exists and is not a Headroom baseline \(.*package\.json is not a Headroom baseline \(no "format": "headroom-baseline"\)\); remove it or choose another file\n$/);
  assert.equal(readFileSync(join(work, 'package.json'), 'utf8'), '{"name": "mine"}\n');
  // An existing baseline is rewritten (that is what the option is for), and so is an empty file.
  writeFileSync(join(work, 'empty.json'), '');
  for (const name of ['baseline.json', 'empty.json']) {
    const r = run(['lint', 'spec.yaml', '--write-baseline', name]);
    assert.equal(r.code, 0, r.err);
    assert.equal(Baseline.read(join(work, name)).entries.length, Baseline.read(join(work, 'baseline.json')).entries.length);
  }
});

test('matching rounds: a reworded shared-node message still matches by place; a duplicate is consumed once', () => {
  const f = (path: (string | number)[], message: string, file = '/w/spec.yaml'): Finding => ({ file, rule: 'r', severity: 'warn', message, path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  const baseline = Baseline.parse('/w/b.json', Baseline.text('/w/b.json', [f(['a'], 'Shared X (GET /a and 2 more operations) is bad.'), f(['b'], 'same'), f(['c'], 'gone')]));
  const match = baseline.match([f(['a'], 'Shared X (GET /a and 3 more operations) is bad.'), f(['b'], 'same'), f(['b2'], 'same')], ['/w/spec.yaml']);
  assert.deepEqual(match.states, ['unchanged', 'unchanged', 'new']);
  assert.deepEqual(match.absent.map((e) => e.path), ['/c']);
  // Files the run did not lint have no absent findings.
  assert.deepEqual(baseline.match([], ['/w/other.yaml']).absent, []);
  assert.equal(stableMessage('A  and 12 more operations.'), 'A and more.');
});

test('matching rounds: a finding grown more severe is new; a renamed key keeps its findings only when the old key is gone', () => {
  const f = (path: (string | number)[], message: string, severity: Finding['severity'] = 'warn', file = '/w/spec.yaml'): Finding => ({ file, rule: 'r', severity, message, path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  // "No operation declares a security requirement (2 operations)": a new DELETE makes it an error.
  let baseline = Baseline.parse('/w/b.json', Baseline.text('/w/b.json', [f(['paths'], 'None secured (2 operations).')]));
  assert.deepEqual(baseline.match([f(['paths'], 'None secured (3 operations, 1 DELETE).', 'error')], ['/w/spec.yaml']).states, ['new']);
  assert.deepEqual(baseline.match([f(['paths'], 'None secured (3 operations).', 'warn')], ['/w/spec.yaml']).states, ['unchanged']);
  assert.deepEqual(baseline.match([f(['paths'], 'None secured (1 operation).', 'info')], ['/w/spec.yaml']).states, ['unchanged']);
  // A renamed component and a re-keyed path: the message names them, renamed too.
  baseline = Baseline.parse('/w/b.json', Baseline.text('/w/b.json', [
    f(['components', 'responses', 'Slow', 'headers'], 'Response `Slow` declares no Retry-After.'),
    f(['paths', '/pets/{petId}', 'get'], 'GET /pets/{petId} documents no 429.'),
    f(['x-gateway-rate-limit', 'window'], "window '1x' is no duration.", 'error'),
  ]));
  const data = { components: { responses: { TooManyRequests: {} } }, paths: { '/animals/{petId}': {}, '/login': {} }, 'x-gateway-rate-limit': { window: '1m' } };
  const renamed = [
    f(['components', 'responses', 'TooManyRequests', 'headers'], 'Response `TooManyRequests` declares no Retry-After.'),
    f(['paths', '/animals/{petId}', 'get'], 'GET /animals/{petId} documents no 429.'),
  ];
  let match = baseline.match(renamed, ['/w/spec.yaml'], undefined, () => data);
  assert.deepEqual(match.states, ['unchanged', 'unchanged']);
  assert.deepEqual(match.absent.map((e) => e.path), ['/x-gateway-rate-limit/window']);
  // The old key still there: it was fixed, and the other node's finding is new.
  match = baseline.match(renamed, ['/w/spec.yaml'], undefined, () => ({ ...data, paths: { ...data.paths, '/pets/{petId}': {} } }));
  assert.deepEqual(match.states, ['unchanged', 'new']);
  // The root policy's bad window fixed, the same bad window written on a new operation's policy: new.
  match = baseline.match([f(['paths', '/login', 'post', 'x-gateway-rate-limit', 'window'], "window '1x' is no duration.", 'error')], ['/w/spec.yaml'], undefined, () => data);
  assert.deepEqual(match.states, ['new']);
  // …also in another file, the root's window still written (fixed there).
  match = baseline.match([f(['post', 'x-gateway-rate-limit', 'window'], "window '1x' is no duration.", 'error', '/w/login.yaml')], ['/w/spec.yaml', '/w/login.yaml'], undefined, (file) => (file === '/w/spec.yaml' ? data : {}));
  assert.deepEqual(match.states, ['new']);
  // A key deleted, and an existing key (one the baseline records) with a new problem: no rename.
  baseline = Baseline.parse('/w/b.json', Baseline.text('/w/b.json', [f(['paths', '/admin', 'delete'], 'DELETE /admin is open.', 'error'), f(['paths', '/users', 'get'], 'GET /users documents no 429.')]));
  match = baseline.match([f(['paths', '/users', 'delete'], 'DELETE /users is open.', 'error'), f(['paths', '/users', 'get'], 'GET /users documents no 429.')], ['/w/spec.yaml'], undefined, () => ({ paths: { '/users': {} } }));
  assert.deepEqual(match.states, ['new', 'unchanged']);
  // The renamed key is replaced where the message names it whole: `Retry` → `Slow`, not inside Retry-After.
  baseline = Baseline.parse('/w/b.json', Baseline.text('/w/b.json', [f(['components', 'responses', 'Retry', 'headers'], 'Response `Retry` declares no Retry-After header.')]));
  match = baseline.match([f(['components', 'responses', 'Slow', 'headers'], 'Response `Slow` declares no Retry-After header.')], ['/w/spec.yaml'], undefined, () => ({ components: { responses: { Slow: {} } } }));
  assert.deepEqual(match.states, ['unchanged']);
});

/** A folder of its own for a test, with these files; the CLI runs in it. */
function inFolder(files: Record<string, string>, body: (run: (args: string[]) => { code: number | null; out: string; err: string }, dir: string) => void): void {
  inTempDir('headroom-baseline-', (dir) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    body((args) => {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    }, dir);
  });
}

const HEALTH = (title: string) => `openapi: 3.0.3\ninfo: {title: ${title}, version: "1"}\npaths:\n  /health:\n    post: {responses: {"204": {description: ok}}}\n`;

test('a spec the baseline never recorded borrows none of its findings from a spec it did', () => {
  inFolder({ 'orders.yaml': HEALTH('Orders'), 'payments.yaml': HEALTH('Payments') }, (run) => {
    assert.equal(run(['lint', 'orders.yaml', '--write-baseline', 'b.json']).code, 0);
    assert.match(run(['lint', 'orders.yaml', '--baseline', 'b.json']).out, /^No new problems\.\n5 known findings remain/);
    // payments.yaml has the same five findings, word for word; none of them is known.
    const r = run(['lint', 'payments.yaml', '--baseline', 'b.json']);
    assert.equal(r.code, 1);
    assert.match(r.out, /\n5 new problems \(2 errors, 3 warnings, 0 infos, 0 hints\)\n0 known findings remain \(baseline b\.json\); 0 fixed since it was written\.\nThe baseline records no finding of payments\.yaml, and findings of orders\.yaml, not linted here: if a spec was renamed or moved, write the baseline again \(--write-baseline\)\.\n$/);
    // Both linted: nothing to say about files not linted.
    assert.doesNotMatch(run(['lint', 'orders.yaml', 'payments.yaml', '--baseline', 'b.json']).out, /not linted here/);
  });
});

test('a glob that reaches the baseline does not lint it', () => {
  const json = JSON.stringify({ openapi: '3.0.3', info: { title: 'Orders', version: '1' }, paths: { '/health': { post: { responses: { '204': { description: 'ok' } } } } } });
  inFolder({ 'orders.json': json }, (run) => {
    assert.equal(run(['lint', '*.json', '--write-baseline', 'headroom-baseline.json']).code, 0);
    // Written again through the same glob, now that the baseline exists: not refused as a file the lint read.
    const again = run(['lint', '*.json', '--write-baseline', 'headroom-baseline.json']);
    assert.deepEqual([again.code, again.err], [0, 'headroom: wrote 5 findings to the baseline headroom-baseline.json\n']);
    const r = run(['lint', '*.json', '--baseline', 'headroom-baseline.json']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^No new problems\.\n5 known findings remain/);
  });
});

test('two specs share a $ref-ed file: linting one reports none of the other\'s findings there as fixed', () => {
  const spec = (name: string) => `openapi: 3.0.3\ninfo: {title: ${name}, version: "1"}\nsecurity: []\npaths:\n  /${name}:\n    $ref: 'common.yaml#/item'\n`;
  const common = 'item:\n  get:\n    responses:\n      "200":\n        description: ok\n';
  inFolder({ 'a.yaml': spec('a'), 'b.yaml': spec('b'), 'common.yaml': common }, (run, dir) => {
    assert.equal(run(['lint', 'a.yaml', 'b.yaml', '--write-baseline', 'b.json']).code, 0);
    const entries = Baseline.read(join(dir, 'b.json')).entries.filter((e) => e.file === 'common.yaml');
    assert.deepEqual([...new Set(entries.map((e) => e.spec))].sort(), ['a.yaml', 'b.yaml'], 'each finding in common.yaml names the spec that found it');
    const r = run(['lint', 'a.yaml', '--baseline', 'b.json']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^No new problems\.\n\d+ known findings? remains? \(baseline b\.json\); 0 fixed since it was written\.\n$/);
    // The same finding fixed in common.yaml is fixed for both specs that were linted.
    writeFileSync(join(dir, 'common.yaml'), common.replace('"200":\n        description: ok\n', '"200":\n        description: ok\n      "429":\n        description: slow down\n'));
    const both = run(['lint', 'a.yaml', 'b.yaml', '--baseline', 'b.json']);
    assert.match(both.out, /fixed  common\.yaml  ratelimit-429-response .*GET \/a/);
    assert.match(both.out, /fixed  common\.yaml  ratelimit-429-response .*GET \/b/);
  });
});
