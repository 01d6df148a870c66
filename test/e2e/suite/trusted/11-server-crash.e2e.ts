/**
 * The language server dies (SIGKILL, as the OOM killer would do it): the client notices, drops the
 * dead server's diagnostics, starts a new server, and the open specs get exactly their diagnostics
 * again, linted with the settings of now. Twice (the client allows 4 restarts in 3 minutes). That
 * nothing surfaces as a notification, and the status bar, are checked in scripts/e2e/ui.mjs.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { HeadroomApi } from '../../../../src/client/extension';
import { EXTENSION_ID, type Seen, fileUri, finding, insertAfterLine, openEditor, revertAndCloseAll, waitForDiagnostics } from '../helpers';
import { ORDERS, ORDERS_NO_429, ORDERS_NO_RETRY_AFTER } from '../expected';

/** A spec `$ref`ing a path item outside the workspace folder: read only with headroom.allowRefsOutsideWorkspace. */
const REFS = 'specs/outside-refs.yaml';
const REFS_TEXT = "openapi: 3.0.3\ninfo: {title: Outside, version: '1'}\npaths:\n  /shared:\n    $ref: '../../outside/shared.yaml'\n";
const REFS_NOT_READ: Seen = {
  source: 'headroom',
  code: 'ref',
  doc: '',
  severity: 'error',
  range: '4:10-4:37',
  message: '$ref "../../outside/shared.yaml" points outside the workspace folder and was not read (allow it with the headroom.allowRefsOutsideWorkspace setting).',
};
const SHARED_TEXT = "get:\n  responses:\n    '200':\n      description: Shared.\n";
const SHARED_NO_429 = finding('ratelimit-429-response', 'warning', '1:2-1:11', 'GET /shared documents no 429 (Too Many Requests) response.');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

suite('Language server crash', () => {
  let api: HeadroomApi;
  const outside = () => vscode.Uri.joinPath(fileUri('.'), '..', 'outside');
  const shared = () => vscode.Uri.joinPath(outside(), 'shared.yaml');

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<HeadroomApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    api = await ext.activate();
    assert.equal(typeof api?.serverPid, 'function', "the extension's API has no serverPid()");
  });

  suiteTeardown(async () => {
    await revertAndCloseAll();
    await vscode.workspace.getConfiguration('headroom').update('allowRefsOutsideWorkspace', undefined, vscode.ConfigurationTarget.Workspace);
    for (const uri of [fileUri(REFS), outside()]) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
  });

  /**
   * SIGKILLs the running server, waits for the client to drop `watched`'s diagnostics (it saw the
   * server go) and for them to come back as `expected`; returns the new server's process id.
   */
  async function killServer(watched: vscode.Uri, expected: Seen[], others: [vscode.Uri, Seen[]][] = []): Promise<number> {
    const pid = await api.serverPid();
    assert.ok(Number.isInteger(pid) && pid > 0 && pid !== process.pid, `serverPid() gave ${pid}`);
    assert.ok(isRunning(pid), `the server process ${pid} is not running`);
    const cleared = waitForDiagnostics(watched, [], `after SIGKILL to the server (${pid}): the client drops the dead server's diagnostics`);
    process.kill(pid, 'SIGKILL');
    await cleared;
    await waitForDiagnostics(watched, expected, 'after the client restarted the server');
    for (const [uri, list] of others) await waitForDiagnostics(uri, list, 'after the client restarted the server');
    const next = await api.serverPid();
    assert.notEqual(next, pid, 'the server answering is the one that was killed');
    assert.ok(isRunning(next), `the new server process ${next} is not running`);
    assert.ok(!isRunning(pid), `the killed server ${pid} still runs`);
    return next;
  }

  test('killed, the server is restarted: the open spec gets exactly its diagnostics again, and edits are linted', async () => {
    const doc = (await openEditor(ORDERS)).document;
    await waitForDiagnostics(doc.uri, [ORDERS_NO_429, ORDERS_NO_RETRY_AFTER], 'before the kill');
    await killServer(doc.uri, [ORDERS_NO_429, ORDERS_NO_RETRY_AFTER]);
    // The new server has the buffer and follows its edits.
    assert.equal(doc.lineAt(21).text, '          description: Try again later.');
    await insertAfterLine(doc, 21, '\n          headers:\n            Retry-After:\n              schema:\n                type: integer');
    await waitForDiagnostics(doc.uri, [ORDERS_NO_429], 'after documenting Retry-After, with the restarted server');
    await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
    await waitForDiagnostics(doc.uri, [ORDERS_NO_429, ORDERS_NO_RETRY_AFTER], 'after the revert, with the restarted server');
  });

  test('killed again, it recovers again, and the new server lints with the settings of now, not those of the first start', async () => {
    await vscode.workspace.fs.createDirectory(outside());
    await vscode.workspace.fs.writeFile(shared(), Buffer.from(SHARED_TEXT));
    await vscode.workspace.fs.writeFile(fileUri(REFS), Buffer.from(REFS_TEXT));
    const doc = (await openEditor(REFS)).document;
    await waitForDiagnostics(doc.uri, [REFS_NOT_READ], 'headroom.allowRefsOutsideWorkspace off (as when the server started)');
    await vscode.workspace.getConfiguration('headroom').update('allowRefsOutsideWorkspace', true, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(doc.uri, [], 'headroom.allowRefsOutsideWorkspace turned on');
    await waitForDiagnostics(shared(), [SHARED_NO_429], 'headroom.allowRefsOutsideWorkspace turned on');
    await killServer(shared(), [SHARED_NO_429], [[doc.uri, []]]);
    // And the first spec, still open, is back too.
    await waitForDiagnostics(fileUri(ORDERS), [ORDERS_NO_429, ORDERS_NO_RETRY_AFTER], 'after the second restart');
  });
});
