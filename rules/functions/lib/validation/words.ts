/** How the validate rule's messages show values and guess what was meant (lists: src/openapi/text.ts). */
import { editDistance } from '../../../../src/openapi/text';

/** YAML reads `version: 1.0` as a number: say so instead of showing the number it became. */
export const QUOTE_IT = 'found a number: quote the value';

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '..."' : s;
}

/** The candidate closest to `word` (case-insensitive edit distance), when close enough to be a likely typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.min(2, Math.floor(best.length / 3)) && best !== word ? best : undefined;
}

