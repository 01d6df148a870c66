/**
 * `headroom lsp --stdio` (the built CLI) as an editor other than VS Code drives it, over stdio
 * with a plain JSON-RPC client: no workspace folders and settings from `initializationOptions`;
 * two workspace folders whose `headroom.ruleset` differs, answered per folder through
 * `workspace/configuration` (`scopeUri`); pull diagnostics (`textDocument/diagnostic`) with the
 * `$ref`ed file pushed until it is opened; rule links that open (`file:` into the package, or the
 * team's homepage); code actions as plain `changes` for a client without `documentChanges`.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node';
import { connectionTo, initialize } from '../helpers/server';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'lsp');
const WAIT_MS = 60_000;

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string;
  codeDescription?: { href: string };
  severity?: number;
  source?: string;
  message: string;
}

class Editor {
  readonly child: ChildProcess;
  readonly conn: rpc.MessageConnection;
  readonly pushed = new Map<string, Diagnostic[][]>();
  readonly configurationAsks: { scopeUri?: string; section?: string }[] = [];
  readonly logs: string[] = [];
  refreshes = 0;
  private listeners: (() => void)[] = [];
  stderr = '';

  constructor(configuration?: (scopeUri: string | undefined) => unknown) {
    this.child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn = connectionTo(this.child);
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.pushed.set(p.uri, [...(this.pushed.get(p.uri) ?? []), p.diagnostics]);
      for (const l of this.listeners) l();
    });
    this.conn.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) => {
      this.configurationAsks.push(...p.items);
      return p.items.map((i) => (configuration ? configuration(i.scopeUri) : null));
    });
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      for (const l of this.listeners) l();
      return null;
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      for (const l of this.listeners) l();
    });
    this.conn.onRequest(() => null);
    this.conn.onNotification(() => {});
    this.conn.listen();
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return within(this.conn.sendRequest<T>(method, params), `no answer to ${method}: ${this.stderr}`);
  }

  /** Resolves once `check` holds (checked after every publication). */
  until(check: () => boolean, what: string): Promise<void> {
    return within(
      new Promise<void>((resolve) => {
        const l = () => {
          if (!check()) return;
          this.listeners = this.listeners.filter((x) => x !== l);
          resolve();
        };
        this.listeners.push(l);
        l();
      }),
      `${what}; pushed so far: ${JSON.stringify([...this.pushed])}`,
    );
  }

  last(uri: string): Diagnostic[] | undefined {
    return this.pushed.get(uri)?.at(-1);
  }

  open(file: string): string {
    const uri = pathToFileURL(file).href;
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') } });
    return uri;
  }

  async stop(): Promise<void> {
    await this.request('shutdown', null).catch(() => {});
    this.conn.sendNotification('exit');
    await new Promise((r) => (this.child.exitCode !== null ? r(null) : this.child.once('exit', r)));
    this.conn.dispose();
  }
}

function within<T>(p: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), WAIT_MS)))]).finally(() => clearTimeout(timer));
}

const dirs: string[] = [];
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-lsp-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const brief = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);
const docUri = (rule: string) => pathToFileURL(join(ROOT, 'rules', 'docs', `${rule}.md`)).href;

test('no workspace folders, no workspace/configuration: initializationOptions settings; diagnostics pushed for the spec and its $ref`ed file, linking the shipped docs', async () => {
  const dir = workspace();
  cpSync(FIXTURE, dir, { recursive: true });
  const editor = new Editor();
  try {
    const init = await editor.request<{ capabilities: Record<string, unknown>; serverInfo: { name: string } }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { settings: { ruleset: join(dir, 'only-retry.spectral.yaml') } },
    });
    assert.equal(init.serverInfo.name, 'headroom');
    assert.equal(init.capabilities.diagnosticProvider, undefined, 'no pull for a client that cannot pull');
    editor.conn.sendNotification('initialized', {});
    const api = editor.open(join(dir, 'api.yaml'));
    const common = pathToFileURL(join(dir, 'common.yaml')).href;
    await editor.until(() => editor.last(common) !== undefined && editor.last(api) !== undefined, 'both files published');
    assert.deepEqual(brief(editor.last(api)), []);
    assert.deepEqual(brief(editor.last(common)), [['ratelimit-retry-after', 1, 2, 4, 2, 11]]);
    const [d] = editor.last(common)!;
    assert.equal(d.codeDescription!.href, docUri('ratelimit-retry-after'));
    assert.ok(existsSync(fileURLToPath(d.codeDescription!.href)));
    assert.equal(editor.configurationAsks.length, 0);
    // Hover keeps the bundled doc.
    const hover = await editor.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: common }, position: d.range.start });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /^\*\*Headroom: `ratelimit-retry-after`\*\*\n/);
    // "Lint Workspace": files that are not open, linted through the queue, reported by push.
    const other = join(dir, 'other.yaml');
    writeFileSync(other, readFileSync(join(dir, 'api.yaml'), 'utf8'));
    const reply = await editor.request<{ linted: number }>('headroom/lintFiles', { uris: [api, pathToFileURL(other).href, common] });
    assert.deepEqual(reply, { linted: 2 }, 'the two specs; common.yaml is no OpenAPI document');
    await editor.until(() => editor.last(pathToFileURL(other).href) !== undefined, 'other.yaml published');
    assert.deepEqual(brief(editor.last(pathToFileURL(other).href)), []);
    // This client watches no files: a ruleset saved in the editor still re-lints.
    const ruleset = join(dir, 'only-retry.spectral.yaml');
    const rulesetUri = editor.open(ruleset);
    writeFileSync(ruleset, readFileSync(ruleset, 'utf8').replace('ratelimit-retry-after: error', 'ratelimit-retry-after: hint'));
    editor.conn.sendNotification('textDocument/didSave', { textDocument: { uri: rulesetUri } });
    await editor.until(() => editor.last(common)?.[0]?.severity === 4, 'common.yaml re-linted with the saved ruleset (hint)');
  } finally {
    await editor.stop();
  }
});

test('two workspace folders: each folder`s headroom.ruleset and homepage, asked with the folder as scopeUri', async () => {
  const [one, two] = [workspace(), workspace()];
  for (const d of [one, two]) cpSync(FIXTURE, d, { recursive: true });
  const oneUri = pathToFileURL(one).href;
  const twoUri = pathToFileURL(two).href;
  let twoRuleset = 'only-retry.spectral.yaml';
  const editor = new Editor((scope) =>
    scope === oneUri
      ? { ruleset: 'only-429.spectral.yaml', lint: { debounceMs: 0 } }
      : scope === twoUri
        ? { ruleset: twoRuleset, homepage: 'https://wiki.example.com/api-rules/{rule}' }
        : null,
  );
  try {
    await editor.request('initialize', {
      processId: process.pid,
      rootUri: oneUri,
      workspaceFolders: [{ uri: oneUri, name: 'one' }, { uri: twoUri, name: 'two' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    });
    editor.conn.sendNotification('initialized', {});
    const apiOne = editor.open(join(one, 'api.yaml'));
    const apiTwo = editor.open(join(two, 'api.yaml'));
    const commonTwo = pathToFileURL(join(two, 'common.yaml')).href;
    await editor.until(() => [apiOne, apiTwo, commonTwo].every((u) => editor.last(u) !== undefined), 'all published');
    assert.deepEqual(brief(editor.last(apiOne)), [['ratelimit-429-response', 2, 16, 6, 16, 15]]);
    assert.deepEqual(editor.last(apiOne)![0].codeDescription, { href: docUri('ratelimit-429-response') });
    assert.deepEqual(brief(editor.last(apiTwo)), []);
    assert.deepEqual(brief(editor.last(commonTwo)), [['ratelimit-retry-after', 1, 2, 4, 2, 11]]);
    assert.deepEqual(editor.last(commonTwo)![0].codeDescription, { href: 'https://wiki.example.com/api-rules/ratelimit-retry-after' });
    assert.deepEqual(
      editor.configurationAsks.map((a) => [a.section, a.scopeUri]),
      [['headroom', oneUri], ['headroom', twoUri]],
      'once per folder',
    );

    // The settings changed: asked again per folder; only folder two's documents are linted again.
    twoRuleset = 'only-429.spectral.yaml';
    const oneBefore = editor.pushed.get(apiOne)!.length;
    editor.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await editor.until(() => editor.last(commonTwo)?.length === 0 && editor.last(apiTwo)?.length === 1, 'folder two re-linted with its new ruleset');
    assert.deepEqual(brief(editor.last(apiTwo)), [['ratelimit-429-response', 2, 16, 6, 16, 15]]);
    assert.deepEqual(editor.last(apiTwo)![0].codeDescription, { href: 'https://wiki.example.com/api-rules/ratelimit-429-response' });
    assert.equal(editor.pushed.get(apiOne)!.length, oneBefore, "folder one's settings did not change: not re-linted");
    assert.equal(editor.configurationAsks.length, 4);
  } finally {
    await editor.stop();
  }
});

test('pull diagnostics: open documents are pulled (after their lint), the $ref`ed file is pushed until opened, then pulled; quick fixes are plain changes', async () => {
  const dir = workspace();
  cpSync(FIXTURE, dir, { recursive: true });
  const dirUri = pathToFileURL(dir).href;
  const editor = new Editor(() => ({ ruleset: 'only-retry.spectral.yaml' }));
  try {
    const init = await editor.request<{ capabilities: { diagnosticProvider?: unknown } }>('initialize', {
      processId: process.pid,
      rootUri: dirUri,
      workspaceFolders: [{ uri: dirUri, name: 'w' }],
      capabilities: {
        workspace: { configuration: true, diagnostics: { refreshSupport: true } },
        textDocument: { diagnostic: {}, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
      },
      initializationOptions: { diagnostics: 'pull' },
    });
    assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'headroom', interFileDependencies: true, workspaceDiagnostics: false });
    editor.conn.sendNotification('initialized', {});
    const api = editor.open(join(dir, 'api.yaml'));
    const common = pathToFileURL(join(dir, 'common.yaml')).href;
    const pulled = await editor.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: api } });
    assert.deepEqual(pulled, { kind: 'full', items: [] });
    await editor.until(() => editor.last(common) !== undefined, 'common.yaml pushed (not open)');
    assert.deepEqual(brief(editor.last(common)), [['ratelimit-retry-after', 1, 2, 4, 2, 11]]);
    assert.equal(editor.pushed.get(api), undefined, 'the open spec is never pushed');

    // Opened: its pushed diagnostics are taken back, and it is pulled instead.
    editor.open(join(dir, 'common.yaml'));
    await editor.until(() => editor.last(common)?.length === 0, 'common.yaml cleared from push');
    const pulledCommon = await editor.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: common } });
    assert.deepEqual(brief(pulledCommon.items), [['ratelimit-retry-after', 1, 2, 4, 2, 11]]);

    // The client has no documentChanges support: the quick fix is a plain `changes` edit.
    const actions = await editor.request<{ title: string; edit?: { changes?: Record<string, { newText: string }[]>; documentChanges?: unknown } }[]>('textDocument/codeAction', {
      textDocument: { uri: common },
      range: pulledCommon.items[0].range,
      context: { diagnostics: pulledCommon.items },
    });
    const fix = actions.find((a) => a.title.startsWith('Add'))!;
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.edit!.documentChanges, undefined);
    // The header goes to the spec's components, the shared response in common.yaml refers to it.
    assert.deepEqual(Object.keys(fix.edit!.changes!).sort(), [api, common].sort());
    assert.match(Object.values(fix.edit!.changes!).flat().map((e) => e.newText).join(''), /Retry-After/);
  } finally {
    await editor.stop();
  }
});

test('headroom lsp needs exactly one transport', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(process.execPath, [CLI, 'lsp'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.split('\n')[0], 'headroom: lsp needs one transport: --stdio, --socket=PORT or --node-ipc');
  const bad = spawnSync(process.execPath, [CLI, 'lsp', '--stdio', '--verbose'], { encoding: 'utf8' });
  assert.equal(bad.stderr.split('\n')[0], 'headroom: unknown lsp option "--verbose"');
  for (const port of ['0', '99999']) {
    const r2 = spawnSync(process.execPath, [CLI, 'lsp', `--socket=${port}`], { encoding: 'utf8' });
    assert.equal(r2.status, 2);
    assert.equal(r2.stderr.split('\n')[0], `headroom: invalid --socket port "${port}" (1 to 65535)`);
  }
  const ipc = spawnSync(process.execPath, [CLI, 'lsp', '--node-ipc'], { encoding: 'utf8' });
  assert.equal(ipc.status, 2);
  assert.match(ipc.stderr, /^headroom: --node-ipc needs a parent process that opened an IPC channel/);
  // A connection that ends before initialize (an editor gone, nothing on the port): said, exit 1.
  const closed = spawnSync(process.execPath, [CLI, 'lsp', '--stdio'], { encoding: 'utf8', input: '' });
  assert.equal(closed.status, 1);
  assert.equal(closed.stderr, 'headroom: the language server got no initialize from the editor: the connection closed (or could not be made) first\n');
});

test('a stream whose framing is lost ends the session with a reason; a body that is not JSON costs only itself', async () => {
  const frame = (o: unknown) => {
    const body = Buffer.from(JSON.stringify(o));
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
  };
  const init = frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  const session = (then: string, env: NodeJS.ProcessEnv = process.env) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { env });
      let out = '';
      let err = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Once initialize is answered: the bad bytes, then a request that should be answered (or never read).
        if (!sent && out.includes('"id":1,')) {
          sent = true;
          child.stdin.write(Buffer.concat([Buffer.from(then), frame({ jsonrpc: '2.0', id: 7, method: 'headroom/serverInfo', params: null })]));
        }
        if (out.includes('"id":7,')) child.stdin.end();
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => resolve({ code, out, err }));
      child.stdin.write(init);
    });
  for (const [bytes, reason] of [
    ['Content-Type: application/json\r\n\r\n{}', 'Header must provide a Content-Length property.'],
    ['Content-Length: abc\r\n\r\n{}', 'Content-Length value must be a number. Got "abc"'],
    // Values parseInt reads as numbers but no message has: a negative length, a fraction, trailing junk.
    ['Content-Length: -5\r\n\r\n{}', 'Content-Length value must be a number. Got "-5"'],
    ['Content-Length: 1.5\r\n\r\n{}', 'Content-Length value must be a number. Got "1.5"'],
    ['Content-Length: 2abc\r\n\r\n{}', 'Content-Length value must be a number. Got "2abc"'],
    // Shorter than its body: the rest of the body is read as the next header.
    ['Content-Length: 10\r\n\r\n{"jsonrpc":"2.0","id":50,"method":"foo"}', 'Header must provide a Content-Length property.'],
  ]) {
    const r = await within(session(bytes), `the server did not end after ${JSON.stringify(bytes)}`);
    assert.equal(r.code, 1, bytes);
    assert.equal(r.err, `headroom: the language server cannot read the editor's messages any more (${reason}); exiting\n`);
    assert.ok(!r.out.includes('"id":7,'), 'nothing after the lost framing is answered');
  }
  // A Content-Length larger than what follows: the message stays unfinished, no byte coming (here
  // for 1 s instead of a minute): said, and the session ends, instead of a server deaf for good.
  const stalled = await within(session('Content-Length: 99999999999\r\n\r\n{}', { ...process.env, HEADROOM_LSP_STALLED_MS: '1000' }), 'no end after a stalled message');
  assert.equal(stalled.code, 1);
  assert.equal(stalled.err, "headroom: the language server got part of a message from the editor and nothing more for 1 s (a Content-Length larger than the message?); exiting\n");
  // A body of the length it says that is not JSON: that message is lost, the next one is answered;
  // the end of stdin without shutdown ends the server with 1.
  const bad = await within(session('Content-Length: 2\r\n\r\n{]'), 'no end after a bad body');
  assert.ok(bad.out.includes('"id":7,'), 'the request after the bad body was answered');
  assert.equal(bad.code, 1);
  assert.equal(bad.err, '');
});

test('the server`s custom requests take only what they say, and nothing after shutdown', async () => {
  const dir = workspace();
  cpSync(FIXTURE, join(dir, 'ws'), { recursive: true });
  writeFileSync(join(dir, 'outside.yaml'), "openapi: 3.0.3\ninfo: {title: outside, version: '1'}\npaths: {}\n");
  const editor = new Editor();
  try {
    await initialize(editor.conn, join(dir, 'ws'));
    // A file outside the workspace's folders is not read for "Lint Workspace", nor fixed.
    assert.deepEqual(await editor.request('headroom/lintFiles', { uris: [pathToFileURL(join(dir, 'outside.yaml')).href, 'untitled:x', 12] }), { linted: 0 });
    assert.deepEqual(await editor.request('headroom/fixAll', { uri: pathToFileURL(join(dir, 'outside.yaml')).href }), { fixed: 0, files: 0, remaining: 0, left: [] });
    await assert.rejects(editor.request('headroom/fixAll', { uri: 12 }), (e: any) => e.code === -32602 && e.message === 'headroom/fixAll: params.uri must be a string (a file: URI)');
    // Params that are not what a handler reads: InvalidParams, saying what is missing, not a raw TypeError.
    const api = pathToFileURL(join(dir, 'ws', 'api.yaml')).href;
    const bad: [string, unknown, string][] = [
      ['textDocument/codeAction', { textDocument: { uri: api }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, 'params.context must be {diagnostics: [...]}'],
      ['codeAction/resolve', null, 'params must be a code action this server returned (with its title and data)'],
      ['textDocument/hover', { textDocument: { uri: api } }, 'params.position must be {line, character}, whole numbers from 0'],
      ['textDocument/codeAction', { textDocument: { uri: api }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [], only: 'quickfix' } }, 'params.context.only must be a list of code action kinds'],
      ['textDocument/codeAction', { textDocument: { uri: api }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [null] } }, 'params.context.diagnostics must be diagnostics, each with a range and a message'],
      ['textDocument/completion', { textDocument: {}, position: { line: 0, character: 0 } }, 'params.textDocument.uri must be a string (the document URI)'],
      ['headroom/lintAnyway', null, 'params.uri must be a string (a file: URI)'],
      ['headroom/export', null, 'params.uri must be a string (a file: URI)'],
      ['headroom/coverage', { uri: 3 }, 'params.uri must be a string (a file: URI)'],
      ['headroom/lintFiles', { uris: 'x' }, 'params.uris must be a list of file: URIs'],
    ];
    for (const [method, params, why] of bad) {
      await assert.rejects(editor.request(method, params), (e: any) => {
        assert.deepEqual([e.code, e.message], [-32602, `${method}: ${why}`]);
        return true;
      });
    }
    // A notification so shaped is dropped, and the log says why; the server goes on.
    editor.conn.sendNotification('textDocument/didOpen', null);
    editor.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [null] });
    await editor.until(() => editor.logs.some((l) => l.startsWith('workspace/didChangeWatchedFiles ignored')), 'the dropped notifications logged');
    assert.deepEqual(
      editor.logs.filter((l) => l.includes(' ignored: ')),
      ['textDocument/didOpen ignored: params must be an object', 'workspace/didChangeWatchedFiles ignored: params.changes must be a list of {uri, type}'],
    );
    editor.open(join(dir, 'ws', 'api.yaml'));
    await editor.until(() => editor.last(api) !== undefined, 'the spec linted after the bad messages');
    await editor.request('shutdown', null);
    await assert.rejects(editor.request('textDocument/hover', { textDocument: { uri: pathToFileURL(join(dir, 'ws', 'api.yaml')).href }, position: { line: 0, character: 0 } }), (e: any) => {
      assert.equal(e.code, -32600);
      assert.equal(e.message, 'textDocument/hover: the server is shut down: only exit is taken now');
      return true;
    });
    assert.deepEqual([...editor.pushed.keys()].sort(), [api, pathToFileURL(join(dir, 'ws', 'common.yaml')).href], 'nothing but the spec opened (and the file it $refs) was linted');
  } finally {
    await editor.stop();
  }
});

test('headroom lsp --socket=PORT connects to the editor listening on PORT and serves there', async () => {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const connected = new Promise<import('node:net').Socket>((r) => server.once('connection', r));
  const child = spawn(process.execPath, [CLI, 'lsp', `--socket=${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const socket = await within(connected, 'the server never connected');
    const conn = rpc.createMessageConnection(new rpc.SocketMessageReader(socket), new rpc.SocketMessageWriter(socket));
    conn.listen();
    const init = await within(conn.sendRequest<{ serverInfo: { name: string }; capabilities: { hoverProvider: boolean } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} }), 'no initialize answer');
    assert.deepEqual([init.serverInfo.name, init.capabilities.hoverProvider], ['headroom', true]);
    await conn.sendRequest('shutdown', null);
    conn.sendNotification('exit');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    conn.dispose();
    socket.destroy();
  } finally {
    child.kill();
    server.close();
  }
});

/** A spec whose lint takes a while (3,000 operations): an edit or a close arrives during it. */
function slowSpec(dir: string): string {
  const lines = ['openapi: 3.0.3', "info: {title: slow, version: '1'}", 'paths:'];
  for (let i = 0; i < 3000; i++) lines.push(`  /p${i}:`, '    get:', "      responses: {'200': {description: ok}}");
  const file = join(dir, 'slow.yaml');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('a document closed, or edited into something that is not OpenAPI, during its first lint gets none of that lint`s findings', async () => {
  const dir = workspace();
  const file = slowSpec(dir);
  for (const after of ['close', 'empty'] as const) {
    const editor = new Editor();
    try {
      await initialize(editor.conn, dir);
      const uri = editor.open(file);
      if (after === 'close') editor.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      else editor.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'hello: world\n' }] });
      await editor.until(() => editor.logs.some((l) => l.startsWith(`Stopped linting ${file} after `)) || (editor.last(uri)?.length ?? 0) > 0, `the first lint of ${after} ended`);
      // A settings change lints every spec again: a closed document is none of them.
      editor.conn.sendNotification('workspace/didChangeConfiguration', { settings: { headroom: { lint: { debounceMs: 5 } } } });
      await editor.request('headroom/serverInfo', {});
      assert.deepEqual(editor.last(uri) ?? [], [], `${after}: the lint's findings were published: ${JSON.stringify(editor.pushed.get(uri)?.map((d) => d.length))}`);
    } finally {
      await editor.stop();
    }
  }
});

test('documents that are not files (git:, untitled:) are left alone: a git: view of the open file neither replaces its text nor gets findings', async () => {
  const dir = workspace();
  cpSync(FIXTURE, dir, { recursive: true });
  const file = join(dir, 'api.yaml');
  const editor = new Editor();
  try {
    await initialize(editor.conn, dir);
    const uri = editor.open(file);
    await editor.until(() => editor.last(uri) !== undefined, 'api.yaml published');
    const alone = brief(editor.last(uri));
    const text = readFileSync(file, 'utf8');
    const git = `git:${fileURLToPath(uri)}?%7B%22ref%22%3A%22HEAD%22%7D`;
    editor.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: git, languageId: 'yaml', version: 1, text: '# 1\n# 2\n# 3\n' + text } });
    editor.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'yaml', version: 1, text } });
    assert.equal(await editor.request('textDocument/hover', { textDocument: { uri: git }, position: { line: 3, character: 2 } }), null);
    assert.deepEqual(await editor.request('textDocument/codeAction', { textDocument: { uri: 'untitled:Untitled-1' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), null);
    // Edit the real file: its lint sees its own text, not the git view's.
    editor.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: text + '\n' }] });
    await editor.until(() => (editor.pushed.get(uri)?.length ?? 0) >= 2, 'api.yaml linted again');
    assert.deepEqual(brief(editor.last(uri)), alone);
    assert.deepEqual([...editor.pushed.keys()].filter((u) => !u.startsWith(pathToFileURL(dir).href)), [], 'nothing published for another document');
  } finally {
    await editor.stop();
  }
});

test('a workspace folder added or removed decides which files a spec may $ref: open specs are linted again', async () => {
  const dir = workspace();
  mkdirSync(join(dir, 'A'));
  mkdirSync(join(dir, 'shared'));
  writeFileSync(join(dir, 'shared', 'common.yaml'), "components:\n  responses:\n    Ok: {description: ok}\n");
  writeFileSync(join(dir, 'A', 'api.yaml'), "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '../shared/common.yaml#/components/responses/Ok'}\n");
  const editor = new Editor();
  try {
    await initialize(editor.conn, join(dir, 'A'), { capabilities: { workspace: { workspaceFolders: true } } });
    const uri = editor.open(join(dir, 'A', 'api.yaml'));
    const refs = () => (editor.last(uri) ?? []).filter((d) => d.code === 'ref').length;
    await editor.until(() => refs() === 1, 'the $ref out of the folder is refused');
    const shared = { uri: pathToFileURL(join(dir, 'shared')).href, name: 'shared' };
    editor.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [shared], removed: [] } });
    await editor.until(() => editor.last(uri) !== undefined && refs() === 0, 'with the shared folder in the workspace, the $ref is read');
    editor.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [shared] } });
    await editor.until(() => refs() === 1, 'and refused again once it is removed');
  } finally {
    await editor.stop();
  }
});

test('before initialize: a request is answered with ServerNotInitialized (-32002), a notification dropped; after it the server works', async () => {
  const dir = workspace();
  const editor = new Editor();
  try {
    await assert.rejects(editor.request('textDocument/hover', { textDocument: { uri: pathToFileURL(join(dir, 'a.yaml')).href }, position: { line: 0, character: 0 } }), (e: any) => {
      assert.equal(e.code, -32002);
      assert.equal(e.message, 'textDocument/hover: the server is not initialized: send initialize first');
      return true;
    });
    // Nor does a shutdown before initialize shut the server down.
    await assert.rejects(editor.request('shutdown', null), (e: any) => e.code === -32002);
    const early = join(dir, 'early.yaml');
    writeFileSync(early, "openapi: 3.0.3\ninfo: {title: early, version: '1'}\npaths: {}\n");
    const earlyUri = editor.open(early);
    // An initialize without the client's capabilities is refused with what is missing; a whole one is taken.
    for (const params of [null, {}]) {
      await assert.rejects(editor.request('initialize', params), (e: any) => {
        assert.deepEqual([e.code, e.message], [-32602, 'initialize: params must be {capabilities, ...}: what the client supports']);
        return true;
      });
    }
    await editor.request('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
    editor.conn.sendNotification('initialized', {});
    const late = join(dir, 'late.yaml');
    writeFileSync(late, "openapi: 3.0.3\ninfo: {title: late, version: '1'}\npaths: {}\n");
    const lateUri = editor.open(late);
    await editor.until(() => editor.last(lateUri) !== undefined, 'late.yaml published');
    assert.equal(editor.last(earlyUri), undefined, 'the didOpen sent before initialize was dropped');
  } finally {
    await editor.stop();
  }
});

test('a relative rootPath, an empty file: URI or the file system root is no workspace folder: $refs stay in the spec`s folder; a second initialize is refused', async () => {
  const dir = workspace();
  writeFileSync(join(dir, 'secret.yaml'), 'x: SECRET-VALUE\n');
  const ws = join(dir, 'ws');
  cpSync(FIXTURE, ws, { recursive: true });
  writeFileSync(join(ws, 'leak.yaml'), "openapi: 3.0.3\ninfo: {title: leak, version: '1'}\npaths:\n  /a:\n    $ref: '../secret.yaml#/x'\n");
  for (const roots of [{ rootPath: '.' }, { rootUri: 'file:' }, { workspaceFolders: [{ uri: 'file:', name: 'empty' }, { uri: 'file:///', name: 'root' }] }]) {
    const editor = new Editor();
    try {
      await editor.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, ...roots });
      editor.conn.sendNotification('initialized', {});
      const leak = editor.open(join(ws, 'leak.yaml'));
      await editor.until(() => editor.last(leak) !== undefined, 'leak.yaml published');
      const diagnostics = editor.last(leak)!;
      assert.ok(diagnostics.some((d) => d.code === 'ref'), `${JSON.stringify(roots)}: the $ref out of the spec's folder is refused: ${JSON.stringify(diagnostics)}`);
      assert.ok(!JSON.stringify(diagnostics).includes('SECRET-VALUE'), `${JSON.stringify(roots)}: the file outside was read`);
      await assert.rejects(editor.request('initialize', { processId: process.pid, rootUri: 'file:///', capabilities: {} }), /initialize was already received/);
    } finally {
      await editor.stop();
    }
  }
});
