/**
 * The shape of a governance coverage report, shared by `headroom report --format json`, the HTML
 * report and the editor view (the client reads it too).
 */
import type { Range, Severity } from './types';

/** The four capacity concerns, in report order. */
export type ConcernId = 'rateLimit' | 'caching' | 'auth' | 'pagination';

/** `pass`: the concern applies and no finding of its rules is on the operation; `n/a`: it does not apply and nothing failed. */
export type CellStatus = 'pass' | 'fail' | 'n/a';

export interface CoverageFinding {
  rule: string;
  severity: Severity;
  message: string;
  /** Path of the file the finding lies in, relative to the report's base folder ('/'-separated). */
  file: string;
  /** JSON path inside that file. */
  path: string[];
  /** 1-based line, for people. */
  line: number;
}

export interface ConcernCell {
  status: CellStatus;
  /** Rule ids of this concern failing on the operation, sorted. */
  failing: string[];
}

export interface OperationCoverage {
  method: string;
  path: string;
  operationId?: string;
  /** The operation's tags (the report groups by the first, or by path prefix). */
  tags: string[];
  /** Where the operation is written (its method key), relative file and 0-based range. */
  file: string;
  range: Range;
  /** Rule ids of every lint finding on this operation, sorted and unique (any rule, any concern). */
  failing: string[];
  concerns: Record<ConcernId, ConcernCell>;
  findings: CoverageFinding[];
}

export interface ConcernSummary {
  id: ConcernId;
  title: string;
  /** 0–100 (passing ÷ applicable operations, rounded); null when it applies to no operation. */
  score: number | null;
  pass: number;
  fail: number;
  notApplicable: number;
  /** The rules whose findings count for this concern. */
  rules: string[];
}

export interface RuleCount {
  rule: string;
  concern: ConcernId | null;
  /** Findings of the rule in the spec (each once, shared ones too). */
  findings: number;
  /** Operations it fails. */
  operations: number;
  severity: Severity;
  /** The rule's doc (Headroom's rules), else absent. */
  doc?: string;
}

export interface CoverageReport {
  /** Report format version. */
  version: 1;
  tool: { name: 'headroom'; version: string };
  /** The spec, relative to the base folder. */
  spec: string;
  title?: string;
  /** 0–100: passing cells ÷ applicable (operation, concern) cells, rounded; null without operations. */
  score: number | null;
  concerns: ConcernSummary[];
  operations: OperationCoverage[];
  rules: RuleCount[];
  /** Findings on no operation (the document root, unused components, other files). */
  documentFindings: CoverageFinding[];
  /** Every finding of the lint, once. */
  findingCount: number;
}
