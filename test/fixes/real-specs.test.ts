/**
 * Fix-all on the real public specs in ../shared/specs (skipped with a reason when that folder is
 * absent, as in a user's clone): when it fixes anything (only fixes that invent nothing), the
 * result parses, swagger-parser still validates it, it has strictly fewer Headroom findings, and
 * every line outside the edits is unchanged. Prints the
 * before/after counts and the time per spec.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../src/core/fixes';
import { fixToFixpoint } from '../../src/core/fixes/fixpoint';
import { parseForFixes } from '../../src/core/fixes/model';
import { changedUntouchedLines } from '../../src/core/fixes/text';
import { rulesetFor, swaggerProblem } from './helpers';

const SPECS = join(__dirname, '..', '..', '..', 'shared', 'specs');

if (!existsSync(SPECS)) {
  test('fix-all on real specs', { skip: `${SPECS} is absent (a clone without ../shared): no real specs to fix` }, () => {});
} else {
  const loaded = rulesetFor(undefined);
  const specs = readdirSync(SPECS).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  for (const name of specs) {
    test(`fix-all on ${name}`, async () => {
      const file = join(SPECS, name);
      const started = Date.now();
      const run = await fixToFixpoint(file, loaded);
      const ms = Date.now() - started;
      console.log(`${name}: ${run.before.length} -> ${run.after.length} Headroom findings, fix-all ${(ms / 1000).toFixed(1)} s in ${run.rounds} round(s)`);
      assert.equal(run.stopped, undefined);
      console.log(`  left as suggestions: ${run.left.length} (${[...new Set(run.left.map((l) => l.finding.rule))].join(', ')})`);
      if (run.fixedByRule.size === 0) {
        assert.equal(run.files.size, 0, 'nothing fixed, nothing written');
        assert.equal(run.after.length, run.before.length);
        return;
      }
      assert.ok(run.after.length < run.before.length, 'strictly fewer findings');
      assert.deepEqual([...run.files.keys()], [file], 'a single-file spec edits only itself');
      const fixed = run.files.get(file)!;
      assert.equal(applyEdits(fixed.before, fixed.edits), fixed.after, 'the composed edit gives the result');
      assert.deepEqual(changedUntouchedLines(fixed.before, fixed.edits), [], 'lines outside the edits are unchanged');
      assert.ok(parseForFixes(file, fixed.after), 'the result parses');
      const out = join(mkdtempSync(join(tmpdir(), 'headroom-real-')), basename(file));
      writeFileSync(out, fixed.after);
      assert.equal(await swaggerProblem(out), undefined, 'swagger-parser validates the result');
    });
  }
}
