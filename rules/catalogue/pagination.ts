import type { RuleSpec } from './types';

export const PAGINATION_RULES: Record<string, RuleSpec> = {};
