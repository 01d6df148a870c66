/** Headroom: Lint Workspace fills Problems for specs that are not open. Runs last: it lints everything. */
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, finding, headroomDiagnostics, waitForDiagnostics } from '../helpers';

const INVENTORY = 'closed/inventory.json';

suite('Headroom: Lint Workspace', () => {
  test('fills diagnostics for files that are not open', async () => {
    const uri = fileUri(INVENTORY);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), `${INVENTORY} must not be open`);
    assert.deepStrictEqual(headroomDiagnostics(uri), []);
    await vscode.commands.executeCommand('headroom.lintWorkspace');
    await waitForDiagnostics(uri, [finding('ratelimit-429-response', 'warning', '6:8-6:19', 'GET /stock documents no 429 (Too Many Requests) response.')], 'after Lint Workspace');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'Lint Workspace opened the file');
    // Every other spec of the workspace is in Problems too, and the plain YAML file still is not.
    await waitForDiagnostics(fileUri('specs/split/paths/items.yaml'), [finding('ratelimit-429-response', 'warning', '2:2-2:11', 'GET /items documents no 429 (Too Many Requests) response.')], 'after Lint Workspace');
    assert.deepStrictEqual(headroomDiagnostics(fileUri('config/app.yaml')), []);
  });
});
