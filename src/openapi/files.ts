import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the engine reads documents from. The editor puts unsaved buffers in the overlay so the
 * text being edited is what gets linted; the CLI reads the disk only.
 */
export class FileSource {
  private readonly overlay = new Map<string, string>();

  /** Text of `path`, or an Error saying why it cannot be read. */
  read(path: string): string | Error {
    const abs = resolve(path);
    const open = this.overlay.get(abs);
    if (open !== undefined) return open;
    try {
      return readFileSync(abs, 'utf8');
    } catch (e) {
      return new Error(describeIoError(e, abs));
    }
  }

  /** Size in bytes (overlay first) or undefined when missing. */
  size(path: string): number | undefined {
    const abs = resolve(path);
    const open = this.overlay.get(abs);
    if (open !== undefined) return Buffer.byteLength(open);
    try {
      return statSync(abs).size;
    } catch {
      return undefined;
    }
  }

  setOverlay(path: string, text: string): void {
    this.overlay.set(resolve(path), text);
  }

  clearOverlay(path: string): void {
    this.overlay.delete(resolve(path));
  }
}

export function describeIoError(e: unknown, path: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `file not found: ${path}`;
  if (code === 'EISDIR') return `is a directory, not a file: ${path}`;
  if (code === 'EACCES') return `permission denied: ${path}`;
  return `cannot read ${path}: ${(e as Error)?.message ?? String(e)}`;
}
