/** Fixing to a fixpoint, and the edit arithmetic it rests on (applying, composing and checking edits). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixToFixpoint, lostValue } from '../../src/core/fixes/fixpoint';
import { applyEdits, changedUntouchedLines, composeEdits, type TextEdit } from '../../src/core/fixes/text';
import { rulesetFor } from './helpers';

test('a fix that makes another necessary is followed by it in the next round, and the rounds compose into one edit', async () => {
  const file = join(__dirname, 'fixtures-fixpoint', 'two-rounds.yaml');
  const run = await fixToFixpoint(file, rulesetFor(undefined));
  // Round 1 declares each operation's own limit, as its RateLimit-Policy example states it (the
  // examples differ: one root policy would be a guess, and would rewrite the other example);
  // round 2 documents the 429 the gateway now answers.
  assert.equal(run.rounds, 2);
  assert.equal(run.stopped, undefined);
  assert.deepEqual([...run.fixedByRule].sort(), [
    ['auth-401-response', 2], ['ratelimit-429-response', 2], ['ratelimit-policy-declared', 1],
  ]);
  // Which RateLimit header the 200s carry the spec does not say: left as suggestions, with why.
  assert.deepEqual(run.after.map((f) => f.rule), ['ratelimit-headers', 'ratelimit-headers']);
  assert.deepEqual(run.left.map((l) => [l.finding.rule, l.reason]), [
    ['ratelimit-headers', 'the spec does not say which rate-limit headers the API sends'],
    ['ratelimit-headers', 'the spec does not say which rate-limit headers the API sends'],
  ]);
  const fixed = run.files.get(file)!;
  assert.equal(fixed.before, readFileSync(file, 'utf8'));
  assert.equal(applyEdits(fixed.before, fixed.edits), fixed.after);
  assert.deepEqual(changedUntouchedLines(fixed.before, fixed.edits), []);
  assert.match(fixed.after, /\n {2}\/reports:\n {4}get:\n {6}x-gateway-rate-limit:\n {8}requests: 100\n {8}window: 1m\n {6}responses:\n/);
  assert.match(fixed.after, /\n {2}\/exports:\n {4}get:\n {6}x-gateway-rate-limit:\n {8}requests: 500\n {8}window: 1d\n {6}responses:\n/);
  assert.match(fixed.after, /example: '"daily";q=500;w=86400'\n/);
  assert.doesNotMatch(fixed.after, /\nx-gateway-rate-limit:/);
});

test('the round check: a value a fix did not mean to replace counts as lost', () => {
  assert.equal(lostValue({ a: [1, 2], b: { c: 'x' } }, { a: [1, 2, 3], b: { c: 'x', d: 1 }, e: 0 }, []), undefined);
  assert.deepEqual(lostValue({ a: [1, 2] }, { a: [2] }, []), ['a']);
  assert.deepEqual(lostValue({ b: { c: 'x' } }, { b: { c: 'y' } }, []), ['b', 'c']);
  assert.equal(lostValue({ b: { c: 'x' } }, { b: { c: 'y' } }, [['b', 'c']]), undefined);
});

test('applyEdits applies in any order and refuses overlaps', () => {
  assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'E' }, { start: 0, end: 0, newText: '>' }]), '>abcdEf');
  assert.throws(() => applyEdits('abcdef', [{ start: 1, end: 3, newText: '' }, { start: 2, end: 4, newText: '' }]), /overlapping/);
});

test('changedUntouchedLines: insertions between lines and at line ends are fine; text glued onto another line is not', () => {
  const text = 'a: 1\nb: 2\nc: 3\n';
  assert.deepEqual(changedUntouchedLines(text, [{ start: 4, end: 4, newText: '\nx: 9' }]), []);
  assert.deepEqual(changedUntouchedLines(text, [{ start: 5, end: 5, newText: 'x: 9\n' }]), []);
  // JSON's comma after the member before a new one: an edit at that line's end.
  assert.deepEqual(changedUntouchedLines('{\n  "a": 1\n}', [{ start: 10, end: 10, newText: ',\n  "b": 2' }]), []);
  // An insertion at a line start without a line break merges into that line.
  assert.deepEqual(changedUntouchedLines(text, [{ start: 5, end: 5, newText: 'x: 9 ' }]), [2]);
  // A replacement is the edit's own line.
  assert.deepEqual(changedUntouchedLines(text, [{ start: 8, end: 9, newText: '7' }]), []);
});

test('composeEdits equals applying the two rounds one after the other (random edits)', () => {
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const randomEdits = (text: string): TextEdit[] => {
    const cuts = [...new Set(Array.from({ length: 2 * (1 + random(4)) }, () => random(text.length + 1)))].sort((a, b) => a - b);
    const edits: TextEdit[] = [];
    for (let i = 0; i + 1 < cuts.length; i += 2) {
      const insertOnly = random(2) === 0;
      edits.push({ start: cuts[i], end: insertOnly ? cuts[i] : cuts[i + 1], newText: 'XYZ'.slice(0, random(4)) + '\n'.repeat(random(2)) });
    }
    return edits;
  };
  for (let i = 0; i < 500; i++) {
    const text0 = Array.from({ length: 5 + random(20) }, () => 'abc\n'[random(4)]).join('');
    const first = randomEdits(text0);
    const text1 = applyEdits(text0, first);
    const second = randomEdits(text1);
    const expected = applyEdits(text1, second);
    assert.equal(applyEdits(text0, composeEdits(text0, first, second)), expected, JSON.stringify({ text0, first, second }));
  }
});

test('one operation`s RateLimit-Policy example is that operation`s limit, not the whole API`s: declared on it, the others left with why', async () => {
  const file = join(__dirname, 'fixtures-fixpoint', 'example-of-one-operation.yaml');
  const run = await fixToFixpoint(file, rulesetFor(undefined));
  assert.deepEqual([...run.fixedByRule].sort(), [['ratelimit-429-response', 1], ['ratelimit-policy-declared', 1]]);
  const after = [...run.files.values()][0].after;
  assert.match(after, /\n {2}\/orders:\n {4}get:\n {6}x-gateway-rate-limit:\n {8}requests: 10\n {8}window: 1m\n/);
  assert.equal(after.match(/x-gateway-rate-limit/g)!.length, 1);
  assert.deepEqual(
    run.left.filter((l) => l.finding.rule === 'ratelimit-policy-declared').map((l) => [l.finding.message.split(' has ')[0], l.reason]),
    [
      ['GET /orders/{id}', 'its numbers (100 requests per 1m) would be a default, not stated in the spec; the export would enforce them'],
      ['DELETE /orders/{id}', 'its numbers (100 requests per 1m) would be a default, not stated in the spec; the export would enforce them'],
    ],
  );
});

test('examples that state different limits: each operation that shows one gets its own; no root policy is guessed', async () => {
  const file = join(__dirname, 'fixtures-fixpoint', 'examples-disagree.yaml');
  const run = await fixToFixpoint(file, rulesetFor(undefined));
  assert.deepEqual([...run.fixedByRule].sort(), [['ratelimit-429-response', 2], ['ratelimit-policy-declared', 1]]);
  const after = [...run.files.values()][0].after;
  assert.match(after, /\n {4}get:\n {6}x-gateway-rate-limit:\n {8}requests: 500\n {8}window: 1h\n/);
  assert.match(after, /\n {4}post:\n {6}x-gateway-rate-limit:\n {8}requests: 20\n {8}window: 1m\n/);
  assert.doesNotMatch(after, /\nx-gateway-rate-limit:/);
  assert.match(after, /example: '"writes";q=20;w=60'\n/);
  assert.deepEqual(run.left.filter((l) => l.finding.rule === 'ratelimit-policy-declared').map((l) => l.finding.message.split(' has ')[0]), ['GET /health']);
});
