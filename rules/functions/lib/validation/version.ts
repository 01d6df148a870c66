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
  if (typeof v !== 'string') return undefined;
  if (/^3\.0(\.|$)/.test(v)) return '3.0';
  if (/^3\.1(\.|$)/.test(v)) return '3.1';
  if (/^3\.2(\.|$)/.test(v)) return '3.2';
  return undefined;
}
