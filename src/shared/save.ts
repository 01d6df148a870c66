/**
 * Saving a file Headroom writes (an export, a report, a baseline, a spec `lint --fix` changed):
 * where an export goes, and an atomic write (temp file + rename).
 * Dependency-free: the VS Code client bundles it.
 */
import { randomBytes } from 'node:crypto';
import { constants, realpathSync, statSync } from 'node:fs';
import { access, chmod, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * Where the export of `specPath` is saved under `fileName` (the server's `defaultFileName`): in
 * `outputDir` when set (relative to `baseDir`, e.g. the workspace folder), else next to the spec.
 */
export function outputPath(specPath: string, fileName: string, outputDir = '', baseDir = dirname(specPath)): string {
  const dir = outputDir.trim() === '' ? dirname(specPath) : isAbsolute(outputDir) ? outputDir : join(baseDir, outputDir);
  return join(dir, fileName);
}

/**
 * Write `content` (text as UTF-8, or bytes) to `file` so readers see the old content or the new,
 * never a part. A file that exists keeps its permissions, and a symbolic link stays a link: the
 * file it points to is written (a rename over the link would replace it with a copy and leave
 * the file it pointed to as it was). A file with other hard links is written in place, as editors
 * do, so every name sees the new content (restored on a failed write). A read-only file (no write
 * permission for anyone, or not for this user) is refused: a rename would replace it. A device,
 * pipe or socket (`/dev/null`, `/dev/stdout`) is written to as it is.
 */
export async function writeAtomic(file: string, content: string | Uint8Array): Promise<void> {
  // `stat` follows symbolic links: what `file` is, read once (the file a link points to).
  const kind = await stat(file).catch(() => undefined);
  // A device, a pipe or a socket (`-o /dev/null`, `-o /dev/stdout`) is written to, never replaced.
  if (kind !== undefined && !kind.isFile() && !kind.isDirectory()) return writeInPlace(file, content, false);
  const target = await realpath(file).catch(() => file);
  const existing = kind?.isFile() ? kind : undefined;
  if (existing !== undefined && ((existing.mode & 0o222) === 0 || !(await access(target, constants.W_OK).then(() => true, () => false)))) {
    throw new Error('it is read-only');
  }
  if (existing !== undefined && existing.nlink > 1) return writeInPlace(target, content);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    if (existing !== undefined) await chmod(temp, existing.mode & 0o7777);
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw new Error(whyNotWritten(e, target));
  }
}

/** Overwrite a file where it is (a hard-linked file: its old content put back when the write fails; a device or pipe: as it comes). */
async function writeInPlace(target: string, content: string | Uint8Array, restore = true): Promise<void> {
  const old = restore ? await readFile(target) : undefined;
  try {
    await writeFile(target, content);
  } catch (e) {
    if (old !== undefined) await writeFile(target, old).catch(() => undefined);
    throw new Error(whyNotWritten(e, target));
  }
}

/**
 * Is `file` one of `inputs`: the same file, also through a symbolic link or another hard link?
 * An output must never overwrite what was read.
 */
export function isOneOf(file: string, inputs: Iterable<string>): boolean {
  const identity = (f: string) => {
    try {
      const s = statSync(f);
      return `${s.dev}:${s.ino}`;
    } catch {
      try {
        return realpathSync.native(f);
      } catch {
        return resolve(f);
      }
    }
  };
  const target = identity(file);
  for (const input of inputs) if (identity(input) === target) return true;
  return false;
}

/** Why `file` could not be written, in words (not the temporary file's name an errno message carries). */
function whyNotWritten(e: unknown, file: string): string {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `its folder ${dirname(file)} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${dirname(file)}`;
    case 'EISDIR':
      return 'it is a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return (e as Error)?.message ?? String(e);
  }
}
