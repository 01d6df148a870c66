import { defineRuleFunction } from './lib/define';
import {
  PAGINATION_OPTIONS_SCHEMA, type PaginationOptions, collectionOf, nextPageOf, operationsText, paginationParams, refKey, resolveOptions, returnsCursor, totalOf,
} from './lib/pagination';
import { type JsonPath, type Located, isObject, specOf, opLabel } from '../../src/openapi/spec';
import type { PaginationParams } from './lib/pagination';

const names = (params: Located[]): string => params.map((p) => `\`${p.value.name}\``).join(', ');

/** The inferred style and the parameters it was inferred from: "cursor (`starting_after`)". */
function styleText(params: PaginationParams): string {
  if (params.style === 'cursor') return `cursor (${names(params.cursor)})`;
  if (params.style === 'offset') return `offset (${names([...params.offset, ...params.size])})`;
  return `page number (${names([...params.page, ...params.size])})`;
}

/** A paginated GET collection's 200 response exposes the next page (a `Link` header or a body property such as `next_cursor`, `has_more`). */
export default defineRuleFunction<unknown, PaginationOptions | null>(
  { input: null, options: PAGINATION_OPTIONS_SCHEMA as any },
  function paginationNextLink(_input, options, ctx) {
    const spec = specOf(ctx);
    const r = resolveOptions(options);
    // One finding per response: a shared `$ref`'d response is reported once, naming how many operations use it.
    const found = new Map<string, { ops: string[]; property?: string; style: string; cursor: boolean; path: JsonPath }>();
    for (const op of spec.operations()) {
      const params = paginationParams(spec, op, r);
      if (params.style === undefined) continue;
      const c = collectionOf(spec, op, r, params);
      if (!c || nextPageOf(spec, c, r) !== undefined) continue;
      // A body property named like the cursor parameter is the cursor to send back.
      if (params.style === 'cursor' && returnsCursor(spec, c, params)) continue;
      // With offsets or page numbers the client computes the next page; a total says whether it exists.
      if (params.style !== 'cursor' && totalOf(spec, c, r) !== undefined) continue;
      const raw = isObject(op.value.responses) ? op.value.responses['200'] : undefined;
      const key = refKey(raw, op.file) ?? JSON.stringify(c.response.path);
      const where = `${opLabel(op)}`;
      const seen = found.get(key);
      if (seen) seen.ops.push(where);
      else found.set(key, { ops: [where], property: c.property, style: styleText(params), cursor: params.style === 'cursor', path: c.response.path });
    }
    return [...found.values()].map((f) => {
      const who = `${operationsText(f.ops)} ${f.ops.length > 1 ? 'return' : 'returns'}`;
      const what = f.property !== undefined ? `a collection (\`${f.property}\`)` : 'a collection (array)';
      return {
        message: f.cursor
          ? `${who} ${what} paginated by ${f.style}, but the 200 response exposes no next page (a \`Link\` header, or a property such as \`next\`, \`next_cursor\` or \`has_more\`).`
          : `${who} ${what} paginated by ${f.style}, but the 200 response exposes neither a next page nor a total (a \`Link\` header, a property such as \`next\` or \`has_more\`, or a total such as \`total_count\`).`,
        path: f.path,
      };
    });
  },
);
