/**
 * Helpers shared by the caching rules: which responses are worth caching, what a response's
 * `Cache-Control` says, where an `x-gateway-cache` annotation in effect lives, and which request
 * credential a security scheme carries.
 */
import { isObject, isSuccess, type JsonPath, type Located, type Operation, type Spec, opLabel } from '../../../src/openapi/spec';
import { effectiveAnnotation, type Annotation } from '../../../src/openapi/annotations';
import { nameWords } from './auth';

/** Methods whose responses HTTP caches may store (QUERY: draft-ietf-httpbis-safe-method-w-body, OpenAPI 3.2). */
export const CACHEABLE_METHODS = ['get', 'head', 'query'];
/**
 * Methods `x-gateway-cache` may cache: gateways key their cache on the method and URL, and a
 * QUERY's response depends on its body, so QUERY is left out.
 */
export const GATEWAY_CACHE_METHODS = ['get', 'head'];
export const DEFAULT_CACHE_ANNOTATION = 'x-gateway-cache';

/** Options of the rules that read the cache annotation: which extension to read. */
export interface AnnotationOptions {
  /** The gateway-cache extension to check (default x-gateway-cache). */
  annotation?: string;
}

export const ANNOTATION_OPTIONS_SCHEMA = {
  type: ['object', 'null'],
  properties: { annotation: { type: 'string', pattern: '^x-' } },
  additionalProperties: false,
} as const;

export { opLabel };

export function isCacheableMethod(method: string): boolean {
  return CACHEABLE_METHODS.includes(method);
}

export function isGatewayCacheableMethod(method: string): boolean {
  return GATEWAY_CACHE_METHODS.includes(method);
}


// ---------------------------------------------------------------------------------------------
// Responses

/** Media types whose body is an open-ended stream (`text/event-stream`, NDJSON, Docker's `*.raw-stream`). */
const STREAMING = /ndjson|jsonl|json-seq|x-mixed-replace|[-.+]stream$/i;

function isStreamingType(mediaType: string): boolean {
  const type = mediaType.split(';')[0].trim();
  return type !== 'application/octet-stream' && STREAMING.test(type);
}

/** Media types an OAS 2.0 operation produces (operation `produces`, else the root's). */
function produces(spec: Spec, op: Operation): string[] {
  const list = Array.isArray(op.value.produces) ? op.value.produces : spec.root.produces;
  return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Does the response carry a body a cache could store? Not when it documents none (OAS 2.0 no
 * `schema`, OAS 3 no `content`) or when every media type it uses is a stream.
 */
export function hasCacheableBody(spec: Spec, op: Operation, response: Located): boolean {
  if (spec.isOas2) {
    if (response.value.schema === undefined) return false;
    const types = produces(spec, op);
    return types.length === 0 || !types.every(isStreamingType);
  }
  const content = response.value.content;
  if (!isObject(content)) return false;
  const types = Object.keys(content);
  return types.length > 0 && !types.every(isStreamingType);
}

/** Last path segments that are a one-time value by themselves (`/uuid`, `/nonce`, `/otp`). */
const FRESH_SEGMENTS = new Set(['nonce', 'otp', 'captcha', 'uuid', 'uuids', 'guid', 'guids']);

/** A random pick that stays the same a while, as a description says ("deterministic", "of the day", "until midnight", "never changes"). */
const KEEPS_ITS_PICK = /(?<!non-?)\bdeterministic|\bof the day\b|\bsame\b[^.]*\buntil\b|\bnever changes\b|\bstored\b/i;

/** A description that opens with a random pick: "Get a random Fact.", "Search for random riddle…", "Generate random email ids". */
const RANDOM_PICK = /^\W*(get|gets|return|returns|generate|generates|fetch|fetches|retrieve|retrieves|pick|picks|give|gives|search for|searches for)\s+((a|an|one|some|\d+)\s+)?random\b/i;

/**
 * Does each call mint a new value (`/quote/random`, `/randomWords`, `/generateAadhaarOTP`,
 * `/uuid`, `/nonce`)? The path ends in a named segment (not an item: `/by-uuid/{uuid}` reads a
 * stored one) that has the word `random`, starts with `generate`, names a presigned URL
 * (`/presign`, `/signed-url`), or is a one-time value by itself (`FRESH_SEGMENTS`; not
 * `/otp-settings`); or a `generate` segment stands anywhere in the path, the summary says
 * "random", or the description opens with a random pick that it does not keep. There is nothing
 * to revalidate: the next answer differs by design (it should say `no-store`, which
 * cache-control-header asks for).
 */
export function mintsFreshValue(op: Operation): boolean {
  const last = op.pathKey.split('/').filter((s) => s !== '').at(-1);
  if (last === undefined || /[{}]/.test(last)) return false;
  // A summary, or the description's first sentence, that says so ("Generate random Shakespeare
  // style insults", "Get a random sentence from the Zen of GitHub"; not "Generate a report", nor a
  // description that says its "random" answer is deterministic), or a `generate` segment before
  // the thing generated (`/shakespeare/generate/insult`).
  if (typeof op.value.summary === 'string' && /\brandom\b/i.test(op.value.summary)) return true;
  const description = typeof op.value.description === 'string' ? op.value.description : '';
  if (RANDOM_PICK.test(description.split(/(?<=[.!?])\s|\n/)[0]) && !KEEPS_ITS_PICK.test(description)) return true;
  if (op.pathKey.split('/').some((s) => /^generate([-_]|$)/i.test(s))) return true;
  const words = nameWords(last);
  // A presigned URL (`/uploads/presign`, `/signed-url`, `/signed-bi-url`) expires and is minted per call.
  const presigned = words.some((w) => w === 'presign' || w === 'presigned') || (words.includes('signed') && words.some((w) => w === 'url' || w === 'urls' || w === 'link'));
  return words[0] === 'generate' || words.includes('random') || presigned || (words.length === 1 && FRESH_SEGMENTS.has(words[0]));
}

/**
 * Is this the response of an OAuth token endpoint (last path segment `token` or `access_token`, or
 * a body with an `access_token`)? RFC 6749 §5.1 requires `Cache-Control: no-store` on it: a token
 * response is never stored, so it is never revalidated either.
 */
export function isTokenResponse(spec: Spec, op: Operation, response: Located): boolean {
  const last = op.pathKey.split('/').filter((s) => s !== '' && !s.startsWith('{')).pop() ?? '';
  if (/^(oauth2?[-_.]?)?(access[-_]?)?token$/i.test(last)) return true;
  const schema = spec.responseSchema(response);
  const props = schema && isObject(schema.value) ? spec.child(schema, 'properties')?.value : undefined;
  return isObject(props) && ('access_token' in props || 'accessToken' in props);
}

/** A 2xx response of a GET/HEAD operation, with the operations (and codes) that use it. */
export interface CachedResponse {
  response: Located;
  /** The `$ref` the operations reach it through, when it is a shared component. */
  ref?: string;
  uses: { op: Operation; code: string }[];
}

/**
 * The 2xx responses of GET/HEAD operations that pass `keep`, each once: a response object several
 * operations `$ref` is one entry (located through its first use), so it is reported once, at the
 * component.
 */
export function cachedResponses(
  spec: Spec,
  keep: (op: Operation, code: string, response: Located) => boolean,
): CachedResponse[] {
  const byObject = new Map<object, CachedResponse>();
  for (const op of spec.operations()) {
    if (!isCacheableMethod(op.method)) continue;
    const raw = spec.child(op, 'responses')?.value;
    for (const [code, response] of spec.responses(op)) {
      if (response.broken || !isSuccess(code) || !keep(op, code, response)) continue;
      const entry = byObject.get(response.value);
      if (entry) {
        entry.uses.push({ op, code });
        continue;
      }
      const ref = isObject(raw) && isObject(raw[code]) && typeof raw[code].$ref === 'string' ? (raw[code].$ref as string) : undefined;
      byObject.set(response.value, { response, ref, uses: [{ op, code }] });
    }
  }
  return [...byObject.values()];
}

/** `a, b, c and 4 more`: the first few items of a list for a message. */
export function shortList(items: string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** How a finding names a response: `GET /pets 200`, or the shared component and who uses it. */
export function responseLabel(entry: CachedResponse): string {
  const uses = entry.uses.map(({ op, code }) => `${opLabel(op)} ${code}`);
  if (entry.ref === undefined) return `${uses[0]} response`;
  return `Shared response ${entry.ref} (${shortList(uses)})`;
}

/** Path a response finding points at: its `headers` when it has them, else the response. */
export function responseFindingPath(response: Located): JsonPath {
  return response.value.headers !== undefined ? [...response.path, 'headers'] : response.path;
}

// ---------------------------------------------------------------------------------------------
// Cache-Control values

function saysNoStore(v: unknown): boolean {
  return typeof v === 'string' && /(^|[\s,])no-store([\s,=]|$)/i.test(v);
}

/**
 * Does the documented `Cache-Control` header say `no-store`? A single documented value (example,
 * default, const, x-example) that says so is enough; a list of values (enum, examples) must say so
 * in every entry.
 */
export function isNoStore(spec: Spec, header: Located): boolean {
  const holders: Located[] = [header];
  const schema = spec.child(header, 'schema');
  if (schema && isObject(schema.value)) holders.push(schema);
  for (const h of holders) {
    const v = h.value;
    if (!isObject(v)) continue;
    if ([v.example, v.default, v.const, v['x-example']].some(saysNoStore)) return true;
    if (Array.isArray(v.enum) && v.enum.length > 0 && v.enum.every(saysNoStore)) return true;
    if (Array.isArray(v.examples) && v.examples.length > 0 && v.examples.every(saysNoStore)) return true;
    const examples = spec.child(h, 'examples');
    if (examples && isObject(examples.value)) {
      const values = Object.keys(examples.value).map((k) => spec.child(examples, k)?.value?.value);
      if (values.length > 0 && values.every(saysNoStore)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Annotations

/** A gateway-cache annotation switches caching on unless it is `false` (or null). */
export function cacheEnabled(value: unknown): boolean {
  return value !== false && value !== null && value !== undefined;
}

/** Does an enabled annotation's `methods` list (when it has one) include this method? */
export function listsMethod(value: unknown, method: string): boolean {
  if (!isObject(value) || !Array.isArray(value.methods)) return true;
  return value.methods.some((m) => typeof m === 'string' && m.toLowerCase() === method.toLowerCase());
}

/**
 * The gateway cache in force for an operation, or undefined when the operation is not cached:
 * the annotation in effect is `false`, it comes from the root and the method is not GET/HEAD (the
 * root annotation covers only those by design), or its `methods` list leaves the method out.
 */
export function gatewayCacheFor(spec: Spec, op: Operation, name = DEFAULT_CACHE_ANNOTATION): Annotation | undefined {
  const found = effectiveAnnotation(spec, op, name);
  if (!found || !cacheEnabled(found.value)) return undefined;
  if (found.level === 'root' && !isGatewayCacheableMethod(op.method)) return undefined;
  if (!listsMethod(found.value, op.method)) return undefined;
  return found;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** Where a request carries a security scheme's credential. */
export interface Credential {
  in: 'header' | 'query';
  /** Header name (compared case-insensitively) or query parameter name. */
  name: string;
  scheme: string;
}

/**
 * The request credential of a security scheme: apiKey → its header / query parameter (`Cookie`
 * for a cookie key); http, oauth2, openIdConnect (and OAS 2.0 basic) → `Authorization`.
 * mutualTLS (the client certificate) is not in the request and yields nothing.
 */
export function credentialOf(name: string, scheme: unknown): Credential | undefined {
  if (!isObject(scheme) || typeof scheme.type !== 'string') return undefined;
  switch (scheme.type.toLowerCase()) {
    case 'apikey': {
      if (typeof scheme.name !== 'string') return undefined;
      const where = String(scheme.in).toLowerCase();
      if (where === 'header') return { in: 'header', name: scheme.name, scheme: name };
      if (where === 'query') return { in: 'query', name: scheme.name, scheme: name };
      if (where === 'cookie') return { in: 'header', name: 'Cookie', scheme: name };
      return undefined;
    }
    case 'http':
    case 'basic':
    case 'oauth2':
    case 'openidconnect':
      return { in: 'header', name: 'Authorization', scheme: name };
    default:
      return undefined;
  }
}
