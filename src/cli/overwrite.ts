/**
 * What `-o FILE` may replace without asking: no file yet, an empty one, a device or a pipe, or a
 * file the same command wrote before (its own mark in its first bytes). Anything else — a
 * hand-written gateway config, the `.spectral.yaml` the run just read, notes — is the user's: the
 * command refuses in one line instead of replacing it.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ExportIoError } from './export';

export function refuseForeign(file: string, shown: string, mine: RegExp, what: string): void {
  let head: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size === 0) return;
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // none yet
    // It exists, but what it holds cannot be told: not replaced either.
    throw new ExportIoError(`not writing ${shown}: it exists and cannot be read to tell whether it is ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); remove it or choose another file`);
  }
  if (!mine.test(head)) throw new ExportIoError(`not writing ${shown}: it exists and is not ${what}; remove it or choose another file`);
}
