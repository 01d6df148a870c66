/**
 * `headroom:recommended` as Spectral sees it: the catalogue (rules/ruleset.ts) turned into a
 * Spectral ruleset definition, and Headroom's functions by name for user rulesets. Each function
 * is wrapped by Spectral's `createRulesetFunction` (input and options validated) on first use, so
 * a lint with only the built-in rules, which runs on the lean engine, never loads spectral-core.
 */
import type { RulesetDefinition, RulesetFunctionWithValidator } from '@stoplight/spectral-core';
import { oas2, oas3 } from '@stoplight/spectral-formats';
import type { RuleFunction, RuleResult } from '../../rules/functions/lib/define';
import type { Severity } from '../shared/types';
import { HEADROOM_PARSER_OPTIONS, RULES } from '../../rules/ruleset';
import { spectralCore } from '../openapi/spectral';
import { guardRuleFunction } from './guard';

const wrapped = new WeakMap<object, RulesetFunctionWithValidator<any, any>>();

/** On a Spectral wrapper (and on guards copied from it): the Headroom function inside. */
export const HEADROOM_FUNCTION = Symbol.for('headroom.ruleFunction');

/**
 * Spectral keeps only a result's message and path; a Headroom result's own `severity` is noted
 * here, per linted Document (the object the engine hands to `spectral.run`), by rule and message.
 */
const resultSeverities = new WeakMap<object, Map<string, Severity>>();

/** The severities Headroom functions gave their results during a Spectral run of `document`: rule → message → severity. */
export function severitiesOfRun(document: object): ReadonlyMap<string, Severity> {
  return resultSeverities.get(document) ?? new Map();
}

function noteSeverities(fn: RuleFunction<any, any>): RuleFunction<any, any> {
  const note = (ctx: { document: object; rule: { name: string } }, results: RuleResult[] | void | undefined) => {
    for (const r of results ?? []) {
      if (r.severity === undefined) continue;
      let map = resultSeverities.get(ctx.document);
      if (map === undefined) resultSeverities.set(ctx.document, (map = new Map()));
      map.set(`${ctx.rule.name}\0${r.message}`, r.severity);
    }
    return results;
  };
  const noting = function (this: unknown, input: unknown, options: unknown, ctx: any) {
    const out = (fn as (...a: unknown[]) => unknown).call(this, input, options, ctx) as RuleResult[] | Promise<RuleResult[]> | undefined;
    return out instanceof Promise ? out.then((r) => note(ctx, r)) : note(ctx, out);
  };
  Object.defineProperty(noting, 'name', { value: fn.name });
  return noting as unknown as RuleFunction<any, any>;
}

/** The function as Spectral wants it (input/options validated by Spectral's `createRulesetFunction`). */
export function spectralFunction<I, O>(fn: RuleFunction<I, O>): RulesetFunctionWithValidator<I, O> {
  let w = wrapped.get(fn);
  if (w === undefined) {
    const { createRulesetFunction } = spectralCore();
    w = createRulesetFunction<I, O>(fn.schemas as any, noteSeverities(fn));
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
      then: { function: guardRuleFunction(spectralFunction(r.fn)), ...(r.functionOptions ? { functionOptions: r.functionOptions } : {}) },
    };
  }
  return { formats: [oas2, oas3], parserOptions: HEADROOM_PARSER_OPTIONS, rules } as RulesetDefinition;
}

/** Headroom's functions by name, so a user ruleset can use them in its own rules. */
export function headroomFunctions(): Record<string, unknown> {
  return Object.fromEntries(Object.values(RULES).map((r) => [r.fn.name, guardRuleFunction(spectralFunction(r.fn))]));
}
