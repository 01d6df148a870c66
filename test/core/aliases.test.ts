/** YAML alias bombs are measured before parsing and linted without their aliases; ordinary aliases are fine. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { aliasBomb, blankAliases, maxAliasExpansion } from '../../src/openapi/aliases';
import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';
import { rangeText } from '../helpers/lint';

const dir = join(__dirname, '..', 'fixtures', 'engine', 'aliases');
const only429 = loadRuleset(join(__dirname, '..', 'fixtures', 'engine', 'only-429.spectral.json'));

test('ordinary anchors and aliases, even used many times, are not a bomb', () => {
  const uses = Array.from({ length: 500 }, (_, i) => `  r${i}: *ok`).join('\n');
  assert.equal(aliasBomb(`base: &ok {description: fine}\nall:\n${uses}\n`), undefined);
  assert.equal(aliasBomb('no: aliases\nhere: "*not one"\n'), undefined);
});

test('a spec sharing its responses by alias across 1,200 operations is no bomb (it was: 100,800 nodes); the cap grows with the text, to 2,000,000', () => {
  const std = ['400', '401', '403', '404', '429', '500']
    .map((code) => `    '${code}':\n      description: d\n      headers:\n${['A', 'B', 'C'].map((h) => `        X-${h}: {schema: {type: string}, description: h}\n`).join('')}      content:\n        application/json:\n          schema: {type: object, properties: {a: {type: string}, b: {type: integer}}}\n`)
    .join('');
  const spec = (uses: number) =>
    `openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents:\n  x-std: &std\n${std}paths:\n${Array.from({ length: uses }, (_, i) => `  /p${i}:\n    delete: {responses: *std}\n`).join('')}`;
  assert.equal(aliasBomb(spec(1200)), undefined);
  // 12,000 uses add 1,000,000 nodes from 483 KB of text: beyond a node per byte.
  assert.match(aliasBomb(spec(12000))!.message, /^YAML aliases here expand to more than 500,000 nodes/);
  assert.equal(maxAliasExpansion(1000), 500_000);
  assert.equal(maxAliasExpansion(1_500_000), 1_500_000);
  assert.equal(maxAliasExpansion(50_000_000), 2_000_000);
});

test('keys without values count too: 1,000 of them copied by 10,000 aliases is a bomb (38 KB that took 36 s and 1.6 GB)', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `  k${i}:`).join('\n');
  const text = `openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a\n${keys}\nx-b: [${Array(10000).fill('*a').join(',')}]\n`;
  assert.match(aliasBomb(text)!.message, /^YAML aliases here expand to more than 500,000 nodes/);
});

test('a billion-laughs document is detected at its first alias; blanking keeps every offset', () => {
  const text = readFileSync(join(dir, 'billion-laughs.yaml'), 'utf8');
  const bomb = aliasBomb(text);
  assert.ok(bomb);
  assert.equal(text.slice(bomb.offset, bomb.offset + 2), '*a');
  const blanked = blankAliases(text);
  assert.equal(blanked.length, text.length);
  assert.equal(blanked.split('\n').length, text.split('\n').length);
  assert.doesNotMatch(blanked, /\*[a-i]\b/);
});

test('the engine lints a bomb without expanding it: a parse finding, then the other rules', async () => {
  const result = await new Engine().lint(join(dir, 'billion-laughs.yaml'), only429);
  assert.deepEqual(result.findings.map((f) => [f.rule, f.severity, rangeText(f)]), [
    ['parse', 'error', '3:9-3:10'],
    ['ratelimit-429-response', 'warn', '14:6-14:15'],
  ]);
  assert.match(result.findings[0].message, /billion laughs/);
});

test('a bomb in a $ref-ed file is reported at the $ref and not expanded', async () => {
  const result = await new Engine().lint(join(dir, 'refs-a-bomb.yaml'), only429);
  assert.deepEqual(result.findings.map((f) => [f.file.slice(dir.length + 1), f.rule, rangeText(f)]), [['refs-a-bomb.yaml', 'ref', '6:10-6:34']]);
  assert.match(result.findings[0].message, /^\$ref "\.\/bomb\.part\.yaml#\/item" leads to \.\/bomb\.part\.yaml, where YAML aliases expand to more than 500,000 nodes/);
});

test('an alias before its anchor, or of no anchor, is no bomb (it was reported as "billion laughs")', () => {
  assert.equal(aliasBomb('b: *a\na: &a 1\n'), undefined);
  assert.equal(aliasBomb('a: &a 1\nb: *nope\n'), undefined);
});

test('the expansion is measured on the parser that expands: a syntax error or a dangling alias elsewhere hides no bomb', () => {
  // Measured with the `yaml` package before, which gave up on any error; Spectral's parser then
  // expanded the bomb anyway (test/fuzz/torture.test.ts lints these in a separate process).
  const text = readFileSync(join(dir, 'billion-laughs.yaml'), 'utf8');
  for (const broken of [text + 'oops: [unclosed\n', text.replace('x-a:', 'x-0: *nope\nx-a:')]) {
    const bomb = aliasBomb(broken);
    assert.ok(bomb, JSON.stringify(broken.slice(0, 40)));
    assert.equal(bomb.defused.length, broken.length);
    assert.equal(aliasBomb(bomb.defused), undefined);
  }
});
