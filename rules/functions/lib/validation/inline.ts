/** The validated tree: `$ref`s inlined at their first use. */
import { getAtPointer, pointerPath, refTarget } from '../../../../src/openapi/refs';
import { isObject, type JsonPath } from '../../../../src/openapi/spec';
import type { Obj } from './types';

/**
 * `root` with every resolvable `$ref` replaced by its target the first time it is met (the
 * objects on the way to a replaced `$ref` copied, everything else shared with the input); later
 * uses of the same target, and references back into a target being inlined, stay `$ref`
 * objects. Siblings of a `$ref` are merged over its target at every use, as swagger-parser
 * does, except when the target leads to a cycle of `$ref`s: swagger-parser validates with
 * circular references left as they are (`dereference.circular: 'ignore'`), so such a `$ref` and
 * its siblings are a Reference object there, and stay one here. The input is never modified.
 * `dataOf(file)` gives the parsed data of a loaded file.
 */
export function inlineFirstUse(root: unknown, rootFile: string, dataOf: (file: string) => unknown, trace?: InlineTrace): unknown {
  const inliner = makeInliner(rootFile, dataOf, new Set(), trace);
  if (trace === undefined || !holdsUnits([], root)) return finish(inliner.build(root, rootFile));
  // What `build(root)` does, with each unit's share of the inlined targets recorded.
  const unit = (path: JsonPath, node: unknown): unknown => {
    const key = unitKey(path);
    const start = inliner.inlined.size;
    trace.unit = key;
    const built = inliner.build(node, rootFile);
    trace.unit = OUTSIDE;
    trace.units.set(key, [start, inliner.inlined.size]);
    return built;
  };
  const walk = (path: JsonPath, node: unknown): unknown => {
    if (!holdsUnits(path, node)) return unit(path, node);
    const out: Obj = {};
    for (const k of Object.keys(node)) out[k] = walk([...path, k], node[k]);
    return out;
  };
  return finish(walk([], root));

  function finish(tree: unknown): unknown {
    if (trace) trace.order = [...inliner.inlined];
    return tree;
  }
}

/**
 * The parts of a document the validate rule may validate alone when an edit changed only them
 * (units.ts), keyed by `unitKey` of their path: each entry of `paths` and `webhooks` (path items,
 * extensions), each component (an entry of a map of `components`), each other entry of
 * `components`, and each other property of the root (those three too when they are no map).
 */
export function unitKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** The properties of the root whose entries are units (`components`: the entries of its maps). */
export const MAPS_OF_UNITS = new Set(['paths', 'webhooks', 'components']);

/**
 * Is the node at `path` a map of units (or of maps of units) rather than a unit itself: the root,
 * `paths`, `webhooks`, `components` and each of its maps other than extensions, when they are maps.
 */
export function holdsUnits(path: JsonPath, node: unknown): node is Obj {
  if (!isMap(node)) return false;
  if (path.length === 0) return true;
  if (path.length === 1) return MAPS_OF_UNITS.has(String(path[0]));
  return path.length === 2 && path[0] === 'components' && !String(path[1]).startsWith('x-');
}

/** The unit key of what is not inside a unit (the root is no object, or a Reference). */
export const OUTSIDE = '';

/** An object that is not a Reference: its entries are walked in place. */
export function isMap(node: unknown): node is Obj {
  return isObject(node) && !('$ref' in node);
}

/**
 * What inlining recorded for the validation of changed units alone (units.ts): the targets in
 * the order they were inlined, each unit's share of them (`[start, end)` into `order`), the units
 * where each target's content stands in the validated tree besides its own place (its first use,
 * and its uses with siblings merged over it; `OUTSIDE` when not in a unit), and every target met
 * with the path its pointer leads to in the root file (undefined: another file, or no pointer).
 */
export interface InlineTrace {
  order: string[];
  units: Map<string, [number, number]>;
  materialized: Map<string, Set<string>>;
  targets: Map<string, readonly string[] | undefined>;
  /** The unit being walked. */
  unit: string;
}

export function newTrace(): InlineTrace {
  return { order: [], units: new Map(), materialized: new Map(), targets: new Map(), unit: OUTSIDE };
}

/**
 * One unit of the root file inlined as `inlineFirstUse` would inline it when the targets in
 * `before` were inlined earlier in the walk. Also says which targets it inlined, in order, every
 * target it met (as `InlineTrace.targets`) and the targets whose content it holds (inlined, or
 * merged with siblings).
 */
export function inlineNode(
  node: unknown,
  rootFile: string,
  dataOf: (file: string) => unknown,
  before: Iterable<string>,
): { tree: unknown; inlined: string[]; targets: InlineTrace['targets']; materialized: string[] } {
  const already = new Set(before);
  const start = already.size;
  const trace = newTrace();
  const inliner = makeInliner(rootFile, dataOf, already, trace);
  const tree = inliner.build(node, rootFile);
  return { tree, inlined: [...inliner.inlined].slice(start), targets: trace.targets, materialized: [...trace.materialized.keys()] };
}

function makeInliner(rootFile: string, dataOf: (file: string) => unknown, inlined: Set<string>, trace?: InlineTrace) {
  const targets = new Map<string, { key: string; value: unknown; file: string } | null>();
  const resolve = (ref: string, file: string) => {
    const cacheKey = `${file}\0${ref}`;
    let t = targets.get(cacheKey);
    if (t === undefined) {
      const target = refTarget(ref, file);
      const key = `${target.file}#${target.pointer}`;
      const data = dataOf(target.file);
      trace?.targets.set(key, target.file === rootFile ? pointerPath(data, target.pointer) : undefined);
      const value = data === undefined ? undefined : getAtPointer(data, target.pointer);
      t = value === undefined ? null : { key, value, file: target.file };
      targets.set(cacheKey, t);
    }
    return t;
  };
  // Does following `$ref`s from a target lead to a cycle (the target itself on one, or beyond)?
  // A depth-first walk over the targets: `true` on meeting a target still being walked.
  const cyclic = new Map<string, boolean | 'walking'>();
  const leadsToCycle = (key: string, value: unknown, file: string): boolean => {
    const known = cyclic.get(key);
    if (known !== undefined) return known !== false;
    cyclic.set(key, 'walking');
    let found = false;
    const visit = (node: unknown): void => {
      if (found || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const item of node) visit(item);
        return;
      }
      const obj = node as Obj;
      if (typeof obj.$ref === 'string') {
        const t = resolve(obj.$ref, file);
        if (t !== null && leadsToCycle(t.key, t.value, t.file)) found = true;
      }
      for (const k of Object.keys(obj)) if (k !== '$ref') visit(obj[k]);
    };
    visit(value);
    cyclic.set(key, found);
    return found;
  };
  const copies = new Map<string, Obj>();
  const asWritten = (key: string, value: Obj): Obj => {
    let copy = copies.get(key);
    if (copy === undefined) {
      copy = plainCopy(value) as Obj;
      copies.set(key, copy);
    }
    return copy;
  };
  const materialized = (key: string) => {
    if (trace === undefined) return;
    let units = trace.materialized.get(key);
    if (units === undefined) trace.materialized.set(key, (units = new Set()));
    units.add(trace.unit);
  };
  const merge = (refObj: Obj, siblings: string[], target: Obj, file: string): Obj => {
    const merged: Obj = {};
    for (const k of siblings) merged[k] = build(refObj[k], file);
    for (const [k, v] of Object.entries(target)) {
      if (!(k in merged)) merged[k] = v;
      else if (isObject(merged[k]) && isObject(v)) merged[k] = deepMerge(v, merged[k]);
    }
    return merged;
  };
  // What holds no `$ref` to inline is shared with the input, not copied: copying GitHub's 13 MB
  // spec cost more than validating it.
  const build = (node: unknown, file: string): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) {
      // The same `$ref` twice in one list must stay equal (a parameter listed twice breaks
      // `uniqueItems`, as it does once swagger-parser has dereferenced both).
      const seen = new Map<string, unknown>();
      let list: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        const ref = isObject(item) && typeof item.$ref === 'string' ? `${file}\0${JSON.stringify(item)}` : undefined;
        let built: unknown;
        if (ref !== undefined && seen.has(ref)) built = seen.get(ref);
        else {
          built = build(item, file);
          if (ref !== undefined) seen.set(ref, built);
        }
        if (list === undefined && built !== item) list = node.slice(0, i);
        list?.push(built);
      }
      return list ?? node;
    }
    const obj = node as Obj;
    const ref = obj.$ref;
    if (typeof ref === 'string' && ref !== '' && (ref[0] !== '#' || ref === '#' || ref.startsWith('#/'))) {
      const target = resolve(ref, file);
      // Dangling: the engine reports it as rule `ref`.
      if (target === null) return obj;
      const siblings = Object.keys(obj).filter((k) => k !== '$ref');
      if (siblings.length > 0 && leadsToCycle(target.key, target.value, target.file)) return plainCopy(obj);
      if (inlined.has(target.key)) {
        // A later use (or a cycle) stays a reference; with siblings, swagger-parser validates them
        // merged over the target, so do that too, over the target as written (its `$ref`s kept).
        if (siblings.length === 0 || !isObject(target.value)) return obj;
        materialized(target.key);
        return merge(obj, siblings, asWritten(target.key, target.value), file);
      }
      inlined.add(target.key);
      materialized(target.key);
      const built = build(target.value, target.file);
      return siblings.length > 0 && isObject(built) ? merge(obj, siblings, built, file) : built;
    }
    // A key named `__proto__` (an own key after JSON.parse) is copied by assignment, which makes
    // it the copy's prototype: what Spectral's parser makes of it, so both engines report the same.
    let out: Obj | undefined = Object.hasOwn(obj, '__proto__') ? {} : undefined;
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
      const value = obj[keys[i]];
      const built = build(value, file);
      if (out === undefined && built !== value) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = obj[keys[j]];
      }
      if (out !== undefined) out[keys[i]] = built;
    }
    return out ?? obj;
  };
  return { build, inlined };
}

/** A deep copy into plain objects (the parser's objects are proxies, which `structuredClone` refuses). */
function plainCopy(node: unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(plainCopy);
  const out: Obj = {};
  for (const k of Object.keys(node)) out[k] = plainCopy((node as Obj)[k]);
  return out;
}

function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k], v) : v;
  return out;
}

export { physicalLocation } from '../../../../src/openapi/refs';
