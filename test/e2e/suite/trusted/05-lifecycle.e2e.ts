/** What happens around the lint: the ruleset file changes on disk, a file is too large, a spec is closed. */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, finding, headroomDiagnostics, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';

const ORDERS = 'specs/orders.yaml';
const NO_429 = finding('ratelimit-429-response', 'warning', '17:6-17:15', 'POST /orders documents no 429 (Too Many Requests) response.');
const NO_RETRY_AFTER = finding(
  'ratelimit-retry-after',
  'error',
  '20:8-20:13',
  'The 503 response of POST /orders documents no Retry-After header, so clients cannot tell when to retry.',
);
const OWNED = [
  { source: 'headroom', code: 'operation-owner', doc: '', severity: 'warning' as const, range: '6:4-6:7', message: 'The operation names no owner (x-owner).' },
  finding('ratelimit-429-response', 'warning', '7:6-7:15', 'GET /reports documents no 429 (Too Many Requests) response.'),
];

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
    await openEditor('custom/owned.yaml');
    await waitForDiagnostics(fileUri('custom/owned.yaml'), OWNED, 'the file under the limit');
    assert.deepStrictEqual(headroomDiagnostics(fileUri(ORDERS)), []);
    await openEditor(ORDERS);
    await vscode.commands.executeCommand('headroom.lintAnyway');
    await waitForDiagnostics(fileUri(ORDERS), [NO_429, NO_RETRY_AFTER], 'after Lint This File Anyway');
  });
});
