/**
 * Helpers for the rate-limit family: responses grouped by the node they live in (a shared
 * component reached from many operations is one node, so it gets one finding), and the
 * rate-limit header sets.
 */
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
export function responseNodes(spec: Spec, wanted: (code: string, op: Operation) => boolean): ResponseNode[] {
  const byNode = new Map<object, ResponseNode>();
  for (const op of spec.operations()) {
    const raw = spec.child(op, 'responses')?.value;
    for (const [code, response] of spec.responses(op)) {
      if (response.broken || !wanted(code, op)) continue;
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
/** One policy of a `RateLimit-Policy` field value: its name, quota `q` and window `w` (seconds). */
export interface PolicyMember {
  name?: string;
  q?: number;
  w?: number;
}

/**
 * Parse a `RateLimit-Policy` value: a Structured-Field list such as `"default";q=100;w=60, "burst";q=10;w=1`
 * (draft-ietf-httpapi-ratelimit-headers), or the earlier form `100;w=60` where the item is the
 * quota. Lenient: members it cannot read are skipped.
 */
export function parseRateLimitPolicy(text: string): PolicyMember[] {
  const out: PolicyMember[] = [];
  for (const member of splitOutsideQuotes(text, ',')) {
    const [item, ...params] = splitOutsideQuotes(member, ';');
    const m: PolicyMember = {};
    const name = item.trim();
    if (/^\d+$/.test(name)) m.q = Number(name);
    else if (name !== '') m.name = name.replace(/^"(.*)"$/, '$1');
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq === -1) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim();
      if ((key === 'q' || key === 'w') && /^\d+$/.test(value)) m[key] = Number(value);
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
