import ratelimit429Response from '../functions/ratelimit429Response';
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
};
