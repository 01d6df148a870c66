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
 * Each `$ref` target reachable from an operation is scanned once for the `$ref`s it holds; a
 * finding's operations are found walking that graph backwards from the finding's node (and the
 * nodes containing it), once per node, so GitHub's ~1,000 operations cost one pass over the document.
 */
import { pointerSegments, refTarget } from '../../openapi/refs';
import { HTTP_METHODS } from '../../openapi/spec';

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

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const seg of path) {
    if (!isObject(node) || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

export class Attribution {
  /** Where each `$ref` target is referenced from: target key → region keys and operation indexes. */
  private readonly preds = new Map<string, { regions: Set<string>; ops: Set<number> }>();
  /** `$ref` targets by key (scanned once each). */
  private readonly regions = new Map<string, Place>();
  /** Operation key → its operations (a path item `$ref`ed by several paths holds one operation node). */
  private readonly opPlaces = new Map<string, Set<number>>();
  /** Path item key → its operations: a node under it counts for them unless it lies under a method. */
  private readonly pathItems = new Map<string, Set<number>>();
  private readonly memo = new Map<string, Set<number>>();
  private readonly all: Set<number>;

  constructor(
    private readonly rootFile: string,
    ops: readonly PlacedOperation[],
    /** Parsed data of the root and the files it `$ref`s; undefined for any other file (never read). */
    private readonly dataOf: (file: string) => unknown,
  ) {
    this.all = new Set(ops.map((_, i) => i));
    const pending: Place[] = [];
    const link = (targets: Place[], from: { region?: string; op?: number }) => {
      for (const t of targets) {
        const key = keyOf(t.file, t.path);
        let p = this.preds.get(key);
        if (p === undefined) this.preds.set(key, (p = { regions: new Set(), ops: new Set() }));
        if (from.region !== undefined) p.regions.add(from.region);
        if (from.op !== undefined) p.ops.add(from.op);
        if (!this.regions.has(key)) {
          this.regions.set(key, t);
          pending.push(t);
        }
      }
    };
    ops.forEach((o, i) => {
      add(this.opPlaces, keyOf(o.op.file, o.op.path), i);
      add(this.pathItems, keyOf(o.pathItem.file, o.pathItem.path), i);
      link(refsIn(o.op.file, o.value), { op: i });
      // What the path item holds besides its operations (parameters, annotations).
      if (isObject(o.pathItemValue)) {
        for (const [k, v] of Object.entries(o.pathItemValue)) if (!METHODS.has(k)) link(refsIn(o.pathItem.file, v), { op: i });
      }
    });
    // Every `$ref` target reachable from an operation, scanned once for the `$ref`s it holds.
    while (pending.length > 0) {
      const place = pending.pop()!;
      const data = this.dataOf(place.file);
      if (data !== undefined) link(refsIn(place.file, valueAt(data, place.path)), { region: keyOf(place.file, place.path) });
    }
  }

  /** Indexes of the operations a finding at `file` / `path` is on (empty: a document finding). */
  operationsOf(file: string, rawPath: readonly (string | number)[]): Set<number> {
    const path = rawPath.map(String);
    if (file === this.rootFile && path.length > 0 && /^(security|servers|host|schemes|x-gateway-.*)$/.test(path[0])) return new Set(this.all);
    return this.reaching({ file, path });
  }

  /**
   * Operations whose content holds the node at `place`: it lies inside an operation (or its path
   * item, outside the methods), or inside a `$ref` target that such content references, transitively.
   */
  private reaching(place: Place): Set<number> {
    const startKey = keyOf(place.file, place.path);
    const cached = this.memo.get(startKey);
    if (cached) return cached;
    const out = new Set<number>();
    const seen = new Set<string>();
    const stack: Place[] = [place];
    while (stack.length > 0) {
      const at = stack.pop()!;
      // The node and every node containing it.
      for (let i = at.path.length; i >= 0; i--) {
        const key = keyOf(at.file, at.path.slice(0, i));
        if (seen.has(key)) continue;
        seen.add(key);
        for (const op of this.opPlaces.get(key) ?? []) out.add(op);
        if (i === at.path.length || !METHODS.has(at.path[i])) for (const op of this.pathItems.get(key) ?? []) out.add(op);
        const p = this.preds.get(key);
        if (p === undefined) continue;
        for (const op of p.ops) out.add(op);
        for (const r of p.regions) if (!seen.has(r)) stack.push(this.regions.get(r)!);
      }
    }
    this.memo.set(startKey, out);
    return out;
  }
}

function add(map: Map<string, Set<number>>, key: string, i: number): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(i);
}

/** The `$ref` targets written inside `value` (not looking through them). */
function refsIn(file: string, value: unknown): Place[] {
  const out: Place[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isObject(node)) continue;
    if (!Array.isArray(node) && typeof node.$ref === 'string') {
      const target = refTarget(node.$ref, file);
      const path = pointerSegments(target.pointer);
      if (path !== undefined) out.push({ file: target.file, path: [...path] });
      continue;
    }
    for (const v of Array.isArray(node) ? node : Object.values(node)) if (isObject(v)) stack.push(v);
  }
  return out;
}
