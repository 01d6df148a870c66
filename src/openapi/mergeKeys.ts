/**
 * YAML merge keys (`<<: *defaults`) as the merge-key spec reads them: a key the mapping writes
 * itself wins over a merged one, wherever the `<<` stands. Spectral's YAML parser assigns in
 * order, so a `<<` written after a key replaced that key's value: `x-gateway-rate-limit: {requests:
 * 5…}` then `<<: *defaults` read as the defaults' 1000 per minute, and the export enforced that.
 *
 * Such a `<<` (the only one of its mapping) is renamed in a copy of the text (same length, so every
 * range stays right), the copy parsed, and the renamed entries merged in as the spec says: keys the
 * mapping writes first, then the merged mappings in their order. The first parse's syntax tree is
 * kept (ranges and locations are of the text as written).
 */
import { Kind, type YAMLNode } from '@stoplight/yaml-ast-parser';

/** What `<<` is renamed to in the copy: two characters, as `<<` is. */
const MARK = '<~';

/** `parsed`, with its data read with merge keys' precedence when a `<<` follows a key of its mapping. */
export function withMergePrecedence<P extends { ast?: unknown; data: unknown }>(text: string, parsed: P, parse: (text: string) => P): P {
  // A document that writes the mark itself is read as the parser reads it (the mark would be taken for a merge).
  if (!text.includes('<<') || text.includes(MARK) || !parsed.ast) return parsed;
  const late = lateMergeKeys(text, parsed.ast as YAMLNode);
  if (late.length === 0) return parsed;
  let copy = text;
  for (const at of late) copy = copy.slice(0, at) + MARK + copy.slice(at + 2);
  const again = parse(copy);
  applyMerges(again.data);
  return { ...parsed, data: again.data };
}

/** Offsets of the `<<` keys written after another key of their mapping (mappings with one `<<` only). */
function lateMergeKeys(text: string, root: YAMLNode): number[] {
  const out: number[] = [];
  const stack: YAMLNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!node) continue;
    if (node.kind === Kind.MAP) {
      const mappings = (node.mappings ?? []) as YAMLNode[];
      const merges = mappings.flatMap((m, i) => (m?.key?.kind === Kind.SCALAR && m.key.value === '<<' && text.startsWith('<<', m.key.startPosition) ? [i] : []));
      if (merges.length === 1 && merges[0] > 0) out.push(mappings[merges[0]].key.startPosition);
      for (const m of mappings) if (m?.value) stack.push(m.value);
    } else if (node.kind === Kind.SEQ) {
      for (const item of (node as { items?: YAMLNode[] }).items ?? []) if (item) stack.push(item);
    }
  }
  return out;
}

/** Each object holding a renamed merge: the merged mappings' keys it does not write, earlier mappings first. Children first. */
function applyMerges(data: unknown): void {
  const done = new Set<object>();
  const stack: { node: object; open: boolean }[] = [];
  if (isCollection(data)) stack.push({ node: data, open: false });
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (!top.open) {
      if (done.has(top.node)) continue;
      done.add(top.node);
      stack.push({ node: top.node, open: true });
      for (const child of Object.values(top.node)) if (isCollection(child) && !done.has(child)) stack.push({ node: child, open: false });
      continue;
    }
    const obj = top.node as Record<string, unknown>;
    if (Array.isArray(obj) || !Object.prototype.hasOwnProperty.call(obj, MARK)) continue;
    const merged = obj[MARK];
    delete obj[MARK];
    for (const source of Array.isArray(merged) ? merged : [merged]) {
      if (!isCollection(source) || Array.isArray(source)) continue;
      for (const key of Object.keys(source)) if (!Object.prototype.hasOwnProperty.call(obj, key)) obj[key] = (source as Record<string, unknown>)[key];
    }
  }
}

function isCollection(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
