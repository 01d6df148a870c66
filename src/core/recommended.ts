/**
 * `headroom:recommended` as Spectral sees it: the catalogue (rules/ruleset.ts) turned into a
 * Spectral ruleset definition, and Headroom's functions by name for user rulesets. Each function
 * is wrapped by Spectral's `createRulesetFunction` (input and options validated) on first use, so
 * a lint with only the built-in rules, which runs on the lean engine, never loads spectral-core.
 */
import type { RulesetDefinition, RulesetFunctionWithValidator } from '@stoplight/spectral-core';
import { oas2, oas3 } from '@stoplight/spectral-formats';
import type { RuleFunction } from '../../rules/functions/lib/define';
import { DOCS_BASE, HEADROOM_PARSER_OPTIONS, RULES } from '../../rules/ruleset';
import { spectralCore } from '../openapi/spectral';
import { guardRuleFunction } from './guard';

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

export function headroomRecommended(): RulesetDefinition {
  const rules: Record<string, any> = {};
  for (const [id, r] of Object.entries(RULES)) {
    rules[id] = {
      description: r.description,
      message: '{{error}}',
      severity: r.severity,
      recommended: true,
      given: '$',
      documentationUrl: DOCS_BASE + id + '.md',
      then: { function: guardRuleFunction(spectralFunction(r.fn)), ...(r.functionOptions ? { functionOptions: r.functionOptions } : {}) },
    };
  }
  return { formats: [oas2, oas3], parserOptions: HEADROOM_PARSER_OPTIONS, rules } as RulesetDefinition;
}

/** Headroom's functions by name, so a user ruleset can use them in its own rules. */
export function headroomFunctions(): Record<string, unknown> {
  return Object.fromEntries(Object.values(RULES).map((r) => [r.fn.name, guardRuleFunction(spectralFunction(r.fn))]));
}
