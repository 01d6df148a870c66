/**
 * `headroom:recommended` — the Headroom governance ruleset: the catalogue of rules (src/core/recommended.ts
 * turns it into a Spectral ruleset definition).
 * Every rule visits the document once from the root and walks operations itself, following
 * `$ref`s on demand (see src/openapi/spec.ts), so no rule needs Spectral's up-front resolution.
 */
import { AUTH_RULES } from './catalogue/auth';
import { CACHE_RULES } from './catalogue/cache';
import { GATEWAY_RULES } from './catalogue/gateway';
import { PAGINATION_RULES } from './catalogue/pagination';
import { RATELIMIT_RULES } from './catalogue/ratelimit';
import type { RuleSpec } from './catalogue/types';
import { VALIDATION_RULES } from './catalogue/validation';

/** The catalogue: rule id → description, default severity, function. One file per family. */
export const RULES: Record<string, RuleSpec> = {
  ...RATELIMIT_RULES,
  ...GATEWAY_RULES,
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
