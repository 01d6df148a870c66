/** Ruleset loading: discovery, extends, severity overrides, file-glob overrides, custom functions, trust, errors. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { findRulesetFile, loadRuleset, needsFullResolution, RulesetError } from '../../src/core/ruleset';
import { rangeText } from '../helpers/lint';

const dir = join(__dirname, '..', 'fixtures', 'rulesets');

async function lint(spec: string, ruleset: string | undefined, trustFunctions = true) {
  const loaded = loadRuleset(ruleset, { trustFunctions });
  const result = await new Engine().lint(spec, loaded);
  return { loaded, findings: result.findings.map((f) => [f.rule, f.severity, rangeText(f)]) };
}

test('the nearest .spectral.* walking up from the spec to its root is found; from a spec outside the root, only its own folder', () => {
  assert.equal(findRulesetFile(join(dir, 'project', 'specs', 'legacy', 'old.yaml'), join(dir, 'project')), join(dir, 'project', '.spectral.yaml'));
  assert.equal(findRulesetFile(join(dir, 'project', 'specs', 'api.yaml'), join(dir, 'project', 'specs')), undefined);
  // No root, or one that does not hold the spec (a file outside the workspace's folders): the
  // ruleset above it is nobody's choice, and may run JavaScript.
  assert.equal(findRulesetFile(join(dir, 'project', 'specs', 'legacy', 'old.yaml')), undefined);
  assert.equal(findRulesetFile(join(dir, 'project', 'specs', 'legacy', 'old.yaml'), join(dir, 'elsewhere')), undefined);
});

test('a severity override and an `overrides` glob apply per file', async () => {
  const ruleset = join(dir, 'project', '.spectral.yaml');
  assert.deepEqual((await lint(join(dir, 'project', 'specs', 'api.yaml'), ruleset)).findings, [['ratelimit-429-response', 'error', '7:6-7:15']]);
  assert.deepEqual((await lint(join(dir, 'project', 'specs', 'legacy', 'old.yaml'), ruleset)).findings, []);
});

test('a JSON ruleset can switch a rule off', async () => {
  const { findings } = await lint(join(dir, 'project', 'specs', 'api.yaml'), join(dir, 'off.spectral.json'));
  assert.ok(findings.length > 0, 'the other rules still run');
  assert.deepEqual(findings.filter((f) => f[0] === 'ratelimit-429-response'), []);
});

test('extending spectral:oas runs its rules with full $ref resolution, beside Headroom rules', async () => {
  const { loaded, findings } = await lint(join(dir, 'project', 'specs', 'api.yaml'), join(dir, 'oas.spectral.yaml'));
  assert.equal(needsFullResolution(loaded.ruleset), true);
  assert.equal(needsFullResolution(loadRuleset(undefined).ruleset), false);
  const rules = findings.map((f) => f[0]).sort();
  assert.deepEqual(rules, ['info-contact', 'info-description', 'oas3-api-servers', 'operation-description', 'operation-operationId', 'operation-tags', 'ratelimit-429-response']);
});

test('custom functions load in trusted mode, and are skipped with a warning otherwise', async () => {
  const spec = join(dir, 'custom', 'api.yaml');
  const ruleset = join(dir, 'custom', '.spectral.yaml');
  const trusted = await lint(spec, ruleset, true);
  assert.deepEqual(trusted.findings, [
    ['info-has-contact', 'info', '1:0-1:4'],
    ['no-trace-method', 'error', '5:2-5:4'],
  ]);
  assert.deepEqual(trusted.loaded.warnings, []);
  const untrusted = await lint(spec, ruleset, false);
  assert.deepEqual(untrusted.findings, [['info-has-contact', 'info', '1:0-1:4']]);
  assert.deepEqual(untrusted.loaded.warnings, [
    'custom functions noTrace were not loaded: they run JavaScript and the workspace is not trusted; rules using them are skipped',
  ]);
});

test('ruleset errors are one-line RulesetErrors', () => {
  assert.throws(() => loadRuleset(join(dir, 'unknown-fn.spectral.yaml')), (e: unknown) => {
    assert.ok(e instanceof RulesetError);
    assert.equal(e.message, 'rule "x" uses unknown function "doesNotExist" (declare it under "functions")');
    return true;
  });
  assert.throws(() => loadRuleset(join(dir, 'bad.spectral.yaml')), /^RulesetError: cannot parse ruleset .*bad\.spectral\.yaml: /);
  assert.throws(() => loadRuleset(join(dir, 'missing.spectral.yaml')), /cannot read ruleset: file not found: .*missing\.spectral\.yaml/);
});

test('a rule function that throws becomes one finding of that rule; the other rules still run', async () => {
  const { findings } = await lint(join(dir, 'crash', 'api.yaml'), join(dir, 'crash', '.spectral.yaml'));
  assert.deepEqual(findings, [['explodes', 'warn', '1:0-1:4']]);
  const result = await new Engine().lint(join(dir, 'crash', 'api.yaml'), loadRuleset(join(dir, 'crash', '.spectral.yaml'), { trustFunctions: true }));
  assert.equal(result.findings[0].message, 'The rule function "boom" failed on this document and was skipped: kaboom');
});

test('a ruleset that extends a URL is refused in one line (never fetched)', () => {
  assert.throws(() => loadRuleset(join(dir, 'remote-extends.spectral.yaml')), (e: unknown) => {
    assert.ok(e instanceof RulesetError);
    assert.equal(e.message, '"extends": https://example.com/ruleset.yaml: rulesets at URLs are not fetched (a ruleset may run code); save it beside this one and extend the file');
    return true;
  });
});

test('a given Spectral cannot query fails the lint with a RulesetError naming the rule, not an internal error', async () => {
  const file = join(dir, 'bad-given.spectral.yaml');
  await assert.rejects(new Engine().lint(join(__dirname, '..', '..', 'examples', 'petstore.yaml'), loadRuleset(file)), (e: unknown) => {
    assert.ok(e instanceof RulesetError);
    assert.equal(e.message, `ruleset ${file}: rule "bad-given": its given "$.paths[?(@.a ==" is no JSONPath Spectral can query (Unexpected "?" at character 0)`);
    return true;
  });
});
