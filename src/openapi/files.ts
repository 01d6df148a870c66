import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
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

/**
 * Reads each file from disk once and hands out that text after: a command that loads a spec twice
 * (the CLI's export, then the lint of what it ships) reads every file once and sees one version of it.
 */
export class ReadOnceFileSource extends FileSource {
  private readonly texts = new Map<string, string | Error>();

  override read(path: string): string | Error {
    const abs = resolve(path);
    let text = this.texts.get(abs);
    if (text === undefined) this.texts.set(abs, (text = super.read(abs)));
    return text;
  }
}

/** A spec file from disk: its text (encoding.ts), the encoding to write it back in and the bytes read; an Error saying why not. */
export function readSpecFile(path: string): { text: string; encoding: SpecEncoding; bytes: Buffer } | Error {
  const abs = resolve(path);
  const bytes = readRegularFile(abs);
  if (bytes instanceof Error) return bytes;
  const encoding = encodingOf(bytes, abs);
  return encoding instanceof Error ? encoding : { text: decodeSpec(bytes, encoding), encoding, bytes };
}

/** A UTF-8 text file Headroom reads beside specs (a baseline, a ruleset), without the byte order mark an editor may add. */
export function readTextFile(abs: string): string | Error {
  const bytes = readRegularFile(abs);
  return bytes instanceof Error ? bytes : bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * The most Headroom reads from one file: far above any real spec (Microsoft Graph's, among the
 * largest public ones, is about 35 MB; a 50 MB spec lints in seconds), far below what would
 * exhaust the memory of an editor's language server.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The bytes of the regular file at `abs` (symbolic links followed), or an Error saying why not:
 * a FIFO, a socket or a device (`/dev/zero`) would block or never end, and a file over
 * MAX_FILE_BYTES would exhaust memory. Opened without blocking (a FIFO with no writer would
 * block the open itself), then checked on the open descriptor, so what is read is what was checked.
 */
export function readRegularFile(abs: string): Buffer | Error {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return new Error(describeIoError(e, abs));
  }
  try {
    const stat = fstatSync(fd);
    // Opening a folder read-only succeeds: it is refused here, in the words of a failed read.
    if (stat.isDirectory()) return new Error(describeIoError({ code: 'EISDIR' }, abs));
    if (!stat.isFile()) return new Error(`not a regular file (a pipe, socket or device): ${abs}`);
    if (stat.size > MAX_FILE_BYTES) return new Error(`too large: ${abs} is ${Math.round(stat.size / 2 ** 20)} MiB, over the ${MAX_FILE_BYTES / 2 ** 20} MiB Headroom reads`);
    return readFileSync(fd);
  } catch (e) {
    return new Error(describeIoError(e, abs));
  } finally {
    closeSync(fd);
  }
}

export function describeIoError(e: unknown, path: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `file not found: ${path}`;
  if (code === 'EISDIR') return `is a directory, not a file: ${path}`;
  if (code === 'EACCES') return `permission denied: ${path}`;
  return `cannot read ${path}: ${(e as Error)?.message ?? String(e)}`;
}
