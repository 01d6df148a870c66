/**
 * A JSON text that `JSON.parse` refuses (a quote or a bracket half typed, a comment, a trailing
 * comma), read as Spectral's JSON parser reads it, so the lean engine can lint it instead of
 * handing the whole lint to Spectral: on GitHub's 13 MB spec Spectral's parse alone takes
 * 1.3–2 s. Spectral reads JSON with @stoplight/json's `parseTree`: jsonc-parser's `visit` (the
 * version @stoplight/json pins, here as `jsonc-parser-stoplight`), whose events build a tree with
 * a range on each node, the data, and the syntax problems. This file builds the same three from
 * the same events, with the same options except that objects stay plain (as `JSON.parse` makes
 * them): the same recovered data, the same problems, worded as Spectral words them, and the same
 * ranges. The tree lives in flat number arrays, not one object per node and per range: on
 * GitHub's spec `parseTree`'s objects cost more to allocate and collect than the parse itself.
 * test/core/tolerantJson.test.ts holds it to `parseTree` on real specs broken at random.
 */
import { printParseErrorCode, visit } from 'jsonc-parser-stoplight';
import type { Range } from '../shared/types';
import { parserInput } from './document';

type Segment = string | number;

export interface TolerantJson {
  data: unknown;
  /** What Spectral reports about the text (its rule `parser`, Headroom's `parse`), in its order. */
  problems: { message: string; range: Range }[];
  /**
   * Ranges of these paths (closest existing ancestor), as Spectral's Document gives them:
   * undefined where the parser's recovery left the node without a range (Spectral places such a
   * finding at the document's start).
   */
  ranges(paths: readonly (readonly Segment[])[]): (Range | undefined)[];
}

/**
 * Undefined where the lean engine would not see what Spectral sees: a duplicate key (Spectral
 * keeps key order and reports it), a `__proto__` key (a plain object takes it as its
 * prototype), or a text the full parser is given changed (a byte order mark, lone carriage
 * returns, nesting it bounds).
 */
export function parseTolerantJson(text: string): TolerantJson | undefined {
  if (!readsAsGiven(text)) return undefined;
  const read = readAsSpectral(text);
  if (read.duplicateKey || read.protoKey) return undefined;
  return {
    data: read.data,
    problems: read.problems,
    ranges: (paths) => paths.map((p) => read.tree.rangeOf(p)),
  };
}

/**
 * Is `text` what the full engine's parser is given (no BOM, no lone CR, no nesting it bounds), without a `__proto__` key?
 * Without `nesting`, the depth is not looked at (tolerantJsonEdit.ts knows it otherwise).
 */
export function readsAsGiven(text: string, nesting = true): boolean {
  if (text.includes('"__proto__"')) return false;
  const input = parserInput(text, 'json', nesting);
  return input.problems.length === 0 && input.text === text;
}

/** One container's text (`{…}` or `[…]`) read as in a whole document (tolerantJsonEdit.ts). */
export interface ContainerRead {
  data: unknown;
  problems: TolerantJson['problems'];
  /** Ranges relative to the container's text, as `TolerantJson.ranges`. */
  rangeOf(path: readonly Segment[]): Range | undefined;
}

/**
 * `text`, a container with whatever syntax errors inside, read as Spectral reads it; undefined
 * unless the parse closes it with its last character and leaves the tree where it began (no
 * property left open inside): then, met inside a whole document, the parser emits the same
 * events for it, and everything before and after is read as if it were not there.
 */
export function readContainerAsSpectral(text: string): ContainerRead | undefined {
  const read = readAsSpectral(text);
  if (!read.closed || read.duplicateKey || read.protoKey) return undefined;
  return { data: read.data, problems: read.problems, rangeOf: (p) => read.tree.rangeOf(p) };
}

/** The tree's kinds of node; a property's first child is its key, the rest (normally one) its value. */
const enum Kind {
  Object,
  Array,
  Property,
  Key,
  Literal,
}

/** A node has a range unless it is a property or a key, as in `parseTree`. */
const hasRange = (kind: Kind) => kind !== Kind.Property && kind !== Kind.Key;
/** The nodes `parseTree` gives a children array. */
const hasChildren = (kind: Kind) => kind === Kind.Object || kind === Kind.Array || kind === Kind.Property;

/** `parseTree`'s nodes, flat: node n's fields at index n of each array. */
class Tree {
  kind: Uint8Array;
  parent: Int32Array;
  firstChild: Int32Array;
  lastChild: Int32Array;
  nextSibling: Int32Array;
  childCount: Int32Array;
  /** Range: start line, start character, end line, end character. */
  range: Int32Array;
  /** A key node's text ('' for other nodes: the array stays dense). */
  keys: string[] = [];
  size = 0;
  /**
   * Where paths start: as in `parseTree`, the first child of the node current when the parse
   * ended. That is the document's value, unless the recovery left a property open (`{"a": }`):
   * then it is inside the document, and no path has a range.
   */
  root = -1;

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.parent = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.lastChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.childCount = new Int32Array(capacity);
    this.range = new Int32Array(capacity * 4);
  }

  /** A new last child of `parent` (-1: the pseudo-root's), its range `length` wide. */
  add(parent: number, kind: Kind, line: number, character: number, length: number, key = ''): number {
    if (this.size === this.kind.length) this.grow();
    const n = this.size++;
    this.keys.push(key);
    this.kind[n] = kind;
    this.parent[n] = parent;
    this.firstChild[n] = -1;
    this.lastChild[n] = -1;
    this.nextSibling[n] = -1;
    this.childCount[n] = 0;
    const r = n * 4;
    this.range[r] = line;
    this.range[r + 1] = character;
    this.range[r + 2] = line;
    this.range[r + 3] = character + length;
    if (parent >= 0) {
      if (this.lastChild[parent] === -1) this.firstChild[parent] = n;
      else this.nextSibling[this.lastChild[parent]] = n;
      this.lastChild[parent] = n;
      this.childCount[parent]++;
    }
    return n;
  }

  private grow(): void {
    const capacity = this.kind.length * 2;
    const bigger = <T extends Uint8Array | Int32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.kind = bigger(this.kind, capacity);
    this.parent = bigger(this.parent, capacity);
    this.firstChild = bigger(this.firstChild, capacity);
    this.lastChild = bigger(this.lastChild, capacity);
    this.nextSibling = bigger(this.nextSibling, capacity);
    this.childCount = bigger(this.childCount, capacity);
    this.range = bigger(this.range, capacity * 4);
  }

  /**
   * Whether `parseTree` (`ignoreDuplicateKeys: false`) reports a duplicate key: it checks each new
   * property against the keys its object took since its begin, and an object takes properties only
   * while it is the current node, so that is two properties of one object with the same key.
   */
  hasDuplicateKey(): boolean {
    const seen = new Set<string>();
    for (let n = 0; n < this.size; n++) {
      if (this.kind[n] !== Kind.Object || this.childCount[n] < 2) continue;
      seen.clear();
      for (let c = this.firstChild[n]; c !== -1; c = this.nextSibling[c]) {
        if (this.kind[c] !== Kind.Property) continue;
        const key = this.keys[this.firstChild[c]];
        if (seen.has(key)) return true;
        seen.add(key);
      }
    }
    return false;
  }

  /**
   * `getLocationForJsonPath(ast, path, true)`: the node at `path`, else its closest existing
   * ancestor, walked as @stoplight/json walks it (a segment that reads as an integer is an index,
   * a property is taken only with exactly a key and a value), and that node's range.
   */
  rangeOf(path: readonly Segment[]): Range | undefined {
    if (this.root === -1) return undefined;
    let node = this.root;
    walk: for (const segment of path) {
      const asNumber = Number(segment);
      const s: Segment = Number.isInteger(asNumber) ? asNumber : segment;
      const kind = this.kind[node] as Kind;
      if (typeof s === 'string' || kind !== Kind.Array) {
        if (kind !== Kind.Object) break;
        const key = String(s);
        for (let c = this.firstChild[node]; c !== -1; c = this.nextSibling[c]) {
          if (!hasChildren(this.kind[c]) || this.childCount[c] !== 2) continue;
          const first = this.firstChild[c];
          if (this.kind[first] === Kind.Key && this.keys[first] === key) {
            node = this.nextSibling[first];
            continue walk;
          }
        }
        break;
      }
      if (s < 0 || s >= this.childCount[node]) break;
      if (!Number.isInteger(s)) return undefined; // @stoplight/json finds no child at a fraction
      let c = this.firstChild[node];
      for (let i = 0; i < s; i++) c = this.nextSibling[c];
      node = c;
    }
    if (!hasRange(this.kind[node])) return undefined;
    const r = node * 4;
    return { start: { line: this.range[r], character: this.range[r + 1] }, end: { line: this.range[r + 2], character: this.range[r + 3] } };
  }
}

interface Read {
  data: unknown;
  problems: { message: string; range: Range }[];
  duplicateKey: boolean;
  /** A key that reads `__proto__` once its escapes are decoded (`"\u005f_proto__"`). */
  protoKey: boolean;
  tree: Tree;
  /** The document's value is a container closed by the text's last character, and the tree is back at its pseudo-root. */
  closed: boolean;
}

/**
 * The events of jsonc-parser's `visit`, taken as `parseTree` takes them (with
 * `ignoreDuplicateKeys: false`): each moves the current node and the current container the same
 * way, including on the paths its error recovery takes (a property left open by a missing value
 * stays the current node until a comma or a value closes it).
 */
function readAsSpectral(text: string): Read {
  const tree = new Tree(Math.max(16, text.length >> 4));
  const problems: Read['problems'] = [];
  /** The current node; -1 is the pseudo-root (an array holding the document's value). */
  let node = -1;
  const root: unknown[] = [];
  let container: Record<string, unknown> | unknown[] = root;
  let key: string | null = null;
  let protoKey = false;
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const kindOf = (n: number) => (n === -1 ? Kind.Array : (tree.kind[n] as Kind));
  const parentOf = (n: number) => (n === -1 ? -1 : tree.parent[n]);

  const closeProperty = () => {
    if (kindOf(node) === Kind.Property) node = parentOf(node);
  };
  const put = (value: unknown) => {
    if (Array.isArray(container)) container.push(value);
    else if (key !== null) container[key] = value;
  };
  const open = (value: Record<string, unknown> | unknown[]) => {
    put(value);
    containers.push(container);
    container = value;
    key = null;
  };
  let closedAt = -1;
  const end = (offset: number, line: number, character: number, length: number) => {
    if (node === 0) closedAt = length === 1 ? offset : -1;
    if (node !== -1 && hasRange(tree.kind[node])) {
      tree.range[node * 4 + 2] = line;
      tree.range[node * 4 + 3] = character + length;
    }
    node = parentOf(node);
    closeProperty();
    container = containers.pop() as Record<string, unknown> | unknown[];
  };

  visit(text, {
    onObjectBegin: (_offset, length, line, character) => {
      node = tree.add(node, Kind.Object, line, character, length);
      open({});
    },
    onObjectProperty: (name, _offset, length, line, character) => {
      node = tree.add(node, Kind.Property, line, character, 0);
      tree.add(node, Kind.Key, line, character, length, name);
      if (name === '__proto__') protoKey = true;
      key = name;
    },
    onObjectEnd: (offset, length, line, character) => end(offset, line, character, length),
    onArrayBegin: (_offset, length, line, character) => {
      node = tree.add(node, Kind.Array, line, character, length);
      open([]);
    },
    onArrayEnd: (offset, length, line, character) => end(offset, line, character, length),
    onLiteralValue: (value, _offset, length, line, character) => {
      tree.add(node, Kind.Literal, line, character, length);
      closeProperty();
      put(value);
    },
    onSeparator: (separator) => {
      if (separator === ',') closeProperty();
    },
    onError: (error, _offset, length, line, character) => {
      problems.push({ message: spectralWording(printParseErrorCode(error)), range: { start: { line, character }, end: { line, character: character + length } } });
    },
  });
  tree.root = node === -1 ? (tree.size > 0 ? 0 : -1) : tree.firstChild[node];
  const closed = node === -1 && containers.length === 0 && closedAt === text.length - 1 && tree.kind[0] !== Kind.Literal;
  return { data: root[0], problems, duplicateKey: tree.hasDuplicateKey(), protoKey, tree, closed };
}

/** A parser error code as Spectral words it: `UnexpectedEndOfString` → `Unexpected end of string`. */
function spectralWording(message: string): string {
  return message.replace(/^[a-z]/, (c) => c.toUpperCase()).replace(/([a-z])([A-Z])/g, (_m, end: string, start: string) => `${end} ${start.toLowerCase()}`);
}
