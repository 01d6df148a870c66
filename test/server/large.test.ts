/**
 * What a large spec costs the editor, through the built server (dist/server.js): an opened spec is
 * linted once, not twice; a lint that changes nothing publishes nothing (to a client told of each
 * lint by headroom/status, as VS Code's is; others get every list); a client that shows at
 * most N problems per file (VS Code: 1,000) gets the N it would show, chosen as it chooses them;
 * past the 500 VS Code draws squiggles for, errors come first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { initialize, startServer } from '../helpers/server';
import { Linter } from '../../src/server/linter';


// Warnings and an information finding, then two errors on the last lines.
const SPEC = `openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      description: first
      responses:
        '200': {description: ok}
  /b:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
components:
  schemas:
    S: {type: strin}
`;

interface Published {
  uri: string;
  diagnostics: { range: { start: { line: number } }; severity: number; code: string }[];
}

async function session(maxDiagnosticsPerFile?: number, status = true, spec = SPEC) {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-large-'));
  const file = join(dir, 'api.yaml');
  writeFileSync(file, spec);
  const uri = pathToFileURL(file).href;
  const events: ({ kind: 'log'; message: string } | { kind: 'status'; count: number } | ({ kind: 'publish' } & Published))[] = [];
  let wake = () => {};
  const push = (e: (typeof events)[number]) => {
    events.push(e);
    wake();
  };
  const server = startServer((conn) => {
    conn.onNotification('window/logMessage', (p: { message: string }) => push({ kind: 'log', message: p.message }));
    conn.onNotification('headroom/status', (s: { count: number }) => push({ kind: 'status', count: s.count }));
    conn.onNotification('textDocument/publishDiagnostics', (p: Published) => push({ kind: 'publish', ...p }));
  });
  const { conn } = server;
  await initialize(conn, dir, { initializationOptions: { trusted: true, status, maxDiagnosticsPerFile, settings: { lint: { run: 'onType', debounceMs: 0, maxFileSizeMB: 100 } } } });
  /** Resolves once `n` statuses have arrived in all (60 s at most). */
  const statuses = async (n: number) => {
    const deadline = Date.now() + 60_000;
    while (events.filter((e) => e.kind === 'status').length < n) {
      if (Date.now() > deadline) throw new Error(`fewer than ${n} headroom/status within 60 s: ${JSON.stringify(events)}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
  };
  let version = 1;
  return {
    uri,
    events,
    statuses,
    open: () => conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text: spec } }),
    change: (line: number, character: number, text: string) =>
      conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }],
      }),
    close: server.close,
  };
}

const publications = (events: { kind: string }[]) => events.filter((e): e is { kind: 'publish' } & Published => e.kind === 'publish');
const summary = (p: Published) => p.diagnostics.map((d) => `${d.range.start.line + 1} ${d.severity} ${d.code}`);

test('an opened spec is linted once; a lint that changes no finding publishes nothing; one that does, publishes', async () => {
  const s = await session();
  try {
    s.open();
    await s.statuses(1);
    const logs = s.events.filter((e) => e.kind === 'log').map((e) => (e as { message: string }).message);
    assert.deepEqual(logs.filter((l) => /^(Linted|Stopped linting) /.test(l)).map((l) => l.split(' ')[0]), ['Linted'], 'one lint for the open, none dropped');
    const first = publications(s.events);
    assert.equal(first.length, 1);
    assert.equal(first[0].diagnostics.length, 10);

    s.change(5, 20, 'x'); // `description: firstx`: no finding changes
    await s.statuses(2);
    assert.equal(publications(s.events).length, 1, 'nothing published for a lint that found the same');

    s.change(14, 19, 'g'); // `type: string`: the validate error goes
    await s.statuses(3);
    const all = publications(s.events);
    assert.equal(all.length, 2);
    assert.deepEqual(summary(all[1]), summary(first[0]).filter((d) => !d.endsWith(' validate')));
  } finally {
    s.close();
  }
});

test('a client without headroom/status gets every lint\'s list, changed or not (LSP clients take a publication as "linted")', async () => {
  const s = await session(undefined, false);
  try {
    s.open();
    const published = async (n: number) => {
      const deadline = Date.now() + 60_000;
      while (publications(s.events).length < n) {
        if (Date.now() > deadline) throw new Error(`fewer than ${n} publications within 60 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await published(1);
    s.change(5, 20, 'x');
    await published(2);
    const [first, second] = publications(s.events);
    assert.deepEqual(summary(second), summary(first));
  } finally {
    s.close();
  }
});

test('a client showing at most N problems per file gets the N it shows: errors first, then warnings, then information', async () => {
  const all = await session();
  const four = await session(4);
  const nine = await session(9);
  try {
    for (const s of [all, four, nine]) s.open();
    await Promise.all([all, four, nine].map((s) => s.statuses(1)));
    const full = summary(publications(all.events)[0]);
    // Severity 1 error, 2 warning, 3 information; in position order.
    assert.deepEqual(full.map((d) => d.split(' ')[1]), ['2', '2', '2', '2', '2', '2', '3', '2', '1', '1']);
    // The two errors (the last lines) and the first two warnings, still in position order.
    assert.deepEqual(summary(publications(four.events)[0]), [full[0], full[1], full[8], full[9]]);
    // Every error and warning; the information finding is the one left out.
    assert.deepEqual(summary(publications(nine.events)[0]), full.filter((_, i) => i !== 6));
    for (const s of [four, nine]) assert.deepEqual(s.events.filter((e) => e.kind === 'status'), [{ kind: 'status', count: 10 }], 'the status counts every finding');
  } finally {
    for (const s of [all, four, nine]) s.close();
  }
});

test('past the 500 problems VS Code draws squiggles for, a file\'s list goes errors first: an error on its last line keeps its squiggle', async () => {
  const paths = Array.from({ length: 300 }, (_, i) => `  /p${i}:\n    get:\n      responses:\n        '200': {description: ok}\n`).join('');
  const spec = `openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n${paths}components:\n  schemas:\n    S: {type: strin}\n`;
  const last = spec.split('\n').length - 2;
  const s = await session(undefined, true, spec);
  try {
    s.open();
    await s.statuses(1);
    const [published] = publications(s.events);
    const list = published.diagnostics;
    assert.ok(list.length > 500, `${list.length} problems`);
    const rank = (d: (typeof list)[number]) => d.severity * 1e9 + d.range.start.line;
    assert.deepEqual(list.map(rank), list.map(rank).sort((a, b) => a - b), 'by severity, then position');
    const drawn = list.slice(0, 500);
    assert.ok(drawn.some((d) => d.code === 'validate' && d.range.start.line === last && d.severity === 1), 'the error on the last line is among the 500 drawn');
    // At most 500: as given (position order), as the first test's list shows.
  } finally {
    s.close();
  }
});

test('the linter\'s idle work after a large JSON spec\'s lint: how deep its text nests and whether it has a __proto__ key, found once, kept by an edit inside a value', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-large-'));
  const file = join(dir, 'api.json');
  // Large enough for the editor's JSON parse cache (256 KB), three levels under a schema's properties.
  const properties = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`p${i}`, { type: 'string', description: 'x'.repeat(60) }]));
  const spec = JSON.stringify({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {}, components: { schemas: { S: { type: 'object', properties } } } }, null, 2);
  writeFileSync(file, spec);
  const linter = new Linter(() => [dir]);
  await linter.lint(file);
  assert.equal(linter.prepareForEdits(file), true);
  assert.deepEqual(linter.jsonCache.last(file)?.shape, { deepest: 6, protoKey: false }); // root, components, schemas, S, properties, p0
  assert.equal(linter.prepareForEdits(file), false, 'measured once');
  linter.files.setOverlay(file, spec.replace('"x', '"y'));
  await linter.lint(file);
  assert.deepEqual(linter.jsonCache.last(file)?.shape, { deepest: 6, protoKey: false }, 'an edit inside a value keeps it');
  assert.equal(linter.prepareForEdits(file), false);
});
