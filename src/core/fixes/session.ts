/**
 * Planning fixes before writing them: each file gets an `EditDoc` that records what fixes add
 * (keys into mappings, items onto sequences, replaced scalars) on top of the parsed document,
 * answers questions about the result (has a fix already planned `components.headers.ETag`?), and
 * renders everything as one set of text edits at the end. Many fixes, one parse, one render:
 * fix-all on a spec with hundreds of operations never re-parses between fixes.
 */
import type { TextEdit } from './text';
import { FixNotApplicable, type Backend, type FileEdits, type JsonPath, type KeyOrder, type Value } from './types';

/** A value the user is meant to edit: a tab stop in editors that take snippets. */
export class TabStop {
  constructor(
    readonly n: number,
    readonly value: string | number,
  ) {}
}

/** What fixes put into documents: plain values that may hold tab stops. */
export type Planned = string | number | boolean | null | TabStop | Planned[] | { [key: string]: Planned };

type Obj = Record<string, Planned>;

interface PendingPair {
  key: string;
  value: Planned;
  order: KeyOrder;
  seq: number;
}

const keyOf = (path: JsonPath) => JSON.stringify(path);

function isObj(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof TabStop);
}

/**
 * Index at which a new key goes among existing keys: right after the existing key that comes
 * closest before it in the order (a file that orders its keys its own way keeps the new key next
 * to its natural neighbour), else right before the closest one after it, else at the end.
 */
export function insertionIndex(order: KeyOrder, keys: string[], key: string): number {
  if (order === 'first') return 0;
  if (order === 'end') return keys.length;
  const own = order.rank(key);
  if (own === undefined) return keys.length;
  let before = -1;
  let beforeRank = -Infinity;
  let after = -1;
  let afterRank = Infinity;
  keys.forEach((k, i) => {
    const r = order.rank(k);
    if (r === undefined) return;
    if (r < own && r >= beforeRank) [before, beforeRank] = [i, r];
    if (r > own && r < afterRank) [after, afterRank] = [i, r];
  });
  if (order.prefer === 'successor' && after !== -1) return after;
  if (before !== -1) return before + 1;
  return after !== -1 ? after : keys.length;
}

/** Insert `key` into a (pending) object where `order` puts it, keeping the other keys' order. */
function putOrdered(obj: Obj, key: string, value: Planned, order: KeyOrder): void {
  const keys = Object.keys(obj);
  const index = insertionIndex(order, keys, key);
  if (index >= keys.length) {
    obj[key] = value;
    return;
  }
  const entries = Object.entries(obj);
  for (const k of keys) delete obj[k];
  entries.splice(index, 0, [key, value]);
  for (const [k, v] of entries) obj[k] = v;
}

type Resolved = { kind: 'existing'; path: JsonPath; value: unknown } | { kind: 'pending'; value: Planned; holder?: { obj: any; key: string | number } };

export class EditDoc {
  private readonly pairs = new Map<string, { path: JsonPath; entries: PendingPair[] }>();
  private readonly appends = new Map<string, { path: JsonPath; items: Planned[] }>();
  private readonly replaces = new Map<string, { path: JsonPath; value: Planned }>();
  private seq = 0;
  /** Paths of existing values that fixes replace (everything else in the file is kept). */
  readonly replaced: JsonPath[] = [];

  constructor(
    readonly file: string,
    readonly backend: Backend,
  ) {}

  get changed(): boolean {
    return this.pairs.size + this.appends.size + this.replaces.size > 0;
  }

  /** Where `path` leads in the document as planned: an existing node, a planned value, or nowhere. */
  private resolve(path: JsonPath): Resolved | undefined {
    let cur: Resolved = { kind: 'existing', path: [], value: this.backend.data };
    for (const seg of path) {
      if (cur.kind === 'existing') {
        const replaced = this.replaces.get(keyOf(cur.path));
        if (replaced) cur = { kind: 'pending', value: replaced.value, holder: { obj: replaced, key: 'value' } };
      }
      if (cur.kind === 'pending') {
        const v = cur.value as any;
        if (v === null || typeof v !== 'object' || v instanceof TabStop || v[seg] === undefined) return undefined;
        cur = { kind: 'pending', value: v[seg], holder: { obj: v, key: seg } };
        continue;
      }
      const here = cur.value as any;
      if (Array.isArray(here)) {
        const i = Number(seg);
        if (i < here.length) {
          cur = { kind: 'existing', path: [...cur.path, i], value: here[i] };
          continue;
        }
        const appended = this.appends.get(keyOf(cur.path));
        if (!appended || i - here.length >= appended.items.length) return undefined;
        cur = { kind: 'pending', value: appended.items[i - here.length], holder: { obj: appended.items, key: i - here.length } };
        continue;
      }
      if (isObj(here) && Object.prototype.hasOwnProperty.call(here, seg)) {
        cur = { kind: 'existing', path: [...cur.path, seg], value: here[seg] };
        continue;
      }
      const pending: PendingPair | undefined = this.pairs.get(keyOf(cur.path))?.entries.find((e) => e.key === String(seg));
      if (!pending) return undefined;
      cur = { kind: 'pending', value: pending.value, holder: { obj: pending, key: 'value' } };
    }
    if (cur.kind === 'existing') {
      const replaced = this.replaces.get(keyOf(cur.path));
      if (replaced) return { kind: 'pending', value: replaced.value, holder: { obj: replaced, key: 'value' } };
    }
    return cur;
  }

  /** The value at `path` as planned (existing data or what fixes add). */
  get(path: JsonPath): unknown {
    return this.resolve(path)?.value;
  }

  has(path: JsonPath): boolean {
    return this.resolve(path) !== undefined;
  }

  /**
   * Add `key: value` to the mapping at `path` (which must exist, or be an empty value) unless the
   * key is there already. Returns false when it was.
   */
  setKey(path: JsonPath, key: string, value: Planned, order: KeyOrder = 'end'): boolean {
    const target = this.resolve(path);
    if (!target) throw new FixNotApplicable(`nothing at ${path.join('.')}`);
    if (target.kind === 'pending') {
      if (!isObj(target.value)) {
        if (target.value === null && target.holder) {
          target.holder.obj[target.holder.key] = { [key]: value };
          return true;
        }
        throw new FixNotApplicable(`${path.join('.')} is not a mapping`);
      }
      if ((target.value as Obj)[key] !== undefined) return false;
      putOrdered(target.value as Obj, key, value, order);
      return true;
    }
    const kind = this.backend.kindAt(path);
    if (kind === 'null' || (target.value === null && kind !== 'map')) {
      this.replace(path, { [key]: value });
      return true;
    }
    if (kind !== 'map' || !isObj(target.value)) throw new FixNotApplicable(`${path.join('.')} is not a mapping`);
    if (Object.prototype.hasOwnProperty.call(target.value, key)) return false;
    const k = keyOf(path);
    const group = this.pairs.get(k) ?? { path, entries: [] };
    this.pairs.set(k, group);
    if (group.entries.some((e) => e.key === key)) return false;
    group.entries.push({ key, value, order, seq: this.seq++ });
    return true;
  }

  /** Make sure the mapping at `path` exists, creating missing levels with the given orders (one per segment). */
  ensureMap(path: JsonPath, orders: KeyOrder[] = []): void {
    for (let i = 0; i < path.length; i++) {
      const sub = path.slice(0, i + 1);
      const v = this.get(sub);
      if (v === undefined) this.setKey(path.slice(0, i), String(path[i]), {}, orders[i] ?? 'end');
      else if (v === null && this.resolve(sub)?.kind === 'existing') this.replace(sub, {});
    }
  }

  /** Append `item` to the sequence at `path` (which must exist). */
  append(path: JsonPath, item: Planned): void {
    const target = this.resolve(path);
    if (!target) throw new FixNotApplicable(`nothing at ${path.join('.')}`);
    if (target.kind === 'pending') {
      if (!Array.isArray(target.value)) throw new FixNotApplicable(`${path.join('.')} is not a sequence`);
      target.value.push(item);
      return;
    }
    if (this.backend.kindAt(path) !== 'seq') throw new FixNotApplicable(`${path.join('.')} is not a sequence`);
    const k = keyOf(path);
    const group = this.appends.get(k) ?? { path, items: [] };
    this.appends.set(k, group);
    group.items.push(item);
  }

  /** Replace the scalar at `path`. */
  replace(path: JsonPath, value: Planned): void {
    const target = this.resolve(path);
    if (!target) throw new FixNotApplicable(`nothing at ${path.join('.')}`);
    if (target.kind === 'pending') {
      if (!target.holder) throw new FixNotApplicable('cannot replace the root');
      target.holder.obj[target.holder.key] = value;
      return;
    }
    const kind = this.backend.kindAt(path);
    if (kind === 'map' || kind === 'seq') throw new FixNotApplicable('only scalars are replaced');
    this.replaces.set(keyOf(path), { path, value });
    this.replaced.push(path);
  }

  /** Everything planned, as non-overlapping text edits on the document. */
  edits(): TextEdit[] {
    const made: { edit: TextEdit; depth: number }[] = [];
    for (const { path, entries } of this.pairs.values()) {
      const keys = this.backend.keysAt(path);
      const groups = new Map<number, PendingPair[]>();
      for (const e of entries) {
        const index = insertionIndex(e.order, keys, e.key);
        groups.set(index, [...(groups.get(index) ?? []), e]);
      }
      for (const [index, group] of groups) {
        group.sort((a, b) => rankOf(a) - rankOf(b) || a.seq - b.seq);
        made.push({ edit: render((v) => this.backend.insertPairs(path, index, group.map((e) => [e.key, v(e.value)]))), depth: path.length });
      }
    }
    for (const { path, items } of this.appends.values()) {
      made.push({ edit: render((v) => this.backend.appendItems(path, items.map(v))), depth: path.length });
    }
    for (const { path, value } of this.replaces.values()) {
      made.push({ edit: render((v) => this.backend.replaceValue(path, v(value))), depth: path.length });
    }
    // Insertions at the same offset: the deeper container's lines come first.
    made.sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || b.depth - a.depth);
    const out: TextEdit[] = [];
    for (const { edit } of made) {
      const last = out[out.length - 1];
      if (last && last.start === edit.start && last.end === edit.start && edit.end === edit.start) {
        if (last.snippet !== undefined || edit.snippet !== undefined) {
          last.snippet = (last.snippet ?? escapeSnippet(last.newText)) + (edit.snippet ?? escapeSnippet(edit.newText));
        }
        last.newText += edit.newText;
        continue;
      }
      if (last && edit.start < last.end) throw new FixNotApplicable('two fixes edit the same text');
      out.push({ ...edit });
    }
    return out;
  }
}

function rankOf(e: PendingPair): number {
  return typeof e.order === 'object' ? (e.order.rank(e.key) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
}

function hasStops(v: Planned): boolean {
  if (v instanceof TabStop) return true;
  if (Array.isArray(v)) return v.some(hasStops);
  if (isObj(v)) return Object.values(v).some(hasStops);
  return false;
}

/** Replace tab stops by their values, or by sentinels to find them in the rendered text. */
function lower(v: Planned, sentinel: boolean): Value {
  if (v instanceof TabStop) {
    if (!sentinel) return v.value;
    return typeof v.value === 'number' ? 7_000_000_000 + v.n : `zzheadroomstop${v.n}zz`;
  }
  if (Array.isArray(v)) return v.map((x) => lower(x, sentinel));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lower(x, sentinel)]));
  return v;
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** Render an edit; when its values hold tab stops, also as a snippet. */
function render(make: (lowerValue: (v: Planned) => Value) => TextEdit): TextEdit {
  const stops: TabStop[] = [];
  const collect = (v: Planned): Value => {
    if (hasStops(v)) {
      const walk = (x: Planned): void => {
        if (x instanceof TabStop) stops.push(x);
        else if (Array.isArray(x)) x.forEach(walk);
        else if (isObj(x)) Object.values(x).forEach(walk);
      };
      walk(v);
    }
    return lower(v, false);
  };
  const plain = make(collect);
  if (stops.length === 0) return plain;
  const marked = make((v) => lower(v, true));
  let snippet = escapeSnippet(marked.newText);
  for (const stop of stops) {
    const token = typeof stop.value === 'number' ? String(7_000_000_000 + stop.n) : `zzheadroomstop${stop.n}zz`;
    snippet = snippet.replace(token, `\${${stop.n}:${escapeSnippet(String(stop.value))}}`);
  }
  return { ...plain, snippet };
}

/** Edit documents of several files in one plan (a fix may touch the spec and a `$ref`ed file). */
export class FixSession {
  private readonly docs = new Map<string, EditDoc>();

  constructor(private readonly backendOf: (file: string) => Backend | undefined) {}

  doc(file: string): EditDoc {
    let d = this.docs.get(file);
    if (!d) {
      const backend = this.backendOf(file);
      if (!backend) throw new FixNotApplicable(`cannot read ${file}`);
      d = new EditDoc(file, backend);
      this.docs.set(file, d);
    }
    return d;
  }

  edits(): FileEdits {
    const out: FileEdits = new Map();
    for (const [file, doc] of this.docs) {
      if (!doc.changed) continue;
      const edits = doc.edits();
      if (edits.length > 0) out.set(file, edits);
    }
    return out;
  }

  /** Paths of existing values replaced, per file. */
  replaced(): Map<string, JsonPath[]> {
    return new Map([...this.docs].filter(([, d]) => d.replaced.length > 0).map(([f, d]) => [f, d.replaced]));
  }
}
