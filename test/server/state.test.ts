/** The language server's per-document state, lint queue and per-folder settings, without LSP. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { URI } from 'vscode-uri';
import type { Finding } from '../../src/shared/types';
import { LintQueue } from '../../src/server/queue';
import { FolderSettings } from '../../src/server/settings';
import { LintState } from '../../src/server/state';
import { DEFAULT_SETTINGS, settingsFrom } from '../../src/shared/settings';
import { lspSeverity } from '../../src/shared/severity';

const pathOf = (uri: string) => URI.parse(uri).fsPath;
const uriOf = (path: string) => URI.file(path).toString();
const finding = (file: string, rule: string, line: number, message = `${rule} at ${line}`): Finding => ({
  file,
  rule,
  severity: 'warn',
  message,
  path: [],
  range: { start: { line, character: 0 }, end: { line, character: 1 } },
});

test('LintState: a lint groups findings by file; the next lint of the root reports the files it no longer touches', () => {
  const s = new LintState(pathOf);
  const a = uriOf('/w/a.yaml');
  assert.deepEqual(s.record(a, [finding('/w/a.yaml', 'r1', 1), finding('/w/common.yaml', 'r2', 3)], ['/w/common.yaml']), ['/w/a.yaml', '/w/common.yaml']);
  assert.deepEqual(s.diagnosticsOf('/w/common.yaml').map((f) => f.rule), ['r2']);
  assert.deepEqual(s.rootsUsing('/w/common.yaml'), [a]);
  // Fixed in common.yaml: it must be published again (empty), so it is still in the list.
  assert.deepEqual(s.record(a, [finding('/w/a.yaml', 'r1', 1)], ['/w/common.yaml']), ['/w/a.yaml', '/w/common.yaml']);
  assert.deepEqual(s.diagnosticsOf('/w/common.yaml'), []);
  assert.deepEqual(s.findingsIn('/w/a.yaml'), [{ root: '/w/a.yaml', finding: finding('/w/a.yaml', 'r1', 1) }]);
});

test('LintState: two roots reporting the same finding in a shared file show it once; dropping one root keeps the other', () => {
  const s = new LintState(pathOf);
  const a = uriOf('/w/a.yaml');
  const b = uriOf('/w/b.yaml');
  s.record(a, [finding('/w/common.yaml', 'r2', 3)], ['/w/common.yaml']);
  s.record(b, [finding('/w/common.yaml', 'r2', 3), finding('/w/common.yaml', 'r3', 4)], ['/w/common.yaml']);
  assert.deepEqual(s.diagnosticsOf('/w/common.yaml').map((f) => f.rule), ['r2', 'r3']);
  assert.equal(s.findingsIn('/w/common.yaml').length, 3);
  assert.deepEqual(s.rootsUsing('/w/common.yaml').sort(), [a, b].sort());
  assert.deepEqual(s.drop(b), ['/w/b.yaml', '/w/common.yaml']);
  assert.deepEqual(s.diagnosticsOf('/w/common.yaml').map((f) => f.rule), ['r2']);
  assert.deepEqual(s.rootsUsing('/w/common.yaml'), [a]);
  assert.equal(s.has(b), false);
  assert.deepEqual(s.drop(b), []);
});

test('LintState: workspace roots end when dropped; forcing is per root; published files are remembered while non-empty', () => {
  const s = new LintState(pathOf);
  const a = uriOf('/w/a.yaml');
  s.addWorkspaceRoot(a);
  s.force(a);
  assert.equal(s.isWorkspaceRoot(a), true);
  assert.equal(s.isForced(a), true);
  s.drop(a);
  assert.equal(s.isWorkspaceRoot(a), false);
  s.force(a, false);
  assert.equal(s.isForced(a), false);
  assert.equal(s.published('/w/a.yaml', 2), false);
  assert.equal(s.hasPublished('/w/a.yaml'), true);
  assert.equal(s.published('/w/a.yaml', 0), true);
  assert.equal(s.hasPublished('/w/a.yaml'), false);
});

/** A lint the test finishes by hand. */
function manualQueue() {
  const runs: { uri: string; version: number; stale: () => boolean; done: () => void }[] = [];
  const queue = new LintQueue(
    (job) =>
      new Promise<void>((resolve) => {
        runs.push({ uri: job.uri, version: job.version, stale: job.isStale, done: resolve });
      }),
  );
  return { queue, runs };
}

const tick = () => new Promise((r) => setImmediate(r));

test('LintQueue: one lint per document at a time; a newer version makes the running one stale and runs next; idle waits for both', async () => {
  const { queue, runs } = manualQueue();
  let idle = false;
  void queue.schedule('a', 1, 0).then(() => (idle = true));
  queue.schedule('a', 2, 0);
  queue.schedule('a', 3, 0);
  await tick();
  assert.deepEqual(runs.map((r) => r.version), [1]);
  assert.equal(runs[0].stale(), true);
  runs[0].done();
  await tick();
  assert.deepEqual(runs.map((r) => r.version), [1, 3], 'version 2 was never linted: 3 replaced it');
  assert.equal(idle, false);
  assert.equal(runs[1].stale(), false);
  runs[1].done();
  await tick();
  assert.equal(idle, true);
});

test('LintQueue: idle resolves at once for an unknown document, and when a pending lint is forgotten', async () => {
  const { queue, runs } = manualQueue();
  await queue.idle('nothing');
  let idle = false;
  void queue.schedule('b', 1, 60_000).then(() => (idle = true));
  await tick();
  assert.equal(idle, false);
  queue.forget('b');
  await tick();
  assert.equal(idle, true);
  assert.equal(runs.length, 0);
});

test('FolderSettings: asked per folder with the folder as scope, once until they change; files outside folders ask without scope', async () => {
  const asked: (string | undefined)[] = [];
  const answers: Record<string, unknown> = {
    [uriOf('/w/one')]: { ruleset: 'one.yaml', lint: { debounceMs: 50 } },
    [uriOf('/w/two')]: { ruleset: 'two.yaml', homepage: 'https://docs.example.com/{rule}' },
  };
  const s = new FolderSettings(async (scope) => {
    asked.push(scope);
    return scope === undefined ? null : answers[scope];
  });
  s.setFolders(['/w/one', '/w/two', '/w/one/nested']);
  assert.equal((await s.of('/w/one/a.yaml')).ruleset, 'one.yaml');
  assert.equal((await s.of('/w/one/b.yaml')).lint.debounceMs, 50);
  assert.equal((await s.of('/w/two/a.yaml')).homepage, 'https://docs.example.com/{rule}');
  assert.equal((await s.of('/w/one/nested/x.yaml')).ruleset, '', 'the deepest folder holding the file is asked');
  assert.deepEqual(await s.of('/elsewhere/x.yaml'), DEFAULT_SETTINGS, 'a null answer: the fallback stands');
  assert.deepEqual(asked, [uriOf('/w/one'), uriOf('/w/two'), uriOf('/w/one/nested'), undefined]);
  assert.equal(s.known('/w/two/b.yaml').ruleset, 'two.yaml');
  s.invalidate();
  assert.equal(s.known('/w/two/b.yaml').ruleset, '', 'unknown again until answered');
  await s.of('/w/two/b.yaml');
  assert.equal(asked.length, 5);
});

test('FolderSettings: a client that answers with all its settings for the server (not the section): their `headroom` is taken', async () => {
  const s = new FolderSettings(async () => ({ headroom: { ruleset: 'team.yaml' }, other: 1 }));
  assert.equal((await s.of('/a.yaml')).ruleset, 'team.yaml');
});

test('FolderSettings: without workspace/configuration the initializationOptions settings hold; a failing client request falls back too', async () => {
  const plain = new FolderSettings(undefined);
  plain.setFallback({ lint: { run: 'onSave' }, ruleset: 'team.yaml' });
  assert.equal((await plain.of('/any.yaml')).lint.run, 'onSave');
  assert.equal((await plain.of('/any.yaml')).ruleset, 'team.yaml');
  const warnings: string[] = [];
  const failing = new FolderSettings(async () => { throw new Error('MethodNotFound'); }, undefined, (m) => warnings.push(m));
  failing.setFallback({ allowRemoteRefs: true });
  assert.equal((await failing.of('/a.yaml')).allowRemoteRefs, true);
  assert.deepEqual(warnings, ['workspace/configuration failed (MethodNotFound); using the initial settings']);
});

test('settingsFrom: values of the wrong type are the defaults; negative numbers are 0', () => {
  assert.deepEqual(settingsFrom({ lint: { run: 'sometimes', debounceMs: -5, maxFileSizeMB: '9' }, ruleset: 42, allowRemoteRefs: 'yes', homepage: null }), {
    ...DEFAULT_SETTINGS,
    lint: { ...DEFAULT_SETTINGS.lint, debounceMs: 0 },
  });
  assert.deepEqual(settingsFrom(null), DEFAULT_SETTINGS);
  assert.deepEqual(settingsFrom([1, 2]), DEFAULT_SETTINGS);
});

test('severity: LSP numbers, most severe first', () => {
  assert.deepEqual((['error', 'warn', 'info', 'hint'] as const).map(lspSeverity), [1, 2, 3, 4]);
});
