/**
 * "Headroom: Export Gateway Policy…" (`headroom.exportPolicy`): pick a target, let the language
 * server build the configuration from the spec (its unsaved text counts), preview it in a new
 * editor, then save it next to the spec or in `headroom.export.outputDir` — atomically, and never
 * over an existing file without asking. Annotation errors stop the export and go to Problems.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { looksLikeOpenApi } from '../shared/sniff';
import type { Finding } from '../shared/types';
import { outputPath, writeAtomic } from '../shared/save';
import { Requests, type ExportPolicyReply, type ExportTarget } from '../shared/settings';
import { lspSeverity } from '../shared/severity';

const TARGETS: (vscode.QuickPickItem & { target: ExportTarget; language: string })[] = [
  { label: 'Kong', description: 'decK declarative configuration (kong.yaml)', target: 'kong', language: 'yaml' },
  { label: 'NGINX', description: 'complete nginx.conf (nginx -p DIR -c DIR/nginx.conf)', target: 'nginx', language: 'nginx' },
  { label: 'HAProxy', description: 'complete haproxy.cfg (haproxy -f haproxy.cfg)', target: 'haproxy', language: 'haproxy' },
  { label: 'Envoy Gateway', description: 'Kubernetes Gateway API + Envoy Gateway resources (kubectl apply -f)', target: 'envoy-gateway', language: 'yaml' },
];

/** Sets `headroom.openApiEditor` for the menus' `when` clauses, and registers the command. */
export function registerExportCommand(ensureClient: () => Promise<LanguageClient>): vscode.Disposable {
  const problems = vscode.languages.createDiagnosticCollection('headroom-export');
  const updateContext = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const isSpec = doc !== undefined && doc.uri.scheme === 'file' && looksLikeOpenApi(doc.getText());
    void vscode.commands.executeCommand('setContext', 'headroom.openApiEditor', isSpec);
  };
  updateContext();
  return vscode.Disposable.from(
    problems,
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    // Menus pass the file (and a context object); executeCommand callers (other extensions, tests)
    // may pass a target name or ExportCommandOptions. Resolves with the path written, or undefined.
    vscode.commands.registerCommand('headroom.exportPolicy', (resource?: vscode.Uri, arg?: unknown) => exportPolicy(ensureClient, problems, resource, commandOptions(arg))),
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
  };
}

async function exportPolicy(ensureClient: () => Promise<LanguageClient>, problems: vscode.DiagnosticCollection, resource: vscode.Uri | undefined, options: ExportCommandOptions): Promise<string | undefined> {
  const spec = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
  if (!spec || spec.scheme !== 'file') {
    void vscode.window.showInformationMessage('Headroom: open an OpenAPI file (saved on disk) to export its gateway policy.');
    return undefined;
  }
  const picked = TARGETS.find((t) => t.target === options.target) ?? (await vscode.window.showQuickPick(TARGETS, { title: 'Headroom: Export Gateway Policy', placeHolder: 'Which gateway?' }));
  if (!picked) return undefined;
  const config = vscode.workspace.getConfiguration('headroom', spec);
  const listen = config.get<string>('export.listen', '127.0.0.1:8080');
  const client = await ensureClient();
  const reply = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Headroom: exporting ${picked.label} config` }, () =>
    client.sendRequest<ExportPolicyReply>(Requests.exportPolicy, { uri: spec.toString(), target: picked.target, listen }),
  );
  showFindings(client, problems, reply.findings);
  if (reply.error) {
    void vscode.window.showErrorMessage(`Headroom: cannot export: ${reply.error}`);
    return undefined;
  }
  if (!reply.ok || reply.text === undefined) {
    const errors = reply.findings.filter((f) => f.severity === 'error').length;
    const choice = await vscode.window.showErrorMessage(
      `Headroom: export stopped: ${errors} error${errors === 1 ? '' : 's'} in the spec's gateway annotations. Nothing was written.`,
      'Show Problems',
    );
    if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }
  const languages = await vscode.languages.getLanguages();
  const preview = await vscode.workspace.openTextDocument({ content: reply.text, language: languages.includes(picked.language) ? picked.language : 'plaintext' });
  await vscode.window.showTextDocument(preview, { preview: true });

  const folder = vscode.workspace.getWorkspaceFolder(spec)?.uri.fsPath;
  let destination = outputPath(spec.fsPath, reply.fileName, config.get<string>('export.outputDir', ''), folder);
  const shown = folder ? relative(folder, destination) : destination;
  const notes = reply.notes.length > 0 ? ` ${reply.notes.length} approximation${reply.notes.length === 1 ? '' : 's'} noted in its header.` : '';
  const save = options.save ? 'Save' : await vscode.window.showInformationMessage(`Save the ${picked.label} config as ${shown}?${notes}`, 'Save', 'Save As…');
  if (!save) return undefined;
  if (save === 'Save As…') {
    const chosen = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(destination), title: `Save ${picked.label} config` });
    if (!chosen) return undefined;
    destination = chosen.fsPath;
  } else if (existsSync(destination)) {
    if (options.overwrite === 'no') {
      void vscode.window.showWarningMessage(`Headroom: ${shown} already exists; it was not replaced.`);
      return undefined;
    }
    const replace = await vscode.window.showWarningMessage(`${shown} already exists. Replace it?`, { modal: true }, 'Replace');
    if (replace !== 'Replace') return undefined;
  }
  try {
    await mkdir(dirname(destination), { recursive: true }); // headroom.export.outputDir may not exist yet
    await writeAtomic(destination, reply.text);
  } catch (e) {
    void vscode.window.showErrorMessage(`Headroom: cannot write ${destination}: ${(e as Error).message}`);
    return undefined;
  }
  // Not awaited: the command is done once the file is written, not when the message is closed.
  void vscode.window.showInformationMessage(`Headroom: saved ${folder ? relative(folder, destination) : destination}.`, 'Open').then(async (open) => {
    if (open) await vscode.window.showTextDocument(vscode.Uri.file(destination));
  });
  return destination;
}

/** Export findings (errors, lenient reads, skipped parts) in Problems, replacing the last export's. */
function showFindings(client: LanguageClient, problems: vscode.DiagnosticCollection, findings: Finding[]): void {
  problems.clear();
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const f of findings) {
    const r = f.range;
    const d = new vscode.Diagnostic(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), f.message, client.protocol2CodeConverter.asDiagnosticSeverity(lspSeverity(f.severity)));
    d.source = 'headroom export';
    d.code = f.rule;
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), d]);
  }
  for (const [file, list] of byFile) problems.set(vscode.Uri.file(file), list);
}
