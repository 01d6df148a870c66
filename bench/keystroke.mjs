// Keystroke → fresh diagnostics through the real language server (dist/server.js over stdio), with
// headroom.lint.debounceMs = 0: didOpen, then N small edits at different places, each timed until
// the lint of that version is done (its headroom/status: a lint that changes no finding publishes
// nothing). Also the server's RSS before/after a long run of edits.
//   node bench/keystroke.mjs [spec] [edits=30] [soak=0]     (BENCH_EDIT=schema|broken: schema type edits in paths)
// Without a spec: GitHub's 13 MB api.github.com.json (bench/githubSpec.mjs fetches it once).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { githubSpec } from './githubSpec.mjs';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');
const { parseWithPointers } = require('@stoplight/yaml');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(process.argv[2] || githubSpec());
const edits = Number(process.argv[3] ?? 30);
const soak = Number(process.argv[4] ?? 0);
const text = readFileSync(spec, 'utf8');
const uri = pathToFileURL(spec).href;

// Parse floor of this file with the parser Headroom uses (JSON.parse; Spectral's YAML parser with
// Headroom's options, src/core/lean/incrementalYaml.ts), in-process, warm (median of 5).
const YAML_OPTIONS = { ignoreDuplicateKeys: false, mergeKeys: true, preserveKeyOrder: false, attachComments: false };
const parse = /\.json$/i.test(spec) ? (t) => JSON.parse(t) : (t) => parseWithPointers(t, YAML_OPTIONS);
const floors = [];
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  parse(text);
  if (i > 0) floors.push(performance.now() - t);
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// BENCH_SERVER: another build's dist/server.js, to compare.
// BENCH_NODE_ARGS: more options for the server's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, ['--expose-gc', ...nodeArgs, process.env.BENCH_SERVER ?? resolve(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
let waiting;
let published = 0;
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  if (p.uri === uri) published++;
});
conn.onNotification('headroom/status', (p) => {
  if (p.uri === uri && waiting) {
    const w = waiting;
    waiting = undefined;
    w(p.count);
  }
});
conn.onNotification((method, params) => { if (process.env.DEBUG) console.error(method, JSON.stringify(params).slice(0, 150)); });
conn.onRequest(() => null);
conn.listen();
const nextDiagnostics = () => new Promise((r) => (waiting = r));

await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(dirname(spec)).href,
  workspaceFolders: [{ uri: pathToFileURL(dirname(spec)).href, name: 'bench' }],
  capabilities: {},
  initializationOptions: {
    settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 1000 }, ruleset: '', allowRemoteRefs: false, allowRefsOutsideWorkspace: false },
    trusted: true,
    status: true,
    // What the VS Code client asks for: no more diagnostics per file than VS Code shows.
    maxDiagnosticsPerFile: 1000,
  },
});
conn.sendNotification('initialized', {});

const t = performance.now();
const opened = nextDiagnostics();
// BENCH_TABS=1: as VS Code opens a large file, its tab first (linted from disk), its text after.
if (process.env.BENCH_TABS) conn.sendNotification('headroom/tabs', { opened: [uri] });
else conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: /\.json$/i.test(spec) ? 'json' : 'yaml', version: 1, text } });
const count = await opened;
const openMs = performance.now() - t;
if (process.env.BENCH_TABS) conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: /\.json$/i.test(spec) ? 'json' : 'yaml', version: 1, text } });
// BENCH_PAUSE_MS: wait this long after the open before the first key (an editor's user reads first).
await new Promise((r) => setTimeout(r, Number(process.env.BENCH_PAUSE_MS ?? 0)));

// Type one character into description values spread over the file, then delete it again.
const lines = text.split('\n');
// BENCH_EDIT=schema: instead, delete the `g` of a `type: string` inside `paths` (a validate error)
// and type it again, each timed (the in-process measure is bench/edit-lint.ts).
// BENCH_EDIT=broken: delete the closing quote of such a `"string"` (JSON: the text is no longer
// JSON) and type it again, each timed; the first key after the open is printed on its own.
const brokenMode = process.env.BENCH_EDIT === 'broken';
const schemaMode = process.env.BENCH_EDIT === 'schema' || brokenMode;
// The lines of `paths`: from its key to the next top-level key (2-space JSON or YAML).
const topLevel = (l) => /^(?: {2}"[^"]+"|[A-Za-z_$"'][^:]*):/.test(l);
const pathsFrom = lines.findIndex((l) => /^(?: {2}"paths"|paths):/.test(l));
const pathsTo = pathsFrom === -1 ? -1 : lines.findIndex((l, i) => i > pathsFrom && topLevel(l));
const inPaths = (i) => pathsFrom !== -1 && i > pathsFrom && (pathsTo === -1 || i < pathsTo);
const targets = lines
  .map((l, i) => [l, i])
  .filter(([l, i]) => (schemaMode ? /\btype"?\s*:\s*"?string\b/.test(l) && inPaths(i) : /description"?\s*:\s*["']?[A-Za-z]/.test(l)))
  .map(([, i]) => i);
let version = 1;
async function change(line, range, newText) {
  const done = nextDiagnostics();
  conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range, text: newText }] });
  await done;
}
const undoTimes = [];
async function edit(k) {
  const line = targets.length ? targets[Math.floor((k * targets.length) / Math.max(edits, 1)) % targets.length] : 0;
  if (schemaMode) {
    const g = lines[line].search(/string\b/) + (brokenMode ? 6 : 5);
    const key = lines[line][g];
    const before = performance.now();
    await change(line, { start: { line, character: g }, end: { line, character: g + 1 } }, '');
    const typed = performance.now() - before;
    const undo = performance.now();
    await change(line, { start: { line, character: g }, end: { line, character: g } }, key);
    undoTimes.push(performance.now() - undo);
    return typed;
  }
  const colon = lines[line].indexOf(':');
  const at = colon + 1 + Math.max(0, lines[line].slice(colon + 1).search(/[A-Za-z]/));
  const before = performance.now();
  await change(line, { start: { line, character: at }, end: { line, character: at } }, 'x');
  const typed = performance.now() - before;
  await change(line, { start: { line, character: at }, end: { line, character: at + 1 } }, '');
  return typed;
}
const times = [];
for (let k = 0; k < edits; k++) times.push(await edit(k));
const before = await conn.sendRequest('headroom/serverInfo');
for (let k = 0; k < soak; k++) await edit(k);
const after = await conn.sendRequest('headroom/serverInfo');
const mb = (b) => Math.round(b / 1024 / 1024);

const floor = pct(floors, 0.5);
console.log(
  JSON.stringify({
    spec: spec.split('/').pop(),
    findings: count,
    openMs: Math.round(openMs),
    edits,
    ...(schemaMode ? { edit: brokenMode ? 'schema type "string" → "string → "string"' : 'schema type string → strin → string', firstMs: Math.round(times[0]), undoP50Ms: Math.round(pct(undoTimes, 0.5)) } : {}),
    p50Ms: Math.round(pct(times, 0.5)),
    p90Ms: Math.round(pct(times, 0.9)),
    publications: published,
    maxMs: Math.round(Math.max(...times)),
    parseFloorMs: Math.round(floor),
    p50OverFloor: Number((pct(times, 0.5) / floor).toFixed(2)),
    ...(soak ? { soakEdits: soak * 2, heapBeforeMB: mb(before.heapUsed), heapAfterMB: mb(after.heapUsed), rssBeforeMB: mb(before.rss), rssAfterMB: mb(after.rss) } : {}),
  }),
);
// Shut down as an editor does, so a profile the server was asked for is written.
const exited = new Promise((r) => child.once('exit', r));
await conn.sendRequest('shutdown');
conn.sendNotification('exit');
await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
conn.dispose();
child.kill();
