/**
 * A file that is not a spec, opened on its own, through the built server (dist/server.js): it is
 * linted through the workspace's specs that `$ref` it (found by the server in the background),
 * its findings land on its own ranges and its status names those specs; a file no spec `$ref`s
 * gets the status "part of no spec"; edits, closing, changes on disk and the `$ref` policy (a spec
 * outside the workspace folders is never read; an untrusted workspace's `$ref`s never leave them)
 * are followed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node';
import { connectionTo } from '../helpers/server';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const SPY = join(ROOT, 'test', 'security', 'spy-reads.cjs');
const WAIT_MS = 60_000;

interface Diagnostic {
  code: string;
  severity: number;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface Status {
  uri: string;
  count: number;
  errors: number;
  warnings: number;
  fragment?: { specs: string[]; specsInWorkspace: number };
}

/** `rule severity line:col-line:col message`, one string per diagnostic, sorted. */
const seen = (ds: Diagnostic[] | undefined) =>
  (ds ?? []).map((d) => `${d.code} ${['', 'error', 'warning', 'info', 'hint'][d.severity]} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`).sort();

const BOOK_ROOT = `openapi: 3.0.3
info: {title: Library, version: '1'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /books/{id}:
    $ref: 'paths/book.yaml'
`;
/** A path item without a 429 (line 2 is \`responses:\`). */
const BOOK = `# GET /books/{id}, kept in its own file.
get:
  responses:
    '200':
      description: A book.
    '401':
      description: No key.
    '403':
      description: Not yours.
`;
const NO_429 = 'ratelimit-429-response warning 2:2-2:11 GET /books/{id} documents no 429 (Too Many Requests) response.';
const NO_HEADERS = 'ratelimit-headers warning 3:4-3:9 The 200 response of GET /books/{id} documents no rate-limit headers: add RateLimit and RateLimit-Policy, or X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.';
/** What the spec's lint finds in paths/book.yaml (the CLI's findings for the same files). */
const BOOK_FINDINGS = [NO_429, NO_HEADERS];
const WITH_429 = BOOK.replace("    '200':", "    '429':\n      description: Slow down.\n      headers:\n        Retry-After: {schema: {type: integer}}\n    '200':");

/** A workspace: `files` (relative path → text) under `ws/`, and `outside` files beside it. */
function workspace(files: Record<string, string>, outside: Record<string, string> = {}): { ws: string; base: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'headroom-fragments-')));
  const ws = join(base, 'ws');
  for (const [dir, set] of [[ws, files], [join(base, 'outside'), outside]] as const) {
    for (const [rel, text] of Object.entries(set)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  }
  return { ws, base };
}

/** The built server over stdio, its last diagnostics and status per URI, and waits on them. */
class Session {
  readonly child: ChildProcess;
  readonly conn: rpc.MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses = new Map<string, Status>();
  private readonly waiters: (() => void)[] = [];
  private versions = new Map<string, number>();

  constructor(env: NodeJS.ProcessEnv = {}, preload = false) {
    assert.ok(existsSync(SERVER), 'dist/server.js is missing: run `npm run build` first');
    this.child = spawn(process.execPath, [...(preload ? ['--require', SPY] : []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.conn = connectionTo(this.child);
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.wake();
    });
    this.conn.onNotification('headroom/status', (s: Status) => {
      this.statuses.set(s.uri, s);
      this.wake();
    });
    this.conn.onNotification(() => {});
    this.conn.onRequest(() => null);
    this.conn.listen();
  }

  async start(ws: string, trusted = true, settings: Record<string, unknown> = {}, pull = false): Promise<void> {
    const folder = pathToFileURL(ws).href;
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'ws' }],
      capabilities: pull ? { textDocument: { diagnostic: {} } } : {},
      initializationOptions: { trusted, status: true, diagnostics: pull ? 'pull' : 'push', settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 100 }, ...settings } },
    });
    this.conn.sendNotification('initialized', {});
  }

  open(file: string, text = readFileSync(file, 'utf8')): string {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  change(uri: string, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resolves when check() holds (checked now and after each notification); fails with what was last seen. */
  until(what: string, check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: not within ${WAIT_MS / 1000} s; diagnostics ${JSON.stringify([...this.diagnostics].map(([u, d]) => [u, seen(d)]))}, statuses ${JSON.stringify([...this.statuses.values()])}`)), WAIT_MS);
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** The last status of `uri` as the test compares it (no timing). */
  status(uri: string): Omit<Status, 'uri'> | undefined {
    const s = this.statuses.get(uri);
    if (!s) return undefined;
    const { uri: _uri, ms: _ms, ...rest } = s as Status & { ms: number };
    return rest;
  }

  dispose(): void {
    this.conn.dispose();
    this.child.kill();
  }
}

const fragmentStatus = (count: number, warnings: number, specs: string[], specsInWorkspace: number) => ({ count, inReferenced: 0, errors: 0, warnings, fragment: { specs, specsInWorkspace } });

test('a fragment opened alone is linted through the spec that $refs it; edits re-lint it; closing clears it', async () => {
  const { ws } = workspace({ 'openapi.yaml': BOOK_ROOT, 'paths/book.yaml': BOOK, 'notes.yaml': 'owner: team-books\n' });
  const s = new Session();
  try {
    await s.start(ws);
    const book = join(ws, 'paths', 'book.yaml');
    const root = join(ws, 'openapi.yaml');
    const uri = s.open(book);
    const expected = fragmentStatus(2, 2, [root], 1);
    await s.until('the fragment\'s status after opening it', () => JSON.stringify(s.status(uri)) === JSON.stringify(expected));
    assert.deepEqual(seen(s.diagnostics.get(uri)), BOOK_FINDINGS);
    // Only the fragment's findings: the spec's own (it is not open) stay out of Problems.
    assert.deepEqual(seen(s.diagnostics.get(pathToFileURL(root).href)), []);

    // An edit of the fragment re-lints the spec with the unsaved text.
    s.change(uri, WITH_429);
    await s.until('the fragment\'s diagnostics after adding its 429', () => !seen(s.diagnostics.get(uri)).includes(NO_429));
    assert.deepEqual(seen(s.diagnostics.get(uri)), [
      'ratelimit-headers warning 5:6-5:13 The 429 response of GET /books/{id} documents no rate-limit headers: add RateLimit and RateLimit-Policy, or X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.',
      'ratelimit-headers warning 7:4-7:9 The 200 response of GET /books/{id} documents no rate-limit headers: add RateLimit and RateLimit-Policy, or X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset.',
    ]);
    await s.until('the fragment\'s status after adding its 429', () => JSON.stringify(s.status(uri)) === JSON.stringify(fragmentStatus(2, 2, [root], 1)) && s.statuses.get(uri) !== undefined);
    s.change(uri, BOOK);
    await s.until('the finding back after removing the 429', () => seen(s.diagnostics.get(uri)).join() === BOOK_FINDINGS.join());
    assert.deepEqual(s.status(uri), expected);

    // Closing the fragment drops the spec it was linted through (it is not open): its findings go.
    s.close(uri);
    await s.until('the fragment\'s diagnostics cleared after closing it', () => seen(s.diagnostics.get(uri)).length === 0);

    // A YAML file no spec $refs: its status says so, and nothing is published for it.
    const notes = s.open(join(ws, 'notes.yaml'));
    await s.until('the status of notes.yaml', () => s.statuses.has(notes));
    assert.deepEqual(s.status(notes), fragmentStatus(0, 0, [], 1));
    assert.deepEqual(seen(s.diagnostics.get(notes)), []);
  } finally {
    s.dispose();
  }
});

test('a fragment two specs $ref: linted through both, a shared finding once, both named; the root open too: no duplicates', async () => {
  const { ws } = workspace({ 'a.yaml': BOOK_ROOT, 'b.yaml': BOOK_ROOT.replace('Library', 'Library v2'), 'paths/book.yaml': BOOK });
  const s = new Session();
  try {
    await s.start(ws);
    const uri = s.open(join(ws, 'paths', 'book.yaml'));
    const expected = fragmentStatus(2, 2, [join(ws, 'a.yaml'), join(ws, 'b.yaml')], 2);
    await s.until('the fragment\'s status naming both specs', () => JSON.stringify(s.status(uri)) === JSON.stringify(expected));
    assert.deepEqual(seen(s.diagnostics.get(uri)), BOOK_FINDINGS);
    // The spec opened too: its own findings show, the fragment's stay one list.
    assert.deepEqual(seen(s.diagnostics.get(pathToFileURL(join(ws, 'a.yaml')).href)), [], 'a.yaml, not open, shows its own findings');
    s.statuses.clear(); // the next status of a.yaml is that of its lint as an open spec
    const a = s.open(join(ws, 'a.yaml'));
    await s.until('a.yaml linted as an open spec, and the fragment\'s status after it', () => s.statuses.has(a) && s.statuses.has(uri));
    assert.deepEqual(s.status(uri), expected);
    assert.deepEqual(seen(s.diagnostics.get(uri)), BOOK_FINDINGS);
    // Its own findings now show (it is open); while only the fragment held it, none did.
    assert.ok(seen(s.diagnostics.get(a)).length > 0, 'a.yaml, open, shows no findings of its own');
  } finally {
    s.dispose();
  }
});

test('a spec that drops its $ref (on disk, or in its editor): the fragment is part of no spec any more', async () => {
  const { ws } = workspace({ 'openapi.yaml': BOOK_ROOT, 'paths/book.yaml': BOOK });
  const s = new Session();
  try {
    await s.start(ws);
    const root = join(ws, 'openapi.yaml');
    const rootUri = pathToFileURL(root).href;
    const uri = s.open(join(ws, 'paths', 'book.yaml'));
    await s.until('the fragment linted through openapi.yaml', () => JSON.stringify(s.status(uri)) === JSON.stringify(fragmentStatus(2, 2, [root], 1)));
    const inline = BOOK_ROOT.replace("    $ref: 'paths/book.yaml'\n", '    get: {responses: {\'200\': {description: ok}}}\n');

    // On disk, told by the client's file watcher.
    writeFileSync(root, inline);
    s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: rootUri, type: 2 }] });
    await s.until('the fragment\'s status after the spec dropped its $ref on disk', () => JSON.stringify(s.status(uri)) === JSON.stringify(fragmentStatus(0, 0, [], 1)));
    assert.deepEqual(seen(s.diagnostics.get(uri)), []);

    // Back on disk: found again.
    writeFileSync(root, BOOK_ROOT);
    s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: rootUri, type: 2 }] });
    await s.until('the fragment linted again after the $ref came back', () => JSON.stringify(s.status(uri)) === JSON.stringify(fragmentStatus(2, 2, [root], 1)));
    assert.deepEqual(seen(s.diagnostics.get(uri)), BOOK_FINDINGS);

    // In the spec's editor, unsaved.
    s.open(root);
    s.change(rootUri, inline);
    await s.until('the fragment\'s status after the spec dropped its $ref in its editor', () => JSON.stringify(s.status(uri)) === JSON.stringify(fragmentStatus(0, 0, [], 1)));
    assert.deepEqual(seen(s.diagnostics.get(uri)), []);
  } finally {
    s.dispose();
  }
});

test('the $ref policy holds: a spec outside the workspace folders is never read; untrusted, a spec\'s $ref never leaves them', async () => {
  // outside/api.yaml $refs ws/paths/book.yaml, but lies outside the workspace folder ws.
  const { ws, base } = workspace(
    { 'paths/book.yaml': BOOK, 'openapi.yaml': BOOK_ROOT.replace("'paths/book.yaml'", "'../outside/shared.yaml'") },
    { 'api.yaml': BOOK_ROOT.replace("'paths/book.yaml'", "'../ws/paths/book.yaml'"), 'shared.yaml': BOOK },
  );
  const log = join(base, 'reads.log');
  writeFileSync(log, '');
  const s = new Session({ HEADROOM_WATCH: join(base, 'outside'), HEADROOM_READ_LOG: log }, true);
  try {
    // Untrusted: headroom.allowRefsOutsideWorkspace is not honoured.
    await s.start(ws, false, { allowRefsOutsideWorkspace: true });
    const uri = s.open(join(ws, 'paths', 'book.yaml'));
    await s.until('the status of paths/book.yaml', () => s.statuses.has(uri));
    assert.deepEqual(s.status(uri), fragmentStatus(0, 0, [], 1));
    // The fragment outside the folder that openapi.yaml $refs: that $ref is refused, so no spec uses it.
    const shared = s.open(join(base, 'outside', 'shared.yaml'));
    await s.until('the status of outside/shared.yaml', () => s.statuses.has(shared));
    assert.deepEqual(s.status(shared), fragmentStatus(0, 0, [], 1));
    assert.deepEqual(seen(s.diagnostics.get(shared)), []);
    assert.equal(readFileSync(log, 'utf8'), '', 'the server read files outside the workspace folder');
  } finally {
    s.dispose();
  }
  // Trusted, the same setting lets openapi.yaml reach outside/shared.yaml: it is linted through it (the test above can fail).
  const t = new Session();
  try {
    await t.start(ws, true, { allowRefsOutsideWorkspace: true });
    const shared = t.open(join(base, 'outside', 'shared.yaml'));
    await t.until('the status of outside/shared.yaml, trusted', () => t.statuses.has(shared));
    assert.deepEqual(t.status(shared), fragmentStatus(2, 2, [join(ws, 'openapi.yaml')], 1));
    assert.deepEqual(seen(t.diagnostics.get(shared)), BOOK_FINDINGS);
  } finally {
    t.dispose();
  }
});

test('pull diagnostics: a fragment opened alone is answered once the specs that $ref it are found and linted', async () => {
  const { ws } = workspace({ 'openapi.yaml': BOOK_ROOT, 'paths/book.yaml': BOOK });
  const s = new Session();
  try {
    await s.start(ws, true, {}, true);
    const uri = s.open(join(ws, 'paths', 'book.yaml'));
    const pulled = await s.conn.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(pulled.kind, 'full');
    assert.deepEqual(seen(pulled.items), BOOK_FINDINGS);
    assert.deepEqual(seen(s.diagnostics.get(uri)), [], 'the open fragment was pushed as well');
  } finally {
    s.dispose();
  }
});
