/**
 * The Headroom language server: lints OpenAPI documents off the editor's thread and publishes
 * diagnostics for the root and for every `$ref`ed file a finding lies in.
 */

import {
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { looksLikeOpenApi } from '../shared/sniff';
import { LintInputError } from '../core/engine';
import { RulesetError } from '../core/ruleset';
import type { Finding } from '../shared/types';
import { DEFAULT_SETTINGS, Notifications, Requests, type InitOptions, type LintStatus, type ServerInfo } from '../shared/settings';
import { toDiagnostic } from './diagnostics';
import { hoverFor } from './hover';
import { Linter } from './linter';
import { LintQueue, type Job } from './queue';
import { CodeActions } from './codeActions';
import { registerExportRequest } from './export';
import { registerCoverageRequest } from './coverage';
import { EditorBaseline } from './baseline';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let options: InitOptions = { settings: DEFAULT_SETTINGS, trusted: false };
let folders: string[] = [];
const linter = new Linter(options.settings, options.trusted, () => folders, (message) => connection.console.warn(message));

/** Per linted root: its findings grouped by the file they lie in. */
const contributions = new Map<string, Map<string, Finding[]>>();
/** Per linted root: the files it `$ref`s. */
const dependencies = new Map<string, Set<string>>();
/** Roots linted by "Lint Workspace" (kept in Problems when closed). */
const workspaceRoots = new Set<string>();
/** Roots the user asked to lint despite their size. */
const forced = new Set<string>();
let sequence = 0;

const pathOf = (uri: string) => URI.parse(uri).fsPath;
const uriOf = (path: string) => URI.file(path).toString();

const queue = new LintQueue(runLint);
const codeActions = new CodeActions(connection, documents, linter, (file) =>
  [...contributions].flatMap(([root, byFile]) => (byFile.get(file) ?? []).map((finding) => ({ root: pathOf(root), finding }))),
);
registerExportRequest(connection, linter.files, linter.policyFor);
registerCoverageRequest(connection, linter);
const baseline = new EditorBaseline(() => options.settings, (file) => linter.folderOf(file), (message) => connection.console.warn(message));

/** What the client can do (VS Code can all of it; other LSP clients may not). */
let clientWatchesFiles = false;
let clientSendsFolderChanges = false;

connection.onInitialize((params: InitializeParams) => {
  clientWatchesFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  clientSendsFolderChanges = params.capabilities.workspace?.workspaceFolders === true;
  const init = params.initializationOptions as InitOptions | undefined;
  if (init) options = init;
  folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri));
  linter.configure(options.settings, options.trusted);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: codeActions.capability(params.capabilities),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
});

connection.onInitialized(() => {
  if (clientWatchesFiles) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,json,js,cjs}' }] })
      .catch((e: unknown) => connection.console.warn(`File watching is off: ${(e as Error)?.message ?? e}`));
  }
  if (clientSendsFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      folders = folders.filter((f) => !e.removed.some((r) => pathOf(r.uri) === f)).concat(e.added.map((a) => pathOf(a.uri)));
    });
  }
});

connection.onNotification(Notifications.configure, (next: InitOptions) => {
  options = next;
  linter.configure(next.settings, next.trusted);
  relintAll();
});

function isOpenApiDoc(doc: TextDocument): boolean {
  return looksLikeOpenApi(doc.getText());
}

function schedule(uri: string, delayMs: number): void {
  queue.schedule(uri, ++sequence, delayMs);
}

/** Roots whose last lint read `file`. */
function rootsUsing(file: string): string[] {
  return [...dependencies].filter(([, deps]) => deps.has(file)).map(([root]) => root);
}

function relintAll(): void {
  for (const doc of documents.all()) if (isOpenApiDoc(doc)) schedule(doc.uri, 0);
  for (const root of contributions.keys()) if (!documents.get(root)) schedule(root, 0);
}

documents.onDidOpen(({ document }) => {
  linter.files.setOverlay(pathOf(document.uri), document.getText());
  if (isOpenApiDoc(document)) schedule(document.uri, 0);
});

documents.onDidChangeContent(({ document }) => {
  const file = pathOf(document.uri);
  linter.files.setOverlay(file, document.getText());
  if (options.settings.lint.run !== 'onType') return;
  const delay = options.settings.lint.debounceMs;
  if (isOpenApiDoc(document)) schedule(document.uri, delay);
  else noLongerOpenApi(document.uri);
  for (const root of rootsUsing(file)) if (root !== document.uri) schedule(root, delay);
});

documents.onDidSave(({ document }) => {
  if (options.settings.lint.run !== 'onSave') return;
  if (isOpenApiDoc(document)) schedule(document.uri, 0);
  else noLongerOpenApi(document.uri);
  for (const root of rootsUsing(pathOf(document.uri))) if (root !== document.uri) schedule(root, 0);
});

/**
 * A document edited into something that is not OpenAPI (emptied, cut before its `openapi:` key):
 * it is no longer linted, so what its last lint reported goes too, and a lint still running for
 * it publishes nothing.
 */
function noLongerOpenApi(uri: string): void {
  if (!contributions.has(uri)) return;
  queue.forget(uri);
  dropRoot(uri);
}

documents.onDidClose(({ document }) => {
  const file = pathOf(document.uri);
  linter.files.clearOverlay(file);
  linter.yamlCache.forget(file);
  forced.delete(document.uri);
  if (workspaceRoots.has(document.uri)) {
    schedule(document.uri, 0); // back to what is on disk, kept in Problems
  } else if (contributions.has(document.uri)) {
    queue.forget(document.uri);
    dropRoot(document.uri);
  }
  for (const root of rootsUsing(file)) if (root !== document.uri) schedule(root, 0);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  let rulesetChanged = false;
  for (const change of changes) {
    const file = pathOf(change.uri);
    if (linter.invalidateRulesetFile(file) || baseline.isBaselineFile(file)) rulesetChanged = true;
    if (documents.get(change.uri)) continue; // the open buffer is the truth
    for (const root of rootsUsing(file)) schedule(root, 0);
    if (workspaceRoots.has(change.uri)) schedule(change.uri, 0);
  }
  if (rulesetChanged) relintAll();
});

connection.onHover(({ textDocument, position }) => {
  const file = pathOf(textDocument.uri);
  const here = [...contributions.values()].flatMap((byFile) => byFile.get(file) ?? []);
  return hoverFor(here, position);
});

connection.onRequest(Requests.serverInfo, (): ServerInfo => {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { pid: process.pid, heapUsed, rss };
});

connection.onRequest(Requests.lintAnyway, async ({ uri }: { uri: string }) => {
  forced.add(uri);
  schedule(uri, 0);
});

connection.onRequest(Requests.lintFiles, async ({ uris }: { uris: string[] }, token: CancellationToken) => {
  let linted = 0;
  for (const uri of uris) {
    if (token.isCancellationRequested) break;
    const file = pathOf(uri);
    const text = linter.files.read(file);
    if (typeof text !== 'string' || !looksLikeOpenApi(text)) continue;
    workspaceRoots.add(uri);
    await lintRoot(uri, () => token.isCancellationRequested);
    linted++;
  }
  return { linted };
});

async function runLint(job: Job): Promise<void> {
  const doc = documents.get(job.uri);
  if (!doc && !workspaceRoots.has(job.uri) && !contributions.has(job.uri)) return;
  await lintRoot(job.uri, job.isStale);
}

async function lintRoot(uri: string, isStale: () => boolean): Promise<void> {
  const file = pathOf(uri);
  const started = Date.now();
  const sizeMB = (linter.files.size(file) ?? 0) / (1024 * 1024);
  if (sizeMB > options.settings.lint.maxFileSizeMB && !forced.has(uri)) {
    dropRoot(uri);
    sendStatus({ uri, count: 0, errors: 0, warnings: 0, ms: 0, skippedTooLargeMB: Math.round(sizeMB * 10) / 10 });
    return;
  }
  let byFile: Map<string, Finding[]>;
  let deps: string[] = [];
  try {
    const result = await linter.lint(file);
    deps = result.dependencies;
    byFile = new Map([[file, []]]);
    for (const f of baseline.apply(file, result.findings, [result.file, ...result.dependencies])) {
      const list = byFile.get(f.file) ?? [];
      list.push(f);
      byFile.set(f.file, list);
    }
  } catch (e) {
    if (!(e instanceof RulesetError) && !(e instanceof LintInputError)) {
      connection.console.error(`Linting ${file} failed: ${(e as Error)?.stack ?? String(e)}`);
    } else {
      connection.console.warn(`${file}: ${(e as Error).message}`);
    }
    const message = e instanceof RulesetError ? `Ruleset not loaded: ${e.message}` : `Headroom could not lint this file: ${(e as Error)?.message ?? e}`;
    byFile = new Map([[file, [{ file, rule: e instanceof RulesetError ? 'ruleset' : 'internal', severity: 'error', message, path: [], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]]]);
  }
  if (isStale()) return; // a newer edit is queued; never publish old results
  const previous = contributions.get(uri);
  contributions.set(uri, byFile);
  dependencies.set(uri, new Set(deps));
  const touched = new Set([...(previous?.keys() ?? []), ...byFile.keys()]);
  for (const f of touched) publish(f);
  const own = byFile.get(file) ?? [];
  sendStatus({
    uri,
    count: own.length,
    errors: own.filter((f) => f.severity === 'error').length,
    warnings: own.filter((f) => f.severity === 'warn').length,
    ms: Date.now() - started,
  });
}

function dropRoot(uri: string): void {
  const previous = contributions.get(uri);
  contributions.delete(uri);
  dependencies.delete(uri);
  workspaceRoots.delete(uri);
  for (const f of previous?.keys() ?? []) publish(f);
}

/** Diagnostics of one file: what every root found in it. */
function publish(file: string): void {
  const seen = new Set<string>();
  const diagnostics = [];
  for (const byFile of contributions.values()) {
    for (const f of byFile.get(file) ?? []) {
      const key = `${f.rule}\0${f.range.start.line}:${f.range.start.character}\0${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push(toDiagnostic(f));
    }
  }
  void connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
}

function sendStatus(status: LintStatus): void {
  void connection.sendNotification(Notifications.status, status);
}


documents.listen(connection);
connection.listen();
