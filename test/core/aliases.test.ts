/** YAML alias bombs are measured before parsing and linted without their aliases; ordinary aliases are fine. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { aliasBomb, blankAliases } from '../../src/core/aliases';
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
  assert.match(result.findings[0].message, /^\$ref "\.\/bomb\.part\.yaml#\/item" leads to \.\/bomb\.part\.yaml, where YAML aliases expand to more than 10,000 nodes/);
});
