/**
 * Child process of the fuzz tests: lints the cases the parent sends, one at a time, and sends
 * back the LintResult or the exception. It runs apart from the test process so that a hang or an
 * out-of-memory ends this process, not the test run: the parent sees it (timeout, exit) and
 * reports the case. Started by harness.ts with `--import tsx` and a bounded heap.
 */
import { join } from 'node:path';
import { Engine, type LintResult } from '../../src/core/engine';
import { workspacePolicy } from '../../src/openapi/policy';
import { loadRuleset, type LoadedRuleset } from '../../src/core/ruleset';

export interface LintRequest {
  id: number;
  /** Absolute path of the document to lint. */
  root: string;
  /** Workspace folders for the editor's `$ref` policy (absolute); none: the CLI's default. */
  confineRefsTo?: string[];
  /** `recommended` (default) or `only-429` (the engine tests' one-rule ruleset). */
  ruleset?: 'recommended' | 'only-429';
  /** `lean`: the engine as users get it (lean when it can); `spectral`: Engine option lean: false. */
  engine?: 'lean' | 'spectral';
}

export type LintReply =
  | { id: number; ok: true; result: LintResult; ms: number; heapMB: number }
  | { id: number; ok: false; error: string; ms: number };

const rulesets = new Map<string, LoadedRuleset>();
function rulesetFor(name: LintRequest['ruleset']): LoadedRuleset {
  const key = name ?? 'recommended';
  let loaded = rulesets.get(key);
  if (!loaded) {
    loaded = key === 'only-429' ? loadRuleset(join(__dirname, '..', 'fixtures', 'engine', 'only-429.spectral.json')) : loadRuleset(undefined);
    rulesets.set(key, loaded);
  }
  return loaded;
}

process.on('message', async (req: LintRequest) => {
  const started = performance.now();
  let reply: LintReply;
  try {
    const folders = req.confineRefsTo;
    const policyFor = folders ? (spec: string) => workspacePolicy(spec, { folders, trusted: true, allowOutside: false, allowRemote: false }) : undefined;
    const result = await new Engine({ policyFor, lean: req.engine !== 'spectral' }).lint(req.root, rulesetFor(req.ruleset));
    reply = { id: req.id, ok: true, result, ms: performance.now() - started, heapMB: process.memoryUsage().heapUsed / 2 ** 20 };
  } catch (e) {
    reply = { id: req.id, ok: false, error: (e as Error)?.stack ?? String(e), ms: performance.now() - started };
  }
  process.send!(reply);
});

rulesetFor('recommended');
process.send!({ ready: true });
