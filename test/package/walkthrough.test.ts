/**
 * The getting-started walkthrough (package.json `contributes.walkthroughs`): open a spec, see the
 * findings, fix, export. Each step's page is a markdown file the package ships (matched by
 * `files`), whose images ship too; each command link names a command the extension contributes or
 * one VS Code has; each step completes on an event of its own.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** `files` globs as expressions (`*` within one path segment). */
const shipped = (manifest.files as string[]).map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
const ships = (path: string) => shipped.some((re) => re.test(path));
const BUILT_IN = new Set(['workbench.action.files.openFile', 'workbench.actions.view.problems']);

test('one walkthrough, four steps: open a spec, see the findings, fix, export', () => {
  const [walkthrough, ...others] = manifest.contributes.walkthroughs;
  assert.equal(others.length, 0);
  assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['open', 'findings', 'fix', 'export']);
  const contributed = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
  for (const step of walkthrough.steps) {
    const media = step.media.markdown as string;
    assert.ok(existsSync(join(ROOT, media)), `${media} exists`);
    assert.ok(ships(media), `${media} is in the package's files`);
    for (const [, target] of readFileSync(join(ROOT, media), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const image = relative(ROOT, join(ROOT, dirname(media), target)).split('\\').join('/');
      assert.ok(existsSync(join(ROOT, image)) && ships(image), `${media}: ${image} exists and ships`);
    }
    const commands = [...String(step.description).matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.ok(commands.length > 0, `${step.id} links a command`);
    for (const c of commands) assert.ok(contributed.has(c) || BUILT_IN.has(c), `${step.id}: ${c} is a command`);
    assert.ok(step.completionEvents.length > 0, `${step.id} completes on an event`);
  }
});
