/** What happens around the lint: the ruleset file changes on disk, a file is too large, a spec is closed. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, headroomDiagnostics, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';
import { ORDERS, ORDERS_NO_429 as NO_429, ORDERS_NO_RETRY_AFTER as NO_RETRY_AFTER, OWNED, OWNED_NO_429, OWNED_NO_OWNER } from '../expected';


suite('Ruleset changes, size limit, closing', () => {
  suiteTeardown(async () => {
    await revertAndCloseAll();
    await vscode.workspace.getConfiguration('headroom').update('lint.maxFileSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('changing the workspace ruleset on disk re-lints the open spec with it', async () => {
    const ruleset = fileUri('.spectral.yaml');
    const original = await vscode.workspace.fs.readFile(ruleset);
    await openEditor(ORDERS);
    await waitForDiagnostics(fileUri(ORDERS), [NO_429, NO_RETRY_AFTER], 'before the ruleset changes');
    const text = Buffer.from(original).toString('utf8');
    assert.match(text, /ratelimit-retry-after: error/);
    try {
      await vscode.workspace.fs.writeFile(ruleset, Buffer.from(text.replace('ratelimit-retry-after: error', 'ratelimit-retry-after: off')));
      await waitForDiagnostics(fileUri(ORDERS), [NO_429], 'after switching ratelimit-retry-after off in .spectral.yaml');
    } finally {
      await vscode.workspace.fs.writeFile(ruleset, original);
    }
    await waitForDiagnostics(fileUri(ORDERS), [NO_429, NO_RETRY_AFTER], 'after restoring .spectral.yaml');
  });

  test('closing a spec removes its diagnostics', async () => {
    await openEditor(ORDERS);
    await waitForDiagnostics(fileUri(ORDERS), [NO_429, NO_RETRY_AFTER], 'while open');
    await revertAndCloseAll();
    await waitForDiagnostics(fileUri(ORDERS), [], 'after closing it');
  });

  test('a file over headroom.lint.maxFileSizeMB is not linted until "Lint This File Anyway"', async () => {
    // orders.yaml is 430 bytes, custom/owned.yaml 149: a 262-byte limit stops only the first.
    await vscode.workspace.getConfiguration('headroom').update('lint.maxFileSizeMB', 0.00025, vscode.ConfigurationTarget.Workspace);
    assert.equal(vscode.workspace.getConfiguration('headroom').get('lint.maxFileSizeMB'), 0.00025);
    await openEditor(ORDERS);
    // The server handles opens in order: once owned.yaml (opened next) is linted, orders.yaml's
    // open has been handled, and it was not linted.
    await openEditor(OWNED);
    await waitForDiagnostics(fileUri(OWNED), [OWNED_NO_OWNER, OWNED_NO_429], 'the file under the limit');
    assert.deepStrictEqual(headroomDiagnostics(fileUri(ORDERS)), []);
    await openEditor(ORDERS);
    await vscode.commands.executeCommand('headroom.lintAnyway');
    await waitForDiagnostics(fileUri(ORDERS), [NO_429, NO_RETRY_AFTER], 'after Lint This File Anyway');
  });
});
