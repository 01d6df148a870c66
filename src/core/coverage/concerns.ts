/**
 * The four capacity concerns of the coverage model: which rules count for each (the rule families
 * of the catalogue), and to which operations each applies (the rules' own definitions: cacheable
 * methods, operations not marked public, collection GETs).
 */
import { AUTH_RULES } from '../../../rules/catalogue/auth';
import { CACHE_RULES } from '../../../rules/catalogue/cache';
import { PAGINATION_RULES } from '../../../rules/catalogue/pagination';
import { RATELIMIT_RULES } from '../../../rules/catalogue/ratelimit';
import { isMarkedPublic, isPreflight } from '../../../rules/functions/lib/auth';
import { isCacheableMethod } from '../../../rules/functions/lib/cache';
import { collectionOf, resolveOptions } from '../../../rules/functions/lib/pagination';
import type { Operation, Spec } from '../../openapi/spec';
import type { ConcernId } from '../../shared/coverage';

export interface Concern {
  id: ConcernId;
  title: string;
  /** What a passing operation has, for the report's legend. */
  checks: string;
  rules: readonly string[];
  /** Does the concern apply to this operation (absent a failing finding)? */
  applies(spec: Spec, op: Operation): boolean;
}

const PAGINATION_DEFAULTS = resolveOptions(null);

export const CONCERNS: readonly Concern[] = [
  {
    id: 'rateLimit',
    title: 'Rate limit',
    checks: 'policy declared, 429, Retry-After, rate-limit headers',
    rules: Object.keys(RATELIMIT_RULES),
    applies: () => true,
  },
  {
    id: 'caching',
    title: 'Caching',
    checks: 'Cache-Control, validators (GET/HEAD)',
    rules: Object.keys(CACHE_RULES),
    applies: (_spec, op) => isCacheableMethod(op.method),
  },
  {
    id: 'auth',
    title: 'Auth',
    checks: 'secured, 401/403 (operations not marked public with their own `security: []`)',
    rules: Object.keys(AUTH_RULES),
    // An operation that requires nothing without saying it is public fails (auth-operation-secured).
    applies: (_spec, op) => !isPreflight(op) && !isMarkedPublic(op),
  },
  {
    id: 'pagination',
    title: 'Pagination',
    checks: 'paginated, bounded, next link (collection GETs)',
    rules: Object.keys(PAGINATION_RULES),
    applies: (spec, op) => collectionOf(spec, op, PAGINATION_DEFAULTS) !== undefined,
  },
];

const BY_RULE = new Map<string, ConcernId>(CONCERNS.flatMap((c) => c.rules.map((r): [string, ConcernId] => [r, c.id])));

/** The concern a rule counts for; null for rules of no concern (`validate`, Spectral's, a user's own). */
export function concernOf(rule: string): ConcernId | null {
  return BY_RULE.get(rule) ?? null;
}
