/** An OpenAPI file with problems: the exact diagnostics, fixed by editing, back after a revert, hover. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, insertAfterLine, openEditor, revertAndCloseAll, shippedRuleDoc, waitForDiagnostics } from '../helpers';
import { ORDERS, ORDERS_NO_429 as NO_429, ORDERS_NO_RETRY_AFTER as NO_RETRY_AFTER } from '../expected';


suite('Diagnostics of an open OpenAPI file', () => {
  suiteTeardown(revertAndCloseAll);

  test('opening a spec with problems publishes exactly its Headroom diagnostics', async () => {
    await openEditor(ORDERS);
    await waitForDiagnostics(fileUri(ORDERS), [NO_429, NO_RETRY_AFTER], 'after opening');
  });

  test('editing the document (unsaved) to fix the problems clears them one by one', async () => {
    const doc = (await openEditor(ORDERS)).document;
    // Line 21 is the 503's `description:`: give that response a Retry-After header.
    assert.equal(doc.lineAt(21).text, '          description: Try again later.');
    await insertAfterLine(doc, 21, '\n          headers:\n            Retry-After:\n              schema:\n                type: integer');
    await waitForDiagnostics(fileUri(ORDERS), [NO_429], 'after adding Retry-After to the 503');
    // Line 19 is the 201's `description:`: add a documented 429 after it.
    assert.equal(doc.lineAt(19).text, '          description: Created.');
    await insertAfterLine(
      doc,
      19,
      "\n        '429':\n          description: Too many requests.\n          headers:\n            Retry-After:\n              schema:\n                type: integer",
    );
    await waitForDiagnostics(fileUri(ORDERS), [], 'after adding a 429 response');
    assert.ok(doc.isDirty, 'the fixes were linted from the unsaved buffer');
  });

  test('reverting to the file on disk brings the diagnostics back', async () => {
    await openEditor(ORDERS);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(fileUri(ORDERS), [NO_429, NO_RETRY_AFTER], 'after reverting');
  });

  test('hovering a finding shows its rule doc; hovering elsewhere shows none of Headroom', async () => {
    const uri = fileUri(ORDERS);
    await openEditor(ORDERS);
    await waitForDiagnostics(uri, [NO_429, NO_RETRY_AFTER], 'before hovering');
    const headroomHovers = async (position: vscode.Position) => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
      return hovers
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
        .filter((text) => text.includes('**Headroom: `'));
    };
    const expected = shippedRuleDoc('ratelimit-429-response').replace(/^# (.*)$/m, '**Headroom: `$1`**');
    assert.deepStrictEqual(await headroomHovers(new vscode.Position(17, 10)), [expected]);
    assert.deepStrictEqual(await headroomHovers(new vscode.Position(0, 3)), []);
  });
});
