/**
 * The real language server (dist/server.js, built by `npm run build`, which `npm run test:unit`
 * runs first) fed torture input over LSP, as bench/keystroke.mjs drives it: documents opened
 * broken, a valid document edited into each broken state and back, a huge document, a binary-ish
 * one, bursts of edits. After each: a publishDiagnostics for the document (with the rule ids known
 * for that input, every range inside the document's lines), the server still answers requests
 * (hover, code actions, `headroom/serverInfo`) and is the same process, and a document edited back
 * to valid has exactly its original diagnostics again.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import * as rpc from 'vscode-jsonrpc/node';
import { connectionTo } from '../helpers/server';
import { fcParams } from '../fuzz/harness';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'fuzz');
/** Generous: a lint here takes milliseconds to a second or two; only a hang takes this long. */
const HANG_MS = 60_000;

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string | number;
  message: string;
  severity?: number;
}

class Client {
  readonly child: ChildProcess;
  readonly conn: rpc.MessageConnection;
  private readonly latest = new Map<string, Diagnostic[]>();
  private readonly counts = new Map<string, number>();
  private waiters: { uri: string; after: number; resolve: (d: Diagnostic[]) => void }[] = [];
  stderr = '';
  exited: { code: number | null; signal: string | null } | undefined;

  constructor() {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-8000)));
    this.child.on('exit', (code, signal) => (this.exited = { code, signal }));
    this.conn = connectionTo(this.child);
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.latest.set(p.uri, p.diagnostics);
      const n = (this.counts.get(p.uri) ?? 0) + 1;
      this.counts.set(p.uri, n);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || n <= w.after) return true;
        w.resolve(p.diagnostics);
        return false;
      });
    });
    this.conn.onNotification(() => {});
    this.conn.onRequest(() => null);
    this.conn.listen();
  }

  published(uri: string): number {
    return this.counts.get(uri) ?? 0;
  }

  /** The next publishDiagnostics for `uri` after the `after`-th one. */
  diagnostics(uri: string, after: number, what: string): Promise<Diagnostic[]> {
    return withTimeout(
      new Promise<Diagnostic[]>((resolve) => {
        if (this.published(uri) > after) return resolve(this.latest.get(uri)!);
        this.waiters.push({ uri, after, resolve });
      }),
      `no publishDiagnostics for ${what} within ${HANG_MS} ms (a hang?)${this.exited ? `; the server exited ${JSON.stringify(this.exited)}: ${this.stderr}` : ''}`,
    );
  }

  /** Diagnostics once a publish after the `after`-th one equals `expected` (results of earlier versions may come first). */
  async settlesTo(uri: string, expected: Diagnostic[], what: string, after: number): Promise<void> {
    const deadline = Date.now() + HANG_MS;
    let count = after;
    let seen: Diagnostic[] | undefined;
    while (!(count > after && seen && equalDiagnostics(seen, expected))) {
      if (Date.now() > deadline) assert.deepEqual(seen, expected, `${what}: the diagnostics never came back to the original ones`);
      seen = await this.diagnostics(uri, count, what).catch(() => this.latest.get(uri));
      count = this.published(uri);
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return withTimeout(this.conn.sendRequest<T>(method, params), `no answer to ${method} within ${HANG_MS} ms (the server is stuck)`);
  }
}

function withTimeout<T>(p: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), HANG_MS)))]).finally(() => clearTimeout(timer));
}

function equalDiagnostics(a: Diagnostic[], b: Diagnostic[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const codes = (ds: Diagnostic[]) => [...new Set(ds.map((d) => String(d.code)))].sort();

/** Every range inside the text's lines, as the LSP counts them (CRLF, CR, LF). */
function assertInside(ds: Diagnostic[], text: string, what: string) {
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of ds) {
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length, `${what}: ${String(d.code)} range ${JSON.stringify(d.range)} lies outside the document (${lines.length} lines)`);
    }
    assert.doesNotMatch(d.message, /failed on this document and was skipped/, `${what}: a rule crashed`);
    assert.notEqual(d.code, 'internal', `${what}: the server could not lint: ${d.message}`);
  }
}

let client: Client;
let dir: string;
let pid: number;
let version = 0;

const farm = readFileSync(join(FIXTURES, 'farm.v2.yaml'), 'utf8');
const zoo = readFileSync(join(FIXTURES, 'zoo.v31.json'), 'utf8');
const billion = readFileSync(join(ROOT, 'test', 'fixtures', 'engine', 'aliases', 'billion-laughs.yaml'), 'utf8');
const N = 10_000;

before(async () => {
  assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first (\`npm run test:unit\` does)`);
  dir = mkdtempSync(join(tmpdir(), 'headroom-survival-'));
  client = new Client();
  await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'survival' }],
    capabilities: { textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } } },
    initializationOptions: {
      settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 1000 }, ruleset: '', allowRemoteRefs: false, allowRefsOutsideWorkspace: false },
      trusted: true,
    },
  });
  client.conn.sendNotification('initialized', {});
  pid = (await client.request<{ pid: number }>('headroom/serverInfo', {})).pid;
});

after(() => {
  client?.conn.dispose();
  client?.child.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The server is alive, the same process, and answers a request of each kind on `uri`. */
async function stillServes(uri: string, what: string, diagnostics: Diagnostic[]) {
  assert.equal(client.exited, undefined, `${what}: the server exited: ${client.stderr}`);
  const info = await client.request<{ pid: number }>('headroom/serverInfo', {});
  assert.equal(info.pid, pid, `${what}: the server is another process`);
  const at = diagnostics[0]?.range.start ?? { line: 0, character: 0 };
  await client.request('textDocument/hover', { textDocument: { uri }, position: at });
  const range = diagnostics[0]?.range ?? { start: at, end: at };
  await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: diagnostics.slice(0, 1) } });
}

async function open(name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const before = client.published(uri);
  client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: name.endsWith('.json') ? 'json' : 'yaml', version: ++version, text } });
  const diagnostics = await client.diagnostics(uri, before, `didOpen ${name}`);
  return { uri, diagnostics };
}

function close(uri: string) {
  client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

/** Replace the whole text (one incremental change spanning the old text). */
function replaceAll(uri: string, oldText: string, newText: string) {
  const lines = oldText.split(/\r\n|\r|\n/);
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++version },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text: newText }],
  });
}

interface Torture {
  name: string;
  file: 'yaml' | 'json';
  text: string;
  /** Rule ids the diagnostics must include. */
  expect?: string[];
  /** Not an OpenAPI document to the server's sniff: opened, it is not linted (by design); changed into, its diagnostics are cleared. */
  notOpenApi?: boolean;
}

const yamlBase = farm;
const jsonBase = zoo;
const TORTURE: Torture[] = [
  { name: 'YAML cut inside a flow collection', file: 'yaml', text: farm.slice(0, farm.indexOf('[http') + 6), expect: ['parse'] },
  { name: 'YAML cut in the middle of a line', file: 'yaml', text: farm.slice(0, Math.floor(farm.length / 2)) },
  { name: 'JSON cut in half', file: 'json', text: zoo.slice(0, Math.floor(zoo.length / 2)), expect: ['parse'] },
  { name: 'YAML nested 10,000 levels (flow)', file: 'yaml', text: farm + `x-deep: ${'['.repeat(N)}${']'.repeat(N)}\n`, expect: ['parse'] },
  { name: 'JSON nested 10,000 levels', file: 'json', text: zoo.replace('"openapi": "3.1.0",', `"openapi": "3.1.0", "x-deep": ${'['.repeat(N)}${']'.repeat(N)},`) },
  { name: 'YAML nested 1,500 levels (flow)', file: 'yaml', text: farm + `x-deep: ${'['.repeat(1500)}${']'.repeat(1500)}\n` },
  { name: 'a billion-laughs alias bomb', file: 'yaml', text: billion, expect: ['parse'] },
  { name: 'an alias bomb with a syntax error', file: 'yaml', text: billion + 'broken: [unclosed\n', expect: ['parse'] },
  { name: 'a 10 MB description', file: 'yaml', text: farm.replace('description: Cows', `description: ${'x'.repeat(10 * 1024 * 1024)}`) },
  { name: 'duplicate keys', file: 'yaml', text: farm + "swagger: '2.0'\n", expect: ['parse'] },
  { name: 'a NUL byte', file: 'yaml', text: farm.replace('Cows', 'Co\0ws') },
  { name: 'U+FFFD where invalid UTF-8 was', file: 'yaml', text: farm.replace('Cows', 'Co\uFFFD\uFFFDws') },
  { name: 'a lone surrogate', file: 'json', text: zoo.replace('Animals', 'Ani\uD800mals') },
  { name: 'CRLF line ends', file: 'yaml', text: farm.replace(/\n/g, '\r\n') },
  { name: 'CR line ends', file: 'yaml', text: farm.replace(/\n/g, '\r') },
  { name: 'a BOM', file: 'json', text: '\uFEFF' + zoo },
  { name: 'a $ref cycle', file: 'yaml', text: farm.replace("$ref: '#/responses/TooMany'", "$ref: '#/x-a'") + "x-a:\n  $ref: '#/x-b'\nx-b:\n  $ref: '#/x-a'\n" },
  { name: 'a $ref to a missing file', file: 'yaml', text: farm.replace("$ref: '#/responses/TooMany'", "$ref: './nowhere.yaml'"), expect: ['ref'] },
  { name: 'a $ref out of the workspace', file: 'yaml', text: farm.replace("$ref: '#/responses/TooMany'", "$ref: '../../../etc/passwd'"), expect: ['ref'] },
  { name: 'binary-ish noise after the openapi key', file: 'yaml', text: 'openapi: 3.0.3\n' + Array.from({ length: 8192 }, (_, i) => String.fromCharCode((i * 7919 + 13) % 256)).join('') },
  { name: 'an empty document', file: 'yaml', text: '', notOpenApi: true },
  { name: 'only comments', file: 'yaml', text: '# nothing\n   \n# at all\n', notOpenApi: true },
  { name: 'a top-level array', file: 'json', text: '[1, 2, 3]', notOpenApi: true },
];

test('the server starts and lints the valid documents', async () => {
  const yaml = await open('base.yaml', yamlBase);
  const json = await open('base.json', jsonBase);
  assert.ok(yaml.diagnostics.length > 0 && json.diagnostics.length > 0);
  assertInside(yaml.diagnostics, yamlBase, 'base.yaml');
  await stillServes(yaml.uri, 'base.yaml', yaml.diagnostics);
  close(yaml.uri);
  close(json.uri);
});

for (const [i, t] of TORTURE.entries()) {
  if (t.notOpenApi) {
    // Not OpenAPI to the server's sniff: opening it publishes nothing (by design), and the server still serves.
    test(`didOpen ${t.name}: not linted, no diagnostics, and the server still serves`, async () => {
      const name = `open-${i}.${t.file}`;
      const file = join(dir, name);
      writeFileSync(file, t.text);
      const uri = pathToFileURL(file).href;
      const before = client.published(uri);
      client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: t.file, version: ++version, text: t.text } });
      await stillServes(uri, t.name, []);
      await client.request('headroom/serverInfo', {});
      assert.equal(client.published(uri), before, `${t.name}: diagnostics were published for a document that is not OpenAPI`);
      close(uri);
    });
    continue;
  }
  test(`didOpen ${t.name}: diagnostics${t.expect ? ` with ${t.expect.join(', ')}` : ''}, and the server still serves`, async () => {
    const { uri, diagnostics } = await open(`open-${i}.${t.file}`, t.text);
    assertInside(diagnostics, t.text, t.name);
    for (const rule of t.expect ?? []) assert.ok(codes(diagnostics).includes(rule), `${t.name}: no ${rule} diagnostic in ${JSON.stringify(codes(diagnostics))}`);
    await stillServes(uri, t.name, diagnostics);
    close(uri);
  });
}

test('a valid document edited into each torture input and back: diagnostics each time, the original ones at the end', async () => {
  for (const format of ['yaml', 'json'] as const) {
    const base = format === 'yaml' ? yamlBase : jsonBase;
    const { uri, diagnostics: original } = await open(`edited.${format}`, base);
    let text = base;
    for (const t of TORTURE.filter((x) => x.file === format)) {
      const n = client.published(uri);
      replaceAll(uri, text, t.text);
      text = t.text;
      const broken = await client.diagnostics(uri, n, `didChange into ${t.name}`);
      assertInside(broken, t.text, t.name);
      if (t.notOpenApi) assert.deepEqual(broken, [], `${t.name}: no longer OpenAPI, yet diagnostics stay`);
      for (const rule of t.expect ?? []) assert.ok(codes(broken).includes(rule), `${t.name}: no ${rule} diagnostic in ${JSON.stringify(codes(broken))}`);
      await stillServes(uri, t.name, broken);
      const m = client.published(uri);
      replaceAll(uri, text, base);
      text = base;
      await client.settlesTo(uri, original, `back from ${t.name}`, m);
    }
    close(uri);
  }
});

test('a huge document (2,000 operations, 6 MB) is linted and the server still serves', async () => {
  const prose = 'A long explanation of this resource, repeated to make the document large. '.repeat(40);
  const paths = Array.from({ length: 2000 }, (_, i) => `  /r${i}:\n    get:\n      description: ${prose}\n      responses:\n        '200':\n          description: item ${i}\n`).join('');
  const text = `openapi: 3.0.3\ninfo:\n  title: Huge\n  version: '1'\npaths:\n${paths}`;
  assert.ok(text.length > 6e6);
  const { uri, diagnostics } = await open('huge.yaml', text);
  assert.ok(diagnostics.length >= 2000, `only ${diagnostics.length} diagnostics`);
  assertInside(diagnostics, text, 'huge');
  await stillServes(uri, 'huge', diagnostics);
  const info = await client.request<{ heapUsed?: number }>('headroom/serverInfo', {});
  assert.ok(info.heapUsed === undefined || info.heapUsed < 1.5 * 2 ** 30, `heap ${info.heapUsed}`);
  close(uri);
});

test('bursts of edits (typing, breaking, undoing) end with the diagnostics of the final text', async () => {
  // Large enough (≥ 64 KB) for the server's incremental YAML re-parse.
  const big = farm + Array.from({ length: 600 }, (_, i) => `x-pad-${i}:\n  description: padding ${i} so the document is large\n  items: [a, b, c]\n`).join('');
  const { uri, diagnostics: original } = await open('burst.yaml', big);
  const lines = big.split('\n');
  const at = (needle: string) => {
    const line = lines.findIndex((l) => l.includes(needle));
    return { line, character: lines[line].indexOf(needle) };
  };
  const insert = (p: { line: number; character: number }, text: string) =>
    client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: p, end: p }, text }] });
  const remove = (p: { line: number; character: number }, length: number) =>
    client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start: p, end: { line: p.line, character: p.character + length } }, text: '' }],
    });
  for (const needle of ['description: Cows', 'padding 300', 'items: [a, b, c]', "'429':"]) {
    const p = at(needle);
    const n = client.published(uri);
    // Type a broken fragment character by character, then delete it again, as fast as the pipe takes it.
    const fragment = ': [{"unclosed\t*a &b\0';
    for (let k = 0; k < fragment.length; k++) insert({ line: p.line, character: p.character + k }, fragment[k]);
    for (let k = fragment.length - 1; k >= 0; k--) remove({ line: p.line, character: p.character + k }, 1);
    await client.settlesTo(uri, original, `burst at "${needle}"`, n);
    await stillServes(uri, `burst at "${needle}"`, original);
  }
  // Nothing older arrives after the final result.
  const n = client.published(uri);
  await new Promise((r) => setTimeout(r, 1000));
  if (client.published(uri) > n) assert.ok(equalDiagnostics((await client.diagnostics(uri, n, 'late')) ?? [], original), 'a stale result was published after the final one');
  close(uri);
});

test('random edits and their undo, in bursts, always come back to the original diagnostics', async () => {
  const big = farm + Array.from({ length: 600 }, (_, i) => `x-pad-${i}:\n  description: padding ${i} so the document is large\n  items: [a, b, c]\n`).join('');
  const { uri, diagnostics: original } = await open('random.yaml', big);
  const tokens = ['{', '}', '[', ']', ':', ': ', '- ', '"', "'", '#', '\t', '\n', '\r\n', '*a', '&a ', '!!binary ', '$ref: "#"', '  ', 'x'];
  const offsetToPosition = (text: string, offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ at: fc.nat(), token: fc.constantFrom(...tokens) }), { minLength: 1, maxLength: 6 }), async (edits) => {
      const n = client.published(uri);
      // Insert each token, then delete them again in reverse order: the text ends as it began.
      let text = big;
      const done: { offset: number; length: number }[] = [];
      for (const { at, token } of edits) {
        const offset = at % (text.length + 1);
        const p = offsetToPosition(text, offset);
        client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: p, end: p }, text: token }] });
        text = text.slice(0, offset) + token + text.slice(offset);
        done.push({ offset, length: token.length });
      }
      for (const { offset, length } of done.reverse()) {
        const start = offsetToPosition(text, offset);
        const end = offsetToPosition(text, offset + length);
        client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start, end }, text: '' }] });
        text = text.slice(0, offset) + text.slice(offset + length);
      }
      assert.equal(text, big);
      await client.settlesTo(uri, original, `edits ${JSON.stringify(edits)} undone`, n);
      await stillServes(uri, 'random edits', original);
    }),
    fcParams(15),
  );
  close(uri);
});
