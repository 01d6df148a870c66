/** The validated tree: `$ref`s inlined at their first use. */
import { getAtPointer, refTarget } from '../../../../src/openapi/refs';
import { pointerToPath } from '@stoplight/json';
import { isObject } from '../../../../src/openapi/spec';
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
  const inliner = makeInliner(rootFile, dataOf, new Set());
  if (trace === undefined || !isObject(root) || '$ref' in root) return inliner.build(root, rootFile);
  // What `build(root)` does, with each path item's share of the inlined targets recorded.
  const out: Obj = {};
  for (const k of Object.keys(root)) {
    const paths = root[k];
    if (k !== 'paths' || !isObject(paths) || '$ref' in paths) {
      out[k] = inliner.build(paths, rootFile);
      continue;
    }
    const built: Obj = {};
    for (const p of Object.keys(paths)) {
      const start = inliner.inlined.size;
      built[p] = inliner.build(paths[p], rootFile);
      trace.pathItems.set(p, [start, inliner.inlined.size]);
    }
    out[k] = built;
  }
  trace.order = [...inliner.inlined];
  trace.intoPaths = inliner.intoPaths();
  return out;
}

/**
 * What inlining recorded for the incremental validation of one path item (pathItem.ts): the
 * targets in the order they were inlined, each path item's share of them (`[start, end)` into
 * `order`), and whether some `$ref` of the file may land in `paths` (or on the whole file).
 */
export interface InlineTrace {
  order: string[];
  pathItems: Map<string, [number, number]>;
  intoPaths: boolean;
}

export function newTrace(): InlineTrace {
  return { order: [], pathItems: new Map(), intoPaths: false };
}

/**
 * One node of the root file (a path item) inlined as `inlineFirstUse` would inline it when the
 * targets in `before` were inlined earlier in the walk. Also says which targets it inlined, in
 * order, and whether one of its `$ref`s (or one in what it inlined) may land in `paths`.
 */
export function inlineNode(node: unknown, rootFile: string, dataOf: (file: string) => unknown, before: Iterable<string>): { tree: unknown; inlined: string[]; intoPaths: boolean } {
  const already = new Set(before);
  const start = already.size;
  const inliner = makeInliner(rootFile, dataOf, already);
  const tree = inliner.build(node, rootFile);
  return { tree, inlined: [...inliner.inlined].slice(start), intoPaths: inliner.intoPaths() };
}

function makeInliner(rootFile: string, dataOf: (file: string) => unknown, inlined: Set<string>) {
  let intoPaths = false;
  const targets = new Map<string, { key: string; value: unknown; file: string } | null>();
  const resolve = (ref: string, file: string) => {
    const cacheKey = `${file}\0${ref}`;
    let t = targets.get(cacheKey);
    if (t === undefined) {
      const target = refTarget(ref, file);
      if (target.file === rootFile && mayLandInPaths(target.pointer)) intoPaths = true;
      const data = dataOf(target.file);
      const value = data === undefined ? undefined : getAtPointer(data, target.pointer);
      t = value === undefined ? null : { key: `${target.file}#${target.pointer}`, value, file: target.file };
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
        return siblings.length > 0 && isObject(target.value) ? merge(obj, siblings, asWritten(target.key, target.value), file) : obj;
      }
      inlined.add(target.key);
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
  return { build, inlined, intoPaths: () => intoPaths };
}

/** Could a pointer into the root file land on the whole file, on `paths`, or inside it? (A pointer that does not decode lands nowhere.) */
function mayLandInPaths(pointer: string): boolean {
  if (pointer === '' || pointer === '/') return true;
  try {
    return pointerToPath(pointer.startsWith('#') ? pointer : `#${pointer}`)[0] === 'paths';
  } catch {
    return false;
  }
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
