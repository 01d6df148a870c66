import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeSpec, encodingOf, type SpecEncoding } from './encoding';

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
    const read = readSpecFile(abs);
    return read instanceof Error ? read : read.text;
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

/** A spec file from disk: its text (encoding.ts) and the encoding to write it back in; an Error saying why not. */
export function readSpecFile(path: string): { text: string; encoding: SpecEncoding } | Error {
  const abs = resolve(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    return new Error(describeIoError(e, abs));
  }
  const encoding = encodingOf(bytes, abs);
  return encoding instanceof Error ? encoding : { text: decodeSpec(bytes, encoding), encoding };
}

export function describeIoError(e: unknown, path: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `file not found: ${path}`;
  if (code === 'EISDIR') return `is a directory, not a file: ${path}`;
  if (code === 'EACCES') return `permission denied: ${path}`;
  return `cannot read ${path}: ${(e as Error)?.message ?? String(e)}`;
}
