import type { RuleFunction } from '../functions/lib/define';

/** One catalogue entry: a rule id maps to its description, default severity and function. */
export interface RuleSpec {
  description: string;
  severity: 'error' | 'warn' | 'info' | 'hint';
  fn: RuleFunction<any, any>;
  functionOptions?: Record<string, unknown>;
}
