import ratelimit429Response from '../functions/ratelimit429Response';
import ratelimitHeaders from '../functions/ratelimitHeaders';
import ratelimitRetryAfter from '../functions/ratelimitRetryAfter';
import type { RuleSpec } from './types';

export const RATELIMIT_RULES: Record<string, RuleSpec> = {
  'ratelimit-429-response': {
    description: 'Every operation documents a 429 (Too Many Requests) response.',
    severity: 'warn',
    fn: ratelimit429Response,
  },
  'ratelimit-retry-after': {
    description: 'Every 429 and 503 response documents a Retry-After header.',
    severity: 'warn',
    fn: ratelimitRetryAfter,
  },
  'ratelimit-headers': {
    description: '2xx and 429 responses document rate-limit headers (IETF RateLimit + RateLimit-Policy, or X-RateLimit-*).',
    severity: 'warn',
    fn: ratelimitHeaders,
    functionOptions: { style: 'either' },
  },
};
