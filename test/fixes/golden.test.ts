/**
 * Golden tests for every quick fix: test/fixes/fixtures/<rule-id>/<case>.(yaml|json) is linted, the
 * preferred fix of each of that rule's findings is applied (fix-all for the rule: one plan, one
 * edit), and every file it changes must equal its `.fixed` twin exactly (`<name>.fixed.<ext>` beside
 * `<name>.<ext>`). Then:
 *  - no line outside the edits changed (nothing but the inserted nodes differs);
 *  - with one finding, the single quick fix gives the same text as fix-all;
 *  - re-linting the result shows none of the rule's findings and nothing new from any other rule;
 *  - @apidevtools/swagger-parser still validates the document.
 * A `<case>.ruleset.yaml` sets rule options. UPDATE_GOLDENS=1 writes the `.fixed` files (review them).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { applyEdits, fixAll, fixesFor } from '../../src/core/fixes';
import { changedUntouchedLines } from '../../src/core/fixes/text';
import { copyWith, lint, newFindings, rulesetFor, swaggerProblem, workspace } from './helpers';

const root = join(__dirname, 'fixtures');
const update = process.env.UPDATE_GOLDENS === '1';

const isCase = (name: string) => /\.(ya?ml|json)$/.test(name) && !/\.(fixed|part|ruleset)\./.test(name) && !/\.ruleset\.ya?ml$/.test(name);
const fixedName = (file: string) => file.replace(/\.(ya?ml|json)$/, '.fixed.$1');

for (const rule of readdirSync(root).sort()) {
  const dir = join(root, rule);
  for (const name of readdirSync(dir).filter(isCase).sort()) {
    test(`${rule}: ${name}`, async () => {
      const file = join(dir, name);
      const rulesetFile = ['yaml', 'yml'].map((e) => join(dir, `${name.replace(/\.(ya?ml|json)$/, '')}.ruleset.${e}`)).find(existsSync);
      const loaded = rulesetFor(rulesetFile);
      const before = await lint(file, loaded);
      const mine = before.filter((f) => f.rule === rule);
      assert.ok(mine.length > 0, `the case must have ${rule} findings`);

      // Every preferred quick fix as the light bulb applies it (suggestions included: Fix All leaves those).
      const plan = fixAll(before, workspace(file, loaded), { only: (f) => f.rule === rule, suggestions: true });
      // One fix may answer several findings (an example that disagrees with two policies).
      assert.ok(plan.fixed.length > 0, 'a fix applies');
      const texts = new Map<string, string>();
      for (const [changed, edits] of plan.edits) {
        const original = readFileSync(changed, 'utf8');
        const result = applyEdits(original, edits);
        texts.set(changed, result);
        assert.deepEqual(changedUntouchedLines(original, edits), [], `lines outside the edits of ${basename(changed)} changed`);
        const golden = fixedName(changed);
        if (update) writeFileSync(golden, result);
        assert.ok(existsSync(golden), `missing golden ${basename(golden)}`);
        assert.equal(result, readFileSync(golden, 'utf8'), `${basename(changed)} differs from ${basename(golden)}`);
      }
      // Goldens of files the fix must leave alone.
      for (const other of readdirSync(dir).filter((n) => n.startsWith(name.replace(/\.(ya?ml|json)$/, '.')) && n.includes('.fixed.'))) {
        const source = join(dir, other.replace('.fixed.', '.'));
        if (!texts.has(source)) assert.fail(`${other} exists but the fix left ${basename(source)} unchanged`);
      }

      if (mine.length === 1) {
        const single = fixesFor(mine[0], workspace(file, loaded), { suppressions: false }).find((f) => f.preferred);
        assert.ok(single, 'the finding has a preferred quick fix');
        for (const [changed, edits] of single.edits) assert.equal(applyEdits(readFileSync(changed, 'utf8'), edits), texts.get(changed), `single fix of ${basename(changed)}`);
        assert.deepEqual([...single.edits.keys()].sort(), [...texts.keys()].sort());
      }

      const copy = copyWith(dirname(file), texts);
      const after = await lint(join(copy, name), loaded);
      assert.deepEqual(after.filter((f) => f.rule === rule).map((f) => f.message), [], 'the rule is satisfied');
      assert.deepEqual(newFindings(before, after, dir, copy, rule), [], 'no new findings from other rules');
      assert.equal(await swaggerProblem(join(copy, name)), undefined, 'swagger-parser validates the result');
    });
  }
}
