/**
 * How diagnostics reach the client. Push (`textDocument/publishDiagnostics`) works with every
 * client. A client that supports pull (`textDocument/diagnostic`) and asked for it gets the
 * documents it has open through pull, and everything else (files a spec `$ref`s, files "Lint
 * Workspace" linted) through push; a file changes hands when it is opened or closed, and is never
 * reported on both channels at once.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type ClientCapabilities, type Connection, type Diagnostic, type DocumentDiagnosticReport, type DiagnosticServerCancellationData, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { inDrawingOrder, sameDiagnostics, shownByClient, toDiagnostic } from './diagnostics';
import type { LintState } from './state';

export class Publisher {
  private pullMode = false;
  private refreshSupport = false;
  private refreshQueued = false;
  /** The most diagnostics per file the client shows (InitOptions.maxDiagnosticsPerFile). */
  private maxPerFile = Infinity;
  /**
   * What was last pushed per client URI: for a client told of each lint otherwise (`headroom/status`),
   * a lint that changes nothing there sends nothing.
   */
  private readonly pushed = new Map<string, Diagnostic[]>();
  private skipUnchanged = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly state: LintState,
    /** The team's rule-docs homepage for a file ('' for the shipped docs). */
    private readonly homepageOf: (file: string) => string,
  ) {}

  /** Decide the mode from the client's capabilities and its `diagnostics` option; the server capability, if pulling. */
  configure(client: ClientCapabilities, wanted: 'push' | 'pull' | undefined, maxPerFile?: number, toldOfEachLint = false) {
    this.maxPerFile = typeof maxPerFile === 'number' && maxPerFile > 0 ? Math.floor(maxPerFile) : Infinity;
    this.skipUnchanged = toldOfEachLint;
    this.pullMode = wanted === 'pull' && client.textDocument?.diagnostic !== undefined;
    this.refreshSupport = client.workspace?.diagnostics?.refreshSupport === true;
    return this.pullMode ? { identifier: 'headroom', interFileDependencies: true, workspaceDiagnostics: false } : undefined;
  }

  get pulling(): boolean {
    return this.pullMode;
  }

  /** The client's URI for `file` when it has the file open, else undefined. */
  private openUri(file: string): string | undefined {
    const uri = URI.file(file).toString();
    if (this.documents.get(uri)) return uri;
    return this.documents.all().find((d) => URI.parse(d.uri).fsPath === file)?.uri;
  }

  /** The diagnostics of these files may have changed. */
  publish(files: Iterable<string>): void {
    for (const file of files) {
      const open = this.openUri(file);
      if (this.pullMode && open) {
        // The client pulls this one: take back what was pushed before it was opened, and ask it to pull again.
        if (this.state.hasPublished(file)) this.push(file, open, true);
        this.queueRefresh();
      } else {
        this.push(file, open ?? URI.file(file).toString(), false);
      }
    }
  }

  /** A document was opened: in pull mode it leaves the push channel. */
  opened(uri: string): void {
    const file = URI.parse(uri).fsPath;
    if (this.pullMode && this.state.hasPublished(file)) this.push(file, uri, true);
  }

  /** A document was closed: in pull mode what it still has (as a `$ref`ed or workspace file) is pushed. */
  closed(uri: string): void {
    if (this.pullMode) this.publish([URI.parse(uri).fsPath]);
  }

  /** `textDocument/diagnostic`, once `settled` (the lints pending for this document) is done. */
  async pull(uri: string, settled: () => Promise<void>, token: CancellationToken): Promise<DocumentDiagnosticReport | ResponseError<DiagnosticServerCancellationData>> {
    await settled();
    // Cancelled: an error, not an empty report a client racing the cancel would take as "no problems".
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'the request was cancelled', { retriggerRequest: false });
    const file = URI.parse(uri).fsPath;
    const homepage = this.homepageOf(file);
    return { kind: 'full', items: this.shown(file).map((f) => toDiagnostic(f, homepage)) };
  }

  /**
   * Diagnostics are replaced per file, so an edit that changes one finding sends them all. A lint
   * that changes none (most keystrokes in a large spec) sends nothing to a client that gets
   * `headroom/status` (VS Code's): it already has them, and the status says the lint is done. Other
   * clients get every lint's list, as LSP clients expect.
   */
  private push(file: string, uri: string, clear: boolean): void {
    const homepage = this.homepageOf(file);
    const diagnostics = clear ? [] : this.shown(file).map((f) => toDiagnostic(f, homepage));
    this.state.published(file, diagnostics.length);
    if (this.skipUnchanged) {
      const last = this.pushed.get(uri);
      if (last !== undefined && sameDiagnostics(last, diagnostics)) return;
      if (diagnostics.length > 0) this.pushed.set(uri, diagnostics);
      else this.pushed.delete(uri);
    }
    void this.connection.sendDiagnostics({ uri, diagnostics });
  }

  /** A file's findings as the client gets them: those it shows, in the order it draws them. */
  private shown(file: string) {
    return inDrawingOrder(shownByClient(this.state.diagnosticsOf(file), this.maxPerFile));
  }

  private queueRefresh(): void {
    if (!this.refreshSupport || this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      this.connection.languages.diagnostics.refresh().catch(() => {});
    });
  }
}
