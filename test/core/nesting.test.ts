/**
 * What the parsers are handed (src/openapi/document.ts parserInput, src/openapi/nesting.ts): nesting cut
 * at MAX_NESTING levels, positions kept; a BOM and CR line ends counted as editors count them.
 * The fuzz tests (test/fuzz) drive the same through the whole engine in a separate process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { yamlNesting } from '../../src/openapi/aliases';
import { defuseAliases, parseDocument } from '../../src/openapi/document';
import { blankSpans, jsonDeepSpans, MAX_NESTING, yamlDeepSpans, yamlDepthBound } from '../../src/openapi/nesting';

const N = 10_000;

test('JSON: the collections opened deeper than the limit, ignoring brackets in strings and comments', () => {
  const text = '{"a": ["]]]", // ]]\n /* ]] */ [[1]]], "b": [[2]]}';
  assert.equal(jsonDeepSpans(text, 10).depth, 4);
  assert.deepEqual(jsonDeepSpans(text, 2).spans.map(([s, e]) => text.slice(s, e)), ['[[1]]', '[2]']);
  // Unclosed: to the end.
  assert.deepEqual(jsonDeepSpans('[[[[', 2).spans, [[2, 4]]);
});

test('YAML: the collections opened deeper than the limit, flow or block', () => {
  const text = 'a:\n  b:\n    c: [1, {d: 2}]\n  e: [3]\n';
  assert.deepEqual(yamlDeepSpans(text, 3).map(([s, e]) => text.slice(s, e).trimEnd()), ['[1, {d: 2}]']);
  assert.deepEqual(yamlDeepSpans(text, 2).map(([s, e]) => text.slice(s, e).trimEnd()), ['c: [1, {d: 2}]', '[3]']);
});

test('blanking keeps the length and every line break', () => {
  const text = 'x: [\n  [1],\r\n  [2]]\ny: 1\n';
  const out = blankSpans(text, [[3, 19]], '~');
  assert.equal(out, 'x: ~\n      \r\n      \ny: 1\n');
});

test('YAML nested 10,000 levels parses, cut at 1,000 levels, with a parse diagnostic where the cut is', () => {
  for (const text of [`openapi: 3.0.3\nx: ${'['.repeat(N)}${']'.repeat(N)}\n`, `openapi: 3.0.3\nx: ${'- '.repeat(N)}1\n`, `openapi: 3.0.3\nx: ${'{a: '.repeat(N)}1${'}'.repeat(N)}\n`]) {
    const doc = parseDocument(text, 'deep.yaml');
    assert.equal((doc.data as { openapi: string }).openapi, '3.0.3');
    const cut = doc.diagnostics.filter((d) => /nest deeper than 1,000 levels/.test(d.message));
    if (text.includes('- - ')) continue; // Spectral's parser reads this one as a syntax error before any depth
    assert.equal(cut.length, 1, doc.diagnostics.map((d) => d.message).join(' | '));
    assert.equal(cut[0].range.start.line, 1);
  }
});

test('JSON nested deeper than 1,000 levels is cut there, whatever the stack', () => {
  const depth = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
  const doc = parseDocument(`{"x": ${'['.repeat(1200)}${']'.repeat(1200)}}`, 'deep.json');
  assert.equal(depth(doc.data), MAX_NESTING);
  assert.match(doc.diagnostics.map((d) => d.message).join(), /nest deeper than 1,000 levels/);
  const fine = parseDocument(`{"x": ${'['.repeat(999)}${']'.repeat(999)}}`, 'fine.json');
  assert.equal(depth(fine.data), 1000);
  assert.deepEqual(fine.diagnostics, []);
});

test('a $ref-ed text is bounded beforehand, with a message that follows "leads to <file>, where"', () => {
  const json = defuseAliases(`{"a": ${'['.repeat(N)}${']'.repeat(N)}}`, '/x/part.json');
  assert.equal(json.bomb?.message, 'values nest deeper than 1,000 levels (line 1); what lies deeper was left out.');
  const yaml = defuseAliases(`a:\n  b: ${'['.repeat(N)}${']'.repeat(N)}\n`, '/x/part.yaml');
  assert.match(yaml.bomb?.message ?? '', /^values nest deeper than 1,000 levels \(line 2\)/);
  assert.deepEqual(defuseAliases('a: [[1]]\n', '/x/part.yaml'), { text: 'a: [[1]]\n' });
});

test('a BOM and CR line ends give the ranges of the plain LF text', () => {
  const text = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get: {}\n";
  const plain = parseDocument(text, 'a.yaml');
  for (const variant of ['\uFEFF' + text, text.replace(/\n/g, '\r'), text.replace(/\n/g, '\r\n')]) {
    const doc = parseDocument(variant, 'a.yaml');
    for (const path of [['openapi'], ['info', 'version'], ['paths', '/a', 'get']]) {
      assert.deepEqual(doc.getRangeForJsonPath(path, true), plain.getRangeForJsonPath(path, true), `${JSON.stringify(variant.slice(0, 20))} ${path.join('.')}`);
    }
  }
});

test('the cheap YAML nesting bound is never below the nesting the parser finds', async () => {
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.integer(), fc.string({ maxLength: 6 }), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('node'), { maxKeys: 3 })),
  })).node;
  fc.assert(
    fc.property(value, fc.boolean(), (v, flow) => {
      const text = stringify({ root: v }, { flowLevel: flow ? 1 : -1 } as any);
      assert.ok(yamlDepthBound(text) >= yamlNesting(text), text);
    }),
    { seed: 42, numRuns: 300 },
  );
});
