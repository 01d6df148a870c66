import paginationLimitBounded from '../functions/paginationLimitBounded';
import paginationNextLink from '../functions/paginationNextLink';
import paginationRequired from '../functions/paginationRequired';
import type { RuleSpec } from './types';

export const PAGINATION_RULES: Record<string, RuleSpec> = {
  'pagination-required': {
    description: 'GET operations that return a collection accept a recognised pagination style (cursor, offset + limit, or a page number).',
    severity: 'warn',
    fn: paginationRequired,
  },
  'pagination-limit-bounded': {
    description: 'The page-size parameter of a paginated operation declares a maximum (and a minimum of at least 1).',
    severity: 'warn',
    fn: paginationLimitBounded,
  },
  'pagination-next-link': {
    description: 'A paginated collection response exposes the next page (a Link header or a next/cursor/has_more property).',
    severity: 'info',
    fn: paginationNextLink,
  },
};
