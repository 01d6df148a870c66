import type { RuleSpec } from './types';

export const CACHE_RULES: Record<string, RuleSpec> = {};
