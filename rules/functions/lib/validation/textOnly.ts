/**
 * Did a document change only in its free text? In the OpenAPI 3.x schemas every `description`,
 * `summary` and `title` that holds a string may hold any string (Info, Tag, Operation, Parameter,
 * Response, Schema, Example, Server, security scopes…): no enum, pattern, length or format. Wherever
 * a property of that name must be something else (a schema under `properties`, a header under
 * `headers`), a string there is wrong whatever it says. So two documents that differ only in the
 * strings under such keys are both valid or both invalid, in the same places: the `validate` rule
 * reuses its last result for an edit inside a description (typing in a 13 MB spec).
 * test/validate-text-edits.test.ts checks the premise on the schemas, and the reuse against full
 * validation on random text edits of real specs.
 */
const TEXT = new Set(['description', 'summary', 'title']);
const TEXT_WORDS = [...TEXT];

/**
 * True when `a` and `b` have the same keys in the same order, the same values, except strings
 * under the keys above (on both sides), and no `$ref` that could point into such a string (its
 * text then stands elsewhere, where the schema may constrain it).
 */
export function differsOnlyInText(a: unknown, b: unknown): boolean {
  return compareText(a, b) !== Difference.Other;
}

export enum Difference {
  None = 0,
  /** Only in text, as `differsOnlyInText` says. */
  Text = 1,
  Other = 2,
}

/**
 * How two values differ: not at all, only in text, or otherwise (then said as soon as seen).
 * Recursive, without allocating per node (a 13 MB spec is compared on every key); a document
 * nested deeper than the stack allows is said to differ otherwise.
 */
export function compareText(a: unknown, b: unknown): Difference {
  try {
    return compare(a, b);
  } catch (e) {
    if (e instanceof RangeError) return Difference.Other;
    throw e;
  }
}

/**
 * What comparing a subtree with itself says, for subtrees both documents share: an edit re-parsed
 * incrementally (src/openapi/incrementalJson.ts, incrementalYaml.ts) copies only the objects on
 * the edited path, so after the first keystroke every other subtree is answered from here instead
 * of walked again. Not simply "no difference": a `$ref` into text or a non-JSON value inside still
 * says otherwise. Parsed documents are never mutated (the incremental parsers depend on that too).
 */
const selfComparison = new WeakMap<object, Difference>();

function compare(x: unknown, y: unknown, shared = true): Difference {
  if (x === null || typeof x !== 'object' || y === null || typeof y !== 'object') return x === y ? Difference.None : Difference.Other;
  if (x === y && shared) {
    let d = selfComparison.get(x);
    if (d === undefined) {
      d = compare(x, y, false); // walked once, without remembering every node inside
      selfComparison.set(x, d);
    }
    return d;
  }
  let found = Difference.None;
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return Difference.Other;
    for (let i = 0; i < x.length; i++) {
      const d = compare(x[i], y[i], shared);
      if (d === Difference.Other) return d;
      if (d === Difference.Text) found = d;
    }
    return found;
  }
  if (Array.isArray(y) || !plain(x) || !plain(y)) return Difference.Other;
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  // `for…in` lists a plain object's own keys in Object.keys order, without a copy of them.
  const yKeys = Object.keys(yo);
  let i = 0;
  for (const k in xo) {
    if (k !== yKeys[i++]) return Difference.Other;
    const xv = xo[k];
    const yv = yo[k];
    if (k === '$ref' && typeof xv === 'string' && refersToText(xv)) return Difference.Other;
    if (TEXT.has(k) && typeof xv === 'string' && typeof yv === 'string') {
      if (xv !== yv) found = Difference.Text;
      continue;
    }
    const d = compare(xv, yv, shared);
    if (d === Difference.Other) return d;
    if (d === Difference.Text) found = d;
  }
  return i === yKeys.length ? found : Difference.Other;
}

/** Only JSON values compare: a parser's Date, say, has no keys to compare. */
function plain(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

/** Could this `$ref` land on (or inside) a text property? Any segment of its pointer named like one counts. */
function refersToText(ref: string): boolean {
  const hash = ref.indexOf('#');
  if (hash === -1) return false; // a whole file: its root is no text property
  // Unescaping `~0`/`~1` adds no letter: without `%`, no segment can name one unless the text does.
  if (!ref.includes('%') && !TEXT_WORDS.some((word) => ref.includes(word))) return false;
  for (const segment of ref.slice(hash + 1).split('/')) if (TEXT.has(decodeSegment(segment))) return true;
  return false;
}

function decodeSegment(segment: string): string {
  let s = segment;
  try {
    s = decodeURIComponent(s);
  } catch {
    // not percent-encoded after all: compared as written
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}
