/** Headroom: Lint Workspace fills Problems for specs that are not open. Runs after the suites that expect closed specs to have none: it lints everything. */
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, headroomDiagnostics, waitForDiagnostics } from '../helpers';
import { APP_CONFIG, INVENTORY, INVENTORY_NO_429, ITEMS, ITEMS_NO_429 } from '../expected';


suite('Headroom: Lint Workspace', () => {
  test('fills diagnostics for files that are not open', async () => {
    const uri = fileUri(INVENTORY);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), `${INVENTORY} must not be open`);
    assert.deepStrictEqual(headroomDiagnostics(uri), []);
    await vscode.commands.executeCommand('headroom.lintWorkspace');
    await waitForDiagnostics(uri, [INVENTORY_NO_429], 'after Lint Workspace');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'Lint Workspace opened the file');
    // Every other spec of the workspace is in Problems too, and the plain YAML file still is not.
    await waitForDiagnostics(fileUri(ITEMS), [ITEMS_NO_429], 'after Lint Workspace');
    assert.deepStrictEqual(headroomDiagnostics(fileUri(APP_CONFIG)), []);
  });
});
