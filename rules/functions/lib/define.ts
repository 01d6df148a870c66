/**
 * How a Headroom rule function is declared: the plain function plus the JSON Schemas of its input
 * and options, without loading Spectral. Headroom's own engine (src/core/lean) calls the plain
 * function; a Spectral ruleset gets the validating wrapper from `spectralFunction`, built on first
 * use, so a lint with only the built-in rules never loads spectral-core (≈ 0.3 s and 40 MB per run).
 */
import type { RulesetFunction, RulesetFunctionWithValidator } from '@stoplight/spectral-core';
import type { JSONSchema7 } from 'json-schema';
import { spectralCore } from '../../../src/openapi/spectral';

export interface RuleFunctionSchemas {
  input: JSONSchema7 | null;
  options: JSONSchema7 | null;
}

export type RuleFunction<I = unknown, O = unknown> = RulesetFunction<I, O> & { readonly schemas: RuleFunctionSchemas };

export function defineRuleFunction<I = unknown, O = unknown>(schemas: RuleFunctionSchemas, fn: RulesetFunction<I, O>): RuleFunction<I, O> {
  Object.defineProperty(fn, 'schemas', { value: schemas, enumerable: false });
  return fn as RuleFunction<I, O>;
}

const wrapped = new WeakMap<object, RulesetFunctionWithValidator<any, any>>();

/** On a Spectral wrapper (and on guards copied from it): the Headroom function inside. */
export const HEADROOM_FUNCTION = Symbol.for('headroom.ruleFunction');

/** The function as Spectral wants it (input/options validated by Spectral's `createRulesetFunction`). */
export function spectralFunction<I, O>(fn: RuleFunction<I, O>): RulesetFunctionWithValidator<I, O> {
  let w = wrapped.get(fn);
  if (w === undefined) {
    const { createRulesetFunction } = spectralCore();
    w = createRulesetFunction<I, O>(fn.schemas as any, fn);
    Object.defineProperty(w, HEADROOM_FUNCTION, { value: fn });
    wrapped.set(fn, w);
  }
  return w as RulesetFunctionWithValidator<I, O>;
}
