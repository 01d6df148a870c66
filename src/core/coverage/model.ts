/**
 * The coverage model: per operation and per concern, pass / fail / not applicable, computed from a
 * lint result and the spec's operations, and the scores.
 *
 * - An operation's `failing` is the rule ids of the lint findings on it (attribute.ts says which
 *   findings are on which operations). A finding on a node several operations share counts for
 *   those its rule's concern applies to (a shared 200 response missing Cache-Control fails the GETs
 *   using it, not a POST that uses it too); a finding inside the operation itself always counts.
 *   A concern's finding on the document as a whole counts for every operation it applies to, and
 *   one on a security scheme for the operations requiring that scheme.
 * - A cell (operation × concern) fails when any finding of the concern's rules is on the
 *   operation, whatever its severity; else it passes when the concern applies to the operation
 *   (concerns.ts), else it is not applicable.
 * - A concern's score is 100 × passing ÷ applicable operations (pass + fail), rounded; the
 *   overall score is 100 × passing ÷ applicable cells over all concerns, rounded. Both are null
 *   when nothing applies (no operations).
 */
import { relative, sep } from 'node:path';
import { physicalLocation, pointerSegments, refTarget } from '../../openapi/refs';
import type { LintResult } from '../engine';
import type { Finding, Range, Severity } from '../../shared/types';
import { SEVERITY_ORDER } from '../../shared/types';
import { ruleDocUrl } from '../docs';
import { Spec, opLabel, type Operation } from '../../openapi/spec';
import { Attribution, type PlacedOperation } from './attribute';
import { CONCERNS, concernOf } from './concerns';
import type { CellStatus, ConcernId, CoverageFinding, CoverageReport, OperationCoverage, RuleCount } from '../../shared/coverage';

export interface CoverageOptions {
  /** Folder the report's file names are relative to (the CLI's working directory). */
  base: string;
  /** Headroom's version, for the report's `tool`. */
  version: string;
  /** Where the team publishes the rule docs (see `ruleDocUrl`); default: the docs shipped with Headroom. */
  homepage?: string;
}

function docOf(rule: string, homepage?: string): { doc?: string } {
  const doc = ruleDocUrl(rule, homepage);
  return doc === undefined ? {} : { doc };
}

const NO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function computeCoverage(result: LintResult, options: CoverageOptions): CoverageReport {
  const rootFile = result.file;
  const known = new Set([rootFile, ...result.dependencies]);
  // Only the files the lint read: a `$ref` elsewhere is never followed here.
  const dataOf = (file: string): unknown => (known.has(file) ? result.dataOf(file) : undefined);
  const root = dataOf(rootFile);
  const rel = (file: string) => relative(options.base, file).split(sep).join('/') || file;

  const referencedDocuments: Record<string, { data: unknown }> = {};
  for (const f of result.dependencies) referencedDocuments[f] = { data: dataOf(f) };
  const spec = new Spec({ document: { data: root, source: rootFile }, documentInventory: { resolved: root, referencedDocuments } } as never);
  const ops: Operation[] = result.version === null ? [] : safe(() => spec.operations(), []);

  const placed: PlacedOperation[] = ops.map((op) => {
    const at = physicalLocation(op.path, root, rootFile, dataOf);
    const item = physicalLocation(op.pathItem.path, root, rootFile, dataOf);
    return { op: { file: at.file, path: at.path.map(String) }, pathItem: { file: item.file, path: item.path.map(String) }, value: op.value, pathItemValue: op.pathItem.value };
  });
  const attribution = new Attribution(rootFile, placed, dataOf);
  const applies = ops.map((op) => new Map(CONCERNS.map((c) => [c.id, safe(() => c.applies(spec, op), false)])));

  const lines = new Map<Finding, CoverageFinding>();
  const toCoverageFinding = (f: Finding): CoverageFinding => {
    let out = lines.get(f);
    if (out === undefined) {
      out = { rule: f.rule, severity: f.severity, message: f.message, file: rel(f.file), path: f.path.map(String), line: f.range.start.line + 1 };
      lines.set(f, out);
    }
    return out;
  };

  const schemeUsers = schemeUsersOf(spec, ops);
  const schemeFiles = schemeTargetsOf(root, rootFile);
  /**
   * The operations a finding counts for: those its node is on; for a finding of a concern on the
   * document as a whole ("no operation has a rate-limit policy", "no operation declares a
   * security requirement": at the root, `paths`, `components`), every operation; for one on a
   * security scheme, the operations whose effective `security` names it.
   */
  const operationsCounted = (f: Finding, concern: ConcernId | null): Set<number> => {
    if (concern === null) return attribution.operationsOf(f.file, f.path);
    const path = f.path.map(String);
    if (f.file === rootFile && isDocumentNode(path)) return new Set(ops.map((_, i) => i));
    // A scheme written in the root, or in a file the root's scheme `$ref`s.
    const scheme = f.file === rootFile ? schemeOf(path) : schemeFiles.find((t) => t.file === f.file && t.path.every((seg, k) => seg === path[k]))?.name;
    if (scheme !== undefined) return new Set([...attribution.operationsOf(f.file, f.path), ...(schemeUsers.get(scheme) ?? [])]);
    return attribution.operationsOf(f.file, f.path);
  };
  const perOp: Finding[][] = ops.map(() => []);
  const documentFindings: CoverageFinding[] = [];
  const opsPerRule = new Map<string, Set<number>>();
  for (const f of result.findings) {
    const concern = concernOf(f.rule);
    const on = [...operationsCounted(f, concern)].filter((i) => {
      if (concern === null || applies[i].get(concern)) return true;
      const own = placed[i].op;
      return own.file === f.file && own.path.every((seg, k) => String(f.path[k]) === seg);
    });
    if (on.length === 0) documentFindings.push(toCoverageFinding(f));
    for (const i of on) {
      perOp[i].push(f);
      let set = opsPerRule.get(f.rule);
      if (set === undefined) opsPerRule.set(f.rule, (set = new Set()));
      set.add(i);
    }
  }

  const ranges = locateOperations(result, placed);
  const operations: OperationCoverage[] = ops.map((op, i) => {
    const failing = [...new Set(perOp[i].map((f) => f.rule))].sort();
    const concerns = {} as Record<ConcernId, { status: CellStatus; failing: string[] }>;
    for (const c of CONCERNS) {
      const mine = failing.filter((r) => concernOf(r) === c.id);
      concerns[c.id] = { status: mine.length > 0 ? 'fail' : applies[i].get(c.id) ? 'pass' : 'n/a', failing: mine };
    }
    const tags: unknown = op.value.tags;
    return {
      method: op.method,
      path: op.pathKey,
      ...(typeof op.value.operationId === 'string' ? { operationId: op.value.operationId } : {}),
      tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
      file: rel(placed[i].op.file),
      range: ranges[i] ?? NO_RANGE,
      failing,
      concerns,
      findings: perOp[i].map(toCoverageFinding),
    };
  });

  const concerns = CONCERNS.map((c) => {
    const count = (s: CellStatus) => operations.filter((o) => o.concerns[c.id].status === s).length;
    const pass = count('pass');
    const fail = count('fail');
    return { id: c.id, title: c.title, score: percent(pass, pass + fail), pass, fail, notApplicable: count('n/a'), rules: [...c.rules] };
  });
  const passCells = concerns.reduce((n, c) => n + c.pass, 0);
  const applicableCells = concerns.reduce((n, c) => n + c.pass + c.fail, 0);

  const byRule = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byRule.get(f.rule);
    if (list === undefined) byRule.set(f.rule, [f]);
    else list.push(f);
  }
  const rules: RuleCount[] = [...byRule]
    .map(([rule, list]) => ({
      rule,
      concern: concernOf(rule),
      findings: list.length,
      operations: opsPerRule.get(rule)?.size ?? 0,
      severity: list.reduce<Severity>((s, f) => (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[s] ? f.severity : s), 'hint'),
      ...(docOf(rule, options.homepage)),
    }))
    .sort((a, b) => b.operations - a.operations || b.findings - a.findings || a.rule.localeCompare(b.rule));

  const info = (root as { info?: { title?: unknown } } | undefined)?.info;
  return {
    version: 1,
    tool: { name: 'headroom', version: options.version },
    spec: rel(rootFile),
    ...(typeof info?.title === 'string' ? { title: info.title } : {}),
    score: percent(passCells, applicableCells),
    concerns,
    operations,
    rules,
    documentFindings,
    findingCount: result.findings.length,
  };
}

/** The nodes where a rule reports on the document as a whole (`documentFindingPath`, a scheme list's parent). */
function isDocumentNode(path: readonly string[]): boolean {
  if (path.length === 0) return true;
  if (path.length === 1) return ['paths', 'openapi', 'swagger', 'components', 'securityDefinitions'].includes(path[0]);
  return path.length === 2 && path[0] === 'components' && path[1] === 'securitySchemes';
}

/** The security scheme a node lies in (`components.securitySchemes.key.in`, 2.0 `securityDefinitions.key`). */
function schemeOf(path: readonly string[]): string | undefined {
  if (path[0] === 'components' && path[1] === 'securitySchemes' && path.length > 2) return path[2];
  if (path[0] === 'securityDefinitions' && path.length > 1) return path[1];
  return undefined;
}

/** The root's security schemes written as a `$ref` to another file: where each lies. */
function schemeTargetsOf(root: unknown, rootFile: string): { name: string; file: string; path: readonly string[] }[] {
  const r = root as { components?: { securitySchemes?: unknown }; securityDefinitions?: unknown } | undefined;
  const schemes = r?.components?.securitySchemes ?? r?.securityDefinitions;
  if (schemes === null || typeof schemes !== 'object') return [];
  const out: { name: string; file: string; path: readonly string[] }[] = [];
  for (const [name, value] of Object.entries(schemes as Record<string, unknown>)) {
    const ref = (value as { $ref?: unknown } | null)?.$ref;
    if (typeof ref !== 'string') continue;
    const target = safe(() => refTarget(ref, rootFile), undefined);
    const path = target && pointerSegments(target.pointer);
    if (target && path && target.file !== rootFile) out.push({ name, file: target.file, path });
  }
  return out;
}

/** Each scheme name → the operations whose effective `security` names it. */
function schemeUsersOf(spec: Spec, ops: readonly Operation[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const names = new Set(safe(() => spec.effectiveSecurity(op).requirements.flatMap((r) => Object.keys(r)), [] as string[]));
    for (const name of names) {
      const list = out.get(name);
      if (list === undefined) out.set(name, [i]);
      else list.push(i);
    }
  });
  return out;
}

/** The label an operation goes by in messages and the report: `GET /pets`. */
export function operationLabel(op: { method: string; path: string }): string {
  return opLabel({ method: op.method, pathKey: op.path });
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((100 * part) / whole);
}

/** Ranges of the operations' method keys, one lookup per file. */
function locateOperations(result: LintResult, placed: PlacedOperation[]): (Range | undefined)[] {
  const out: (Range | undefined)[] = new Array(placed.length);
  const byFile = new Map<string, number[]>();
  placed.forEach((p, i) => {
    const list = byFile.get(p.op.file);
    if (list === undefined) byFile.set(p.op.file, [i]);
    else list.push(i);
  });
  for (const [file, indexes] of byFile) {
    const ranges = safe(() => result.locate(file, indexes.map((i) => placed[i].op.path)), []);
    indexes.forEach((i, k) => (out[i] = ranges[k]));
  }
  return out;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
