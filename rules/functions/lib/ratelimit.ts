/**
 * Helpers for the rate-limit family: responses grouped by the node they live in (a shared
 * component reached from many operations is one node, so it gets one finding), and the
 * rate-limit header sets.
 */
import { isObject, type JsonPath, type Located, type Operation, type Spec } from './spec';

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
      if (!wanted(code, op)) continue;
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
  return `The ${codes} response of ${node.op.method.toUpperCase()} ${node.op.pathKey}`;
}

/** Where a finding about a response's headers goes: its `headers` map if it has one, else the response. */
export function headersPath(node: ResponseNode): JsonPath {
  return isObject(node.response.value) && node.response.value.headers !== undefined
    ? [...node.response.path, 'headers']
    : node.response.path;
}

/** draft-ietf-httpapi-ratelimit-headers. */
export const IETF_HEADERS = ['RateLimit', 'RateLimit-Policy'];
/** The de-facto `X-RateLimit-*` set (GitHub, Twitter, APISIX, ...). */
export const LEGACY_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

/** "A", "A and B", "A, B and C" (or "A, B or C"). */
export function listText(items: string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
