/**
 * An untrusted workspace (VS Code's Restricted Mode): Headroom still lints with its built-in rules
 * and the workspace's ruleset file, but never runs the ruleset's JavaScript.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';
import { ORDERS, ORDERS_NO_429, ORDERS_NO_RETRY_AFTER, OWNED, OWNED_NO_429 } from '../expected';

suite('Untrusted workspace (Restricted Mode)', () => {
  suiteTeardown(revertAndCloseAll);

  test('the window is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('built-in rules still run, as the workspace ruleset sets them', async () => {
    await openEditor(ORDERS);
    await waitForDiagnostics(fileUri(ORDERS), [ORDERS_NO_429, ORDERS_NO_RETRY_AFTER], 'after opening');
  });

  test("a ruleset's JavaScript function is not run: only the built-in finding is published", async () => {
    // One lint publishes all of a file's findings at once, so once the built-in finding is there,
    // the function's finding would be too.
    await openEditor(OWNED);
    await waitForDiagnostics(fileUri(OWNED), [OWNED_NO_429], 'after opening in an untrusted window');
  });
});
