/**
 * The thin VS Code side: starts the language server once VS Code has started in a workspace with
 * YAML/JSON files (or when one is opened), forwards
 * settings and workspace trust, and owns the commands and the status bar.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { looksLikeOpenApi } from '../shared/sniff';
import { Notifications, Requests, type LintStatus, type ServerInfo, type TabsParams } from '../shared/settings';
import { initOptions } from './config';
import { CoverageView } from './coverageView';
import { registerExportCommand } from './exportCommand';
import { registerFixAllCommand } from './fixAllCommand';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;
let starting: Promise<LanguageClient> | undefined;

const YAML_OR_JSON = '**/*.{yaml,yml,json}';
const SKIPPED = '{**/node_modules/**,**/.git/**}';

const SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
];

/** What `activate` returns (`vscode.extensions.getExtension('headroom.headroom').exports`). */
export interface HeadroomApi {
  /** The process id of the running language server (started if it is not yet). */
  serverPid(): Promise<number>;
}

export async function activate(context: vscode.ExtensionContext): Promise<HeadroomApi> {
  const output = vscode.window.createOutputChannel('Headroom', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status);

  const ensureClient = (): Promise<LanguageClient> => {
    starting ??= startClient(context, output, (s) => {
      status.update(s);
      coverage.onLint(s);
    });
    return starting;
  };
  const coverage = new CoverageView(ensureClient);
  const tabs = new WaitingTabs();
  const tellTabs = () => {
    status.refresh();
    const changes = tabs.update();
    if (changes.opened.length > 0 || changes.closed.length > 0) void ensureClient().then((c) => c.sendNotification(Notifications.tabs, changes));
  };
  tellTabs(); // tabs opened before this activation (a click just after start-up, tabs restored) count too
  context.subscriptions.push(coverage);

  const isYamlOrJson = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && ['yaml', 'json', 'jsonc'].includes(doc.languageId);

  // Start the server once an OpenAPI document is open, or a YAML/JSON file of a workspace folder
  // (a spec there may $ref it: it is linted through that spec). Other files cost nothing.
  const maybeStart = (doc: vscode.TextDocument) => {
    if (isYamlOrJson(doc) && (looksLikeOpenApi(doc.getText()) || vscode.workspace.getWorkspaceFolder(doc.uri) !== undefined)) void ensureClient();
  };
  vscode.workspace.textDocuments.forEach(maybeStart);
  // Started once VS Code has (onStartupFinished) in a workspace with YAML/JSON files, the server is
  // ready before the first spec is opened: on a 13 MB spec, starting it after the open cost about
  // a second before the first lint could begin.
  if (!starting) void workspaceHasYamlOrJson().then((has) => (has ? ensureClient() : undefined));
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(maybeStart),
    vscode.window.onDidChangeActiveTextEditor(() => status.refresh()),
    // A tab is there at the click; its document only once VS Code has loaded the file (seconds for
    // a 13 MB spec): the server lints the file from disk meanwhile.
    vscode.window.tabGroups.onDidChangeTabs(tellTabs),
    // Settings changes reach the server by workspace/didChangeConfiguration (it registers for them); trust does not.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      if (client) await client.sendNotification(Notifications.configure, initOptions());
    }),
    vscode.commands.registerCommand('headroom.lintWorkspace', async () => lintWorkspace(await ensureClient())),
    vscode.commands.registerCommand('headroom.lintAnyway', async (uri?: string) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
      if (target) await (await ensureClient()).sendRequest(Requests.lintAnyway, { uri: target });
    }),
    vscode.commands.registerCommand('headroom.showOutput', () => output.show()),
    registerFixAllCommand(ensureClient),
    registerExportCommand(ensureClient),
  );
  return {
    serverPid: async () => (await (await ensureClient()).sendRequest<ServerInfo>(Requests.serverInfo)).pid,
  };
}

async function startClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, onStatus: (s: LintStatus) => void): Promise<LanguageClient> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    outputChannel: output,
    // Read at every (re)start: a server restarted after a crash gets the settings and trust of now.
    initializationOptions: initOptions,
    // The server restarts after a crash (the library's default policy: up to 4 restarts in 3 minutes).
  };
  const c = new LanguageClient('headroom', 'Headroom', serverOptions, clientOptions);
  c.onNotification(Notifications.status, (s: LintStatus) => onStatus(s));
  await c.start();
  client = c;
  context.subscriptions.push({ dispose: () => void c.stop() });
  return c;
}

/**
 * The YAML/JSON files of the workspace folders that have a tab but no document yet, told to the
 * server as they come and go (TabsParams). A file whose document is open is the document's.
 */
class WaitingTabs {
  private told = new Set<string>();

  update(): TabsParams {
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const waiting = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (!(tab.input instanceof vscode.TabInputText)) continue;
        const uri = tab.input.uri;
        if (uri.scheme !== 'file' || !/\.(ya?ml|json)$/i.test(uri.path) || !vscode.workspace.getWorkspaceFolder(uri)) continue;
        if (!open.has(uri.toString())) waiting.add(uri.toString());
      }
    }
    const opened = [...waiting].filter((u) => !this.told.has(u));
    // Gone without a document ever arriving: its tab closed (or its preview was replaced).
    const closed = [...this.told].filter((u) => !waiting.has(u) && !open.has(u));
    this.told = waiting;
    return { opened, closed };
  }
}

/** Does a workspace folder hold a YAML/JSON file (the files the server lints, or lints through a spec)? */
async function workspaceHasYamlOrJson(): Promise<boolean> {
  if (!vscode.workspace.workspaceFolders?.length) return false;
  return (await vscode.workspace.findFiles(YAML_OR_JSON, SKIPPED, 1)).length > 0;
}

async function lintWorkspace(c: LanguageClient): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Headroom: linting workspace', cancellable: true },
    async (progress, token) => {
      const files = await vscode.workspace.findFiles(YAML_OR_JSON, SKIPPED, undefined, token);
      const batch = 20;
      let linted = 0;
      for (let i = 0; i < files.length && !token.isCancellationRequested; i += batch) {
        const uris = files.slice(i, i + batch).map((u) => u.toString());
        const result = await c.sendRequest<{ linted: number }>(Requests.lintFiles, { uris }, token);
        linted += result.linted;
        progress.report({ increment: (uris.length / files.length) * 100, message: `${linted} OpenAPI file(s)` });
      }
      void vscode.window.setStatusBarMessage(`Headroom: linted ${linted} OpenAPI file(s)`, 5000);
    },
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
