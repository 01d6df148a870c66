import cacheControlHeader from '../functions/cacheControlHeader';
import type { RuleSpec } from './types';

export const CACHE_RULES: Record<string, RuleSpec> = {
  'cache-control-header': {
    description: '2xx responses of GET/HEAD operations document a Cache-Control header.',
    severity: 'warn',
    fn: cacheControlHeader,
  },
};
