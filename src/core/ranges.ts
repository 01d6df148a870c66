/**
 * Spectral locates an object node by its whole value (often dozens of lines). Editors want the
 * squiggle on the key that names it, as other OpenAPI linters do: this narrows such ranges to the
 * property key (YAML or JSON), or to the first line of an array item.
 */
import type { Range } from './types';

export function narrowRange(lines: string[], range: Range): Range {
  const first = (lines[range.start.line] ?? '').slice(range.start.character).trimStart()[0];
  const empty = range.start.line === range.end.line && range.start.character === range.end.character;
  // A key with no value (`x-gateway-rate-limit:`) has an empty value range: show the key.
  const container = empty || range.start.line !== range.end.line || first === '{' || first === '[';
  if (!container) return range;
  const key = keyBefore(lines, range.start.line, range.start.character);
  if (key) return key;
  // An array item or a root node: keep its first line, trimmed.
  const line = lines[range.start.line] ?? '';
  const end = line.trimEnd().length;
  if (range.start.line !== range.end.line && end > range.start.character) return { start: range.start, end: { line: range.start.line, character: end } };
  return range;
}

/** The key token that precedes a value starting at (line, character), on the same line. */
function keyBefore(lines: string[], lineNo: number, character: number): Range | undefined {
  const line = lines[lineNo];
  if (line === undefined) return undefined;
  let i = Math.min(character, line.length) - 1;
  while (i >= 0 && /\s/.test(line[i])) i--;
  if (line[i] !== ':') return undefined;
  i--;
  while (i >= 0 && /\s/.test(line[i])) i--;
  if (i < 0) return undefined;
  const end = i + 1;
  const quote = line[i];
  if (quote === '"' || quote === "'") {
    let j = i - 1;
    while (j >= 0 && !(line[j] === quote && line[j - 1] !== '\\')) j--;
    if (j < 0) return undefined;
    return { start: { line: lineNo, character: j }, end: { line: lineNo, character: end } };
  }
  // A block key runs from the start of the line's content (after `- ` item markers) and may hold
  // spaces, braces or dashes (`/pets/{id}`, `My Schema`, `x-gateway-cache`).
  const content = /^(\s*(?:-\s+)*)/.exec(line)![1].length;
  const block = line.slice(content, end);
  if (!/^[{[]/.test(block) && !/:\s/.test(block) && !/,\s/.test(block)) {
    return { start: { line: lineNo, character: content }, end: { line: lineNo, character: end } };
  }
  // Inside a flow mapping (`{ttl: 1m, methods: [GET]}`): back to the last separator.
  let j = i;
  while (j > 0 && !/[\s{,]/.test(line[j - 1])) j--;
  return { start: { line: lineNo, character: j }, end: { line: lineNo, character: end } };
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
