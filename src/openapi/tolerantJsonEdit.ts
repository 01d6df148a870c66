/**
 * A large JSON text that `JSON.parse` refuses, read after an edit of the last text that was JSON.
 * Typing breaks one place (`"string"` loses its closing quote, a key is half typed, a comma goes
 * missing), and reading all of GitHub's 13 MB spec as Spectral does (tolerantJson.ts) takes
 * ~270 ms of each such key. When the change lies on one line, inside a container (`{…}`, `[…]`)
 * of the last text whose brackets it leaves alone, and Spectral's parser reads that container's
 * new text as one container closed by its last character (`readContainerAsSpectral`), the parser
 * emits the same events for the whole text as for the last one, except inside the container: the
 * data is the last data with the container's value replaced, its problems are the only problems,
 * and every node outside it is where it was (moved along the edited line by the change in length).
 * The innermost such container is tried first, then the ones around it, up to a size; anything
 * else is read in full. test/core/tolerantJsonEdit.test.ts holds it to the full read on real
 * specs broken at random.
 */
import type { Range } from '../shared/types';
import { commonPrefix, commonSuffix, replaced, type LastParse, type TextShape } from './incrementalJson';
import { locatorKey } from './jsonLocator';
import { JsonWalk, Token } from './jsonWalk';
import { jsonDeepSpans, MAX_NESTING } from './nesting';
import { readContainerAsSpectral, readsAsGiven, type TolerantJson } from './tolerantJson';

type Segment = string | number;

/** Containers tried, innermost first. */
const TRIES = 3;
/** A container this large saves little over reading the whole text; the scan for one stops there. */
const MAX_CONTAINER = 1 << 20;

/** `text` read as `parseTolerantJson(text)` reads it, from `last`; undefined when that cannot be done this way. */
export function readAfterEdit(last: LastParse | undefined, text: string): TolerantJson | undefined {
  if (last === undefined || last.duplicates !== false) return undefined;
  const before = last.text;
  const from = commonPrefix(before, text);
  const suffix = commonSuffix(before, text, from);
  const to = before.length - suffix; // the last text changed in [from, to)
  const delta = text.length - before.length;
  if (lineBreakIn(before, from, to) || lineBreakIn(text, from, to + delta)) return undefined;
  // What parseTolerantJson asks of the whole text, but the nesting (below, from the last text's).
  if (!readsAsGiven(text, false)) return undefined;
  // A `__proto__` key outside the container, escaped, is Spectral's to read (the whole read says so).
  const shape = shapeOf(last);
  if (shape.protoKey) return undefined;
  for (const c of containersAround(before, from, to)) {
    const inner = text.slice(c.start, c.close + delta + 1);
    // Spectral's JSON parser also breaks lines at U+2028 / U+2029 between tokens, which a change
    // can bring out of a string: the lines after the container would move.
    if (/[\u2028\u2029]/.test(inner)) return undefined;
    // The new text nests no deeper than the last one plus the container's own depth: under
    // MAX_NESTING, nothing is left out for depth (nesting.ts), as in the whole text read.
    if (shape.deepest + jsonDeepSpans(inner, MAX_NESTING).depth > MAX_NESTING) return undefined;
    const read = readContainerAsSpectral(inner);
    if (read === undefined) continue;
    const data = replaced(last.data, c.path, read.data);
    if (data === undefined) return undefined;
    // Container-relative positions: its first line starts at its opening bracket.
    const column = c.start - c.lineStart;
    const place = (p: Range['start']) => (p.line === 0 ? { line: c.line, character: column + p.character } : { line: c.line + p.line, character: p.character });
    const placed = (r: Range | undefined) => r && { start: place(r.start), end: place(r.end) };
    // Outside the container, what stood after the change on its line moved by its length.
    const editLine = c.line + lineBreaks(before, c.start, from);
    const after = to - (before.lastIndexOf('\n', from - 1) + 1);
    const move = (p: Range['start']) => (p.line === editLine && p.character >= after ? { line: p.line, character: p.character + delta } : p);
    // A path reaches the container where Spectral's walk does: an object's key compared with the segment as the locator reads it.
    const inside = (path: readonly Segment[]) => path.length >= c.path.length && c.path.every((s, i) => locatorKey(path[i]) === String(s));
    return {
      data,
      problems: read.problems.map((p) => ({ message: p.message, range: placed(p.range)! })),
      ranges: (paths) => {
        const out: (Range | undefined)[] = new Array(paths.length);
        const outside: number[] = [];
        paths.forEach((p, i) => {
          if (inside(p)) out[i] = placed(read.rangeOf(p.slice(c.path.length)));
          else outside.push(i);
        });
        const found = outside.length > 0 ? last.ranges(outside.map((i) => paths[i])) : [];
        outside.forEach((i, k) => {
          const r = found?.[k];
          out[i] = r && { start: move(r.start), end: move(r.end) };
        });
        return out;
      },
    };
  }
  return undefined;
}

interface Container {
  /** Offsets of its opening and closing bracket. */
  start: number;
  close: number;
  path: Segment[];
  /** Line of its opening bracket, and where that line starts. */
  line: number;
  lineStart: number;
}

/**
 * The containers of valid JSON `text` that hold the change [from, to) without touching their
 * brackets, innermost first: at most TRIES, each under MAX_CONTAINER characters.
 */
function containersAround(text: string, from: number, to: number): Container[] {
  const walk = new JsonWalk(text);
  const out: Container[] = [];
  while (out.length < TRIES && walk.offset - from < MAX_CONTAINER) {
    const token = walk.next();
    if (token === END) break;
    if (token !== CLOSE) continue;
    // Open before the change and closed after it: the change is inside.
    const f = walk.closed!;
    const close = walk.start;
    if (f.start < from && close >= to && close - f.start < MAX_CONTAINER) out.push({ start: f.start, close, path: walk.path(), line: f.line, lineStart: f.lineStart });
  }
  return out;
}

// Read once: a walk compares millions of tokens with them.
const { End: END, Close: CLOSE } = Token;

/**
 * How deep the last text nests and whether it has a `__proto__` key, found once per parse (an
 * edit inside a value keeps it); the editor asks ahead, while idle, so the first key that breaks
 * the text does not wait for it.
 */
export function shapeOf(last: LastParse): TextShape {
  return (last.shape ??= { deepest: jsonDeepSpans(last.text, MAX_NESTING).depth, protoKey: hasProtoKey(last.data) });
}

/** Does an object in `data` have its own key `__proto__` (JSON.parse makes one of `"\u005f_proto__"` too)? */
function hasProtoKey(data: unknown): boolean {
  const stack = [data];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    if (!Array.isArray(x) && Object.hasOwn(x, '__proto__')) return true;
    for (const k in x) stack.push((x as Record<string, unknown>)[k]);
  }
  return false;
}

function lineBreakIn(text: string, from: number, to: number): boolean {
  const n = text.indexOf('\n', from);
  const r = text.indexOf('\r', from);
  return (n !== -1 && n < to) || (r !== -1 && r < to);
}

function lineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
