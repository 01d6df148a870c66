/** Where an export is saved, and the atomic write every file Headroom writes goes through. */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { test } from 'node:test';
import { inTempDir as inDir } from '../helpers/tempDir';
import { defaultFileName } from '../../src/export/index';
import { isOneOf, outputPath, writeAtomic } from '../../src/shared/save';

/** A test body run in a folder of its own. */
const inTempDir = (body: (dir: string) => Promise<void>) => () => inDir('headroom-save-', body);

test('exports are saved next to the spec or in the output folder', () => {
  assert.equal(defaultFileName('/w/api/petstore.yaml', 'nginx'), 'petstore.nginx.conf');
  assert.equal(outputPath('/w/api/petstore.yaml', 'petstore.kong.yaml'), '/w/api/petstore.kong.yaml');
  assert.equal(outputPath('/w/api/petstore.json', 'petstore.haproxy.cfg', 'gateway', '/w'), '/w/gateway/petstore.haproxy.cfg');
  assert.equal(outputPath('/w/api/petstore.json', 'petstore.haproxy.cfg', '/etc/haproxy'), '/etc/haproxy/petstore.haproxy.cfg');
});

test('a file is replaced whole, text or bytes, and no temporary file is left', inTempDir(async (dir) => {
  const file = join(dir, 'out.conf');
  writeFileSync(file, 'old');
  await writeAtomic(file, 'new é');
  assert.equal(readFileSync(file, 'utf8'), 'new é', 'text is written as UTF-8');
  await writeAtomic(file, Buffer.from([0xff, 0xfe, 0x41, 0x00]));
  assert.deepEqual([...readFileSync(file)], [0xff, 0xfe, 0x41, 0x00], 'bytes are written as they are');
  await writeAtomic(join(dir, 'new.conf'), 'created');
  assert.equal(readFileSync(join(dir, 'new.conf'), 'utf8'), 'created');
  assert.deepEqual(readdirSync(dir).sort(), ['new.conf', 'out.conf']);
}));

test('a file keeps its permissions', inTempDir(async (dir) => {
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, 'old');
  chmodSync(file, 0o640);
  await writeAtomic(file, 'new');
  assert.equal(statSync(file).mode & 0o7777, 0o640);
  chmodSync(file, 0o755);
  await writeAtomic(file, 'newer');
  assert.equal(statSync(file).mode & 0o7777, 0o755);
}));

test('a symbolic link stays a link, and the file it points to is written', inTempDir(async (dir) => {
  mkdirSync(join(dir, 'real'));
  const target = join(dir, 'real', 'spec.yaml');
  writeFileSync(target, 'old');
  const link = join(dir, 'spec.yaml');
  symlinkSync(join('real', 'spec.yaml'), link);
  await writeAtomic(link, 'new');
  assert.ok(lstatSync(link).isSymbolicLink(), 'still a link');
  assert.equal(readFileSync(target, 'utf8'), 'new');
  assert.deepEqual(readdirSync(dir).sort(), ['real', 'spec.yaml']);
  assert.deepEqual(readdirSync(join(dir, 'real')), ['spec.yaml'], 'the temporary file went beside the target, and is gone');
}));

test('a save that cannot happen says why in words, naming the file, not the temporary file', inTempDir(async (dir) => {
  const missing = join(dir, 'no', 'such', 'x.conf');
  await assert.rejects(writeAtomic(missing, 'x'), { message: `its folder ${join(dir, 'no', 'such')} does not exist` });
  assert.ok(!existsSync(join(dir, 'no')));
  await assert.rejects(writeAtomic(dir, 'x'), { message: 'it is a folder' });
  assert.deepEqual(readdirSync(dir), [], 'no temporary file is left behind');
}));

test('a read-only file is refused and left as it was, though its folder is writable', inTempDir(async (dir) => {
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, 'old');
  chmodSync(file, 0o444);
  await assert.rejects(writeAtomic(file, 'new'), { message: 'it is read-only' });
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.equal(statSync(file).mode & 0o777, 0o444);
  assert.deepEqual(readdirSync(dir), ['spec.yaml']);
}));

test('a file with another hard link is written in place: both names see the new content', inTempDir(async (dir) => {
  const file = join(dir, 'spec.yaml');
  const other = join(dir, 'copy.yaml');
  writeFileSync(file, 'old');
  linkSync(file, other);
  const inode = statSync(file).ino;
  await writeAtomic(file, 'new');
  assert.equal(readFileSync(other, 'utf8'), 'new');
  assert.equal(statSync(file).ino, inode);
  assert.equal(statSync(file).nlink, 2);
  assert.deepEqual(readdirSync(dir).sort(), ['copy.yaml', 'spec.yaml']);
}));

test('an output is one of the inputs also through a symbolic or a hard link', inTempDir(async (dir) => {
  const spec = join(dir, 'spec.yaml');
  writeFileSync(spec, 'x');
  linkSync(spec, join(dir, 'hard.yaml'));
  symlinkSync(spec, join(dir, 'soft.yaml'));
  writeFileSync(join(dir, 'other.yaml'), 'x');
  assert.equal(isOneOf(join(dir, 'hard.yaml'), [spec]), true);
  assert.equal(isOneOf(join(dir, 'soft.yaml'), [spec]), true);
  assert.equal(isOneOf(join(dir, 'other.yaml'), [spec]), false);
  assert.equal(isOneOf(join(dir, 'new.yaml'), [spec, join(dir, 'new.yaml')]), true, 'a file not written yet, by its path');
  assert.equal(isOneOf(join(dir, 'new.yaml'), [spec]), false);
}));

test('a pipe (-o /dev/stdout, a FIFO) is written to, never replaced by a file', inTempDir(async (dir) => {
  const fifo = join(dir, 'out');
  execFileSync('mkfifo', [fifo]);
  const reader = spawn('cat', [fifo]);
  let read = '';
  reader.stdout.on('data', (d) => (read += d));
  const closed = new Promise((done) => reader.on('close', done));
  await writeAtomic(fifo, 'the config\n');
  if (!lstatSync(fifo).isFIFO()) reader.kill();
  assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
  await closed;
  assert.equal(read, 'the config\n');
  assert.deepEqual(readdirSync(dir), ['out']);
}));
