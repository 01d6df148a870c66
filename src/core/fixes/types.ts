/** The shapes of quick fixes: text edits per file, named fixes, and what a document format must do to take them. */
import type { TextEdit } from './text';

export type JsonPath = (string | number)[];

/** A plain JSON-like value a fix inserts (objects keep their key order). */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** Edits per absolute file path. */
export type FileEdits = Map<string, TextEdit[]>;

export interface Fix {
  /** What the editor shows, e.g. "Add a 429 response (TooManyRequests)". */
  title: string;
  rule: string;
  /** `fix` changes the contract; `suppress` writes an `x-lint-ignore`. */
  kind: 'fix' | 'suppress';
  /** The obvious fix for the finding (applied by fix-all, marked preferred in the editor). */
  preferred: boolean;
  edits: FileEdits;
}

/**
 * Where a new key goes among a mapping's existing keys: first, last, or by `rank` next to its
 * closest ranked neighbour (after the one before it; `prefer: 'successor'`: before the one after it).
 * Keys without a rank are passed over.
 */
export type KeyOrder = 'first' | 'end' | { rank: (key: string) => number | undefined; prefer?: 'successor' };

/** One format's view of a parsed document: its data, and edits rendered in the file's own style. */
export interface Backend {
  readonly format: 'yaml' | 'json';
  readonly text: string;
  /** Parsed data (plain JSON values). */
  readonly data: unknown;
  /** The kind of node at a path, following nothing (`$ref`s are plain mappings here). */
  kindAt(path: JsonPath): 'map' | 'seq' | 'scalar' | 'null' | undefined;
  /** Keys of the mapping at `path`, in document order. */
  keysAt(path: JsonPath): string[];
  /** Insert pairs into the mapping at `path`, before its `index`th pair (== length: at the end). */
  insertPairs(path: JsonPath, index: number, entries: [string, Value][]): TextEdit;
  /** Append items to the sequence at `path`. */
  appendItems(path: JsonPath, items: Value[]): TextEdit;
  /** Replace the scalar (or empty value) at `path`. */
  replaceValue(path: JsonPath, value: Value): TextEdit;
}

export class FixNotApplicable extends Error {}
