/**
 * The lean engine: Headroom's built-in rules on one parsed document, without Spectral. Every
 * Headroom rule is one function over the whole document that follows `$ref`s itself, so all
 * Spectral would add is start-up (≈ 0.3 s, 40 MB), a second parse into a syntax tree for JSON, and
 * its JSONPath machinery. Same rule functions, same `$ref` loading (LeanResolver), same mapping of
 * findings to files and ranges as Spectral's (associate.ts); the engine tests compare both.
 *
 * Returns undefined when the input needs the full engine's diagnostics instead: a YAML syntax
 * error, duplicate keys, a YAML alias bomb, a document that is not OpenAPI 2/3, a referenced file
 * that does not parse cleanly. (A root JSON file with syntax errors is read as Spectral reads it,
 * and its syntax errors reported as Spectral reports them: tolerantJson.ts.)
 */
import { oas2, oas3 } from '@stoplight/spectral-formats';
import type { RuleFunction, RuleResult } from '../../../rules/functions/lib/define';
import type { FileSource } from '../../openapi/files';
import { guardRuleFunction } from '../guard';
import { loadDocumentSet } from '../../openapi/documentSet';
import type { RefPolicy } from '../../openapi/policy';
import type { Finding, Range, Severity } from '../../shared/types';
import { associate } from '../../openapi/associate';
import { parseLean, type LeanDocument } from '../../openapi/leanDocument';
import type { YamlParseCache } from '../../openapi/incrementalYaml';
import type { JsonParseCache } from '../../openapi/incrementalJson';

export interface LeanRule {
  id: string;
  fn: RuleFunction<any, any>;
  options: unknown;
  /** Severity of a finding at this place (undefined: the rule is off there). */
  severity: Severity | ((source: string, path: string[]) => Severity | undefined);
  /** Did the user's ruleset set this rule's severity? Then a result's own `severity` does not apply. */
  severitySetByUser: boolean;
  /** As Spectral's Rule holds it: null when the rule has none. */
  description: string | null;
  /** The rule's message template (`{{error}}` is the function's message); null: the description. */
  message: string | null;
}

/** The rules to run on this root document, or undefined when it matches none of the ruleset's formats. */
export type LeanRules = readonly LeanRule[] | ((data: unknown, source: string) => readonly LeanRule[] | undefined);

export interface LeanRunOptions {
  files: FileSource;
  policy: RefPolicy;
  yamlCache?: YamlParseCache;
  jsonCache?: JsonParseCache;
  /**
   * Asked between rules, after letting the event loop run (so an editor's newer edit can arrive):
   * true stops the run with LintCancelledError. Without it the run never yields.
   */
  cancelled?: () => boolean;
}

/** The lint was stopped because its result is no longer wanted (`cancelled` said so). */
export class LintCancelledError extends Error {
  constructor() {
    super('lint cancelled: a newer version of the document is waiting');
  }
}

export interface LeanRun {
  /** Rule findings and `ref` problems, ranges as located (not yet narrowed to keys). */
  findings: Finding[];
  /** Every parsed file by path (the root and what it `$ref`s). */
  docs: Map<string, LeanDocument>;
  dependencies: string[];
}

const DEFAULT_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function runLean(file: string, text: string, ruleList: LeanRules, options: LeanRunOptions): Promise<LeanRun | undefined> {
  // Referenced files are parsed by extension, as Spectral does.
  const set = await loadDocumentSet<LeanDocument>(file, text, {
    files: options.files,
    policy: options.policy,
    // The root may be JSON with syntax errors: its findings come with them, as on Spectral.
    parse: (t, source, isRoot) => parseLean(t, source, isRoot ? undefined : /\.json$/i.test(source) ? 'json' : 'yaml', options.yamlCache, options.jsonCache, isRoot),
  });
  if (set === undefined || !set.clean) return undefined;
  const { root, docs } = set;
  const rules = typeof ruleList === 'function' ? ruleList(root.data, file) : oas2(root.data, file) || oas3(root.data, file) ? ruleList : undefined;
  if (rules === undefined) return undefined;

  const referencedDocuments: Record<string, { data: unknown }> = {};
  for (const [source, doc] of docs) if (source !== file) referencedDocuments[source] = { data: doc.data };
  const inventory = { resolved: root.data, referencedDocuments, document: { data: root.data, source: file } };
  const refMapOf = set.refMapOf;

  interface Pending {
    doc: LeanDocument;
    path: string[];
    finding: Finding;
  }
  const pending: Pending[] = [];
  const checkpoint = async () => {
    if (options.cancelled === undefined) return;
    await new Promise((r) => setImmediate(r));
    if (options.cancelled()) throw new LintCancelledError();
  };
  await checkpoint();
  for (const rule of rules) {
    await checkpoint();
    const ctx = { document: inventory.document, documentInventory: inventory, rule: { name: rule.id }, path: [] };
    const results = (await guardRuleFunction(rule.fn)(root.data, rule.options ?? null, ctx as any)) as RuleResult[] | undefined;
    for (const result of results ?? []) {
      const placed = associate(result.path ?? [], root, (s) => docs.get(s), refMapOf);
      const severityHere = typeof rule.severity === 'function' ? rule.severity(placed.doc.source, placed.path) : rule.severity;
      if (severityHere === undefined) continue;
      const severity = result.severity !== undefined && !rule.severitySetByUser ? result.severity : severityHere;
      // A placeholder in the function's own text (it may quote the spec) is Spectral's to fill.
      PLACEHOLDER.lastIndex = 0;
      if (PLACEHOLDER.test(result.message)) return undefined;
      const error = result.message;
      const message = renderMessage(rule.message, error, rule.description);
      pending.push({
        doc: placed.doc,
        path: placed.path,
        finding: { file: placed.doc.source, rule: rule.id, severity, message, path: placed.path, range: DEFAULT_RANGE },
      });
    }
  }
  const ruleFindings = pending.length;
  for (const p of set.refProblems) {
    const doc = docs.get(p.file);
    if (doc === undefined) continue;
    pending.push({ doc, path: p.path.map(String), finding: { file: p.file, rule: 'ref', severity: p.severity, message: p.message, path: p.path, range: DEFAULT_RANGE } });
  }

  await checkpoint();
  // One range pass per file, for all its findings.
  const byDoc = new Map<LeanDocument, Pending[]>();
  for (const p of pending) {
    const list = byDoc.get(p.doc) ?? [];
    list.push(p);
    byDoc.set(p.doc, list);
  }
  for (const [doc, list] of byDoc) {
    const ranges = doc.ranges(list.map((p) => p.path));
    if (ranges === undefined) return undefined;
    list.forEach((p, i) => (p.finding.range = ranges[i] ?? DEFAULT_RANGE));
  }
  // A file without findings is scanned too: only a scan tells whether a JSON text repeats a key,
  // which JSON.parse keeps silently and the full engine reports.
  for (const doc of docs.values()) {
    if (!byDoc.has(doc) && doc.ranges([]) === undefined) return undefined;
  }
  const findings = pending.map((p) => p.finding);
  if (root.problems === undefined) return { findings, docs, dependencies: set.dependencies };
  // A file with syntax errors: they are findings too, and findings whose node the parser could not
  // place share the document's start, where the engine keeps the first of equal findings: in
  // Spectral's order, as Spectral's run gives them (its `ref` problems after them, as the engine
  // adds them).
  const refs = findings.splice(ruleFindings);
  const syntax = root.problems.map((p): Finding => ({ file, rule: 'parse', severity: 'error', message: p.message, path: [], range: p.range }));
  return { findings: [...spectralOrder([...syntax, ...findings]), ...refs], docs, dependencies: set.dependencies };
}

/**
 * Spectral fills `{{name}}` placeholders in a rule's message and in the text a function returns
 * (which may quote the spec), and evaluates `#{{…}}` expressions (`print('property')`, …) over the
 * located node. The lean engine renders only the two placeholders whose value it has exactly as
 * Spectral has it, `{{error}}` and `{{description}}`; a ruleset whose messages use anything else is
 * left to Spectral (leanTemplate), and so is a run whose function messages hold a placeholder.
 */
const PLACEHOLDER = /#?\{\{([^}\n]+)\}\}/g;

/** Can the lean engine render this rule message exactly as Spectral does? */
export function leanTemplate(message: string | null): boolean {
  if (message === null) return true;
  for (const m of message.matchAll(PLACEHOLDER)) if (m[0].startsWith('#') || (m[1] !== 'error' && m[1] !== 'description')) return false;
  return true;
}

/** A rule message as Spectral renders it, for templates `leanTemplate` accepts (null: the description, else the function's message). */
export function renderMessage(template: string | null, error: string, description: string | null): string {
  return (template === null ? description ?? error : render(template, error, description)).trim();
}

function render(template: string, error: string, description: string | null): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => (name === 'error' ? error : String(description)));
}

/**
 * Findings in the order Spectral's run returns its results: by file, start, rule (its `parser`
 * for Headroom's `parse`, compared with numbers as numbers), then path joined with commas; a
 * stable sort, so equal ones keep the order they were made in.
 */
function spectralOrder(findings: Finding[]): Finding[] {
  const code = (f: Finding) => (f.rule === 'parse' ? 'parser' : f.rule);
  return [...findings].sort(
    (a, b) =>
      Math.sign(a.file.localeCompare(b.file)) ||
      Math.sign(a.range.start.line - b.range.start.line) ||
      Math.sign(a.range.start.character - b.range.start.character) ||
      Math.sign(code(a).localeCompare(code(b), undefined, { numeric: true })) ||
      Math.sign(a.path.join().localeCompare(b.path.join())),
  );
}
