import { defineRuleFunction } from './lib/define';
import {
  cachedResponses,
  hasCacheableBody,
  isCacheableMethod,
  isNoStore,
  isTokenResponse,
  mintsFreshValue,
  opLabel,
  responseFindingPath,
  responseLabel,
} from './lib/cache';
import { properties } from './lib/pagination';
import { specOf, type Located, type Operation, type Spec } from '../../src/openapi/spec';

interface Options {
  /** Response headers that count as a validator (default ETag, Last-Modified). */
  validators?: string[];
}

const DEFAULT_VALIDATORS = ['ETag', 'Last-Modified'];

/**
 * Cacheable GET 200 responses document a validator (`ETag` or `Last-Modified`; not a `no-store`
 * response, nor an OAuth token response, which must never be stored), and an operation
 * whose 200 documents `ETag` accepts `If-None-Match` and documents `304`, so clients can
 * revalidate instead of downloading the representation again.
 */
export default defineRuleFunction<unknown, Options | null>(
  {
    input: null,
    options: {
      type: ['object', 'null'],
      properties: { validators: { type: 'array', items: { type: 'string' }, minItems: 1 } },
      additionalProperties: false,
    },
  },
  function cacheValidator(_input, options, ctx) {
    const spec = specOf(ctx);
    const validators = (options?.validators ?? DEFAULT_VALIDATORS).map((v) => v.toLowerCase());
    const results: { message: string; path: (string | number)[] }[] = [];

    const unvalidated = cachedResponses(spec, (op, code, response) => {
      if ((op.method !== 'get' && op.method !== 'query') || code !== '200' || !hasCacheableBody(spec, op, response)) return false;
      const headers = spec.headers(response);
      const cacheControl = headers.get('cache-control');
      if (cacheControl && isNoStore(spec, cacheControl)) return false;
      // A token response must not be stored at all (RFC 6749 §5.1), so there is nothing to revalidate.
      if (isTokenResponse(spec, op, response)) return false;
      // A random pick or a one-time value differs on every call: there is nothing to revalidate.
      if (mintsFreshValue(op)) return false;
      return !validators.some((v) => headers.has(v));
    });
    const names = (options?.validators ?? DEFAULT_VALIDATORS).join(' or ');
    for (const entry of unvalidated) {
      results.push({
        message: `${responseLabel(entry)} documents no validator (${names})${bodyEtag(spec, entry.response, validators)}, ${whyItMatters(spec, entry.uses.map((u) => u.op))}.`,
        path: responseFindingPath(entry.response),
      });
    }

    for (const op of spec.operations()) {
      if (!isCacheableMethod(op.method)) continue;
      const ok = spec.response(op, '200');
      if (!ok || !spec.headers(ok).has('etag')) continue;
      const ifNoneMatch = spec
        .parameters(op)
        .some((p) => p.value.in === 'header' && String(p.value.name).toLowerCase() === 'if-none-match');
      if (!ifNoneMatch) {
        results.push({
          message: `${opLabel(op)} documents an ETag on 200 but accepts no If-None-Match header parameter.`,
          path: op.value.parameters !== undefined ? [...op.path, 'parameters'] : op.path,
        });
      }
      if (!spec.response(op, '304') && !spec.response(op, '3XX') && !spec.response(op, '3xx')) {
        results.push({
          message: `${opLabel(op)} documents an ETag on 200 but no 304 (Not Modified) response.`,
          path: [...op.path, 'responses'],
        });
      }
    }
    return results;
  },
);

/** The conditional request headers that send a validator back (RFC 9110 §13.1). */
const CONDITIONAL = ['if-none-match', 'if-modified-since'];

/**
 * Why a missing validator matters, for the operations that use the response: an operation that
 * already takes a conditional header or answers 304 describes revalidation without saying what
 * it compares (the finding would be misread as "no revalidation at all"); else clients cannot
 * revalidate.
 */
function whyItMatters(spec: Spec, ops: Operation[]): string {
  for (const op of ops) {
    const conditional = spec.parameters(op).find((p) => p.value.in === 'header' && CONDITIONAL.includes(String(p.value.name).toLowerCase()));
    if (conditional) return `though ${opLabel(op)} takes ${String(conditional.value.name)}: the spec does not say which value clients send back in it`;
  }
  const answers304 = ops.find((op) => spec.response(op, '304'));
  if (answers304) return `though ${opLabel(answers304)} answers 304 (Not Modified): the spec does not say what clients revalidate with`;
  // A probe's answer is never revalidated: what it needs is to be kept out of caches.
  if (ops.some((op) => PROBE.test(op.pathKey))) return 'so clients cannot revalidate it (for a health or liveness probe, whose answer must not be reused, `Cache-Control: no-store` says so instead)';
  return 'so clients cannot revalidate it';
}

/** A health, liveness or readiness probe's path (`/health`, `/payments/healthz`, `/ping`). */
const PROBE = /\/(health|healthz|health-?check|heartbeat|ping|livez|readyz)\/?$/i;

/**
 * An `etag` property in the body (Azure's resources, Cosmos DB's `_etag`) is no validator: caches
 * and `If-None-Match` read the header. Said in the message, since it looks like one.
 */
function bodyEtag(spec: Spec, response: Located, validators: string[]): string {
  if (!validators.includes('etag')) return '';
  const schema = spec.responseSchema(response);
  const name = schema && [...properties(spec, schema).keys()].find((k) => /^_?etag$/i.test(k));
  return name ? `; the \`${name}\` property of its body is not one (caches and If-None-Match read the header)` : '';
}
