/**
 * The status bar item: findings in the active spec and the last lint time; for a file that is not
 * a spec, what the specs that `$ref` it found in it (and which specs), or that none does; click →
 * Problems.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { VSCODE_PROBLEMS_PER_FILE as PROBLEMS_PER_FILE, type LintStatus } from '../shared/settings';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('headroom.status', vscode.StatusBarAlignment.Left, 50);
  private readonly byUri = new Map<string, LintStatus>();

  constructor() {
    this.item.name = 'Headroom';
  }

  update(status: LintStatus): void {
    this.byUri.set(status.uri, status);
    this.refresh();
  }

  refresh(): void {
    const uri = activeFile();
    const status = uri ? this.byUri.get(uri.toString()) : undefined;
    if (!status) {
      this.item.hide();
      return;
    }
    if (status.fragment && status.fragment.specs.length === 0) {
      const n = status.fragment.specsInWorkspace;
      this.item.text = 'Headroom: part of no spec in this workspace';
      this.item.tooltip = `No OpenAPI document in the workspace folders $refs this file (${plural(n, 'spec')} looked at), so Headroom does not lint it. Open a spec, or $ref this file from one.`;
      this.item.command = undefined;
    } else if (status.skippedTooLargeMB !== undefined) {
      this.item.text = `$(warning) Headroom: not linted (${status.skippedTooLargeMB} MB)`;
      this.item.tooltip = 'The file is larger than headroom.lint.maxFileSizeMB. Click to lint it anyway.';
      this.item.command = { title: 'Lint anyway', command: 'headroom.lintAnyway', arguments: [status.uri] };
    } else {
      const icon = status.errors > 0 ? '$(error)' : status.count > 0 ? '$(warning)' : '$(check)';
      const own = status.count - status.inReferenced;
      const referenced = status.inReferenced > 0 ? ` (${status.inReferenced} in $ref'd files)` : '';
      // VS Code's Problems view shows at most 1,000 problems per file (the server sends no more).
      const cut = own > PROBLEMS_PER_FILE ? ` · Problems shows ${PROBLEMS_PER_FILE.toLocaleString('en-US')} of ${own.toLocaleString('en-US')}` : '';
      const specs = status.fragment?.specs ?? [];
      const via = specs.length === 0 ? '' : ` (via ${specs.length <= 2 ? specs.map((s) => basename(s)).join(', ') : `${basename(specs[0])} and ${specs.length - 1} more specs`})`;
      const through = specs.length === 0 ? '' : `Linted through the spec${specs.length === 1 ? '' : 's'} that $ref this file: ${specs.map((s) => vscode.workspace.asRelativePath(s)).join(', ')} · `;
      this.item.text = `${icon} Headroom: ${plural(status.count, 'finding')}${referenced}${via}${cut}`;
      this.item.tooltip = `${through}${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')} · ${status.inReferenced > 0 ? `${status.inReferenced} of the findings in the files the spec $refs · ` : ''}last lint ${status.ms} ms.${cut ? ` VS Code lists at most ${PROBLEMS_PER_FILE.toLocaleString('en-US')} problems per file.` : ''} Click to open Problems.`;
      this.item.command = 'workbench.actions.view.problems';
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * The file of the active tab, else of the active editor: a 13 MB spec's tab is active (and its
 * findings known, src/server/opening.ts) seconds before VS Code has an editor for it.
 */
function activeFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText ? input.uri : vscode.window.activeTextEditor?.document.uri;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
