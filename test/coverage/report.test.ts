/**
 * `headroom report` through the built CLI: golden JSON reports (test/fixtures/coverage/<case>/
 * report.json; HEADROOM_UPDATE_GOLDEN=1 rewrites them), the model's promise that an operation's
 * `failing` is exactly the rules of the findings on it, and the command's errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { CoverageReport } from '../../src/shared/coverage';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const FIXTURES = join(root, 'test', 'fixtures', 'coverage');
const UPDATE = process.env.HEADROOM_UPDATE_GOLDEN === '1';
const cases = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'spec.yaml'))).sort();

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The report without Headroom's version (it changes with every release, not with the spec). */
function portable(text: string): CoverageReport {
  const report = JSON.parse(text) as CoverageReport;
  report.tool.version = '<version>';
  // Rule docs are linked where Headroom is installed: keep only what follows the docs folder.
  for (const r of report.rules) if (r.doc) r.doc = r.doc.replace(/^file:\/\/.*\/rules\/docs\//, '<docs>/');
  return report;
}

test('golden cases exist', () => assert.ok(cases.length >= 2, cases.join(', ')));

for (const name of cases) {
  const dir = join(FIXTURES, name);
  test(`report ${name}: JSON equals report.json`, () => {
    const r = run(['report', 'spec.yaml', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.err);
    const actual = portable(r.out);
    const file = join(dir, 'report.json');
    if (UPDATE) writeFileSync(file, JSON.stringify(actual, null, 2) + '\n');
    assert.ok(existsSync(file), `missing ${relative(root, file)} (run with HEADROOM_UPDATE_GOLDEN=1 to create it)`);
    assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));
  });

  test(`report ${name}: failing is exactly the rules of the findings on each operation, and every finding is somewhere`, () => {
    const report = portable(run(['report', 'spec.yaml', '-f', 'json'], dir).out);
    const lint = JSON.parse(run(['lint', 'spec.yaml', '-f', 'json'], dir).out) as { file: string; rule: string; path: string[]; message: string }[];
    const placed = new Set<string>();
    for (const op of report.operations) {
      assert.deepEqual(op.failing, [...new Set(op.findings.map((f) => f.rule))].sort(), `${op.method} ${op.path}`);
      for (const [id, cell] of Object.entries(op.concerns)) {
        const concern = report.concerns.find((c) => c.id === id)!;
        assert.deepEqual(cell.failing, op.failing.filter((r) => concern.rules.includes(r)));
        assert.equal(cell.status === 'fail', cell.failing.length > 0);
      }
      for (const f of op.findings) placed.add(JSON.stringify([f.file, f.rule, f.path, f.message]));
    }
    for (const f of report.documentFindings) placed.add(JSON.stringify([f.file, f.rule, f.path, f.message]));
    assert.equal(report.findingCount, lint.length);
    for (const f of lint) assert.ok(placed.has(JSON.stringify([relative(dir, f.file), f.rule, f.path.map(String), f.message])), `${f.rule} at ${f.path.join('.')} is on no operation and not a document finding`);
    for (const c of report.concerns) {
      const applicable = c.pass + c.fail;
      assert.equal(c.pass + c.fail + c.notApplicable, report.operations.length);
      assert.equal(c.score, applicable === 0 ? null : Math.round((100 * c.pass) / applicable));
    }
  });
}

test('a shared component finding counts for the operations its concern applies to', () => {
  const report = portable(run(['report', 'spec.yaml', '-f', 'json'], join(FIXTURES, '02-shared-and-files')).out);
  const op = (method: string, path: string) => report.operations.find((o) => o.method === method && o.path === path)!;
  // ItemList (no Cache-Control) is the 200 of GET and POST /items: a caching failure of the GET only.
  assert.deepEqual(op('get', '/items').concerns.caching.failing, ['cache-control-header', 'cache-validator']);
  assert.deepEqual(op('post', '/items').concerns.caching, { status: 'n/a', failing: [] });
  // …and a rate-limit failure (missing headers) of both.
  assert.ok(op('post', '/items').failing.includes('ratelimit-headers'));
  // An operation written in another file is located there.
  assert.deepEqual([op('delete', '/orders').file, op('delete', '/orders').range.start], ['paths/orders.yaml', { line: 26, character: 0 }]);
  assert.deepEqual(op('get', '/health').concerns.auth, { status: 'n/a', failing: [] });
  assert.deepEqual(op('options', '/items').concerns.auth, { status: 'n/a', failing: [] });
});

test('HTML by default, JSON for a -o FILE.json, --fail-under gates on the score', () => {
  const out = mkdtempSync(join(tmpdir(), 'headroom-report-'));
  try {
    const dir = join(FIXTURES, '01-petstore');
    let r = run(['report', 'spec.yaml', '-o', join(out, 'r.html')], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(join(out, 'r.html'), 'utf8'), /^<!doctype html>/);
    assert.equal(r.err, `headroom: score 33 (3 operations, 10 findings); wrote ${join(out, 'r.html')}\n`);
    r = run(['report', 'spec.yaml', '-o', join(out, 'r.json')], dir);
    assert.equal(portable(readFileSync(join(out, 'r.json'), 'utf8')).score, 33);
    r = run(['report', 'spec.yaml', '-f', 'json', '--fail-under', '34'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'headroom: score 33 is below --fail-under 34\n');
    assert.equal(run(['report', 'spec.yaml', '-f', 'json', '--fail-under', '33'], dir).code, 0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('--fail-under fails a spec not read whole (a syntax error, a dangling $ref); a spec without operations passes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-report-'));
  try {
    writeFileSync(join(dir, 'broken.yaml'), 'openapi: 3.0.3\ninfo: {title: t, version: "1"\npaths: {}\n');
    writeFileSync(join(dir, 'dangling.yaml'), "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets: {$ref: ./pets.yaml}\n");
    writeFileSync(join(dir, 'empty.yaml'), "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
    let r = run(['report', 'broken.yaml', '-f', 'json', '--fail-under', '90'], dir);
    assert.deepEqual([r.code, r.err], [1, 'headroom: no score for broken.yaml: 2 errors (syntax or $ref) keep part of it from being read, so --fail-under 90 fails\n']);
    r = run(['report', 'dangling.yaml', '-f', 'json', '--fail-under', '90'], dir);
    assert.deepEqual([r.code, r.err], [1, 'headroom: no score for dangling.yaml: an error (syntax or $ref) keeps part of it from being read, so --fail-under 90 fails\n']);
    // One path item read, one left in a missing file: the score counts only what was read.
    writeFileSync(join(dir, 'partial.yaml'), "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-gateway-rate-limit: false\nsecurity: []\npaths:\n  /pets: {$ref: ./pets.yaml}\n  /ok:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n");
    r = run(['report', 'partial.yaml', '-f', 'json', '--fail-under', '10'], dir);
    assert.deepEqual([r.code, r.err], [1, 'headroom: no score for partial.yaml: an error (syntax or $ref) keeps part of it from being read, so --fail-under 10 fails\n']);
    r = run(['report', 'empty.yaml', '-f', 'json', '--fail-under', '90'], dir);
    assert.deepEqual([r.code, r.err, portable(r.out).score], [0, '', null]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a finding on the document as a whole fails every operation it counts; one on a security scheme, those requiring it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-report-'));
  const ops = "paths:\n  /pets:\n    get:\n      responses: {'200': {description: ok}}\n    delete:\n      responses: {'204': {description: gone}}\n  /health:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n";
  try {
    // Nothing requires credentials: "No operation declares a security requirement" (at `paths`) fails
    // the auth of both /pets operations, not of /health, marked public.
    writeFileSync(join(dir, 'unsecured.yaml'), `openapi: 3.0.3\ninfo: {title: t, version: '1'}\n${ops}components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n`);
    let report = portable(run(['report', 'unsecured.yaml', '-f', 'json'], dir).out);
    assert.deepEqual(report.operations.map((o) => [o.method, o.path, o.concerns.auth.status, o.concerns.rateLimit.failing.includes('ratelimit-policy-declared')]), [
      ['get', '/pets', 'fail', true],
      ['delete', '/pets', 'fail', true],
      ['get', '/health', 'n/a', true],
    ]);
    assert.deepEqual(report.documentFindings.map((f) => f.rule), []);
    // The key sent in the query (a finding on the scheme) fails the operations requiring it.
    writeFileSync(join(dir, 'query-key.yaml'), `openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{key: []}]\n${ops}components:\n  securitySchemes:\n    key: {type: apiKey, in: query, name: key}\n`);
    report = portable(run(['report', 'query-key.yaml', '-f', 'json'], dir).out);
    assert.deepEqual(report.operations.map((o) => [o.method, o.path, o.concerns.auth.failing.includes('auth-no-credentials-in-query')]), [
      ['get', '/pets', true],
      ['delete', '/pets', true],
      ['get', '/health', false],
    ]);
    assert.equal(report.concerns.find((c) => c.id === 'auth')!.pass, 0);
    // The same scheme written in another file the root's scheme `$ref`s.
    writeFileSync(join(dir, 'schemes.yaml'), 'key: {type: apiKey, in: query, name: key}\n');
    writeFileSync(join(dir, 'ref-key.yaml'), `openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{key: []}]\n${ops}components:\n  securitySchemes:\n    key: {$ref: 'schemes.yaml#/key'}\n`);
    report = portable(run(['report', 'ref-key.yaml', '-f', 'json'], dir).out);
    assert.deepEqual(report.operations.map((o) => o.concerns.auth.failing.includes('auth-no-credentials-in-query')), [true, true, false]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report errors: one line, exit 2', () => {
  const dir = join(FIXTURES, '01-petstore');
  for (const [args, message] of [
    [['report'], /^headroom: no spec given\n/],
    [['report', 'a.yaml', 'b.yaml'], /^headroom: report takes one spec\n/],
    [['report', 'spec.yaml', '-f', 'xml'], /^headroom: unknown --format "xml" \(html or json\)\n/],
    [['report', 'spec.yaml', '--fail-under', 'lots'], /^headroom: --fail-under takes a score from 0 to 100, not "lots"\n/],
    [['report', 'missing.yaml'], /^headroom: file not found: .*missing\.yaml\n$/],
    [['report', 'spec.yaml', '-o', join(dir, 'no', 'such', 'dir', 'r.html')], /^headroom: cannot write .*r\.html: .*\n$/],
  ] as const) {
    const r = run([...args], dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.equal(r.out, '');
  }
});

test('a file that is not OpenAPI: a warning and a report without operations', () => {
  const r = run(['report', 'not-openapi.yaml', '-f', 'json'], join(root, 'test', 'fixtures', 'engine'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /not an OpenAPI 2\.0 or 3\.x document; the report has no operations/);
  const report = portable(r.out);
  assert.deepEqual([report.score, report.operations], [null, []]);
});
