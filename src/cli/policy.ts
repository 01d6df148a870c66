/** The `$ref` flags every command shares (`--root`, `--allow-refs-outside-root`, `--allow-remote-refs`). */
import { resolve } from 'node:path';
import { checkRootFolder, cliPolicy, type RefPolicy } from '../openapi/policy';
import { UsageError } from './args';

/** `--root`, `--allow-refs-outside-root`, `--allow-remote-refs` → the policy for each spec (lint and export alike). */
export function refPolicyOptions(values: { root?: string; 'allow-refs-outside-root'?: boolean; 'allow-remote-refs'?: boolean }, cwd: string): (spec: string) => RefPolicy {
  if (values.root !== undefined) {
    const problem = checkRootFolder(resolve(cwd, values.root));
    if (problem) throw new UsageError(problem);
  }
  return (spec) => cliPolicy(spec, { cwd, root: values.root, allowOutside: values['allow-refs-outside-root'], allowRemote: values['allow-remote-refs'] });
}

