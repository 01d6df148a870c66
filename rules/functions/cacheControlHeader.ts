import { defineRuleFunction } from './lib/define';
import { cachedResponses, hasCacheableBody, responseFindingPath, responseLabel } from './lib/cache';
import { specOf } from '../../src/openapi/spec';

interface Options {
  /** Also check 2xx responses of GET operations that document no body (default false). */
  bodiless?: boolean;
}

/**
 * 2xx responses of GET/HEAD operations document a `Cache-Control` response header, so clients
 * and caches do not fall back to heuristic freshness. A response several operations `$ref` is
 * reported once, at the component.
 */
export default defineRuleFunction<unknown, Options | null>(
  {
    input: null,
    options: {
      type: ['object', 'null'],
      properties: { bodiless: { type: 'boolean' } },
      additionalProperties: false,
    },
  },
  function cacheControlHeader(_input, options, ctx) {
    const spec = specOf(ctx);
    const bodiless = options?.bodiless ?? false;
    return cachedResponses(
      spec,
      (op, code, response) =>
        !spec.headers(response).has('cache-control') &&
        // HEAD never has a body: its headers are the whole response. A 204 has none either
        // (RFC 9110 §15.3.5), whatever `content` the spec gives it.
        (bodiless || op.method === 'head' || (code !== '204' && hasCacheableBody(spec, op, response))),
    ).map((entry) => ({
      message: `${responseLabel(entry)} documents no Cache-Control header.`,
      path: responseFindingPath(entry.response),
    }));
  },
);
