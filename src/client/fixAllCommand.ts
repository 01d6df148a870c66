/**
 * "Headroom: Fix All in File" (`headroom.fixAll`): the language server fixes the spec to a
 * fixpoint (fix, lint, fix again while fixes apply) and applies one edit; this says what it did.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { describeLeft, Requests, type FixAllSummary } from '../shared/settings';

export function registerFixAllCommand(ensureClient: () => Promise<LanguageClient>): vscode.Disposable {
  return vscode.commands.registerCommand('headroom.fixAll', async (target?: vscode.Uri | string): Promise<FixAllSummary | undefined> => {
    const uri = typeof target === 'string' ? target : (target ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    if (!uri) {
      void vscode.window.showInformationMessage('Headroom: open an OpenAPI file to fix.');
      return undefined;
    }
    const client = await ensureClient();
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Headroom: fixing' },
      () => client.sendRequest<FixAllSummary>(Requests.fixAll, { uri }),
    );
    const what =
      summary.fixed === 0
        ? 'Headroom: nothing to fix automatically'
        : `Headroom: fixed ${summary.fixed} finding${summary.fixed === 1 ? '' : 's'}${summary.files > 1 ? ` in ${summary.files} files` : ''}, ${summary.remaining} left`;
    // What Fix All left, and why: those fixes would invent values; the light bulb offers each.
    const left = describeLeft(summary.left ?? []);
    if (summary.stopped) void vscode.window.showWarningMessage(`${what}. Stopped early: ${summary.stopped}`);
    else if (left) void vscode.window.showInformationMessage(`${what}. ${left[0].toUpperCase()}${left.slice(1)}.`);
    else void vscode.window.setStatusBarMessage(what, 5000);
    return summary;
  });
}
