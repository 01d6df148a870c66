/** The language server's `headroom/export` request: unsaved text counts; errors come back, never thrown. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { URI } from 'vscode-uri';
import { FileSource } from '../../src/openapi/files';
import { handleExport } from '../../src/server/export';
import { cliPolicy } from '../../src/openapi/policy';

const spec = join(__dirname, '..', 'fixtures', 'export', '01-one-server', 'spec.yaml');
const uri = URI.file(spec).toString();

test('exports the open buffer, not the file on disk', async () => {
  const files = new FileSource();
  files.setOverlay(spec, 'openapi: 3.0.3\ninfo: {title: Unsaved, version: "2"}\nservers: [{url: "http://127.0.0.1:18081"}]\npaths:\n  /x:\n    get:\n      x-gateway-rate-limit: {requests: 7, window: 1s}\n      responses: {"200": {description: ok}}\n');
  const reply = await handleExport({ uri, target: 'nginx', listen: '127.0.0.1:8080' }, files, cliPolicy);
  assert.equal(reply.ok, true);
  assert.equal(reply.fileName, 'spec.nginx.conf');
  assert.match(reply.text!, /"Unsaved" 2/);
  assert.match(reply.text!, /rate=7r\/s/);
});

test('annotation errors come back as findings with file and range; nothing to save', async () => {
  const files = new FileSource();
  files.setOverlay(spec, 'openapi: 3.0.3\ninfo: {title: Bad, version: "1"}\npaths:\n  /x:\n    get:\n      x-gateway-rate-limit: {requests: 0, window: 1s}\n      responses: {"200": {description: ok}}\n');
  const reply = await handleExport({ uri, target: 'kong', listen: '127.0.0.1:8080' }, files, cliPolicy);
  assert.equal(reply.ok, false);
  assert.equal(reply.text, undefined);
  assert.deepEqual(
    reply.findings.map((f) => [f.file, f.rule, f.range.start.line, f.message]),
    [[spec, 'ratelimit-policy-valid', 5, 'requests 0 must be a positive integer up to 4294967295.']],
  );
});

test('an unreadable file or a bad listen address is an error message, not a crash', async () => {
  const missing = await handleExport({ uri: URI.file('/nonexistent/spec.yaml').toString(), target: 'kong', listen: '127.0.0.1:8080' }, new FileSource(), cliPolicy);
  assert.equal(missing.ok, false);
  assert.match(missing.error!, /file not found/);
  const listen = await handleExport({ uri, target: 'haproxy', listen: 'nowhere' }, new FileSource(), cliPolicy);
  assert.match(listen.error!, /invalid listen address "nowhere"/);
});

test('what the lint lists is not listed again; the open warnings of every exported file, $ref\'d ones too, come back', async () => {
  const files = new FileSource();
  files.setOverlay(spec, 'openapi: 3.0.3\ninfo: {title: Bad, version: "1"}\npaths:\n  /x:\n    get:\n      x-gateway-rate-limit: {requests: 0, window: 1s}\n      x-gateway-cache: {ttl: soon}\n      responses: {"200": {description: ok}}\n');
  const first = await handleExport({ uri, target: 'kong', listen: '127.0.0.1:8080' }, files, cliPolicy);
  assert.deepEqual(first.findings.map((f) => f.rule), ['ratelimit-policy-valid', 'gateway-annotation-valid']);
  // The lint lists the first (same rule, range, message), not the second (say, its rule is off).
  const listed = { ...first.findings[0] };
  const reply = await handleExport({ uri, target: 'kong', listen: '127.0.0.1:8080' }, files, cliPolicy, {
    settled: async () => {},
    diagnosticsOf: (file) => (file === spec ? [listed] : []),
  });
  assert.equal(reply.stopped, 'the spec has 2 errors in its gateway annotations');
  assert.deepEqual(reply.unlisted.map((f) => f.rule), ['gateway-annotation-valid']);
  // Moved by a line, the lint's finding is another one: listed by the export too.
  const moved = await handleExport({ uri, target: 'kong', listen: '127.0.0.1:8080' }, files, cliPolicy, {
    settled: async () => {},
    diagnosticsOf: () => [{ ...listed, range: { start: { ...listed.range.start, line: 4 }, end: { ...listed.range.end, line: 4 } } }],
  });
  assert.deepEqual(moved.unlisted.map((f) => f.rule), ['ratelimit-policy-valid', 'gateway-annotation-valid']);

  const root = join(__dirname, '..', 'fixtures', 'export', '19-refs-into-other-files', 'spec.yaml');
  const at = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };
  const lint = (file: string, rule: string, severity: 'warn' | 'info') => ({ file, rule, severity, message: rule, path: [], range: at });
  const seen: string[] = [];
  const refs = await handleExport({ uri: URI.file(root).toString(), target: 'nginx', listen: '127.0.0.1:8080' }, new FileSource(), cliPolicy, {
    settled: async (u) => void seen.push(u),
    diagnosticsOf: (file) =>
      file === root
        ? [lint(file, 'ratelimit-policy-consistent', 'warn'), lint(file, 'ratelimit-429-response', 'warn')]
        : [lint(file, 'cache-shared-authenticated', 'warn'), lint(file, 'ratelimit-policy-declared', 'info')],
  });
  assert.equal(refs.ok, true);
  assert.ok(refs.files.length > 1 && refs.files[0] === root, `the files read: ${refs.files}`);
  assert.deepEqual(seen, [URI.file(root).toString()], 'the export did not wait for the pending lint');
  assert.deepEqual(
    refs.warnings.map((w) => [w.file === root ? 'root' : 'ref', w.rule]),
    [['root', 'ratelimit-policy-consistent'], ...refs.files.slice(1).map(() => ['ref', 'cache-shared-authenticated'])],
  );
});
