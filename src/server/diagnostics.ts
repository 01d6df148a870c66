/**
 * Findings → LSP diagnostics (source `headroom`, code = rule id, a link to the rule's doc); which
 * of a file's findings a client with a per-file limit shows; whether two publications are the same.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { ruleDocUrl } from '../core/docs';
import type { Finding } from '../shared/types';
import { lspSeverity } from '../shared/severity';

/**
 * `codeDescription.href` is a page the user can open: the team's `homepage` copy of the docs when
 * set, else the doc shipped with Headroom (a `file:` URI); none for a rule without a doc.
 */
export function toDiagnostic(f: Finding, homepage?: string): Diagnostic {
  const href = ruleDocUrl(f.rule, homepage);
  return {
    range: f.range,
    severity: lspSeverity(f.severity),
    source: 'headroom',
    code: f.rule,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    data: { path: f.path },
  };
}

const BY_SEVERITY: Finding['severity'][] = ['error', 'warn', 'info', 'hint'];

/**
 * The findings a client that shows at most `max` problems per file keeps, as VS Code picks them
 * (extHostDiagnostics.ts): errors first, then warnings, information and hints, each in the order
 * given, until `max`. Returned in the order given. All of them when there are no more than `max`.
 */
export function shownByClient(findings: Finding[], max: number): Finding[] {
  if (findings.length <= max) return findings;
  const kept = new Set<Finding>();
  for (const severity of BY_SEVERITY) {
    for (const f of findings) {
      if (kept.size === max) break;
      if (f.severity === severity) kept.add(f);
    }
  }
  return findings.filter((f) => kept.has(f));
}

/**
 * VS Code draws squiggles for the first 500 problems of a file only, in the order it was given
 * them (its marker decorations read them with `take: 500`); Problems lists the rest, sorted. So a
 * file with more than 500 gets them errors first, then warnings, information and hints, each in
 * the order given: an error beyond the 500th by position (a schema error deep in GitHub's spec)
 * keeps its squiggle. Up to 500, the order given.
 */
const DRAWN_PER_FILE = 500;

export function inDrawingOrder(findings: Finding[]): Finding[] {
  if (findings.length <= DRAWN_PER_FILE) return findings;
  return BY_SEVERITY.flatMap((severity) => findings.filter((f) => f.severity === severity));
}

/** Do two diagnostic lists say the same thing, in the same order? */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.range.start.line !== y.range.start.line ||
      x.range.start.character !== y.range.start.character ||
      x.range.end.line !== y.range.end.line ||
      x.range.end.character !== y.range.end.character ||
      x.severity !== y.severity ||
      x.code !== y.code ||
      x.message !== y.message ||
      x.codeDescription?.href !== y.codeDescription?.href ||
      JSON.stringify(x.data) !== JSON.stringify(y.data)
    ) {
      return false;
    }
  }
  return true;
}
