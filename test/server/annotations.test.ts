/**
 * Typing x-gateway-* annotations, through the built language server (dist/server.js) over LSP:
 * completion of the annotation names on the root / a path item / an operation (not elsewhere), of
 * an annotation's properties and of their enum values, in YAML and JSON; hover with the schema's
 * description; and validation: the lint reports the annotation errors the export refuses
 * (`x-gateway-cache: {ttl: forever}`, the unknown `x-gateway-ratelimit`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { initialize, startServer } from '../helpers/server';

const dir = mkdtempSync(join(tmpdir(), 'headroom-annotations-'));
const diagnostics = new Map<string, (d: { code: string; message: string; range: any }[]) => void>();
const server = startServer((conn) => conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: any[] }) => diagnostics.get(p.uri)?.(p.diagnostics)));
const { conn } = server;

before(() => initialize(conn, dir, { initializationOptions: { settings: DEFAULT_SETTINGS, trusted: true } }));
after(() => server.close());

let n = 0;
/** Open `text` (with `|` marking the cursor) and return the document's uri and the cursor. */
function open(text: string, ext: 'yaml' | 'json' = 'yaml') {
  const offset = text.indexOf('|');
  const clean = text.replace('|', '');
  const before = clean.slice(0, offset).split('\n');
  const file = join(dir, `spec${++n}.${ext}`);
  writeFileSync(file, clean);
  const uri = pathToFileURL(file).toString();
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: ext, version: 1, text: clean } });
  return { uri, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

async function complete(text: string, ext: 'yaml' | 'json' = 'yaml') {
  const { uri, position } = open(text, ext);
  const items = (await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as any[] | { items: any[] };
  return Array.isArray(items) ? items : items.items;
}

const HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

test('the annotation names complete on an operation, a path item and the root, each with its description', async () => {
  const onOperation = await complete(`${HEAD}paths:\n  /orders:\n    get:\n      x-ga|\n      responses:\n        '200': {description: ok}\n`);
  assert.deepEqual(onOperation.map((i) => i.label), ['x-gateway-rate-limit', 'x-gateway-cache', 'x-gateway-cors', 'x-gateway-request-size', 'x-gateway-upstream', 'x-gateway-name']);
  const cache = onOperation.find((i) => i.label === 'x-gateway-cache');
  assert.deepEqual(cache.textEdit, { range: { start: { line: 5, character: 6 }, end: { line: 5, character: 10 } }, newText: 'x-gateway-cache: ' });
  assert.match(cache.documentation.value, /^Response caching at the gateway, or false to switch an inherited policy off\.\n\nValue: false or an object such as \{ttl: "30s"\}\.$/);
  assert.equal((await complete(`${HEAD}paths:\n  /orders:\n    x-|\n    get: {responses: {'200': {description: ok}}}\n`)).length, 6);
  assert.equal((await complete(`${HEAD}x-|\npaths: {}\n`)).length, 6);
});

test('no annotation names where annotations do not go (a response, a schema)', async () => {
  assert.deepEqual(await complete(`${HEAD}paths:\n  /orders:\n    get:\n      responses:\n        '200':\n          x-|\n`), []);
  assert.deepEqual(await complete(`${HEAD}components:\n  schemas:\n    Pet:\n      x-|\n`), []);
});

test("an annotation's properties complete, required first; a nested object's too", async () => {
  const rate = await complete(`${HEAD}x-gateway-rate-limit:\n  requests: 100\n  |\npaths: {}\n`);
  assert.deepEqual(rate.map((i) => [i.label, i.sortText]), [['requests', '0'], ['window', '0'], ['key', '1'], ['burst', '1'], ['scope', '1']]);
  assert.equal(rate.find((i) => i.label === 'window').detail, 'a whole number above 0 followed by s, m, h or d (e.g. "60s", "1m"), at most 2147483647 seconds (~68 years)');
  const target = await complete(`${HEAD}paths:\n  /a:\n    get:\n      x-gateway-upstream:\n        targets:\n          - url: http://10.0.0.1\n            w|\n`);
  assert.deepEqual(target.map((i) => i.label), ['url', 'weight']);
  const firstKeyOfItem = await complete(`${HEAD}x-gateway-rate-limit:\n  - |\npaths: {}\n`);
  assert.deepEqual(firstKeyOfItem.map((i) => i.label), ['requests', 'window', 'key', 'burst', 'scope']);
});

test('enum values, false and booleans complete as values', async () => {
  const algorithm = await complete(`${HEAD}x-gateway-upstream:\n  targets: [{url: 'http://a'}]\n  algorithm: |\npaths: {}\n`);
  assert.deepEqual(algorithm.map((i) => i.label), ['round-robin', 'least-conn', 'hash']);
  assert.deepEqual((await complete(`${HEAD}paths:\n  /a:\n    x-gateway-cache: f|\n`)).map((i) => [i.label, i.textEdit.newText]), [['false', 'false']]);
  assert.deepEqual((await complete(`${HEAD}x-gateway-rate-limit:\n  key: |\n`)).map((i) => i.label), ['ip', 'consumer', 'header:']);
  assert.deepEqual((await complete(`${HEAD}x-gateway-cors:\n  origins: ['*']\n  credentials: |\n`)).map((i) => i.label), ['true', 'false']);
  assert.deepEqual((await complete(`${HEAD}x-gateway-cache:\n  ttl: 30s\n  methods:\n    - |\n`)).map((i) => i.label), ['GET', 'HEAD']);
});

test('JSON: names, properties and values complete with quotes', async () => {
  const names = await complete('{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {"x-g|": 1, "responses": {}}}}}', 'json');
  assert.equal(names.length, 6);
  assert.equal(names.find((i) => i.label === 'x-gateway-rate-limit').textEdit.newText, '"x-gateway-rate-limit"');
  const props = await complete('{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "x-gateway-cache": {|}, "paths": {}}', 'json');
  assert.deepEqual(props.map((i) => [i.label, i.textEdit.newText]).slice(0, 2), [['ttl', '"ttl": '], ['methods', '"methods": ']]);
  const values = await complete('{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "x-gateway-upstream": {"algorithm": "|"}, "paths": {}}', 'json');
  assert.deepEqual(values.map((i) => i.textEdit.newText), ['"round-robin"', '"least-conn"', '"hash"']);
});

test('hover on an annotation key shows its description and what its value must be', async () => {
  const { uri } = open(`${HEAD}paths:\n  /a:\n    get:\n      x-gateway-cache:\n        ttl: 30s\n      responses: {'200': {description: ok}}\n|`);
  const onTtl = (await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 9 } })) as any;
  assert.equal(
    onTtl.contents.value,
    '**`x-gateway-cache.ttl`** (Headroom gateway annotation)\n\nHow long a response stays cached: a duration or a number of seconds.\n\nValue: a whole number above 0 followed by s, m, h or d (e.g. "30s") or a whole number of seconds above 0, at most 2147483647 seconds (~68 years).',
  );
  const onName = (await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 10 } })) as any;
  assert.match(onName.contents.value, /^\*\*`x-gateway-cache`\*\* \(Headroom gateway annotation\)\n\nResponse caching at the gateway/);
  // `get` (no annotation, and no finding: the lint may have finished by now, and a finding's hover is its rule's doc).
  assert.equal(await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 5 } }), null, 'not on an annotation');
});

test('validation as you type: the lint reports what the export would refuse', async () => {
  const text = `${HEAD}paths:\n  /a:\n    get:\n      x-gateway-cache: {ttl: forever}\n      x-gateway-ratelimit: {requests: 1, window: 1s}\n      responses: {'200': {description: ok}}\n`;
  const file = join(dir, 'invalid.yaml');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const published = new Promise<any[]>((resolve) => diagnostics.set(uri, resolve));
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const found = (await published).filter((d) => d.code === 'gateway-annotation-valid');
  assert.deepEqual(
    found.map((d) => [d.range.start.line, d.range.start.character, d.message]),
    [
      [5, 29, 'ttl "forever" must be a whole number above 0 followed by s, m, h or d (e.g. "30s") or a whole number of seconds above 0, at most 2147483647 seconds (~68 years).'],
      [6, 6, 'Unknown annotation x-gateway-ratelimit: did you mean x-gateway-rate-limit? (known: x-gateway-rate-limit, x-gateway-cache, x-gateway-cors, x-gateway-request-size, x-gateway-upstream, x-gateway-name).'],
    ],
  );
});
