/**
 * How a spec file's bytes become text, and the text bytes again. YAML allows UTF-16 (with a byte
 * order mark) and editors save it: VS Code opens such a file by its mark, so the CLI and the
 * server's reads from disk decode it the same way, or their findings would describe a different
 * text than the one the user sees. UTF-32 is refused in one line. Without a mark, bytes are UTF-8,
 * as VS Code reads them. The mark stays the text's first character (U+FEFF), as it does when UTF-8
 * is read: the parsers' input drops it (document.ts).
 */
export type SpecEncoding = 'utf8' | 'utf16le' | 'utf16be';

/** The encoding the byte order mark names, UTF-8 without one; an Error for UTF-32. */
export function encodingOf(bytes: Uint8Array, path: string): SpecEncoding | Error {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    return new Error(`${path} is UTF-32 (its byte order mark says so); save it as UTF-8 or UTF-16`);
  }
  if (a === 0xff && b === 0xfe) return 'utf16le';
  if (a === 0xfe && b === 0xff) return 'utf16be';
  return 'utf8';
}

export function decodeSpec(bytes: Buffer, encoding: SpecEncoding): string {
  if (encoding === 'utf8') return bytes.toString('utf8');
  if (encoding === 'utf16le') return bytes.toString('utf16le');
  const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return swapped.swap16().toString('utf16le');
}

export function encodeSpec(text: string, encoding: SpecEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  return encoding === 'utf16le' ? le : le.swap16();
}
