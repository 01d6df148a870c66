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

/**
 * True when `a` and `b` have the same keys in the same order, the same values, except strings
 * under the keys above (on both sides), and no `$ref` that could point into such a string (its
 * text then stands elsewhere, where the schema may constrain it). Iterative: any depth.
 */
export function differsOnlyInText(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y && (x === null || typeof x !== 'object')) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], ys[i]]);
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = Object.keys(xo);
    const yKeys = Object.keys(yo);
    if (keys.length !== yKeys.length) return false;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== yKeys[i]) return false;
      const xv = xo[k];
      const yv = yo[k];
      if (k === '$ref' && typeof xv === 'string' && refersToText(xv)) return false;
      if (TEXT.has(k) && typeof xv === 'string' && typeof yv === 'string') continue;
      stack.push([xv, yv]);
    }
  }
  return true;
}

/** Could this `$ref` land on (or inside) a text property? Any segment of its pointer named like one counts. */
function refersToText(ref: string): boolean {
  const hash = ref.indexOf('#');
  if (hash === -1) return false; // a whole file: its root is no text property
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
