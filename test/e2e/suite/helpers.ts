/**
 * What the in-editor tests share: the fixture workspace, Headroom's diagnostics in a comparable
 * shape, and event-driven waits (onDidChangeDiagnostics with a timeout that fails with what was
 * seen, never a sleep standing in for an assertion).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'headroom.headroom';
/** How long a wait may take before the test fails: the first lint also starts the language server. */
export const WAIT_MS = 30_000;

export function extensionPath(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this window`);
  return ext.extensionPath;
}

/** A file of the workspace the suite runs in (a fresh copy of test/e2e/workspace). */
export function fileUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/**
 * Opens a file in an editor as a user would (the `vscode.open` command). Not through
 * workspace.openTextDocument or showTextDocument(uri): VS Code keeps documents that an extension
 * opened alive for minutes, so closing their editor would not close them.
 */
export async function openEditor(relative: string): Promise<vscode.TextEditor> {
  const uri = fileUri(relative);
  await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
  return until(
    () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === uri.toString() ? active : undefined;
    },
    vscode.window.onDidChangeActiveTextEditor,
    () => new Error(`${relative} did not become the active editor within ${WAIT_MS} ms`),
  );
}

/**
 * Resolves with check()'s first defined value, checking now and after each `event`; rejects with
 * timeoutError() after `timeoutMs`.
 */
export function until<T>(check: () => T | undefined, event: vscode.Event<unknown>, timeoutError: () => Error, timeoutMs = WAIT_MS): Promise<T> {
  const now = check();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(timeoutError());
    }, timeoutMs);
    const sub = event(() => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/** One diagnostic as the tests compare it: every field Headroom sets, ranges as `line:col-line:col` (0-based). */
export interface Seen {
  source: string | undefined;
  code: string | undefined;
  /** The rule doc the code links to, relative to the extension folder ('' when the code has no link). */
  doc: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  range: string;
  message: string;
}

const SEVERITY = ['error', 'warning', 'information', 'hint'] as const;

export function seen(d: vscode.Diagnostic): Seen {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  let doc = '';
  if (typeof d.code === 'object') {
    const base = vscode.Uri.file(extensionPath()).toString() + '/';
    const target = d.code.target.toString();
    doc = target.startsWith(base) ? target.slice(base.length) : target;
  }
  const { start, end } = d.range;
  return {
    source: d.source,
    code: code === undefined ? undefined : String(code),
    doc,
    severity: SEVERITY[d.severity],
    range: `${start.line}:${start.character}-${end.line}:${end.character}`,
    message: d.message,
  };
}

/** Headroom's diagnostics for a file (other extensions' are left out: code-server ships JSON validation). */
export function headroomDiagnostics(uri: vscode.Uri): Seen[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'headroom')
    .map(seen)
    .sort((a, b) => a.range.localeCompare(b.range, 'en', { numeric: true }) || (a.code ?? '').localeCompare(b.code ?? ''));
}

/** The diagnostic a Headroom rule with a bundled doc produces. */
export function finding(rule: string, severity: Seen['severity'], range: string, message: string): Seen {
  return { source: 'headroom', code: rule, doc: `rules/docs/${rule}.md`, severity, range, message };
}

/**
 * Waits until Headroom's diagnostics for `uri` are exactly `expected`, woken by
 * onDidChangeDiagnostics. Fails after `timeoutMs` with the expected and the last seen lists.
 */
export function waitForDiagnostics(uri: vscode.Uri, expected: Seen[], what: string, timeoutMs = WAIT_MS): Promise<Seen[]> {
  return until(
    () => (isDeepStrictEqual(headroomDiagnostics(uri), expected) ? expected : undefined),
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const message = `after ${timeoutMs} ms, ${what}: ${vscode.workspace.asRelativePath(uri)} does not have the expected Headroom diagnostics`;
      try {
        assert.deepStrictEqual(headroomDiagnostics(uri), expected, message); // an AssertionError with the diff
      } catch (e) {
        return e as Error;
      }
      return new Error(message);
    },
    timeoutMs,
  );
}

/**
 * Collects the changes of Headroom's diagnostics for `uri` until stop() is called: for checking
 * that something did NOT happen during a step.
 */
export function recordDiagnosticChanges(uri: vscode.Uri): { stop(): Seen[][] } {
  const changes: Seen[][] = [];
  const sub = vscode.languages.onDidChangeDiagnostics((e) => {
    if (e.uris.some((u) => u.toString() === uri.toString())) changes.push(headroomDiagnostics(uri));
  });
  return {
    stop() {
      sub.dispose();
      return changes;
    },
  };
}

/** Inserts `text` at the end of 0-based line `line`, through a WorkspaceEdit (the document stays unsaved). */
export async function insertAfterLine(doc: vscode.TextDocument, line: number, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, doc.lineAt(line).range.end, text);
  assert.ok(await vscode.workspace.applyEdit(edit), `the edit of ${vscode.workspace.asRelativePath(doc.uri)} was not applied`);
}

/** The markdown of a rule's doc as it ships in the extension. */
export function shippedRuleDoc(rule: string): string {
  return readFileSync(join(extensionPath(), 'rules', 'docs', `${rule}.md`), 'utf8');
}

/** Reverts unsaved edits and closes every editor (a dirty editor would ask to save and block). */
export async function revertAndCloseAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
