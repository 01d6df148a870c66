/** How findings and errors list names: written once, so every message reads alike. */

/** `a`, `a and b`, `a, b and c` (or `or`). */
export function listText(items: string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Names in single quotes: `'a', 'b'`, or with a conjunction `'a' or 'b'`. */
export function quoteList(names: string[], conjunction?: 'and' | 'or'): string {
  const quoted = names.map((n) => `'${n}'`);
  return conjunction === undefined ? quoted.join(', ') : listText(quoted, conjunction);
}

/** Edit distance (optimal string alignment: insertions, deletions, substitutions and swaps of neighbours), for "did you mean". */
export function editDistance(a: string, b: string): number {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
