/**
 * Headroom: Show Governance Coverage and the baseline, in the real editor: the coverage webview
 * opens beside the spec with the server's report, follows unsaved edits, and reveals an operation
 * (also in a `$ref`ed file); `headroom.baseline` turns recorded findings into hints, or hides them
 * with `headroom.knownFindings: hide`.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { fileUri, finding, headroomDiagnostics, openEditor, revertAndCloseAll, until, WAIT_MS, waitForDiagnostics } from '../helpers';

const SPEC = 'coverage/shop.yaml';

interface State {
  uri: string;
  report?: {
    score: number | null;
    operations: { method: string; path: string; file: string; failing: string[]; range: { start: { line: number; character: number } } }[];
  };
}

const state = () => vscode.commands.executeCommand<State | undefined>('headroom.coverageState');

/** Polls the view's state until `check` holds (the view has no event of its own); fails after WAIT_MS with the last state. */
async function waitForState(check: (s: State) => boolean, what: string): Promise<State> {
  const until = Date.now() + WAIT_MS;
  let last: State | undefined;
  while (Date.now() < until) {
    last = await state();
    if (last && check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`after ${WAIT_MS} ms, ${what}; last state: ${JSON.stringify(last?.report?.operations.map((o) => [o.method, o.path, o.failing]))}`);
}

const coverageTab = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Coverage: shop.yaml');

suite('Headroom: Show Governance Coverage', () => {
  suiteTeardown(async () => {
    const config = vscode.workspace.getConfiguration('headroom');
    await config.update('baseline', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('knownFindings', undefined, vscode.ConfigurationTarget.Workspace);
    await revertAndCloseAll();
  });

  test('opens a webview beside the spec with its coverage report', async () => {
    const editor = await openEditor(SPEC);
    const shown = await vscode.commands.executeCommand<State>('headroom.showCoverage');
    assert.equal(shown.uri, editor.document.uri.toString());
    assert.equal(shown.report?.score, 33);
    assert.deepEqual(
      shown.report!.operations.map((o) => `${o.method} ${o.path}`),
      ['get /items', 'post /items', 'options /items', 'head /items/{id}', 'get /health', 'get /orders', 'delete /orders'],
    );
    // The workbench adds the tab after the panel is created.
    const tab = await until(coverageTab, vscode.window.tabGroups.onDidChangeTabs, () => new Error(`no "Coverage: shop.yaml" webview tab; tabs: ${JSON.stringify(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)))}`));
    assert.notEqual(tab.group.viewColumn, vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === shown.uri))!.viewColumn, 'not beside the spec');
  });

  test('follows unsaved edits: the report is recomputed after each lint', async () => {
    const editor = await openEditor(SPEC);
    const line = editor.document.getText().split('\n').findIndex((l) => l === '    options:');
    assert.ok(line > 0);
    // OPTIONS /items gets the shared 429 (its own 429 finding goes away).
    await editor.edit((e) => e.insert(new vscode.Position(line + 4, 0), "        '429':\n          $ref: '#/components/responses/TooManyRequests'\n"));
    const after = await waitForState((s) => s.report?.operations[2].failing.includes('ratelimit-429-response') === false, 'OPTIONS /items still fails ratelimit-429-response');
    assert.deepEqual(after.report!.operations[2].failing, ['ratelimit-headers', 'ratelimit-retry-after']);
    await vscode.commands.executeCommand('workbench.action.files.revert', editor.document.uri);
    await waitForState((s) => s.report?.operations[2].failing.includes('ratelimit-429-response') === true, 'the revert is not reflected');
  });

  test('revealing an operation puts the cursor on it, in the file it is written in', async () => {
    const shown = (await state())!;
    const index = shown.report!.operations.findIndex((o) => o.method === 'delete' && o.path === '/orders');
    const op = shown.report!.operations[index];
    assert.equal(op.file, 'coverage/paths/orders.yaml');
    await vscode.commands.executeCommand('headroom.coverageReveal', index);
    const editor = await until(
      () => (vscode.window.activeTextEditor?.document.uri.toString() === fileUri('coverage/paths/orders.yaml').toString() ? vscode.window.activeTextEditor : undefined),
      vscode.window.onDidChangeActiveTextEditor,
      () => new Error('coverage/paths/orders.yaml did not become the active editor'),
    );
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [op.range.start.line, op.range.start.character]);
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, 'delete:');
  });
});

suite('Headroom: baseline in the editor', () => {
  const NO_429 = 'OPTIONS /items documents no 429 (Too Many Requests) response.';

  test('a recorded finding is a hint, then hidden; the others keep their severity', async () => {
    const editor = await openEditor(SPEC);
    const uri = editor.document.uri;
    const original = await until(
      () => {
        const d = headroomDiagnostics(uri);
        return d.some((x) => x.message === NO_429) ? d : undefined;
      },
      vscode.languages.onDidChangeDiagnostics,
      () => new Error('shop.yaml has no OPTIONS 429 finding'),
    );
    const recorded = original.find((d) => d.message === NO_429)!;
    await vscode.workspace.fs.writeFile(
      fileUri('coverage/baseline.json'),
      Buffer.from(JSON.stringify({ format: 'headroom-baseline', version: 1, findings: [{ file: 'shop.yaml', rule: 'ratelimit-429-response', path: '/paths/~1items/options/responses', message: NO_429, severity: 'warn' }] })),
    );
    const config = vscode.workspace.getConfiguration('headroom');
    await config.update('baseline', 'coverage/baseline.json', vscode.ConfigurationTarget.Workspace);
    const hinted = original.map((d) => (d === recorded ? finding(d.code!, 'hint', d.range, `${NO_429} (known: in the baseline)`) : d));
    await waitForDiagnostics(uri, hinted, 'with the baseline set');
    await config.update('knownFindings', 'hide', vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, original.filter((d) => d !== recorded), 'with known findings hidden');
    await config.update('baseline', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, original, 'without a baseline');
  });
});
