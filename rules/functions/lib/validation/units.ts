/**
 * Validating the changed parts of a document instead of all of it. Typing in a 13 MB spec mostly
 * changes one operation or one component; when the last document of the file validated clean and
 * the new one differs from it only inside some units (path items, components…: inline.ts), the
 * new one is validated exactly by validating a document that holds only the units whose validated
 * form changed:
 *
 * - In the 3.x schemas a unit is reached from the root through `properties`, `patternProperties`
 *   and `additionalProperties` alone, with no combinator, condition or evaluation above it that
 *   looks at its content, and a document reduced to `openapi`, `info` and the units' maps is
 *   valid (test/validate-unit-edits.test.ts checks both on the schemas): the document is valid iff
 *   every unit of the validated tree whose content changed is, and its errors are theirs, in the
 *   same order.
 * - The validated tree inlines each `$ref` target at its first use in document order (inline.ts),
 *   so a changed unit's content also stands where it is inlined or merged: in the units the last
 *   walk recorded, which are validated again too. That holds while the `$ref`s decide the same:
 *   no `$ref` lands above or inside a changed unit (only on it), a changed unit that is a target
 *   keeps its `$ref`s as they were, and every unit validated again inlines the same targets as
 *   last time. Then the walk everywhere else is the same as last time.
 * - A path or a component typed, added or deleted (a key of a map of units that came, went or
 *   changed where it stands) is validated the same way, as the unit under its new key: the maps
 *   look at their keys one by one, and the rest stays exact under the conditions
 *   `validateChangedUnits` gives.
 *
 * Whenever one of these does not hold, the caller validates the whole document.
 */
import type { ErrorObject } from 'ajv';
import { isObject, type JsonPath } from '../../../../src/openapi/spec';
import { holdsUnits, inlineNode, isMap, MAPS_OF_UNITS, OUTSIDE, unitKey, type InlineTrace } from './inline';
import { issuesFromErrors } from './messages';
import { officialSchemaRejects, validatorFor } from './schemas';
import { compareText, Difference } from './textOnly';
import type { Issue, Obj, SchemaVersion } from './types';

/** A document validated clean (no error from the schema), what its inlining recorded, and its `openapi` and `info` as validated. */
export interface CleanDocument {
  file: string;
  root: unknown;
  version: Exclude<SchemaVersion, '2.0'>;
  trace: InlineTrace;
  head: Obj;
}

/**
 * A unit whose key came, went or changed in a map of units (a path typed, a component renamed,
 * added or deleted): `from`, its path in the last clean document; `to`, in the new one.
 */
export interface KeyChange {
  from?: JsonPath;
  to?: JsonPath;
}

/** How a document differs from the last clean one inside its units (`changeBetween`). */
export interface UnitChanges {
  /** Units at the same path on both sides whose content changed. */
  units: JsonPath[];
  keys: KeyChange[];
}

/**
 * The issues of `root`, which differs from `last` only inside the units of `change` (and in the
 * keys of units that came, went or were renamed), found by validating those units and the units
 * their content is inlined into: those the whole document's validation gives, before they are
 * placed on their nodes; when there are none, `commit` makes `root` the last clean document
 * (`last` and its trace then describe it). Undefined when that is not known to be exact (then
 * validate the whole document).
 *
 * A unit that came, went or was renamed keeps the rest exact while no `$ref` met last time leads
 * to, above or into it (its resolution would change), a unit that went inlined no target first
 * (their first use would move), a renamed unit inlines what it inlined under its old key, and a
 * unit that came inlines nothing first. A map of units looks at the keys it holds only through
 * patterns on each key (test/validate-unit-edits.test.ts checks it on the schemas), which the
 * units validated here meet as they do in the whole document.
 */
export function validateChangedUnits(last: CleanDocument, change: UnitChanges, root: unknown, dataOf: (file: string) => unknown): { issues: Issue[]; commit?: () => void } | undefined {
  const { trace } = last;
  const { units: changed, keys } = change;
  const moved = keys.flatMap((k) => [k.from, k.to].filter((p): p is JsonPath => p !== undefined));
  const again = new Set(changed.map(unitKey));
  for (const [key, path] of trace.targets) {
    if (path === undefined) continue;
    if (moved.some((unit) => overlapOf(path, unit) !== 'none')) return undefined;
    for (const unit of changed) {
      const overlap = overlapOf(path, unit);
      if (overlap === 'none') continue;
      if (overlap !== 'same' || !sameRefs(at(last.root, unit), at(root, unit))) return undefined;
      // The unit is a target: its content also stands where the last walk inlined or merged it.
      for (const where of trace.materialized.get(key) ?? []) {
        if (where === OUTSIDE) return undefined;
        again.add(where);
      }
    }
  }

  // What to build: each unit, where it stands now, the share of the inlined targets it must take.
  const builds: { key: string; path: JsonPath; start: number; end: number }[] = [];
  const gone = new Set<string>();
  const added: JsonPath[] = [];
  for (const { from, to } of keys) {
    if (from === undefined) {
      added.push(to!);
      continue;
    }
    const share = trace.units.get(unitKey(from));
    if (share === undefined) return undefined;
    gone.add(unitKey(from));
    if (to !== undefined) builds.push({ key: unitKey(to), path: to, start: share[0], end: share[1] });
    else if (share[0] !== share[1]) return undefined;
  }
  for (const key of again) {
    if (gone.has(key)) continue; // merged into a unit that went, or built under its new key
    const share = trace.units.get(key);
    if (share === undefined) return undefined;
    builds.push({ key, path: JSON.parse(key) as JsonPath, start: share[0], end: share[1] });
  }
  if (added.length > 0) {
    const starts = startsOf(root, trace, keys, added);
    if (starts === undefined) return undefined;
    for (const path of added) builds.push({ key: unitKey(path), path, start: starts.get(unitKey(path))!, end: starts.get(unitKey(path))! });
  }

  const built = new Map<string, unknown>();
  const nodes: { key: string; node: ReturnType<typeof inlineNode> }[] = [];
  for (const { key, path: unit, start, end } of builds) {
    let node: ReturnType<typeof inlineNode>;
    try {
      node = inlineNode(at(root, unit), last.file, dataOf, trace.order.slice(0, start));
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
    if (!sameSet(node.inlined, trace.order.slice(start, end))) return undefined;
    // A `$ref` the edit wrote may land above or inside a changed unit too, or anywhere near a
    // unit whose key came or went. (On a changed one, its content is inlined or merged here,
    // where it is validated anyway.)
    for (const path of node.targets.values()) {
      if (path === undefined) continue;
      if (changed.some((c) => ['above', 'inside'].includes(overlapOf(path, c))) || moved.some((m) => overlapOf(path, m) !== 'none')) return undefined;
    }
    built.set(key, node.tree);
    nodes.push({ key, node });
  }

  const commit = (head: Obj) => {
    last.root = root;
    last.head = head;
    for (const { from, to } of keys) {
      if (from === undefined) continue;
      const fromKey = unitKey(from);
      const toKey = to && unitKey(to);
      if (toKey !== undefined) trace.units.set(toKey, trace.units.get(fromKey)!);
      trace.units.delete(fromKey);
      for (const units of trace.materialized.values()) if (units.delete(fromKey) && toKey !== undefined) units.add(toKey);
    }
    for (const { key, start } of builds) if (!trace.units.has(key)) trace.units.set(key, [start, start]);
    // What the rebuilt units meet and merge from now on (a `$ref` written, siblings added).
    for (const { key, node } of nodes) {
      for (const [target, path] of node.targets) trace.targets.set(target, path);
      for (const target of node.materialized) {
        let units = trace.materialized.get(target);
        if (units === undefined) trace.materialized.set(target, (units = new Set()));
        units.add(key);
      }
    }
  };

  const reduced = reducedDocument(root as Obj, last.head, built);
  const validate = validatorFor(last.version);
  try {
    if (validate(reduced)) {
      // The document is clean: its `openapi` and `info` stand for it from now on.
      return { issues: [], commit: () => commit({ openapi: reduced.openapi, info: reduced.info }) };
    }
    // The whole document is rejected only if the schema as published rejects it too (schemas.ts);
    // else it is validated in full, which says so.
    if (!officialSchemaRejects(last.version, reduced)) return undefined;
    return { issues: issuesFromErrors((validate.errors ?? []) as ErrorObject[], last.version) };
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * Where each unit that came starts in the inlining order: after the share of the unit before it
 * in the walk (inline.ts), as the last walk recorded it (a renamed unit under its old key).
 * Undefined when a unit of the walk has no share recorded.
 */
function startsOf(root: unknown, trace: InlineTrace, keys: KeyChange[], added: JsonPath[]): Map<string, number> | undefined {
  const oldKey = new Map(keys.flatMap((k) => (k.from && k.to ? [[unitKey(k.to), unitKey(k.from)] as const] : [])));
  const came = new Set(added.map(unitKey));
  const starts = new Map<string, number>();
  let end = 0;
  const walk = (path: JsonPath, node: unknown): boolean => {
    if (holdsUnits(path, node)) {
      for (const k of Object.keys(node)) if (!walk([...path, k], node[k])) return false;
      return true;
    }
    const key = unitKey(path);
    if (came.has(key)) {
      starts.set(key, end);
      return true;
    }
    const share = trace.units.get(oldKey.get(key) ?? key);
    if (share === undefined || share[0] !== end) return false;
    end = share[1];
    return true;
  };
  return walk([], root) ? starts : undefined;
}

/**
 * The built units where they stand in the document, and what its root requires besides them:
 * `openapi` and `info` (as validated last time, unless built) and `paths`, `components` and
 * `webhooks` (when the document has them) holding only built units. The units sit at the same
 * paths as in the whole document, so the validator's errors carry the same instance paths.
 */
function reducedDocument(root: Obj, head: Obj, built: Map<string, unknown>): Obj {
  const out: Obj = {};
  for (const k of Object.keys(root)) {
    const key = unitKey([k]);
    if (built.has(key)) out[k] = built.get(key);
    else if (k === 'openapi' || k === 'info') out[k] = head[k];
    else if (MAPS_OF_UNITS.has(k)) out[k] = builtIn(root[k], [k], built);
  }
  return out;
}

/** A map with only the built units under `at` (components: in their maps), in document order. */
function builtIn(map: unknown, at: JsonPath, built: Map<string, unknown>): Obj {
  const out: Obj = {};
  if (!isMap(map)) return out;
  for (const name of Object.keys(map)) {
    const path = [...at, name];
    const key = unitKey(path);
    if (built.has(key)) out[name] = built.get(key);
    else if (holdsUnits(path, map[name])) {
      const inner = builtIn(map[name], path, built);
      if (Object.keys(inner).length > 0) out[name] = inner;
    }
  }
  return out;
}

/**
 * How `b` differs from `a`: only in text (or not at all: textOnly.ts), or inside a few units
 * (their paths) and in the keys of a few units of a map (a path or a component that came, went
 * or was renamed where it stands), with the rest equal, keys and their order included; else
 * undefined. One walk of both documents, stopped once the answer is known.
 */
export function changeBetween(a: unknown, b: unknown): { kind: 'text' } | ({ kind: 'units' } & UnitChanges) | undefined {
  if (!isObject(a) || !isObject(b) || !sameKeys(a, b)) return compareText(a, b) === Difference.Other ? undefined : { kind: 'text' };
  let text = false;
  const units: JsonPath[] = [];
  const keys: KeyChange[] = [];
  // False once the answer is "validate in full": text changed in one unit and another changed
  // otherwise, or too many units changed to gain anything.
  const enough = () => !(text && units.length + keys.length > 0) && units.length + keys.length <= MAX_UNITS;
  const compareAt = (x: unknown, y: unknown, unit: JsonPath): boolean => {
    const d = compareText(x, y);
    if (d === Difference.Text) text = true;
    if (d === Difference.Other) units.push(unit);
    return enough();
  };
  // The units as inline.ts walks them.
  const walk = (path: JsonPath, x: unknown, y: unknown): boolean => {
    if (!holdsUnits(path, x) || !holdsUnits(path, y)) return compareAt(x, y, path);
    if (!sameKeys(x, y)) return path.length > 0 && keysChanged(path, x, y);
    for (const k of Object.keys(x)) if (!walk([...path, k], x[k], y[k])) return false;
    return true;
  };
  // The keys of a map of units differ: the keys on both sides are walked, those between them
  // are units that went and came (renamed, when as many came as went between the same two
  // keys). Keys that moved, or maps of units that came or went, are not followed.
  const keysChanged = (path: JsonPath, x: Obj, y: Obj): boolean => {
    const ka = Object.keys(x);
    const kb = Object.keys(y);
    let i = 0;
    let j = 0;
    while (i < ka.length || j < kb.length) {
      const went: string[] = [];
      const came: string[] = [];
      while (i < ka.length && !Object.hasOwn(y, ka[i])) went.push(ka[i++]);
      while (j < kb.length && !Object.hasOwn(x, kb[j])) came.push(kb[j++]);
      if (went.some((k) => holdsUnits([...path, k], x[k])) || came.some((k) => holdsUnits([...path, k], y[k]))) return false;
      if (went.length === came.length) went.forEach((k, n) => keys.push({ from: [...path, k], to: [...path, came[n]] }));
      else keys.push(...went.map((k) => ({ from: [...path, k] })), ...came.map((k) => ({ to: [...path, k] })));
      if (!enough()) return false;
      if (i === ka.length && j === kb.length) break;
      // The next key on both sides is the same, or keys moved.
      if (ka[i] !== kb[j]) return false;
      if (!walk([...path, ka[i]], x[ka[i]], y[kb[j]])) return false;
      i++;
      j++;
    }
    return true;
  };
  for (const k of Object.keys(a)) if (!walk([k], a[k], b[k])) return undefined;
  return units.length + keys.length === 0 ? { kind: 'text' } : { kind: 'units', units, keys };
}

/** More changed units than a keystroke makes (a paste, a rename): the whole document is validated. */
const MAX_UNITS = 16;

/** Where a `$ref` target's path stands against a unit's: on it, above it (an ancestor), inside it, or apart. */
function overlapOf(target: readonly string[], unit: JsonPath): 'same' | 'above' | 'inside' | 'none' {
  const n = Math.min(target.length, unit.length);
  for (let i = 0; i < n; i++) if (target[i] !== String(unit[i])) return 'none';
  return target.length === unit.length ? 'same' : target.length < unit.length ? 'above' : 'inside';
}

/** Do two values hold the same `$ref`s, in the same order (siblings aside)? Iterative: a value may nest deeper than the stack. */
function sameRefs(a: unknown, b: unknown): boolean {
  const ra = refsIn(a);
  const rb = refsIn(b);
  return ra.length === rb.length && ra.every((r, i) => r === rb[i]);
}

function refsIn(node: unknown): unknown[] {
  const out: unknown[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === null || typeof n !== 'object') continue;
    if ('$ref' in n) out.push((n as Obj).$ref);
    const values = Object.values(n);
    for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
  }
  return out;
}

function at(root: unknown, path: JsonPath): unknown {
  let node = root as Obj;
  for (const k of path) node = node[k];
  return node;
}

function sameKeys(a: Obj, b: Obj): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(b);
  return a.every((k) => s.has(k));
}
