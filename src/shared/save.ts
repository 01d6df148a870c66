/**
 * Saving an export: where it goes, and an atomic write (temp file + rename).
 * Dependency-free: the VS Code client bundles it.
 */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';

/**
 * Where the export of `specPath` is saved under `fileName` (the server's `defaultFileName`): in
 * `outputDir` when set (relative to `baseDir`, e.g. the workspace folder), else next to the spec.
 */
export function outputPath(specPath: string, fileName: string, outputDir = '', baseDir = dirname(specPath)): string {
  const dir = outputDir.trim() === '' ? dirname(specPath) : isAbsolute(outputDir) ? outputDir : join(baseDir, outputDir);
  return join(dir, fileName);
}

/** Write `text` to `file` so readers see the old content or the new, never a part. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw new Error(whyNotWritten(e, file));
  }
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
