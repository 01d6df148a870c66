/** `headroom lint --fix` as CI runs it: the built CLI in a child process, on copies of fixture files. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inTempDir } from '../helpers/tempDir';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
const fixtures = join(__dirname, 'fixtures');

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--fix writes the fixed spec and the $ref-ed file, reports what it fixed, then lints the result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  cpSync(join(fixtures, 'ratelimit-429-response'), dir, { recursive: true });
  // The spec declares a rate limit, so the gateway answers 429: documenting it invents nothing, --fix writes it.
  const r = run(dir, ['lint', '06-multifile.yaml', '--fix', '--format', 'json']);
  assert.equal(r.code, 1, 'the auth errors no fix can decide are left');
  assert.match(r.err, /^headroom: fixed \d+ findings? in 06-multifile\.yaml \(.*ratelimit-429-response 1.*\); wrote 06-multifile\.yaml, 06-multifile\.paths\.part\.yaml\n/);
  assert.equal(readFileSync(join(dir, '06-multifile.yaml'), 'utf8'), readFileSync(join(fixtures, "ratelimit-429-response", "06-multifile.fixed.yaml"), "utf8"));
  assert.equal(
    readFileSync(join(dir, '06-multifile.paths.part.yaml'), 'utf8'),
    readFileSync(join(fixtures, 'ratelimit-429-response', '06-multifile.paths.part.fixed.yaml'), 'utf8'),
  );
  assert.doesNotMatch(r.err, /left \d+ suggestion/);
  const left = JSON.parse(r.out) as { rule: string }[];
  assert.deepEqual(left.filter((f) => f.rule.startsWith('ratelimit-')).map((f) => f.rule), []);

  // A second run finds nothing left to fix and writes nothing.
  const again = run(dir, ['lint', '06-multifile.yaml', '--fix', '--format', 'json']);
  assert.doesNotMatch(again.err, /fixed|wrote/);
  assert.equal(readFileSync(join(dir, '06-multifile.yaml'), 'utf8'), readFileSync(join(fixtures, "ratelimit-429-response", "06-multifile.fixed.yaml"), "utf8"));
});

test('--fix applies only fixes that invent nothing, and says on stderr which suggestions it left and why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  const spec = join(dir, 'api.yaml');
  const text = ['openapi: 3.0.3', 'info:', '  title: Pets', "  version: '1'", 'paths:', '  /pets/{id}:', '    get:', '      parameters:', '        - {name: id, in: path, required: true, schema: {type: string}}', '      responses:', "        '200':", '          description: The pet', '          content:', '            application/json:', '              schema: {type: object}', ''].join('\n');
  writeFileSync(spec, text);
  const r = run(dir, ['lint', 'api.yaml', '--fix', '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  // Every fix here would invent: a limit of 100 per minute, a 429, headers the API may not send.
  assert.equal(readFileSync(spec, 'utf8'), text, 'nothing written');
  assert.equal(
    r.err,
    [
      'headroom: left 5 suggestions in api.yaml (quick fixes in the editor; --fix applies only fixes that invent nothing):',
      '  cache-control-header 1: the spec does not say the API sends Cache-Control',
      '  cache-validator 1: the spec does not say the API sends ETag or answers If-None-Match with 304',
      '  ratelimit-429-response 1: no x-gateway-rate-limit applies to the operation, so the spec does not say it answers 429',
      '  ratelimit-headers 1: the spec does not say which rate-limit headers the API sends',
      '  ratelimit-policy-declared 1: its numbers (100 requests per 1m) would be a default, not stated in the spec; the export would enforce them',
      "headroom: 2 findings have no quick fix in api.yaml (each rule's doc says what to write): auth-operation-secured 1, auth-schemes-defined 1",
      '',
    ].join('\n'),
  );
  const left = (JSON.parse(r.out) as { rule: string }[]).map((f) => f.rule).sort();
  assert.deepEqual([...new Set(left)], [
    'auth-operation-secured', 'auth-schemes-defined', 'cache-control-header', 'cache-validator', 'ratelimit-429-response', 'ratelimit-headers', 'ratelimit-policy-declared',
  ]);
});

test('--fix runs to a fixpoint: a rate limit the spec documents is declared, then the 429 the gateway will answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  const spec = join(dir, 'api.yaml');
  writeFileSync(
    spec,
    ['openapi: 3.0.3', 'info:', '  title: Pets', "  version: '1'", 'paths:', '  /pets/{id}:', '    get:', '      parameters:', '        - {name: id, in: path, required: true, schema: {type: string}}', '      responses:', "        '200':", '          description: The pet', '          headers:', '            RateLimit-Policy:', '              schema: {type: string}', '              example: \'"default";q=50;w=3600\'', ''].join('\n'),
  );
  const r = run(dir, ['lint', 'api.yaml', '--fix', '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  assert.equal(
    r.err,
    [
      'headroom: fixed 2 findings in api.yaml (ratelimit-policy-declared 1, ratelimit-429-response 1); wrote api.yaml',
      'headroom: left 1 suggestion in api.yaml (quick fixes in the editor; --fix applies only fixes that invent nothing):',
      '  ratelimit-headers 1: the spec does not say which rate-limit headers the API sends',
      "headroom: 2 findings have no quick fix in api.yaml (each rule's doc says what to write): auth-operation-secured 1, auth-schemes-defined 1",
      '',
    ].join('\n'),
  );
  const fixed = readFileSync(spec, 'utf8');
  assert.match(fixed, /\nx-gateway-rate-limit:\n {2}requests: 50\n {2}window: 1h\npaths:/);
  assert.match(fixed, /\n {8}'429': \{\$ref: '#\/components\/responses\/TooManyRequests'\}\n/);
});

const TWILIO = join(__dirname, '..', '..', '..', 'shared', 'specs', 'm02-twilio-messaging.v30.yaml');

test('--fix on Twilio Messaging adds no invented value', { skip: existsSync(TWILIO) ? false : `${TWILIO} is absent (a clone without ../shared)` }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  const spec = join(dir, 'twilio.yaml');
  const original = readFileSync(TWILIO, 'utf8');
  writeFileSync(spec, original);
  const r = run(dir, ['lint', 'twilio.yaml', '--fix', '--format', 'json']);
  assert.equal(r.code, 0, 'warnings only are left');
  const fixed = readFileSync(spec, 'utf8');
  const added = fixed.split('\n').length - original.split('\n').length;
  console.log(`twilio: --fix added ${added} lines; stderr:\n${r.err}`);
  // No rate limit (Twilio's spec states no numbers), no 429, no validators, no rate-limit or cache headers.
  for (const invented of ['x-gateway-rate-limit', "'429'", 'TooManyRequests', 'ETag', 'If-None-Match', "'304'", 'NotModified', 'RateLimit', 'Cache-Control', 'Retry-After', 'Link:']) {
    assert.equal(fixed.split(invented).length, original.split(invented).length, `--fix added ${invented}`);
  }
  // No paging parameter the API does not take: Twilio's own PageSize / PageToken only, never limit / cursor.
  assert.doesNotMatch(fixed, /name: (limit|cursor)\n/);
  assert.equal(fixed.split('name: PageSize').length, original.split('name: PageSize').length);
  // No error body the spec does not have (it documents none): no Problem schema, no problem+json.
  assert.doesNotMatch(fixed, /Problem|problem\+json/);
  // What it does write: the 401 every operation answers (HTTP basic auth, RFC 9110: with WWW-Authenticate).
  assert.match(r.err, /^headroom: fixed 58 findings in twilio\.yaml \(auth-401-response 58\); wrote twilio\.yaml\n/);
  assert.equal(fixed.split("'401':\n          $ref: '#/components/responses/Unauthorized'").length - 1, 58);
  // What it leaves, and why.
  assert.match(r.err, /\n {2}ratelimit-policy-declared 1: its numbers \(100 requests per 1m\) would be a default, not stated in the spec/);
  assert.match(r.err, /\n {2}pagination-required 2: the spec does not say the operation takes paging parameters\n/);
  assert.match(r.err, /\n {2}cache-validator 27: the spec does not say the API sends ETag/);
});

test('--fix on a spec that is a symbolic link fixes the file it points to, and the link stays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  cpSync(join(fixtures, 'ratelimit-429-response'), dir, { recursive: true });
  symlinkSync('06-multifile.yaml', join(dir, 'api.yaml'));
  const r = run(dir, ['lint', 'api.yaml', '--fix', '--format', 'json']);
  assert.match(r.err, /^headroom: fixed \d+ findings? in api\.yaml \(.*\); wrote api\.yaml, 06-multifile\.paths\.part\.yaml\n/);
  assert.ok(lstatSync(join(dir, 'api.yaml')).isSymbolicLink(), 'still a link');
  assert.equal(readFileSync(join(dir, '06-multifile.yaml'), 'utf8'), readFileSync(join(fixtures, 'ratelimit-429-response', '06-multifile.fixed.yaml'), 'utf8'));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
});

test('--fix on one file $refed under two names (a link) writes nothing: the second write would undo the first', () =>
  inTempDir('headroom-cli-fix-', (dir) => {
    const spec = [
      'openapi: 3.0.3',
      "info: {title: t, version: '1'}",
      'x-gateway-rate-limit: {requests: 10, window: 1m}',
      'security: [{k: []}]',
      'components:',
      '  securitySchemes: {k: {type: apiKey, in: header, name: X-Key}}',
      '  responses:',
      '    TooMany:',
      '      description: too many',
      'paths:',
      '  /a:',
      '    post:',
      '      responses:',
      "        '201': {description: ok}",
      "        '401': {description: no}",
      "        '429': {$ref: 'b.yaml#/components/responses/TooMany'}",
      '',
    ].join('\n');
    for (const link of [(a: string, b: string) => symlinkSync(a, b), (a: string, b: string) => linkSync(a, b)]) {
      rmSync(join(dir, 'b.yaml'), { force: true });
      writeFileSync(join(dir, 'a.yaml'), spec);
      link(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
      const r = run(dir, ['lint', 'a.yaml', '--fix']);
      assert.match(r.err, /^headroom: nothing written: a\.yaml and b\.yaml are one file \(a link\), and fixes would edit it under both names; \$ref it by one name\n/);
      assert.equal(r.code, 1);
      assert.equal(readFileSync(join(dir, 'a.yaml'), 'utf8'), spec);
    }
  }));

test('--fix on a spec linted with its YAML aliases left out (a bomb) fixes nothing: a 401 merged in by `<<: *resp` would be overridden', () =>
  inTempDir('headroom-cli-fix-', (dir) => {
    const spec = [
      'openapi: 3.0.3',
      'info: {title: t, version: \'1\'}',
      'x-gateway-rate-limit: {requests: 10, window: 1m}',
      'security: [{k: []}]',
      'components: {securitySchemes: {k: {type: apiKey, in: header, name: X-Key}}}',
      'x-a: &a {d: 1, e: 2, f: 3, g: 4, h: 5, i: 6, j: 7, k: 8, l: 9, m: 10}',
      'x-b: &b {d: *a, e: *a, f: *a, g: *a, h: *a, i: *a, j: *a, k: *a, l: *a, m: *a}',
      'x-c: &c {d: *b, e: *b, f: *b, g: *b, h: *b, i: *b, j: *b, k: *b, l: *b, m: *b}',
      'x-d: &d {d: *c, e: *c, f: *c, g: *c, h: *c, i: *c, j: *c, k: *c, l: *c, m: *c}',
      'x-e: &e {d: *d, e: *d, f: *d, g: *d, h: *d, i: *d, j: *d, k: *d, l: *d, m: *d}',
      'x-f: &f {d: *e, e: *e, f: *e, g: *e, h: *e, i: *e, j: *e, k: *e, l: *e, m: *e}',
      'x-g: &g {d: *f, e: *f, f: *f, g: *f, h: *f, i: *f, j: *f, k: *f, l: *f, m: *f}',
      'x-resp: &resp {\'401\': {description: u}, \'429\': {description: t, headers: {Retry-After: {schema: {type: integer}}}}}',
      'paths:',
      '  /a:',
      '    post:',
      '      responses:',
      '        <<: *resp',
      '        \'201\': {description: ok, x-y: *g}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'bomb.yaml'), spec);
    const r = run(dir, ['lint', 'bomb.yaml', '--fix']);
    assert.equal(readFileSync(join(dir, 'bomb.yaml'), 'utf8'), spec);
    assert.doesNotMatch(r.err, /wrote/);
    assert.match(r.err, /\n {2}auth-401-response 1: bomb\.yaml does not parse cleanly \(line 7: YAML aliases here expand to more than 500,000 nodes \(a "billion laughs" pattern\)\), so the finding may not hold and a fix could land on the wrong node\n/);
  }));

test('--fix on a JSON spec with a duplicate key fixes nothing and writes nothing: the findings sit on the key the parser dropped', () =>
  inTempDir('headroom-cli-fix-', (dir) => {
    const spec = [
      '{',
      '  "openapi": "3.0.3",',
      '  "info": {"title": "t", "version": "1"},',
      '  "x-gateway-rate-limit": {"requests": 10, "window": "1m"},',
      '  "security": [{"k": []}],',
      '  "components": {"securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "X-Key"}}},',
      '  "paths": {',
      '    "/a": {"get": {"responses": {"200": {"description": "ok"}}}},',
      '    "/a": {"post": {"responses": {"201": {"description": "ok"}}}}',
      '  }',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'dup.json'), spec);
    const r = run(dir, ['lint', 'dup.json', '--fix']);
    assert.equal(readFileSync(join(dir, 'dup.json'), 'utf8'), spec);
    assert.doesNotMatch(r.err, /wrote|fixed 0/);
    assert.match(r.err, /\n {2}ratelimit-429-response 1: dup\.json does not parse cleanly \(line 9: [^)]*[Dd]uplicate[^)]*\), so the finding may not hold and a fix could land on the wrong node\n/);
  }));

/** Make `dir` refuse new files (chmod, or for root `chattr +i`); undefined when neither works here. */
function readOnly(dir: string): (() => void) | undefined {
  const writable = () => {
    try {
      writeFileSync(join(dir, '.probe'), '');
      rmSync(join(dir, '.probe'));
      return true;
    } catch {
      return false;
    }
  };
  chmodSync(dir, 0o555);
  if (!writable()) return () => chmodSync(dir, 0o755);
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
  } catch {
    /* no chattr, or a file system without it */
  }
  if (!writable()) return () => (execFileSync('chattr', ['-i', dir]), chmodSync(dir, 0o755));
  chmodSync(dir, 0o755);
  return undefined;
}

test('--fix that cannot write a file says so in one line and goes on: the spec is linted as it is', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  cpSync(join(fixtures, 'ratelimit-429-response'), dir, { recursive: true });
  const before = readFileSync(join(dir, '06-multifile.yaml'), 'utf8');
  const undo = readOnly(dir);
  if (!undo) return t.skip('this machine cannot make a folder read-only (chmod is ignored for this user, and chattr +i is refused)');
  try {
    const r = run(dir, ['lint', '06-multifile.yaml', '--fix', '--format', 'json']);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`^headroom: 06-multifile\\.yaml not written: permission denied in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
    assert.equal(readFileSync(join(dir, '06-multifile.yaml'), 'utf8'), before);
    assert.ok((JSON.parse(r.out) as { rule: string }[]).some((f) => f.rule === 'ratelimit-429-response'), 'the finding it could not fix is reported');
  } finally {
    undo();
  }
});

test('--fix never writes back a file holding bytes that are not UTF-8: they would become U+FFFD', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  cpSync(join(fixtures, 'ratelimit-429-response'), dir, { recursive: true });
  const spec = join(dir, '06-multifile.yaml');
  // A Latin-1 é in a comment, as an editor set to Latin-1 saves it.
  const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n'), readFileSync(spec)]);
  writeFileSync(spec, bytes);
  const r = run(dir, ['lint', '06-multifile.yaml', '--fix', '--format', 'json']);
  assert.match(r.err, /^headroom: 06-multifile\.yaml not written: it holds bytes that are not valid UTF-8, which writing it would replace; fix them first\nheadroom: 06-multifile\.paths\.part\.yaml not written either: the fixes span the files\n/);
  assert.deepEqual(readFileSync(spec), bytes, 'the spec is as it was');
  const part = '06-multifile.paths.part.yaml';
  assert.equal(readFileSync(join(dir, part), 'utf8'), readFileSync(join(fixtures, 'ratelimit-429-response', part), 'utf8'), 'and so is the file it $refs');
  // Only warnings are left, yet the run fails: what --fix was asked to write was not written.
  const ruleset = join(__dirname, '..', 'fixtures', 'cli', 'only-429.spectral.json');
  const warnings = run(dir, ['lint', '06-multifile.yaml', '--fix', '--ruleset', ruleset, '--format', 'json']);
  assert.match(warnings.err, /^headroom: 06-multifile\.yaml not written: /);
  assert.ok((JSON.parse(warnings.out) as { severity: string }[]).every((f) => f.severity !== 'error'), warnings.out);
  assert.equal(warnings.code, 1);
});

test('--fix never edits a node a YAML anchor shares: each alias of it would change too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  // /b is public and unlimited; a 401 or a 429 added to /a's anchored responses would be /b's too.
  const text = [
    'openapi: 3.0.3',
    'info: {title: T, version: "1"}',
    'servers: [{url: "https://api.example.com"}]',
    'components:',
    '  securitySchemes:',
    '    k: {type: apiKey, in: header, name: X-Key}',
    'paths:',
    '  /a:',
    '    get:',
    '      x-gateway-rate-limit: {requests: 5, window: 1m}',
    '      security: [{k: []}]',
    '      responses: &shared',
    '        "200": {description: ok}',
    '  /b:',
    '    get:',
    '      security: []',
    '      x-gateway-rate-limit: false',
    '      x-lint-ignore: [ratelimit-429-response, ratelimit-headers, ratelimit-policy-declared]',
    '      responses: *shared',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'api.yaml'), text);
  const r = run(dir, ['lint', 'api.yaml', '--fix', '--format', 'json']);
  assert.equal(readFileSync(join(dir, 'api.yaml'), 'utf8'), text, 'nothing written, not even a shared component');
  const why = 'the node is shared through the YAML anchor &shared: an edit would change each *shared too';
  assert.equal(
    r.err,
    [
      'headroom: could not fix 3 findings in api.yaml:',
      `  auth-401-response 1: ${why}`,
      `  ratelimit-429-response 1: ${why}`,
      `  ratelimit-headers 1: ${why}`,
      '',
    ].join('\n'),
  );
});

test('--fix accounts for every finding it leaves: an alias of shared responses, a file with a second YAML document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  const head = ['openapi: 3.1.0', "info: {title: t, version: '1'}", "servers: [{url: 'https://api.example.com'}]", 'x-gateway-rate-limit: {requests: 10, window: 1m}', 'security: [{k: []}]'];
  const schemes = ['components:', '  securitySchemes:', '    k: {type: apiKey, in: header, name: X-Key}'];
  const alias = [
    ...head,
    'x-common: &common',
    "  '200':",
    '    description: ok',
    '    headers:',
    '      RateLimit: {schema: {type: string}}',
    '      RateLimit-Policy: {schema: {type: string}}',
    'paths:',
    '  /a:',
    '    post:',
    '      responses: *common',
    '  /b:',
    '    post:',
    '      responses: *common',
    ...schemes,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'alias.yaml'), alias);
  const why = 'the node is the YAML alias *common: an edit would belong in &common and change each *common';
  assert.equal(
    run(dir, ['lint', 'alias.yaml', '--fix', '--format', 'json']).err,
    ['headroom: could not fix 4 findings in alias.yaml:', `  auth-401-response 2: ${why}`, `  ratelimit-429-response 2: ${why}`, ''].join('\n'),
  );
  assert.equal(readFileSync(join(dir, 'alias.yaml'), 'utf8'), alias);
  const twoDocs = [...head, 'paths:', '  /a:', '    post:', '      responses:', "        '201': {description: created}", ...schemes, '---', 'foo: bar', ''].join('\n');
  writeFileSync(join(dir, 'two.yaml'), twoDocs);
  const unclean =
    'two.yaml does not parse cleanly (line 14: A second YAML document starts here: a spec is one document, and only the first is read. Move the rest into the first, or into its own file), so the finding may not hold and a fix could land on the wrong node';
  assert.equal(
    run(dir, ['lint', 'two.yaml', '--fix', '--format', 'json']).err,
    [
      'headroom: could not fix 3 findings in two.yaml:',
      `  auth-401-response 1: ${unclean}`,
      `  ratelimit-429-response 1: ${unclean}`,
      `  ratelimit-headers 1: ${unclean}`,
      "headroom: 1 finding has no quick fix in two.yaml (each rule's doc says what to write): parse 1",
      '',
    ].join('\n'),
  );
  assert.equal(readFileSync(join(dir, 'two.yaml'), 'utf8'), twoDocs);
});

test('without --fix nothing is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  cpSync(join(fixtures, 'ratelimit-429-response'), dir, { recursive: true });
  const before = readFileSync(join(dir, '01-creates-shared-response.yaml'), 'utf8');
  run(dir, ['lint', '01-creates-shared-response.yaml']);
  assert.equal(readFileSync(join(dir, '01-creates-shared-response.yaml'), 'utf8'), before);
});
