/**
 * Golden tests for every rule: test/fixtures/rules/<rule-id>/<case>.(yaml|json) is linted and the
 * findings of that rule must equal <case>.expected.json exactly (range, severity, path, message).
 * A <case>.ruleset.yaml beside a case sets rule options for it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../rules/ruleset';
import { lintFile, rangeText } from './helpers/lint';

const root = join(__dirname, 'fixtures', 'rules');

for (const ruleId of Object.keys(RULES)) {
  const dir = join(root, ruleId);
  test(`${ruleId}: has fixtures and a doc`, () => {
    assert.ok(existsSync(dir), `missing fixtures folder ${dir}`);
    const cases = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !/\.(expected\.json|ruleset\.ya?ml)$/.test(f));
    assert.ok(cases.some((c) => c.startsWith('valid')), 'needs a valid* case');
    assert.ok(cases.some((c) => c.startsWith('invalid')), 'needs an invalid* case');
    assert.ok(existsSync(join(__dirname, '..', 'rules', 'docs', `${ruleId}.md`)), 'needs rules/docs/<id>.md');
  });
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(name) || /\.(expected\.json|ruleset\.ya?ml)$/.test(name)) continue;
    const base = name.replace(/\.(ya?ml|json)$/, '');
    // Helper files a case $refs (named *.part.yaml / *.part.json) are not cases themselves.
    if (base.endsWith('.part')) continue;
    test(`${ruleId}: ${name}`, async () => {
      const rulesetFile = ['yaml', 'yml'].map((e) => join(dir, `${base}.ruleset.${e}`)).find(existsSync);
      const findings = (await lintFile(join(dir, name), rulesetFile)).filter((f) => f.rule === ruleId);
      const actual = findings.map((f) => ({
        ...(f.file !== join(dir, name) ? { file: f.file.slice(dir.length + 1) } : {}),
        range: rangeText(f),
        severity: f.severity,
        path: f.path.join('.'),
        message: f.message,
      }));
      const expected = JSON.parse(readFileSync(join(dir, `${base}.expected.json`), 'utf8'));
      assert.deepEqual(actual, expected);
    });
  }
}
