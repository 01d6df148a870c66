/** Quick fixes through the editor's code action UI: the preferred fix for ratelimit-retry-after clears its diagnostic. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, finding, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';

const ORDERS = 'specs/orders.yaml';
const NO_429 = finding('ratelimit-429-response', 'warning', '17:6-17:15', 'POST /orders documents no 429 (Too Many Requests) response.');
const NO_RETRY_AFTER = finding(
  'ratelimit-retry-after',
  'error',
  '20:8-20:13',
  'The 503 response of POST /orders documents no Retry-After header, so clients cannot tell when to retry.',
);
/** Where NO_RETRY_AFTER lies: the 503's key. */
const AT_503 = new vscode.Range(20, 8, 20, 13);

suite('Quick fixes', () => {
  suiteTeardown(revertAndCloseAll);

  test("the light bulb's quick fixes for a diagnostic: Headroom's fix (preferred) and both suppressions", async () => {
    const uri = fileUri(ORDERS);
    await openEditor(ORDERS);
    await waitForDiagnostics(uri, [NO_429, NO_RETRY_AFTER], 'after opening');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, AT_503, vscode.CodeActionKind.QuickFix.value)) ?? [];
    // (The command does not carry an action's diagnostics over: pick Headroom's by title.)
    const headroom = actions.filter((a) => /Retry-After|ratelimit-retry-after/.test(a.title));
    assert.ok(headroom.every((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value));
    assert.deepStrictEqual(
      headroom.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['Add a Retry-After header', true],
        ['Ignore ratelimit-retry-after for this operation', false],
        ['Ignore ratelimit-retry-after in this file', false],
      ],
    );
  });

  test('Auto Fix at the diagnostic applies the preferred quick fix, and the diagnostic disappears', async () => {
    const uri = fileUri(ORDERS);
    const editor = await openEditor(ORDERS);
    await waitForDiagnostics(uri, [NO_429, NO_RETRY_AFTER], 'before the quick fix');
    editor.selection = new vscode.Selection(AT_503.start, AT_503.start);
    // What Shift+Alt+. (Auto Fix) does: the code action UI applies the one preferred quick fix here.
    await vscode.commands.executeCommand('editor.action.autoFix');
    await waitForDiagnostics(uri, [NO_429], 'after the quick fix');
    const text = editor.document.getText();
    assert.match(text, /'503':\n {10}description: Try again later\.\n {10}headers:\n {12}Retry-After:\n {14}\$ref: '#\/components\/headers\/Retry-After'\n/);
    assert.match(text, /\ncomponents:\n {2}headers:\n {4}Retry-After:\n/);
    assert.ok(editor.document.isDirty, 'the fix is an edit of the buffer, not a write to disk');
  });
});
