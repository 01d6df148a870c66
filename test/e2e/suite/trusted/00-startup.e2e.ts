/**
 * The server starts once VS Code has started in a workspace with YAML/JSON files, before any is
 * opened: the first spec opened (13 MB for GitHub's) is then linted without waiting for a server
 * to start.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, headroomDiagnostics, revertAndCloseAll, until, waitForDiagnostics } from '../helpers';
import { BILLING, BILLING_NO_429 } from '../expected';

/** Processes whose parent is this extension host and whose command line runs Headroom's server. */
function serverChildren(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith('dist/server.js'))) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

suite('Start-up', () => {
  suiteTeardown(revertAndCloseAll);

  test('the language server runs before any YAML/JSON file is opened', async () => {
    const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && ['yaml', 'json', 'jsonc'].includes(d.languageId));
    assert.deepEqual(open.map((d) => d.uri.fsPath), [], 'a YAML/JSON file was already open: this test would not show the start-up path');
    const deadline = Date.now() + 30_000;
    let servers = serverChildren();
    while (servers.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      servers = serverChildren();
    }
    assert.equal(servers.length, 1, `language server processes started by this extension host: ${servers.length}`);
    assert.ok(vscode.extensions.getExtension('headroom.headroom')?.isActive, 'the extension is not active');
  });

  test('a spec whose tab has no document yet (opened in the background) is linted from disk; closing the tab takes its findings back', async () => {
    // An editor to stay in front: the spec's tab opens behind it, so VS Code does not load it.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'in front' }));
    const uri = fileUri(BILLING);
    await vscode.commands.executeCommand('vscode.open', uri, { background: true, preview: false });
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    assert.ok(tab, 'no tab for the spec');
    await waitForDiagnostics(uri, [BILLING_NO_429], 'with its tab in the background');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'VS Code loaded the spec: this test would not show the early lint');
    await vscode.window.tabGroups.close(tab);
    await until(
      () => (headroomDiagnostics(uri).length === 0 ? true : undefined),
      vscode.languages.onDidChangeDiagnostics,
      () => new Error(`the findings stayed after the tab closed: ${JSON.stringify(headroomDiagnostics(uri))}`),
    );
  });
});
