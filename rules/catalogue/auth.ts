import type { RuleSpec } from './types';

export const AUTH_RULES: Record<string, RuleSpec> = {};
