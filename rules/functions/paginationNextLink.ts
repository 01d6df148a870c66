import { createRulesetFunction } from '@stoplight/spectral-core';
import { PAGINATION_OPTIONS_SCHEMA, type PaginationOptions, collectionOf, nextPageOf, paginationParams, resolveOptions, totalOf } from './lib/pagination';
import { specOf } from './lib/spec';

/** A paginated GET collection's 200 response exposes the next page (a `Link` header or a body property such as `next_cursor`, `has_more`). */
export default createRulesetFunction<unknown, PaginationOptions | null>(
  { input: null, options: PAGINATION_OPTIONS_SCHEMA as any },
  function paginationNextLink(_input, options, ctx) {
    const spec = specOf(ctx);
    const r = resolveOptions(options);
    const results = [];
    for (const op of spec.operations()) {
      const params = paginationParams(spec, op, r);
      if (params.style === undefined) continue;
      const c = collectionOf(spec, op, r, params);
      if (!c || nextPageOf(spec, c, r) !== undefined) continue;
      // With offsets or page numbers the client can compute the next page; a total says whether it exists.
      if (params.style !== 'cursor' && totalOf(spec, c, r) !== undefined) continue;
      const returns = c.property !== undefined ? `a paginated collection (\`${c.property}\`)` : 'a paginated collection (array)';
      results.push({
        message: `${op.method.toUpperCase()} ${op.pathKey} returns ${returns} but its 200 response exposes no next page (a \`Link\` header, or a property such as \`next\`, \`next_cursor\` or \`has_more\`).`,
        path: c.response.path,
      });
    }
    return results;
  },
);
