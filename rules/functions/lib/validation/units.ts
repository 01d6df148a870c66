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
 * The issues of `root`, which differs from `last` only inside the units at `changed`, found by
 * validating those units and the units their content is inlined into: those the whole document's
 * validation gives, before they are placed on their nodes. Undefined when that is not known to be
 * exact (then validate the whole document).
 */
export function validateChangedUnits(last: CleanDocument, changed: JsonPath[], root: unknown, dataOf: (file: string) => unknown): Issue[] | undefined {
  const { trace } = last;
  const again = new Set(changed.map(unitKey));
  for (const [key, path] of trace.targets) {
    if (path === undefined) continue;
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

  const built = new Map<string, unknown>();
  for (const key of again) {
    const share = trace.units.get(key);
    if (share === undefined) return undefined;
    const unit = JSON.parse(key) as JsonPath;
    const [start, end] = share;
    let node: ReturnType<typeof inlineNode>;
    try {
      node = inlineNode(at(root, unit), last.file, dataOf, trace.order.slice(0, start));
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
    if (!sameSet(node.inlined, trace.order.slice(start, end))) return undefined;
    // A `$ref` the edit wrote may land above or inside a changed unit too. (On one, its content
    // is inlined or merged here, where it is validated anyway.)
    for (const path of node.targets.values()) if (path !== undefined && changed.some((c) => ['above', 'inside'].includes(overlapOf(path, c)))) return undefined;
    built.set(key, node.tree);
  }

  const reduced = reducedDocument(root as Obj, last.head, built);
  const validate = validatorFor(last.version);
  try {
    if (validate(reduced)) {
      // The document is clean: its `openapi` and `info` stand for it from now on.
      last.head = { openapi: reduced.openapi, info: reduced.info };
      return [];
    }
    // The whole document is rejected only if the schema as published rejects it too (schemas.ts);
    // else it is validated in full, which says so.
    if (!officialSchemaRejects(last.version, reduced)) return undefined;
    return issuesFromErrors((validate.errors ?? []) as ErrorObject[], last.version);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
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
 * (their paths) with the rest equal, keys and their order included; else undefined. One walk of
 * both documents, stopped once the answer is known.
 */
export function changeBetween(a: unknown, b: unknown): { kind: 'text' } | { kind: 'units'; units: JsonPath[] } | undefined {
  if (!isObject(a) || !isObject(b) || !sameKeys(a, b)) return compareText(a, b) === Difference.Other ? undefined : { kind: 'text' };
  let text = false;
  const units: JsonPath[] = [];
  // False once the answer is "validate in full": text changed in one unit and another changed
  // otherwise, or too many units changed to gain anything.
  const compareAt = (x: unknown, y: unknown, unit: JsonPath): boolean => {
    const d = compareText(x, y);
    if (d === Difference.Text) text = true;
    if (d === Difference.Other) units.push(unit);
    return !(text && units.length > 0) && units.length <= MAX_UNITS;
  };
  // The units as inline.ts walks them; a map whose keys changed is a unit it does not know.
  const walk = (path: JsonPath, x: unknown, y: unknown): boolean => {
    if (!holdsUnits(path, x) || !holdsUnits(path, y) || !sameKeys(x, y)) return compareAt(x, y, path);
    for (const k of Object.keys(x)) if (!walk([...path, k], x[k], y[k])) return false;
    return true;
  };
  for (const k of Object.keys(a)) if (!walk([k], a[k], b[k])) return undefined;
  return units.length === 0 ? { kind: 'text' } : { kind: 'units', units };
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
