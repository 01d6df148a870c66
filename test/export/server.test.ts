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
    [[spec, 'ratelimit-policy-valid', 5, 'requests 0 must be a positive integer.']],
  );
});

test('an unreadable file or a bad listen address is an error message, not a crash', async () => {
  const missing = await handleExport({ uri: URI.file('/nonexistent/spec.yaml').toString(), target: 'kong', listen: '127.0.0.1:8080' }, new FileSource(), cliPolicy);
  assert.equal(missing.ok, false);
  assert.match(missing.error!, /file not found/);
  const listen = await handleExport({ uri, target: 'haproxy', listen: 'nowhere' }, new FileSource(), cliPolicy);
  assert.match(listen.error!, /invalid listen address "nowhere"/);
});
