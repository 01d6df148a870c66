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
import { compareText, Difference } from './textOnly';
import type { Issue, Obj, SchemaVersion } from './types';

/** A document validated clean (no error from the schema) and what its inlining recorded. */
export interface CleanDocument {
  file: string;
  root: unknown;
  version: Exclude<SchemaVersion, '2.0'>;
  trace: InlineTrace;
}

/**
 * The issues of `root`, which differs from `last` only inside path item `p`, found by validating
 * that path item: those the whole document's validation gives, before they are placed on their
 * nodes. Undefined when that is not known to be exact (then validate the whole document).
 */
export function validateChangedPathItem(last: CleanDocument, p: string, root: unknown, dataOf: (file: string) => unknown): Issue[] | undefined {
  if (last.trace.intoPaths) return undefined;
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
  return valid ? [] : issuesFromErrors((validate.errors ?? []) as ErrorObject[], last.version);
}

/**
 * How `b` differs from `a`: only in text (or not at all: textOnly.ts), or inside one path item (a
 * `paths` key starting with `/`) with everything else equal, keys and their order included; else
 * undefined. One walk of both documents, stopped at the first difference that settles it.
 */
export function changeBetween(a: unknown, b: unknown): { kind: 'text' } | { kind: 'path-item'; path: string } | undefined {
  if (!isObject(a) || !isObject(b) || !sameKeys(a, b)) return compareText(a, b) === Difference.Other ? undefined : { kind: 'text' };
  let text = false;
  let changed: string | undefined;
  for (const k of Object.keys(a)) {
    const pa = a[k];
    const pb = b[k];
    if (k !== 'paths' || !isObject(pa) || !isObject(pb) || !sameKeys(pa, pb)) {
      const d = compareText(pa, pb);
      if (d === Difference.Other) return undefined;
      if (d === Difference.Text) text = true;
      continue;
    }
    for (const p of Object.keys(pa)) {
      const d = compareText(pa[p], pb[p]);
      if (d === Difference.Text) text = true;
      if (d !== Difference.Other) continue;
      if (changed !== undefined || !p.startsWith('/')) return undefined;
      changed = p;
    }
  }
  if (changed === undefined) return { kind: 'text' };
  // Text changed elsewhere too: validated in full.
  return text ? undefined : { kind: 'path-item', path: changed };
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
