/**
 * "Headroom: Show Governance Coverage" (`headroom.showCoverage`): the coverage report of the active
 * spec in a webview beside it. The language server computes it (`headroom/coverage`) and renders
 * the page; this shows it, refreshes it after each lint of that spec (as you type), and reveals an
 * operation in the editor when its cell is clicked.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Requests, type CoverageReply, type CoverageReport, type LintStatus } from '../shared/settings';

interface Shown {
  panel: vscode.WebviewPanel;
  /** The spec the view is about. */
  uri: vscode.Uri;
  report?: CoverageReport;
  base?: string;
  /** A refresh is running; another lint arrived meanwhile. */
  busy: boolean;
  again: boolean;
}

/** What the command returns (the e2e tests read it): the spec shown and its report. */
export interface CoverageViewState {
  uri: string;
  report?: CoverageReport;
}

export class CoverageView implements vscode.Disposable {
  private shown: Shown | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ensureClient: () => Promise<LanguageClient>) {
    this.disposables.push(
      vscode.commands.registerCommand('headroom.showCoverage', (target?: vscode.Uri | string) => this.show(target)),
      vscode.commands.registerCommand('headroom.coverageState', (): CoverageViewState | undefined =>
        this.shown ? { uri: this.shown.uri.toString(), report: this.shown.report } : undefined,
      ),
      vscode.commands.registerCommand('headroom.coverageReveal', (index: number) => this.reveal(index)),
    );
  }

  /** Called for every lint status the server sends. */
  onLint(status: LintStatus): void {
    if (this.shown && status.uri === this.shown.uri.toString()) void this.refresh();
  }

  async show(target?: vscode.Uri | string): Promise<CoverageViewState | undefined> {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? vscode.window.activeTextEditor?.document.uri);
    if (!uri || uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Headroom: open an OpenAPI file to see its governance coverage.');
      return undefined;
    }
    const name = uri.path.split('/').pop() ?? uri.path;
    if (this.shown) {
      this.shown.uri = uri;
      this.shown.report = undefined;
      this.shown.panel.title = `Coverage: ${name}`;
      this.shown.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel('headroom.coverage', `Coverage: ${name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        // Everything is inline: the page loads nothing.
        localResourceRoots: [],
      });
      const shown: Shown = { panel, uri, busy: false, again: false };
      this.shown = shown;
      panel.onDidDispose(() => {
        if (this.shown === shown) this.shown = undefined;
      });
      panel.webview.onDidReceiveMessage((m: { type?: string; index?: unknown }) => {
        if (m?.type === 'reveal' && typeof m.index === 'number') void this.reveal(m.index);
      });
    }
    await this.refresh(true);
    return this.shown ? { uri: this.shown.uri.toString(), report: this.shown.report } : undefined;
  }

  /** Ask the server for the report; the first time set the page, afterwards send the data (the page keeps its filters). */
  private async refresh(fresh = false): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    if (shown.busy) {
      shown.again = true;
      return;
    }
    shown.busy = true;
    try {
      do {
        shown.again = false;
        const uri = shown.uri;
        const nonce = randomBytes(18).toString('base64');
        const reply = await (await this.ensureClient()).sendRequest<CoverageReply>(Requests.coverage, { uri: uri.toString(), nonce });
        if (this.shown !== shown || shown.uri.toString() !== uri.toString()) {
          fresh = true;
          continue;
        }
        if (reply.error !== undefined || !reply.report || !reply.html) {
          shown.report = undefined;
          shown.panel.webview.html = errorPage(reply.error ?? 'no report', nonce);
          fresh = true;
          continue;
        }
        const first = fresh || shown.report === undefined;
        shown.report = reply.report;
        shown.base = reply.base;
        if (first) shown.panel.webview.html = reply.html;
        else void shown.panel.webview.postMessage({ type: 'update', report: reply.report });
        fresh = false;
      } while (shown.again && this.shown === shown);
    } finally {
      shown.busy = false;
    }
  }

  /** Show operation `index` of the current report in the editor, the cursor on its method key. */
  private async reveal(index: number): Promise<void> {
    const shown = this.shown;
    const op = shown?.report?.operations[index];
    if (!shown || !op || shown.base === undefined) return;
    const uri = vscode.Uri.file(join(shown.base, op.file));
    const range = new vscode.Range(op.range.start.line, op.range.start.character, op.range.end.line, op.range.end.character);
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn
      ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown.uri.toString())?.viewColumn
      ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: column, selection: new vscode.Range(range.start, range.start), preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.shown?.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function errorPage(message: string, nonce: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'"><style nonce="${nonce}">body{font-family:var(--vscode-font-family);color:var(--vscode-errorForeground);padding:16px}</style></head><body><p>Headroom could not compute the coverage: ${text}</p></body></html>`;
}
