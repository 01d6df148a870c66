/**
 * The incremental YAML re-parse (src/core/lean/incrementalYaml.ts) must give exactly what a full
 * parse of the edited text gives: the same data and the same range for every path. Random edits
 * (fast-check, fixed seed) are applied one after another, each re-parse building on the last, as
 * in the editor; typing into descriptions must actually take the incremental path.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { getLocationForJsonPath } from '@stoplight/yaml';
import { parseYamlFull, reparse, YamlParseCache, type YamlParse } from '../../src/openapi/incrementalYaml';

const SEED = Number(process.env.HEADROOM_FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.HEADROOM_FUZZ_RUNS ?? 60);

/** Every path of a tree (capped), to compare ranges. */
function paths(data: unknown, cap: number): (string | number)[][] {
  const out: (string | number)[][] = [[]];
  const stack: [unknown, (string | number)[]][] = [[data, []]];
  while (stack.length > 0 && out.length < cap) {
    const [v, p] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v)) {
      out.push([...p, k]);
      stack.push([child, [...p, k]]);
    }
  }
  return out;
}

function assertSameAsFull(text: string, got: YamlParse) {
  const full = parseYamlFull(text);
  assert.deepEqual(got.diagnostics, full.diagnostics);
  assert.deepEqual(got.data, full.data);
  assert.deepEqual(got.lineMap, full.lineMap);
  for (const p of paths(full.data, 3000)) {
    assert.deepEqual(getLocationForJsonPath(got, p, true), getLocationForJsonPath(full, p, true), `range of ${p.join('.')}`);
  }
}

const editArb = (len: number) =>
  fc.record({
    at: fc.nat({ max: Math.max(0, len - 1) }),
    remove: fc.oneof(fc.constant(0), fc.nat({ max: 12 })),
    insert: fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[a-z ]{1,6}$/),
      fc.constantFrom('\n', '\n  ', ': ', '- ', '"', "'", '#', '{', '[', '|', '>', '  x: 1\n', '\n      extra: value', '*a', '&a ', '<<: '),
    ),
  });

function runEdits(base: string, edits: { at: number; remove: number; insert: string }[]): number {
  let text = base;
  let parsed = parseYamlFull(text);
  let incremental = 0;
  for (const e of edits) {
    const at = Math.min(e.at, text.length);
    const next = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
    const got = reparse(text, parsed, next);
    if (got !== undefined) {
      incremental++;
      assertSameAsFull(next, got);
      parsed = got;
    } else {
      parsed = parseYamlFull(next);
    }
    text = next;
  }
  return incremental;
}

const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'rules', 'ratelimit-429-response', 'invalid.yaml'), 'utf8');

test('random edits: every incremental re-parse equals a full parse (repository fixture)', () => {
  fc.assert(
    fc.property(fc.array(editArb(fixture.length), { minLength: 1, maxLength: 8 }), (edits) => {
      runEdits(fixture, edits);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('typing into descriptions takes the incremental path and stays exact', () => {
  const lines = fixture.split('\n');
  const targets = lines.flatMap((l, i) => (/^\s+description: \S/.test(l) ? [i] : []));
  assert.ok(targets.length > 0);
  let text = fixture;
  let parsed = parseYamlFull(text);
  let incremental = 0;
  for (const [k, line] of targets.entries()) {
    const offset = text.split('\n').slice(0, line).join('\n').length + 1 + lines[line].indexOf(':') + 2;
    const next = text.slice(0, offset) + `typed${k} ` + text.slice(offset);
    const got = reparse(text, parsed, next);
    if (got !== undefined) incremental++;
    parsed = got ?? parseYamlFull(next);
    assertSameAsFull(next, parsed);
    text = next;
  }
  assert.equal(incremental, targets.length, 'every description edit inside an entry should be re-parsed incrementally');
});

const m02 = join(__dirname, '..', '..', '..', 'shared', 'specs', 'm02-twilio-messaging.v30.yaml');
test('random edits on a real 400 KB spec (shared specs)', (t) => {
  if (!existsSync(m02)) return t.skip(`no ${m02} (the shared specs are not part of a clone)`);
  const base = readFileSync(m02, 'utf8');
  let incremental = 0;
  fc.assert(
    fc.property(fc.array(editArb(base.length), { minLength: 1, maxLength: 4 }), (edits) => {
      incremental += runEdits(base, edits);
    }),
    { seed: SEED, numRuns: Math.ceil(RUNS / 4) },
  );
  assert.ok(incremental > 0, 'no edit took the incremental path');
});

test('an alias of an ancestor of the edited entry repeats its new value: a document with aliases is parsed in full', () => {
  // `Alias: *base` copies Base, whose entry `a:` is edited; the anchor is outside the entry's lines.
  const pad = Array.from({ length: 3000 }, (_, i) => `    P${i}: {type: string, description: padding ${i}}`).join('\n');
  const text = (type: string) => `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Base: &base\n      type: object\n      properties:\n        a:\n          type: ${type}\n    Alias: *base\n${pad}\n`;
  type Schemas = { data: { components: { schemas: Record<string, { properties: { a: { type: string } } }> } } };
  // The entry's lines alone hold no anchor or alias: re-parsed by themselves, the alias keeps the old value.
  const stale = reparse(text('string'), parseYamlFull(text('string')), text('strin')) as YamlParse & Schemas;
  assert.equal(stale.data.components.schemas.Alias.properties.a.type, 'string');
  const cache = new YamlParseCache();
  cache.parse('/a.yaml', text('string'));
  const edited = cache.parse('/a.yaml', text('strin')) as YamlParse & Schemas;
  assert.equal(edited.data.components.schemas.Alias.properties.a.type, 'strin');
  assertSameAsFull(text('strin'), edited);
});
