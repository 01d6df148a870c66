import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';
import type { Finding } from '../../src/shared/types';

export function rangeText(f: Finding): string {
  const r = f.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Lint a file with headroom:recommended (or a ruleset file). */
export async function lintFile(file: string, ruleset?: string): Promise<Finding[]> {
  return (await new Engine().lint(file, loadRuleset(ruleset, { trustFunctions: true }))).findings;
}
