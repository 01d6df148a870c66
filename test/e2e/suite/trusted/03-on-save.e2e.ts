/** headroom.lint.run: onSave — edits are not linted, saving is. */
import * as assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, insertAfterLine, openEditor, recordDiagnosticChanges, revertAndCloseAll, waitForDiagnostics } from '../helpers';
import { BILLING, BILLING_NO_429 as NO_429 } from '../expected';


suite('headroom.lint.run: onSave', () => {
  suiteSetup(async () => {
    await vscode.workspace.getConfiguration('headroom').update('lint.run', 'onSave', vscode.ConfigurationTarget.Workspace);
    assert.equal(vscode.workspace.getConfiguration('headroom').get('lint.run'), 'onSave');
  });
  suiteTeardown(async () => {
    await revertAndCloseAll();
    await vscode.workspace.getConfiguration('headroom').update('lint.run', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('opening a spec still lints it', async () => {
    await openEditor(BILLING);
    await waitForDiagnostics(fileUri(BILLING), [NO_429], 'after opening');
  });

  test('an edit is not linted until the file is saved', async () => {
    const doc = (await openEditor(BILLING)).document;
    const changes = recordDiagnosticChanges(doc.uri);
    assert.equal(doc.lineAt(9).text, '          description: The invoices.');
    await insertAfterLine(doc, 9, "\n        '429':\n          description: Too many requests.\n          headers:\n            Retry-After:\n              schema:\n                type: integer");
    // Absence can only be shown by waiting: onType would lint 200 ms (the debounce) after the edit;
    // give it five times that.
    const debounceMs = vscode.workspace.getConfiguration('headroom').get<number>('lint.debounceMs', 200);
    await new Promise((r) => setTimeout(r, Math.max(1000, 5 * debounceMs)));
    // (A re-lint of the saved text, e.g. after the settings change, may publish the same list again.)
    assert.deepStrictEqual(
      changes.stop().filter((list) => !isDeepStrictEqual(list, [NO_429])),
      [],
      'the unsaved edit was linted although headroom.lint.run is onSave',
    );
    assert.ok(await doc.save(), 'the document was not saved');
    await waitForDiagnostics(doc.uri, [], 'after saving the fix');
  });
});
