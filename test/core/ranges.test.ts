/** Object ranges are narrowed to the key that names them, in YAML and JSON. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clampRange, LineIndex, narrowRange, splitLines } from '../../src/openapi/ranges';
import fc from 'fast-check';

const r = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

test('a YAML block mapping value narrows to its key, hyphens included', () => {
  const lines = ['paths:', '  /a:', '    x-gateway-cache:', '      ttl: 1m'];
  assert.deepEqual(narrowRange(lines, r(2, 20, 3, 13)), r(2, 4, 2, 19));
});

test('a flow mapping value narrows to its key', () => {
  assert.deepEqual(narrowRange(['    x-gateway-cache: {ttl: 1m}'], r(0, 20, 0, 30)), r(0, 4, 0, 19));
});

test('a key inside a sequence item starts after the dash', () => {
  assert.deepEqual(narrowRange(['  - schema:', '      type: string'], r(0, 11, 1, 18)), r(0, 4, 0, 10));
});

test('quoted YAML and JSON keys keep their quotes', () => {
  assert.deepEqual(narrowRange(["    '429':", '      description: x'], r(0, 10, 1, 20)), r(0, 4, 0, 9));
  assert.deepEqual(narrowRange(['    "responses": {', '    }'], r(0, 17, 1, 5)), r(0, 4, 0, 15));
});

test('scalars keep their own range; array items without a key keep their first line', () => {
  assert.deepEqual(narrowRange(['    window: 5x'], r(0, 12, 0, 14)), r(0, 12, 0, 14));
  assert.deepEqual(narrowRange(['  - name: a', '    in: query'], r(0, 4, 1, 13)), r(0, 4, 0, 11));
});

test('a key with no value gets the key, not an empty range', () => {
  assert.deepEqual(narrowRange(['x-gateway-rate-limit:', 'paths: {}'], r(0, 21, 0, 21)), r(0, 0, 0, 20));
});

test('unquoted YAML keys with braces or spaces keep their whole name', () => {
  assert.deepEqual(narrowRange(['  /pets/{petId}/{petId}:', '    get: {}'], r(0, 24, 1, 11)), r(0, 2, 0, 23));
  assert.deepEqual(narrowRange(['    My Schema:', '      type: object'], r(0, 14, 1, 18)), r(0, 4, 0, 13));
  assert.deepEqual(narrowRange(['x-gateway-cache: {ttl: 1m, vary: {a: 1}}'], r(0, 33, 0, 39)), r(0, 27, 0, 31));
});

test('a position past the end of the text (a YAML error at the end of the input) moves to the end of the last line', () => {
  // Spectral's YAML parser reports "unexpected end of the stream" one line past the last.
  const lines = splitLines('a: {b: 1');
  assert.deepEqual(narrowRange(lines, r(1, 0, 1, 0)), r(0, 8, 0, 8));
  // …and a column its error recovery miscounted, past the end of the line, to that line's end.
  assert.deepEqual(clampRange(['abc', 'de'], r(0, 99, 1, 250)), r(0, 3, 1, 2));
  assert.deepEqual(clampRange(['abc', 'de'], r(1, 1, 1, 2)), r(1, 1, 1, 2));
});

test('lines are counted as editors count them: CR ends one too, a byte order mark is no character', () => {
  assert.deepEqual(splitLines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(splitLines('\uFEFFopenapi: 3.0.3\n'), ['openapi: 3.0.3', '']);
});

test('LineIndex has the lines of splitLines, cut when asked for (LF, CRLF, lone CR, BOM, empty lines)', () => {
  const fixed = ['', '\n', 'a', 'a\n', '\uFEFFa\nb', 'a\r\nb\rc\n\nd\r\n', '\r', '\r\n\r\n', '\uFEFF', 'x\r\r\ny'];
  const random = fc.sample(fc.array(fc.constantFrom('a', ' ', 'é', '\n', '\r', '\r\n', '\uFEFF', '{'), { maxLength: 40 }).map((parts) => parts.join('')), { numRuns: 500, seed: 16 });
  for (const text of [...fixed, ...random]) {
    const index = new LineIndex(text);
    const lines = splitLines(text);
    assert.equal(index.length, lines.length, JSON.stringify(text));
    for (let n = -1; n <= lines.length; n++) assert.equal(index.line(n), lines[n], `${JSON.stringify(text)} line ${n}`);
  }
});

test('narrowRange and clampRange give the same ranges over a LineIndex as over the split lines', () => {
  const text = 'openapi: 3.0.0\r\npaths:\n  /a:\r    x-gateway-cache:\n      ttl: 1m\n  "b": {\n  }\n';
  const index = new LineIndex(text);
  const lines = splitLines(text);
  for (let sl = 0; sl < 9; sl++) {
    for (let el = sl; el < 9; el++) {
      for (const [sc, ec] of [[0, 0], [2, 7], [20, 13], [99, 99]]) {
        assert.deepEqual(narrowRange(index, r(sl, sc, el, ec)), narrowRange(lines, r(sl, sc, el, ec)));
        assert.deepEqual(clampRange(index, r(sl, sc, el, ec)), clampRange(lines, r(sl, sc, el, ec)));
      }
    }
  }
});
