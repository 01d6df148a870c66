import type { RulesetFunction } from '@stoplight/spectral-core';

/** One catalogue entry: a rule id maps to its description, default severity and function. */
export interface RuleSpec {
  description: string;
  severity: 'error' | 'warn' | 'info' | 'hint';
  fn: RulesetFunction<any, any>;
  functionOptions?: Record<string, unknown>;
}
