/**
 * SpecIndex: which specs of the workspace folders `$ref` a file; what it does not look at
 * (node_modules, dot-folders, symbolic links, files over the size limit, past the file cap,
 * anything outside the folders), and how it follows changes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { FileSource } from '../../src/openapi/files';
import { workspacePolicy } from '../../src/openapi/policy';
import { SpecIndex } from '../../src/server/specIndex';

const spec = (ref: string) => `openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: '${ref}'\n`;
const FRAGMENT = "get:\n  responses:\n    '200': {description: ok}\n";

function tree(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'headroom-index-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function indexOf(ws: string, o: { maxFiles?: number; maxBytes?: number; files?: FileSource; trusted?: boolean; allowOutside?: boolean } = {}) {
  const warnings: string[] = [];
  const files = o.files ?? new FileSource();
  const index = new SpecIndex({
    files,
    folders: () => [ws],
    policyFor: (s) => workspacePolicy(s, { folders: [ws], trusted: o.trusted ?? true, allowOutside: o.allowOutside ?? false, allowRemote: false }),
    maxBytes: () => o.maxBytes ?? 1024 * 1024,
    warn: (m) => void warnings.push(m),
    maxFiles: o.maxFiles,
  });
  return { index, warnings, files };
}

test('SpecIndex: specs that $ref a file, directly or through another file; not from node_modules, dot-folders, symlinks or big files', async () => {
  const ws = tree({
    'api.yaml': spec('paths/a.yaml'),
    'paths/a.yaml': "get:\n  responses:\n    '200': {$ref: '../shared/ok.yaml'}\n",
    'shared/ok.yaml': 'description: ok\n',
    'other.json': JSON.stringify({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: { '/b': { $ref: 'paths/a.yaml' } } }),
    'node_modules/pkg/api.yaml': spec('../../paths/a.yaml'),
    '.hidden/api.yaml': spec('../paths/a.yaml'),
    'big/api.yaml': spec('../paths/a.yaml') + `# ${'x'.repeat(2000)}\n`,
    'plain.yaml': 'service: orders\n',
  });
  const elsewhere = tree({ 'api.yaml': spec('x.yaml') });
  symlinkSync(elsewhere, join(ws, 'linked'));
  const { index } = indexOf(ws, { maxBytes: 1000 });
  assert.deepEqual((await index.specsUsing(join(ws, 'paths', 'a.yaml'))).sort(), [join(ws, 'api.yaml'), join(ws, 'other.json')]);
  assert.deepEqual((await index.specsUsing(join(ws, 'shared', 'ok.yaml'))).sort(), [join(ws, 'api.yaml'), join(ws, 'other.json')]);
  assert.deepEqual(await index.specsUsing(join(ws, 'plain.yaml')), []);
  assert.deepEqual(await index.specsUsing(join(elsewhere, 'x.yaml')), []);
  assert.equal(index.specCount, 2);
});

test('SpecIndex: at most maxFiles files are looked at, and it says so', async () => {
  const ws = tree({ 'a.yaml': spec('f.yaml'), 'b.yaml': spec('f.yaml'), 'c.yaml': spec('f.yaml'), 'f.yaml': FRAGMENT });
  const { index, warnings } = indexOf(ws, { maxFiles: 2 });
  assert.deepEqual(await index.specsUsing(join(ws, 'f.yaml')), [join(ws, 'a.yaml'), join(ws, 'b.yaml')]);
  assert.deepEqual(warnings, ['The workspace folders hold more than 2 YAML/JSON files: only the first 2 were looked at for specs that $ref other files.']);
});

test('SpecIndex: a $ref the policy refuses is not followed (untrusted: out of the folder)', async () => {
  const outside = tree({ 'f.yaml': FRAGMENT });
  const ws = tree({ 'api.yaml': spec(`${outside}/f.yaml`) });
  assert.deepEqual(await indexOf(ws, { trusted: false, allowOutside: true }).index.specsUsing(join(outside, 'f.yaml')), []);
  assert.deepEqual(await indexOf(ws, { trusted: true, allowOutside: true }).index.specsUsing(join(outside, 'f.yaml')), [join(ws, 'api.yaml')]);
});

test('SpecIndex: follows changes: an open buffer, a file created or deleted on disk, what a lint learned', async () => {
  const ws = tree({ 'api.yaml': spec('f.yaml'), 'f.yaml': FRAGMENT, 'g.yaml': FRAGMENT });
  const { index, files } = indexOf(ws);
  const [api, f, g, later] = ['api.yaml', 'f.yaml', 'g.yaml', 'later.yaml'].map((n) => join(ws, n));
  assert.deepEqual(await index.specsUsing(f), [api]);
  // The spec's unsaved text $refs g.yaml instead.
  files.setOverlay(api, spec('g.yaml'));
  index.changed(api);
  assert.deepEqual(await index.specsUsing(f), []);
  assert.deepEqual(await index.specsUsing(g), [api]);
  // A spec created on disk.
  writeFileSync(later, spec('f.yaml'));
  index.changed(later);
  assert.deepEqual(await index.specsUsing(f), [later]);
  // ...and deleted.
  unlinkSync(later);
  index.changed(later);
  assert.deepEqual(await index.specsUsing(f), []);
  // A lint of the spec read f.yaml: that is what it $refs now.
  index.learn(api, [f]);
  assert.deepEqual(await index.specsUsing(f), [api]);
  // Reset: looked for again from the files (the overlay still $refs g.yaml).
  index.reset();
  assert.deepEqual(await index.specsUsing(g), [api]);
});
