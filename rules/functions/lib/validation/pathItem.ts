/**
 * Validating one path item instead of the whole document. Typing in a 13 MB spec mostly changes
 * one operation; when the last document of the file validated clean and the new one differs from
 * it only inside one entry of `paths`, the new one is validated exactly by validating that entry:
 *
 * - In the 3.x schemas a path item is reached from the root through `properties.paths` and
 *   `patternProperties['^/']` alone, with no combinator, condition or evaluation above it that
 *   looks at its content (test/validate-path-item-edits.test.ts checks this on the schemas): the
 *   document is valid iff everything else is (it was, and is unchanged) and that entry is, and
 *   every error of the document is one of that entry's, in the same order.
 * - The validated tree inlines each `$ref` target at its first use in document order (inline.ts).
 *   The entry is inlined with the targets the last walk had inlined before it taken as inlined;
 *   if it inlines the same set of targets as last time, and no `$ref` may land inside `paths`,
 *   the walk everywhere else is the same as last time.
 *
 * Whenever one of these does not hold, the caller validates the whole document.
 */
import type { ErrorObject } from 'ajv';
import { isObject } from '../../../../src/openapi/spec';
import { inlineNode, type InlineTrace } from './inline';
import { issuesFromErrors } from './messages';
import { officialPathItemRejects, pathItemValidatorFor } from './schemas';
import type { Issue, Obj, SchemaVersion } from './types';

/** A document validated clean (no error from the schema) and what its inlining recorded. */
export interface CleanDocument {
  file: string;
  root: unknown;
  version: Exclude<SchemaVersion, '2.0'>;
  trace: InlineTrace;
}

/**
 * The issues of `root` found by validating only the path item in which it differs from `last`,
 * or undefined when that is not known to be exact (then validate the whole document).
 * `issues` are what the whole document's validation gives before they are placed on their nodes.
 */
export function validateChangedPathItem(last: CleanDocument, root: unknown, dataOf: (file: string) => unknown): { path: string; issues: Issue[] } | undefined {
  if (last.trace.intoPaths) return undefined;
  const p = changedPathItem(last.root, root);
  if (p === undefined) return undefined;
  const share = last.trace.pathItems.get(p);
  if (share === undefined) return undefined;
  const [start, end] = share;
  const item = ((root as Obj).paths as Obj)[p];
  let built: ReturnType<typeof inlineNode>;
  try {
    built = inlineNode(item, last.file, dataOf, last.trace.order.slice(0, start));
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  if (built.intoPaths || !sameSet(built.inlined, last.trace.order.slice(start, end))) return undefined;

  const validate = pathItemValidatorFor(last.version);
  const instancePath = `/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  let valid: boolean;
  try {
    valid = validate(built.tree, { instancePath, parentData: { [p]: built.tree }, parentDataProperty: p, rootData: built.tree } as never) as boolean;
    // The whole document is rejected only if the schema as published rejects it too (schemas.ts):
    // it accepted everything else (clean), so it must reject this path item.
    if (!valid && !officialPathItemRejects(last.version, built.tree)) return undefined;
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  if (valid) return { path: p, issues: [] };
  return { path: p, issues: issuesFromErrors((validate.errors ?? []) as ErrorObject[], last.version) };
}

/**
 * The key of the one path item (a `paths` key starting with `/`) in which `b` differs from `a`,
 * when everything else is equal, keys and their order included; else undefined.
 */
export function changedPathItem(a: unknown, b: unknown): string | undefined {
  if (!isObject(a) || !isObject(b) || !sameKeys(a, b)) return undefined;
  const pa = a.paths;
  const pb = b.paths;
  if (!isObject(pa) || !isObject(pb) || !sameKeys(pa, pb)) return undefined;
  let changed: string | undefined;
  for (const p of Object.keys(pa)) {
    if (deepEqual(pa[p], pb[p])) continue;
    if (changed !== undefined || !p.startsWith('/')) return undefined;
    changed = p;
  }
  if (changed === undefined) return undefined;
  for (const k of Object.keys(a)) if (k !== 'paths' && !deepEqual(a[k], b[k])) return undefined;
  return changed;
}

function sameKeys(a: Obj, b: Obj): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** Equal values, keys in the same order. Only JSON values count as equal (plain objects, arrays, primitives). Iterative: any depth. */
function deepEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === null || typeof x !== 'object' || y === null || typeof y !== 'object') {
      if (!Object.is(x, y)) return false;
      continue;
    }
    if (x === y) continue;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], y[i]]);
      continue;
    }
    if (Array.isArray(y) || !plain(x) || !plain(y)) return false;
    const xo = x as Obj;
    const yo = y as Obj;
    const keys = Object.keys(xo);
    const yKeys = Object.keys(yo);
    if (keys.length !== yKeys.length) return false;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== yKeys[i]) return false;
      stack.push([xo[keys[i]], yo[keys[i]]]);
    }
  }
  return true;
}

function plain(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(b);
  return a.every((k) => s.has(k));
}
