/** The `$ref` flags every command shares (`--root`, `--allow-refs-outside-root`, `--allow-remote-refs`). */
import { resolve } from 'node:path';
import { checkRootFolder, cliPolicy, type RefPolicy } from '../openapi/policy';
import { findRulesetFile } from '../core/ruleset';
import { UsageError } from './args';

/** `--root`, `--allow-refs-outside-root`, `--allow-remote-refs` → the policy for each spec (lint and export alike). */
export function refPolicyOptions(values: { root?: string; 'allow-refs-outside-root'?: boolean; 'allow-remote-refs'?: boolean }, cwd: string): (spec: string) => RefPolicy {
  if (values.root !== undefined) {
    const problem = checkRootFolder(resolve(cwd, values.root));
    if (problem) throw new UsageError(problem);
  }
  return (spec) => cliPolicy(spec, { cwd, root: values.root, allowOutside: values['allow-refs-outside-root'], allowRemote: values['allow-remote-refs'] });
}

/**
 * The `.spectral.yaml` / `.yml` / `.json` nearest a spec, looked for from its folder up to its
 * root (`--root`, else the git work tree, else the folder: as for `$ref`s, whatever
 * `--allow-refs-outside-root` says). A ruleset may run JavaScript: one in a folder above the
 * project (a shared /tmp, a monorepo's parent) is never picked up.
 */
export function rulesetFileFor(values: { root?: string }, cwd: string): (spec: string) => string | undefined {
  return (spec) => findRulesetFile(spec, cliPolicy(spec, { cwd, root: values.root }).roots?.[0]);
}
