/**
 * The lean engine's JSON locator must give the ranges Spectral's JSON parser gives
 * (@stoplight/json, jsonc-parser underneath) for any valid JSON text: random documents, random
 * layouts (indentation, CRLF, escapes, non-ASCII), existing and missing paths (closest ancestor).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { getLocationForJsonPath, parseWithPointers } from '@stoplight/json';
import { countKeys, scanJson } from '../../src/openapi/jsonLocator';

const SEED = Number(process.env.HEADROOM_FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.HEADROOM_FUZZ_RUNS ?? 200);

function paths(data: unknown): (string | number)[][] {
  const out: (string | number)[][] = [[]];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (v === null || typeof v !== 'object') return;
    for (const [k, child] of Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v)) {
      out.push([...p, k], [...p, k, 'missing'], [...p, k, 0]);
      walk(child, [...p, k]);
    }
  };
  walk(data, []);
  return out;
}

const layout = fc.record({ indent: fc.constantFrom(0, 1, 2, 4, '\t'), crlf: fc.boolean(), spaceAfterColon: fc.boolean() });
const key = fc.oneof(fc.string(), fc.constantFrom('200', '0', '01', '', 'a/b', 'a~b', 'é', '"q"', 'back\\slash', '1e3'));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 0 }), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
})).node;

test('random JSON: the scanner gives the ranges Spectral gives, for every path and missing ones', () => {
  fc.assert(
    fc.property(value, layout, (doc, l) => {
      let text = JSON.stringify(doc, null, l.indent) ?? 'null';
      if (!l.spaceAfterColon) text = text.replace(/": /g, '":');
      if (l.crlf) text = text.replace(/\n/g, '\r\n');
      const data = JSON.parse(text);
      const ps = paths(data);
      const scan = scanJson(text, ps);
      const parsed = parseWithPointers(text);
      ps.forEach((p, i) => assert.deepEqual(scan.ranges[i], getLocationForJsonPath(parsed, p, true)?.range, `path ${JSON.stringify(p)} in ${JSON.stringify(text)}`));
      assert.equal(scan.properties, countKeys(data));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('a duplicate key shows as more properties than the parsed data has keys', () => {
  const text = '{"a": 1, "b": {"c": 2, "c": 3}}';
  assert.equal(scanJson(text, []).properties, 4);
  assert.equal(countKeys(JSON.parse(text)), 3);
});

test('10,000 levels of nesting do not overflow the stack', () => {
  const text = '['.repeat(10_000) + ']'.repeat(10_000);
  const scan = scanJson(text, [[0, 0, 0]]);
  assert.deepEqual(scan.ranges[0], { start: { line: 0, character: 3 }, end: { line: 0, character: 19_997 } });
});
