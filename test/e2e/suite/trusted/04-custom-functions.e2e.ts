/** A trusted workspace runs its ruleset's own JavaScript functions (the untrusted suite checks the opposite). */
import { suite, suiteTeardown, test } from 'mocha';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, finding, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';

suite('Trusted workspace: ruleset JavaScript', () => {
  suiteTeardown(revertAndCloseAll);

  test('the window is trusted', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  test("a ruleset's own function runs beside the built-in rules", async () => {
    await openEditor('custom/owned.yaml');
    await waitForDiagnostics(
      fileUri('custom/owned.yaml'),
      [
        // A rule of the user's: no bundled doc, so the code has no link.
        { source: 'headroom', code: 'operation-owner', doc: '', severity: 'warning', range: '6:4-6:7', message: 'The operation names no owner (x-owner).' },
        finding('ratelimit-429-response', 'warning', '7:6-7:15', 'GET /reports documents no 429 (Too Many Requests) response.'),
      ],
      'after opening',
    );
  });
});
