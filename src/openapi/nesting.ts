/**
 * Deeply nested documents (`[[[[…]]]]` 10,000 levels, in JSON or YAML, flow or block): the parsers
 * Spectral uses recurse once per level and overflow the stack at a few thousand levels — an
 * exception out of the linter. Real specs nest less than 40 levels (the deepest of the 2,600 specs
 * of APIs.guru: 33), so what lies deeper than MAX_NESTING levels is left out: each collection
 * opened at that depth is blanked (a null of the same length, line breaks kept, so every range
 * stays right) and the document is linted without it, with a `parse` finding saying where.
 *
 * Finding those collections without the recursive parsers: JSON with a scanner (strings and
 * comments as jsonc-parser reads them), YAML with the `yaml` package's concrete syntax tree, which
 * is built without recursion.
 */
import { Parser } from 'yaml';

export const MAX_NESTING = 1000;

/** Offsets [start, end) of the outermost collections that open deeper than `max` levels. */
export type Span = [number, number];

/** JSON (comments allowed): the collections opened deeper than `max` (an unclosed one runs to the end), and the deepest nesting. */
export function jsonDeepSpans(text: string, max: number): { spans: Span[]; depth: number } {
  const spans: Span[] = [];
  const n = text.length;
  let depth = 0;
  let deepest = 0;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string ends at its closing quote or, as jsonc-parser reads it, at a line break.
      for (i++; i < n; i++) {
        const k = text.charCodeAt(i);
        if (k === 0x5c) i++;
        else if (k === 0x22 || k === 0x0a || k === 0x0d) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (depth === max + 1) start = i;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === max + 1) spans.push([start, i + 1]);
      if (depth > 0) depth--;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 1;
    }
  }
  if (depth > max) spans.push([start, n]);
  return { spans, depth: deepest };
}

type CstNode = { type?: string; offset?: number; source?: string; [k: string]: unknown };
const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);
const CHILD_KEYS = ['start', 'key', 'sep', 'value', 'items', 'end', 'props'];

function childrenOf(node: CstNode): CstNode[] {
  const out: CstNode[] = [];
  for (const k of CHILD_KEYS) {
    const v = node[k];
    if (Array.isArray(v)) {
      for (const c of v) if (c !== null && typeof c === 'object') out.push(c as CstNode);
    } else if (v !== null && typeof v === 'object') {
      out.push(v as CstNode);
    }
  }
  return out;
}

/** End offset of a CST node: the furthest end of any token in it. Iterative. */
function cstEnd(node: CstNode): number {
  let end = node.offset ?? 0;
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (typeof n.offset === 'number') end = Math.max(end, n.offset + (typeof n.source === 'string' ? n.source.length : 0));
    for (const child of childrenOf(n)) stack.push(child);
  }
  return end;
}

/** YAML: the collections (block or flow) opened deeper than `max`, found on the `yaml` package's CST. */
export function yamlDeepSpans(text: string, max: number): Span[] {
  const spans: Span[] = [];
  for (const token of new Parser().parse(text)) {
    const stack: [CstNode, number][] = [[token as unknown as CstNode, 0]];
    while (stack.length > 0) {
      const [node, above] = stack.pop()!;
      const depth = COLLECTIONS.has(node.type ?? '') ? above + 1 : above;
      if (depth > max) {
        spans.push([node.offset ?? 0, cstEnd(node)]);
        continue;
      }
      for (const c of childrenOf(node)) stack.push([c, depth]);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/**
 * A cheap upper bound of a YAML text's nesting: a block collection sits at a column, at most two
 * (a mapping and a sequence as its value) per column, so block nesting is at most twice the
 * widest line start (indentation and `- `, `? `, `: ` indicators; a tab counted as 8); flow
 * nesting is at most the number of `[` and `{`. Loose, but a few milliseconds on a 3 MB file and
 * far below MAX_NESTING for ordinary specs with few flow collections.
 */
export function yamlDepthBound(text: string): number {
  let widest = 0;
  const LINE_START = /^[ \t]*(?:[-?:][ \t]+)*/gm;
  for (let m = LINE_START.exec(text); m !== null; m = LINE_START.exec(text)) {
    const width = m[0].length + 7 * (m[0].split('\t').length - 1);
    if (width > widest) widest = width;
    if (m[0].length === 0) LINE_START.lastIndex++;
  }
  let flow = 0;
  for (let i = text.indexOf('[') ; i !== -1; i = text.indexOf('[', i + 1)) flow++;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) flow++;
  return 2 * (widest + 1) + flow;
}

/** The text with each span replaced by `filler` and spaces (line breaks kept: every position outside stays where it was). */
export function blankSpans(text: string, spans: Span[], filler: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    parts.push(text.slice(at, start), filler, spaces(text.slice(start + filler.length, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Every character but line breaks as a space. */
export function spaces(text: string): string {
  return text.replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length));
}
