import { defineRuleFunction } from './lib/define';
import { effectiveRateLimit } from '../../src/openapi/annotations';
import { describeResponse, headersPath, proseNote, responseNodes, temporaryUnavailability } from './lib/ratelimit';
import { specOf } from '../../src/openapi/spec';

/**
 * Every 429 response, and every 503 that can mean temporary unavailability, documents
 * `Retry-After` (RFC 9110 §10.2.3, §15.6.4). A 503 that reports a lasting state (Docker's "node is
 * not part of a swarm", a health check's "not healthy", "Search is disabled") is not asked: waiting
 * would not change the answer (see `temporaryUnavailability`). A 429 of an operation whose effective
 * `x-gateway-rate-limit` is `false` (not rate limited, on purpose) is not asked either.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitRetryAfter(_input, _options, ctx) {
    const spec = specOf(ctx);
    return responseNodes(spec, (code, op, response) =>
      code === '429'
        ? effectiveRateLimit(spec, op)?.value !== false
        : code === '503' && temporaryUnavailability(op, response.value),
    )
      .filter((node) => !spec.headers(node.response).has('retry-after'))
      .map((node) => ({
        message: `${describeResponse(node)} documents no Retry-After header, so clients cannot tell when to retry.${proseNote(node.response.value, ['Retry-After'])}`,
        path: headersPath(node),
      }));
  },
);

