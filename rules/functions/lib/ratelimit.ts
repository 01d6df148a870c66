/**
 * Helpers for the rate-limit family: responses grouped by the node they live in (a shared
 * component reached from many operations is one node, so it gets one finding), and the
 * rate-limit header sets.
 */
import { readField, serialize } from './ratelimitFields';
import { listText } from '../../../src/openapi/text';
import { isObject, type JsonPath, type Located, type Operation, type Spec, opLabel } from '../../../src/openapi/spec';

/** One response node and every (operation, status code) that reaches it. */
export interface ResponseNode {
  /** The response as first reached (its logical path runs through that operation). */
  response: Located;
  op: Operation;
  codes: string[];
  ops: Operation[];
  /** Name of the component when the response is a `$ref` (e.g. `TooManyRequests`). */
  shared?: string;
}

/** Responses whose status code passes `wanted`, one entry per distinct response object. */
export function responseNodes(spec: Spec, wanted: (code: string, op: Operation, response: Located) => boolean): ResponseNode[] {
  const byNode = new Map<object, ResponseNode>();
  for (const op of spec.operations()) {
    const raw = spec.child(op, 'responses')?.value;
    for (const [code, response] of spec.responses(op)) {
      if (response.broken || !wanted(code, op, response)) continue;
      const ref = isObject(raw) && isObject(raw[code]) ? raw[code].$ref : undefined;
      let node = byNode.get(response.value);
      if (node === undefined) {
        node = { response, op, codes: [], ops: [], shared: typeof ref === 'string' ? refName(ref) : undefined };
        byNode.set(response.value, node);
      }
      if (!node.codes.includes(code)) node.codes.push(code);
      if (!node.ops.includes(op)) node.ops.push(op);
    }
  }
  return [...byNode.values()];
}

/** `#/components/responses/TooManyRequests` → `TooManyRequests`; `common.yaml` → `common.yaml`. */
function refName(ref: string): string {
  const hash = ref.indexOf('#');
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  const last = pointer.split('/').filter(Boolean).pop();
  if (last === undefined) return ref.slice(0, hash === -1 ? undefined : hash).split('/').pop() || ref;
  try {
    return decodeURIComponent(last).replace(/~1/g, '/').replace(/~0/g, '~');
  } catch {
    return last;
  }
}

/**
 * The headers of `names` a response's description names in prose (HERE's Markdown table of
 * headers), said after a finding that asks for them: they only need declaring under `headers`.
 */
export function proseNote(response: unknown, names: readonly string[]): string {
  const description = isObject(response) && typeof response.description === 'string' ? response.description : '';
  // Most descriptions ("OK") name no header: a plain search first, the word test only then.
  const lower = description.toLowerCase();
  const named = names.filter((name) => lower.includes(name.toLowerCase()) && namedAlone(name).test(description));
  if (named.length === 0) return '';
  return ` Its description names ${listText(named)}; declare ${named.length === 1 ? 'it' : 'them'} under \`headers\`, where clients and gateways read ${named.length === 1 ? 'it' : 'them'}.`;
}

/** A header name as a word of its own (`RateLimit`, not the start of `X-RateLimit-Limit`), compiled once per name. */
const namedAloneCache = new Map<string, RegExp>();
function namedAlone(name: string): RegExp {
  let re = namedAloneCache.get(name);
  if (!re) namedAloneCache.set(name, (re = new RegExp(`(?<![\\w-])${name}(?![\\w-])`, 'i')));
  return re;
}

/** "The 429 response of GET /pets" or "The shared 429/503 response TooManyRequests". */
export function describeResponse(node: ResponseNode): string {
  const codes = node.codes.join('/');
  if (node.shared !== undefined) return `The shared ${codes} response ${node.shared}`;
  return `The ${codes} response of ${opLabel(node.op)}`;
}

/** Where a finding about a response's headers goes: its `headers` map if it has one, else the response. */
export function headersPath(node: ResponseNode): JsonPath {
  return isObject(node.response.value) && node.response.value.headers !== undefined
    ? [...node.response.path, 'headers']
    : node.response.path;
}

/** draft-ietf-httpapi-ratelimit-headers (from -07 on). */
export const IETF_HEADERS = ['RateLimit', 'RateLimit-Policy'];
/**
 * The fields of draft-ietf-httpapi-ratelimit-headers -00 to -06, merged into `RateLimit` and
 * `RateLimit-Policy` by -07: still what Kong's rate-limiting plugin sends and what DigitalOcean,
 * Zuora and PlaceKit document. Accepted by the `either` style; the quick fix never writes them.
 */
export const EARLY_DRAFT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
/** The de-facto `X-RateLimit-*` set (GitHub, Twitter, APISIX, ...). */
export const LEGACY_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

/** `X-RateLimit-Limit`, `X-Rate-Limit-Limit`, `x_ratelimit_limit`, `X-RateLimit-Limit-Minute`, `x-ratelimit-limit-requests` → `limit`. */
const LEGACY_NAME = /^x[-_]?rate[-_]?limit[-_](limit|remaining|reset)(?:[-_][a-z0-9_-]+)?$/;

/**
 * Does the documented header `name` stand for `canonical`, a member of IETF_HEADERS,
 * EARLY_DRAFT_HEADERS or LEGACY_HEADERS? Names compare case-insensitively; the de-facto `X-RateLimit-*` headers also
 * whatever their separators (Twitter's `X-Rate-Limit-Limit`) and with a unit after the role
 * (Kong's `X-RateLimit-Remaining-Minute`, OpenAI's `x-ratelimit-reset-requests`).
 */
export function isRateLimitHeader(canonical: string, name: string): boolean {
  const c = canonical.toLowerCase();
  const n = name.toLowerCase();
  if (n === c) return true;
  const wanted = LEGACY_NAME.exec(c)?.[1];
  return wanted !== undefined && LEGACY_NAME.exec(n)?.[1] === wanted;
}

/** "A", "A and B", "A, B and C" (or "A, B or C"). */
/** One policy of a `RateLimit-Policy` field value: its name, quota `q`, window `w` (seconds) and quota unit `qu`. */
export interface PolicyMember {
  name?: string;
  q?: number;
  w?: number;
  qu?: string;
  /** The member as written (current syntax: serialized), to keep it when it is not rewritten. */
  text?: string;
}

/** Does a policy count requests (no `qu`, or `qu="requests"`), so that `x-gateway-rate-limit` compares with it? */
export function countsRequests(member: PolicyMember): boolean {
  return member.qu === undefined || member.qu === 'requests';
}

/**
 * Parse a `RateLimit-Policy` value: the Structured-Field list of draft-ietf-httpapi-ratelimit-headers
 * (`"default";q=100;w=60, "burst";q=10;w=1;qu="requests"`, read with an RFC 9651 parser), or an
 * earlier form (`100;w=60`, where the item is the quota). Lenient where the value is not a valid
 * list: members it cannot read are skipped.
 */
export function parseRateLimitPolicy(text: string): PolicyMember[] {
  const reading = readField('RateLimit-Policy', text);
  if (reading.kind !== 'invalid') {
    return reading.items.map((item) => {
      const m: PolicyMember = { text: serialize([item]) };
      if (!item.unnamed) m.name = item.name;
      const q = item.params.get('q');
      const w = item.params.get('w');
      const qu = item.params.get('qu');
      if (typeof q === 'number' && Number.isInteger(q)) m.q = q;
      if (typeof w === 'number' && Number.isInteger(w)) m.w = w;
      if (qu !== undefined) m.qu = String(qu);
      return m;
    });
  }
  const out: PolicyMember[] = [];
  for (const member of splitOutsideQuotes(text, ',')) {
    const [item, ...params] = splitOutsideQuotes(member, ';');
    const m: PolicyMember = { text: member.trim() };
    const name = item.trim();
    if (/^\d+$/.test(name)) m.q = Number(name);
    else if (name !== '') m.name = name.replace(/^"(.*)"$/, '$1');
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq === -1) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim();
      if ((key === 'q' || key === 'w') && /^\d+$/.test(value)) m[key] = Number(value);
      if (key === 'qu') m.qu = value.replace(/^"(.*)"$/, '$1');
    }
    if (m.name !== undefined || m.q !== undefined) out.push(m);
  }
  return out;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// 503: temporary or lasting

/** A description that says the condition passes, or is overload or maintenance (RFC 9110 §15.6.4). */
const TEMPORARY =
  /temporar|overload|maintenance|\b(try|check) (again|back)|\bretr(y|ied|ies)|\blater\b|\bbusy\b|capacity|too many requests|throttl|rate.?limit|unavailable|\bunable to\b|\btimed? ?out\b|\bnot yet\b|\bin progress\b|being processed|\byet\b|\bdown\b|experiencing|at this time|slow ?down|starting up|warming up/i;

/** A description of a state that waiting does not change: a mode, a configuration, a health report. */
const LASTING =
  /\bnot (a |the )?(part|member) of\b|\balready (a )?(part|member)\b|\bdisabled\b|\bnot (currently )?(enabled|configured|supported|initiali[sz]ed|activated|installed)\b|\bunhealthy\b|\bnot healthy\b|\bnot operating\b|\bfailing\b|\bshut off\b|\bnot a currently live\b/i;

/** Last named path segments of health and readiness checks: their 503 reports a state, it refuses nothing. */
const HEALTH = /^(health|healthz|healthcheck|health[-_]check|ready|readyz|readiness|live|livez|liveness|heartbeat|ping)$/i;

/** A bare error name (`TooManyOrigins`, `KMSInvalidStateException`): AWS-style specs give each error its own code. */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]*(Exception|Fault|Error)?$/;

/**
 * Can this 503 mean temporary unavailability, so that `Retry-After` would tell the client when
 * to come back? RFC 9110 §15.6.4 ties `Retry-After` on 503 to a temporary overload or scheduled
 * maintenance. Yes when the description says so (temporarily, overload, maintenance, try again
 * later, busy, unavailable, ...) or says nothing more than the status ("Service Unavailable",
 * "Server error", none); no when it reports a lasting state ("node is not part of a swarm",
 * "DLNA is disabled", "The source is not healthy"), names a specific error that is not about
 * availability (`TooManyOrigins`, `KMSInvalidStateException`), or the operation is a health or
 * readiness check (`/health`, `/readyz`), whose 503 reports a state rather than refusing a request.
 */
export function temporaryUnavailability(op: Operation, response: unknown): boolean {
  const segments = op.pathKey.split('/').filter((s) => s !== '' && !s.startsWith('{'));
  if (segments.length > 0 && HEALTH.test(segments[segments.length - 1])) return false;
  const description = isObject(response) && typeof response.description === 'string' ? response.description.trim() : '';
  // `ServiceUnavailable`, `SERVICE_UNAVAILABLE`: the words of a name.
  const spaced = description.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  if (TEMPORARY.test(description) || TEMPORARY.test(spaced)) return true;
  if (LASTING.test(description)) return false;
  if (ERROR_NAME.test(description) && !/^(service|server|internal|error|unknown|response)/i.test(description)) return false;
  return true;
}
