/**
 * A finding's severity as the Language Server Protocol numbers it (`DiagnosticSeverity`: 1 Error,
 * 2 Warning, 3 Information, 4 Hint). The one place it is mapped: the server's diagnostics use it,
 * and the VS Code client turns it into VS Code's enum with the language client's converter.
 */
import type { Severity } from './types';

export type LspSeverity = 1 | 2 | 3 | 4;

const LSP: Record<Severity, LspSeverity> = { error: 1, warn: 2, info: 3, hint: 4 };

export function lspSeverity(severity: Severity): LspSeverity {
  return LSP[severity];
}
