import ratelimit429Response from '../functions/ratelimit429Response';
import ratelimitHeaders from '../functions/ratelimitHeaders';
import ratelimitHeaderValues from '../functions/ratelimitHeaderValues';
import ratelimitPolicyConsistent from '../functions/ratelimitPolicyConsistent';
import ratelimitPolicyDeclared from '../functions/ratelimitPolicyDeclared';
import ratelimitPolicyValid from '../functions/ratelimitPolicyValid';
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
    description: '2xx and 429 responses document rate-limit headers (IETF RateLimit + RateLimit-Policy, X-RateLimit-*, or the early-draft RateLimit-Limit/-Remaining/-Reset).',
    severity: 'warn',
    fn: ratelimitHeaders,
    functionOptions: { style: 'either' },
  },
  'ratelimit-policy-declared': {
    description: 'Every operation has a rate-limit policy (x-gateway-rate-limit on the operation, its path item or the root).',
    severity: 'warn',
    fn: ratelimitPolicyDeclared,
  },
  'ratelimit-policy-valid': {
    description: 'x-gateway-rate-limit is false, an object or a non-empty array of {requests, window, key?, burst?}.',
    severity: 'error',
    fn: ratelimitPolicyValid,
  },
  'ratelimit-policy-consistent': {
    description: "RateLimit-Policy header examples agree with the operation's x-gateway-rate-limit.",
    severity: 'warn',
    fn: ratelimitPolicyConsistent,
  },
  'ratelimit-header-values': {
    description: 'RateLimit and RateLimit-Policy example values follow draft-ietf-httpapi-ratelimit-headers-12 (named policies, valid parameters, RateLimit names listed policies, Retry-After not before the window ends).',
    severity: 'warn',
    fn: ratelimitHeaderValues,
  },
};
