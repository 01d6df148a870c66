/** Fixes for the pagination family: a bounded `limit` + `cursor` pair, bounds on an existing page size, a `Link` header. */
import {
  collectionOf,
  nextPageOf,
  paginationParams,
  resolveOptions,
  totalOf,
  type PaginationOptions,
} from '../../../../rules/functions/lib/pagination';
import { isObject } from '../../../openapi/spec';
import type { Place } from '../model';
import { SCHEMA_BOUNDS } from '../order';
import { addParameter, fix, operationOf, responseOf, type FixContext, type FixProvider } from '../provider';
import { FixNotApplicable } from '../types';

export const paginationRequired: FixProvider = {
  offers: () => [fix('limit-cursor', 'Add bounded limit and cursor parameters')],
  apply(ctx) {
    const located = operationOf(ctx);
    const { spec } = ctx.model;
    const r = resolveOptions(ctx.ws.ruleOptions('pagination-required') as PaginationOptions);
    const params = paginationParams(spec, located.op, r);
    // Offsets and page numbers only lack a size; a size alone lacks a cursor.
    const wantLimit = params.size.length === 0;
    const wantCursor = params.offset.length === 0 && params.page.length === 0 && params.cursor.length === 0;
    if ((wantLimit && !r.size.has('limit')) || (wantCursor && !r.cursor.has('cursor'))) {
      throw new FixNotApplicable('the ruleset does not count limit/cursor as pagination parameters');
    }
    let added = false;
    if (wantLimit) added = addParameter(ctx, located, 'query', 'limit', (from) => ctx.components.parameter('Limit', from)) || added;
    if (wantCursor) added = addParameter(ctx, located, 'query', 'cursor', (from) => ctx.components.parameter('Cursor', from)) || added;
    if (!added) throw new FixNotApplicable('the parameters are there');

    // Paginated now: the client must see whether there is a next page (pagination-next-link).
    const style = params.cursor.length > 0 || wantCursor ? 'cursor' : params.offset.length > 0 ? 'offset' : 'page';
    const next = resolveOptions(ctx.ws.ruleOptions('pagination-next-link') as PaginationOptions);
    const c = collectionOf(spec, located.op, next, { ...params, style });
    if (c && nextPageOf(spec, c, next) === undefined && (style === 'cursor' || totalOf(spec, c, next) === undefined)) {
      const response = ctx.model.placeOf(c.response.path);
      if (response) ctx.components.addHeaders(response, ['Link']);
    }
  },
};

export const paginationNextLink: FixProvider = {
  offers: () => [fix('link', 'Add a Link response header (rel="next")')],
  apply(ctx) {
    if (ctx.components.addHeaders(responseOf(ctx), ['Link']).length === 0) throw new FixNotApplicable('Link is documented');
  },
};

export const paginationLimitBounded: FixProvider = {
  offers: () => [fix('bounds', 'Bound the page size (minimum 1, maximum 100)')],
  apply(ctx) {
    const { file, path } = ctx.finding;
    const target = ctx.model.physical(file, path);
    if (!target) throw new FixNotApplicable('no schema at the finding');
    // OAS 3: the finding is on the parameter's schema; the description is the parameter's.
    const param = ctx.model.isOas2 ? target : ctx.model.physical(file, path.slice(0, -1));
    const description = param && isObject(param.value) && typeof param.value.description === 'string' ? param.value.description : '';
    const options = ctx.ws.ruleOptions('pagination-limit-bounded') as PaginationOptions;
    if (!boundPageSize(ctx, target, description, options.requireMinimum ?? true)) throw new FixNotApplicable('the page size is bounded');
  },
};

/** Bound an existing `limit` parameter that a fix reuses (its schema in OAS 3, itself in 2.0). */
export function boundReusedLimit(ctx: FixContext, param: Place): void {
  const target = ctx.model.isOas2 ? param : ctx.model.physical(param.file, [...param.path, 'schema']);
  if (!target || !isObject(target.value)) return;
  const description = isObject(param.value) && typeof param.value.description === 'string' ? param.value.description : '';
  boundPageSize(ctx, target, description, true);
}

/**
 * Give a page-size schema `maximum` and `minimum: 1` (raising a lower minimum): the numbers the
 * description already states ("between 1 and 100", "up to 500"), else 100, never below a default.
 */
function boundPageSize(ctx: FixContext, place: Place, description: string, requireMinimum: boolean): boolean {
  const doc = ctx.session.doc(place.file);
  const s = doc.get(place.path);
  if (!isObject(s)) return false;
  if (Array.isArray(s.enum) && s.enum.length > 0) return false;
  const stated = statedBounds(description);
  let changed = false;
  if (typeof s.maximum !== 'number' && typeof s.exclusiveMaximum !== 'number') {
    const max = Math.max(stated.max ?? 100, typeof s.default === 'number' ? s.default : 0);
    changed = doc.setKey(place.path, 'maximum', max, SCHEMA_BOUNDS) || changed;
  }
  if (!requireMinimum) return changed;
  if (typeof s.exclusiveMinimum === 'number') {
    if (s.exclusiveMinimum < 0) {
      doc.replace([...place.path, 'exclusiveMinimum'], 0);
      changed = true;
    }
  } else if (typeof s.minimum === 'number') {
    const low = s.exclusiveMinimum === true ? Math.floor(s.minimum) + 1 : s.minimum;
    if (low < 1) {
      doc.replace([...place.path, 'minimum'], s.exclusiveMinimum === true ? 0 : 1);
      changed = true;
    }
  } else {
    changed = doc.setKey(place.path, 'minimum', Math.max(1, stated.min ?? 1), SCHEMA_BOUNDS) || changed;
  }
  return changed;
}

/** Bounds a parameter's description states: "between 1 and 100", "up to 500", "maximum of 50", "max 25". */
function statedBounds(description: string): { min?: number; max?: number } {
  const between = /between\s+(\d+)\s+and\s+(\d+)/i.exec(description);
  if (between) return { min: Number(between[1]), max: Number(between[2]) };
  const max = /(?:up to|at most|no more than|maximum(?: value)?(?: of| is)?|max(?:imum)?[:=]?)\s+(\d+)/i.exec(description);
  return max ? { max: Number(max[1]) } : {};
}
