/**
 * Where a finding's path lies: the file and the path inside it. A rule reports logical paths from
 * the root (through `$ref`s); this follows the resolver's refMaps into the file holding the node,
 * step for step as Spectral's DocumentInventory does, so both engines report the same place.
 */
import { decodePointerFragment, decodePointerUriFragment, encodePointerUriFragment, extractSourceFromRef, isLocalRef } from '@stoplight/json';
import { refTarget } from './refs';

type Segment = string | number;

export interface Placed<D> {
  doc: D;
  path: string[];
}

/** Longest prefix of `path` present in `data`. */
export function closestPath(data: unknown, path: readonly Segment[]): string[] {
  const out: string[] = [];
  let piece: any = data;
  for (const seg of path) {
    if (piece === null || (typeof piece !== 'object' && typeof piece !== 'function') || !(seg in piece)) break;
    out.push(seg as string);
    piece = piece[seg];
  }
  return out;
}

/** Does walking `path` in `data` meet a `$ref` object before the path runs out? */
function meetsRef(data: unknown, path: readonly string[]): boolean {
  let piece: any = data;
  for (const seg of path) {
    if (piece === null || typeof piece !== 'object') return false;
    if (seg in piece) piece = piece[seg];
    else return isRef(piece);
  }
  return isRef(piece) && Object.keys(piece).length === 1;
}

function isRef(v: any): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.$ref === 'string';
}

/** Bound on `$ref` hops while mapping one path (a `$ref` cycle would otherwise loop forever). */
const MAX_HOPS = 256;

export function associate<D extends { source: string; data: unknown }>(
  rawPath: readonly Segment[],
  root: D,
  docOf: (source: string) => D | undefined,
  refMapOf: (source: string) => Record<string, string>,
): Placed<D> {
  // Spectral decodes JSON-pointer escapes in every segment and turns numbers into strings.
  const path = rawPath.map((s) => (typeof s === 'string' ? decodePointerFragment(s) : String(s)));
  const near = closestPath(root.data, path);
  if (!meetsRef(root.data, near)) return { doc: root, path: closestPath(root.data, path) };
  let source = root.source;
  let refMap = refMapOf(source);
  let doc = root;
  let key = '';
  let hops = 0;
  for (const segment of ['#', ...path.map((s) => String(encodePointerUriFragment(s)))]) {
    if (key.length > 0) key += '/';
    key += segment;
    while (key in refMap) {
      if (++hops > MAX_HOPS) return { doc, path: closestPath(doc.data, path) };
      const ref = refMap[key];
      if (isLocalRef(ref)) {
        key = ref;
        continue;
      }
      if (extractSourceFromRef(ref) === null) return { doc, path: closestPath(doc.data, path) };
      // The file as the resolver read it: percent-escapes decoded, a `file:` URL as its path.
      source = refTarget(ref, source).file;
      const next = source === root.source ? root : docOf(source);
      if (next === undefined) return { doc, path: closestPath(doc.data, path) };
      doc = next;
      refMap = refMapOf(source);
      key = ref.includes('#') ? ref.slice(ref.indexOf('#')) : '#';
    }
  }
  return { doc, path: closestPath(doc.data, refMapKeyToPath(key)) };
}

/**
 * The JSON path a refMap key (a URI fragment: `#/paths/~1pets~1%7Bid%7D`) names. Spectral undoes
 * only `~1`/`~0` here, so a finding under a percent-encoded `$ref` (`page%20size`, `%7Bid%7D`)
 * landed on an ancestor; both engines use this instead (the Spectral one through guard.ts).
 */
export function refMapKeyToPath(key: string): string[] {
  return (key.startsWith('#/') ? key.slice(2) : key).split('/').map((s) => decodePointerUriFragment(s));
}
