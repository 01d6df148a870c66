/**
 * Export costs what lint costs: the built CLI exports a clean spec parsing it as the lint's lean
 * engine does (no Spectral bundle loaded, each file read once); only a file the lean parser cannot
 * take cleanly (here a duplicate key) brings in Spectral's full parser, which says what is wrong.
 * Structural, not timed: `npm run bench` times export beside lint.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(__dirname, '..', 'fixtures', 'export');
const work = mkdtempSync(join(tmpdir(), 'headroom-parse-once-'));
after(() => rmSync(work, { recursive: true, force: true }));

function exportSpied(spec: string, target: string): { code: number | null; loaded: string[]; reads: Record<string, number>; err: string } {
  const r = spawnSync(process.execPath, ['--require', join(__dirname, 'spy-modules.cjs'), cli, 'export', spec, '--target', target], { encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('SPY '));
  assert.ok(line, r.stderr);
  return { code: r.status, err: r.stderr, ...JSON.parse(line.slice(4)) };
}

for (const target of ['kong', 'nginx', 'haproxy', 'envoy-gateway']) {
  test(`${target}: a YAML spec with $refs into other files is exported without Spectral, each file read once`, () => {
    const spec = join(fixtures, '19-refs-into-other-files', 'spec.yaml');
    const r = exportSpied(spec, target);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.loaded, []);
    assert.ok(Object.keys(r.reads).length >= 2, JSON.stringify(r.reads));
    for (const [file, n] of Object.entries(r.reads)) assert.equal(n, 1, `${file} read ${n} times`);
  });
}

test('a JSON spec with findings is exported without Spectral, the findings located', () => {
  const doc = { openapi: '3.0.3', info: { title: 'J', version: '1' }, 'x-rate-limit': '100/min', servers: [{ url: 'https://api.example.com' }], paths: { '/a': { get: { responses: { 200: { description: 'ok' } } } } } };
  const spec = join(work, 'j.json');
  writeFileSync(spec, JSON.stringify(doc, null, 2));
  const r = exportSpied(spec, 'kong');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.loaded, []);
  assert.match(r.err, /j\.json:7:19 info export x-rate-limit read as x-gateway-rate-limit/);
});

test('a duplicate key needs the full parser: Spectral is loaded and the export stops saying why', () => {
  const spec = join(work, 'dup.yaml');
  writeFileSync(spec, readFileSync(join(fixtures, '01-one-server', 'spec.yaml'), 'utf8').replace(/^info:/m, 'openapi: 3.0.3\ninfo:'));
  const r = exportSpied(spec, 'kong');
  assert.deepEqual(r.loaded, ['spectral-vendor']);
  assert.equal(r.code, 1);
  assert.match(r.err, /dup\.yaml:\d+:\d+ error parse .*[Dd]uplicate/);
});

test('the lint of what the export ships reads and parses the same files: each still read once, its warning named in the $refed file', () => {
  const dir = join(work, 'ships');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'spec.yaml'),
    "openapi: 3.0.3\ninfo: {title: S, version: '1'}\nservers: [{url: 'http://127.0.0.1:18081'}]\nx-gateway-rate-limit: false\n" +
      'components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-API-Key}\nsecurity: [{key: []}]\n' +
      "paths:\n  /me:\n    $ref: './me.yaml'\n",
  );
  writeFileSync(join(dir, 'me.yaml'), "get:\n  x-gateway-cache: {ttl: 60s}\n  responses: {'200': {description: ok}, '401': {description: no}}\n");
  const r = exportSpied(join(dir, 'spec.yaml'), 'nginx');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.loaded, []);
  assert.deepEqual(Object.values(r.reads), [1, 1]);
  assert.match(r.err, /\n {2}[^\n]*me\.yaml:2:3 warning cache-shared-authenticated x-gateway-cache serves one caller's cached response of authenticated GET \/me to others/);
});
