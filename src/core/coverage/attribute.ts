/**
 * Which operations a finding is on. Findings are located by file and JSON path (the node holding
 * the problem, which for a `$ref`ed component is the component, reported once). A finding is on an
 * operation when its node lies
 * - inside the operation (following the operation's `$ref`s, transitively, into components and
 *   other files): a shared component's finding is on every operation that uses it;
 * - in the operation's path item outside its methods (path-level `parameters`, annotations);
 * - at a root key every operation inherits (`security`, `servers`, `x-gateway-*`; 2.0 `host`,
 *   `schemes`).
 * Anything else (e.g. `info`, an unused component) is on no operation: a document finding.
 *
 * Each `$ref` target is scanned once for the `$ref`s it holds; an operation's reach is the closure
 * over that graph, so GitHub's ~1,000 operations cost one pass over the document.
 */
import { pointerToPath } from '@stoplight/json';
import { refTarget } from '../refs';
import { HTTP_METHODS } from '../../../rules/functions/lib/spec';

export interface Place {
  file: string;
  path: string[];
}

/** An operation as the attribution needs it: where it is written, where its path item is. */
export interface PlacedOperation {
  op: Place;
  pathItem: Place;
  value: unknown;
  pathItemValue: unknown;
}

const METHODS = new Set<string>(HTTP_METHODS);
const SEP = '\u0001';
const keyOf = (file: string, path: readonly string[]) => `${file}\n${path.join(SEP)}`;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

/** The JSON pointer of a `$ref` as path segments, or undefined when it is not one. */
function pointerSegments(pointer: string): string[] | undefined {
  if (pointer === '' || pointer === '/') return [];
  try {
    return (pointerToPath(pointer.startsWith('#') ? pointer : `#${pointer}`) as unknown[]).map(String);
  } catch {
    return undefined;
  }
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const seg of path) {
    if (!isObject(node) || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

export class Attribution {
  /** `$ref` targets held by each scanned region (region key → target places). */
  private readonly edges = new Map<string, Place[]>();
  /** Region key → operations (indexes) whose reach includes it. */
  private readonly owners = new Map<string, Set<number>>();
  /** Path item region key → its operations: a finding under it counts unless it lies under a method. */
  private readonly pathItems = new Map<string, Set<number>>();
  private readonly inherited: Set<number>;

  constructor(
    private readonly rootFile: string,
    ops: readonly PlacedOperation[],
    /** Parsed data of the root and the files it `$ref`s; undefined for any other file (never read). */
    private readonly dataOf: (file: string) => unknown,
  ) {
    this.inherited = new Set(ops.map((_, i) => i));
    ops.forEach((o, i) => {
      for (const key of this.reach(o.op, o.value)) this.own(this.owners, key, i);
      this.own(this.pathItems, keyOf(o.pathItem.file, o.pathItem.path), i);
      // What the path item holds besides its operations (parameters, annotations) and `$ref`s.
      if (isObject(o.pathItemValue)) {
        for (const [k, v] of Object.entries(o.pathItemValue)) {
          if (METHODS.has(k)) continue;
          const start = { file: o.pathItem.file, path: [...o.pathItem.path, k] };
          for (const key of this.reach(start, v, false)) this.own(this.owners, key, i);
        }
      }
    });
  }

  private own(map: Map<string, Set<number>>, key: string, i: number): void {
    let set = map.get(key);
    if (set === undefined) map.set(key, (set = new Set()));
    set.add(i);
  }

  /** Region keys reachable from a node: itself and every `$ref` target it leads to, transitively. */
  private reach(start: Place, value: unknown, includeStart = true): Set<string> {
    const out = new Set<string>();
    const startKey = keyOf(start.file, start.path);
    if (includeStart) out.add(startKey);
    const stack = this.refsIn(start.file, value);
    while (stack.length > 0) {
      const place = stack.pop()!;
      const key = keyOf(place.file, place.path);
      if (out.has(key)) continue;
      out.add(key);
      let targets = this.edges.get(key);
      if (targets === undefined) {
        const data = this.dataOf(place.file);
        targets = data === undefined ? [] : this.refsIn(place.file, valueAt(data, place.path));
        this.edges.set(key, targets);
      }
      stack.push(...targets);
    }
    return out;
  }

  /** The `$ref` targets written inside `value` (not looking through them). */
  private refsIn(file: string, value: unknown): Place[] {
    const out: Place[] = [];
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const node = stack.pop();
      if (!isObject(node)) continue;
      if (!Array.isArray(node) && typeof node.$ref === 'string') {
        const target = refTarget(node.$ref, file);
        const path = pointerSegments(target.pointer);
        if (path !== undefined) out.push({ file: target.file, path });
        continue;
      }
      for (const v of Array.isArray(node) ? node : Object.values(node)) if (isObject(v)) stack.push(v);
    }
    return out;
  }

  /** Indexes of the operations a finding at `file` / `path` is on (empty: a document finding). */
  operationsOf(file: string, rawPath: readonly (string | number)[]): Set<number> {
    const path = rawPath.map(String);
    const out = new Set<number>();
    if (file === this.rootFile && path.length > 0 && /^(security|servers|host|schemes|x-gateway-.*)$/.test(path[0])) return new Set(this.inherited);
    for (let i = path.length; i >= 0; i--) {
      const key = keyOf(file, path.slice(0, i));
      for (const op of this.owners.get(key) ?? []) out.add(op);
      if (i === path.length || !METHODS.has(path[i])) for (const op of this.pathItems.get(key) ?? []) out.add(op);
    }
    return out;
  }
}
