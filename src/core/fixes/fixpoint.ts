/**
 * Fix a document to a fixpoint: lint, plan every preferred fix on one parse, apply them in memory,
 * lint again, and repeat while fixes still apply (a bounded number of rounds). One lint per round,
 * whatever the number of findings. Each round is checked before it is kept: the result parses and
 * still holds every value the document had (only the values a fix replaces on purpose differ).
 * Nothing is written here: the caller gets the texts and one composed edit per file.
 */
import { resolve } from 'node:path';
import { RULES } from '../../../rules/ruleset';
import { Engine } from '../engine';
import { FileSource } from '../../openapi/files';
import type { RefPolicy } from '../../openapi/policy';
import type { LoadedRuleset } from '../ruleset';
import type { Finding } from '../../shared/types';
import { fixAll, type LeftFinding } from './index';
import { FixWorkspace, parseForFixes, type ParseCache } from './model';
import { applyEdits, composeEdits, type TextEdit } from './text';
import type { JsonPath } from './types';

/** Reads its own texts first, then the underlying source (disk or editor buffers). */
export class LayeredFileSource extends FileSource {
  private readonly own = new Map<string, string>();

  constructor(private readonly base: FileSource) {
    super();
  }

  override read(path: string): string | Error {
    return this.own.get(resolve(path)) ?? this.base.read(path);
  }

  override size(path: string): number | undefined {
    const own = this.own.get(resolve(path));
    return own !== undefined ? Buffer.byteLength(own) : this.base.size(path);
  }

  override setOverlay(path: string, text: string): void {
    this.own.set(resolve(path), text);
  }
}

/** The `functionOptions` each rule runs with for `file` in a loaded ruleset. */
export function ruleOptionsOf(loaded: LoadedRuleset, file: string): (rule: string) => Record<string, unknown> | undefined {
  // The built-in ruleset's options are the catalogue's: no need to build it in Spectral.
  if (loaded.builtin) return (rule) => RULES[rule]?.functionOptions;
  const ruleset = loaded.ruleset.fromSource(file);
  return (rule) => {
    const then = (ruleset.rules[rule] as unknown as { then?: { functionOptions?: Record<string, unknown> }[] } | undefined)?.then;
    return then?.[0]?.functionOptions ?? undefined;
  };
}

export interface FixedFile {
  before: string;
  after: string;
  /** One set of edits on `before` that gives `after`. */
  edits: TextEdit[];
}

export interface FixRun {
  files: Map<string, FixedFile>;
  rounds: number;
  before: Finding[];
  after: Finding[];
  /** Findings a fix was planned for, per rule, over all rounds. */
  fixedByRule: Map<string, number>;
  /** Findings of the last round whose fix is a suggestion (it would invent a value), with why. */
  left: LeftFinding[];
  /** Why the run stopped early, if it did (a round that failed its check is dropped). */
  stopped?: string;
}

export interface FixRunOptions {
  files?: FileSource;
  /** Which files the spec may pull in (the engine's default when absent). */
  policyFor?: (spec: string) => RefPolicy;
  maxRounds?: number;
  /** Fix only these findings (default: every finding with a preferred fix). */
  only?: (finding: Finding) => boolean;
  /** Apply the preferred suggestions too (never for Fix All or `lint --fix`). */
  suggestions?: boolean;
}

export async function fixToFixpoint(rootFile: string, loaded: LoadedRuleset, options: FixRunOptions = {}): Promise<FixRun> {
  const root = resolve(rootFile);
  const scratch = new LayeredFileSource(options.files ?? new FileSource());
  const engine = new Engine({ files: scratch, policyFor: options.policyFor });
  const ruleOptions = ruleOptionsOf(loaded, root);
  const cache: ParseCache = new Map();
  const files = new Map<string, FixedFile>();
  const fixedByRule = new Map<string, number>();
  const replaced = new Map<string, JsonPath[]>();
  const before = (await engine.lint(root, loaded)).findings;
  let findings = before;
  let rounds = 0;
  let stopped: string | undefined;
  let left: LeftFinding[] = [];
  for (; rounds < (options.maxRounds ?? 5); rounds++) {
    const ws = new FixWorkspace({ rootFile: root, read: (f) => scratch.read(f), policy: options.policyFor?.(root), ruleOptions, cache });
    const plan = fixAll(findings, ws, { only: options.only, suggestions: options.suggestions });
    left = plan.left;
    if (plan.edits.size === 0) break;
    const next = new Map<string, string>();
    for (const [file, edits] of plan.edits) next.set(file, applyEdits(ws.backend(file)!.text, edits));
    for (const [file, paths] of plan.replaced) replaced.set(file, [...(replaced.get(file) ?? []), ...paths]);
    const problem = checkRound(ws, next, replaced, cache);
    if (problem) {
      stopped = problem;
      break;
    }
    for (const [file, edits] of plan.edits) {
      const original = files.get(file)?.before ?? ws.backend(file)!.text;
      const composed = files.has(file) ? composeEdits(original, files.get(file)!.edits, edits) : edits;
      files.set(file, { before: original, after: next.get(file)!, edits: composed });
      scratch.setOverlay(file, next.get(file)!);
    }
    for (const f of plan.fixed) fixedByRule.set(f.rule, (fixedByRule.get(f.rule) ?? 0) + 1);
    findings = (await engine.lint(root, loaded)).findings;
  }
  // The findings left are those of the final lint: drop what a later round fixed after all.
  const remaining = new Set(findings.map((f) => `${f.file}\0${f.rule}\0${f.message}\0${JSON.stringify(f.path)}`));
  left = left.filter(({ finding: f }) => remaining.has(`${f.file}\0${f.rule}\0${f.message}\0${JSON.stringify(f.path)}`));
  return { files, rounds, before, after: findings, fixedByRule, left, stopped };
}

/** A round is kept only when every changed file parses and keeps all its values (except those replaced on purpose). */
function checkRound(ws: FixWorkspace, next: Map<string, string>, replaced: Map<string, JsonPath[]>, cache: ParseCache): string | undefined {
  for (const [file, text] of next) {
    const parsed = parseForFixes(file, text);
    if (!parsed) return `fixing ${file} would leave it unparsable; nothing was changed in that round`;
    cache.set(file, { text, backend: parsed });
    const lost = lostValue(ws.backend(file)!.data, parsed.data, replaced.get(file) ?? []);
    if (lost) return `fixing ${file} would change ${lost.join('.') || 'the document'}; nothing was changed in that round`;
  }
  return undefined;
}

/** The first path where `before` holds something `after` lacks (mappings may gain keys, sequences items at the end). */
export function lostValue(before: unknown, after: unknown, replaced: JsonPath[], path: JsonPath = []): JsonPath | undefined {
  if (replaced.some((p) => p.length === path.length && p.every((s, i) => String(s) === String(path[i])))) return undefined;
  if (Array.isArray(before)) {
    if (!Array.isArray(after) || after.length < before.length) return path;
    for (let i = 0; i < before.length; i++) {
      const lost = lostValue(before[i], after[i], replaced, [...path, i]);
      if (lost) return lost;
    }
    return undefined;
  }
  if (before !== null && typeof before === 'object') {
    if (after === null || typeof after !== 'object' || Array.isArray(after)) return path;
    for (const key of Object.keys(before)) {
      const lost = lostValue((before as any)[key], (after as any)[key], replaced, [...path, key]);
      if (lost) return lost;
    }
    return undefined;
  }
  return Object.is(before, after) ? undefined : path;
}
