/** The status bar item: findings in the active spec and the last lint time; click → Problems. */
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
    const editor = vscode.window.activeTextEditor;
    const status = editor ? this.byUri.get(editor.document.uri.toString()) : undefined;
    if (!status) {
      this.item.hide();
      return;
    }
    if (status.skippedTooLargeMB !== undefined) {
      this.item.text = `$(warning) Headroom: not linted (${status.skippedTooLargeMB} MB)`;
      this.item.tooltip = 'The file is larger than headroom.lint.maxFileSizeMB. Click to lint it anyway.';
      this.item.command = { title: 'Lint anyway', command: 'headroom.lintAnyway', arguments: [status.uri] };
    } else {
      const icon = status.errors > 0 ? '$(error)' : status.count > 0 ? '$(warning)' : '$(check)';
      const own = status.count - status.inReferenced;
      const referenced = status.inReferenced > 0 ? ` (${status.inReferenced} in $ref'd files)` : '';
      // VS Code's Problems view shows at most 1,000 problems per file (the server sends no more).
      const cut = own > PROBLEMS_PER_FILE ? ` · Problems shows ${PROBLEMS_PER_FILE.toLocaleString('en-US')} of ${own.toLocaleString('en-US')}` : '';
      this.item.text = `${icon} Headroom: ${plural(status.count, 'finding')}${referenced}${cut}`;
      this.item.tooltip = `${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')} · ${status.inReferenced > 0 ? `${status.inReferenced} of the findings in the files the spec $refs · ` : ''}last lint ${status.ms} ms.${cut ? ` VS Code lists at most ${PROBLEMS_PER_FILE.toLocaleString('en-US')} problems per file.` : ''} Click to open Problems.`;
      this.item.command = 'workbench.actions.view.problems';
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
