/**
 * How a Headroom rule function is declared: the plain function plus the JSON Schemas of its input
 * and options, without loading Spectral. Headroom's own engine (src/core/lean) calls the plain
 * function; a Spectral ruleset gets the validating wrapper from `spectralFunction`, built on first
 * use (src/core/recommended.ts), so a lint with only the built-in rules never loads spectral-core.
 */
import type { RulesetFunction } from '@stoplight/spectral-core';
import type { JSONSchema7 } from 'json-schema';

export interface RuleFunctionSchemas {
  input: JSONSchema7 | null;
  options: JSONSchema7 | null;
}

export type RuleFunction<I = unknown, O = unknown> = RulesetFunction<I, O> & { readonly schemas: RuleFunctionSchemas };

export function defineRuleFunction<I = unknown, O = unknown>(schemas: RuleFunctionSchemas, fn: RulesetFunction<I, O>): RuleFunction<I, O> {
  Object.defineProperty(fn, 'schemas', { value: schemas, enumerable: false });
  return fn as RuleFunction<I, O>;
}

/**
 * What a rule function reports. `severity` is the finding's default level when it differs from the
 * rule's (e.g. `auth-operation-secured` on a write operation is an error, a warning otherwise); a
 * severity the user's ruleset sets for the rule wins over it.
 */
export interface RuleResult {
  message: string;
  path?: (string | number)[];
  severity?: 'error' | 'warn' | 'info' | 'hint';
}
