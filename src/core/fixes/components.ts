/**
 * Shared components, as a careful author keeps them: the first fix that needs `Retry-After` or a
 * `429` response creates `components/headers/Retry-After` or `components/responses/TooManyRequests`
 * (OAS 2.0: root `responses` / `parameters` / `definitions`; headers inline, 2.0 has no shared
 * headers) and every fix refers to it with a `$ref`. What exists is reused: the component under
 * its usual name, or one the user wrote under another name that is the same thing (the response
 * operations already use for 429, the header they already `$ref` as `Retry-After`, the `limit`
 * query parameter whatever its key). A reused component is completed where a fix relies on it
 * (a reused 429 response gets `Retry-After` and rate-limit headers).
 */
import { dirname, relative, sep } from 'node:path';
import { isObject, type Located } from '../../openapi/spec';
import { IETF_HEADERS, LEGACY_HEADERS } from '../../../rules/functions/lib/ratelimit';
import type { FixModel, Place } from './model';
import { COMPONENTS, RESPONSE_2, RESPONSE_3, RESPONSE_COMPONENTS, ROOT_2, ROOT_3 } from './order';
import { TabStop, type FixSession, type Planned } from './session';
import type { JsonPath } from './types';

export type HeaderName =
  | 'Retry-After' | 'RateLimit' | 'RateLimit-Policy' | 'X-RateLimit-Limit' | 'X-RateLimit-Remaining' | 'X-RateLimit-Reset'
  | 'Cache-Control' | 'ETag' | 'Link' | 'WWW-Authenticate';
export type ResponseName = 'TooManyRequests' | 'Unauthorized' | 'Forbidden' | 'NotModified';
export type ParameterName = 'Limit' | 'Cursor' | 'IfNoneMatch';
type Kind = 'headers' | 'responses' | 'parameters' | 'schemas';

const HEADERS: Record<HeaderName, { description: string; type: 'integer' | 'string'; minimum?: number }> = {
  'Retry-After': { description: 'Seconds to wait before retrying (RFC 9110).', type: 'integer', minimum: 0 },
  // No numbers in the examples: the document's own policy is what a header documents.
  RateLimit: { description: 'Per policy, the quota left (r) and the seconds until it resets (t) (draft-ietf-httpapi-ratelimit-headers).', type: 'string' },
  'RateLimit-Policy': { description: 'The quota policies: per name, the requests allowed (q) in a window of w seconds (draft-ietf-httpapi-ratelimit-headers).', type: 'string' },
  'X-RateLimit-Limit': { description: 'Requests allowed in the current window.', type: 'integer' },
  'X-RateLimit-Remaining': { description: 'Requests left in the current window.', type: 'integer' },
  'X-RateLimit-Reset': { description: 'Unix time (seconds) at which the current window resets.', type: 'integer' },
  'Cache-Control': { description: 'Caching directives (RFC 9111), e.g. private, max-age=60 or no-store.', type: 'string' },
  ETag: { description: 'Entity tag of the representation; send it in If-None-Match to revalidate (RFC 9110).', type: 'string' },
  Link: { description: 'Links to other pages (RFC 8288), e.g. <https://api.example.com/items?cursor=abc>; rel="next".', type: 'string' },
  'WWW-Authenticate': { description: 'The authentication scheme to use and its parameters (RFC 9110 §11.6.1).', type: 'string' },
};

/** Names users give the same response. */
const RESPONSE_ALIASES: Record<ResponseName, string[]> = {
  TooManyRequests: ['toomanyrequests', 'ratelimited', 'ratelimit', 'ratelimitexceeded', 'throttled', 'error429', 'response429', '429'],
  Unauthorized: ['unauthorized', 'unauthorised', 'unauthenticated', 'error401', 'response401', '401'],
  Forbidden: ['forbidden', 'error403', 'response403', '403'],
  NotModified: ['notmodified', 'response304', '304'],
};
const RESPONSE_CODES: Record<ResponseName, string> = { TooManyRequests: '429', Unauthorized: '401', Forbidden: '403', NotModified: '304' };
const PARAMETERS: Record<ParameterName, { name: string; in: 'query' | 'header' }> = {
  Limit: { name: 'limit', in: 'query' },
  Cursor: { name: 'cursor', in: 'query' },
  IfNoneMatch: { name: 'If-None-Match', in: 'header' },
};
/** The problem type URI of draft-ietf-httpapi-ratelimit-headers-12 §5.1. */
const QUOTA_EXCEEDED = 'https://iana.org/assignments/http-problem-types#quota-exceeded';
const PROBLEM_ALIASES = ['problem', 'problemdetails', 'problemdetail', 'problemjson'];

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A `$ref` string to `place`, written from `fromFile` (relative path when it is another file). */
export function refString(place: { file: string; path: JsonPath }, fromFile: string): string {
  const pointer = place.path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
  if (place.file === fromFile) return `#${pointer}`;
  let rel = relative(dirname(fromFile), place.file).split(sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return `${rel}#${pointer}`;
}

/** What the document already uses, found once: header, response and parameter `$ref`s by meaning. */
interface Usage {
  headers: Map<string, Place>;
  responses: Map<string, Place>;
  parameters: Map<string, Place>;
  /** Responses documenting X-RateLimit-* vs IETF RateLimit headers. */
  legacyHeaders: number;
  ietfHeaders: number;
  /** The body more than half of the document's error responses (4xx, 5xx, default) with a body have, if any. */
  errorBody?: ErrorBody;
}

/** An error body as the document writes it: media type (3.x) and schema (a shared one, or inline). */
interface ErrorBody {
  media?: string;
  ref?: Place;
  inline?: unknown;
}

const usageCache = new WeakMap<FixModel, Usage>();

function usageOf(model: FixModel): Usage {
  let usage = usageCache.get(model);
  if (usage) return usage;
  usage = { headers: new Map(), responses: new Map(), parameters: new Map(), legacyHeaders: 0, ietfHeaders: 0 };
  const bodies = new Map<string, ErrorBody & { count: number }>();
  const { spec } = model;
  const refPlace = (raw: unknown, file: string): Place | undefined =>
    isObject(raw) && typeof raw.$ref === 'string' ? model.deref({ file, path: [], value: raw }) : undefined;
  const seen = new Set<object>();
  // Which codes each shared response stands for: a generic `Error` used for 400 and 500 is not the 429 response.
  const codesOf = new Map<unknown, Set<string>>();
  const candidates = new Map<string, Place[]>();
  for (const op of spec.operations()) {
    const responses = spec.child(op, 'responses');
    if (responses && isObject(responses.value)) {
      for (const [code, raw] of Object.entries(responses.value)) {
        const target = refPlace(raw, responses.file);
        if (!target) continue;
        codesOf.set(target.value, (codesOf.get(target.value) ?? new Set()).add(code));
        candidates.set(code, [...(candidates.get(code) ?? []), target]);
      }
    }
    for (const [code, response] of spec.responses(op)) {
      if (/^([45](\d\d|xx)|default)$/i.test(code)) countErrorBody(model, response, bodies);
      if (seen.has(response.value)) continue;
      seen.add(response.value);
      const headers = spec.child(response, 'headers');
      if (!headers || !isObject(headers.value)) continue;
      const names = Object.keys(headers.value).map((n) => n.toLowerCase());
      if (names.includes('x-ratelimit-limit')) usage.legacyHeaders++;
      if (names.includes('ratelimit') || names.includes('ratelimit-policy')) usage.ietfHeaders++;
      for (const [name, raw] of Object.entries(headers.value)) {
        const key = name.toLowerCase();
        const target = usage.headers.has(key) ? undefined : refPlace(raw, headers.file);
        if (target) usage.headers.set(key, target);
      }
    }
    for (const owner of [op.pathItem, op as Located]) {
      const list = spec.child<unknown[]>(owner, 'parameters');
      if (!list || !Array.isArray(list.value)) continue;
      for (const raw of list.value) {
        const target = refPlace(raw, list.file);
        if (target && isObject(target.value)) {
          const key = `${String(target.value.in)}:${String(target.value.name).toLowerCase()}`;
          if (!usage.parameters.has(key)) usage.parameters.set(key, target);
        }
      }
    }
  }
  for (const [code, places] of candidates) {
    const own = places.find((p) => codesOf.get(p.value)?.size === 1);
    if (own) usage.responses.set(code, own);
  }
  // The convention is the body most error responses have: AWS specs give each error its own
  // exception schema, and the most frequent of them (InvalidArnException) is no 403's body.
  const total = [...bodies.values()].reduce((sum, b) => sum + b.count, 0);
  for (const body of bodies.values()) if (body.count * 2 > total && (!usage.errorBody || body.count > (usage.errorBody as { count: number }).count)) usage.errorBody = body;
  usageCache.set(model, usage);
  return usage;
}

/** Count an error response's body (its first media type's schema; 2.0: its schema) by what it is. */
function countErrorBody(model: FixModel, response: Located, bodies: Map<string, ErrorBody & { count: number }>): void {
  const { spec } = model;
  // The schema as written (a `$ref` stays one: the fix refers to the same component).
  const raw = (holder: Located | undefined) => (holder && isObject(holder.value) ? { file: holder.file, value: holder.value.schema } : undefined);
  let media: string | undefined;
  let schema: { file: string; value: unknown } | undefined;
  if (spec.isOas2) schema = raw(response);
  else {
    const content = spec.child(response, 'content');
    if (!content || !isObject(content.value)) return;
    media = Object.keys(content.value)[0];
    schema = raw(media === undefined ? undefined : spec.child(content, media));
  }
  if (!schema || !isObject(schema.value)) return;
  const value = schema.value;
  const ref = typeof value.$ref === 'string' ? model.deref({ file: schema.file, path: [], value }) : undefined;
  if (typeof value.$ref === 'string' && !ref) return;
  const key = `${media ?? ''}\0${ref ? `${ref.file}#${ref.path.join('/')}` : JSON.stringify(value)}`;
  const entry = bodies.get(key) ?? { media, ...(ref ? { ref } : { inline: value }), count: 0 };
  entry.count++;
  bodies.set(key, entry);
}

export type RateLimitStyle = 'ietf' | 'legacy' | 'either';

export class Components {
  private readonly root: string;
  /** Where each kind lives: `components/<kind>` (3.x) or the root `responses`, `parameters`, `definitions` (2.0). */
  private readonly sections: Record<Kind, JsonPath>;

  constructor(
    private readonly session: FixSession,
    private readonly model: FixModel,
    private readonly rateLimitStyle: RateLimitStyle = 'either',
  ) {
    this.root = model.rootFile;
    this.sections = model.isOas2
      ? { headers: [], responses: ['responses'], parameters: ['parameters'], schemas: ['definitions'] }
      : { headers: ['components', 'headers'], responses: ['components', 'responses'], parameters: ['components', 'parameters'], schemas: ['components', 'schemas'] };
  }

  get isOas2(): boolean {
    return this.model.isOas2;
  }

  /** The rate-limit headers to document: the configured style; for `either`, what the document already uses (IETF when it uses neither). */
  rateLimitHeaders(present: Set<string> = new Set()): string[] {
    if (this.rateLimitStyle === 'ietf') return IETF_HEADERS;
    if (this.rateLimitStyle === 'legacy') return LEGACY_HEADERS;
    const has = (set: string[]) => set.filter((h) => present.has(h.toLowerCase())).length / set.length;
    if (has(LEGACY_HEADERS) > has(IETF_HEADERS)) return LEGACY_HEADERS;
    if (has(IETF_HEADERS) > 0) return IETF_HEADERS;
    const usage = usageOf(this.model);
    return usage.legacyHeaders > usage.ietfHeaders ? LEGACY_HEADERS : IETF_HEADERS;
  }

  /** A header to put under a response's `headers`: a `$ref` to the shared header (3.x) or the header itself (2.0). */
  header(name: HeaderName, fromFile: string): Planned {
    const spec = HEADERS[name];
    if (this.isOas2) {
      return { description: spec.description, type: spec.type, ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}) };
    }
    const place = this.find('headers', name) ?? this.create('headers', name, {
      description: spec.description,
      schema: { type: spec.type, ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}) },
    });
    return { $ref: refString(place, fromFile) };
  }

  /**
   * What `response(name)` would `$ref`, in words for a quick-fix title: the response the document
   * already has (`the document's Unauthorized`), else what the new one holds (`a new Unauthorized
   * with a WWW-Authenticate header and the Error body`).
   */
  describeResponse(name: ResponseName): string {
    const place = this.find('responses', name);
    if (place) return `the document's ${String(place.path[place.path.length - 1])}`;
    const headers = name === 'Unauthorized' && this.hasChallengeScheme() ? ['WWW-Authenticate'] : [];
    const body = name === 'NotModified' ? undefined : this.errorBody(this.root);
    const ref = body && isObject(body.schema) ? (body.schema as Record<string, unknown>).$ref : undefined;
    const bodyName = typeof ref === 'string' ? `the ${ref.split('/').pop()} body` : body ? "the document's error body" : undefined;
    const parts = [headers.length > 0 ? `a ${headers.join(', ')} header` : undefined, bodyName].filter((p) => p !== undefined);
    return `a new ${name}${parts.length > 0 ? ` with ${parts.join(' and ')}` : ', no body'}`;
  }

  response(name: ResponseName, fromFile: string): Planned {
    let place = this.find('responses', name);
    if (place) this.complete(name, place);
    else place = this.create('responses', name, this.responseTemplate(name));
    return { $ref: refString(place, fromFile) };
  }

  parameter(name: ParameterName, fromFile: string): Planned {
    let place = this.find('parameters', name);
    if (place && name === 'Limit') this.onReuseLimit?.(place);
    place ??= this.create('parameters', name, this.parameterTemplate(name));
    return { $ref: refString(place, fromFile) };
  }

  /** Whether the document has (or a fix has planned) this parameter, under its name or another. */
  hasParameter(name: ParameterName): boolean {
    return this.find('parameters', name) !== undefined;
  }

  /** Called when an existing `limit` parameter is reused (pagination bounds it). */
  onReuseLimit?: (place: Place) => void;

  /** Add missing headers (compared case-insensitively) to the response at `place`. */
  addHeaders(place: { file: string; path: JsonPath }, names: HeaderName[]): string[] {
    const doc = this.session.doc(place.file);
    const current = doc.get([...place.path, 'headers']);
    const present = new Set(isObject(current) ? Object.keys(current).map((k) => k.toLowerCase()) : []);
    const missing = names.filter((n) => !present.has(n.toLowerCase()));
    if (missing.length === 0) return [];
    if (!isObject(current)) doc.ensureMap([...place.path, 'headers'], [...place.path.map(() => 'end' as const), this.isOas2 ? RESPONSE_2 : RESPONSE_3]);
    for (const name of missing) doc.setKey([...place.path, 'headers'], name, this.header(name, place.file));
    return missing;
  }

  /**
   * The body of an error response a fix creates, as the document's own error responses have it:
   * their schema and media type (Stripe's `error`, the petstore's `Error`, as `application/json`);
   * else a problem-details schema the document defines (`application/problem+json`, RFC 9457);
   * else none: a body the API may not send is not invented.
   */
  private errorBody(fromFile: string): { media: string; schema: Planned } | undefined {
    const used = usageOf(this.model).errorBody;
    if (used) {
      const schema: Planned = used.ref ? { $ref: refString(used.ref, fromFile) } : (structuredClone(used.inline) as Planned);
      return { media: used.media ?? 'application/json', schema };
    }
    const place = this.find('schemas', 'Problem');
    return place ? { media: 'application/problem+json', schema: { $ref: refString(place, fromFile) } } : undefined;
  }

  /** Problem details (RFC 9457): the base of the quota-exceeded body. */
  private problemBody(fromFile: string): Planned {
    const place = this.find('schemas', 'Problem') ?? this.create('schemas', 'Problem', {
      type: 'object',
      description: 'Problem details (RFC 9457).',
      properties: {
        type: { type: 'string', format: 'uri-reference' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        instance: { type: 'string', format: 'uri-reference' },
      },
    });
    return { $ref: refString(place, fromFile) };
  }

  /**
   * The body of a 429: the `quota-exceeded` problem type of draft-ietf-httpapi-ratelimit-headers-12
   * (§5.1), a Problem with `violated-policies`, the names of the RateLimit-Policy policies exceeded.
   */
  private quotaExceededBody(fromFile: string): Planned {
    const place = this.find('schemas', 'QuotaExceeded') ?? this.create('schemas', 'QuotaExceeded', {
      description: 'The quota-exceeded problem type (draft-ietf-httpapi-ratelimit-headers-12).',
      allOf: [
        this.problemBody(this.root),
        {
          type: 'object',
          properties: {
            'violated-policies': {
              type: 'array',
              description: 'Names of the RateLimit-Policy policies whose quota the request exceeded.',
              items: { type: 'string' },
            },
          },
        },
      ],
      example: {
        type: QUOTA_EXCEEDED,
        title: 'Request cannot be satisfied as assigned quota has been exceeded',
        status: 429,
        'violated-policies': ['default'],
      },
    });
    return { $ref: refString(place, fromFile) };
  }

  private responseTemplate(name: ResponseName): Planned {
    const descriptions: Record<ResponseName, string> = {
      TooManyRequests: 'Too many requests; the rate limit is exhausted. Retry after the number of seconds in Retry-After.',
      Unauthorized: 'Missing or invalid credentials.',
      Forbidden: 'The request is not allowed with the credentials it carries (for example, a scope is missing or the signature does not match).',
      NotModified: 'Not modified; the representation matching If-None-Match is still current.',
    };
    const headerNames: HeaderName[] =
      name === 'TooManyRequests' ? ['Retry-After', ...(this.rateLimitHeaders() as HeaderName[])]
      : name === 'Unauthorized' ? (this.hasChallengeScheme() ? ['WWW-Authenticate'] : [])
      : name === 'NotModified' ? ['ETag']
      : [];
    const headers = Object.fromEntries(headerNames.map((h) => [h, this.header(h, this.root)]));
    // The document's own error body first; a 429 without one gets the quota-exceeded problem type
    // (what the ratelimit-headers draft defines for it); a 401 / 403 without one gets no body.
    const body =
      name === 'NotModified' ? undefined
      : (this.errorBody(this.root) ?? (name === 'TooManyRequests' ? { media: 'application/problem+json', schema: this.quotaExceededBody(this.root) } : undefined));
    if (this.isOas2) {
      return {
        description: descriptions[name],
        ...(body ? { schema: body.schema } : {}),
        ...(headerNames.length > 0 ? { headers } : {}),
      };
    }
    return {
      description: descriptions[name],
      ...(headerNames.length > 0 ? { headers } : {}),
      ...(body ? { content: { [body.media]: { schema: body.schema } } } : {}),
    };
  }

  private parameterTemplate(name: ParameterName): Planned {
    const descriptions: Record<ParameterName, string> = {
      Limit: 'Maximum number of items to return.',
      Cursor: 'Opaque cursor from the previous page (its Link rel="next"); omit it for the first page.',
      IfNoneMatch: 'ETag of a cached representation; the server answers 304 while it still matches.',
    };
    const { name: paramName, in: where } = PARAMETERS[name];
    // The bounds are a suggestion: tab stops in the editor.
    const schema: Record<string, Planned> = name === 'Limit' ? { type: 'integer', minimum: 1, maximum: new TabStop(1, 100), default: new TabStop(2, 20) } : { type: 'string' };
    return this.isOas2
      ? { name: paramName, in: where, description: descriptions[name], ...schema }
      : { name: paramName, in: where, description: descriptions[name], schema };
  }

  /**
   * Does the document authenticate by an HTTP scheme (basic, bearer, …), OAuth 2 or OpenID Connect?
   * Their 401 carries a WWW-Authenticate challenge (RFC 9110, RFC 6750); an API key has none, and
   * a header the API does not send is not invented.
   */
  private hasChallengeScheme(): boolean {
    return [...this.model.spec.securitySchemes().values()].some((s) => isObject(s.value) && ['http', 'oauth2', 'openidconnect', 'basic'].includes(String(s.value.type).toLowerCase()));
  }

  /** A reused response gets what the fix that asked for it relies on. */
  private complete(name: ResponseName, place: Place): void {
    if (name !== 'TooManyRequests') return;
    const present = isObject(place.value) && isObject(place.value.headers) ? new Set(Object.keys(place.value.headers).map((k) => k.toLowerCase())) : new Set<string>();
    this.addHeaders(place, ['Retry-After', ...(this.rateLimitHeaders(present) as HeaderName[])]);
  }

  // ---------------------------------------------------------------------------------------------
  // Finding and creating

  /** Where a component the fixes use lives (existing, reused under another name, or planned), if anywhere yet. */
  place(kind: 'responses', name: ResponseName): Place | undefined {
    return this.find(kind, name);
  }

  /** An existing (or already planned) component that is the one asked for. */
  private find(kind: Kind, name: string): Place | undefined {
    const section = this.sections[kind];
    const doc = this.session.doc(this.root);
    if (doc.has([...section, name])) return this.located([...section, name]);
    const usage = usageOf(this.model);
    const existing = doc.get(section);
    const keys = isObject(existing) ? Object.keys(existing) : [];
    switch (kind) {
      case 'headers': {
        const used = usage.headers.get(name.toLowerCase());
        if (used) return used;
        const key = keys.find((k) => norm(k) === norm(name) || norm(k) === `${norm(name)}header`);
        return key === undefined ? undefined : this.located([...section, key]);
      }
      case 'responses': {
        const used = usage.responses.get(RESPONSE_CODES[name as ResponseName]);
        if (used) return used;
        const aliases = RESPONSE_ALIASES[name as ResponseName];
        const key = keys.find((k) => aliases.includes(norm(k)));
        return key === undefined ? undefined : this.located([...section, key]);
      }
      case 'parameters': {
        const { name: paramName, in: where } = PARAMETERS[name as ParameterName];
        const wanted = `${where}:${paramName.toLowerCase()}`;
        const used = usage.parameters.get(wanted);
        if (used) return used;
        const key = keys.find((k) => {
          const p = this.model.deref({ file: this.root, path: [...section, k], value: (existing as any)[k] });
          return p && isObject(p.value) && `${String(p.value.in)}:${String(p.value.name).toLowerCase()}` === wanted;
        });
        return key === undefined ? undefined : this.located([...section, key]);
      }
      case 'schemas': {
        if (name !== 'Problem') return undefined;
        const key = keys.find((k) => PROBLEM_ALIASES.includes(norm(k)));
        return key === undefined ? undefined : this.located([...section, key]);
      }
    }
  }

  /** A place in the root document (an existing component is followed if it is itself a `$ref`). */
  private located(path: JsonPath): Place {
    const existing = this.model.physical(this.root, path);
    return existing ?? { file: this.root, path, value: this.session.doc(this.root).get(path) };
  }

  /** Create a component under a free name in the root document's section. */
  private create(kind: Kind, name: string, value: Planned): Place {
    const section = this.sections[kind];
    const doc = this.session.doc(this.root);
    const rootOrder = this.isOas2 ? ROOT_2 : ROOT_3;
    doc.ensureMap(section, section.length === 2 ? [rootOrder, COMPONENTS] : [rootOrder]);
    let key = name;
    for (let i = 2; doc.has([...section, key]); i++) key = `${name}${i}`;
    doc.setKey(section, key, value, kind === 'responses' ? RESPONSE_COMPONENTS : 'end');
    return { file: this.root, path: [...section, key], value };
  }
}
