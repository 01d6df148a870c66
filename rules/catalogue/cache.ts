import cacheControlHeader from '../functions/cacheControlHeader';
import cacheSharedAuthenticated from '../functions/cacheSharedAuthenticated';
import cacheUnsafeMethod from '../functions/cacheUnsafeMethod';
import cacheValidator from '../functions/cacheValidator';
import type { RuleSpec } from './types';

export const CACHE_RULES: Record<string, RuleSpec> = {
  'cache-control-header': {
    description: '2xx responses of GET/HEAD/QUERY operations document a Cache-Control header.',
    severity: 'warn',
    fn: cacheControlHeader,
  },
  'cache-validator': {
    description: 'Cacheable GET/QUERY 200 responses document ETag or Last-Modified; an ETag comes with If-None-Match and 304.',
    severity: 'info',
    fn: cacheValidator,
  },
  'cache-unsafe-method': {
    description: 'x-gateway-cache is switched on only for GET and HEAD operations.',
    severity: 'error',
    fn: cacheUnsafeMethod,
  },
  'cache-shared-authenticated': {
    description: 'A gateway cache on an authenticated operation varies its key by the credential.',
    severity: 'warn',
    fn: cacheSharedAuthenticated,
  },
};
