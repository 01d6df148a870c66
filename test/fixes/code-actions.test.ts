/**
 * The language server's code actions, driven as an editor drives them (a stand-in connection that
 * records the handlers): quick fixes with their kinds and preferred flags, edits computed on resolve,
 * the x-gateway-rate-limit snippet, suppressions, source.fixAll.headroom and "Fix All in File".
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeAction, CodeActionParams, Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { LineIndex } from '../../src/core/fixes';
import type { Finding } from '../../src/shared/types';
import { CodeActions, FIX_ALL_KIND } from '../../src/server/codeActions';
import { toDiagnostic } from '../../src/server/diagnostics';
import { Linter } from '../../src/server/linter';
import { Requests, type FixAllSummary } from '../../src/shared/settings';

interface Harness {
  file: string;
  uri: string;
  linter: Linter;
  findings: Finding[];
  codeAction(params: Partial<CodeActionParams['context']>, diagnostics?: Diagnostic[]): CodeAction[];
  resolve(action: CodeAction): CodeAction;
  request(method: string, params: unknown): Promise<unknown>;
  applied: WorkspaceEdit[];
  relint(): Promise<Finding[]>;
}

async function harness(options: { resolveSupport?: boolean; snippets?: boolean; documentChanges?: boolean } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-actions-'));
  cpSync(join(__dirname, 'fixtures-lsp'), dir, { recursive: true });
  const file = join(dir, 'orders.yaml');
  const uri = URI.file(file).toString();
  const handlers: Record<string, (...args: any[]) => any> = {};
  const applied: WorkspaceEdit[] = [];
  const connection = {
    onCodeAction: (h: any) => (handlers.codeAction = h),
    onCodeActionResolve: (h: any) => (handlers.resolve = h),
    onRequest: (method: string, h: any) => (handlers[method] = h),
    workspace: {
      applyEdit: async (p: { edit: WorkspaceEdit }) => {
        applied.push(p.edit);
        return { applied: true };
      },
    },
    console: { error: (m: string) => assert.fail(m) },
  };
  const linter = new Linter(() => [dir]);
  linter.setTrusted(true);
  let findings = (await linter.lint(file)).findings;
  const actions = new CodeActions(connection as any, { get: () => undefined } as any, linter, (f) =>
    findings.filter((x) => x.file === f).map((finding) => ({ root: file, finding })),
  );
  actions.capability({
    textDocument: { codeAction: { resolveSupport: { properties: options.resolveSupport === false ? [] : ['edit'] } } },
    workspace: { workspaceEdit: { documentChanges: options.documentChanges ?? true, snippetEditSupport: options.snippets ?? false } as any },
  });
  return {
    file,
    uri,
    linter,
    get findings() {
      return findings;
    },
    codeAction: (context, diagnostics) =>
      handlers.codeAction({ textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: diagnostics ?? [], ...context } }),
    resolve: (action) => handlers.resolve(action),
    request: (method, params) => handlers[method](params),
    applied,
    relint: async () => (findings = (await linter.lint(file)).findings),
  };
}

/** Apply a workspace edit to the linter's view of the files (overlays, like open buffers). */
function apply(h: Harness, edit: WorkspaceEdit): Map<string, string> {
  const out = new Map<string, string>();
  for (const change of edit.documentChanges as TextDocumentEdit[]) {
    const file = URI.parse(change.textDocument.uri).fsPath;
    const text = h.linter.files.read(file) as string;
    const lines = new LineIndex(text);
    const edits = change.edits
      .map((e: any) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText ?? e.snippet.value }))
      .sort((a, b) => b.start - a.start);
    let result = text;
    for (const e of edits) result = result.slice(0, e.start) + e.text + result.slice(e.end);
    out.set(file, result);
    h.linter.files.setOverlay(file, result);
  }
  return out;
}

const diagnosticsOf = (h: Harness, rule: string) => h.findings.filter((f) => f.rule === rule).map((f) => toDiagnostic(f));

test('a quick fix is listed without edits, marked preferred, and gets its edit on resolve', async () => {
  const h = await harness();
  const [d] = diagnosticsOf(h, 'ratelimit-429-response');
  const actions = h.codeAction({}, [d]);
  assert.deepEqual(
    actions.map((a) => [a.title, a.kind, a.isPreferred ?? false, a.edit === undefined]),
    [
      ['Add a 429 (Too Many Requests) response', 'quickfix', true, true],
      ['Ignore ratelimit-429-response for this operation', 'quickfix', false, true],
      ['Ignore ratelimit-429-response in this file', 'quickfix', false, true],
    ],
  );
  assert.deepEqual(actions[0].diagnostics, [d]);
  const resolved = h.resolve(actions[0]);
  const texts = apply(h, resolved.edit!);
  assert.match(texts.get(h.file)!, /'200':\n {10}description: The orders\n(.*\n){3} {8}'429': \{\$ref: '#\/components\/responses\/TooManyRequests'\}\n/);
  const after = await h.relint();
  assert.equal(after.filter((f) => f.rule === 'ratelimit-429-response' && f.message.startsWith('GET /orders')).length, 0);
});

test('without resolve support the edits come with the list', async () => {
  const h = await harness({ resolveSupport: false });
  const actions = h.codeAction({}, diagnosticsOf(h, 'ratelimit-retry-after').concat(diagnosticsOf(h, 'ratelimit-429-response').slice(0, 1)));
  assert.ok(actions.length > 0);
  assert.ok(actions.every((a) => a.edit !== undefined));
});

test('the x-gateway-rate-limit fix is a snippet with the numbers as tab stops when the client takes snippet edits', async () => {
  const h = await harness({ snippets: true });
  const [d] = diagnosticsOf(h, 'ratelimit-policy-declared');
  // No operation declares a policy: one finding at the document, whose only fix is the root one; its title states the values it writes.
  assert.equal(diagnosticsOf(h, 'ratelimit-policy-declared').length, 1);
  assert.deepEqual(h.codeAction({}, [d]).map((a) => a.title), [
    'Declare x-gateway-rate-limit (requests: 100, window: 1m) for the whole API (document root)',
    'Ignore ratelimit-policy-declared in this file',
  ]);
  const [root] = h.codeAction({}, [d]);
  assert.equal(root.isPreferred, true);
  const edit = (h.resolve(root).edit!.documentChanges![0] as TextDocumentEdit).edits[0] as any;
  assert.deepEqual(edit.snippet, { kind: 'snippet', value: 'x-gateway-rate-limit:\n  requests: ${1:100}\n  window: ${2:1m}\n' });
  assert.deepEqual(edit.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } });
  // Editors without snippet edits get the plain text.
  const plain = await harness({ snippets: false });
  const plainEdit = (plain.resolve(plain.codeAction({}, diagnosticsOf(plain, 'ratelimit-policy-declared').slice(0, 1))[0]).edit!.documentChanges![0] as TextDocumentEdit).edits[0] as any;
  assert.equal(plainEdit.newText, 'x-gateway-rate-limit:\n  requests: 100\n  window: 1m\n');
});

test('"Ignore <rule> for this operation" turns a single id into a list, or appends to a list; the finding disappears', async () => {
  const h = await harness();
  const get = diagnosticsOf(h, 'ratelimit-429-response').find((d) => String(d.message).startsWith('GET'))!;
  const post = diagnosticsOf(h, 'ratelimit-429-response').find((d) => String(d.message).startsWith('POST'))!;
  const ignoreGet = h.codeAction({}, [get]).find((a) => a.title === 'Ignore ratelimit-429-response for this operation')!;
  let text = apply(h, h.resolve(ignoreGet).edit!).get(h.file)!;
  assert.match(text, /x-lint-ignore: \[auth-401-response, ratelimit-429-response\]\n/);
  await h.relint();
  const ignorePost = h.codeAction({}, [post]).find((a) => a.title === 'Ignore ratelimit-429-response for this operation')!;
  text = apply(h, h.resolve(ignorePost).edit!).get(h.file)!;
  assert.match(text, /x-lint-ignore: \[cache-control-header, ratelimit-429-response\]\n/);
  assert.deepEqual((await h.relint()).filter((f) => f.rule === 'ratelimit-429-response'), []);
});

test('"Ignore <rule> in this file" writes a root x-lint-ignore after info', async () => {
  const h = await harness();
  const [d] = diagnosticsOf(h, 'ratelimit-headers');
  const action = h.codeAction({}, [d]).find((a) => a.title === 'Ignore ratelimit-headers in this file')!;
  const text = apply(h, h.resolve(action).edit!).get(h.file)!;
  assert.match(text, /^openapi: 3\.0\.3\ninfo:\n {2}title: Orders\n {2}version: '1'\nx-lint-ignore: \[ratelimit-headers\]\nsecurity:/);
  assert.deepEqual((await h.relint()).filter((f) => f.rule === 'ratelimit-headers'), []);
});

/** What Fix All leaves in orders.yaml: the fixes that would invent a value (the spec declares no rate limit). */
const SUGGESTIONS = ['ratelimit-429-response', 'ratelimit-headers', 'ratelimit-policy-declared'];

test('source.fixAll.headroom: one action, only when asked for, with every preferred fix that invents nothing in one edit', async () => {
  const h = await harness();
  assert.deepEqual(h.codeAction({}).filter((a) => a.kind === FIX_ALL_KIND), [], 'not offered as a quick fix');
  const [fixAll] = h.codeAction({ only: ['source.fixAll'] });
  assert.equal(fixAll.kind, FIX_ALL_KIND);
  assert.equal(fixAll.title, 'Fix all Headroom findings (1; 4 suggestions left for the light bulb)');
  const text = apply(h, fixAll.edit!).get(h.file)!;
  // The 401 of the secured POST (the API checks the key) is written; no rate limit, no 429, no header is invented.
  assert.match(text, /'201':\n {10}description: Created\n {8}'401': \{\$ref: '#\/components\/responses\/Unauthorized'\}\n/);
  assert.doesNotMatch(text, /x-gateway-rate-limit|'429'|TooManyRequests/);
  const left = await h.relint();
  assert.deepEqual([...new Set(left.map((f) => f.rule))].sort(), SUGGESTIONS);
  // The light bulb still offers each suggestion.
  for (const d of left.map((f) => toDiagnostic(f))) assert.ok(h.codeAction({}, [d]).some((a) => a.isPreferred), `${d.code} has a preferred quick fix`);
});

test('"Fix All in File" fixes to a fixpoint, applies one edit through the editor and says what it left and why', async () => {
  const h = await harness();
  const summary = (await h.request(Requests.fixAll, { uri: h.uri })) as FixAllSummary;
  assert.equal(h.applied.length, 1);
  assert.deepEqual(summary, {
    fixed: 1,
    files: 1,
    remaining: 4,
    left: [
      { rule: 'ratelimit-429-response', reason: 'no x-gateway-rate-limit applies to the operation, so the spec does not say it answers 429', count: 2, suggestion: true },
      { rule: 'ratelimit-headers', reason: 'the spec does not say which rate-limit headers the API sends', count: 1, suggestion: true },
      { rule: 'ratelimit-policy-declared', reason: 'its numbers (100 requests per 1m) would be a default, not stated in the spec; the export would enforce them', count: 1, suggestion: true },
    ],
  });
  apply(h, h.applied[0]);
  assert.deepEqual([...new Set((await h.relint()).map((f) => f.rule))].sort(), SUGGESTIONS);
});

test('a client without documentChanges support gets plain `changes` by URI (no versions, no snippets), and they fix the finding', async () => {
  const h = await harness({ documentChanges: false, snippets: true });
  const [d] = diagnosticsOf(h, 'ratelimit-429-response');
  const edit = h.resolve(h.codeAction({}, [d])[0]).edit!;
  assert.equal(edit.documentChanges, undefined);
  assert.deepEqual(Object.keys(edit.changes!), [h.uri]);
  for (const e of edit.changes![h.uri]) assert.equal(typeof e.newText, 'string');
  const documentChanges = Object.entries(edit.changes!).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits }));
  apply(h, { documentChanges });
  const after = await h.relint();
  assert.equal(after.filter((f) => f.rule === 'ratelimit-429-response' && f.message === d.message).length, 0);
});
