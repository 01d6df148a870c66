/**
 * "Headroom: Export Gateway Policy…" (`headroom.exportPolicy`): pick a target, let the language
 * server build the configuration from the spec (its unsaved text counts) for the file it will be
 * saved as, preview it in a read-only virtual document, then save it next to the spec or in
 * `headroom.export.outputDir` — atomically, and never over an existing file without asking.
 *
 * What stops an export is said by kind (syntax errors, `$ref`s, annotation errors). Problems keeps
 * one list: the lint's. The export adds only what the lint does not already list, and the next
 * lint of a file replaces what the export added there. Unsaved edits, and open
 * `cache-shared-authenticated` / `ratelimit-policy-*` warnings, are said before anything is
 * previewed or written ("Export anyway").
 */
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { looksLikeOpenApi } from '../shared/sniff';
import type { Finding } from '../shared/types';
import { writeAtomic } from '../shared/save';
import { Requests, type ExportPolicyParams, type ExportPolicyReply, type ExportTarget } from '../shared/settings';
import { lspSeverity } from '../shared/severity';

const TARGETS: (vscode.QuickPickItem & { target: ExportTarget; language: string })[] = [
  { label: 'Kong', description: 'decK declarative configuration (deck gateway sync FILE)', target: 'kong', language: 'yaml' },
  { label: 'NGINX', description: 'complete nginx.conf (nginx -p DIR -c FILE)', target: 'nginx', language: 'nginx' },
  { label: 'HAProxy', description: 'complete haproxy.cfg (haproxy -f FILE)', target: 'haproxy', language: 'haproxy' },
  { label: 'Envoy Gateway', description: 'Kubernetes Gateway API + Envoy Gateway resources (kubectl apply -f FILE)', target: 'envoy-gateway', language: 'yaml' },
];

/** The URI scheme of export previews: read-only documents that exist only in the editor. */
export const PREVIEW_SCHEME = 'headroom-export';

/**
 * The previews' text, by URI (`headroom-export:` + the path it will be saved to). VS Code opens
 * a content provider's documents read-only: nothing to save, nothing left dirty.
 */
class Previews implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** The preview of `text`, to be saved as `destination` (an open preview of the same file is updated). */
  set(destination: string, text: string): vscode.Uri {
    const uri = vscode.Uri.file(destination).with({ scheme: PREVIEW_SCHEME });
    const had = this.texts.has(uri.toString());
    this.texts.set(uri.toString(), text);
    if (had) this.changed.fire(uri);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * What an export adds to Problems: only findings the lint does not list (the server says which).
 * They describe the files as they were exported, so the first change to one of those files (an
 * edit, a save, a change on disk) takes them away: from then on the lint, which follows every
 * change, is the one list. Opening a file changes nothing, so clicking a problem keeps it.
 */
class ExportProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('headroom-export');
  /** The files the last export read (paths). */
  private files = new Set<string>();
  /** When the last export was asked for (ms since the epoch). */
  private since = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}', true, false, false);
    this.subscriptions = [
      this.collection,
      watcher,
      watcher.onDidChange((uri) => void this.changedOnDisk(uri)),
      watcher.onDidDelete((uri) => this.changed(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.changed(e.document.uri);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.changed(d.uri)),
    ];
  }

  private changed(uri: vscode.Uri): void {
    if (uri.scheme === 'file' && this.files.has(uri.fsPath)) {
      this.collection.clear();
      this.files.clear();
    }
  }

  /**
   * A change on disk reported by the file watcher, which can arrive late: a write from before the
   * export (the save that came just before it) does not take away what the export found.
   */
  private async changedOnDisk(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || !this.files.has(uri.fsPath)) return;
    const since = this.since;
    const mtime = await stat(uri.fsPath).then((s) => s.mtimeMs, () => Infinity);
    if (mtime >= since && this.since === since) this.changed(uri);
  }

  /** The findings of an export asked for at `since` that read `files`, replacing the last export's. */
  show(client: LanguageClient, findings: Finding[], files: string[], since: number): void {
    this.collection.clear();
    this.files = new Set(files);
    this.since = since;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of findings) {
      const r = f.range;
      const d = new vscode.Diagnostic(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), f.message, client.protocol2CodeConverter.asDiagnosticSeverity(lspSeverity(f.severity)));
      d.source = 'headroom export';
      d.code = f.rule;
      byFile.set(f.file, [...(byFile.get(f.file) ?? []), d]);
    }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Sets `headroom.openApiEditor` for the menus' `when` clauses, and registers the command and the preview scheme. */
export function registerExportCommand(ensureClient: () => Promise<LanguageClient>): vscode.Disposable {
  const previews = new Previews();
  const problems = new ExportProblems();
  const updateContext = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const isSpec = doc !== undefined && doc.uri.scheme === 'file' && looksLikeOpenApi(doc.getText());
    void vscode.commands.executeCommand('setContext', 'headroom.openApiEditor', isSpec);
  };
  updateContext();
  return vscode.Disposable.from(
    problems,
    previews,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === PREVIEW_SCHEME) previews.forget(d.uri);
    }),
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    // Menus pass the file (and a context object); executeCommand callers (other extensions, tests)
    // may pass a target name or ExportCommandOptions. Resolves with the path written, or undefined.
    vscode.commands.registerCommand('headroom.exportPolicy', (resource?: vscode.Uri, arg?: unknown) =>
      exportPolicy(ensureClient, problems, previews, resource, commandOptions(arg)),
    ),
  );
}

/** The command's second argument for automation (tasks, tests): prompts a person would answer. */
export interface ExportCommandOptions {
  /** Skip the gateway pick. */
  target?: ExportTarget;
  /** Save to the default destination without the "Save the … config?" prompt. */
  save?: boolean;
  /** When that file exists: 'ask' (the default) shows the "Replace it?" dialog; 'no' writes nothing. Never replaced unasked. */
  overwrite?: 'ask' | 'no';
  /**
   * The answer to "… has unsaved edits / open warnings. Export anyway?": true exports, false
   * stops (nothing previewed or written). Unset: the dialog asks.
   */
  exportAnyway?: boolean;
}

/** A target name, or ExportCommandOptions; anything else (a menu's context object) asks everything. */
function commandOptions(arg: unknown): ExportCommandOptions {
  if (typeof arg === 'string') return { target: arg as ExportTarget };
  if (typeof arg !== 'object' || arg === null) return {};
  const o = arg as Record<string, unknown>;
  return {
    ...(typeof o.target === 'string' ? { target: o.target as ExportTarget } : {}),
    save: o.save === true,
    overwrite: o.overwrite === 'no' ? 'no' : 'ask',
    ...(typeof o.exportAnyway === 'boolean' ? { exportAnyway: o.exportAnyway } : {}),
  };
}

async function exportPolicy(
  ensureClient: () => Promise<LanguageClient>,
  problems: ExportProblems,
  previews: Previews,
  resource: vscode.Uri | undefined,
  options: ExportCommandOptions,
): Promise<string | undefined> {
  const spec = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
  if (!spec || spec.scheme !== 'file') {
    void vscode.window.showInformationMessage('Headroom: open an OpenAPI file (saved on disk) to export its gateway policy.');
    return undefined;
  }
  const picked = TARGETS.find((t) => t.target === options.target) ?? (await vscode.window.showQuickPick(TARGETS, { title: 'Headroom: Export Gateway Policy', placeHolder: 'Which gateway?' }));
  if (!picked) return undefined;
  const config = vscode.workspace.getConfiguration('headroom', spec);
  const folder = vscode.workspace.getWorkspaceFolder(spec)?.uri.fsPath;
  const client = await ensureClient();
  let requestedAt = 0;
  const request = (destination?: string): Promise<ExportPolicyReply> => {
    requestedAt = Date.now();
    const params: ExportPolicyParams = {
      uri: spec.toString(),
      target: picked.target,
      listen: config.get<string>('export.listen', '127.0.0.1:8080'),
      origin: 'vscode',
      outputDir: config.get<string>('export.outputDir', ''),
      ...(folder !== undefined ? { folder } : {}),
      ...(destination !== undefined ? { destination } : {}),
    };
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Headroom: exporting ${picked.label} config` }, () =>
        client.sendRequest<ExportPolicyReply>(Requests.exportPolicy, params),
      ),
    );
  };
  const shown = (file: string) => (folder ? relative(folder, file) : file);

  let reply = await request();
  for (;;) {
    if (!exportable(client, problems, reply, requestedAt)) return undefined;
    const answer = await shipsAnyway(spec, reply, options);
    if (answer === 'stop') return undefined;
    if (answer === 'export') break;
    reply = await request(); // saved first: export what is now on disk
  }

  const languages = await vscode.languages.getLanguages();
  const language = languages.includes(picked.language) ? picked.language : 'plaintext';
  const previewUri = previews.set(reply.destination, reply.text!);
  const preview = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(previewUri), language);
  // Not in preview mode: that would replace the spec's own tab when it is in preview mode (a single click in the Explorer).
  const previewEditor = await vscode.window.showTextDocument(preview, { preview: false });

  let destination = reply.destination;
  let text = reply.text!;
  const notes = reply.notes.length > 0 ? ` ${reply.notes.length} approximation${reply.notes.length === 1 ? '' : 's'} noted in its header.` : '';
  const save = options.save ? 'Save' : await vscode.window.showInformationMessage(`Save the ${picked.label} config as ${shown(destination)}?${notes}`, 'Save', 'Save As…');
  if (!save) return undefined;
  if (save === 'Save As…') {
    const chosen = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(destination), title: `Save ${picked.label} config` });
    if (!chosen) return undefined;
    if (chosen.fsPath !== destination) {
      // The header names the file and its folder: render it again for the one chosen.
      const again = await request(chosen.fsPath);
      if (!exportable(client, problems, again, requestedAt)) return undefined;
      destination = chosen.fsPath;
      text = again.text!;
    }
  } else if (existsSync(destination)) {
    if (options.overwrite === 'no') {
      void vscode.window.showWarningMessage(`Headroom: ${shown(destination)} already exists; it was not replaced.`);
      return undefined;
    }
    const replace = await vscode.window.showWarningMessage(`${shown(destination)} already exists. Replace it?`, { modal: true }, 'Replace');
    if (replace !== 'Replace') return undefined;
  }
  try {
    await mkdir(dirname(destination), { recursive: true }); // headroom.export.outputDir may not exist yet
    await writeAtomic(destination, text);
  } catch (e) {
    void vscode.window.showErrorMessage(`Headroom: cannot write ${destination}: ${(e as Error).message}`);
    return undefined;
  }
  // The saved file takes the preview's place.
  await vscode.window.showTextDocument(vscode.Uri.file(destination), { preview: false, viewColumn: previewEditor.viewColumn ?? vscode.ViewColumn.Active });
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === previewUri.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  // Not awaited: the command is done once the file is written, not when the message is closed.
  void vscode.window.showInformationMessage(`Headroom: saved ${shown(destination)}.`);
  return destination;
}

/**
 * Shows the export's own findings; says why when it did not produce a config (not awaited: the
 * command is over when nothing can be exported, not when the message is closed).
 */
function exportable(client: LanguageClient, problems: ExportProblems, reply: ExportPolicyReply, requestedAt: number): boolean {
  problems.show(client, reply.unlisted, reply.files, requestedAt);
  if (reply.error) {
    void vscode.window.showErrorMessage(`Headroom: cannot export: ${reply.error}`);
    return false;
  }
  if (!reply.ok || reply.text === undefined) {
    void vscode.window.showErrorMessage(`Headroom: export stopped: ${reply.stopped ?? 'the spec has errors'}. Nothing was written.`, 'Show Problems').then(async (choice) => {
      if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return false;
  }
  return true;
}

/**
 * Unsaved edits in the files exported, or open warnings the gateway would enforce as they are:
 * say so before anything is previewed or written. 'save' when the user saved the files first.
 */
async function shipsAnyway(spec: vscode.Uri, reply: ExportPolicyReply, options: ExportCommandOptions): Promise<'export' | 'stop' | 'save'> {
  const exported = new Set(reply.files);
  const dirty = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && d.isDirty && exported.has(d.uri.fsPath));
  if (dirty.length === 0 && reply.warnings.length === 0) return 'export';
  if (options.exportAnyway !== undefined) return options.exportAnyway ? 'export' : 'stop';
  const parts: string[] = [];
  if (dirty.length > 0) {
    const names = dirty.map((d) => basename(d.uri.fsPath)).join(', ');
    parts.push(`${names} ${dirty.length === 1 ? 'has' : 'have'} unsaved edits: the config would hold them, the file${dirty.length === 1 ? '' : 's'} on disk would not.`);
  }
  if (reply.warnings.length > 0) {
    const byRule = new Map<string, number>();
    for (const w of reply.warnings) byRule.set(w.rule, (byRule.get(w.rule) ?? 0) + 1);
    const rules = [...byRule].map(([rule, n]) => `${rule}${n > 1 ? ` ×${n}` : ''}`).join(', ');
    const n = reply.warnings.length;
    parts.push(`${basename(spec.fsPath)} has ${n} open warning${n === 1 ? '' : 's'} the gateway would enforce as ${n === 1 ? 'it is' : 'they are'} (${rules}).`);
  }
  const buttons = [...(dirty.length > 0 ? ['Save First'] : []), 'Show Problems', 'Export Anyway'];
  const choice = await vscode.window.showWarningMessage(`Headroom: export ${basename(spec.fsPath)} anyway?`, { modal: true, detail: parts.join('\n') }, ...buttons);
  if (choice === 'Export Anyway') return 'export';
  if (choice === 'Save First') {
    const saved = await Promise.all(dirty.map((d) => d.save()));
    return saved.every(Boolean) ? 'save' : 'stop';
  }
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  return 'stop';
}
