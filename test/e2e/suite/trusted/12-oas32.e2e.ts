/** An OpenAPI 3.2 spec in the editor: QUERY and additionalOperations get their findings, the RateLimit value rule and its quick fix. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';
import { STORE32, STORE32_NO_429, STORE32_NO_RETRY_AFTER, STORE32_OLD_RATELIMIT } from '../expected';

/** Where STORE32_OLD_RATELIMIT lies: the RateLimit example's value. */
const AT_EXAMPLE = new vscode.Position(20, 23);

suite('OpenAPI 3.2', () => {
  suiteTeardown(revertAndCloseAll);

  test('a 3.2 spec publishes exactly its diagnostics: the QUERY and PURGE operations, an older RateLimit value, no validate finding', async () => {
    await openEditor(STORE32);
    await waitForDiagnostics(fileUri(STORE32), [STORE32_NO_429, STORE32_OLD_RATELIMIT, STORE32_NO_RETRY_AFTER], 'after opening');
  });

  test('Auto Fix on the older RateLimit value rewrites it in the current syntax, and its diagnostic disappears', async () => {
    const uri = fileUri(STORE32);
    const editor = await openEditor(STORE32);
    await waitForDiagnostics(uri, [STORE32_NO_429, STORE32_OLD_RATELIMIT, STORE32_NO_RETRY_AFTER], 'before the quick fix');
    editor.selection = new vscode.Selection(AT_EXAMPLE, AT_EXAMPLE);
    await vscode.commands.executeCommand('editor.action.autoFix');
    await waitForDiagnostics(uri, [STORE32_NO_429, STORE32_NO_RETRY_AFTER], 'after the quick fix');
    assert.equal(editor.document.lineAt(20).text, `              example: '"default";r=50;t=5'`);
    assert.ok(editor.document.isDirty, 'the fix is an edit of the buffer');
  });
});
