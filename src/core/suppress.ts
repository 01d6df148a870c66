/**
 * `x-lint-ignore` (vacuum-compatible): a rule id or a list of rule ids on the document root, a path
 * item or an operation silences those rules for findings at or below that node. Findings in a
 * `$ref`ed file honour the ignores along their path in that file and the linted root's own.
 */
import type { Finding } from '../shared/types';

export const IGNORE_KEY = 'x-lint-ignore';

/** Rule ids listed by an `x-lint-ignore` value (a string or a list of strings). */
export function ignoredRules(node: unknown): string[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const value = (node as Record<string, unknown>)[IGNORE_KEY];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Drop findings silenced by `x-lint-ignore`. `dataOf(file)` gives a parsed file's data. */
export function applySuppressions(findings: Finding[], rootFile: string, dataOf: (file: string) => unknown): Finding[] {
  const rootIgnores = new Set(ignoredRules(dataOf(rootFile)));
  return findings.filter((f) => {
    if (f.rule === 'parse' || f.rule === 'ref') return true;
    if (rootIgnores.has(f.rule)) return false;
    let node: unknown = dataOf(f.file);
    if (ignoredRules(node).includes(f.rule)) return false;
    for (const segment of f.path) {
      if (node === null || typeof node !== 'object') break;
      node = (node as Record<string | number, unknown>)[segment];
      if (ignoredRules(node).includes(f.rule)) return false;
    }
    return true;
  });
}
