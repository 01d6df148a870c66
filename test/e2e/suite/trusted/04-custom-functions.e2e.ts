/** A trusted workspace runs its ruleset's own JavaScript functions (the untrusted suite checks the opposite). */
import { suite, suiteTeardown, test } from 'mocha';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';
import { OWNED, OWNED_NO_429, OWNED_NO_OWNER } from '../expected';

suite('Trusted workspace: ruleset JavaScript', () => {
  suiteTeardown(revertAndCloseAll);

  test('the window is trusted', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  test("a ruleset's own function runs beside the built-in rules", async () => {
    await openEditor(OWNED);
    await waitForDiagnostics(fileUri(OWNED), [OWNED_NO_OWNER, OWNED_NO_429], 'after opening');
  });
});
