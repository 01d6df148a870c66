/**
 * An untrusted workspace (VS Code's Restricted Mode): Headroom still lints with its built-in rules
 * and the workspace's ruleset file, but never runs the ruleset's JavaScript.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, finding, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';

suite('Untrusted workspace (Restricted Mode)', () => {
  suiteTeardown(revertAndCloseAll);

  test('the window is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('built-in rules still run, as the workspace ruleset sets them', async () => {
    await openEditor('specs/orders.yaml');
    await waitForDiagnostics(
      fileUri('specs/orders.yaml'),
      [
        finding('ratelimit-429-response', 'warning', '17:6-17:15', 'POST /orders documents no 429 (Too Many Requests) response.'),
        finding('ratelimit-retry-after', 'error', '20:8-20:13', 'The 503 response of POST /orders documents no Retry-After header, so clients cannot tell when to retry.'),
      ],
      'after opening',
    );
  });

  test("a ruleset's JavaScript function is not run: only the built-in finding is published", async () => {
    // One lint publishes all of a file's findings at once, so once the built-in finding is there,
    // the function's finding would be too.
    await openEditor('custom/owned.yaml');
    await waitForDiagnostics(
      fileUri('custom/owned.yaml'),
      [finding('ratelimit-429-response', 'warning', '7:6-7:15', 'GET /reports documents no 429 (Too Many Requests) response.')],
      'after opening in an untrusted window',
    );
  });
});
