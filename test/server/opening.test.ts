/**
 * A spec whose tab opened before its text came (VS Code loads a 13 MB file for seconds before
 * the extension host, and so the server, gets it), through the built server: the client's
 * `headroom/tabs` gets the file linted from disk meanwhile; the didOpen of that same text lints
 * nothing more; a different text (unsaved edits restored) or a change on disk is linted; a tab
 * closed before its text came leaves no findings behind; a file that is no spec is not linted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { initialize, startServer } from '../helpers/server';

interface Diagnostic {
  code: string;
  severity: number;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const SPEC = `openapi: 3.0.3
info: {title: Orders, version: '1'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /orders/{id}:
    get:
      responses:
        '200':
          description: An order.
        '401':
          description: No key.
        '403':
          description: Not yours.
`;
/** What the CLI finds in SPEC: `rule line:col` (0-based, as LSP ranges start). */
const FINDINGS = ['ratelimit-429-response 9:6', 'ratelimit-headers 10:8', 'ratelimit-policy-declared 6:0'];
/** SPEC with a 429 (and its Retry-After): no ratelimit-429-response, but the 429 has no rate-limit headers. */
const WITH_429 = SPEC.replace("        '200':", "        '429':\n          description: Slow down.\n          headers:\n            Retry-After: {schema: {type: integer}}\n        '200':");
const FINDINGS_WITH_429 = ['ratelimit-headers 12:10', 'ratelimit-headers 14:8', 'ratelimit-policy-declared 6:0'];

const seen = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`).sort();

function setUp(mode: 'push' | 'pull') {
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'headroom-opening-')));
  const file = join(ws, 'orders.yaml');
  writeFileSync(file, SPEC);
  writeFileSync(join(ws, 'package.json'), '{"name": "not-a-spec"}\n');
  const uri = pathToFileURL(file).href;
  const published = new Map<string, Diagnostic[][]>();
  const logs: string[] = [];
  const waiters: (() => void)[] = [];
  const server = startServer((conn) => {
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      published.set(p.uri, [...(published.get(p.uri) ?? []), p.diagnostics]);
      waiters.splice(0).forEach((w) => w());
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      logs.push(p.message);
      waiters.splice(0).forEach((w) => w());
    });
  });
  const until = async (what: string, check: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!check()) {
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}; logs: ${logs.join(' | ')}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  /** How many lints of `path` the server ran (its output says each: done, or stopped as stale). */
  const lintsOf = (path: string) => logs.filter((l) => l.startsWith(`Linted ${path} `) || l.startsWith(`Stopped linting ${path} `)).length;
  const start = () =>
    initialize(server.conn, ws, {
      capabilities: mode === 'pull' ? { textDocument: { diagnostic: { dynamicRegistration: false } } } : {},
      initializationOptions: mode === 'pull' ? { diagnostics: 'pull' } : {},
    });
  return { ws, file, uri, published, logs, server, until, lintsOf, start };
}

test('a tab opened before its text: the spec is linted from disk, and the didOpen of the same text lints nothing more', async () => {
  const t = setUp('pull');
  try {
    await t.start();
    t.server.conn.sendNotification('headroom/tabs', { opened: [t.uri], closed: [] });
    // Not open: its findings are pushed, as for any file the client has not opened.
    await t.until('the findings of the spec on disk', () => (t.published.get(t.uri) ?? []).length > 0 && t.lintsOf(t.file) === 1);
    assert.deepEqual(seen(t.published.get(t.uri)!.at(-1)), FINDINGS);

    t.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: t.uri, languageId: 'yaml', version: 1, text: SPEC } });
    // A pull is answered once the lints pending for the document are done: a lint the didOpen
    // scheduled would be counted by then.
    const report = (await t.server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: t.uri } })) as { kind: string; items: Diagnostic[] };
    assert.equal(report.kind, 'full');
    assert.deepEqual(seen(report.items), FINDINGS);
    assert.equal(t.lintsOf(t.file), 1, `lints of the spec: ${t.logs.join(' | ')}`);
  } finally {
    t.server.close();
  }
});

test('a tab opened before its text: a didOpen with other text (unsaved edits restored) is linted', async () => {
  const t = setUp('pull');
  try {
    await t.start();
    t.server.conn.sendNotification('headroom/tabs', { opened: [t.uri], closed: [] });
    await t.until('the findings of the spec on disk', () => (t.published.get(t.uri) ?? []).length > 0);
    t.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: t.uri, languageId: 'yaml', version: 1, text: WITH_429 } });
    const report = (await t.server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: t.uri } })) as { items: Diagnostic[] };
    assert.deepEqual(seen(report.items), FINDINGS_WITH_429);
    assert.equal(t.lintsOf(t.file), 2);
  } finally {
    t.server.close();
  }
});

test('a tab opened before its text: the file changed on disk meanwhile is linted again, and its didOpen too', async () => {
  const t = setUp('push');
  try {
    await t.start();
    t.server.conn.sendNotification('headroom/tabs', { opened: [t.uri], closed: [] });
    await t.until('the findings of the spec on disk', () => (t.published.get(t.uri) ?? []).length > 0);
    writeFileSync(t.file, WITH_429);
    t.server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: t.uri, type: 2 }] });
    await t.until('the findings of the changed file', () => seen(t.published.get(t.uri)?.at(-1)).join() === FINDINGS_WITH_429.join());
    // The editor loaded the file before it changed: that text is linted, not taken for the disk's.
    t.server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: t.uri, languageId: 'yaml', version: 1, text: SPEC } });
    await t.until('the findings of the text opened', () => seen(t.published.get(t.uri)?.at(-1)).join() === FINDINGS.join() && t.lintsOf(t.file) === 3);
  } finally {
    t.server.close();
  }
});

test('a tab closed before its text came leaves no findings; a file that is no spec is not linted', async () => {
  const t = setUp('push');
  try {
    await t.start();
    const other = pathToFileURL(join(t.ws, 'package.json')).href;
    // An untitled tab is no file: it is not read as a file of that name in the server's working
    // folder (the repository, where examples/petstore.yaml is a spec).
    t.server.conn.sendNotification('headroom/tabs', { opened: [t.uri, other, 'untitled:examples/petstore.yaml'], closed: [] });
    await t.until('the findings of the spec on disk', () => (t.published.get(t.uri) ?? []).length > 0);
    assert.deepEqual([...t.published.keys()], [t.uri]);
    assert.deepEqual(seen(t.published.get(t.uri)!.at(-1)), FINDINGS);
    t.server.conn.sendNotification('headroom/tabs', { opened: [], closed: [t.uri, other] });
    await t.until('the findings taken back', () => t.published.get(t.uri)!.at(-1)!.length === 0);
    assert.equal(t.lintsOf(t.file), 1);
    assert.equal(t.lintsOf(join(t.ws, 'package.json')), 0);
    assert.equal(t.published.has(other), false, 'diagnostics were published for package.json');
  } finally {
    t.server.close();
  }
});
