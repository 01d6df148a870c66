/**
 * Mutations of a spec's text as fast-check arbitraries. Positions are drawn as plain numbers and
 * taken modulo the text's size, so one arbitrary serves every seed spec and a failing run can be
 * replayed on the same spec with the printed counterexample.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; bytes: { at: number; value: number }[] }
  | { kind: 'deleteLines'; lines: number[] }
  | { kind: 'duplicateKey'; pick: number; withBlock: boolean }
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'moveLines'; from: number; count: number; to: number };

const position = fc.nat({ max: 2 ** 31 - 1 });

export const truncate = position.map((at): Mutation => ({ kind: 'truncate', at }));

export const flip = fc
  .array(fc.record({ at: position, value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 })
  .map((bytes): Mutation => ({ kind: 'flip', bytes }));

export const deleteLines = fc.uniqueArray(position, { minLength: 1, maxLength: 12 }).map((lines): Mutation => ({ kind: 'deleteLines', lines }));

export const duplicateKey = fc.record({ pick: position, withBlock: fc.boolean() }).map((m): Mutation => ({ kind: 'duplicateKey', ...m }));

/** Tokens that matter to YAML and JSON parsers, `$ref` resolution and the rules. */
export const TOKENS = [
  '{', '}', '[', ']', ',', ':', ': ', '- ', '? ', '"', "'", '#', '|', '>', '&a ', '*a', '<<: *a', '!!str ', '!!binary ',
  '\t', '\0', '\r', '\r\n', '\n', '\uFEFF', '\u2028', '\uD800', '\\', '\\u', '---\n', '...\n', '%YAML 1.2\n',
  '$ref: "#"', '$ref: "#/"', '$ref: "#/paths"', '{"$ref": "#"}', '$ref: ./nowhere.yaml', '$ref: "../../../../etc/passwd"', '$ref: "http://127.0.0.1:9/x"', '"$ref": 1',
  'x-gateway-rate-limit: {requests: -1, window: "0s"}', 'x-gateway-cache: {ttl: 1y}', 'x-lint-ignore: [validate]', 'security: [{}]',
  'null', '~', 'true', '1e309', '-0', '0x1F', '.inf', '""', "''", '[]', '{}', 'openapi: 3.1.0\n', 'swagger: "2.0"\n',
];

export const insert = fc.record({ at: position, token: fc.constantFrom(...TOKENS) }).map((m): Mutation => ({ kind: 'insert', ...m }));

export const moveLines = fc
  .record({ from: position, count: fc.integer({ min: 1, max: 20 }), to: position })
  .map((m): Mutation => ({ kind: 'moveLines', ...m }));

/** One to four text mutations in a row (not byte flips: those have their own property). */
export const mixed = fc.array(fc.oneof(truncate, deleteLines, duplicateKey, insert, moveLines) as fc.Arbitrary<Exclude<Mutation, { kind: 'flip' }>>, {
  minLength: 1,
  maxLength: 4,
});

const KEY_LINE = /^(\s*)("(?:[^"\\]|\\.)+"|'[^']+'|[^\s#\-?'"{[][^:#]*?)\s*:(\s|$)/;

/** Apply a mutation: byte flips give bytes (maybe invalid UTF-8), the others text. */
export function mutate(text: string, m: Mutation): string | Uint8Array {
  if (m.kind === 'flip') return flipBytes(Buffer.from(text, 'utf8'), m.bytes);
  return mutateText(text, m);
}

/** Apply a text mutation. */
export function mutateText(text: string, m: Exclude<Mutation, { kind: 'flip' }>): string {
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'deleteLines': {
      const lines = text.split('\n');
      const drop = new Set(m.lines.map((l) => l % lines.length));
      return lines.filter((_, i) => !drop.has(i)).join('\n');
    }
    case 'duplicateKey': {
      const lines = text.split('\n');
      const keys = lines.map((l, i) => [l, i] as const).filter(([l]) => KEY_LINE.test(l));
      if (keys.length === 0) return text;
      const [line, i] = keys[m.pick % keys.length];
      let end = i + 1;
      if (m.withBlock) {
        const indent = KEY_LINE.exec(line)![1].length;
        while (end < lines.length && (lines[end].trim() === '' || lines[end].length - lines[end].trimStart().length > indent)) end++;
      }
      return [...lines.slice(0, end), ...lines.slice(i, end), ...lines.slice(end)].join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.token + text.slice(at);
    }
    case 'moveLines': {
      const lines = text.split('\n');
      const from = m.from % lines.length;
      const chunk = lines.splice(from, m.count);
      const to = m.to % (lines.length + 1);
      lines.splice(to, 0, ...chunk);
      return lines.join('\n');
    }
  }
}

export function flipBytes(bytes: Uint8Array, flips: { at: number; value: number }[]): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (out.length === 0) return out;
  for (const f of flips) out[f.at % out.length] = f.value;
  return out;
}
