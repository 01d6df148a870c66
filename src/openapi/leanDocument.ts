/**
 * A parsed file for the lean engine: its data, and the ranges of the nodes findings point at.
 * JSON: `JSON.parse`, ranges from one scan afterwards (jsonLocator.ts; an edit inside one value: incrementalJson.ts). YAML: Spectral's own YAML
 * parser (the fastest range-keeping one measured here), so ranges are Spectral's (yamlLocator.ts
 * finds them without its per-key search). Anything the full engine reports about the text itself
 * (syntax errors, duplicate keys, YAML alias bombs) makes the file ineligible: the caller hands
 * the whole lint to the Spectral engine then; except, when asked, JSON syntax errors, which
 * tolerantJson.ts reads as Spectral does.
 */
import { detectFormat, parserInput, PROTO_KEY, type Format } from './document';
import type { Range } from '../shared/types';
import { parseYamlFull, type YamlParse, type YamlParseCache } from './incrementalYaml';
import { parseJsonFull, type JsonParseCache, type DataEdit } from './incrementalJson';
import { parseTolerantJson } from './tolerantJson';
import { readAfterEdit } from './tolerantJsonEdit';
import { yamlRanges } from './yamlLocator';

type Segment = string | number;

export interface LeanDocument {
  source: string;
  text: string;
  data: unknown;
  /** Ranges of these paths (closest existing ancestor), or undefined when the text turns out ineligible. */
  ranges(paths: readonly (readonly Segment[])[]): (Range | undefined)[] | undefined;
  /** The editor's last parse of this file with one scalar replaced (incrementalJson.ts), when that is all this is. */
  edit?: DataEdit;
  /** A JSON text `JSON.parse` refused, read as Spectral reads it (tolerantJson.ts): what Spectral reports about it. */
  problems?: { message: string; range: Range }[];
}

export function parseLean(
  text: string,
  source: string,
  format: Format = detectFormat(source, text),
  /** The editor's last parse of each open file, for re-parsing only what an edit touched. */
  yamlCache?: YamlParseCache,
  jsonCache?: JsonParseCache,
  /** Read JSON that is not strict JSON as Spectral does, with its syntax problems (the lean engine's root file). */
  tolerant = false,
): LeanDocument | undefined {
  if (format === 'json') {
    const parsed = jsonCache ? jsonCache.parse(source, text) : parseJsonFull(text);
    if (parsed) return { source, text, data: parsed.data, ranges: (paths) => parsed.ranges(paths), edit: parsed.edit };
    // Broken by an edit of the editor's last JSON text: read again only around the edit when that reads the same.
    const recovered = tolerant ? (readAfterEdit(jsonCache?.last(source), text) ?? parseTolerantJson(text)) : undefined;
    return recovered && { source, text, data: recovered.data, ranges: (paths) => recovered.ranges(paths), problems: recovered.problems };
  }
  // The text as the parser should get it (no BOM, lone CRs as LF: positions as an editor counts
  // them); anything it had to defuse (alias bombs, tags the parser throws on) is the full engine's.
  const input = parserInput(text, 'yaml', false);
  if (input.problems.length > 0) return undefined;
  // A key `__proto__`, however it is escaped, is Spectral's to read: its parser keeps it as a key,
  // a plain object would take it as its prototype. (JSON.parse keeps it as a key too.)
  if (PROTO_KEY.test(input.text)) return undefined;
  // Spectral's YAML parser with its options, except that objects stay plain: with
  // `preserveKeyOrder` every object is a Proxy (slower to build and to read; rules and findings do
  // not depend on key order, which the engine tests confirm). It throws on what it cannot take
  // (e.g. nesting deep enough to overflow its stack): the full engine bounds that.
  let parsed: YamlParse;
  try {
    parsed = yamlCache ? yamlCache.parse(source, input.text) : parseYamlFull(input.text);
  } catch {
    return undefined;
  }
  // Non-string mapping keys (`200:` read as a number) are not reported with Headroom's parser
  // options (HEADROOM_PARSER_OPTIONS); anything else the parser says is the full engine's to report.
  if (parsed.diagnostics.some((d) => !/^mapping key must be a string scalar rather than/i.test(d.message))) return undefined;
  return {
    source,
    text: input.text,
    data: parsed.data,
    ranges: (paths) => yamlRanges(parsed, paths),
  };
}
