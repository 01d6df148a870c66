import type { Document } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { aliasBomb, blankAliases, positionAt, yamlNesting } from './aliases';
import { blankSpans, jsonDeepSpans, MAX_NESTING, spaces, yamlDeepSpans, yamlDepthBound, type Span } from './nesting';
import { spectralCore } from './spectral';
import { withMergePrecedence } from './mergeKeys';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import type { OpenApiVersion } from '../shared/types';

export type Format = 'json' | 'yaml';

/** JSON by extension, or by content when the extension says nothing (JSON is valid YAML, not the reverse). */
export function detectFormat(path: string, text: string): Format {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Spectral's YAML parser, reading merge keys as the YAML spec does (mergeKeys.ts). */
const YAML_PARSER: Parsers.IParser<any> = {
  ...(Parsers.Yaml as Parsers.IParser<any>),
  parse: (text: string) => withMergePrecedence(text, (Parsers.Yaml as Parsers.IParser<any>).parse(text), (t) => (Parsers.Yaml as Parsers.IParser<any>).parse(t)),
};

/**
 * Parse once, with source ranges. Spectral's own parsers are used because they give ranges for
 * JSON paths and are the fastest of the range-keeping parsers measured here. The text they get is
 * `parserInput`'s; what was left out of it, and why, become `parse` findings. JSON nested deeper
 * than MAX_NESTING levels is cut there beforehand (nesting.ts; a scan costs a few percent of the
 * parse); YAML only when its parser runs out of stack (measuring YAML costs more than half a
 * parse), then it is parsed again without what lies below MAX_NESTING levels.
 */
export function parseDocument(text: string, path: string): Document {
  const { Document } = spectralCore();
  const format = detectFormat(path, text);
  const parser = (format === 'json' ? Parsers.Json : YAML_PARSER) as Parsers.IParser<any>;
  // JSON: bounded beforehand (a scan costs a few percent of the parse); YAML: only when its parser overflows.
  let input = parserInput(text, format, format === 'json');
  let document: Document | undefined;
  let tagsBlanked = false;
  for (const max of [MAX_NESTING, 100, 10, 0]) {
    try {
      document = new Document(input.text, parser, path);
      break;
    } catch (e) {
      if (!(e instanceof RangeError)) {
        // The parser failed on something it cannot read (a YAML tag, so far): without the tags,
        // then without anything.
        const message = (e as Error)?.message ?? String(e);
        const blanked = format === 'yaml' && !tagsBlanked ? blankTags(input.text) : undefined;
        tagsBlanked = true;
        const problem = { offset: 0, message: `The ${format === 'yaml' ? 'YAML' : 'JSON'} parser failed on this document (${message}); it was linted ${blanked !== undefined ? 'with its tags left out' : 'as empty'}.` };
        input = { text: blanked ?? spaces(input.text), problems: [...input.problems, problem] };
        continue;
      }
      // Out of stack: leave out what lies deeper than `max` (nothing at all, last).
      const capped = capNesting(input.text, format, max);
      input = { text: capped.text, problems: [...input.problems, ...(capped.problem ? [capped.problem] : [])] };
      if (format === 'yaml') input = mergeProblems(input, parserInput(input.text, format, false));
    }
  }
  document ??= new Document('', parser, path);
  if (format === 'yaml') placeSecondDocument(document.diagnostics as unknown as Diagnostic[], input.text);
  for (const problem of input.problems) {
    const at = positionAt(input.text, problem.offset);
    // Spectral reports a Document's `parser` diagnostics as findings (Headroom's rule `parse`).
    (document.diagnostics as unknown[]).push({
      code: 'parser',
      message: problem.message,
      path: [],
      severity: 0,
      range: { start: at, end: { line: at.line, character: at.character + 1 } },
    });
  }
  return document;
}

interface Diagnostic {
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** A YAML line of blanks or a comment; a `---` or `...` marker with nothing else on its line. */
const BLANK = /^\s*(#.*)?$/;
const BARE_START = /^---\s*(#.*)?$/;
const BARE_END = /^\.\.\.\s*(#.*)?$/;

/**
 * The YAML parser reports a second document (`---` after the first) at 0:0 and with nothing to do:
 * the finding goes on the `---` that starts it and says that only the first document is read.
 * (Also for a `$ref`ed file that Spectral parsed itself: the engine hands its findings here.)
 */
export function placeSecondDocument(diagnostics: Diagnostic[], text: string): void {
  const found = diagnostics.find((d) => /single document in the stream/i.test(d.message));
  if (!found) return;
  const lines = text.split(/\r\n|\n/);
  /** The first document has begun (a `---` or content), has content, or was ended by `...`. */
  let started = false;
  let content = false;
  let ended = false;
  const place = (line: number, width: number) => {
    found.range = { start: { line, character: 0 }, end: { line, character: width } };
    // A marker with nothing after it (a trailing `---`) starts an empty document: there is no rest to move.
    const rest = !BARE_START.test(lines[line]) || lines.slice(line + 1).some((l) => !BLANK.test(l) && !BARE_START.test(l) && !BARE_END.test(l));
    found.message = rest
      ? `A second YAML document starts here: a spec is one document, and only the first${content ? '' : ', which is empty,'} is read. Move the rest into the first, or into its own file.`
      : 'A second, empty YAML document starts here: a spec is one document. Remove this marker.';
  };
  for (let line = 0; line < lines.length; line++) {
    const l = lines[line];
    const blank = BLANK.test(l);
    if (/^---(\s|$)/.test(l)) {
      if (started) return place(line, 3);
      started = true;
      // `--- {openapi: …}`: content on the marker's own line.
      if (!BARE_START.test(l)) content = true;
      continue;
    }
    if (/^\.\.\.(\s|$)/.test(l)) {
      ended = started || content;
      continue;
    }
    if (blank || (!content && l.startsWith('%'))) continue;
    // A bare document after `...` starts on its first line.
    if (ended) return place(line, l.trimEnd().length);
    started = true;
    content = true;
  }
}

/**
 * Text safe to hand to a parser that Headroom does not call itself (a `$ref`ed file, parsed by
 * Spectral or the lean engine): `parserInput` with the nesting bounded beforehand, since there is
 * no catching the parser's stack overflow there. `bomb` says what was left out (the `$ref` is
 * reported with it), worded to follow "leads to <file>, where".
 */
export function defuseAliases(text: string, path: string): { text: string; bomb?: TextProblem } {
  const input = parserInput(text, detectFormat(path, text), true);
  if (input.problems.length === 0) return { text: input.text };
  const message = input.problems
    .map((p) => (p.message.startsWith('YAML') ? p.message : lowerFirst(p.message).replace(' here;', ` (line ${positionAt(input.text, p.offset).line + 1});`)).replace(/\.$/, ''))
    .join('; ');
  return { text: input.text, bomb: { offset: input.problems[0].offset, message: `${message}.` } };
}

/** Something left out of a text before it was parsed; `offset` into the text handed to the parser. */
export interface TextProblem {
  offset: number;
  message: string;
}

interface ParserInput {
  text: string;
  problems: TextProblem[];
}

/**
 * The text as a parser should get it. Positions are counted as an editor counts them: a leading
 * byte order mark is dropped (editors do not show it; Spectral's YAML parser drops it too but
 * counts lines with it, putting every range after the first line one character off) and a lone
 * CR ends a line (it becomes LF: same length, and the parsers' line counts then agree with the
 * editor's). YAML aliases that would expand excessively are blanked (aliases.ts). With
 * `boundNesting`, what nests deeper than MAX_NESTING is blanked too (nesting.ts), found by a
 * cheap bound first and measured only when that bound is exceeded.
 */
export function parserInput(text: string, format: Format, boundNesting: boolean): ParserInput {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.includes('\r')) t = t.replace(/\r(?!\n)/g, '\n');
  const problems: TextProblem[] = [];
  const cap = (max: number) => {
    const capped = capNesting(t, format, max);
    t = capped.text;
    if (capped.problem) problems.push(capped.problem);
  };
  if (format === 'json') {
    if (boundNesting && jsonDeepSpans(t, MAX_NESTING).spans.length > 0) cap(MAX_NESTING);
    return { text: t, problems };
  }
  if (/!!binary|!!str|2002:binary|2002:str/.test(t)) {
    // Spectral's YAML parser throws on any `!!binary` and on an empty `!!str`: read them untagged.
    const first = t.search(CRASHING_TAG);
    if (first !== -1) {
      t = t.replace(CRASHING_TAG, (_m, before: string, tag: string) => before + ' '.repeat(tag.length));
      problems.push({ offset: first + (/^[\s[{,:?-]/.test(t[first]) ? 1 : 0), message: 'YAML tags !!binary, and !!str on an empty value, were left out: the YAML parser cannot read them.' });
    }
  }
  if (boundNesting && yamlDepthBound(t) > MAX_NESTING && yamlNesting(t) > MAX_NESTING) cap(MAX_NESTING);
  for (let round = 0; round < 4; round++) {
    const bomb = aliasBomb(t);
    if (bomb === undefined) break;
    if (bomb.tooDeep) {
      cap(round === 0 ? MAX_NESTING : 10);
      continue;
    }
    if (!problems.some((p) => p.message === bomb.message)) problems.push({ offset: bomb.offset, message: bomb.message });
    // The parser's own aliases first; should any remain, every alias the pattern finds; last, every `*`.
    t = round === 0 ? bomb.defused : round === 1 ? blankAliases(t) : t.replace(/\*/g, ' ');
  }
  if (PROTO_KEY.test(t)) {
    // Last, once the text is bounded: the parser's objects would take a mapping key `__proto__`
    // as their prototype (the root's `__proto__: {x-gateway-rate-limit: …}` applied that limit
    // everywhere), so it is renamed, keeping its length.
    const keys = protoKeys(t);
    for (const [start, end] of keys) {
      const quote = /^["']/.test(t[start]) ? t[start] : '';
      t = t.slice(0, start) + quote + '__PROTO__'.padEnd(end - start - 2 * quote.length) + quote + t.slice(end);
    }
    const first = keys.length > 0 ? keys[0][0] : -1;
    if (first !== -1) problems.push({ offset: first, message: 'A mapping key __proto__ was read as __PROTO__: as a key it would replace the prototype of the objects the YAML parser builds.' });
  }
  return { text: t, problems };
}

/** Tags Spectral's YAML parser (@stoplight/yaml-ast-parser 0.0.50) throws on. */
const CRASHING_TAG = /(^|[\s[{,:?-])(!!binary|!<tag:yaml\.org,2002:binary>|(?:!!str|!<tag:yaml\.org,2002:str>)(?=[ \t]*(?:#.*)?$))/gm;

/** Every YAML tag (`!name`, `!!name`, `!<uri>`) as spaces. */
function blankTags(text: string): string {
  return text.replace(/(^|[\s[{,:?-])(!<[^>\s]*>|![^\s,[\]{}]*)/gm, (_m, before: string, tag: string) => before + ' '.repeat(tag.length));
}

function mergeProblems(a: ParserInput, b: ParserInput): ParserInput {
  return { text: b.text, problems: [...a.problems, ...b.problems.filter((p) => !a.problems.some((q) => q.message === p.message))] };
}

/** The text without the collections opened deeper than `max` levels (0: without anything). */
function capNesting(text: string, format: Format, max: number): { text: string; problem?: TextProblem } {
  const spans: Span[] = max === 0 ? [[0, text.length]] : format === 'json' ? jsonDeepSpans(text, max).spans : yamlDeepSpans(text, max);
  if (spans.length === 0) return { text };
  const message =
    max === 0
      ? 'The document nests too deeply to be parsed at all; it was linted as empty.'
      : `Values nest deeper than ${max.toLocaleString('en-US')} levels here; what lies deeper was left out.`;
  return { text: blankSpans(text, spans, format === 'json' ? '0' : '~'), problem: { offset: spans[0][0], message } };
}

function lowerFirst(s: string): string {
  return s[0].toLowerCase() + s.slice(1);
}

/** OpenAPI version of a parsed root, or null when it is not an OpenAPI document. */
export function detectOpenApiVersion(data: unknown): OpenApiVersion | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const root = data as Record<string, unknown>;
  if (typeof root.swagger === 'string' || typeof root.swagger === 'number') {
    return String(root.swagger).startsWith('2') ? '2.0' : null;
  }
  if (typeof root.openapi === 'string') {
    if (/^3\.0(\.|$)/.test(root.openapi)) return '3.0';
    if (/^3\.1(\.|$)/.test(root.openapi)) return '3.1';
    if (/^3\.2(\.|$)/.test(root.openapi)) return '3.2';
  }
  return null;
}

/** `__proto__` in a YAML text, each character as itself or as a `\x`, `\u` or `\U` escape. */
export const PROTO_KEY = new RegExp(
  [...'__proto__']
    .map((c) => {
      const [hi, lo] = c.charCodeAt(0).toString(16);
      const hex = `${hi}[${lo}${lo.toUpperCase()}]`;
      return `(?:${c}|\\\\x${hex}|\\\\u00${hex}|\\\\U000000${hex})`;
    })
    .join(''),
);

/**
 * Where the mapping keys that read `__proto__` are in a YAML text ([start, end) of each key as
 * written, quotes included), found by the `yaml` library's parser: a `__proto__:` inside a quoted
 * or block scalar is text, not a key.
 */
function protoKeys(text: string): [number, number][] {
  const out: [number, number][] = [];
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch {
    return out;
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (!('contents' in doc)) continue;
    visit(doc, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.value === '__proto__' && pair.key.range) out.push([pair.key.range[0], pair.key.range[1]]);
      },
    });
  }
  return out.sort((a, b) => a[0] - b[0]);
}
