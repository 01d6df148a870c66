import { defineRuleFunction } from './lib/define';
import { describeResponse, headersPath, responseNodes } from './lib/ratelimit';
import { specOf } from '../../src/openapi/spec';

const STATUSES = new Set(['429', '503']);

/** Every 429 and 503 response documents `Retry-After` (RFC 9110 §10.2.3). */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitRetryAfter(_input, _options, ctx) {
    const spec = specOf(ctx);
    return responseNodes(spec, (code) => STATUSES.has(code))
      .filter((node) => !spec.headers(node.response).has('retry-after'))
      .map((node) => ({
        message: `${describeResponse(node)} documents no Retry-After header, so clients cannot tell when to retry.`,
        path: headersPath(node),
      }));
  },
);
