import { defineRuleFunction } from './lib/define';
import {
  PAGINATION_OPTIONS_SCHEMA, type PaginationOptions, collectionOf, fixedResultSet, msPageable, isBounded, isPluralNoun, isSingularOf, nextPageOf, paginationParams, resolveOptions, statedListBound,
} from './lib/pagination';
import { type Located, specOf, sharedOpLabel } from '../../src/openapi/spec';

const quoted = (params: Located[]): string => params.map((p) => `\`${p.value.name}\``).join(', ');

/** A GET operation that returns a collection accepts a recognised pagination style (cursor, offset + size, page with or without a size). */
export default defineRuleFunction<unknown, PaginationOptions | null>(
  { input: null, options: PAGINATION_OPTIONS_SCHEMA as any },
  function paginationRequired(_input, options, ctx) {
    const spec = specOf(ctx);
    const r = resolveOptions(options);
    const results = [];
    for (const node of spec.operationNodes()) {
      const { op } = node;
      const params = paginationParams(spec, op, r);
      // A time window (`before=<timestamp>` with `limit`) walks the list too; so does a page number
      // alone: the server fixes the page size (API Platform, GitHub's /autolinks, Discourse).
      if (params.style !== undefined || (params.time.length > 0 && params.size.length > 0) || params.page.length > 0) continue;
      const c = collectionOf(spec, op, r, params);
      // A bounded array needs no pages; pages reached through a link the response gives (a `Link`
      // header, `next_page_url`) need no declared cursor parameter.
      if (!c || isBounded(spec, c) || nextPageOf(spec, c, r)?.isLink) continue;
      // A search or top-N endpoint answers with as many results as asked for; a batch get with the
      // items it names: neither has a next page.
      if (fixedResultSet(spec, op, params) !== undefined) continue;
      // Azure's `x-ms-pageable` declares how the list pages: by the link its `nextLinkName`
      // property holds, or (without one) not at all, in a single page.
      if (msPageable(op) !== undefined) continue;
      const what = sharedOpLabel(node);
      const returns = c.property !== undefined ? `a collection (\`${c.property}\`)` : 'a collection (array)';
      const item = itemParam(op.pathKey);
      const stated = statedListBound(op);
      let message: string;
      if (params.offset.length > 0) {
        message = `${what} accepts ${quoted(params.offset)} but no page-size parameter (such as \`limit\`) to go with it.`;
      } else if (params.size.length > 0) {
        message = `${what} returns ${returns} and accepts ${quoted(params.size)} but no cursor, offset or page parameter to reach the next page.`;
      } else if (item !== undefined) {
        // The petstore's GET /pets/{petId} declares an array: one item wrapped in a list, or a list under one item?
        message = `${what} returns ${returns}, though its path ends in one item (\`{${item}}\`): if it answers with that item, declare the item's schema; if it is a list, it accepts no pagination parameters (a cursor, offset + limit, or a page number).`;
      } else if (stated !== undefined) {
        // The operation bounds it in words ("up to 10 most recent"): the contract should say so.
        message = `${what} returns ${returns} but accepts no pagination parameters (a cursor, offset + limit, or a page number); its description says "${stated.quote}": if it never returns more, declare \`maxItems: ${stated.n}\` on the array.`;
      } else {
        message = `${what} returns ${returns} but accepts no pagination parameters (a cursor, offset + limit, or a page number).`;
      }
      results.push({ message, path: op.value.parameters !== undefined ? [...op.path, 'parameters'] : op.path });
    }
    return results;
  },
);

/**
 * The path parameter that ends an item path: an identifier after the collection it picks from
 * (`/pets/{petId}`, `/rules/{rule_id}`), or the collection's singular (`/blocks/{block}`). Not a
 * filter (`/Games/{season}`, `/NewsByPlayerID/{playerid}`) nor several items (`/pets/{ids}`).
 */
function itemParam(pathKey: string): string | undefined {
  const m = /\/([^/{}]+)\/\{([^}]+)\}\/?$/.exec(pathKey);
  if (!m) return undefined;
  const [, collection, param] = m;
  return isPluralNoun(collection) && (/(^|[^s])(id|uuid|guid|key|slug)$/i.test(param) || isSingularOf(param, collection)) ? param : undefined;
}
