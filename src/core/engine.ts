/**
 * Lint one OpenAPI document (and the files it `$ref`s) with a loaded ruleset. Parse once, pick the
 * cheapest resolver the ruleset allows, run Spectral, and return findings located in the file and
 * on the node where they lie.
 */
import type { Document, ISpectralDiagnostic, Rule, Ruleset } from '@stoplight/spectral-core';
import { resolve } from 'node:path';
import { HEADROOM_FUNCTION, severitiesOfRun } from './recommended';
import { HEADROOM_PARSER_OPTIONS, RULES } from '../../rules/ruleset';
import { detectFormat, detectOpenApiVersion, parseDocument, placeSecondDocument } from '../openapi/document';
import { FileSource } from '../openapi/files';
import { parseLean } from '../openapi/leanDocument';
import type { YamlParseCache } from '../openapi/incrementalYaml';
import type { JsonParseCache } from '../openapi/incrementalJson';
import { leanTemplate, renderMessage, runLean, type LeanRule, type LeanRules } from './lean/run';

export { LintCancelledError } from './lean/run';
import { LineIndex, narrowRange, type Lines } from '../openapi/ranges';
import { applySuppressions } from './suppress';
import { sortFindings } from '../openapi/findings';
import { jsonPathProblem, spectralCore } from '../openapi/spectral';
import { cliPolicy, type RefPolicy } from '../openapi/policy';
import { createFullResolver, LeanResolver } from '../openapi/refs';
import { needsFullResolution, RulesetError, userSetSeverity, type LoadedRuleset } from './ruleset';
import type { Finding, OpenApiVersion, Range, Severity } from '../shared/types';

export interface EngineOptions {
  files?: FileSource;
  /**
   * Which files and URLs a spec may pull in through `$ref`s (src/openapi/policy.ts): the CLI's
   * `cliPolicy`, the editor's `workspacePolicy`. Default: the CLI's default for each spec (its git
   * work tree, current folder or own folder; no remote refs).
   */
  policyFor?: (spec: string) => RefPolicy;
  /**
   * Run `headroom:recommended` on the lean engine (src/core/lean) when the input allows it (default).
   * Off: always Spectral (the tests compare both).
   */
  lean?: boolean;
  /** Last parse of each open YAML file (the language server's), so an edit re-parses only what it touched. */
  yamlCache?: YamlParseCache;
  /** The editor's last parse of each large JSON document (src/openapi/incrementalJson.ts). */
  jsonCache?: JsonParseCache;
}

export interface LintResult {
  file: string;
  version: OpenApiVersion | null;
  findings: Finding[];
  /** Other files this document pulled in through `$ref` (the editor re-lints the root when one changes). */
  dependencies: string[];
  /** Which engine ran: the lean one (built-in rules, clean input) or Spectral. */
  engine: 'lean' | 'spectral';
  /** Parsed data of the root or of a file it `$ref`s (undefined when unreadable); the coverage model walks it. Not enumerable. */
  dataOf: (file: string) => unknown;
  /** Ranges of nodes inside the root or a `$ref`ed file, narrowed to their key as findings' ranges are. Not enumerable. */
  locate: (file: string, paths: readonly (readonly (string | number)[])[]) => (Range | undefined)[];
}

/** The file could not be read at all (missing, a directory, no permission). */
export class LintInputError extends Error {}

const SEVERITIES: Severity[] = ['error', 'warn', 'info', 'hint'];

/** Spectral's own codes for load problems, renamed to Headroom's. */
const CODE_ALIASES: Record<string, string> = { parser: 'parse', 'invalid-ref': 'ref' };

export class Engine {
  readonly files: FileSource;
  private readonly policyFor: (spec: string) => RefPolicy;
  private readonly lean: boolean;
  private readonly yamlCache?: YamlParseCache;
  private readonly jsonCache?: JsonParseCache;

  constructor(options: EngineOptions = {}) {
    this.files = options.files ?? new FileSource();
    this.policyFor = options.policyFor ?? ((spec) => cliPolicy(spec));
    this.lean = options.lean ?? true;
    this.yamlCache = options.yamlCache;
    this.jsonCache = options.jsonCache;
  }

  /**
   * `cancelled` (the editor's "a newer edit is waiting") is asked between the lean engine's rules;
   * true stops the lint with LintCancelledError. Spectral runs are not interrupted.
   */
  async lint(path: string, loaded: LoadedRuleset, cancelled?: () => boolean): Promise<LintResult> {
    const file = resolve(path);
    const text = this.files.read(file);
    if (text instanceof Error) throw new LintInputError(text.message);
    const policy = this.policyFor(file);

    // The ruleset in force for this file (Spectral resolves overrides); built once, only if needed.
    let resolvedRuleset: Ruleset | undefined;
    const rulesetForFile = () => (resolvedRuleset ??= loaded.ruleset.fromSource(file));
    const leanRules = !this.lean ? undefined : loaded.builtin ? builtinLeanRules() : leanRulesOf(rulesetForFile(), loaded, file);
    if (leanRules !== undefined) {
      const run = await runLean(file, text, leanRules, { files: this.files, policy, yamlCache: this.yamlCache, jsonCache: this.jsonCache, cancelled });
      if (run !== undefined) {
        const dataOf = (f: string): unknown => run.docs.get(f)?.data ?? this.parsedData(f);
        const textOf = (f: string) => run.docs.get(f)?.text;
        return withDocuments(
          {
            file,
            version: detectOpenApiVersion(run.docs.get(file)!.data),
            findings: this.finish(file, run.findings, textOf, dataOf),
            dependencies: run.dependencies,
            engine: 'lean',
          },
          dataOf,
          (f, paths) => this.locate(f, paths, textOf, (d) => run.docs.get(d)?.ranges(paths)),
        );
      }
    }

    const document = parseDocument(text, file);
    const version = detectOpenApiVersion(document.data);
    const ruleset = rulesetForFile();
    const lean = !needsFullResolution(ruleset);
    const leanResolver = lean ? new LeanResolver(this.files, policy) : undefined;
    const spectral = new (spectralCore().Spectral)({ resolver: (leanResolver ?? createFullResolver(this.files, policy)) as any });
    spectral.setRuleset(ruleset);

    const results = await spectral.run(document).catch((e: unknown) => {
      throw unqueryableGiven(ruleset, loaded.source, document.data) ?? e;
    });
    const raised = resultSeverities(document, ruleset, loaded, file);
    const findings: Finding[] = results.map((r) => toFinding(r, file, raised));
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
    // Spectral's own resolver keeps no texts: a `$ref`ed file's is read through the same files.
    const readText = (f: string) => {
      const t = textOf(f) ?? this.files.read(f);
      return typeof t === 'string' ? t : undefined;
    };
    dropGuessedFindings(findings, readText);
    // A `$ref`ed YAML file with a second document, as Spectral's own parse of it reports it: at 1:1.
    for (const f of findings) {
      const t = f.file !== file && f.rule === 'parse' ? readText(f.file) : undefined;
      if (t !== undefined && detectFormat(f.file, t) === 'yaml') placeSecondDocument([f], t);
    }
    const dataOf = (f: string): unknown => {
      if (f === file) return document.data;
      if (leanResolver?.data.has(f)) return leanResolver.data.get(f);
      return this.parsedData(f);
    };
    return withDocuments(
      {
        file,
        version,
        findings: this.finish(file, findings, textOf, dataOf),
        dependencies: leanResolver ? leanResolver.dependencies : [],
        engine: 'spectral',
      },
      dataOf,
      (f, paths) => this.locate(f, paths, textOf, (d) => (d === file ? paths.map((p) => document.getRangeForJsonPath(p as (string | number)[], true)) : undefined)),
    );
  }

  /** Ranges of `paths` in file `f` (the engine's own parse when it has one, else a fresh one), narrowed like findings'. */
  private locate(
    f: string,
    paths: readonly (readonly (string | number)[])[],
    textOf: (f: string) => string | undefined,
    parsed: (f: string) => (Range | undefined)[] | undefined,
  ): (Range | undefined)[] {
    const t = textOf(f) ?? this.files.read(f);
    if (typeof t !== 'string') return paths.map(() => undefined);
    let ranges = parsed(f);
    if (ranges === undefined) {
      const doc = parseDocument(t, f);
      ranges = paths.map((p) => doc.getRangeForJsonPath(p as (string | number)[], true));
    }
    const lines = new LineIndex(t);
    return ranges.map((r) => (r ? narrowRange(lines, toRange(r)) : undefined));
  }

  /** Narrow ranges to the key naming the node, apply `x-lint-ignore`, drop duplicates, sort. */
  private finish(file: string, findings: Finding[], textOf: (f: string) => string | undefined, dataOf: (f: string) => unknown): Finding[] {
    const lines = new Map<string, Lines>();
    for (const f of findings) {
      let fileLines = lines.get(f.file);
      if (fileLines === undefined) {
        const t = textOf(f.file) ?? this.files.read(f.file);
        fileLines = typeof t === 'string' ? new LineIndex(t) : [];
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

/** What a file with syntax errors still reports: the errors, `$ref` problems, no OpenAPI at all. */
const KEPT_WHEN_BROKEN = new Set(['parse', 'ref', 'unrecognized-format']);
/**
 * `parse` findings after which the parser guessed nothing: Headroom's own notes of what it left
 * out or renamed before parsing (aliases as a bomb, nesting, tags, a `__proto__` key, a parser
 * failure), a second document (the first is read whole), a key written twice (the last one is read).
 */
const EXACT_DESPITE = /^(YAML aliases here|YAML nests too deeply|YAML tags |A mapping key __proto__|The (YAML|JSON) parser failed on this document|A second YAML document|Duplicate key|Map keys must be unique)/;

/**
 * Drops the rule findings in a YAML file with syntax errors (as ESLint shows only the parsing
 * error): the parser goes on past an error by guessing (an unclosed `{` swallows the keys after
 * it), and rules read that guess: the schema said "must have required property 'paths'" where
 * `paths` is written, the auth rules that no scheme is defined above a scheme written below the
 * error. The syntax errors (and `$ref` problems) are reported; the rules run again once the file
 * parses. JSON read past its error keeps its findings: that reader guesses nothing.
 */
function dropGuessedFindings(findings: Finding[], textOf: (f: string) => string | undefined): void {
  const broken = new Set(findings.filter((f) => f.rule === 'parse' && f.severity === 'error' && !EXACT_DESPITE.test(f.message)).map((f) => f.file));
  if (broken.size === 0) return;
  const yaml = new Map<string, boolean>();
  const isYaml = (f: string) => {
    let v = yaml.get(f);
    if (v === undefined) {
      const t = textOf(f);
      yaml.set(f, (v = typeof t === 'string' && detectFormat(f, t) === 'yaml'));
    }
    return v;
  };
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i];
    if (!KEPT_WHEN_BROKEN.has(f.rule) && broken.has(f.file) && isYaml(f.file)) findings.splice(i, 1);
  }
}

/**
 * The result with `dataOf` and `locate` attached as non-enumerable properties: the result itself
 * stays plain data (it is cloned to worker processes and compared whole in tests).
 */
function withDocuments(result: Omit<LintResult, 'dataOf' | 'locate'>, dataOf: LintResult['dataOf'], locate: LintResult['locate']): LintResult {
  return Object.defineProperties(result, { dataOf: { value: dataOf, enumerable: false }, locate: { value: locate, enumerable: false } }) as LintResult;
}

let builtinRules: LeanRule[] | undefined;
/** `headroom:recommended` for the lean engine: every catalogue rule at its default severity and options. */
function builtinLeanRules(): LeanRule[] {
  return (builtinRules ??= Object.entries(RULES).map(([id, r]) => ({
    id,
    fn: r.fn,
    options: r.functionOptions ?? null,
    severity: r.severity,
    severitySetByUser: false,
    description: r.description,
    message: '{{error}}',
  })));
}

/**
 * A user ruleset (already resolved by Spectral for this file) on the lean engine, when all its
 * enabled rules are Headroom's own functions over the whole document (any severities, options,
 * messages, per-file or per-path overrides, formats) and its parser options are Headroom's.
 * Anything else (Spectral's rules, custom functions, JSONPath `given`s) needs Spectral.
 */
function leanRulesOf(ruleset: Ruleset, loaded: LoadedRuleset, file: string): LeanRules | undefined {
  const po = ruleset.parserOptions as { duplicateKeys?: unknown; incompatibleValues?: unknown };
  if (severityName(po.duplicateKeys) !== severityName(HEADROOM_PARSER_OPTIONS.duplicateKeys) || severityName(po.incompatibleValues) !== severityName(HEADROOM_PARSER_OPTIONS.incompatibleValues)) return undefined;
  const rules: Rule[] = [];
  for (const rule of Object.values(ruleset.rules)) {
    if (!rule.enabled) continue;
    const spec = RULES[rule.name];
    const then = rule.then;
    if (spec === undefined || then.length !== 1 || then[0].field !== undefined || (then[0].function as { [HEADROOM_FUNCTION]?: unknown })[HEADROOM_FUNCTION] !== spec.fn) return undefined;
    if (rule.given.length !== 1 || rule.given[0] !== '$' || !rule.resolved || !leanTemplate(rule.message)) return undefined;
    rules.push(rule);
  }
  return (data, source) => {
    const formats = new Set([...ruleset.formats].filter((f) => f(data, source)));
    if (formats.size === 0 && ruleset.formats.size > 0) return undefined; // Spectral reports unrecognized-format
    return rules
      .filter((rule) => rule.matchesFormat(formats))
      .map((rule) => ({
        id: rule.name,
        fn: RULES[rule.name].fn,
        options: rule.then[0].functionOptions ?? null,
        severity: (s: string, path: string[]) => {
          const level = rule.getSeverityForSource(s, path);
          return level === -1 ? undefined : SEVERITIES[level];
        },
        severitySetByUser: userSetSeverity(loaded, file, rule.name),
        description: rule.description,
        message: rule.message,
      }));
  };
}

/** A parser option's level as Spectral reads it (names or numbers). */
function severityName(v: unknown): string {
  const names: Record<string, string> = { '0': 'error', '1': 'warn', '2': 'info', '3': 'hint', '-1': 'off', warning: 'warn', information: 'info' };
  return names[String(v)] ?? String(v);
}

function referencedDocument(resolver: LeanResolver, file: string): Document | undefined {
  const text = resolver.texts.get(file);
  return text === undefined ? undefined : parseDocument(text, file);
}

/**
 * The severities Headroom's functions gave their results in a Spectral run, by rule and message as
 * Spectral rendered it (only for rules whose template the lean engine can render the same way, and
 * whose severity the user did not set).
 */
function resultSeverities(document: Document, ruleset: Ruleset, loaded: LoadedRuleset, file: string): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const [key, severity] of severitiesOfRun(document)) {
    const [name, message] = key.split('\0');
    const rule = ruleset.rules[name];
    if (rule === undefined || userSetSeverity(loaded, file, name) || !leanTemplate(rule.message)) continue;
    out.set(`${name}\0${renderMessage(rule.message, message, rule.description)}`, severity);
  }
  return out;
}

function toFinding(r: ISpectralDiagnostic, rootFile: string, raised: ReadonlyMap<string, Severity>): Finding {
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
  return {
    file: r.source ? resolve(r.source) : rootFile,
    rule: CODE_ALIASES[code] ?? code,
    severity: raised.get(`${code}\0${r.message}`) ?? SEVERITIES[r.severity] ?? 'warn',
    message: r.message,
    path: [...r.path],
    range: toRange(r.range),
  };
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

/**
 * A lint that failed on a rule's `given` Spectral cannot query (`$[?(@.a ==`) fails with the
 * JSONPath parser's words and no rule named: the ruleset error that names the rule, if that is it.
 */
function unqueryableGiven(ruleset: Ruleset, source: string, data: unknown): RulesetError | undefined {
  for (const rule of Object.values(ruleset.rules)) {
    if (!rule.enabled) continue;
    for (const given of rule.given) {
      const problem = jsonPathProblem(given, data);
      if (problem !== undefined) return new RulesetError(`ruleset ${source}: rule "${rule.name}": its given ${JSON.stringify(given)} is no JSONPath Spectral can query (${problem})`);
    }
  }
  return undefined;
}
