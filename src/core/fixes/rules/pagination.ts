/** Fixes for the pagination family: a bounded `limit` + `cursor` pair, bounds on an existing page size, a `Link` header. */
import {
  collectionOf,
  LOWEST_PAGE_SIZE,
  lowestPageSize,
  nextPageOf,
  normalizeName,
  paginationParams,
  resolveOptions,
  totalOf,
  type PaginationOptions,
  type Collection,
  type PaginationParams,
  type Resolved,
  statedBounds,
  statedListBound,
} from '../../../../rules/functions/lib/pagination';
import { isObject, type Located, type Operation } from '../../../openapi/spec';
import { refString } from '../components';
import type { Place } from '../model';
import { SCHEMA_BOUNDS } from '../order';
import { addParameter, fix, operationOf, responseOf, type FixContext, type FixProvider } from '../provider';
import { TabStop, type Planned } from '../session';
import { FixNotApplicable } from '../types';

/** A query parameter a fix adds: its name, and what goes into the operation's `parameters`. */
interface ParamPlan {
  name: string;
  value: (fromFile: string) => Planned;
  /** The bounds a newly created page-size parameter gets, as the title states them. */
  values?: string;
}

interface PaginationPlan {
  located: { op: Operation; place: Place };
  size?: ParamPlan;
  next?: ParamPlan;
  /** The pagination style of the operation once the parameters are added. */
  style: 'cursor' | 'offset' | 'page';
  params: PaginationParams;
  /** The list response it documents a `Link` header on, so clients see whether a next page exists. */
  link?: Place;
  /** Or, where the document shows the next page in the body, the object schema that gets that property. */
  bodyNext?: { place: Place; convention: BodyNext; container: boolean };
}

/** A paging parameter the document already uses: the most common name of its kind, and one definition of it. */
interface Convention {
  name: string;
  count: number;
  /** A shared parameter (`$ref`ed where it is used), or an inline definition to copy. */
  ref?: Place;
  inline?: Record<string, unknown>;
}

type ConventionKind = 'size' | 'cursor' | 'page' | 'offset';
const conventionCache = new WeakMap<object, Partial<Record<ConventionKind, Convention>>>();

/**
 * The paging parameters the document's other operations take (Twilio's `PageSize` / `PageToken`,
 * GitHub's `per_page` / `page`, Stripe's `limit` / `starting_after`): per kind, the name most
 * operations use, and where it is defined. Found once per document.
 */
function conventions(ctx: FixContext, r: Resolved): Partial<Record<ConventionKind, Convention>> {
  const cached = conventionCache.get(ctx.model);
  if (cached) return cached;
  const { spec } = ctx.model;
  const counts: Record<ConventionKind, Map<string, Convention>> = { size: new Map(), cursor: new Map(), page: new Map(), offset: new Map() };
  for (const op of spec.operations()) {
    const seen = new Set<string>();
    for (const owner of [op.pathItem, op as Located]) {
      const list = spec.child<unknown[]>(owner, 'parameters');
      if (!list || !Array.isArray(list.value)) continue;
      for (const raw of list.value) {
        const isRef = isObject(raw) && typeof raw.$ref === 'string';
        const target = isRef ? ctx.model.deref({ file: list.file, path: [], value: raw }) : undefined;
        const value = isRef ? target?.value : raw;
        if (!isObject(value) || value.in !== 'query' || typeof value.name !== 'string') continue;
        const n = normalizeName(value.name);
        const kind: ConventionKind | undefined = r.cursor.has(n) ? 'cursor' : r.page.has(n) ? 'page' : r.offset.has(n) ? 'offset' : r.size.has(n) ? 'size' : undefined;
        if (!kind || seen.has(n)) continue;
        seen.add(n);
        const entry = counts[kind].get(n) ?? { name: value.name, count: 0 };
        entry.count++;
        if (!entry.ref && !entry.inline) {
          if (target) entry.ref = target;
          else entry.inline = value;
        }
        counts[kind].set(n, entry);
      }
    }
  }
  const out: Partial<Record<ConventionKind, Convention>> = {};
  for (const kind of Object.keys(counts) as ConventionKind[]) {
    let best: Convention | undefined;
    for (const c of counts[kind].values()) if (!best || c.count > best.count) best = c;
    if (best) out[kind] = best;
  }
  conventionCache.set(ctx.model, out);
  return out;
}

/** How the document's list responses show the next page in the body: `meta.next_page_url`, `next`. */
interface BodyNext {
  /** The object it lives in (`meta`, `links`), or none: a property of the list object itself. */
  container?: string;
  name: string;
  /** Its schema, copied where a fix adds it. */
  schema: Planned;
}

const bodyNextCache = new WeakMap<object, BodyNext | null>();

/**
 * The next-page property the document's list responses use (Twilio's `meta.next_page_url`), when
 * they show it in the body and never in a header: a fix then follows it rather than documenting a
 * `Link` header the API does not send. The most common one; found once per document.
 */
function bodyNextConvention(ctx: FixContext, r: Resolved): BodyNext | undefined {
  const cached = bodyNextCache.get(ctx.model);
  if (cached !== undefined) return cached ?? undefined;
  const { spec } = ctx.model;
  const counts = new Map<string, { next: BodyNext; count: number }>();
  let headers = 0;
  for (const op of spec.operations()) {
    const c = collectionOf(spec, op, r);
    const next = c && nextPageOf(spec, c, r);
    if (!next) continue;
    if (next.via === 'header') headers++;
    else {
      const seen = counts.get(next.name);
      if (seen) seen.count++;
      else if (isObject(next.schema)) {
        const { container, inner } = next;
        counts.set(next.name, { next: { ...(container ? { container } : {}), name: inner ?? next.name, schema: structuredClone(next.schema) as Planned }, count: 1 });
      }
    }
  }
  let best: { next: BodyNext; count: number } | undefined;
  for (const c of counts.values()) if (!best || c.count > best.count) best = c;
  const found = headers === 0 ? best?.next : undefined;
  bodyNextCache.set(ctx.model, found ?? null);
  return found;
}

/** A place of the spec written inline where it is used (not a shared component other operations use too). */
function isInline(place: Place): boolean {
  return !place.path.some((k) => k === 'components' || k === 'definitions');
}

function reuse(c: Convention): ParamPlan {
  return {
    name: c.name,
    value: (from) => (c.ref ? { $ref: refString(c.ref, from) } : (structuredClone(c.inline) as Planned)),
  };
}

const LIMIT_VALUES = 'minimum: 1, maximum: 100, default: 20';

/** What pagination-required's fix adds: the document's own paging parameters, else `limit` and `cursor`. */
function planPagination(ctx: FixContext): PaginationPlan {
  const located = operationOf(ctx);
  const { spec } = ctx.model;
  const r = resolveOptions(ctx.ws.ruleOptions('pagination-required') as PaginationOptions);
  // OpenAPI 3.2: an operation that describes its query string as one `in: querystring` parameter
  // takes no `in: query` ones beside it; what it pages by belongs in that schema, which is the API's.
  if (spec.parameters(located.op).some((p) => p.value.in === 'querystring')) throw new FixNotApplicable('the operation describes its whole query string (in: querystring): add the paging parameters to that schema');
  const params = paginationParams(spec, located.op, r);
  // Offsets and page numbers only lack a size; a size alone lacks a cursor.
  const wantSize = params.size.length === 0;
  const wantNext = params.offset.length === 0 && params.page.length === 0 && params.cursor.length === 0;
  const conv = conventions(ctx, r);
  let size: ParamPlan | undefined;
  let next: ParamPlan | undefined;
  let style: PaginationPlan['style'] = params.style ?? (params.cursor.length > 0 ? 'cursor' : params.offset.length > 0 ? 'offset' : 'page');
  if (wantSize) {
    if (conv.size) size = reuse(conv.size);
    else if (r.size.has('limit')) {
      size = {
        name: 'limit',
        value: (from) => ctx.components.parameter('Limit', from),
        ...(ctx.components.hasParameter('Limit') ? {} : { values: LIMIT_VALUES }),
      };
    } else throw new FixNotApplicable('the ruleset does not count limit as a page size');
  }
  if (wantNext) {
    const found = conv.cursor ? (['cursor', conv.cursor] as const) : conv.page ? (['page', conv.page] as const) : conv.offset ? (['offset', conv.offset] as const) : undefined;
    if (found) {
      style = found[0];
      next = reuse(found[1]);
    } else if (r.cursor.has('cursor')) {
      style = 'cursor';
      next = { name: 'cursor', value: (from) => ctx.components.parameter('Cursor', from) };
    } else throw new FixNotApplicable('the ruleset does not count cursor as a pagination parameter');
  }
  // Paginated now: the client must see whether there is a next page (pagination-next-link).
  const nextOptions = resolveOptions(ctx.ws.ruleOptions('pagination-next-link') as PaginationOptions);
  const c = collectionOf(spec, located.op, nextOptions, { ...params, style });
  const needsNext = c && nextPageOf(spec, c, nextOptions) === undefined && (style === 'cursor' || totalOf(spec, c, nextOptions) === undefined);
  return { located, size, next, style, params, ...(needsNext ? nextPageWay(ctx, c, nextOptions) : {}) };
}

/**
 * How a list response without a next page gets one: the document's body convention, in this
 * response's own (inline) list object, never into a shared schema; else a `Link` header (a bare
 * array body has nowhere else to put it).
 */
function nextPageWay(ctx: FixContext, c: Collection, r: Resolved): Pick<PaginationPlan, 'link' | 'bodyNext'> {
  const convention = bodyNextConvention(ctx, r);
  if (!convention || c.property === undefined) {
    const link = ctx.model.placeOf(c.response.path);
    return link ? { link } : {};
  }
  const holder = convention.container ? c.envelope.get(convention.container) : c.schema;
  const place = ctx.model.placeOf((holder ?? c.schema).path);
  return place && isInline(place) ? { bodyNext: { place, convention, container: holder === undefined } } : {};
}

/** What the title says a next-page addition writes. */
function nextPageWords({ link, bodyNext }: Pick<PaginationPlan, 'link' | 'bodyNext'>): string | undefined {
  if (link) return 'a Link response header';
  if (bodyNext) return `${[bodyNext.convention.container, bodyNext.convention.name].filter(Boolean).join('.')} in the response body`;
  return undefined;
}

/** Write it; false when there was nothing to write. */
function addNextPage(ctx: FixContext, { link, bodyNext }: Pick<PaginationPlan, 'link' | 'bodyNext'>): boolean {
  if (link) return ctx.components.addHeaders(link, ['Link']).length > 0;
  if (!bodyNext) return false;
  const { place, convention, container } = bodyNext;
  const doc = ctx.session.doc(place.file);
  const props = [...place.path, 'properties'];
  if (!isObject(doc.get(props))) doc.ensureMap(props);
  if (container && convention.container) return doc.setKey(props, convention.container, { type: 'object', properties: { [convention.name]: convention.schema } });
  return doc.setKey(props, convention.name, convention.schema);
}

/**
 * The bound a list's operation states in words ("up to 10 most recent"), and the array it bounds,
 * when that array is this response's own (a shared schema is bounded where it is defined).
 */
function statedMaxItems(ctx: FixContext): { place: Place; n: number; name: string } {
  const located = operationOf(ctx);
  const stated = statedListBound(located.op);
  if (!stated) throw new FixNotApplicable('the operation states no bound on its list');
  const c = collectionOf(ctx.model.spec, located.op, resolveOptions(ctx.ws.ruleOptions('pagination-required') as PaginationOptions));
  const place = c && ctx.model.placeOf(c.array.path);
  if (!c || !place || !isInline(place)) throw new FixNotApplicable('the array is a shared schema: declare its maxItems where it is defined');
  return { place, n: stated.n, name: c.property ?? 'the array' };
}

export const paginationRequired: FixProvider = {
  offers(finding, ctx) {
    const stated = finding.message.includes('declare `maxItems: ');
    if (!ctx) return [...(stated ? [fix('max-items', 'Declare the maxItems its description states')] : []), fix('limit-cursor', 'Add paging query parameters', !stated)];
    let bound: ReturnType<typeof statedMaxItems> | undefined;
    try {
      bound = stated ? statedMaxItems(ctx) : undefined;
    } catch (e) {
      if (!(e instanceof FixNotApplicable)) throw e;
    }
    const { size, next, link, bodyNext } = planPagination(ctx);
    const names = [size && `${size.name}${size.values ? ` (${size.values})` : ''}`, next?.name].filter((n): n is string => !!n);
    const words = nextPageWords({ link, bodyNext });
    const header = words ? ` and ${words}` : '';
    return [
      // The bound the description states, written into the contract: it invents nothing.
      ...(bound ? [fix('max-items', `Declare maxItems: ${bound.n} on \`${bound.name}\`, as its description states`)] : []),
      fix('limit-cursor', `Add ${names.length === 1 ? 'a ' : ''}${names.join(' and ')} query parameter${names.length === 1 ? '' : 's'}${header}`, bound === undefined),
    ];
  },
  invents: (_, id) => (id === 'max-items' ? undefined : 'the spec does not say the operation takes paging parameters'),
  apply(ctx, id) {
    if (id === 'max-items') {
      const { place, n } = statedMaxItems(ctx);
      if (!ctx.session.doc(place.file).setKey(place.path, 'maxItems', n)) throw new FixNotApplicable('the array declares its maxItems');
      return;
    }
    const { located, size, next, link, bodyNext } = planPagination(ctx);
    let added = false;
    if (size) added = addParameter(ctx, located, 'query', size.name, size.value) || added;
    if (next) added = addParameter(ctx, located, 'query', next.name, next.value) || added;
    if (!added) throw new FixNotApplicable('the parameters are there');
    addNextPage(ctx, { link, bodyNext });
  },
};

/** The next page a pagination-next-link finding lacks: the document's body convention where it has one, else a Link header. */
function planNextLink(ctx: FixContext): Pick<PaginationPlan, 'link' | 'bodyNext'> {
  const r = resolveOptions(ctx.ws.ruleOptions('pagination-next-link') as PaginationOptions);
  const found = ctx.model.operationOn(ctx.finding.file, ctx.finding.path);
  const c = found && collectionOf(ctx.model.spec, found.op, r);
  if (c) {
    const way = nextPageWay(ctx, c, r);
    if (way.bodyNext) return way;
  }
  return { link: responseOf(ctx) };
}

export const paginationNextLink: FixProvider = {
  offers(_, ctx) {
    const words = ctx ? nextPageWords(planNextLink(ctx)) : undefined;
    return [fix('link', words && !words.startsWith('a Link') ? `Add ${words}` : 'Add a Link response header (rel="next")')];
  },
  invents: () => 'the spec does not say how the API shows the next page',
  apply(ctx) {
    if (!addNextPage(ctx, planNextLink(ctx))) throw new FixNotApplicable('the next page is documented');
  },
};

/** The page-size schema a pagination-limit-bounded finding is about, and its parameter's description. */
function boundsTarget(ctx: FixContext): { target: Place; description: string; requireMinimum: boolean } {
  const { file, path } = ctx.finding;
  const target = ctx.model.physical(file, path);
  if (!target) throw new FixNotApplicable('no schema at the finding');
  // OAS 3: the finding is on the parameter's schema; the description is the parameter's.
  const param = ctx.model.isOas2 ? target : ctx.model.physical(file, path.slice(0, -1));
  let description = param && isObject(param.value) && typeof param.value.description === 'string' ? param.value.description : '';
  // A shared schema (`schema: {$ref: '#/components/schemas/Limit'}`): the finding is where it is
  // defined; the description is that of the parameters that use it, when they say one thing.
  if (!ctx.model.isOas2 && !(param && isObject(param.value) && 'in' in param.value)) {
    const { spec } = ctx.model;
    const texts = new Set(
      spec
        .operations()
        .flatMap((op) => spec.parameters(op))
        .filter((p) => spec.child(p, 'schema')?.value === target.value && typeof p.value.description === 'string')
        .map((p) => String(p.value.description)),
    );
    if (texts.size === 1) description = [...texts][0];
  }
  const options = ctx.ws.ruleOptions('pagination-limit-bounded') as PaginationOptions;
  return { target, description, requireMinimum: options.requireMinimum ?? true };
}

/** "minimum: 1, maximum: 500": what a bounds plan writes. */
const boundsText = (plan: Bound[]) => plan.map((b) => `${b.key}: ${b.value}`).join(', ');

export const paginationLimitBounded: FixProvider = {
  offers(_, ctx) {
    if (!ctx) return [fix('bounds', 'Bound the page size (minimum and maximum)')];
    const { target, description, requireMinimum } = boundsTarget(ctx);
    const plan = planBounds(ctx.session.doc(target.file).get(target.path), description, requireMinimum);
    return [fix('bounds', plan.length > 0 ? `Bound the page size (${boundsText(plan)})` : 'Bound the page size')];
  },
  invents(ctx) {
    const { target, description, requireMinimum } = boundsTarget(ctx);
    const invented = planBounds(ctx.session.doc(target.file).get(target.path), description, requireMinimum).filter((b) => !b.stated);
    if (invented.length === 0) return undefined;
    const why = statedBounds(description).several ? 'its description states several maxima, each for another case' : 'its description states no such bound';
    return `${boundsText(invented)} would be a default, not stated in the spec (${why})`;
  },
  apply(ctx) {
    const { target, description, requireMinimum } = boundsTarget(ctx);
    if (!boundPageSize(ctx, target, description, requireMinimum)) throw new FixNotApplicable('the page size is bounded');
  },
};

/** Bound an existing `limit` parameter that a fix reuses (its schema in OAS 3, itself in 2.0). */
export function boundReusedLimit(ctx: FixContext, param: Place): void {
  const target = ctx.model.isOas2 ? param : ctx.model.physical(param.file, [...param.path, 'schema']);
  if (!target || !isObject(target.value)) return;
  const description = isObject(param.value) && typeof param.value.description === 'string' ? param.value.description : '';
  boundPageSize(ctx, target, description, true);
}

/** One bound a fix writes: a new key, or a replaced value; `stated` when the description says so. */
interface Bound {
  key: 'maximum' | 'minimum' | 'exclusiveMinimum';
  value: number;
  replace: boolean;
  stated: boolean;
}

/**
 * The bounds a page-size schema lacks: a `maximum` and `minimum: 1` (raising a negative one): the
 * numbers the description already states ("between 1 and 100", "up to 500"), else 100, never
 * below a default.
 */
function planBounds(s: unknown, description: string, requireMinimum: boolean): Bound[] {
  if (!isObject(s)) return [];
  if (Array.isArray(s.enum) && s.enum.length > 0) return [];
  const stated = statedBounds(description);
  const out: Bound[] = [];
  if (typeof s.maximum !== 'number' && typeof s.exclusiveMaximum !== 'number') {
    const max = Math.max(stated.max ?? 100, typeof s.default === 'number' ? s.default : 0);
    out.push({ key: 'maximum', value: max, replace: false, stated: stated.max === max && !stated.several });
  }
  if (!requireMinimum) return out;
  const low = lowestPageSize(s);
  if (low !== undefined) {
    // A negative lower bound is raised to a page of one.
    if (low >= LOWEST_PAGE_SIZE) return out;
    if (typeof s.exclusiveMinimum === 'number') out.push({ key: 'exclusiveMinimum', value: 0, replace: true, stated: stated.min === 1 });
    else out.push({ key: 'minimum', value: s.exclusiveMinimum === true ? 0 : 1, replace: true, stated: stated.min === 1 });
  } else {
    // The lower bound the description states (0 included: "between 0 and 1000"), else 1.
    const min = stated.min !== undefined && stated.min >= LOWEST_PAGE_SIZE ? stated.min : 1;
    out.push({ key: 'minimum', value: min, replace: false, stated: stated.min === min });
  }
  return out;
}

/** Write the planned bounds into the schema at `place`; false when it has them. */
function boundPageSize(ctx: FixContext, place: Place, description: string, requireMinimum: boolean): boolean {
  const doc = ctx.session.doc(place.file);
  let changed = false;
  let stop = 0;
  for (const b of planBounds(doc.get(place.path), description, requireMinimum)) {
    // A number the description does not state is the user's to choose: a tab stop in the editor.
    const value = b.stated ? b.value : new TabStop(++stop, b.value);
    if (b.replace) {
      doc.replace([...place.path, b.key], value);
      changed = true;
    } else changed = doc.setKey(place.path, b.key, value, SCHEMA_BOUNDS) || changed;
  }
  return changed;
}

