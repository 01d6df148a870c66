/**
 * Lint one OpenAPI document (and the files it `$ref`s) with a loaded ruleset. Parse once, pick the
 * cheapest resolver the ruleset allows, run Spectral, and return findings located in the file and
 * on the node where they lie.
 */
import type { Document, ISpectralDiagnostic, Ruleset } from '@stoplight/spectral-core';
import { dirname, resolve } from 'node:path';
import { WRITE_OPERATION_PREFIX } from '../../rules/functions/lib/auth';
import { DOCS_BASE, RULES } from '../../rules/ruleset';
import { detectOpenApiVersion, parseDocument } from './document';
import { FileSource } from './files';
import { parseLean } from './lean/document';
import type { YamlParseCache } from './lean/incrementalYaml';
import { runLean, type LeanRule } from './lean/run';
import { narrowRange, splitLines } from './ranges';
import { applySuppressions } from './suppress';
import { spectralCore } from './spectral';
import { createFullResolver, isInsideRoots, LeanResolver } from './refs';
import { needsFullResolution, type LoadedRuleset } from './ruleset';
import type { Finding, OpenApiVersion, Range, Severity } from './types';

export interface EngineOptions {
  files?: FileSource;
  /** Fetch `http(s)` `$ref`s. Off by default: a spec must not make the tool reach the network. */
  allowRemoteRefs?: boolean;
  /**
   * Folders a `$ref`ed file must lie in (the editor passes its workspace folders; a spec outside
   * all of them may reach its own folder). Undefined: any local file (the CLI).
   */
  confineRefsTo?: string[];
  /**
   * Run `headroom:recommended` on the lean engine (src/core/lean) when the input allows it (default).
   * Off: always Spectral (the tests compare both).
   */
  lean?: boolean;
  /** Last parse of each open YAML file (the language server's), so an edit re-parses only what it touched. */
  yamlCache?: YamlParseCache;
}

export interface LintResult {
  file: string;
  version: OpenApiVersion | null;
  findings: Finding[];
  /** Other files this document pulled in through `$ref` (the editor re-lints the root when one changes). */
  dependencies: string[];
  /** Which engine ran: the lean one (built-in rules, clean input) or Spectral. */
  engine: 'lean' | 'spectral';
}

/** The file could not be read at all (missing, a directory, no permission). */
export class LintInputError extends Error {}

const SEVERITIES: Severity[] = ['error', 'warn', 'info', 'hint'];

/** Spectral's own codes for load problems, renamed to Headroom's. */
const CODE_ALIASES: Record<string, string> = { parser: 'parse', 'invalid-ref': 'ref' };

export class Engine {
  readonly files: FileSource;
  private readonly allowRemoteRefs: boolean;
  private readonly confineRefsTo?: string[];
  private readonly lean: boolean;
  private readonly yamlCache?: YamlParseCache;

  constructor(options: EngineOptions = {}) {
    this.files = options.files ?? new FileSource();
    this.allowRemoteRefs = options.allowRemoteRefs ?? false;
    this.confineRefsTo = options.confineRefsTo;
    this.lean = options.lean ?? true;
    this.yamlCache = options.yamlCache;
  }

  async lint(path: string, loaded: LoadedRuleset): Promise<LintResult> {
    const file = resolve(path);
    const text = this.files.read(file);
    if (text instanceof Error) throw new LintInputError(text.message);
    const confine = this.confineRefsTo && (isInsideRoots(file, this.confineRefsTo) ? this.confineRefsTo : [dirname(file)]);

    if (loaded.builtin && this.lean) {
      const run = await runLean(file, text, builtinLeanRules(), { files: this.files, allowRemoteRefs: this.allowRemoteRefs, confineRefsTo: confine, yamlCache: this.yamlCache });
      if (run !== undefined) {
        const dataOf = (f: string): unknown => run.docs.get(f)?.data ?? this.parsedData(f);
        return {
          file,
          version: detectOpenApiVersion(run.docs.get(file)!.data),
          findings: this.finish(file, run.findings, (f) => run.docs.get(f)?.text, dataOf),
          dependencies: run.dependencies,
          engine: 'lean',
        };
      }
    }

    const document = parseDocument(text, file);
    const version = detectOpenApiVersion(document.data);
    const ruleset = loaded.ruleset.fromSource(file);
    const lean = !needsFullResolution(ruleset);
    const leanResolver = lean ? new LeanResolver(this.files, this.allowRemoteRefs, confine) : undefined;
    const spectral = new (spectralCore().Spectral)({ resolver: (leanResolver ?? createFullResolver(this.files, this.allowRemoteRefs, confine)) as any });
    spectral.setRuleset(ruleset);

    const results = await spectral.run(document);
    const findings: Finding[] = results.map((r) => toFinding(r, file, ruleset));
    if (leanResolver) {
      const docs = new Map<string, Document>([[file, document]]);
      for (const p of leanResolver.refProblems) {
        const doc = docs.get(p.file) ?? referencedDocument(leanResolver, p.file);
        if (doc) docs.set(p.file, doc);
        findings.push({
          file: p.file,
          rule: 'ref',
          severity: p.severity,
          message: p.message,
          path: p.path,
          range: toRange(doc?.getRangeForJsonPath(p.path, true)),
        });
      }
    }
    const textOf = (f: string) => (f === file ? text : leanResolver?.texts.get(f));
    const dataOf = (f: string): unknown => {
      if (f === file) return document.data;
      if (leanResolver?.data.has(f)) return leanResolver.data.get(f);
      return this.parsedData(f);
    };
    return {
      file,
      version,
      findings: this.finish(file, findings, textOf, dataOf),
      dependencies: leanResolver ? leanResolver.dependencies : [],
      engine: 'spectral',
    };
  }

  /** Narrow ranges to the key naming the node, apply `x-lint-ignore`, drop duplicates, sort. */
  private finish(file: string, findings: Finding[], textOf: (f: string) => string | undefined, dataOf: (f: string) => unknown): Finding[] {
    const lines = new Map<string, string[]>();
    for (const f of findings) {
      let fileLines = lines.get(f.file);
      if (fileLines === undefined) {
        const t = textOf(f.file) ?? this.files.read(f.file);
        fileLines = typeof t === 'string' ? splitLines(t) : [];
        lines.set(f.file, fileLines);
      }
      f.range = narrowRange(fileLines, f.range);
    }
    return sortFindings(dedupe(applySuppressions(findings, file, dataOf)));
  }

  private parsedData(f: string): unknown {
    const t = this.files.read(f);
    if (typeof t !== 'string') return undefined;
    return (parseLean(t, f) ?? parseDocument(t, f)).data;
  }
}

let leanRules: LeanRule[] | undefined;
/** `headroom:recommended` for the lean engine: every catalogue rule at its default severity and options. */
function builtinLeanRules(): LeanRule[] {
  return (leanRules ??= Object.entries(RULES).map(([id, r]) => ({
    id,
    fn: r.fn,
    options: r.functionOptions ?? null,
    severity: r.severity,
    description: r.description,
  })));
}

function referencedDocument(resolver: LeanResolver, file: string): Document | undefined {
  const text = resolver.texts.get(file);
  return text === undefined ? undefined : parseDocument(text, file);
}

function toFinding(r: ISpectralDiagnostic, rootFile: string, ruleset: Ruleset): Finding {
  const code = String(r.code);
  if (code === 'unrecognized-format') {
    return {
      file: rootFile,
      rule: code,
      severity: 'warn',
      message: 'Not an OpenAPI document: no root "openapi: 3.x" or "swagger: \'2.0\'" found, so no OpenAPI rule was run.',
      path: [],
      range: toRange(r.range),
    };
  }
  let severity = SEVERITIES[r.severity] ?? 'warn';
  let message = r.message;
  // One rule, two default levels: `auth-operation-secured` is warn, error on write operations (its
  // function marks those messages; the mark is not shown). A severity the user sets for it applies
  // to all its findings.
  if (code === 'auth-operation-secured' && message.startsWith(WRITE_OPERATION_PREFIX)) {
    message = message.slice(WRITE_OPERATION_PREFIX.length);
    if (!severitySetByUser(ruleset, code)) severity = 'error';
  }
  return {
    file: r.source ? resolve(r.source) : rootFile,
    rule: CODE_ALIASES[code] ?? code,
    severity,
    message,
    path: [...r.path],
    range: toRange(r.range),
  };
}

/**
 * Did a ruleset the user wrote set this rule's severity (`rules`, matching `overrides`)? Spectral
 * keeps only the resulting level, so look for the rule in every ruleset of the tree except in
 * Headroom's own definition of it.
 */
function severitySetByUser(ruleset: Ruleset, name: string): boolean {
  const rule = ruleset.rules[name];
  if (rule === undefined) return false;
  if (rule.overrides !== undefined) return true;
  const seen = new Set<Ruleset>();
  const visit = (rs: Ruleset): boolean => {
    if (seen.has(rs)) return false;
    seen.add(rs);
    const entry: unknown = (rs.definition as { rules?: Record<string, unknown> }).rules?.[name];
    const sets =
      typeof entry === 'string' ||
      typeof entry === 'number' ||
      (typeof entry === 'object' && entry !== null && 'severity' in entry && (entry as { documentationUrl?: unknown }).documentationUrl !== `${DOCS_BASE}${name}.md`);
    return sets || ((rs as unknown as { extends: Ruleset[] | null }).extends ?? []).some(visit);
  };
  return visit(ruleset);
}

function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } } | undefined): Range {
  if (!r) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\0${f.rule}\0${f.range.start.line}:${f.range.start.character}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
