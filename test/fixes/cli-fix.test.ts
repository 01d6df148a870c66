/** `headroom lint --fix` as CI runs it: the built CLI in a child process, on copies of fixture files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
const fixtures = join(__dirname, 'fixtures');

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--fix writes the fixed spec and the $ref-ed file, reports what it fixed, then lints the result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  cpSync(join(fixtures, 'ratelimit-429-response'), dir, { recursive: true });
  const r = run(dir, ['lint', '06-multifile.yaml', '--fix', '--format', 'json']);
  assert.equal(r.code, 1, 'the auth errors no fix can decide are left');
  assert.match(r.err, /^headroom: fixed \d+ findings? in 06-multifile\.yaml \(.*ratelimit-429-response 1.*\); wrote 06-multifile\.yaml, 06-multifile\.paths\.part\.yaml\n$/);
  assert.equal(readFileSync(join(dir, '06-multifile.yaml'), 'utf8'), readFileSync(join(fixtures, 'ratelimit-429-response', '06-multifile.fixed.yaml'), 'utf8'));
  assert.equal(
    readFileSync(join(dir, '06-multifile.paths.part.yaml'), 'utf8'),
    readFileSync(join(fixtures, 'ratelimit-429-response', '06-multifile.paths.part.fixed.yaml'), 'utf8'),
  );
  const left = JSON.parse(r.out) as { rule: string }[];
  assert.deepEqual(left.filter((f) => f.rule.startsWith('ratelimit-')), []);

  // A second run finds nothing left to fix and writes nothing.
  const again = run(dir, ['lint', '06-multifile.yaml', '--fix', '--format', 'json']);
  assert.equal(again.err, '');
  assert.equal(readFileSync(join(dir, '06-multifile.yaml'), 'utf8'), readFileSync(join(fixtures, 'ratelimit-429-response', '06-multifile.fixed.yaml'), 'utf8'));
});

test('--fix runs to a fixpoint: what one fix makes necessary is fixed too, and the output lists only what is left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  const spec = join(dir, 'api.yaml');
  writeFileSync(
    spec,
    ['openapi: 3.0.3', 'info:', '  title: Pets', "  version: '1'", 'paths:', '  /pets/{id}:', '    get:', '      parameters:', '        - {name: id, in: path, required: true, schema: {type: string}}', '      responses:', "        '200':", '          description: The pet', '          content:', '            application/json:', '              schema: {type: object}', ''].join('\n'),
  );
  const r = run(dir, ['lint', 'api.yaml', '--fix', '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const left = (JSON.parse(r.out) as { rule: string }[]).map((f) => f.rule).sort();
  // Only what no fix can decide is left: which credentials the API takes.
  assert.deepEqual([...new Set(left)], ['auth-operation-secured', 'auth-schemes-defined']);
  assert.match(readFileSync(spec, 'utf8'), /x-gateway-rate-limit:\n {2}requests: 100\n {2}window: 1m\npaths:/);
});

test('without --fix nothing is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-fix-'));
  cpSync(join(fixtures, 'ratelimit-429-response'), dir, { recursive: true });
  const before = readFileSync(join(dir, '01-creates-shared-response.yaml'), 'utf8');
  run(dir, ['lint', '01-creates-shared-response.yaml']);
  assert.equal(readFileSync(join(dir, '01-creates-shared-response.yaml'), 'utf8'), before);
});
