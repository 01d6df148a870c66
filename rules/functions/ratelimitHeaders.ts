import { defineRuleFunction } from './lib/define';
import { effectiveRateLimit } from './lib/annotations';
import { describeResponse, headersPath, IETF_HEADERS, isRateLimitHeader, LEGACY_HEADERS, listText, responseNodes } from './lib/ratelimit';
import { isSuccess, specOf } from './lib/spec';

export type RateLimitHeaderStyle = 'ietf' | 'legacy' | 'either';

/** Headers of draft-ietf-httpapi-ratelimit-headers before -07 (still what Kong sends). */
const EARLY_DRAFT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/**
 * 2xx and 429 responses document rate-limit headers: the IETF `RateLimit` + `RateLimit-Policy`,
 * the de-facto `X-RateLimit-Limit/-Remaining/-Reset`, or (default) either complete set.
 * Operations whose effective `x-gateway-rate-limit` is `false` are not rate limited and skipped.
 */
export default defineRuleFunction<unknown, { style?: RateLimitHeaderStyle } | null>(
  {
    input: null,
    options: {
      type: ['object', 'null'],
      properties: { style: { enum: ['ietf', 'legacy', 'either'] } },
      additionalProperties: false,
    },
  },
  function ratelimitHeaders(_input, options, ctx) {
    const spec = specOf(ctx);
    const style = options?.style ?? 'either';
    const sets = style === 'ietf' ? [IETF_HEADERS] : style === 'legacy' ? [LEGACY_HEADERS] : [IETF_HEADERS, LEGACY_HEADERS];
    const nodes = responseNodes(spec, (code, op) => (isSuccess(code) || code === '429') && effectiveRateLimit(spec, op)?.value !== false);
    const results = [];
    for (const node of nodes) {
      const names = [...spec.headers(node.response).keys()];
      const has = (canonical: string) => names.some((name) => isRateLimitHeader(canonical, name));
      if (sets.some((set) => set.every(has))) continue;
      // The set the response comes closest to completing (IETF on a tie).
      const best = sets.reduce((a, b) => (b.filter(has).length / b.length > a.filter(has).length / a.length ? b : a));
      const present = best.filter(has);
      let what: string;
      if (present.length > 0) {
        what = `documents ${listText(present)} but not ${listText(best.filter((h) => !has(h)))}`;
      } else if (style !== 'legacy' && EARLY_DRAFT_HEADERS.some(has)) {
        what = `documents the early-draft ${listText(EARLY_DRAFT_HEADERS.filter(has))} but not ${listText(IETF_HEADERS)}`;
      } else if (sets.length > 1) {
        what = `documents no rate-limit headers: add ${listText(IETF_HEADERS)}, or ${listText(LEGACY_HEADERS)}`;
      } else {
        what = `documents no ${listText(best, 'or')} header`;
      }
      results.push({ message: `${describeResponse(node)} ${what}.`, path: headersPath(node) });
    }
    return results;
  },
);
