/** Which OpenAPI schema a document is validated against. */
import { isObject } from '../../../../src/openapi/spec';
import type { Issue, SchemaVersion } from './types';
import { QUOTE_IT } from './words';

/** Which official schema applies, or a problem with the version field itself, or nothing (not validated). */
export function schemaVersionOf(root: unknown): SchemaVersion | Issue | undefined {
  if (!isObject(root)) return undefined;
  if (root.swagger !== undefined) return '2.0';
  const v = root.openapi;
  if (typeof v === 'number') {
    return { path: ['openapi'], message: `must be a string such as "3.0.3" (${QUOTE_IT})` };
  }
  // Spectral takes any `openapi` whose integer part is 3 for OpenAPI 3 (`3.9.9`, `" 3.1.0"`, `[3.1.0]`),
  // so the rules run on it: say that its version is none Headroom validates against.
  const asThree = v !== undefined && Number.parseInt(String(v)) === 3;
  if (typeof v !== 'string') {
    return asThree ? { path: ['openapi'], message: `must be a string such as "3.1.0" (found ${Array.isArray(v) ? 'an array' : `a ${typeof v === 'object' ? 'mapping' : typeof v}`})` } : undefined;
  }
  if (/^3\.0(\.|$)/.test(v)) return '3.0';
  if (/^3\.1(\.|$)/.test(v)) return '3.1';
  if (/^3\.2(\.|$)/.test(v)) return '3.2';
  if (asThree) return { path: ['openapi'], message: `must be an OpenAPI version such as "3.1.0" (3.0.x, 3.1.x or 3.2.x); ${JSON.stringify(v)} is none, so the document was not validated` };
  return undefined;
}
