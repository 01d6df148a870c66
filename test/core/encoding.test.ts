/**
 * A spec saved as UTF-16 (with its byte order mark, as YAML allows and editors write it) is read
 * as VS Code shows it: the same findings, at the same places, as its UTF-8 twin; `lint --fix`
 * writes it back in UTF-16, mark included. UTF-32 is refused in one line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';
import { encodeSpec, type SpecEncoding } from '../../src/openapi/encoding';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'petstore.yaml'), 'utf8');
const builtin = loadRuleset(undefined);
const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
const ENCODINGS: SpecEncoding[] = ['utf16le', 'utf16be'];
/** The text as a file in `encoding`, its byte order mark first. */
const bytesOf = (text: string, encoding: SpecEncoding) => encodeSpec(`\ufeff${text}`, encoding);

test('a UTF-16 spec (either byte order) gets exactly the findings of its UTF-8 twin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-encoding-'));
  const utf8 = join(dir, 'spec.yaml');
  writeFileSync(utf8, example);
  const want = (await new Engine().lint(utf8, builtin)).findings.map(({ file: _file, ...f }) => f);
  assert.ok(want.length >= 5, `${want.length}`);
  for (const encoding of ENCODINGS) {
    const file = join(dir, `${encoding}.yaml`);
    writeFileSync(file, bytesOf(example, encoding));
    assert.equal(readFileSync(file)[0], encoding === 'utf16le' ? 0xff : 0xfe);
    const got = (await new Engine().lint(file, builtin)).findings.map(({ file: _file, ...f }) => f);
    assert.deepEqual(got, want, encoding);
  }
});

test('lint --fix on a UTF-16 spec writes it back in UTF-16, mark included: the UTF-8 twin\'s fix, re-encoded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-encoding-fix-'));
  writeFileSync(join(dir, 'utf8.yaml'), example);
  for (const encoding of ENCODINGS) writeFileSync(join(dir, `${encoding}.yaml`), bytesOf(example, encoding));
  const fix = (name: string) => spawnSync(process.execPath, [cli, 'lint', name, '--fix'], { cwd: dir, encoding: 'utf8' });
  assert.match(fix('utf8.yaml').stderr, /^headroom: fixed \d+ findings? in utf8\.yaml/);
  const fixed = readFileSync(join(dir, 'utf8.yaml'), 'utf8');
  assert.notEqual(fixed, example);
  for (const encoding of ENCODINGS) {
    const r = fix(`${encoding}.yaml`);
    assert.match(r.stderr, new RegExp(`^headroom: fixed \\d+ findings? in ${encoding}\\.yaml`), r.stderr);
    assert.deepEqual(readFileSync(join(dir, `${encoding}.yaml`)), bytesOf(fixed, encoding), encoding);
  }
});

test('a UTF-32 spec is refused in one line, naming the file and what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-encoding-32-'));
  writeFileSync(join(dir, 'spec.yaml'), Buffer.from([0xff, 0xfe, 0, 0, 0x6f, 0, 0, 0]));
  const r = spawnSync(process.execPath, [cli, 'lint', 'spec.yaml'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `headroom: ${join(dir, 'spec.yaml')} is UTF-32 (its byte order mark says so); save it as UTF-8 or UTF-16\n`);
});
