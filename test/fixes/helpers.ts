/** Shared by the fix tests: lint a file, apply edits on disk copies, compare finding sets, validate. */
import SwaggerParser from '@apidevtools/swagger-parser';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Engine } from '../../src/core/engine';
import { FixWorkspace } from '../../src/core/fixes';
import { ruleOptionsOf } from '../../src/core/fixes/fixpoint';
import { FileSource } from '../../src/openapi/files';
import { loadRuleset, type LoadedRuleset } from '../../src/core/ruleset';
import type { Finding } from '../../src/shared/types';

export async function lint(file: string, loaded: LoadedRuleset, files?: FileSource): Promise<Finding[]> {
  return (await new Engine({ files }).lint(file, loaded)).findings;
}

export function rulesetFor(rulesetFile: string | undefined): LoadedRuleset {
  return loadRuleset(rulesetFile, { trustFunctions: true });
}

export function workspace(root: string, loaded: LoadedRuleset, files: FileSource = new FileSource()): FixWorkspace {
  return new FixWorkspace({ rootFile: root, read: (f) => files.read(f), ruleOptions: ruleOptionsOf(loaded, root) });
}

/**
 * A finding as a comparable key that survives lines moving: file (relative), rule, message. The
 * path is left out: a finding about the whole document moves to `components` once it exists.
 */
export function findingKey(f: Finding, base: string): string {
  return [relative(base, f.file), f.rule, f.message].join(' | ');
}

/** Findings of `after` (other than `rule`'s) that `before` did not have (counted: two alike need two before). */
export function newFindings(before: Finding[], after: Finding[], beforeBase: string, afterBase: string, rule?: string): string[] {
  const known = new Map<string, number>();
  for (const f of before) if (f.rule !== rule) known.set(findingKey(f, beforeBase), (known.get(findingKey(f, beforeBase)) ?? 0) + 1);
  const out: string[] = [];
  for (const f of after) {
    if (f.rule === rule) continue;
    const key = findingKey(f, afterBase);
    const left = known.get(key) ?? 0;
    if (left > 0) known.set(key, left - 1);
    else out.push(key);
  }
  return out;
}

/** A copy of `dir` with some files replaced, in a fresh temporary folder. */
export function copyWith(dir: string, texts: Map<string, string>): string {
  const out = mkdtempSync(join(tmpdir(), 'headroom-fix-'));
  cpSync(dir, out, { recursive: true });
  for (const [file, text] of texts) writeFileSync(join(out, relative(dir, file)), text);
  return out;
}

/**
 * undefined when swagger-parser validates the document, else its message. swagger-parser 13 knows
 * no OpenAPI 3.2: a 3.2 document is checked by Headroom's `validate` rule (the OAI's 3.2 schema).
 */
export async function swaggerProblem(file: string): Promise<string | undefined> {
  if (/^\s*["']?openapi["']?\s*:\s*["']?3\.2\./m.test(readFileSync(file, 'utf8'))) {
    const problems = (await lint(file, rulesetFor(undefined))).filter((f) => f.rule === 'validate' || f.rule === 'parse' || f.rule === 'ref');
    return problems.length === 0 ? undefined : problems.map((f) => `${f.rule}: ${f.message}`).join('\n');
  }
  try {
    await SwaggerParser.validate(file);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
