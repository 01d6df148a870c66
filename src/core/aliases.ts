/**
 * YAML alias bombs ("billion laughs"): nine anchors of nine aliases each expand to 387 million
 * nodes, and Spectral's YAML parser expands every alias into a copy — a hang and gigabytes of
 * memory from a 1 KB file. Before such text is parsed, the expansion is measured with the `yaml`
 * package's guard (only when the text has alias tokens at all, which real specs rarely do); when it
 * is excessive, the aliases are blanked out (same length, so every range stays right) and the
 * document is linted without them, with a parse finding saying why.
 */
import { parseDocument } from 'yaml';

/** Alias uses, weighted by what each expands to, above which a document is refused. */
export const MAX_ALIAS_EXPANSION = 10_000;

const ALIAS = /(^|[\s[{,:?-])\*([^\s,[\]{}]+)/g;
const ANCHOR = /(^|[\s[{,:?-])&([^\s,[\]{}]+)/g;

export interface AliasBomb {
  /** Offset of the first alias in the text. */
  offset: number;
  message: string;
}

/** Is expanding the aliases of this YAML text excessive? (undefined: no aliases, or harmless ones) */
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
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length > 0) return undefined; // the real parser will report the syntax error
    doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
    return undefined;
  } catch (e) {
    if (!/alias/i.test((e as Error)?.message ?? '')) return undefined;
    return {
      offset: first.index + first[1].length,
      message: `YAML aliases here expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} nodes (a "billion laughs" pattern); the document was linted with its aliases left out.`,
    };
  }
}

/** The text with every alias replaced by a null of the same length (`*abc` → `~   `). */
export function blankAliases(text: string): string {
  return text.replace(ALIAS, (_m, before: string, name: string) => `${before}~${' '.repeat(name.length)}`);
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
