/**
 * A JSON text that `JSON.parse` refuses (a quote or a bracket half typed, a comment, a trailing
 * comma), read as Spectral's JSON parser reads it, so the lean engine can lint it instead of
 * handing the whole lint to Spectral: on GitHub's 13 MB spec Spectral's parse alone takes
 * 1.3–2 s. It is @stoplight/json's own `parseTree`, with the options Spectral's JSON parser
 * passes except that objects stay plain (as `JSON.parse` makes them): the same recovered data,
 * the same syntax problems, worded as Spectral words them, and the same ranges.
 */
import { getLocationForJsonPath, parseTree } from '@stoplight/json';
import type { Range } from '../shared/types';
import { parserInput } from './document';

type Segment = string | number;

export interface TolerantJson {
  data: unknown;
  /** What Spectral reports about the text (its rule `parser`, Headroom's `parse`), in its order. */
  problems: { message: string; range: Range }[];
  /**
   * Ranges of these paths (closest existing ancestor), as Spectral's Document gives them:
   * undefined where the parser's recovery left the node without a range (Spectral places such a
   * finding at the document's start).
   */
  ranges(paths: readonly (readonly Segment[])[]): (Range | undefined)[];
}

/**
 * Undefined where the lean engine would not see what Spectral sees: a duplicate key (Spectral
 * keeps key order and reports it), a `__proto__` key (a plain object takes it as its
 * prototype), or a text the full parser is given changed (a byte order mark, lone carriage
 * returns, nesting it bounds).
 */
export function parseTolerantJson(text: string): TolerantJson | undefined {
  if (text.includes('"__proto__"')) return undefined;
  const input = parserInput(text, 'json', true);
  if (input.problems.length > 0 || input.text !== text) return undefined;
  const diagnostics: { code?: unknown; message: string; range: Range }[] = [];
  const parsed = parseTree<unknown>(text, diagnostics as never[], { ignoreDuplicateKeys: false, preserveKeyOrder: false });
  if (diagnostics.some((d) => d.code === DUPLICATE_KEY)) return undefined;
  return {
    data: parsed.data,
    problems: diagnostics.map((d) => ({ message: spectralWording(d.message), range: copyRange(d.range) })),
    ranges: (paths) =>
      paths.map((p) => {
        const range = getLocationForJsonPath(parsed as never, p as Segment[], true)?.range;
        return range && copyRange(range);
      }),
  };
}

/** @stoplight/json's code for a duplicate key. */
const DUPLICATE_KEY = 20;

/** A parser error code as Spectral words it: `UnexpectedEndOfString` → `Unexpected end of string`. */
function spectralWording(message: string): string {
  return message.replace(/^[a-z]/, (c) => c.toUpperCase()).replace(/([a-z])([A-Z])/g, (_m, end: string, start: string) => `${end} ${start.toLowerCase()}`);
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}
