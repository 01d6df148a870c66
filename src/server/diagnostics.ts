/** Findings → LSP diagnostics (source `headroom`, code = rule id, a link to the rule's doc). */
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
