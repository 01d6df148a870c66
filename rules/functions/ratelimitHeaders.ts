import { defineRuleFunction } from './lib/define';
import { effectiveRateLimit } from '../../src/openapi/annotations';
import { listText } from '../../src/openapi/text';
import { describeResponse, EARLY_DRAFT_HEADERS, headersPath, IETF_HEADERS, isRateLimitHeader, LEGACY_HEADERS, proseNote, responseNodes } from './lib/ratelimit';
import { isSuccess, specOf } from '../../src/openapi/spec';

export type RateLimitHeaderStyle = 'ietf' | 'legacy' | 'either';

/** Every rate-limit header a set names: a response's description may name any in prose. */
const EVERY_HEADER = [...new Set([...IETF_HEADERS, ...LEGACY_HEADERS, ...EARLY_DRAFT_HEADERS])];

/**
 * 2xx and 429 responses document rate-limit headers: the IETF `RateLimit` + `RateLimit-Policy`,
 * the de-facto `X-RateLimit-Limit/-Remaining/-Reset`, or (default) any complete set of those and
 * the early IETF drafts' `RateLimit-Limit/-Remaining/-Reset`. Operations whose effective
 * `x-gateway-rate-limit` is `false` are not rate limited and skipped.
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
    // The sets a message advises completing are the ones the quick fix writes; `either` also
    // accepts a complete early-draft set, but never advises starting one.
    const advised = style === 'ietf' ? [IETF_HEADERS] : style === 'legacy' ? [LEGACY_HEADERS] : [IETF_HEADERS, LEGACY_HEADERS];
    const accepted = style === 'either' ? [...advised, EARLY_DRAFT_HEADERS] : advised;
    const nodes = responseNodes(spec, (code, op) => (isSuccess(code) || code === '429') && effectiveRateLimit(spec, op)?.value !== false);
    const results = [];
    for (const node of nodes) {
      const names = [...spec.headers(node.response).keys()];
      const has = (canonical: string) => names.some((name) => isRateLimitHeader(canonical, name));
      if (accepted.some((set) => set.every(has))) continue;
      // The set the response comes closest to completing (IETF on a tie).
      const best = advised.reduce((a, b) => (b.filter(has).length / b.length > a.filter(has).length / a.length ? b : a));
      const present = best.filter(has);
      const early = EARLY_DRAFT_HEADERS.filter(has);
      let what: string;
      if (present.length > 0) {
        what = `documents ${listText(present)} but not ${listText(best.filter((h) => !has(h)))}`;
      } else if (style === 'ietf' && early.length > 0) {
        what = `documents the early-draft ${listText(early)} but not ${listText(IETF_HEADERS)}`;
      } else if (style === 'either' && early.length > 0) {
        const rest = EARLY_DRAFT_HEADERS.filter((h) => !has(h));
        what = `documents only part of the early-draft set (${listText(early)}): add ${listText(IETF_HEADERS)}, or complete it with ${listText(rest)}`;
      } else if (advised.length > 1) {
        what = `documents no rate-limit headers: add ${listText(IETF_HEADERS)}, or ${listText(LEGACY_HEADERS)}`;
      } else {
        what = `documents no ${listText(best, 'or')} header`;
      }
      results.push({ message: `${describeResponse(node)} ${what}.${proseNote(node.response.value, EVERY_HEADER.filter((h) => !has(h)))}`, path: headersPath(node) });
    }
    return results;
  },
);
