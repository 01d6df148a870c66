/**
 * `$ref`s stay inside the allowed root: one test per way out (a relative `..` path, an absolute
 * path, a `file:` URL, a symlink, a percent-encoded path, a remote URL) for `headroom lint`,
 * `headroom lint --fix` and `headroom export` (the built CLI), and for the real language server's
 * lint, Fix All and export (workspace folder, trusted, default settings). Each run is watched by a
 * preloaded spy (spy-reads.cjs) that logs every open of the outside file: the file must never be
 * opened, the `$ref` must be named in one `ref` finding (lint, --fix) or one error (export), and
 * nothing of the outside file may reach the output or a written file. Each test fails if its guard
 * (src/openapi/policy.ts, applied by the one document layer) is removed.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node';
import { connectionTo } from '../helpers/server';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SERVER = join(ROOT, 'dist', 'server.js');
const SPY = join(__dirname, 'spy-reads.cjs');

/** The outside file: an operation with a policy nobody should ever see exported or linted. */
const SECRET = `paths:
  /leaked:
    get:
      description: SECRET-CONTENT
      x-gateway-rate-limit: {requests: 4242, window: 1s}
      responses:
        '200': {description: ok}
`;

const SPEC = (ref: string) => `openapi: 3.0.3
info: {title: Confined, version: '1'}
servers: [{url: 'https://api.example.com'}]
x-gateway-rate-limit: {requests: 10, window: 1s}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /inside:
    get:
      responses:
        '200': {description: ok}
  /leaked:
    $ref: '${ref}'
`;
/** Line (0-based) of the `$ref` in SPEC. */
const REF_LINE = 14;

let base: string;
let repo: string;
let outside: string;
let server: Server;
let remoteHits = 0;
let remoteUrl: string;

interface Way {
  name: string;
  ref: () => string;
}

const WAYS: Way[] = [
  { name: 'a relative .. path', ref: () => '../outside/secret.yaml#/paths/~1leaked' },
  { name: 'an absolute path', ref: () => `${join(outside, 'secret.yaml')}#/paths/~1leaked` },
  { name: 'a file: URL', ref: () => `${pathToFileURL(join(outside, 'secret.yaml')).href}#/paths/~1leaked` },
  { name: 'a symlink that leads out', ref: () => 'link/secret.yaml#/paths/~1leaked' },
  { name: 'a percent-encoded path', ref: () => '%2E%2E/outside/secret.yaml#/paths/~1leaked' },
  { name: 'a remote URL', ref: () => `${remoteUrl}#/paths/~1leaked` },
];

before(async () => {
  assert.ok(existsSync(CLI) && existsSync(SERVER), 'dist/ is missing: run `npm run build` first (`npm run test:unit` does)');
  base = realpathSync(mkdtempSync(join(tmpdir(), 'headroom-confine-')));
  outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.yaml'), SECRET);
  server = createServer((_req, res) => {
    remoteHits++;
    res.end(SECRET);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  remoteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret.yaml`;
});

after(() => server.close());

/** A fresh git work tree (the CLI's default root) holding spec.yaml with one `$ref` out. */
function makeRepo(way: Way): { repo: string; spec: string; log: string } {
  const dir = mkdtempSync(join(base, 'repo-'));
  mkdirSync(join(dir, '.git'));
  symlinkSync(outside, join(dir, 'link'));
  const spec = join(dir, 'spec.yaml');
  // `../outside` from the repo is the outside folder beside it.
  writeFileSync(spec, SPEC(way.ref()));
  return { repo: dir, spec, log: join(dir, '..', `reads-${dir.slice(-6)}.log`) };
}

function runCli(args: string[], cwd: string, log: string) {
  const r = spawnSync(process.execPath, ['--require', SPY, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HEADROOM_WATCH: `${outside}/`, HEADROOM_READ_LOG: log },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const reads = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8') : '');

describe('headroom CLI: $refs stay inside the root', () => {
  for (const way of WAYS) {
    test(`lint: ${way.name} is a ref finding, and the file is not read`, async () => {
      const { repo, spec, log } = makeRepo(way);
      const hits = remoteHits;
      const r = runCli(['lint', 'spec.yaml', '--format', 'json'], repo, log);
      const findings = JSON.parse(r.out) as { file: string; rule: string; severity: string; message: string; range: { start: { line: number } } }[];
      const refs = findings.filter((f) => f.rule === 'ref');
      assert.equal(refs.length, 1, r.out);
      assert.equal(refs[0].file, spec);
      assert.equal(refs[0].range.start.line, REF_LINE);
      assert.ok(refs[0].message.includes(`$ref "${way.ref()}"`), refs[0].message);
      if (way.name === 'a remote URL') {
        assert.equal(refs[0].severity, 'warn');
        assert.match(refs[0].message, /was not fetched \(remote references are off; allow them with --allow-remote-refs\)/);
      } else {
        assert.equal(refs[0].severity, 'error');
        assert.equal(refs[0].message, `$ref "${way.ref()}" points outside the root ${repo} and was not read (set the root with --root DIR, or lift the limit with --allow-refs-outside-root).`);
      }
      assert.ok(findings.every((f) => !f.file.startsWith(outside) && !f.message.includes('4242') && !f.message.includes('SECRET')));
      assert.equal(reads(log), '');
      assert.equal(remoteHits, hits);
    });

    test(`lint --fix: ${way.name} is neither read nor written`, async () => {
      const { repo, log } = makeRepo(way);
      const hits = remoteHits;
      const r = runCli(['lint', '--fix', 'spec.yaml', '--format', 'json'], repo, log);
      const findings = JSON.parse(r.out) as { rule: string; file: string }[];
      assert.equal(findings.filter((f) => f.rule === 'ref').length, 1);
      assert.doesNotMatch(r.err, /outside|secret\.yaml/, 'no fix touched the outside file');
      assert.match(readFileSync(join(repo, 'spec.yaml'), 'utf8'), /'429'/, 'the spec itself was fixed');
      assert.equal(readFileSync(join(outside, 'secret.yaml'), 'utf8'), SECRET);
      assert.equal(reads(log), '');
      assert.equal(remoteHits, hits);
    });

    test(`export: ${way.name} stops the export with an error naming it; nothing is written`, async () => {
      const { repo, log } = makeRepo(way);
      const hits = remoteHits;
      const r = runCli(['export', 'spec.yaml', '--target', 'nginx', '-o', 'out.conf'], repo, log);
      assert.equal(r.code, 1, r.err);
      assert.equal(existsSync(join(repo, 'out.conf')), false);
      assert.ok(r.err.startsWith(`spec.yaml:${REF_LINE + 1}:11 error ref `) && r.err.includes(`$ref "${way.ref()}"`), r.err);
      assert.match(r.err, /export stopped: the spec has 1 \$ref or path item it cannot follow \(outside the allowed root, remote, an alias bomb, or a path item leading nowhere\); nothing was written/);
      assert.doesNotMatch(r.err + r.out, /4242|SECRET/);
      assert.equal(reads(log), '');
      assert.equal(remoteHits, hits);
    });
  }

  test('--allow-refs-outside-root and --root lift the limit (the file is read then)', () => {
    const way = WAYS[0];
    const { repo, log } = makeRepo(way);
    const lifted = runCli(['lint', 'spec.yaml', '--format', 'json', '--allow-refs-outside-root'], repo, log);
    assert.equal((JSON.parse(lifted.out) as { rule: string }[]).filter((f) => f.rule === 'ref').length, 0);
    assert.notEqual(reads(log), '', 'the spy sees reads of the outside file once allowed');
    const rooted = runCli(['export', 'spec.yaml', '--target', 'nginx', '--root', base], repo, log);
    assert.equal(rooted.code, 0, rooted.err);
    assert.match(rooted.out, /4242|leaked/);
    const bad = runCli(['lint', 'spec.yaml', '--root', join(base, 'nope')], repo, log);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^headroom: --root .*nope does not exist\n/);
  });

  test('without a git work tree the root is the current folder when it holds the spec, else the spec\'s folder', () => {
    const dir = mkdtempSync(join(base, 'plain-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'shared.yaml'), SECRET);
    writeFileSync(join(dir, 'api', 'spec.yaml'), SPEC('../shared.yaml#/paths/~1leaked'));
    const log = join(base, 'plain.log');
    const fromTop = runCli(['lint', 'api/spec.yaml', '--format', 'json'], dir, log);
    assert.equal((JSON.parse(fromTop.out) as { rule: string }[]).filter((f) => f.rule === 'ref').length, 0, 'cwd holds the spec: its files are inside');
    const fromElsewhere = runCli(['lint', join(dir, 'api', 'spec.yaml'), '--format', 'json'], base + '/outside', log);
    const refs = (JSON.parse(fromElsewhere.out) as { rule: string; message: string }[]).filter((f) => f.rule === 'ref');
    assert.deepEqual(refs.map((f) => f.message), [`$ref "../shared.yaml#/paths/~1leaked" points outside the root ${join(dir, 'api')} and was not read (set the root with --root DIR, or lift the limit with --allow-refs-outside-root).`]);
  });
});

// ------------------------------------------------------------------------------------------------
// The real language server: the same policy for lint, Fix All and export.

interface Diagnostic {
  range: { start: { line: number; character: number } };
  code?: string;
  message: string;
  severity?: number;
}

class Lsp {
  readonly conn: rpc.MessageConnection;
  readonly child;
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private waiters: { uri: string; resolve: (d: Diagnostic[]) => void }[] = [];
  applied: unknown[] = [];

  constructor(log: string) {
    this.child = spawn(process.execPath, ['--require', SPY, SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HEADROOM_WATCH: `${outside}/`, HEADROOM_READ_LOG: log },
    });
    this.conn = connectionTo(this.child);
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.waiters = this.waiters.filter((w) => (w.uri === p.uri ? (w.resolve(p.diagnostics), false) : true));
    });
    this.conn.onNotification(() => {});
    this.conn.onRequest('workspace/applyEdit', (p: unknown) => {
      this.applied.push(p);
      return { applied: true };
    });
    this.conn.onRequest(() => null);
    this.conn.listen();
  }

  next(uri: string): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiters.push({ uri, resolve }));
  }

  async start(folder: string, trusted: boolean, allowRefsOutsideWorkspace = false): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'ws' }],
      capabilities: { workspace: { applyEdit: true }, textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } } },
      initializationOptions: {
        settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 100 }, ruleset: '', allowRemoteRefs: true, allowRefsOutsideWorkspace },
        trusted,
      },
    });
    await this.conn.sendNotification('initialized', {});
  }

  stop(): void {
    this.conn.dispose();
    this.child.kill();
  }
}

describe('language server: $refs stay inside the workspace folder', () => {
  for (const way of WAYS) {
    test(`lint, Fix All and export: ${way.name} (untrusted workspace: remote and outside refs off whatever the settings say)`, async () => {
      const { repo, spec, log } = makeRepo(way);
      const hits = remoteHits;
      const lsp = new Lsp(log);
      try {
        // Untrusted, with both settings on: neither may take effect.
        await lsp.start(repo, false, true);
        const uri = pathToFileURL(spec).href;
        const published = lsp.next(uri);
        lsp.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(spec, 'utf8') } });
        const diagnostics = await published;
        const refs = diagnostics.filter((d) => d.code === 'ref');
        assert.equal(refs.length, 1, JSON.stringify(diagnostics));
        assert.equal(refs[0].range.start.line, REF_LINE);
        assert.ok(refs[0].message.includes(`$ref "${way.ref()}"`), refs[0].message);
        if (way.name !== 'a remote URL') {
          assert.equal(refs[0].message, `$ref "${way.ref()}" points outside the workspace folder and was not read (allow it with the headroom.allowRefsOutsideWorkspace setting).`);
        }

        const fixed = await lsp.conn.sendRequest<{ fixed: number }>('headroom/fixAll', { uri });
        assert.ok(fixed.fixed > 0);
        const edited = JSON.stringify(lsp.applied);
        assert.ok(!edited.includes(pathToFileURL(outside).href) && !edited.includes(outside), 'no edit touches the outside file');

        const exported = await lsp.conn.sendRequest<{ ok: boolean; text?: string; findings: { rule: string; message: string; file: string }[] }>('headroom/export', { uri, target: 'nginx', listen: '127.0.0.1:8080' });
        assert.equal(exported.ok, false);
        assert.equal(exported.text, undefined);
        assert.deepEqual(exported.findings.map((f) => [f.rule, f.file]), [['ref', spec]]);
        assert.ok(exported.findings[0].message.includes(`$ref "${way.ref()}"`));

        assert.equal(reads(log), '');
        assert.equal(remoteHits, hits);
      } finally {
        lsp.stop();
      }
    });
  }
});

describe('a fetched document: its $refs name resources on its server, never files on this machine', () => {
  test('lint --allow-remote-refs --allow-refs-outside-root: an absolute path or a file: URL in it is refused, a relative one is fetched from the server', async () => {
    const secret = join(outside, 'secret.yaml');
    const requested: string[] = [];
    const remote = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === '/api/paths.yaml') {
        res.end(`absolute:\n  $ref: '${secret}#/paths/~1leaked'\nfileUrl:\n  $ref: '${pathToFileURL(secret).href}#/paths/~1leaked'\nrelative:\n  $ref: './item.yaml'\n`);
      } else if (req.url === '/api/item.yaml' || req.url === secret) {
        res.end(`get:\n  responses:\n    '200': {description: served by the server}\n`);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/api/paths.yaml`;
      const { repo, log } = makeRepo({ name: 'remote', ref: () => `${url}#/relative` });
      writeFileSync(join(repo, 'spec.yaml'), SPEC(`${url}#/relative`).replace("  /leaked:\n    $ref:", `  /absolute:\n    $ref: '${url}#/absolute'\n  /file:\n    $ref: '${url}#/fileUrl'\n  /leaked:\n    $ref:`));
      // Not spawnSync: the server answers from this process's event loop.
      const child = spawn(process.execPath, ['--require', SPY, CLI, 'lint', 'spec.yaml', '--format', 'json', '--allow-remote-refs', '--allow-refs-outside-root'], {
        cwd: repo,
        env: { ...process.env, HEADROOM_WATCH: `${outside}/`, HEADROOM_READ_LOG: log },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      await new Promise((r) => child.on('close', r));
      const findings = JSON.parse(out) as { file: string; rule: string; message: string }[];
      assert.equal(reads(log), '', 'nothing outside was read');
      assert.ok(findings.every((f) => !f.message.includes('SECRET') && !f.message.includes('4242')));
      // The absolute path is a path on the server (fetched there, where it is served), the file: URL is refused.
      assert.ok(requested.includes(secret), JSON.stringify(requested));
      assert.ok(requested.includes('/api/item.yaml'), JSON.stringify(requested));
      const refs = findings.filter((f) => f.rule === 'ref').map((f) => f.message);
      assert.deepEqual(refs, [
        // Fetched from the server, which serves an item there, not a document with paths.
        `$ref "${secret}#/paths/~1leaked" points at nothing: no "/paths/~1leaked" in ${secret}.`,
        `$ref "${pathToFileURL(secret).href}#/paths/~1leaked" in a fetched document names a file on this machine; it is not read`,
      ]);
    } finally {
      remote.close();
    }
  });
});
