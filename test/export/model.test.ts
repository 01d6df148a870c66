/** The pure pieces of the export: path regexes and order, lenient rate-limit shapes. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultFileName, exportPolicy, type ExportResult } from '../../src/export/index';
import type { TargetName } from '../../src/export/text';
import { envoyGatewayProblems } from './helpers';
import { canonicalDuration, readLenientRateLimit } from '../../src/export/lenient';
import { compareRoutes, pathRegex, type Route } from '../../src/export/model';
import { parseListen } from '../../src/export/text';

test('path templates become exact regexes with named captures; literal characters are escaped', () => {
  assert.deepEqual(pathRegex('/users/{id}/posts'), { regex: '^/users/(?<id>[^/]+)/posts$', plain: false, specificity: 2 * 9 + 0 * 3 + 2 });
  assert.equal(pathRegex('/files/{name}.json').regex, '^/files/(?<name>[^/]+)\\.json$');
  assert.equal(pathRegex('/v1.0/status').plain, true);
  assert.equal(pathRegex('/a/{user-id}/{1st}/{user_id}').regex, '^/a/(?<user_id>[^/]+)/(?<_1st>[^/]+)/(?<user_id2>[^/]+)$');
  const re = new RegExp(pathRegex('/files/{name}.json').regex);
  assert.ok(re.test('/files/report.json'));
  assert.ok(!re.test('/files/reportxjson'));
  assert.ok(!re.test('/files/a/b.json'));
});

test('routes are ordered most specific first: a plain segment wins over a parameter', () => {
  const route = (publicPath: string, method = 'GET') => ({ publicPath, method }) as Route;
  const sorted = [route('/users/{id}'), route('/users/{id}/{section}'), route('/users/me'), route('/users/{id}/posts'), route('/users/me', 'DELETE')]
    .sort(compareRoutes)
    .map((r) => `${r.method} ${r.publicPath}`);
  assert.deepEqual(sorted, ['GET /users/me', 'DELETE /users/me', 'GET /users/{id}/posts', 'GET /users/{id}/{section}', 'GET /users/{id}']);
  assert.ok(pathRegex('/users/me').specificity > pathRegex('/users/{id}').specificity);
});

test('lenient rate-limit shapes found in real specs are normalised', () => {
  assert.deepEqual(readLenientRateLimit('120/min'), { requests: 120, window: '1m' });
  assert.deepEqual(readLenientRateLimit('100 per minute'), { requests: 100, window: '1m' });
  assert.deepEqual(readLenientRateLimit('1000/day'), { requests: 1000, window: '1d' });
  assert.deepEqual(readLenientRateLimit({ limit: 100, window: '60s' }), { requests: 100, window: '1m' });
  assert.deepEqual(readLenientRateLimit({ requests: 3, period: 60, key: 'ip' }), { requests: 3, window: '1m', key: 'ip' });
  assert.deepEqual(readLenientRateLimit({ max: 10, window: 90 }), { requests: 10, window: '90s' });
  assert.deepEqual(readLenientRateLimit({ enabled: true, events: 1000, window: '1h' }), { requests: 1000, window: '1h' });
  assert.equal(readLenientRateLimit({ enabled: false, events: 1000, window: '1h' }), false);
  assert.deepEqual(readLenientRateLimit([{ limit: 5, window: 1 }, '100/hour']), [
    { requests: 5, window: '1s' },
    { requests: 100, window: '1h' },
  ]);
  assert.equal(readLenientRateLimit({ tier: 'gold' }), undefined);
  assert.equal(readLenientRateLimit('fast'), undefined);
  assert.equal(readLenientRateLimit({ limit: 0, window: 60 }), undefined);
  assert.equal(canonicalDuration(7200), '2h');
  assert.equal(canonicalDuration(61), '61s');
});

test('listen addresses', () => {
  assert.deepEqual(parseListen('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseListen('[::1]:80'), { host: '[::1]', port: 80 });
  assert.equal(parseListen('localhost'), undefined);
  assert.equal(parseListen('0.0.0.0:70000'), undefined);
});

test('src/export is plain Node: it never imports vscode', () => {
  const dir = join(__dirname, '..', '..', 'src', 'export');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    assert.doesNotMatch(readFileSync(join(dir, name), 'utf8'), /from ['"]vscode['"]|require\(['"]vscode['"]\)/, name);
  }
});

/** Exports a spec of these YAML lines (in a folder removed afterwards); a plain GET /a with no policy ends it. */
async function exportLines(lines: string[], target: TargetName): Promise<ExportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-model-'));
  try {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, [...lines, 'paths:', '  /a:', '    get: {security: [], x-gateway-rate-limit: false, responses: {"200": {description: ok}}}', ''].join('\n'));
    return await exportPolicy(spec, { target });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('server URLs the export cannot use are skipped with a warning that says why: never an exception', async () => {
  const result = await exportLines(
    [
      'openapi: 3.0.3',
      'info: {title: Servers, version: "1"}',
      'servers: [{url: "http://127.0.0.1:18081/%E0%A4%A"}, {url: "ftp://example.com"}, {url: "http://[::1"}, {url: "http://127.0.0.1:18082/v1"}]',
    ],
    'nginx',
  );
  assert.equal(result.ok, true);
  assert.deepEqual(
    result.findings.map((f) => [f.range.start.line, f.range.start.character, f.message]),
    [
      [2, 16, 'Server URL "http://127.0.0.1:18081/%E0%A4%A" has a path with a broken percent-encoding; it is ignored.'],
      [2, 58, 'Server URL "ftp://example.com" is not http or https (ftp); it is ignored.'],
      [2, 86, 'Server URL "http://[::1" is not a valid URL; it is ignored.'],
    ],
  );
  assert.match(result.text ?? '', /server 127\.0\.0\.1:18082 /);
});

test('an upstream target whose path (ignored) has a broken percent-encoding still names its host: never an exception', async () => {
  for (const target of ['nginx', 'haproxy'] as const) {
    const result = await exportLines(['openapi: 3.0.3', 'info: {title: Upstream, version: "1"}', 'x-gateway-upstream: {targets: [{url: "http://127.0.0.1:18083/%E0%A4%A"}]}'], target);
    assert.equal(result.ok, true, target);
    assert.deepEqual(
      result.findings.map((f) => f.message),
      ['The path of upstream target "http://127.0.0.1:18083/%E0%A4%A" is ignored: requests are forwarded with the path the client called.'],
    );
    assert.match(result.text ?? '', /server (\S+ )?127\.0\.0\.1:18083( |;|$)/m, target);
  }
});

test('a server whose host keeps a variable without a value is skipped with a warning: Envoy Gateway refuses such a host', async () => {
  const result = await exportLines(
    [
      'openapi: 3.0.3',
      'info: {title: Hosts, version: "1"}',
      'servers:',
      '  - url: https://api.example.com',
      '  - url: https://{accountName}.example.com',
      '    variables: {accountName: {default: "{accountName}"}}',
    ],
    'envoy-gateway',
  );
  assert.equal(result.ok, true);
  assert.deepEqual(
    result.findings.map((f) => [f.range.start.line, f.range.start.character, f.message]),
    [[4, 9, 'Server URL "https://{accountName}.example.com" has no usable host ("{accountname}.example.com" is not a host name or an IP address); it is ignored.']],
  );
  assert.deepEqual(envoyGatewayProblems(result.text ?? ''), []);
});
