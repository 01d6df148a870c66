/**
 * The Headroom language server: lints OpenAPI documents off the editor's thread and reports
 * diagnostics for the root and for every `$ref`ed file a finding lies in. Any LSP client can run
 * it (`headroom lsp --stdio`); nothing here needs VS Code: workspace folders are optional,
 * settings are pulled per folder when the client answers `workspace/configuration`, diagnostics
 * are pushed or pulled, code actions carry plain workspace edits.
 */

import { writeSync } from 'node:fs';
import { format } from 'node:util';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  DidChangeWatchedFilesNotification,
  ReadableStreamMessageReader,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { looksLikeOpenApi } from '../shared/sniff';
import { LintCancelledError, LintInputError } from '../core/engine';
import { RulesetError } from '../core/ruleset';
import type { Finding } from '../shared/types';
import { Notifications, Requests, tally, type InitOptions, type LintStatus, type ServerInfo, type TabsParams } from '../shared/settings';
import { hoverFor } from './hover';
import { Linter } from './linter';
import { LintQueue, type Job } from './queue';
import { CodeActions } from './codeActions';
import { registerExportRequest } from './export';
import { annotationHover, COMPLETION_CAPABILITY, completionHandler } from './annotationAssist';
import { Publisher } from './publish';
import { FolderSettings } from './settings';
import { LintState } from './state';
import { registerCoverageRequest } from './coverage';
import { EditorBaseline } from './baseline';
import { SpecIndex } from './specIndex';
import { initialFolders, workspaceFolderPath } from './folders';
import { Fragments } from './fragments';
import { Opening } from './opening';
import { answerGated, messageGate } from './gate';
import { framingLost, transportFrom } from './transport';
import { officialSchemaRejects } from '../../rules/functions/lib/validation/schemas';

let initializeReceived = false;
/** How long a message may stay half-read, no byte coming, before the session is given up. */
const STALLED_MESSAGE_MS = Number(process.env.HEADROOM_LSP_STALLED_MS) || 60_000;
let shutdownReceived = false;
const transport = transportFrom(process.argv.slice(2));
const options = { messageStrategy: messageGate(() => initializeReceived, (message) => connection.console.warn(message)) };
const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer, options) : createConnection(ProposedFeatures.all, options);
answerGated(connection);
connection.onShutdown(() => {
  shutdownReceived = true;
});
// A stream whose framing is lost cannot be read on: said in one line, and the session ends.
transport?.reader.onError((error) => {
  if (!framingLost(error)) return connection.console.error(`A message from the editor could not be read: ${error.message}`);
  writeSync(2, `headroom: the language server cannot read the editor's messages any more (${error.message.split('\n')[0]}); exiting\n`);
  process.exit(1);
});
// A message begun and not finished for a minute (a `Content-Length` larger than what was sent)
// leaves every later message inside it: said, and the session ends, rather than a deaf server.
let stalled = 0;
let stalledMessage = -1;
if (transport?.reader instanceof ReadableStreamMessageReader) transport.reader.partialMessageTimeout = Math.min(10_000, STALLED_MESSAGE_MS);
transport?.reader.onPartialMessage(({ messageToken, waitingTime }) => {
  // Waits add up while the same message stays unfinished; a later message starts again.
  stalled = messageToken === stalledMessage ? stalled + waitingTime : waitingTime;
  stalledMessage = messageToken;
  if (stalled < STALLED_MESSAGE_MS) return;
  writeSync(2, `headroom: the language server got part of a message from the editor and nothing more for ${Math.round(stalled / 1000)} s (a Content-Length larger than the message?); exiting\n`);
  process.exit(1);
});
if (transport?.stdio) {
  // The end of stdin is the end of the editor (exit 0 after shutdown, else 1), and stdout carries
  // only messages: what a library logs goes to stderr.
  for (const event of ['end', 'close']) process.stdin.on(event, () => process.exit(shutdownReceived ? 0 : 1));
  for (const level of ['log', 'info', 'debug', 'trace', 'dir'] as const) console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
}
// A connection that ends before `initialize` (no editor on --socket's port, a closed pipe) is a failure, said in one line.
process.on('exit', () => {
  if (initializeReceived) return;
  // Synchronously: the process is exiting, and a write to a pipe would be lost.
  writeSync(2, 'headroom: the language server got no initialize from the editor: the connection closed (or could not be made) first\n');
  process.exitCode = 1;
});
const documents = new TextDocuments(TextDocument);

const pathOf = (uri: string) => URI.parse(uri).fsPath;

const warn = (message: string) => connection.console.warn(message);
const settings = new FolderSettings(undefined, undefined, warn);
const linter = new Linter(() => settings.folders, (file) => settings.known(file), warn);
const state = new LintState(pathOf);
const publisher = new Publisher(connection, documents, state, (file) => settings.known(file).homepage);
const queue = new LintQueue(runLint);
const opening = new Opening();
const codeActions = new CodeActions(connection, documents, linter, (file) => state.findingsIn(file));
registerExportRequest(connection, linter.files, linter.policyFor, {
  settled: (uri) => queue.idle(uri),
  diagnosticsOf: (file) => state.diagnosticsOf(file),
  linted: (file) => state.has(file),
  lintQuietly: async (file) => (await linter.lint(file)).findings,
});
connection.onCompletion(completionHandler(documents));
registerCoverageRequest(connection, linter);
const baseline = new EditorBaseline((file) => settings.known(file), (file) => linter.folderOf(file), warn);
/** The workspace's specs and the files they `$ref`: a file that is not a spec is linted through them. */
const index = new SpecIndex({
  files: linter.files,
  folders: () => settings.folders,
  policyFor: linter.policyFor,
  maxBytes: (file) => settings.known(file).lint.maxFileSizeMB * 1024 * 1024,
  warn,
});
const fragments = new Fragments({
  documents,
  state,
  index,
  pathOf,
  isSpec: (doc) => isOpenApiDoc(doc),
  schedule: (uri) => schedule(uri, 0),
  forget: (uri) => queue.forget(uri),
  publish: (files) => publisher.publish(files),
  sendStatus: (status) => sendStatus(status),
  log: (message) => connection.console.log(message),
  isWorkspaceRoot: (uri) => state.isWorkspaceRoot(uri),
});
state.setVisibility((root, file) => fragments.shows(root, file));

let sequence = 0;
/** Send `headroom/status` after each lint (asked for by the VS Code client). */
let sendsStatus = false;
/** What the client can do (VS Code can all of it; other LSP clients may not). */
let clientWatchesFiles = false;
let clientSendsFolderChanges = false;
let clientTakesConfigurationChanges = false;

connection.onInitialize((params: InitializeParams) => {
  if (initializeReceived) return new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received');
  initializeReceived = true;
  const caps = params.capabilities;
  clientWatchesFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  clientSendsFolderChanges = caps.workspace?.workspaceFolders === true;
  clientTakesConfigurationChanges = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  const init = (typeof params.initializationOptions === 'object' && params.initializationOptions !== null ? params.initializationOptions : {}) as InitOptions;
  linter.setTrusted(init.trusted === true);
  sendsStatus = init.status === true;
  settings.setFallback(init.settings ?? init.headroom);
  if (caps.workspace?.configuration === true) {
    settings.setPull(async (scopeUri) => (await connection.workspace.getConfiguration({ section: 'headroom', ...(scopeUri ? { scopeUri } : {}) })) as unknown);
  }
  // Workspace folders when the client has them, else its root, else none (each spec's refs then stay in its folder).
  const { folders, refused } = initialFolders(params);
  for (const uri of refused) warn(`Workspace folder ${JSON.stringify(uri)} is ignored: not an absolute file: folder below the file system's root.`);
  settings.setFolders(folders);
  const diagnosticProvider = publisher.configure(caps, init.diagnostics, init.maxDiagnosticsPerFile, sendsStatus);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      completionProvider: COMPLETION_CAPABILITY,
      codeActionProvider: codeActions.capability(caps),
      ...(diagnosticProvider ? { diagnosticProvider } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'headroom' },
  };
});

connection.onInitialized(() => {
  if (clientWatchesFiles) {
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,json,js,cjs}' }] })
      .catch((e: unknown) => warn(`File watching is off: ${(e as Error)?.message ?? e}`));
  }
  if (clientTakesConfigurationChanges) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'headroom' }).catch(() => {});
  }
  if (clientSendsFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((r) => pathOf(r.uri)));
      const added = e.added.flatMap((a) => workspaceFolderPath(a.uri) ?? []);
      // The folders decide which files a spec may $ref and which ruleset applies: every spec is linted again.
      void settingsChanged(() => settings.setFolders(settings.folders.filter((f) => !removed.has(f)).concat(added))).then(() => {
        linter.forgetRulesets();
        relintAll();
        reindex();
      });
    });
  }
});

// Settings: pulled again per folder (a client that does not answer workspace/configuration sends them here).
connection.onDidChangeConfiguration(({ settings: sent }) => {
  void settingsChanged(() => {
    const section = typeof sent === 'object' && sent !== null ? (sent as { headroom?: unknown }).headroom : undefined;
    if (section !== undefined) settings.setFallback(section);
    else settings.invalidate();
  });
});

// Trust (VS Code's workspace trust, granted or not): rulesets load again, with or without their JavaScript.
connection.onNotification(Notifications.configure, (next: InitOptions) => {
  linter.setTrusted(next.trusted === true);
  relintAll();
  reindex();
});

/** Apply a settings change; re-lint the documents whose folder's settings are not what they were. */
async function settingsChanged(change: () => void): Promise<void> {
  const linted = [...new Set([...documents.all().map((d) => d.uri), ...state.roots()])];
  const before = new Map(linted.map((uri) => [uri, JSON.stringify(settings.known(pathOf(uri)))]));
  change();
  let changed = false;
  const relint: string[] = [];
  for (const uri of linted) {
    const now = JSON.stringify(await settings.of(pathOf(uri)));
    if (now !== before.get(uri)) {
      changed = true;
      relint.push(uri);
    }
  }
  if (!changed) return;
  linter.forgetRulesets();
  for (const uri of relint) {
    const doc = documents.get(uri);
    if (doc ? isOpenApiDoc(doc) : state.has(uri)) schedule(uri, 0);
  }
  reindex();
}

/** Folders, trust or the `$ref` settings changed: the specs are looked for again, for every open fragment. */
function reindex(): void {
  index.reset();
  fragments.refreshAll();
}

function isOpenApiDoc(doc: TextDocument): boolean {
  return looksLikeOpenApi(doc.getText());
}

function schedule(uri: string, delayMs: number): Promise<void> {
  return queue.schedule(uri, ++sequence, delayMs);
}

function relintAll(): void {
  for (const doc of documents.all()) if (isOpenApiDoc(doc)) schedule(doc.uri, 0);
  for (const root of state.roots()) if (!documents.get(root)) schedule(root, 0);
}

// The handlers wait for the settings of the document's folder (answered once per folder, then
// cached): `settings.of` gives one promise per folder, so they still act in the order the client sent.

/**
 * Documents just opened: the library fires a content change with every open, which is no edit
 * (on a 13 MB spec, a second lint of the same text that made the first one's result stale).
 */
const justOpened = new WeakSet<TextDocument>();

documents.onDidOpen(async ({ document }) => {
  justOpened.add(document);
  const file = pathOf(document.uri);
  linter.files.setOverlay(file, document.getText());
  const linted = opening.opened(document.uri, document.getText()); // from disk, while its tab waited for this text
  publisher.opened(document.uri);
  await settings.of(file);
  if (isOpenApiDoc(document)) {
    if (!linted) schedule(document.uri, 0); // else the lint of the same text from disk stands
  } else void fragments.refresh(document.uri); // linted through the specs that $ref it, if any
});

documents.onDidChangeContent(async ({ document }) => {
  const justNow = justOpened.delete(document);
  const file = pathOf(document.uri);
  linter.files.setOverlay(file, document.getText());
  index.changed(file);
  const s = await settings.of(file);
  if (s.lint.run !== 'onType') return;
  const delay = s.lint.debounceMs;
  if (isOpenApiDoc(document)) {
    if (!justNow) schedule(document.uri, delay); // didOpen scheduled this version (or its tab's lint did)
  } else if (noLongerOpenApi(document.uri)) void fragments.refresh(document.uri);
  for (const root of state.rootsUsing(file)) if (root !== document.uri) schedule(root, delay);
});

documents.onDidSave(async ({ document }) => {
  // A client that watches no files (many editors but VS Code) still tells of a ruleset saved in it.
  if (!clientWatchesFiles && linter.invalidateRulesetFile(pathOf(document.uri))) relintAll();
  const s = await settings.of(pathOf(document.uri));
  if (s.lint.run !== 'onSave') return;
  if (isOpenApiDoc(document)) schedule(document.uri, 0);
  else if (noLongerOpenApi(document.uri)) void fragments.refresh(document.uri);
  for (const root of state.rootsUsing(pathOf(document.uri))) if (root !== document.uri) schedule(root, 0);
});

/**
 * A document edited into something that is not OpenAPI (emptied, cut before its `openapi:` key):
 * it is no longer linted, so what its last lint reported goes too, and a lint still running for
 * it publishes nothing.
 */
function noLongerOpenApi(uri: string): boolean {
  queue.forget(uri); // its first lint may still be running: it publishes nothing either
  if (!state.has(uri)) return false;
  publisher.publish(state.drop(uri));
  return true;
}

documents.onDidClose(({ document }) => {
  const file = pathOf(document.uri);
  linter.files.clearOverlay(file);
  linter.yamlCache.forget(file);
  linter.jsonCache.forget(file);
  index.changed(file); // back to what is on disk
  state.force(document.uri, false);
  fragments.closed(document.uri); // the specs it was linted through go, unless open or kept
  if (state.isWorkspaceRoot(document.uri) || fragments.holds(document.uri)) {
    schedule(document.uri, 0); // back to what is on disk, kept in Problems
  } else {
    queue.forget(document.uri); // a first lint still running publishes nothing for the closed file
    if (state.has(document.uri)) publisher.publish(state.drop(document.uri));
  }
  publisher.closed(document.uri);
  for (const root of state.rootsUsing(file)) if (root !== document.uri) schedule(root, 0);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  let rulesetChanged = false;
  for (const change of changes) {
    const file = pathOf(change.uri);
    if (linter.invalidateRulesetFile(file) || baseline.isBaselineFile(file)) rulesetChanged = true;
    if (documents.get(change.uri)) continue; // the open buffer is the truth
    index.changed(file);
    for (const root of state.rootsUsing(file)) schedule(root, 0);
    opening.changedOnDisk(change.uri);
    if (state.isWorkspaceRoot(change.uri) || fragments.holds(change.uri) || opening.holds(change.uri)) schedule(change.uri, 0);
  }
  if (rulesetChanged) relintAll();
  fragments.refreshAll(); // a spec may $ref an open file now, or no longer
});

connection.onHover(({ textDocument, position }) => {
  if (typeof textDocument?.uri !== 'string' || typeof position?.line !== 'number' || typeof position.character !== 'number') return null;
  const doc = documents.get(textDocument.uri);
  return hoverFor(state.findingsIn(pathOf(textDocument.uri)).map((r) => r.finding), position) ?? (doc ? annotationHover(doc, position) : null);
});

// Pull diagnostics: answered once the lints pending for the document (and the specs that `$ref` it) are done.
connection.languages.diagnostics.on((params, token) => {
  const uri = params.textDocument.uri;
  const file = pathOf(uri);
  return publisher.pull(
    uri,
    async () => {
      await settings.of(file); // a didOpen / didChange waiting on the same promise schedules first
      await fragments.settled(uri); // a file that is no spec: the specs that $ref it found and linted
      await Promise.all([uri, ...state.rootsUsing(file)].map((u) => queue.idle(u)));
    },
    token,
  );
});

connection.onRequest(Requests.serverInfo, (): ServerInfo => {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { pid: process.pid, heapUsed, rss };
});

// Tabs the editor opened before sending their text: each OpenAPI file among them is linted from
// disk meanwhile (src/server/opening.ts); one closed before its text came leaves nothing behind.
connection.onNotification(Notifications.tabs, async ({ opened = [], closed = [] }: Partial<TabsParams>) => {
  for (const uri of closed) {
    if (!opening.closed(uri) || documents.get(uri) || state.isWorkspaceRoot(uri) || fragments.holds(uri)) continue;
    queue.forget(uri);
    publisher.publish(state.drop(uri));
  }
  for (const uri of opened) {
    // Only files: an `untitled:spec.yaml` tab would be read as spec.yaml in the server's working folder.
    if (!uri.startsWith('file:') || documents.get(uri) || opening.holds(uri) || state.has(uri)) continue;
    const file = pathOf(uri);
    const s = await settings.of(file);
    if ((linter.files.size(file) ?? Infinity) > s.lint.maxFileSizeMB * 1024 * 1024) continue; // its didOpen says it is too large
    const text = linter.files.read(file);
    if (typeof text !== 'string' || !looksLikeOpenApi(text) || documents.get(uri)) continue;
    opening.announce(uri, text);
    schedule(uri, 0);
  }
});

connection.onRequest(Requests.lintAnyway, async ({ uri }: { uri: string }) => {
  state.force(uri);
  await schedule(uri, 0);
});

// "Lint Workspace": each OpenAPI file through the lint queue, like an edit, one after another.
connection.onRequest(Requests.lintFiles, async ({ uris }: { uris: string[] }, token: CancellationToken) => {
  let linted = 0;
  for (const uri of Array.isArray(uris) ? uris : []) {
    if (token.isCancellationRequested) break;
    // Files of the workspace's folders only, when it has folders (the client lists them): nothing else is read.
    if (typeof uri !== 'string' || !uri.startsWith('file:') || (settings.folders.length > 0 && linter.folderOf(pathOf(uri)) === undefined)) continue;
    const text = linter.files.read(pathOf(uri));
    if (typeof text !== 'string' || !looksLikeOpenApi(text)) continue;
    state.addWorkspaceRoot(uri);
    await settings.of(pathOf(uri));
    await schedule(uri, 0);
    linted++;
  }
  return { linted };
});

async function runLint(job: Job): Promise<void> {
  if (!documents.get(job.uri) && !state.isWorkspaceRoot(job.uri) && !state.has(job.uri) && !fragments.holds(job.uri) && !opening.holds(job.uri)) return;
  const uri = job.uri;
  const file = pathOf(uri);
  const started = Date.now();
  const s = await settings.of(file);
  const sizeMB = (linter.files.size(file) ?? 0) / (1024 * 1024);
  const before = state.dependenciesOf(uri);
  if (sizeMB > s.lint.maxFileSizeMB && !state.isForced(uri)) {
    publisher.publish(state.drop(uri));
    sendStatus({ uri, count: 0, inReferenced: 0, errors: 0, warnings: 0, ms: 0, skippedTooLargeMB: Math.round(sizeMB * 10) / 10 });
    index.learn(file, []); // fragments are not linted through it either
    fragments.linted(uri, before, [], 0);
    return;
  }
  let findings: Finding[];
  let deps: string[] = [];
  let ran = '';
  try {
    const result = await linter.lint(file, job.isStale);
    warmUp(result.version);
    prepareForEdits(file);
    deps = result.dependencies;
    ran = `${linter.rulesetFor(file).source}, ${result.engine} engine`;
    findings = baseline.apply(file, result.findings, [result.file, ...result.dependencies], (f) => result.dataOf(f));
    index.learn(file, deps);
  } catch (e) {
    if (e instanceof LintCancelledError) return dropped(file, started); // a newer edit is queued: its lint publishes
    // What it $refs is not known from a lint that failed: what was known stays (the fragments linted through it too).
    deps = before.length > 0 ? before : (index.known(file) ?? []);
    if (!(e instanceof RulesetError) && !(e instanceof LintInputError)) {
      connection.console.error(`Linting ${file} failed: ${(e as Error)?.stack ?? String(e)}`);
    } else {
      warn(`${file}: ${(e as Error).message}`);
    }
    const message = e instanceof RulesetError ? `Ruleset not loaded: ${e.message}` : `Headroom could not lint this file: ${(e as Error)?.message ?? e}`;
    findings = [{ file, rule: e instanceof RulesetError ? 'ruleset' : 'internal', severity: 'error', message, path: [], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
  }
  if (job.isStale()) return dropped(file, started); // a newer edit is queued; never publish old results
  publisher.publish(state.record(uri, findings, deps));
  const status: LintStatus = {
    uri,
    ...tally(findings, file),
    ms: Date.now() - started,
  };
  // The "Headroom" output: what was linted, how and with what result, once per lint.
  const referenced = deps.length > 0 ? ` (${status.inReferenced} in ${deps.length} $ref'ed file${deps.length === 1 ? '' : 's'})` : '';
  connection.console.log(`Linted ${file}${ran ? ` (${ran})` : ''} in ${status.ms} ms: ${status.count} finding${status.count === 1 ? '' : 's'}${referenced}, ${status.errors} error${status.errors === 1 ? '' : 's'}, ${status.warnings} warning${status.warnings === 1 ? '' : 's'}.`);
  sendStatus(status);
  fragments.linted(uri, before, deps, status.ms);
}

/**
 * A second after the first lint of a 3.x spec: compile the validator the `validate` rule needs
 * the first time an edit breaks a path item or a component (the schema as published, ~0.3 s),
 * so that keystroke does not pay for it.
 */
const warmed = new Set<string>();
function warmUp(version: string | null): void {
  if (version === null || version === '2.0' || warmed.has(version)) return;
  warmed.add(version);
  setTimeout(() => officialSchemaRejects(version as '3.0' | '3.1' | '3.2', {}), 1000).unref();
}

/** A second after a lint, unless one is pending for the file: the linter's idle work for the next key. */
const preparing = new Set<string>();
function prepareForEdits(file: string): void {
  if (preparing.has(file)) return;
  preparing.add(file);
  setTimeout(() => {
    preparing.delete(file);
    linter.prepareForEdits(file);
  }, 1000).unref();
}

/** A lint whose result a newer version of the document made stale: said in the output, nothing published. */
function dropped(file: string, started: number): void {
  connection.console.log(`Stopped linting ${file} after ${Date.now() - started} ms: its result is no longer wanted (a newer version is waiting, or the document was closed or is no longer OpenAPI).`);
}

function sendStatus(status: LintStatus): void {
  if (sendsStatus) void connection.sendNotification(Notifications.status, status);
}

documents.listen(connection);
connection.listen();
