/**
 * What the VS Code client tells the server at start: workspace trust, push diagnostics (its e2e
 * suite asserts publications), the status notification for the status bar, VS Code's limit of
 * problems per file. The `headroom.*`
 * settings are not sent: the server asks for them per workspace folder (`workspace/configuration`
 * with the folder as scope), which the language client answers from VS Code's configuration.
 */
import * as vscode from 'vscode';
import { VSCODE_PROBLEMS_PER_FILE, type InitOptions } from '../shared/settings';

export function initOptions(): InitOptions {
  return { trusted: vscode.workspace.isTrusted, diagnostics: 'push', status: true, maxDiagnosticsPerFile: VSCODE_PROBLEMS_PER_FILE };
}
