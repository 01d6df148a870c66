/**
 * Re-parsing a large JSON document after an edit inside one scalar value or one key: typing in a
 * description, turning `"string"` into `"strin"`, `100` into `1000`, `"/users"` into
 * `"/userz"`. The new text is the old one with one string / number / `true` / `false` / `null`
 * token replaced by another such token (checked: everything before and after the token is the
 * same text, and the new token parses as one scalar; a key stays a string no other key of its
 * object has), so its data is the old data with that one value replaced, or that one key renamed
 * where it stands — the objects on its path copied, everything else shared — and its nodes are
 * where they were, shifted on the token's line after the token. Any other edit (a bracket, a
 * comma, a line break, whitespace) is parsed in full. On GitHub's 13 MB spec a full parse and
 * range scan cost ~200 ms per keystroke.
 */
import type { Range } from '../shared/types';
import { countKeys, locatorKey, scanJson } from './jsonLocator';
import { JsonWalk, Token } from './jsonWalk';

type Segment = string | number;

/** A parsed JSON document: its data, and the ranges of paths (undefined when a key is duplicated). */
export interface JsonParse {
  data: unknown;
  ranges(paths: readonly (readonly Segment[])[]): (Range | undefined)[] | undefined;
  /** Set when this data is `from` with one scalar replaced or one key renamed, nothing else. */
  readonly edit?: DataEdit;
}

/**
 * What an incremental re-parse did to the data `from`: replaced the scalar value at `path` by
 * another; or, with `key`, renamed the key `key.from` of the object at `path` to `key.to`, in
 * the same place among its keys, its value unchanged.
 */
export interface DataEdit {
  readonly from: unknown;
  readonly path: readonly Segment[];
  readonly key?: { readonly from: string; readonly to: string };
}

/** A JSON parse with its text, and whether the text repeats a key (undefined: not scanned yet). */
export interface LastParse extends JsonParse {
  readonly text: string;
  readonly duplicates: boolean | undefined;
  /** What tolerantJsonEdit.ts needs to know of the whole text (undefined: not found yet); an edit inside a value or of a key keeps it. */
  shape: TextShape | undefined;
}

/** How deep a JSON text nests, and whether a key of it reads `__proto__` (however escaped). */
export interface TextShape {
  readonly deepest: number;
  readonly protoKey: boolean;
}

/** Below this size a full parse is as fast as finding what changed. */
const MIN_INCREMENTAL = 256 * 1024;

/** The parse of one text, with the ranges found so far (by path key) and whether its keys are known unique. */
class Parsed implements JsonParse {
  /** Ranges of paths already located in this text (a path's key: its segments as a JSON array). */
  readonly known = new Map<string, Range | undefined>();
  /** Undefined until a scan says whether the text repeats a key (JSON.parse keeps the last). */
  duplicates: boolean | undefined;
  shape: TextShape | undefined;
  edit: DataEdit | undefined;

  constructor(
    readonly text: string,
    readonly data: unknown,
  ) {}

  ranges(paths: readonly (readonly Segment[])[]): (Range | undefined)[] | undefined {
    const keys = paths.map((p) => JSON.stringify(p.map(String)));
    if (this.duplicates === false && keys.every((k) => this.known.has(k))) return keys.map((k) => this.known.get(k));
    const scan = scanJson(this.text, paths);
    this.duplicates = scan.properties !== countKeys(this.data);
    if (this.duplicates) return undefined;
    keys.forEach((k, i) => this.known.set(k, scan.ranges[i]));
    return scan.ranges;
  }
}

/** Full parse; undefined when the text is not JSON. */
export function parseJsonFull(text: string): Parsed | undefined {
  try {
    return new Parsed(text, JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * The last parse of the few most recently linted large JSON documents (the ones being edited).
 * Bounded, so linting a whole workspace keeps only a few.
 */
export class JsonParseCache {
  private readonly entries = new Map<string, Parsed>();
  /** How many parses were incremental (the tests check the fast path is taken). */
  incremental = 0;

  constructor(private readonly capacity = 4) {}

  /** Undefined when the text is not JSON. */
  parse(file: string, text: string): JsonParse | undefined {
    if (text.length < MIN_INCREMENTAL) return parseJsonFull(text);
    const prev = this.entries.get(file);
    this.entries.delete(file);
    let parsed: Parsed | undefined;
    if (prev !== undefined && prev.text === text) parsed = prev;
    else if (prev !== undefined) {
      parsed = reparse(prev, text);
      if (parsed) this.incremental++;
    }
    parsed ??= parseJsonFull(text);
    if (parsed === undefined) {
      // Not JSON (a key or a bracket half typed): the last parse stays, so the key that undoes
      // the mistake, or an edit of a value from there, is not parsed in full again.
      if (prev !== undefined) this.entries.set(file, prev);
      return undefined;
    }
    this.entries.set(file, parsed);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return parsed;
  }

  /** The last parse of `file` that was JSON (kept while the text is not): what a broken text is read after (tolerantJsonEdit.ts). */
  last(file: string): LastParse | undefined {
    return this.entries.get(file);
  }

  forget(file: string): void {
    this.entries.delete(file);
  }
}

/** The new parse when `text` differs from `old.text` inside one scalar value or key token, else undefined. */
function reparse(old: Parsed, text: string): Parsed | undefined {
  const before = old.text;
  const prefix = commonPrefix(before, text);
  const suffix = commonSuffix(before, text, prefix);
  const oldEnd = before.length - suffix; // the old text changed in [prefix, oldEnd)
  const token = scalarAt(before, prefix);
  // A string's quotes stay; a number or literal may also grow or shrink at its end.
  if (token === undefined || oldEnd > token.last + (token.string ? 0 : 1)) return undefined;
  const delta = text.length - before.length;
  const raw = text.slice(token.start, token.last + delta + 1);
  if (token.string ? raw.length < 2 || raw.charCodeAt(0) !== 34 : !/^[-+.0-9a-zA-Z]+$/.test(raw)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (token.string ? typeof value !== 'string' : value !== null && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  let data: unknown;
  let edit: DataEdit;
  if (token.key !== undefined) {
    // Which of two equal keys JSON.parse keeps is not known without a scan, and `__proto__` is no plain key.
    const key = { from: token.key, to: value as string };
    // An integer-like key stands first among its object's keys, wherever it was written: a rename
    // to or from one moves it, which renaming where it stands does not.
    if (old.duplicates !== false || key.from === '__proto__' || key.to === '__proto__' || isArrayIndex(key.from) || isArrayIndex(key.to)) return undefined;
    data = renamed(old.data, token.path, key.from, key.to);
    edit = { from: old.data, path: token.path, key };
  } else {
    data = replaced(old.data, token.path, value);
    edit = { from: old.data, path: token.path };
  }
  if (data === undefined) return undefined;
  const parsed = new Parsed(text, data);
  parsed.duplicates = old.duplicates; // the same keys in the same objects (a renamed one is new there)
  parsed.shape = old.shape; // a scalar holds no bracket; no key is renamed to or from `__proto__`
  parsed.edit = edit;
  // Nodes keep their lines; on the token's line, whatever ends or starts after the token's first
  // character (nothing else starts inside it) moves by the change in its length.
  const after = token.start + 1 - token.lineStart;
  const move = (p: Range['start']) => (p.line === token.line && p.character >= after ? { line: p.line, character: p.character + delta } : p);
  const rename = edit.key && renamedPathKey(token.path, edit.key.from, edit.key.to);
  for (const [k, r] of old.known) {
    const moved = r === undefined ? undefined : { start: move(r.start), end: move(r.end) };
    if (rename === undefined) parsed.known.set(k, moved);
    else {
      // A path under the renamed key now ends where it ended under the old one; paths through
      // either key as they were written are scanned again (one that is gone now has the range
      // of its closest ancestor).
      const now = rename(k);
      if (now !== undefined) parsed.known.set(now, moved);
      else if (!touches(k, token.path, edit.key!)) parsed.known.set(k, moved);
    }
  }
  if (edit.key === undefined && token.path.every((seg) => typeof seg === 'number' || locatorKey(seg) === seg)) {
    // The edited value itself, which a finding about the edit points at: known without a scan
    // (unless a key on its path reads as a number the locator compares otherwise: "+1", "01").
    const column = token.start - token.lineStart;
    parsed.known.set(JSON.stringify(token.path.map(String)), { start: { line: token.line, character: column }, end: { line: token.line, character: column + raw.length } });
  }
  return parsed;
}

/**
 * The key of `known` (a path's segments as a JSON array of strings) for a path under `from` at
 * `at`, moved under `to`; undefined for other paths, and for all when a key reads as an integer
 * written otherwise (`01`, `1.0`: the locator compares such segments as numbers).
 */
function renamedPathKey(at: readonly Segment[], from: string, to: string): (known: string) => string | undefined {
  if (locatorKey(from) !== from || locatorKey(to) !== to) return () => undefined;
  const base = JSON.stringify(at.map(String)).slice(0, -1);
  const sep = at.length === 0 ? '' : ',';
  const old = `${base}${sep}${JSON.stringify(from)}`;
  const now = `${base}${sep}${JSON.stringify(to)}`;
  return (known) => (known === `${old}]` || known.startsWith(`${old},`) ? now + known.slice(old.length) : undefined);
}

/** Does the path keyed `known` go through a key at `at` that reads as `key.from` or `key.to` (integer-like keys compared as numbers)? */
function touches(known: string, at: readonly Segment[], key: { from: string; to: string }): boolean {
  const path = JSON.parse(known) as string[];
  if (path.length <= at.length || at.some((s, i) => String(s) !== path[i])) return false;
  const segment = locatorKey(path[at.length]);
  return segment === locatorKey(key.from) || segment === locatorKey(key.to);
}

/**
 * `data` with the value at `path` replaced, the containers on the way copied; undefined if the
 * path is not there, or goes through a key `__proto__` (assigned, it would set the copy's prototype).
 */
export function replaced(data: unknown, path: readonly Segment[], value: unknown): unknown {
  if (path.length === 0) return value;
  if (data === null || typeof data !== 'object') return undefined;
  const [head, ...rest] = path;
  if (head === '__proto__') return undefined;
  if (!Object.prototype.hasOwnProperty.call(data, head)) return undefined;
  const inner = replaced((data as Record<string, unknown>)[head as string], rest, value);
  if (inner === undefined) return undefined;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(data) ? data.slice() : { ...(data as Record<string, unknown>) };
  (copy as Record<string, unknown>)[head as string] = inner;
  return copy;
}

/** `data` with the key `from` of the object at `path` renamed `to` where it stands (`replaced` copies the way there); undefined if that object lacks `from` or has `to`. */
function renamed(data: unknown, path: readonly Segment[], from: string, to: string): unknown {
  let object: unknown = data;
  for (const segment of path) object = object !== null && typeof object === 'object' && Object.hasOwn(object, segment) ? (object as Record<string, unknown>)[segment as string] : undefined;
  // A key `__proto__` beside it would set the copy's prototype when the copy is built.
  if (object === null || typeof object !== 'object' || Array.isArray(object) || !Object.hasOwn(object, from) || Object.hasOwn(object, to) || Object.hasOwn(object, '__proto__')) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) out[k === from ? to : k] = v;
  return replaced(data, path, out);
}

interface Scalar {
  /** Set for a key: the key as it was (then `path` is the path of its object). */
  key?: string;
  /** Offset of its first character (the opening quote of a string). */
  start: number;
  /** Offset of its last character (the closing quote of a string). */
  last: number;
  string: boolean;
  path: Segment[];
  line: number;
  lineStart: number;
}

// Read once: a walk compares millions of tokens with them.
const { End: END, String: STRING, Scalar: SCALAR } = Token;

/**
 * The scalar token of valid JSON `text` that an edit starting at `at` falls in: after a string's
 * (or a key's) opening quote up to its closing one, or anywhere in (or just after) a number,
 * `true`, `false`, `null`. Undefined when `at` is elsewhere (punctuation, whitespace).
 */
function scalarAt(text: string, at: number): Scalar | undefined {
  const walk = new JsonWalk(text);
  while (walk.offset <= at) {
    const token = walk.next();
    if (token === END) break;
    const { start, end, line, lineStart } = walk;
    if (token === STRING && at > start && at < end) {
      // A key's object: the path to it (the object's own frame holds the key, not on the path).
      if (!walk.key) return { start, last: end - 1, string: true, path: walk.path(), line, lineStart };
      return { key: JSON.parse(text.slice(start, end)) as string, start, last: end - 1, string: true, path: walk.path(walk.stack.length - 1), line, lineStart };
    }
    if (token === SCALAR && at >= start && at <= end) return { start, last: end - 1, string: false, path: walk.path(), line, lineStart };
  }
  return undefined;
}

/** Does a key read as an array index (an integer below 2³² − 1, written plainly)? Objects list such keys first, in numeric order. */
export function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

const CHUNK = 4096;

export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common end of `a` and `b`, not reaching into their first `prefix` characters. */
export function commonSuffix(a: string, b: string, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  let k = 0;
  while (k + CHUNK <= n && a.slice(a.length - k - CHUNK, a.length - k) === b.slice(b.length - k - CHUNK, b.length - k)) k += CHUNK;
  while (k < n && a.charCodeAt(a.length - 1 - k) === b.charCodeAt(b.length - 1 - k)) k++;
  return k;
}
