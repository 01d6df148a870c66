/**
 * Shared detection for the pagination rules: which GET operations return a collection, which
 * pagination style their query parameters follow, which parameter sets the page size, and how a
 * response exposes the next page. Parameter and property names compare case- and
 * separator-insensitively (`page_size` = `pageSize` = `PageSize` = `page[size]`).
 */
import { refTarget } from '../../../src/openapi/refs';
import { type Located, type Operation, type Spec, isObject } from '../../../src/openapi/spec';

/** The `functionOptions` every pagination rule accepts (one set, so the three rules agree). */
export interface PaginationOptions {
  /** Query parameters that carry a cursor; one is enough to paginate. */
  cursorParams?: string[];
  /** Query parameters that carry an item offset; they paginate together with a size parameter. */
  offsetParams?: string[];
  /** Query parameters that carry a page number; they paginate together with a size parameter. */
  pageParams?: string[];
  /** Query parameters that set the page size. */
  sizeParams?: string[];
  /** Array property names that make a response object a list (plural nouns count too). */
  collectionProperties?: string[];
  /** Extra property names allowed beside the collection array in a list object (added to the built-in ones). */
  envelopeProperties?: string[];
  /** Body properties that expose the next page (top level or one object down, e.g. `links.next`). */
  nextProperties?: string[];
  /** Response headers that expose the next page. */
  nextHeaders?: string[];
  /** Body properties or headers with a total (of items or pages): they tell an offset or page client whether a next page exists. */
  totalProperties?: string[];
  /** pagination-limit-bounded: also require `minimum` >= 1 (default true). */
  requireMinimum?: boolean;
}

const names = { type: 'array', items: { type: 'string', minLength: 1 } };

/** JSON Schema of PaginationOptions (checked when a Spectral ruleset sets them). */
export const PAGINATION_OPTIONS_SCHEMA = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    cursorParams: names,
    offsetParams: names,
    pageParams: names,
    sizeParams: names,
    collectionProperties: names,
    envelopeProperties: names,
    nextProperties: names,
    nextHeaders: names,
    totalProperties: names,
    requireMinimum: { type: 'boolean' },
  },
} as const;

/** Built-in lists (documented in rules/docs/pagination-required.md). */
export const DEFAULTS = {
  cursorParams: [
    'cursor', 'after', 'before', 'starting_after', 'ending_before', 'start_after', 'page_token',
    'next_token', 'next_page_token', 'continuation_token', 'marker', 'page[cursor]', 'page[after]',
    'page[before]', 'since_id', 'max_id', 'start_cursor', 'continuation', 'continue', 'pagination_token',
    'skip_token', 'search_after', 'iterator', 'since',
  ],
  offsetParams: ['offset', 'skip', 'start_index', 'page[offset]', 'start', 'start_at'],
  pageParams: ['page', 'page_number', 'page_no', 'page_num', 'page_index', 'pg', 'current_page', 'page_start', 'start_page', 'skip_pages'],
  sizeParams: [
    'limit', 'per_page', 'page_size', 'size', 'top', 'max_results', 'max_items', 'page_limit', 'count', 'take', 'rows',
    'max_keys', 'max_uploads', 'max_parts', 'max_records', 'max_entries', 'max_page_size', 'max_per_page', 'results_per_page',
    'items_per_page', 'records_per_page', 'entries_per_page', 'num_results', 'page_length', 'limit_per_page', 'max_count', 'rpp',
  ],
  collectionProperties: [
    'data', 'items', 'results', 'records', 'entries', 'values', 'value', 'list', 'elements', 'content',
    'hits', 'rows', 'nodes', 'edges', 'resources',
  ],
  nextProperties: [
    'next', 'next_cursor', 'next_page_token', 'next_page_url', 'next_page_uri', 'next_page', 'next_link',
    'next_token', 'next_url', 'next_href', 'next_marker', '@odata.nextLink', 'has_more', 'has_next',
    'has_next_page', 'continuation_token', 'next_continuation_token', 'is_truncated', 'has_more_results', 'has_more_items',
    'has_more_pages', 'more_results', 'more', 'continue', 'page_token', 'iterator', 'done', 'next_key', 'last_evaluated_key', 'is_last', 'is_last_page',
  ],
  nextHeaders: ['link', 'x-next', 'x-next-page', 'x-next-cursor', 'x-next-page-token', 'x-continuation-token'],
  totalProperties: [
    'total', 'total_count', 'count', 'total_results', 'total_items', 'total_elements', 'total_pages',
    'page_count', 'num_pages', 'x-total-count', 'total_records', 'total_record_count', 'total_entries', 'x-total',
    'pages', 'total_size', 'total_hits', 'num_results', 'result_count', 'total_rows', 'num_found', 'x-total-pages',
    'remaining_item_count', 'last_page', 'items_total', 'pages_total',
  ],
};

/**
 * Built-in offset names that are as often a date or time filter (`start=2024-01-01`): they count
 * as an offset only when the parameter is declared `integer` or `number`.
 */
const NUMERIC_OFFSETS = ['start', 'start_at'];

/** Lower-case and drop everything but letters and digits. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function nameSet(list: string[]): Set<string> {
  return new Set(list.map(normalizeName));
}

/** The option lists in force (a user list replaces the built-in one; `envelopeProperties` adds to it). */
export interface Resolved {
  cursor: Set<string>;
  offset: Set<string>;
  page: Set<string>;
  size: Set<string>;
  collection: Set<string>;
  envelope: Set<string>;
  next: Set<string>;
  nextHeaders: Set<string>;
  total: Set<string>;
  /** Offset names that count only on an `integer` / `number` parameter (the built-in `start`, `start_at`). */
  numericOnly: Set<string>;
  requireMinimum: boolean;
}

export function resolveOptions(o: PaginationOptions | null | undefined): Resolved {
  const opts = o ?? {};
  return {
    cursor: nameSet(opts.cursorParams ?? DEFAULTS.cursorParams),
    offset: nameSet(opts.offsetParams ?? DEFAULTS.offsetParams),
    page: nameSet(opts.pageParams ?? DEFAULTS.pageParams),
    size: nameSet(opts.sizeParams ?? DEFAULTS.sizeParams),
    collection: nameSet(opts.collectionProperties ?? DEFAULTS.collectionProperties),
    envelope: nameSet(opts.envelopeProperties ?? []),
    next: nameSet(opts.nextProperties ?? DEFAULTS.nextProperties),
    nextHeaders: new Set((opts.nextHeaders ?? DEFAULTS.nextHeaders).map((h) => h.toLowerCase())),
    total: nameSet(opts.totalProperties ?? DEFAULTS.totalProperties),
    numericOnly: nameSet(opts.offsetParams ? [] : NUMERIC_OFFSETS),
    requireMinimum: opts.requireMinimum ?? true,
  };
}

// ---------------------------------------------------------------------------------------------
// Words and plurals

/** The words of a camelCase / PascalCase / snake_case / kebab-case name, lower-cased (`userIDs` → user, ids). */
export function words(name: string): string[] {
  return (name.match(/[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

/** Words ending in -s that are not plurals. */
const NOT_PLURAL = new Set([
  'status', 'address', 'news', 'series', 'species', 'means', 'alias', 'bias', 'canvas', 'gas', 'atlas',
  'chaos', 'ethos', 'kudos', 'cosmos', 'pathos', 'lens', 'is', 'has', 'was', 'this', 'his', 'thus', 'yes',
  'its', 'always', 'perhaps', 'whereas', 'across', 'towards', 'afterwards', 'sometimes', 'otherwise',
  'os', 'ios', 'macos', 'aws', 'ms', 'physics', 'mathematics', 'economics', 'politics', 'ethics',
  'logistics', 'linguistics', 'corps', 'chassis', 'debris', 'axis', 'iris', 'tennis', 'pelvis', 'trellis',
  'marquis', 'diabetes', 'rabies', 'herpes',
]);
/** Plurals that end in -us (the rest of -us words are singular: status, bonus, campus). */
const PLURAL_US = new Set(['menus', 'emus', 'gnus', 'gurus', 'tutus', 'haikus', 'cpus', 'gpus', 'vcpus', 'tpus', 'npus', 'skus', 'imus', 'tofus']);
/** Plurals that do not end in -s. */
const IRREGULAR_PLURALS = new Set(['people', 'children', 'men', 'women', 'feet', 'teeth', 'mice', 'geese', 'criteria', 'phenomena']);

/** Is this property name a plural noun (`pets`, `userAccounts`, `APIs`, `people`) rather than `status`, `address`, `news`, `analysis`? */
export function isPluralNoun(name: string): boolean {
  const all = words(name);
  const last = all[all.length - 1] ?? '';
  if (IRREGULAR_PLURALS.has(last) || PLURAL_US.has(last)) return true;
  if (/[A-Z]{2,}s$/.test(name)) return true; // IDs, CPUs, URLs
  if (last.length < 3 || !last.endsWith('s') || NOT_PLURAL.has(last)) return false;
  // -ss (class, access), -us (status, bonus, various), -sis / -itis (analysis, arthritis) are singular.
  if (/(ss|us|sis|itis)$/.test(last)) return false;
  // Unpronounceable words are acronyms (dns, https, tls, sms), not plurals.
  return /[aeiouy]/.test(last.slice(0, -1));
}

// ---------------------------------------------------------------------------------------------
// Schemas

export function schemaTypes(schema: Record<string, any>): string[] {
  const t = schema.type;
  return Array.isArray(t) ? t.filter((x) => typeof x === 'string') : typeof t === 'string' ? [t] : [];
}

export function isArraySchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  const t = schemaTypes(schema);
  if (t.includes('array')) return true;
  return t.length === 0 && schema.items !== undefined && schema.properties === undefined;
}

/** The array a schema is: itself, or the array member of its top-level `allOf` (`allOf: [{$ref: PetList}]`). */
function arrayOf(spec: Spec, schema: Located): Located | undefined {
  if (isArraySchema(schema.value)) return schema;
  const all = spec.child<unknown[]>(schema, 'allOf');
  if (!all || !Array.isArray(all.value) || schema.value.properties !== undefined) return undefined;
  for (let i = 0; i < all.value.length; i++) {
    const member = spec.child(all as Located, i);
    if (member && isArraySchema(member.value)) return member;
  }
  return undefined;
}

/** Properties of an object schema, merged with those of its top-level `allOf` members (deref'd). */
export function properties(spec: Spec, schema: Located): Map<string, Located> {
  const out = new Map<string, Located>();
  const visit = (s: Located, depth: number): void => {
    if (!isObject(s.value) || depth > 8) return;
    const props = spec.child(s, 'properties');
    if (props && isObject(props.value)) {
      for (const key of Object.keys(props.value)) {
        const p = spec.child(props, key);
        if (p && !out.has(key)) out.set(key, p);
      }
    }
    const all = spec.child<unknown[]>(s, 'allOf');
    if (all && Array.isArray(all.value)) {
      all.value.forEach((_, i) => {
        const member = spec.child(all as Located, i);
        if (member) visit(member, depth + 1);
      });
    }
  };
  visit(schema, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Collections

/**
 * What may stand beside the collection array in a list object: exact names, or names made only of
 * list-metadata words (`total_count`, `next_page_uri`, `has_more`, `first_id`) with at least one
 * core word. `first_name` or `discount` are not metadata, so a resource is not taken for a list.
 */
const ENVELOPE_EXACT = nameSet([
  'object', 'kind', 'type', 'self', 'meta', 'metadata', 'pagination', 'paging', 'page_info', 'pageable',
  'response_metadata', 'sort', 'order', 'query', 'filter', 'filters', 'status', 'success', 'ok', 'message',
  'code', 'request_id', 'warnings', 'errors', 'included', 'jsonapi', 'incomplete_results', 'truncated',
  'is_truncated', 'etag', 'api_version', '@odata.context', 'empty', 'max_results', 'max_items', 'prev_iterator', 'is_last', 'start_at',
]);
/** Array properties that are list metadata, not the list, when another array is the list. */
const ENVELOPE_ARRAYS = nameSet(['warnings', 'errors', 'included', 'links']);
const META_CORE = new Set([
  'page', 'pages', 'paging', 'cursor', 'cursors', 'token', 'count', 'total', 'next', 'prev', 'previous',
  'url', 'uri', 'href', 'link', 'links', 'more', 'marker', 'offset', 'limit', 'start', 'end', 'first',
  'last', 'size', 'after', 'before', 'continuation', 'truncated',
]);
const META_GLUE = new Set([
  'has', 'is', 'num', 'number', 'of', 'id', 'per', 'the', 'key', 'available', 'returned', 'estimated',
  'approximate', 'results', 'items', 'elements', 'records', 'entries', 'odata', 'in', 'on', 'this',
]);

function isEnvelopeMetadata(name: string, r: Resolved): boolean {
  const n = normalizeName(name);
  if (ENVELOPE_EXACT.has(n) || r.envelope.has(n) || r.next.has(n) || r.total.has(n)) return true;
  const w = words(name);
  return w.length > 0 && w.every((x) => META_CORE.has(x) || META_GLUE.has(x)) && w.some((x) => META_CORE.has(x));
}

export interface Collection {
  /** The 200 response. */
  response: Located;
  /** The response body schema. */
  schema: Located;
  /** The array: the body itself, or the list object's collection property. */
  array: Located;
  /** The collection property of a list object (undefined when the body is an array). */
  property?: string;
  /** Properties of the list object (empty when the body is an array). */
  envelope: Map<string, Located>;
}

/**
 * The name a list object's `type` property gives (its `const`, single `enum` value, `default` or
 * `example`): Notion's lists say `type: "comment"` and carry a `comment` property beside
 * `results`, which is list metadata, not another payload.
 */
function typeName(props: Map<string, Located>): string | undefined {
  const t = props.get('type')?.value;
  if (!isObject(t)) return undefined;
  const named = [t.const, Array.isArray(t.enum) && t.enum.length === 1 ? t.enum[0] : undefined, t.default, t.example].find((v) => typeof v === 'string');
  return named as string | undefined;
}

/**
 * Does a response body hold a collection? An array, or a list object: one collection array (named
 * like `data` / `items` or a plural noun, or the singular of `itemsOf`, the plural the path ends
 * in; any name when `anyName`) and nothing but list metadata beside it.
 */
export function collectionOfResponse(spec: Spec, response: Located, r: Resolved, anyName = false, itemsOf?: string, oneJob = false): Collection | undefined {
  const schema = spec.responseSchema(response);
  if (!schema || !isObject(schema.value)) return undefined;
  const array = arrayOf(spec, schema);
  if (array) return { response, schema, array, envelope: new Map() };
  const props = properties(spec, schema);
  const typed = typeName(props);
  let candidates: [string, Located][] = [];
  for (const [name, prop] of props) {
    const n = normalizeName(name);
    const w = words(name);
    const named = r.collection.has(n) || r.collection.has(w[w.length - 1] ?? '') || isPluralNoun(name) || (itemsOf !== undefined && isSingularOf(name, itemsOf));
    if (isObject(prop.value) && isArraySchema(prop.value) && (named || anyName)) candidates.push([name, prop]);
    else if (!isEnvelopeMetadata(name, r) && name !== typed) return undefined;
    // A job's state (`NotStarted`, `Running`, `Succeeded`) in the body a path naming one job
    // answers: the job and its results, not a page of a list.
    else if (n === 'status' && oneJob && isJobState(prop)) return undefined;
  }
  if (candidates.length > 1) candidates = candidates.filter(([name]) => !ENVELOPE_ARRAYS.has(normalizeName(name)));
  // Square's `{order, errors}`: `errors` beside an item is what went wrong, not a list to page
  // (unless the path lists errors: `/jobs/{id}/errors`).
  if (candidates.length === 1 && ENVELOPE_ARRAYS.has(normalizeName(candidates[0][0])) && normalizeName(candidates[0][0]) !== normalizeName(itemsOf ?? '')) return undefined;
  if (candidates.length !== 1) return undefined;
  const [property, list] = candidates[0];
  if (isJwkSet(spec, property, list)) return undefined;
  return { response, schema, array: list, property, envelope: props };
}

/** Words of a long-running job's states: one that runs and one that ends it. */
const JOB_RUNNING = new Set(['running', 'inprogress', 'notstarted', 'pending', 'queued', 'processing']);
const JOB_DONE = new Set(['succeeded', 'completed', 'failed', 'finished', 'done']);

/** A `status` whose enum names a job's states (Azure's OCR read: `NotStarted`, `Running`, `Failed`, `Succeeded`). */
function isJobState(status: Located): boolean {
  const values = status.value;
  const list = isObject(values) && Array.isArray(values.enum) ? values.enum.map((v: unknown) => String(v).toLowerCase().replace(/[^a-z]/g, '')) : [];
  return list.some((v: string) => JOB_RUNNING.has(v)) && list.some((v: string) => JOB_DONE.has(v));
}

/**
 * An array of numbers or booleans (`{type: array, items: {type: integer}}`): a vector of values
 * (counters a statistics read returns, a state, coordinates), not a list of resources to page.
 */
function isVector(spec: Spec, array: Located): boolean {
  const items = spec.child(array, 'items');
  if (!items || !isObject(items.value)) return false;
  const types = schemaTypes(items.value);
  return types.length > 0 && types.every((t) => t === 'integer' || t === 'number' || t === 'boolean');
}

/**
 * An RFC 7517 JWK Set, `{"keys": [{"kty": …}]}` (`/certs`, `/jwks.json`): the document a client
 * fetches whole to verify tokens, not a list to page through.
 */
function isJwkSet(spec: Spec, property: string, list: Located): boolean {
  if (property !== 'keys') return false;
  const items = spec.child(list, 'items');
  return items !== undefined && isObject(items.value) && properties(spec, items).has('kty');
}

/**
 * The collection a GET operation's 200 response returns, if any. When the operation already takes
 * pagination parameters, a list object's single array counts whatever its name (`history`).
 */
export function collectionOf(spec: Spec, op: Operation, r: Resolved, params?: PaginationParams): Collection | undefined {
  if (op.method !== 'get') return undefined;
  const response = spec.response(op, '200');
  if (!response || response.broken) return undefined;
  // A body that is no data (a file as application/octet-stream, declared as an array of strings) is no list to page.
  if (!spec.isOas2 && !hasDataContent(spec, response)) return undefined;
  const style = (params ?? paginationParams(spec, op, r)).style;
  // A path that ends in one item (`/read/operations/{operationId}`), read by an operation that does not say it lists.
  const oneJob = /\/\{[^}]+\}\/?$/.test(op.pathKey) && ![op.value.summary, op.value.operationId].some((t) => typeof t === 'string' && /^\W*list/i.test(t));
  const c = collectionOfResponse(spec, response, r, style !== undefined, pluralSegment(op.pathKey), oneJob);
  // A vector of values (the years a team played, a statistics read's counters) is no list, unless
  // it is paged already or lists identifiers (`/sku/stockkeepingunitids`).
  if (c && c.property === undefined && style === undefined && isVector(spec, c.array) && !/ids$/i.test(lastLiteralWords(op.pathKey).at(-1) ?? '')) return undefined;
  // Settings clients write whole (codat's VisibleAccounts, Google's alert center settings) are read whole.
  if (c && style === undefined && isSettingsPath(op.pathKey) && writtenWhole(spec, c.schema)) return undefined;
  return c;
}

const SETTINGS_WORDS = new Set(['config', 'configuration', 'settings', 'preferences', 'preference', 'userpreference', 'customization', 'prefs']);

/** Does a literal segment of the path name settings (`/config/ui/accounts`, `/v1beta1/settings`, `/oidc/customization/sub`)? */
function isSettingsPath(pathKey: string): boolean {
  return pathKey.split('/').filter((s) => !/[{}]/.test(s)).some((s) => words(s).some((w) => SETTINGS_WORDS.has(w)) || SETTINGS_WORDS.has(s.toLowerCase()));
}

/**
 * Is this response body schema also the whole request body of a PUT or PATCH somewhere in the
 * document? Then, on a settings path, its lists are as long as a client wrote them in one request:
 * a document, not a collection that grows (DocuSign's signing groups share one schema between the
 * list and bulk updates too, and do grow: hence the settings path). The same schema means the same
 * named schema, reached through `$ref`s.
 */
function writtenWhole(spec: Spec, schema: Located): boolean {
  const target = schema.value;
  for (const op of spec.operations()) {
    if (op.method !== 'put' && op.method !== 'patch') continue;
    if (spec.isOas2) {
      const body = spec.parameters(op).find((p) => p.value.in === 'body');
      if (body && spec.child(body, 'schema')?.value === target) return true;
      continue;
    }
    const body = spec.child(op, 'requestBody');
    const content = body && spec.child(body, 'content');
    if (!content || !isObject(content.value)) continue;
    for (const type of Object.keys(content.value)) {
      const media = spec.child(content, type);
      if (media && spec.child(media, 'schema')?.value === target) return true;
    }
  }
  return false;
}

/** Does an OAS 3 response declare a data body: a JSON or XML media type, or any type at all (a star for both halves)? */
function hasDataContent(spec: Spec, response: Located): boolean {
  const content = spec.child(response, 'content');
  if (!content || !isObject(content.value)) return false;
  return Object.keys(content.value).some((t) => /json|xml/i.test(t) || t.trim() === '*/*');
}

/** The path's last segment when it is a plural noun (`/accounts`); not when the path ends in a parameter (`/accounts/{id}`: one item). */
function pluralSegment(pathKey: string): string | undefined {
  const last = pathKey.split('/').filter((s) => s !== '').pop();
  return last !== undefined && !/[{}]/.test(last) && isPluralNoun(last) ? last : undefined;
}

/** Is `name` the singular of the plural `plural` (`account` of `accounts`, `providerAccount` of `provider-accounts`, `category` of `categories`, `box` of `boxes`)? */
export function isSingularOf(name: string, plural: string): boolean {
  const n = normalizeName(name);
  const p = normalizeName(plural);
  return n.length > 0 && (p === `${n}s` || p === `${n}es` || (n.endsWith('y') && p === `${n.slice(0, -1)}ies`));
}

/**
 * The smallest page size a page-size schema (OAS 3 `schema`, or the OAS 2 parameter) lets through:
 * its `minimum`, or the integer above an `exclusiveMinimum` (numeric in 3.1, boolean beside
 * `minimum` in 2.0 and 3.0); undefined when it declares none.
 */
export function lowestPageSize(s: Record<string, any>): number | undefined {
  if (typeof s.exclusiveMinimum === 'number') return Math.floor(s.exclusiveMinimum) + 1;
  if (typeof s.minimum !== 'number') return undefined;
  return s.exclusiveMinimum === true ? Math.floor(s.minimum) + 1 : s.minimum;
}

/**
 * The lowest page size a contract may allow: 0, a page of none, is an answer APIs give on purpose
 * (OData `$top=0` and Elasticsearch `size=0` return only the count or the aggregations); below
 * it, a size means nothing.
 */
export const LOWEST_PAGE_SIZE = 0;

/**
 * Is the collection bounded by the contract itself? An array with `maxItems`, or whose items are an
 * `enum` / `const`, cannot grow without limit, so it needs no pages.
 */
export function isBounded(spec: Spec, c: Collection): boolean {
  if (!isObject(c.array.value)) return false;
  if (typeof c.array.value.maxItems === 'number') return true;
  const items = spec.child(c.array, 'items');
  return !!items && isObject(items.value) && (Array.isArray(items.value.enum) || items.value.const !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Query parameters

export interface PaginationParams {
  cursor: Located[];
  offset: Located[];
  page: Located[];
  size: Located[];
  /**
   * `before` / `after` / `since` / `until` that are points in time, not cursors: with a size
   * parameter the client walks the list by time windows (no next cursor to expose).
   */
  time: Located[];
  /** The recognised style, if the parameters form one. */
  style?: 'cursor' | 'offset' | 'page';
}

/**
 * Can the parameter carry a number? A `boolean` (Docker's `size` flag, OData's `$count=true`), an
 * array, an object or an enum of words (`size=small|large`) cannot.
 */
function mayBeNumber(spec: Spec, p: Located): boolean {
  const schema = spec.isOas2 ? p : spec.child(p, 'schema');
  if (!schema || !isObject(schema.value)) return true;
  const { value } = schema;
  if (Array.isArray(value.enum) && value.enum.length > 0 && !value.enum.some((v: unknown) => typeof v === 'number' || /^\d+$/.test(String(v)))) {
    return false;
  }
  const t = schemaTypes(value);
  return t.length === 0 || t.some((x) => x === 'integer' || x === 'number' || x === 'string');
}

/** Is the parameter declared a number (`integer` / `number`)? */
function isNumeric(spec: Spec, p: Located): boolean {
  const schema = spec.isOas2 ? p : spec.child(p, 'schema');
  return !!schema && isObject(schema.value) && schemaTypes(schema.value).some((t) => t === 'integer' || t === 'number');
}

/** Cursor names that are as often a point in time (`before=2024-01-01`, `since=1700000000`). */
const TIME_CURSORS = nameSet(['before', 'after', 'since', 'until', 'page[before]', 'page[after]']);
const TIME_FORMATS = /^(date|date-time|datetime|time|timestamp|unix-time|unixtime|iso-?8601|rfc-?3339)$/i;
const TIME_TEXT = /\b(date|dates|timestamp|timestamps|point in time|datetime|epoch|unix|iso ?8601|rfc ?3339|utc|seconds since|milliseconds)\b/i;

/**
 * Is a `before` / `after` / `since` / `until` parameter a point in time rather than a cursor? Its
 * schema has a date or time `format`, or its description speaks of dates, times or timestamps
 * (and not of a cursor).
 */
function isTimeBound(spec: Spec, p: Located): boolean {
  const schema = spec.isOas2 ? p : spec.child(p, 'schema');
  const s = schema && isObject(schema.value) ? schema.value : {};
  if (typeof s.format === 'string' && TIME_FORMATS.test(s.format)) return true;
  const text = [p.value.description, s.description, s.title].filter((t) => typeof t === 'string').join(' ');
  return TIME_TEXT.test(text) && !/\bcursor\b/i.test(text);
}

/** A description that calls the parameter a cursor or a pagination token (flat.io's `next`: "An opaque string cursor to fetch the next page"). */
const CURSOR_TEXT = /\b(cursor|continuation token|page token|pagination token)\b|\bopaque\b[^.]*\b(pagination|paginate|page)\b|\bused for pagination\b/i;

/**
 * Is a query parameter of a name no list knows (or a `start` that is no number) a cursor by its
 * description? Not when it is a boolean, an array or an object.
 */
function describedAsCursor(spec: Spec, p: Located): boolean {
  const { schema, text } = described(spec, p);
  if (schemaTypes(schema).some((t) => t === 'boolean' || t === 'array' || t === 'object')) return false;
  return CURSOR_TEXT.test(text);
}

/** A parameter's schema (OAS 3 `schema`, or the OAS 2 parameter itself) and its descriptions, the parameter's and the schema's. */
function described(spec: Spec, p: Located): { schema: Record<string, any>; text: string } {
  const located = spec.isOas2 ? p : spec.child(p, 'schema');
  const schema = located && isObject(located.value) ? located.value : {};
  return { schema, text: [p.value.description, schema.description].filter((t) => typeof t === 'string').join(' ') };
}

/**
 * A range bound (`from` / `to`, VTEX's `_from` / `_to`) described as a position in the list, not a
 * date: "The first page of the interval of the product list", "Starter page range", "Number of
 * phrases to skip".
 */
function describedAsPosition(spec: Spec, p: Located): boolean {
  const { schema, text } = described(spec, p);
  if (schemaTypes(schema).some((t) => t === 'boolean' || t === 'array' || t === 'object') || schema.format === 'date' || schema.format === 'date-time') return false;
  return (
    /\b(skip|offset|index|position|first|last|start(er|ing)?|end(ing)?|finisher|paginat\w*)\b/i.test(text) &&
    /\b(pages?|items?|results?|records?|rows?|elements?|entr(y|ies)|phrases?|hits?|products?|interval|range|list|paginat\w*)\b/i.test(text) &&
    !/\b(date|time|timestamp|day|month|year|epoch)s?\b/i.test(text)
  );
}

/** Names of range bounds (`from=0&to=49`): pagination when `describedAsPosition`. */
const RANGE_START = new Set(['from']);
const RANGE_END = new Set(['to']);

/** A size-named parameter described as a span of time ("the number of days since publication"). */
function countsTime(spec: Spec, p: Located): boolean {
  const { text } = described(spec, p);
  return /\bnumber of (seconds|minutes|hours|days|weeks|months|years)\b|\b(seconds|minutes|hours|days|weeks|months|years) (ago|back|since)\b/i.test(text);
}

/**
 * A query parameter's name as the option lists know it: the whole name (`page[number]`,
 * `page_size`), else its last bracketed or dotted member (Magento's `searchCriteria[currentPage]`,
 * `queryOptions.page`), normalized.
 */
function paramName(name: string, r: Resolved): string {
  const whole = normalizeName(name);
  const known = (n: string) => r.cursor.has(n) || r.offset.has(n) || r.page.has(n) || r.size.has(n);
  if (known(whole)) return whole;
  const member = /[.[]([^.[\]]+)\]?$/.exec(name)?.[1];
  return member !== undefined && known(normalizeName(member)) ? normalizeName(member) : whole;
}

export function paginationParams(spec: Spec, op: Operation, r: Resolved): PaginationParams {
  const out: PaginationParams = { cursor: [], offset: [], page: [], size: [], time: [] };
  for (const p of spec.parameters(op)) {
    if (p.value.in !== 'query') continue;
    const n = paramName(String(p.value.name), r);
    if (r.cursor.has(n)) {
      if (TIME_CURSORS.has(n) && isTimeBound(spec, p)) out.time.push(p);
      else out.cursor.push(p);
    }
    // Names that cannot paginate are cursors only when their description says so; the others'
    // schemas are looked at further (they may hold long enums).
    else if (!r.offset.has(n) && !r.page.has(n) && !r.size.has(n)) {
      if (describedAsCursor(spec, p)) out.cursor.push(p);
      // A range's start: with its end, the two bound a page (VTEX's `_from` / `_to`); alone, an offset.
      else if (RANGE_START.has(n) && describedAsPosition(spec, p)) {
        const end = spec.parameters(op).some((q) => q.value.in === 'query' && RANGE_END.has(paramName(String(q.value.name), r)) && describedAsPosition(spec, q));
        (end ? out.page : out.offset).push(p);
      }
    }
    else if (!mayBeNumber(spec, p)) continue;
    else if (r.offset.has(n)) {
      if (!r.numericOnly.has(n) || isNumeric(spec, p)) out.offset.push(p);
      else if (describedAsCursor(spec, p)) out.cursor.push(p);
    }
    else if (r.page.has(n)) out.page.push(p);
    // dev.to's `top` is "the number of days since publication": a time span, not a count of results.
    else if (r.size.has(n) && !countsTime(spec, p)) out.size.push(p);
  }
  if (out.cursor.length > 0) out.style = 'cursor';
  else if (out.offset.length > 0 && out.size.length > 0) out.style = 'offset';
  else if (out.page.length > 0 && out.size.length > 0) out.style = 'page';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Result sets the request fixes

/** Words of the last path segment that names something (`/v1/people:searchContacts` → people, search, contacts). */
function lastLiteralWords(pathKey: string): string[] {
  const segments = pathKey.split('/').map((s) => s.replace(/\{[^}]*\}/g, ' ')).filter((s) => /[A-Za-z]/.test(s));
  return segments.length === 0 ? [] : words(segments[segments.length - 1]);
}

/** Path words that name a multi-get: the answer holds the items the request names. */
const BATCH_GET_WORDS = new Set(['mget', 'multiget']);

/** An operation's words for a multi-get: "multiget", "multi-get", "by IDs", "by their IDs". */
const MULTIGET_TEXT = /\bmulti-?get\b|\bby (their )?ids\b/i;

/** Endpoints that answer with the best N matches rather than a list to walk. */
const TOP_N_WORDS = new Set(['search', 'suggest', 'suggestions', 'autocomplete', 'autosuggest', 'typeahead', 'top', 'random', 'recommendations']);

/** Last words of a parameter that lists the items to return by their keys. */
const ITEM_KEYS = new Set(['ids', 'names', 'keys', 'uuids', 'guids', 'codes', 'symbols', 'identifiers', 'slugs', 'urns', 'arns', 'skus', 'isbns', 'handles', 'tickers', 'pairs']);

/** A string parameter that takes a list (`pairs=gold/silver,gold/platinum`): its description says it is comma-separated. */
function isListString(param: Record<string, any>, schema: Record<string, any>): boolean {
  const text = [param.description, schema.description].filter((t) => typeof t === 'string').join(' ');
  return schemaTypes(schema).includes('string') && /\bcomma[- ]?(separated|delimited)\b/i.test(text);
}

/**
 * Does the request fix the result set, so that there is no next page to reach? `top`: a search,
 * suggestion or top-N endpoint (its last named path segment says so: `/images/search`,
 * `/domains/suggest`, `/tags/top`, `search.autocomplete`) that takes a result count (a size
 * parameter, and no offset or page), or an autocomplete however its path and count are named
 * (`isAutocomplete`, `isResultCount`); `batch`: a batch get, which returns the items a required
 * `ids` query parameter names (`?ids=a,b,c`, `trackIds`), a required array parameter of names,
 * keys or ids (`?names=`, `?symbols=`; also a comma-separated string, `?pairs=gold/silver,gold/platinum`)
 * or named like the collection itself (`/taxonomies:export?taxonomies=`),
 * or a batch custom method (`:batchGet`, `:batchRead`), a multi-get (`/mget/…`), or items named by
 * an array path parameter (`/users/{ids}`).
 */
export function fixedResultSet(spec: Spec, op: Operation, params: PaginationParams): 'top' | 'batch' | 'lookup' | undefined {
  const last = lastLiteralWords(op.pathKey);
  const custom = op.pathKey.includes(':') ? words(op.pathKey.slice(op.pathKey.lastIndexOf(':') + 1)) : [];
  // Google's batch custom methods (`:batchGet`, `:batchRead`, `:batchGetDocuments`) return the items the request names.
  if (custom[0] === 'batch') return 'batch';
  // A multi-get by name (`/value/mget/{variables}`, `/multiget`).
  if (last.some((w) => BATCH_GET_WORDS.has(w))) return 'batch';
  const ids = spec.parameters(op).some((p) => {
    // The items named in the path itself, as an array (`/mget/{objInsVarArray}`, `/users/{ids}`).
    if (p.value.in === 'path') {
      const schema = spec.isOas2 ? p : spec.child(p, 'schema');
      if (schema !== undefined && isArraySchema(schema.value)) return true;
      // Or a list in one path segment (`/orders/{orderIdentifiers}`: "one or several, separated by semicolons").
      const w = words(String(p.value.name));
      return (w[w.length - 1] === 'ids' || ITEM_KEYS.has(w[w.length - 1] ?? '')) && /\b(separated|delimited)\b|\bseveral\b|\bmultiple\b|\blist of\b/i.test(String(p.value.description ?? ''));
    }
    // Required by the schema, or by its description alone, as Google's converted specs say it ("Required. …").
    const required = p.value.required === true || /^\s*Required\b/.test(String(p.value.description ?? ''));
    if (p.value.in !== 'query') return false;
    const w = words(String(p.value.name));
    // Giphy's GET /gifs?ids=…, "A multiget version of the get GIF by ID endpoint": an optional `ids`
    // where the operation says it is a multi-get (flat.io's /likes?ids= is a list, and says nothing).
    if (!required && normalizeName(String(p.value.name)) === 'ids' && MULTIGET_TEXT.test([op.value.summary, op.value.description].filter((t) => typeof t === 'string').join(' '))) return true;
    if (!required) return false;
    if (w[w.length - 1] === 'ids') return true;
    // A required list of names, keys or ids of the items themselves (`?names=a&names=b` on a
    // taxonomies `:export`, `?symbols=AAPL,MSFT`): the answer holds those items and no more.
    const schema = spec.isOas2 ? p : spec.child(p, 'schema');
    if (!schema || !(isArraySchema(schema.value) || isListString(p.value, schema.value))) return false;
    const n = normalizeName(String(p.value.name));
    return ITEM_KEYS.has(w[w.length - 1] ?? '') || (isPluralNoun(String(p.value.name)) && last.includes(n));
  });
  if (ids) return 'batch';
  if (params.offset.length > 0 || params.page.length > 0) return undefined;
  if (params.size.length > 0 && last.some((w) => TOP_N_WORDS.has(w))) return 'top';
  // An autocomplete answers with the best few matches for what was typed, however its path and
  // its count are named (amadeus's Hotel Name Autocomplete and `max`, `/autocomplete/schools` and
  // `returnCount`: "Number of schools to return. Valid values: 1-20").
  if ((params.size.length > 0 || spec.parameters(op).some((p) => isResultCount(spec, p))) && isAutocomplete(spec, op)) return 'top';
  if (isLookup(spec, op)) return 'lookup';
  return undefined;
}

/** The last word of a query parameter that names one account: `email`, `searchEmail`, `username`, `login`. */
const UNIQUE_KEY_WORDS = new Set(['email', 'username', 'login']);

/** An operation that says it answers one item for that key: "Find a user for a particular email address", "Looks up a user by primary email address". */
const ONE_ITEM_TEXT =
  /\b(find|finds|look\s*up|looks\s*up|get|gets|retrieve|retrieves|return|returns|fetch|fetches)\s+(a|the|one)\s+((?:\w+\s+){0,2}?)(for|by|with|matching)\s+((a|an|the|its|their)\s+)?(\w+\s+){0,2}?(e-?mail|user\s*name|login)\b/i;

/**
 * A lookup by a key unique to one account, wrapped in a list (zoomconnect's `GET /account/user?searchEmail=`,
 * Google's `users?email=`): a required `email` / `username` / `login` query parameter, and the
 * operation's summary or description asks for one item by it. A required `username` on a list
 * that says it lists (Discourse's user actions) is no lookup.
 */
function isLookup(spec: Spec, op: Operation): boolean {
  const key = spec.parameters(op).some((p) => p.value.in === 'query' && p.value.required === true && UNIQUE_KEY_WORDS.has(words(String(p.value.name)).at(-1) ?? ''));
  if (!key) return false;
  return [op.value.summary, op.value.description].some((t) => {
    const m = typeof t === 'string' ? ONE_ITEM_TEXT.exec(t) : null;
    // The thing asked for is one ("a user"), not many ("the messages for a recipient email").
    return m !== null && !m[3].trim().split(/\s+/).some((w) => w !== '' && isPluralNoun(w));
  });
}

/**
 * A bound on the list that the operation states in words ("Fetch up to 10 most recent trending
 * search terms", "the top 10 articles on the user's profile"): the quote and its number. Not a
 * page's size ("up to 100 per page", "a maximum of 50 items per response"), which pagination
 * parameters go with.
 */
export function statedListBound(op: Operation): { quote: string; n: number } | undefined {
  for (const text of [op.value.summary, op.value.description]) {
    if (typeof text !== 'string') continue;
    const m = /\b(up to|top|at most|a maximum of|no more than)\s+(\d{1,4})\b(?!\s*(%|percent))(?![^.]{0,30}\bper\s+(page|response|request|call)\b)/i.exec(text);
    if (m && Number(m[2]) > 0) return { quote: m[0], n: Number(m[2]) };
  }
  return undefined;
}

const AUTOCOMPLETE_WORDS = new Set(['autocomplete', 'autosuggest', 'typeahead', 'suggest', 'suggestions']);
const AUTOCOMPLETE_TEXT = /\bauto-?complet(e|ion)\b|\btype-?ahead\b|\bauto-?suggest/i;

/** Is the operation an autocomplete: a word of its path, its operationId, summary or description, or its API's title says so? */
function isAutocomplete(spec: Spec, op: Operation): boolean {
  const pathWords = op.pathKey.split('/').filter((s) => !/[{}]/.test(s)).flatMap((s) => words(s));
  if (pathWords.some((w) => AUTOCOMPLETE_WORDS.has(w))) return true;
  const info = isObject(spec.root) && isObject(spec.root.info) ? spec.root.info : {};
  const texts = [op.value.operationId, op.value.summary, op.value.description, info.title];
  return texts.some((t) => typeof t === 'string' && AUTOCOMPLETE_TEXT.test(t));
}

/** A numeric query parameter described as how many results to return ("The number of results requested from 1 to 20"). */
function isResultCount(spec: Spec, p: Located): boolean {
  if (p.value.in !== 'query') return false;
  const schema = spec.isOas2 ? p.value : spec.child(p, 'schema')?.value;
  if (!isObject(schema) || !schemaTypes(schema).some((t) => t === 'integer' || t === 'number')) return false;
  const text = [p.value.description, schema.description].filter((t) => typeof t === 'string').join(' ');
  return /\b(maximum |max\.? )?number of (results|items|records|entries|matches|suggestions|[a-z]+s) (to return|requested|returned)\b/i.test(text);
}

// ---------------------------------------------------------------------------------------------
// Bounds stated in words

/** The bounds a page-size parameter's description states (`text`: the words that state the upper one, when one passage does). */
export interface StatedBounds {
  min?: number;
  max?: number;
  several?: boolean;
  text?: string;
}

/** A number as descriptions write it: `100`, `10,000`, `10_000`. */
const NUM = String.raw`(\d{1,3}(?:[,_]\d{3})+|\d+)`;
const num = (text: string) => Number(text.replace(/[,_]/g, ''));

/**
 * The page-size bounds a parameter's description states: a range ("between 1 and 100", "ranging
 * from 1 to 100", "from 1 to 10,000"), an upper bound ("up to 500", "at most 100", "max: 31") and
 * a lower one ("at least 5", "minimum of 1"). Several different upper bounds (OpenAI's `limit`:
 * "1d: max 31, 1h: max 168, 1m: max 1440") depend on another parameter: the largest is given,
 * but as not stated (`several`).
 */
export function statedBounds(description: string): StatedBounds {
  // "between 1 and 100", "from 1 to 10,000", a bare "1 to 1,000" or "Allowed values 1-100" (from 0 or 1: not a date, "2019-2020").
  const range = new RegExp(String.raw`\b(?:between\s+${NUM}\s+and|from\s+${NUM}\s+(?:to|through)|([01])\s+(?:to|through)|([01])\s*[-–]\s*(?=\d))\s*${NUM}\b`, 'i').exec(description);
  // A number of a sentence that says what happens without the parameter is its default, not a
  // bound (Google's "If unspecified, at most 50 books will be returned. The maximum value is 1000").
  const bounding = description
    .split(/(?<=[.;])\s+/)
    .filter((sentence) => !/^\W*if (unspecified|not specified|omitted|not set|not provided|not given)\b/i.test(sentence))
    .join(' ');
  // "maximum 100", "max: 31", "maximum allowed value is 1000", "Max limit is 1000", "Max allowed count=250", "The default (and maximum) is 100".
  const matches = [...bounding.matchAll(new RegExp(String.raw`(?:(?:default\s*)?\(and max(?:imum)?\) is|\b(?:up to|at most|no more than|not more than|max(?:imum)?(?: allowed| allowable| limit| page size)?(?: value| count| size)?(?: of| is)?\s*[:=]?))\s*${NUM}\b`, 'gi'))];
  // "The service will use this parameter or 1,000 items, whichever is smaller" (Google Cloud Storage).
  for (const m of bounding.matchAll(new RegExp(String.raw`\b${NUM}(?:\s+[a-z]+)?,?\s+whichever is (?:smaller|less|lower)\b`, 'gi'))) matches.push(m);
  const maxima = matches.map((m) => num(m[1]));
  const maximaText = matches.map((m) => m[0]);
  const minimum = new RegExp(String.raw`\b(?:at least|no less than|not less than|minimum(?: value)?(?: of| is)?|min(?:imum)?\s*[:=]?)\s+${NUM}\b`, 'i').exec(description);
  const out: StatedBounds = {};
  if (range) {
    out.min = num(range[1] ?? range[2] ?? range[3] ?? range[4]);
    out.max = num(range[5]);
    out.text = range[0];
  } else if (maxima.length > 0) {
    out.max = Math.max(...maxima);
    out.text = maxima.length === 1 ? maximaText[0] : undefined;
    if (new Set(maxima).size > 1) out.several = true;
  }
  if (out.min === undefined && minimum) out.min = num(minimum[1]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The next page

export interface NextPage {
  /** `header` (a response header) or `property` (a body property; dotted when one object down). */
  via: 'header' | 'property';
  name: string;
  /** A URL the client can follow (`Link` header, `next_page_url`, `links.next`), rather than a flag or a token. */
  isLink: boolean;
  /** A property one object down: that object's name (`meta`), and the property's own (`next_page_url`). */
  container?: string;
  inner?: string;
  /** A property's schema (for a links object whose members are not spelled out, that object's). */
  schema?: unknown;
}

const LINK_WORDS = new Set(['url', 'uri', 'link', 'href']);
const LINK_CONTAINERS = nameSet(['links', '_links', 'link']);

function isLinkProperty(name: string, schema: unknown, container?: string): boolean {
  const w = words(name);
  if (LINK_WORDS.has(w[w.length - 1] ?? '')) return true;
  // Written in one lower-case word (Azure's `nextlink`, `nexturl`), the name has no word breaks.
  if (/(url|uri|link|href)$/.test(normalizeName(name))) return true;
  if (container !== undefined && LINK_CONTAINERS.has(normalizeName(container))) return true;
  return isObject(schema) && typeof schema.format === 'string' && /^(uri|url|iri)/.test(schema.format);
}

/** Body properties of a list object whose normalized name is in `set`: top level, or one object down (dotted). */
function findProperties(spec: Spec, c: Collection, set: Set<string>): { name: string; inner?: string; container?: string; schema: unknown }[] {
  const out: { name: string; inner?: string; container?: string; schema: unknown }[] = [];
  for (const [name, prop] of c.envelope) {
    if (set.has(normalizeName(name))) out.push({ name, schema: prop.value });
    else if (isObject(prop.value) && !isArraySchema(prop.value) && name !== c.property) {
      for (const [inner, innerProp] of properties(spec, prop)) {
        if (set.has(normalizeName(inner))) out.push({ name: `${name}.${inner}`, inner, container: name, schema: innerProp.value });
      }
    }
  }
  return out;
}

/**
 * Does the list response hand back a property named like the request's cursor parameter (Square's
 * and e-conomic's `cursor`: "use this cursor in a request back to continue the list")? That is
 * the next page's cursor, top level or one object down.
 */
export function returnsCursor(spec: Spec, c: Collection, params: PaginationParams): boolean {
  const names = new Set(params.cursor.map((p) => normalizeName(String(p.value.name))));
  return names.size > 0 && findProperties(spec, c, names).length > 0;
}

/**
 * How a collection's response exposes the next page: a response header, else a body property at the
 * top of the list object or one object down (`links.next`, `meta.next_page_url`). Links are preferred.
 */
export function nextPageOf(spec: Spec, c: Collection, r: Resolved): NextPage | undefined {
  for (const name of spec.headers(c.response).keys()) {
    if (r.nextHeaders.has(name)) return { via: 'header', name, isLink: true };
  }
  const found: NextPage[] = findProperties(spec, c, r.next).map((f) => ({
    via: 'property',
    name: f.name,
    isLink: isLinkProperty(f.inner ?? f.name, f.schema, f.container),
    ...(f.container !== undefined ? { container: f.container, inner: f.inner } : {}),
    schema: f.schema,
  }));
  for (const [name, prop] of c.envelope) {
    if (!LINK_CONTAINERS.has(normalizeName(name)) || !isObject(prop.value)) continue;
    // A links object whose members are not spelled out (JSON:API `links`, HAL `_links`) carries `next` by convention.
    if (!isArraySchema(prop.value) && properties(spec, prop).size === 0) found.push({ via: 'property', name, isLink: true, schema: prop.value });
    // A list of link relations (`[{rel: "next", href: …}]`, as PayPal's HATEOAS links) may carry `next`
    // among them: the next page of a list the client already pages. It does not stand for the
    // pagination itself (isLink false): the schema cannot say `next` is among them, and on an unpaged
    // list (Spring HATEOAS's `…/all`) it is as often only `self`.
    if (isArraySchema(prop.value) && isRelationList(spec, prop)) found.push({ via: 'property', name, isLink: false, schema: prop.value });
  }
  return found.find((f) => f.isLink) ?? found[0];
}

/** An array schema whose items have a relation and a URL (`rel` and `href`, RFC 8288's link in JSON; api.video's `uri`). */
function isRelationList(spec: Spec, list: Located): boolean {
  const items = spec.child(list, 'items');
  if (!items) return false;
  const names = new Set([...properties(spec, items).keys()].map(normalizeName));
  return names.has('rel') && (names.has('href') || names.has('uri') || names.has('url'));
}

/** A total (of items or pages) in the response, as a header (`X-Total-Count`) or a body property (`total_count`, `meta.total`). */
export function totalOf(spec: Spec, c: Collection, r: Resolved): string | undefined {
  for (const name of spec.headers(c.response).keys()) {
    if (r.total.has(normalizeName(name))) return name;
  }
  // A number, not an array (`pages` may be the list itself).
  return findProperties(spec, c, r.total).find((f) => !isArraySchema(f.schema))?.name;
}

// ---------------------------------------------------------------------------------------------
// Findings on shared nodes

/** Where a `$ref` points (`file#pointer`), so a node many operations share is reported once; undefined when `value` is no `$ref`. */
export function refKey(value: unknown, file: string): string | undefined {
  if (!isObject(value) || typeof value.$ref !== 'string') return undefined;
  const t = refTarget(value.$ref, file);
  return `${t.file}#${t.pointer}`;
}

/** `GET /a`, or `GET /a and 2 more operations` for a shared node. */
export function operationsText(ops: string[]): string {
  const more = ops.length - 1;
  return more > 0 ? `${ops[0]} and ${more} more operation${more > 1 ? 's' : ''}` : ops[0];
}

/**
 * What Azure's `x-ms-pageable` declares about an operation's list: `link` when it names the
 * property with the next page's URL (`nextLinkName: nextLink`; AutoRest follows it), `single` when
 * it has no `nextLinkName` (absent or `null`: the list comes in one page), undefined without it.
 */
export function msPageable(op: Operation): 'link' | 'single' | undefined {
  const pageable = op.value['x-ms-pageable'];
  if (!isObject(pageable)) return undefined;
  return typeof pageable.nextLinkName === 'string' && pageable.nextLinkName !== '' ? 'link' : 'single';
}
