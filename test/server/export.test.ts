/**
 * The `headroom/export` request through the built language server (dist/server.js) over LSP: why
 * an export stopped, in words that name the kind of error; the export's findings set against the
 * lint's (an annotation error the lint lists is not listed again; what only the export sees is);
 * the open `cache-shared-authenticated` / `ratelimit-policy-*` warnings a config would ship with;
 * and the destination (default or given) the header's run command names, with the VS Code
 * command in place of the CLI for the editor.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SETTINGS, type ExportPolicyParams, type ExportPolicyReply } from '../../src/shared/settings';
import { initialize, startServer } from '../helpers/server';

const dir = mkdtempSync(join(tmpdir(), 'headroom-export-server-'));

interface Published {
  code: string;
  message: string;
  severity: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
const published = new Map<string, Published[]>();
const waiting = new Map<string, (d: Published[]) => void>();
const server = startServer((conn) =>
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Published[] }) => {
    published.set(p.uri, p.diagnostics);
    waiting.get(p.uri)?.(p.diagnostics);
  }),
);
const { conn } = server;

before(() => initialize(conn, dir, { initializationOptions: { settings: DEFAULT_SETTINGS, trusted: true } }));
after(() => server.close());

/** The next diagnostics published for `uri` that satisfy `ok`. */
function nextDiagnostics(uri: string, ok: (d: Published[]) => boolean): Promise<Published[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(published.get(uri))}`)), 30_000);
    waiting.set(uri, (d) => {
      if (!ok(d)) return;
      clearTimeout(timer);
      waiting.delete(uri);
      resolve(d);
    });
  });
}

let version = 1;
/** Write and open a spec; resolves with its uri once its first lint is published. */
async function open(name: string, text: string): Promise<{ uri: string; file: string }> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const linted = nextDiagnostics(uri, () => true);
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: name.endsWith('.json') ? 'json' : 'yaml', version: version++, text } });
  await linted;
  return { uri, file };
}

function exportOf(uri: string, extra: Partial<ExportPolicyParams> = {}): Promise<ExportPolicyReply> {
  return conn.sendRequest<ExportPolicyReply>('headroom/export', { uri, target: 'nginx', listen: '127.0.0.1:8080', ...extra });
}

const HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'http://127.0.0.1:9000'}]\n";
const range = (r: Published['range']) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

test('an annotation error: the export stops "in its gateway annotations"; the lint already lists it, so the export lists nothing more', async () => {
  const { uri } = await open('bad.yaml', `${HEAD}paths:\n  /x:\n    get:\n      x-gateway-cache: {ttl: soon}\n      responses: {'200': {description: ok}}\n`);
  const reply = await exportOf(uri, { origin: 'vscode' });
  assert.equal(reply.ok, false);
  assert.equal(reply.text, undefined);
  assert.equal(reply.stopped, 'the spec has 1 error in its gateway annotations');
  assert.deepEqual(
    reply.findings.map((f) => [f.rule, f.severity, range(f.range), f.message]),
    [['gateway-annotation-valid', 'error', '6:29-6:33', 'ttl "soon" must be a whole number above 0 followed by s, m, h or d (e.g. "30s") or a whole number of seconds above 0, at most 2147483647 seconds (~68 years).']],
  );
  // The same finding, as the lint published it: same rule, range and message.
  const lint = published.get(uri)!.filter((d) => d.code === 'gateway-annotation-valid');
  assert.deepEqual(lint.map((d) => [d.code, range(d.range), d.message]), [['gateway-annotation-valid', '6:29-6:33', reply.findings[0].message]]);
  assert.deepEqual(reply.unlisted, [], 'the export lists again what the lint lists');
});

test('the cycle through the server: fix the annotation, the next lint drops the error and the export goes through', async () => {
  const { uri } = await open('cycle.yaml', `${HEAD}paths:\n  /x:\n    get:\n      x-gateway-ratelimit: {requests: 5, window: 1m}\n      responses: {'200': {description: ok}}\n`);
  const before = await exportOf(uri);
  assert.equal(before.stopped, 'the spec has 1 error in its gateway annotations');
  assert.deepEqual(before.unlisted, []);
  assert.ok(published.get(uri)!.some((d) => d.code === 'gateway-annotation-valid'), 'the lint does not list the unknown annotation');
  const fixed = `${HEAD}paths:\n  /x:\n    get:\n      x-gateway-rate-limit: {requests: 5, window: 1m}\n      responses: {'200': {description: ok}}\n`;
  const relinted = nextDiagnostics(uri, (d) => !d.some((x) => x.code === 'gateway-annotation-valid'));
  conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: version++ }, contentChanges: [{ text: fixed }] });
  await relinted;
  const after = await exportOf(uri);
  assert.equal(after.ok, true, JSON.stringify(after.findings));
  assert.equal(after.stopped, undefined);
  assert.match(after.text!, /rate=5r\/m/);
});

test('a YAML syntax error is called a syntax error', async () => {
  const { uri } = await open('syntax.yaml', `${HEAD}paths:\n  /x:\n    get: {responses: {'200': {description: ok}}\n`);
  const reply = await exportOf(uri, { origin: 'vscode' });
  assert.equal(reply.ok, false);
  const n = reply.findings.length;
  assert.ok(n > 0 && reply.findings.every((f) => f.rule === 'parse' && f.severity === 'error'), JSON.stringify(reply.findings));
  assert.equal(reply.stopped, `the spec has ${n} syntax error${n === 1 ? '' : 's'}`);
});

test('what only the export sees (a lenient read) is unlisted: the client shows it until the next lint', async () => {
  const { uri } = await open('empty.yaml', `${HEAD}paths: {}\n`);
  const reply = await exportOf(uri);
  assert.equal(reply.ok, true);
  assert.deepEqual(
    reply.unlisted.map((f) => [f.rule, f.severity, f.message]),
    [['export', 'warn', 'The spec has no operations under paths: the gateway exposes nothing (every request answers 404).']],
  );
  assert.deepEqual(reply.unlisted, reply.findings);
});

test('open cache-shared-authenticated and ratelimit-policy-* warnings are in the reply; other findings are not', async () => {
  const { uri, file } = await open(
    'warned.yaml',
    `${HEAD}security: [{key: []}]\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\npaths:\n  /me:\n    get:\n      x-gateway-cache: {ttl: 60s}\n      x-gateway-rate-limit: {requests: 10, window: 1m}\n      responses: {'200': {description: ok}}\n  /other:\n    get: {responses: {'200': {description: ok}}}\n`,
  );
  const reply = await exportOf(uri);
  assert.equal(reply.ok, true);
  const lint = published.get(uri)!;
  const expected = lint.filter((d) => d.code === 'cache-shared-authenticated' || d.code.startsWith('ratelimit-policy-')).map((d) => `${d.code} ${range(d.range)}`).sort();
  assert.ok(expected.some((e) => e.startsWith('cache-shared-authenticated ')), `the lint has no cache-shared-authenticated: ${lint.map((d) => d.code)}`);
  assert.ok(expected.some((e) => e.startsWith('ratelimit-policy-')), `the lint has no ratelimit-policy-*: ${lint.map((d) => d.code)}`);
  assert.ok(lint.some((d) => !d.code.startsWith('ratelimit-policy-') && d.code !== 'cache-shared-authenticated'), 'the spec has no other finding to leave out');
  assert.deepEqual(reply.warnings.map((w) => `${w.rule} ${range(w.range)}`).sort(), expected);
  assert.ok(reply.warnings.every((w) => w.file === file && (w.severity === 'warn' || w.severity === 'error')));
  assert.deepEqual(reply.files, [file]);
});

test('a spec exported from the Explorer, never opened: its warnings come from a lint run for the export, nothing is published', async () => {
  const text = `${HEAD}security: [{key: []}]\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\npaths:\n  /me:\n    get:\n      x-gateway-cache: {ttl: 60s}\n      x-gateway-rate-limit: {requests: 10, window: 1m}\n      responses: {'200': {description: ok}}\n`;
  const opened = await open('warned-open.yaml', text);
  const expected = (await exportOf(opened.uri)).warnings.map((w) => `${w.rule} ${range(w.range)}`).sort();
  assert.ok(expected.some((e) => e.startsWith('cache-shared-authenticated ')), JSON.stringify(expected));
  const file = join(dir, 'warned-closed.yaml');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const reply = await exportOf(uri);
  assert.equal(reply.ok, true);
  assert.deepEqual(reply.warnings.map((w) => `${w.rule} ${range(w.range)}`).sort(), expected);
  assert.ok(reply.warnings.every((w) => w.file === file));
  assert.equal(published.has(uri), false, 'the export published no diagnostics for a file the editor did not open');
});

test('the destination: the default one under outputDir, or the one given; the editor\'s header names it and its command', async () => {
  const { uri } = await open('dest.yaml', `${HEAD}paths:\n  /x:\n    get:\n      x-gateway-rate-limit: {requests: 5, window: 1m}\n      responses: {'200': {description: ok}}\n`);
  const byDefault = await exportOf(uri, { origin: 'vscode', outputDir: 'deploy', folder: dir });
  assert.equal(byDefault.destination, join(dir, 'deploy', 'dest.nginx.conf'));
  const lines = byDefault.text!.split('\n');
  assert.equal(lines[1], '# Do not edit: regenerate it in VS Code with "Headroom: Export Gateway Policy…" → NGINX on dest.yaml.');
  assert.equal(lines[2], `# Run it with \`nginx -p ${join(dir, 'deploy')} -c ${join(dir, 'deploy', 'dest.nginx.conf')}\`; logs, temp files and the`);
  const given = await exportOf(uri, { origin: 'vscode', destination: '/srv/gw/edge.conf', target: 'kong' });
  assert.equal(given.destination, '/srv/gw/edge.conf');
  assert.match(given.text!, /^# Load it with decK \(`deck gateway sync \/srv\/gw\/edge\.conf`\)/m);
  // Other LSP clients get the CLI's header, as before.
  const cli = await exportOf(uri);
  assert.equal(cli.destination, join(dir, 'dest.nginx.conf'));
  assert.equal(cli.text!.split('\n')[1], '# Do not edit: regenerate with `headroom export dest.yaml --target nginx`.');
  assert.equal(cli.text!.split('\n')[2], '# Run it from a folder DIR holding this file: `nginx -p DIR -c DIR/nginx.conf`; logs, temp files and the');
});
