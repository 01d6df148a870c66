/**
 * Ranges of YAML nodes for many paths at once, exactly as `@stoplight/yaml`'s
 * `getLocationForJsonPath(parsed, path, true)` gives them (the range Spectral reports), without
 * its linear search: it compares a path segment with every key of a mapping, one mapping per
 * step, and with merge keys on (Spectral's parser options) first copies the mapping's entries into
 * a new array. A spec's `paths` and `components.schemas` have thousands of keys and almost every
 * finding goes through one of them, so locating findings grew with findings × keys: on Microsoft
 * Graph's API as YAML (26 MB, 7,400 paths, 80,000 findings) it took 31 of 41 s.
 *
 * Here each mapping that a path walks through gets a key index once per call (the last entry with
 * a key wins, as the backwards search finds it), and the node found is handed to the library with
 * an empty path so the range itself is computed by the same code as before.
 */
import { getLocationForJsonPath } from '@stoplight/yaml';
import { Kind } from '@stoplight/yaml-ast-parser';
import type { Range } from '../shared/types';
import type { YamlParse } from './incrementalYaml';

type Segment = string | number;

interface AstNode {
  kind: Kind;
  parent: AstNode | null;
  mappings?: AstMapping[];
  items?: (AstNode | null)[];
  value?: unknown;
}
interface AstMapping extends AstNode {
  key: AstNode & { value: unknown };
  value: AstNode | null;
}

export function yamlRanges(parsed: YamlParse, paths: readonly (readonly Segment[])[]): (Range | undefined)[] {
  const mergeKeys = (parsed.metadata as { mergeKeys?: boolean } | undefined)?.mergeKeys === true;
  const indexes = new Map<AstNode, Map<unknown, AstMapping>>();
  const indexOf = (map: AstNode): Map<unknown, AstMapping> => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const m of entries(map.mappings ?? [], mergeKeys)) index.set(m.key.value, m);
      indexes.set(map, index);
    }
    return index;
  };
  const found = (path: readonly Segment[]): unknown => {
    let node = parsed.ast as unknown as AstNode | null | undefined;
    for (const segment of path) {
      if (node === null || typeof node !== 'object') return node;
      if (node.kind === Kind.MAP) {
        const m = indexOf(node).get(segment);
        if (m === undefined) return node;
        node = m.value === null ? m.key : m.value;
      } else if (node.kind === Kind.SEQ) {
        const items = node.items ?? [];
        const i = Number(segment);
        if (!Number.isInteger(i) || i < 0 || i >= items.length || items[i] === null) return node;
        node = items[i];
      } else return node;
    }
    return node;
  };
  const at = { ...parsed };
  return paths.map((path) => {
    at.ast = found(path) as YamlParse['ast'];
    return getLocationForJsonPath(at, [], true)?.range;
  });
}

/**
 * A mapping's entries with merge keys (`<<`) expanded, the later of equal keys winning: the merged
 * ones first, then those the mapping writes itself, which win wherever the `<<` stands (as the data
 * is read: mergeKeys.ts).
 */
function entries(mappings: AstMapping[], mergeKeys: boolean): AstMapping[] {
  if (!mergeKeys) return mappings;
  const merges: AstMapping[] = [];
  const own: AstMapping[] = [];
  for (const m of mappings) {
    if (m === null || typeof m !== 'object') continue;
    if (m.key.value === '<<') merges.push(...merged(m.value));
    else own.push(m);
  }
  return [...merges, ...own];
}

function merged(node: AstNode | null | undefined): AstMapping[] {
  if (node === null || typeof node !== 'object') return [];
  switch (node.kind) {
    case Kind.SEQ:
      return (node.items ?? []).reduceRight<AstMapping[]>((acc, item) => (acc.push(...merged(item)), acc), []);
    case Kind.MAP:
      return node.mappings ?? [];
    case Kind.ANCHOR_REF:
      return merged(node.value as AstNode | null | undefined);
    default:
      return [];
  }
}
