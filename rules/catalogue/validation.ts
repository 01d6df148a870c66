import type { RuleSpec } from './types';

export const VALIDATION_RULES: Record<string, RuleSpec> = {};
