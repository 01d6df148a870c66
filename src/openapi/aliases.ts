/**
 * YAML alias bombs ("billion laughs"): nine anchors of nine aliases each expand to 387 million
 * nodes, and Spectral's YAML parser expands every alias into a copy — a hang and gigabytes of
 * memory from a 1 KB file. Before such text is parsed, the expansion is measured on the syntax
 * tree of the very parser that would expand it (`@stoplight/yaml-ast-parser`, which Spectral's
 * YAML parser runs first: same anchors, same aliases, same error recovery, so a syntax error or a
 * dangling alias elsewhere cannot hide a bomb). When the aliases would add more than
 * maxAliasExpansion nodes, or nest values deeper than MAX_NESTING, they are blanked out (same
 * length, so every range stays right) and the document is linted without them, with a parse
 * finding saying why. The tree is built only when an alias names an anchor of the text, which
 * real specs rarely have.
 */
import { Kind, load, type YAMLNode } from '@stoplight/yaml-ast-parser';
import { MAX_NESTING, spaces } from './nesting';

/**
 * Nodes that expanding the aliases may add to a document before it is refused: a node per byte of
 * the text, at least 500,000 (a real spec sharing a set of responses by alias across 1,200
 * operations adds 100,000) and at most 2,000,000 (Spectral's parser copies each: about 12 s and
 * 1.4 GB on 2 cores; a bomb adds hundreds of millions).
 */
export function maxAliasExpansion(textLength: number): number {
  return Math.min(2_000_000, Math.max(500_000, textLength));
}


const ALIAS = /(^|[\s[{,:?-])\*([^\s,[\]{}]+)/g;
const ANCHOR = /(^|[\s[{,:?-])&([^\s,[\]{}]+)/g;

/** Spectral's YAML options (@stoplight/spectral-parsers), as its parser hands them to `load`. */
const LOAD_OPTIONS = { ignoreDuplicateKeys: true, mergeKeys: true, preserveKeyOrder: true, attachComments: false };

export interface AliasBomb {
  /** Offset of the first alias in the text. */
  offset: number;
  message: string;
  /** The text with the aliases the parser sees replaced by nulls of the same length. */
  defused: string;
  /** The text nests too deeply for the parser to measure it (see nesting.ts); `defused` is the text. */
  tooDeep?: boolean;
}

/** Does a finding's message say a document was linted with its aliases blanked as a bomb (its own `parse` finding, or the `ref` to it)? */
export function tellsOfAliasBomb(message: string): boolean {
  return /^(\$ref .*, where )?YAML aliases (here )?expand to more than [\d,]+ nodes/.test(message);
}

/** Is expanding the aliases of this YAML text excessive? (undefined: no aliases, or harmless ones.) */
export function aliasBomb(text: string): AliasBomb | undefined {
  ALIAS.lastIndex = 0;
  const first = ALIAS.exec(text);
  if (first === null) return undefined;
  // `*bold*` in Markdown descriptions looks like an alias; only aliases of a defined anchor expand,
  // so the costly check (1 s on a 3 MB spec) runs only when one names an anchor of the text.
  const anchors = new Set<string>();
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(text); m !== null; m = ANCHOR.exec(text)) anchors.add(m[2]);
  if (anchors.size === 0) return undefined;
  let named = false;
  ALIAS.lastIndex = 0;
  for (let m = ALIAS.exec(text); m !== null && !named; m = ALIAS.exec(text)) named = anchors.has(m[2]);
  if (!named) return undefined;

  let root: YAMLNode | undefined;
  try {
    root = load(text, LOAD_OPTIONS as any) as YAMLNode | undefined;
  } catch (e) {
    // Nested too deeply for the parser: nothing can be measured (and the parser would fail too).
    if (!(e instanceof RangeError)) throw e;
    return { offset: first.index + first[1].length, message: 'YAML nests too deeply here to be parsed.', defused: text, tooDeep: true };
  }
  if (!root) return undefined;
  const { added, depth, refs } = measure(root);
  const max = maxAliasExpansion(text.length);
  if (added <= max && depth <= MAX_NESTING) return undefined;
  const what =
    added > max
      ? `expand to more than ${max.toLocaleString('en-US')} nodes (a "billion laughs" pattern)`
      : `nest values deeper than ${MAX_NESTING.toLocaleString('en-US')} levels`;
  const offset = refs.reduce((min, r) => (r.value ? Math.min(min, aliasStart(text, r) ?? Infinity) : min), Infinity);
  return {
    offset: Number.isFinite(offset) ? offset : first.index + first[1].length,
    message: `YAML aliases here ${what}; the document was linted with its aliases left out.`,
    defused: blankRanges(text, refs),
  };
}

/**
 * Deepest nesting of a YAML text as Spectral's parser builds it (aliases expanded); Infinity when
 * the parser itself runs out of stack on it.
 */
export function yamlNesting(text: string): number {
  try {
    const root = load(text, LOAD_OPTIONS as any) as YAMLNode | undefined;
    return root ? measure(root).depth : 0;
  } catch (e) {
    if (e instanceof RangeError) return Infinity;
    throw e;
  }
}

/** The text with every alias replaced by a null of the same length (`*abc` → `~   `). */
export function blankAliases(text: string): string {
  return text.replace(ALIAS, (_m, before: string, name: string) => `${before}~${' '.repeat(name.length)}`);
}

/** Offset of an alias node's `*` (the parser's range starts at the name after it). */
function aliasStart(text: string, ref: YAMLNode): number | undefined {
  if (text[ref.startPosition] === '*') return ref.startPosition;
  if (text[ref.startPosition - 1] === '*') return ref.startPosition - 1;
  return undefined;
}

/** The text with each alias node's source (`*name`, as the parser delimits it) replaced by a null of the same length. */
function blankRanges(text: string, refs: YAMLNode[]): string {
  let out = '';
  let at = 0;
  for (const r of [...refs].sort((a, b) => a.startPosition - b.startPosition)) {
    const start = aliasStart(text, r);
    if (start === undefined || start < at || r.endPosition <= start) continue;
    out += text.slice(at, start) + '~' + spaces(text.slice(start + 1, r.endPosition));
    at = r.endPosition;
  }
  return out + text.slice(at);
}

interface Measure {
  /** Nodes expanding the aliases adds (Spectral copies an anchored node at each alias). */
  added: number;
  /** Deepest nesting of the expanded document. */
  depth: number;
  /** Every alias node of the tree. */
  refs: YAMLNode[];
}

/**
 * Size and depth of the document as Spectral's parser builds it (every alias replaced by a copy
 * of its anchor's node, an alias inside its own anchor's node by null), without building it:
 * one iterative pass, each anchored node measured once.
 */
function measure(root: YAMLNode): Measure {
  const size = new Map<YAMLNode, number>();
  const depth = new Map<YAMLNode, number>();
  const refs: YAMLNode[] = [];
  let plain = 0;
  const children = (node: YAMLNode): YAMLNode[] => {
    switch (node.kind) {
      case Kind.MAP:
        // The pairs themselves: a key without a value is a property of every copy too.
        return ((node.mappings ?? []) as YAMLNode[]).filter(Boolean);
      case Kind.SEQ:
        return ((node as { items?: YAMLNode[] }).items ?? []).filter(Boolean);
      case Kind.MAPPING:
        return node.value ? [node.value] : [];
      case Kind.ANCHOR_REF:
        return node.value && !selfReferencing(node) ? [node.value] : [];
      default:
        return [];
    }
  };
  const stack: { node: YAMLNode; done: boolean }[] = [{ node: root, done: false }];
  const open = new Set<YAMLNode>();
  while (stack.length > 0) {
    const top = stack.pop()!;
    const { node } = top;
    if (!top.done) {
      if (size.has(node)) continue;
      if (open.has(node)) {
        // A cycle the parser would not break: refuse the document.
        size.set(node, Infinity);
        depth.set(node, Infinity);
        continue;
      }
      open.add(node);
      if (node.kind === Kind.ANCHOR_REF) refs.push(node);
      // Every node counts, a mapping's key too: a map of keys without values expands as much as any.
      plain++;
      stack.push({ node, done: true });
      for (const c of children(node)) if (!size.has(c)) stack.push({ node: c, done: false });
      continue;
    }
    open.delete(node);
    const cs = children(node);
    if (node.kind === Kind.ANCHOR_REF) {
      size.set(node, cs.length === 0 ? 1 : size.get(cs[0]) ?? Infinity);
      depth.set(node, cs.length === 0 ? 1 : depth.get(cs[0]) ?? Infinity);
    } else {
      let s = 1;
      let d = 0;
      for (const c of cs) {
        s += size.get(c) ?? Infinity;
        d = Math.max(d, depth.get(c) ?? Infinity);
      }
      // A mapping pair is no level of its own, but its key is a node (its `1`).
      size.set(node, s);
      depth.set(node, node.kind === Kind.MAPPING ? d : d + 1);
    }
  }
  return { added: (size.get(root) ?? Infinity) - plain, depth: depth.get(root) ?? Infinity, refs };
}

/** Is this alias inside the node its anchor names? (Spectral's parser reads it as null then.) */
function selfReferencing(ref: YAMLNode): boolean {
  const anchor = (ref as { referencesAnchor?: string }).referencesAnchor;
  for (let node = ref.parent; node; node = node.parent) if (node.anchorId === anchor) return true;
  return false;
}

/** 0-based line and character of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
