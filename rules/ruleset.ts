/**
 * `headroom:recommended` — the Headroom governance ruleset, as a Spectral ruleset definition.
 * Every rule visits the document once from the root and walks operations itself, following
 * `$ref`s on demand (see src/openapi/spec.ts), so no rule needs Spectral's up-front resolution.
 */
import type { RulesetDefinition } from '@stoplight/spectral-core';
import { oas2, oas3 } from '@stoplight/spectral-formats';
import { guardRuleFunction } from '../src/core/guard';
import { spectralFunction } from './functions/lib/define';
import { AUTH_RULES } from './catalogue/auth';
import { CACHE_RULES } from './catalogue/cache';
import { PAGINATION_RULES } from './catalogue/pagination';
import { RATELIMIT_RULES } from './catalogue/ratelimit';
import type { RuleSpec } from './catalogue/types';
import { VALIDATION_RULES } from './catalogue/validation';

export const DOCS_BASE = 'https://github.com/headroom-dev/headroom/blob/main/rules/docs/';

/** The catalogue: rule id → description, default severity, function. One file per family. */
export const RULES: Record<string, RuleSpec> = {
  ...RATELIMIT_RULES,
  ...CACHE_RULES,
  ...AUTH_RULES,
  ...PAGINATION_RULES,
  ...VALIDATION_RULES,
};

/**
 * Unquoted status codes (`200:`) are everywhere in real YAML specs and every OpenAPI tool reads
 * them as strings, so they are not reported; duplicate keys are (the second silently wins).
 */
export const HEADROOM_PARSER_OPTIONS = { duplicateKeys: 'error', incompatibleValues: 'off' } as const;

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
