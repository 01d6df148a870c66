/**
 * Fix All in the editor never invents a contract: on Twilio Messaging (a real spec that states no
 * rate limit, no validators, its own PageSize/PageToken paging and no error body), both ways the
 * editor fixes a whole file — the "Headroom: Fix All in File" command (`headroom/fixAll`) and the
 * `source.fixAll.headroom` code action run on save — go through the built server (dist/server.js)
 * and the edit they hand the editor is applied here, the way VS Code applies it.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument, type TextEdit } from 'vscode-languageserver-textdocument';
import { initialize, startServer } from '../helpers/server';

const ROOT = join(__dirname, '..', '..');
const TWILIO = join(ROOT, '..', 'shared', 'specs', 'm02-twilio-messaging.v30.yaml');
const skip = existsSync(TWILIO) ? false : `${TWILIO} is absent (a clone without ../shared)`;

interface Diagnostic {
  code: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Edit {
  documentChanges?: { textDocument: { uri: string }; edits: TextEdit[] }[];
  changes?: Record<string, TextEdit[]>;
}

/** The built server on a temporary copy of Twilio Messaging, opened in the editor. */
async function openTwilio() {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-twilio-'));
  const spec = join(dir, 'twilio.yaml');
  copyFileSync(TWILIO, spec);
  const text = readFileSync(spec, 'utf8');
  const uri = pathToFileURL(spec).href;
  const applied: Edit[] = [];
  let published!: (diagnostics: Diagnostic[]) => void;
  const firstLint = new Promise<Diagnostic[]>((r) => (published = r));
  const { conn, close } = startServer((conn) => {
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      if (p.uri === uri) published(p.diagnostics);
    });
    conn.onRequest('workspace/applyEdit', (p: { edit: Edit }) => {
      applied.push(p.edit);
      return { applied: true };
    });
  });
  await initialize(conn, dir, {
    capabilities: {
      workspace: { applyEdit: true, workspaceEdit: { documentChanges: true, snippetEditSupport: true } },
      textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
    },
    initializationOptions: { trusted: true, settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 100 } } },
  });
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  let timer: NodeJS.Timeout | undefined;
  const diagnostics = await Promise.race([firstLint, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no diagnostics for twilio.yaml within 120 s')), 120_000)))]).finally(() => clearTimeout(timer));
  return { conn, uri, text, applied, diagnostics, close };
}

/** The spec's text after the editor applies `edit` (every edit must be for the spec itself). */
function applyTo(uri: string, text: string, edit: Edit): string {
  const lists = edit.documentChanges?.map((d) => [d.textDocument.uri, d.edits] as const) ?? Object.entries(edit.changes ?? {});
  assert.deepEqual(
    lists.map(([u]) => u),
    [uri],
    'Twilio Messaging is one file: the edit touches it alone',
  );
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), [...lists[0][1]]);
}

/** What Fix All may not write into Twilio's spec, and what it must write. */
function assertNothingInvented(original: string, fixed: string, how: string): void {
  // No rate limit (the spec states no numbers), no 429, no validators, no rate-limit or cache headers.
  for (const invented of ['x-gateway-rate-limit', "'429'", 'TooManyRequests', 'ETag', 'If-None-Match', "'304'", 'NotModified', 'RateLimit', 'Cache-Control', 'Retry-After', 'Link:']) {
    assert.equal(fixed.split(invented).length, original.split(invented).length, `${how} added ${invented}`);
  }
  // No paging parameter the API does not take: Twilio pages with PageSize / PageToken, never limit / cursor.
  assert.doesNotMatch(fixed, /name: (limit|cursor)\n/, `${how} added a limit/cursor parameter`);
  assert.equal(fixed.split('name: PageSize').length, original.split('name: PageSize').length, `${how} added PageSize parameters`);
  // No error body the spec does not have (it documents none).
  assert.doesNotMatch(fixed, /Problem|problem\+json/, `${how} added an error schema`);
  // What it does write: the 401 every operation answers (the API uses HTTP basic auth).
  assert.equal(fixed.split("'401':\n          $ref: '#/components/responses/Unauthorized'").length - 1, 58, `${how}: the 401 on each of the 58 operations`);
}

test('"Fix All in File" on Twilio Messaging adds no invented value, and says what it left', { skip }, async () => {
  const t = await openTwilio();
  try {
    const summary = await t.conn.sendRequest<{ fixed: number; files: number; left: { rule: string; count: number; reason: string }[] }>('headroom/fixAll', { uri: t.uri });
    assert.equal(t.applied.length, 1, 'one edit, one undo step');
    assertNothingInvented(t.text, applyTo(t.uri, t.text, t.applied[0]), 'Fix All in File');
    assert.equal(summary.fixed, 58);
    assert.equal(summary.files, 1);
    const left = Object.fromEntries(summary.left.map((l) => [l.rule, l.count]));
    assert.equal(left['ratelimit-policy-declared'], 1);
    assert.equal(left['pagination-required'], 2);
    assert.equal(left['cache-validator'], 27);
  } finally {
    t.close();
  }
});

test('source.fixAll.headroom (fix on save) on Twilio Messaging adds no invented value', { skip }, async () => {
  const t = await openTwilio();
  try {
    const lines = t.text.split('\n').length;
    const actions = await t.conn.sendRequest<{ title: string; kind: string; edit?: Edit }[]>('textDocument/codeAction', {
      textDocument: { uri: t.uri },
      range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    const fixAll = actions.filter((a) => a.kind === 'source.fixAll.headroom');
    assert.equal(fixAll.length, 1, JSON.stringify(actions.map((a) => a.title)));
    assert.match(fixAll[0].title, /^Fix all Headroom findings \(58; \d+ suggestions left for the light bulb\)$/);
    assertNothingInvented(t.text, applyTo(t.uri, t.text, fixAll[0].edit!), 'source.fixAll.headroom');
  } finally {
    t.close();
  }
});

test('the light bulb on Twilio Messaging: paging suggestions use its PageSize / PageToken and invent no Link header', { skip }, async () => {
  const t = await openTwilio();
  try {
    const paging = t.diagnostics.filter((d) => d.code === 'pagination-required');
    assert.equal(paging.length, 2);
    for (const d of paging) {
      const actions = await t.conn.sendRequest<{ title: string; kind: string; edit?: { documentChanges: { edits: { newText?: string; snippet?: { value: string } }[] }[] } }[]>('textDocument/codeAction', {
        textDocument: { uri: t.uri },
        range: d.range,
        context: { diagnostics: [d], only: ['quickfix'] },
      });
      const add = actions.filter((a) => a.kind === 'quickfix' && /^Add /.test(a.title));
      assert.equal(add.length, 1, JSON.stringify(actions.map((a) => a.title)));
      // Twilio shows the next page as `meta.next_page_url` in the body, never as a Link header: no
      // Link is invented. These two list bodies are shared schemas (components), so the suggestion
      // leaves them alone too; pagination-next-link then asks for the next page's property.
      assert.equal(add[0].title, 'Add PageSize and PageToken query parameters');
      const edits = add[0].edit!.documentChanges.flatMap((c) => c.edits);
      const written = edits.map((e) => e.newText ?? e.snippet?.value ?? '').join('');
      assert.match(written, /name: PageSize\n/);
      assert.match(written, /name: PageToken\n/);
      assert.doesNotMatch(written, /name: (limit|cursor)\n/);
      assert.doesNotMatch(written, /Link|next_page_url/);
    }
  } finally {
    t.close();
  }
});
