/**
 * What the VS Code client shows after a lint, from the built server (dist/server.js): the
 * `headroom/status` numbers count the spec's findings and those in the files it `$ref`s (and say
 * how many lie there), and the "Headroom" output gets one line per lint saying what was linted,
 * with which ruleset and engine, how long it took and what it found.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { connectionTo } from '../helpers/server';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const DIR = join(ROOT, 'test', 'fixtures', 'lsp');

test('status counts the spec and its $ref\'d files; the output logs each lint', async () => {
  assert.ok(existsSync(SERVER), 'dist/server.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = connectionTo(child);
  const logs: string[] = [];
  let resolveStatus: (s: Record<string, unknown>) => void;
  const status = new Promise<Record<string, unknown>>((r) => (resolveStatus = r));
  conn.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
  conn.onNotification('headroom/status', (s: Record<string, unknown>) => void resolveStatus(s));
  conn.onNotification(() => {});
  conn.onRequest(() => null);
  conn.listen();
  try {
    const folder = pathToFileURL(DIR).href;
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'lsp' }],
      capabilities: {},
      initializationOptions: { trusted: true, status: true, settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 100 } } },
    });
    conn.sendNotification('initialized', {});
    const spec = join(DIR, 'api.yaml');
    const uri = pathToFileURL(spec).href;
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(spec, 'utf8') } });
    const s = await Promise.race([status, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no headroom/status within 60 s')), 60_000))]);
    // 6 findings in api.yaml, 2 in common.yaml; 1 error, 7 warnings (the CLI's numbers for the same spec).
    assert.deepEqual({ ...s, ms: 0 }, { uri, count: 8, inReferenced: 2, errors: 1, warnings: 7, ms: 0 });
    const line = logs.find((l) => l.startsWith('Linted '));
    assert.ok(line, `no lint line in ${JSON.stringify(logs)}`);
    assert.match(line!, new RegExp(`^Linted ${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(headroom:recommended, lean engine\\) in \\d+ ms: 8 findings \\(2 in 1 \\$ref'ed file\\), 1 error, 7 warnings\\.$`));
  } finally {
    conn.dispose();
    child.kill();
  }
});

test('Fix All on a spec fixes its $ref\'d files too; on a fragment, only the fragment', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'headroom-fixall-'));
  // A declared policy, so adding Retry-After invents nothing (it is a fix, not a suggestion).
  writeFileSync(
    join(dir, 'api.yaml'),
    "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nx-gateway-rate-limit: {requests: 10, window: 1s}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        '429':\n          $ref: 'common.yaml#/components/responses/TooMany'\n",
  );
  writeFileSync(join(dir, 'common.yaml'), 'components:\n  responses:\n    TooMany:\n      description: slow down\n');
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = connectionTo(child);
  const applied: { edit: { documentChanges?: { textDocument: { uri: string } }[]; changes?: Record<string, unknown> } }[] = [];
  let published: () => void;
  const firstLint = new Promise<void>((r) => (published = r));
  conn.onNotification('textDocument/publishDiagnostics', () => void published());
  conn.onNotification(() => {});
  conn.onRequest('workspace/applyEdit', (p: (typeof applied)[number]) => {
    applied.push(p);
    return { applied: true };
  });
  conn.onRequest(() => null);
  conn.listen();
  try {
    const folder = pathToFileURL(dir).href;
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'fixall' }],
      capabilities: { workspace: { applyEdit: true, workspaceEdit: { documentChanges: true } } },
      initializationOptions: { trusted: true, settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 100 } } },
    });
    conn.sendNotification('initialized', {});
    const uri = pathToFileURL(join(dir, 'api.yaml')).href;
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(join(dir, 'api.yaml'), 'utf8') } });
    await firstLint;
    const summary = await conn.sendRequest<{ fixed: number; files: number }>('headroom/fixAll', { uri });
    const touched = applied.flatMap((a) => (a.edit.documentChanges ?? []).map((d) => d.textDocument.uri).concat(Object.keys(a.edit.changes ?? {})));
    assert.ok(touched.includes(pathToFileURL(join(dir, 'common.yaml')).href), `Fix All on the spec left its $ref'd file alone: ${JSON.stringify(touched)}`);
    assert.ok(summary.fixed > 0 && summary.files >= 1, JSON.stringify(summary));
  } finally {
    conn.dispose();
    child.kill();
  }
});
