import { defineRuleFunction } from './lib/define';
import { rateLimitValueFindings } from './lib/ratelimitValues';
import { specOf } from '../../src/openapi/spec';

/**
 * The values a spec shows for `RateLimit` and `RateLimit-Policy` follow
 * draft-ietf-httpapi-ratelimit-headers (-08 on; current -12): Structured Field Lists of named
 * policies with valid parameters, `RateLimit` naming policies its response's `RateLimit-Policy`
 * lists, and a `Retry-After` example not earlier than `RateLimit`'s effective window. Older
 * syntaxes (draft -07's dictionary, unnamed quotas) are one finding each, with the rewrite.
 * See lib/ratelimitValues.ts.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitHeaderValues(_input, _options, ctx) {
    return rateLimitValueFindings(specOf(ctx)).map(({ message, path }) => ({ message, path }));
  },
);
