/**
 * A lint the editor no longer wants stops between rules: `cancelled` is asked after each rule
 * (with the event loop let run, so a newer edit can arrive), and a lint it never stops finds
 * exactly what a lint without it finds.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine, LintCancelledError } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';

const spec = join(__dirname, '..', '..', 'examples', 'petstore.yaml');
const recommended = loadRuleset(undefined);

test('a lint never cancelled finds what a lint without the question finds; it is asked once per rule and more', async () => {
  const plain = await new Engine().lint(spec, recommended);
  let asked = 0;
  const asking = await new Engine().lint(spec, recommended, () => (asked++, false));
  assert.deepEqual(asking.findings, plain.findings);
  assert.ok(plain.findings.length > 0);
  assert.ok(asked > 20, `asked ${asked} times`);
});

test('a lint cancelled at its third question stops with LintCancelledError', async () => {
  let asked = 0;
  await assert.rejects(new Engine().lint(spec, recommended, () => ++asked === 3), LintCancelledError);
  assert.equal(asked, 3);
});
