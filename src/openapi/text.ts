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
