/** Findings → LSP diagnostics (source `headroom`, code = rule id, a link to the bundled rule doc). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { ruleDocsDir } from '../core/docs';
import type { Finding, Severity } from '../shared/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warn: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function ruleDocUri(rule: string): string | undefined {
  const dir = ruleDocsDir();
  if (!dir || !/^[a-z0-9-]+$/.test(rule)) return undefined;
  const file = join(dir, `${rule}.md`);
  return existsSync(file) ? URI.file(file).toString() : undefined;
}

export function toDiagnostic(f: Finding): Diagnostic {
  const href = ruleDocUri(f.rule);
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    source: 'headroom',
    code: f.rule,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    data: { path: f.path },
  };
}
