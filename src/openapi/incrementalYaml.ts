/**
 * Re-parse of a YAML document after a small edit, for the language server: when the edit lies
 * inside one block entry (`key:` followed by a collection), only that entry's lines are parsed
 * again; its syntax tree replaces the old one, later positions shift by the edit's length, and the
 * data is copied only along the path to the entry. On OpenAI's 3 MB spec a keystroke costs a few
 * milliseconds of parsing instead of ≈ 0.3–0.5 s.
 *
 * The result must equal a full parse of the new text (test/core/incrementalYaml.test.ts checks data
 * and ranges against one on random edits), so anything that could make the entry's meaning depend
 * on text outside it, or the text outside on it, takes the full parse: anchors, aliases and merge
 * keys in its lines, an alias anywhere in the document (it may copy an ancestor of the entry), a
 * key that does not start its line, document markers, tabs, any parser diagnostic, an entry whose
 * re-parse does not come back as the same single key spanning the same text.
 */
import { determineScalarType, Kind, parseYamlBigInteger, parseYamlBoolean, parseYamlFloat, ScalarType } from '@stoplight/yaml-ast-parser';
import { parseWithPointers } from '@stoplight/yaml';
import { withMergePrecedence } from './mergeKeys';

export type YamlParse = ReturnType<typeof parseWithPointers<unknown>>;

export const YAML_OPTIONS = { ignoreDuplicateKeys: false, mergeKeys: true, preserveKeyOrder: false, attachComments: false } as const;

/** Documents smaller than this are parsed whole (it takes less than the bookkeeping). */
const MIN_INCREMENTAL = 64 * 1024;

export function parseYamlFull(text: string): YamlParse {
  return withMergePrecedence(text, parseWithPointers<unknown>(text, YAML_OPTIONS), (t) => parseWithPointers<unknown>(t, YAML_OPTIONS));
}

/**
 * The last parse of the few most recently linted large documents (the ones being edited), to
 * re-parse the next version incrementally. Bounded, so linting a whole workspace keeps only a few.
 */
export class YamlParseCache {
  /** `aliases`: the text has an alias (`*name`, `<<: *name`) somewhere, which may copy an ancestor of any entry. */
  private readonly entries = new Map<string, { text: string; parsed: YamlParse; aliases: boolean }>();

  constructor(private readonly capacity = 4) {}

  parse(file: string, text: string): YamlParse {
    if (text.length < MIN_INCREMENTAL) return parseYamlFull(text);
    const prev = this.entries.get(file);
    this.entries.delete(file);
    let parsed: YamlParse | undefined = prev !== undefined && prev.text === text ? prev.parsed : undefined;
    // An alias of an ancestor of the edited entry (`Base: &base` above it, `*base` elsewhere)
    // repeats the entry's old value: a document with aliases is parsed in full.
    if (parsed === undefined && prev !== undefined && !prev.aliases) {
      try {
        parsed = reparse(prev.text, prev.parsed, text);
      } catch {
        parsed = undefined;
      }
    }
    // A re-parsed entry holds no alias (reparse refuses one): the text has the aliases it had.
    const aliases = parsed !== undefined && prev !== undefined ? prev.aliases : undefined;
    parsed ??= parseYamlFull(text);
    this.entries.set(file, { text, parsed, aliases: aliases ?? hasAlias(parsed.ast) });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return parsed;
  }

  forget(file: string): void {
    this.entries.delete(file);
  }
}

type Node = any;

/** Does the syntax tree hold an alias (a merge key's too)? Iterative: a tree may nest deeper than the stack. */
function hasAlias(ast: Node): boolean {
  const stack: Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    if (node.kind === Kind.ANCHOR_REF) return true;
    pushChildren(node, stack);
  }
  return false;
}

const RISKY = /[&*]|<<|\t|^(---|\.\.\.)/m;

/** The new parse, or undefined when only a full parse can be trusted. */
export function reparse(oldText: string, old: YamlParse, text: string): YamlParse | undefined {
  if (old.diagnostics.length > 0 || !old.ast || old.ast.kind !== Kind.MAP) return undefined;
  // The changed window: [start, oldEnd) in the old text became [start, newEnd) in the new one.
  const min = Math.min(oldText.length, text.length);
  let start = 0;
  while (start < min && oldText.charCodeAt(start) === text.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < min - start && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const oldEnd = oldText.length - suffix;
  const newEnd = text.length - suffix;
  const delta = text.length - oldText.length;

  // The deepest `key: <collection>` entry whose value holds the whole change, its key first on its line.
  let entry: Node | undefined;
  const spine: Node[] = [];
  let node: Node = old.ast;
  for (;;) {
    const children: Node[] = node.kind === Kind.MAP ? node.mappings : node.kind === Kind.SEQ ? node.items : [];
    const next = children.find((c: Node) => c !== null && c.startPosition <= start && oldEnd <= c.endPosition);
    if (next === undefined) break;
    if (next.kind === Kind.MAPPING) {
      const v = next.value;
      if (v === null || v.startPosition > start || (v.kind !== Kind.MAP && v.kind !== Kind.SEQ)) break;
      if (next.key.endPosition >= start) break;
      spine.push(next);
      if (keyStartsLine(oldText, next.key.startPosition)) entry = next;
      node = v;
    } else if (next.kind === Kind.MAP || next.kind === Kind.SEQ) {
      spine.push(next);
      node = next;
    } else break;
  }
  if (entry === undefined) return undefined;
  const spineToEntry = spine.slice(0, spine.indexOf(entry) + 1);

  const sliceStart = lineStart(oldText, entry.key.startPosition);
  const oldSliceEnd = entry.endPosition;
  const newSliceEnd = oldSliceEnd + delta;
  if (newSliceEnd < newEnd) return undefined;
  const oldSlice = oldText.slice(sliceStart, oldSliceEnd);
  const newSlice = text.slice(sliceStart, newSliceEnd);
  if (RISKY.test(oldSlice) || RISKY.test(newSlice)) return undefined;

  // The entry's tree, data and diagnostics, from a parse of its lines alone.
  const sliceParsed = parseWithPointers<any>(newSlice, YAML_OPTIONS);
  if (sliceParsed.diagnostics.length > 0) return undefined;
  const sliceAst: Node = sliceParsed.ast;
  if (!sliceAst || sliceAst.kind !== Kind.MAP || sliceAst.mappings.length !== 1 || (sliceAst.errors?.length ?? 0) > 0) return undefined;
  const fresh: Node = sliceAst.mappings[0];
  if (fresh.key?.kind !== Kind.SCALAR || fresh.key.value !== entry.key.value || fresh.key.rawValue !== entry.key.rawValue) return undefined;
  if (fresh.value === null || fresh.value.kind !== entry.value.kind) return undefined;
  if (fresh.startPosition + sliceStart !== entry.startPosition || fresh.endPosition + sliceStart !== newSliceEnd) return undefined;
  if (fresh.value.endPosition + sliceStart !== entry.value.endPosition + delta) return undefined;
  const key = keyString(entry.key);
  if (!isPlainObject(sliceParsed.data) || !Object.hasOwn(sliceParsed.data, key) || Object.keys(sliceParsed.data).length !== 1) return undefined;

  // Data: copy the containers on the way to the entry, put the new value in.
  const dataPath: (string | number)[] = [];
  for (let i = 0; i < spineToEntry.length; i++) {
    const n = spineToEntry[i];
    if (n.kind === Kind.MAPPING) dataPath.push(keyString(n.key));
    else {
      const parent = n.parent;
      if (parent?.kind !== Kind.SEQ) return undefined;
      dataPath.push(parent.items.indexOf(n));
    }
  }
  const data = replaceAt(old.data, dataPath, sliceParsed.data[key]);
  if (data === undefined) return undefined;

  // Syntax tree: later positions move by delta, the new entry takes the old one's place.
  shift(old.ast, entry, oldEnd, delta);
  shiftSubtree(fresh, sliceStart);
  const parent = entry.parent;
  parent.mappings[parent.mappings.indexOf(entry)] = fresh;
  fresh.parent = parent;

  return { ...old, data, lineMap: spliceLineMap(old.lineMap, text, start, oldEnd, delta), diagnostics: [] };
}

function keyStartsLine(text: string, pos: number): boolean {
  for (let i = pos - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32) return false;
  }
  return true;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** A mapping key as the parser's data has it (`200` → "200", `true` → "true", quoted as written). */
function keyString(key: Node): string {
  switch (determineScalarType(key)) {
    case ScalarType.null:
      return 'null';
    case ScalarType.bool:
      return String(parseYamlBoolean(key.value));
    case ScalarType.int:
      return String(parseYamlBigInteger(key.value));
    case ScalarType.float:
      return String(parseYamlFloat(key.value));
    default:
      return String(key.value);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function replaceAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root) && typeof head === 'number' && head >= 0 && head < root.length) {
    const inner = replaceAt(root[head], rest, value);
    if (inner === undefined) return undefined;
    const copy = root.slice();
    copy[head] = inner;
    return copy;
  }
  if (isPlainObject(root) && typeof head === 'string' && Object.hasOwn(root, head)) {
    const inner = replaceAt(root[head], rest, value);
    if (inner === undefined) return undefined;
    return { ...root, [head]: inner };
  }
  return undefined;
}

/** Move every position at or after `from` by `delta`, except inside `skip` (which is replaced). */
function shift(root: Node, skip: Node, from: number, delta: number): void {
  if (delta === 0) return;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === null || n === undefined || n === skip) continue;
    // Nothing before the change moves: a node that ends before it has no children after it.
    if (n.endPosition < from) continue;
    if (n.startPosition >= from) n.startPosition += delta;
    n.endPosition += delta;
    pushChildren(n, stack);
  }
}

function shiftSubtree(root: Node, delta: number): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === null || n === undefined) continue;
    n.startPosition += delta;
    n.endPosition += delta;
    pushChildren(n, stack);
  }
}

function pushChildren(n: Node, stack: Node[]): void {
  switch (n.kind) {
    case Kind.MAP:
      for (const m of n.mappings) stack.push(m);
      break;
    case Kind.SEQ:
      for (const i of n.items) stack.push(i);
      break;
    case Kind.MAPPING:
      stack.push(n.key, n.value);
      break;
  }
}

/** The parser's line map (offset of each line's start, from line 1, then length + 1) after the edit. */
function spliceLineMap(old: number[], text: string, start: number, oldEnd: number, delta: number): number[] {
  // Entries are offsets just past a '\n'; those up to `start` are unchanged, those past `oldEnd` move.
  let lo = 0;
  while (lo < old.length - 1 && old[lo] <= start) lo++;
  let hi = lo;
  while (hi < old.length - 1 && old[hi] <= oldEnd) hi++;
  const mid: number[] = [];
  const newEnd = oldEnd + delta;
  for (let i = start; i < newEnd; i++) if (text.charCodeAt(i) === 10) mid.push(i + 1);
  const out = old.slice(0, lo);
  for (const m of mid) out.push(m);
  for (let i = hi; i < old.length; i++) out.push(old[i] + delta);
  return out;
}
