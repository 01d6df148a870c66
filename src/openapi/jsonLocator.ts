/**
 * Ranges of JSON nodes without building a syntax tree. `JSON.parse` gives the data (8× faster than
 * a range-keeping parser on Stripe's 2.5 MB spec); this scanner then reads the text once (a plain
 * loop: the text is known to be valid JSON), keeping positions only for the paths findings point
 * at, and counts properties so duplicate keys (which `JSON.parse` silently merges) are noticed. Ranges match Spectral's JSON parser: the node at the
 * path, or the deepest ancestor found (`closest`), from its first to one past its last character.
 */
import type { Range } from '../shared/types';

type Segment = string | number;

interface TrieNode {
  children?: Map<string, TrieNode>;
  range?: Range;
}

/** The key Spectral's JSON locator compares a path segment with (integer-like segments become numbers first). */
export function locatorKey(segment: Segment): string {
  const n = Number(segment);
  return Number.isInteger(n) ? String(n) : String(segment);
}

export interface JsonScan {
  /** Range for each requested path (closest ancestor when the path does not exist). */
  ranges: (Range | undefined)[];
  /** Properties the text holds (more than the parsed data has keys means a duplicate key). */
  properties: number;
}

export function scanJson(text: string, paths: readonly (readonly Segment[])[]): JsonScan {
  const root: TrieNode = {};
  for (const path of paths) {
    let node = root;
    for (const seg of path) {
      const key = locatorKey(seg);
      node.children ??= new Map();
      let next = node.children.get(key);
      if (next === undefined) {
        next = {};
        node.children.set(key, next);
      }
      node = next;
    }
  }

  // One pass over text that JSON.parse has accepted (so it is strict JSON), iterative (any depth).
  // Lines end at \n, \r or \r\n and characters are UTF-16 units, as in jsonc-parser, which
  // Spectral's JSON ranges come from.
  interface Frame {
    trie: TrieNode | undefined;
    array: boolean;
    index: number;
    /** Trie node of the value after the current property key. */
    pending: TrieNode | undefined;
    startLine: number;
    startChar: number;
  }
  const stack: Frame[] = [];
  let properties = 0;
  let line = 0;
  let lineStart = 0;
  let rootUsed = false;
  const nextValue = (): TrieNode | undefined => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (rootUsed) return undefined;
      rootUsed = true;
      return root;
    }
    if (parent.array) return parent.trie?.children?.get(String(parent.index++));
    const t = parent.pending;
    parent.pending = undefined;
    return t;
  };
  const stringEnd = (i: number): number => jsonStringEnd(text, i);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 10: // \n
        line++;
        lineStart = ++i;
        continue;
      case 13: // \r, or \r\n
        i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
        lineStart = i;
        continue;
      case 32:
      case 9:
      case 44: // ,
        i++;
        continue;
      case 123: // {
      case 91: // [
        stack.push({ trie: nextValue(), array: c === 91, index: 0, pending: undefined, startLine: line, startChar: i - lineStart });
        i++;
        continue;
      case 125: // }
      case 93: {
        // ]
        const frame = stack.pop();
        if (frame?.trie) frame.trie.range = { start: { line: frame.startLine, character: frame.startChar }, end: { line, character: i - lineStart + 1 } };
        i++;
        continue;
      }
      case 34: {
        // " : a key when a ':' follows, else a string value
        const end = stringEnd(i);
        const parent = stack[stack.length - 1];
        if (colonFollows(text, end) && parent !== undefined && !parent.array) {
          properties++;
          const raw = text.slice(i + 1, end - 1);
          const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
          parent.pending = parent.trie?.children?.get(key);
          i = end; // the ':' and the blanks before it are the main loop's
          continue;
        }
        const t = nextValue();
        if (t) t.range = { start: { line, character: i - lineStart }, end: { line, character: end - lineStart } };
        i = end;
        continue;
      }
      case 58: // : after a key
        i++;
        continue;
      default: {
        // number, true, false, null
        let j = i + 1;
        while (j < n) {
          const w = text.charCodeAt(j);
          if (w === 44 || w === 125 || w === 93 || w === 32 || w === 9 || w === 10 || w === 13) break;
          j++;
        }
        const t = nextValue();
        if (t) t.range = { start: { line, character: i - lineStart }, end: { line, character: j - lineStart } };
        i = j;
      }
    }
  }

  const ranges = paths.map((path) => {
    let node: TrieNode | undefined = root;
    let found = root.range;
    for (const seg of path) {
      node = node?.children?.get(locatorKey(seg));
      if (node?.range === undefined) break;
      found = node.range;
    }
    return found;
  });
  return { ranges, properties };
}

/** Own keys in a parsed JSON tree (iterative: deep trees cannot overflow the stack). */
export function countKeys(data: unknown): number {
  let n = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    for (const k in v) {
      n++;
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return n;
}

/** Is the next character after `at` that is not a blank a `:` (the string before `at` a key)? */
export function colonFollows(text: string, at: number): boolean {
  let j = at;
  for (let w = text.charCodeAt(j); w === 32 || w === 9 || w === 10 || w === 13; w = text.charCodeAt(++j));
  return text.charCodeAt(j) === 58;
}

/** Index just past the JSON string whose opening quote is at `i`. */
export function jsonStringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q === -1) return text.length;
    let backslashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}
