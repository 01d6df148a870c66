/**
 * Where a careful author puts a new key: in the order the OpenAPI specification lists an object's
 * fields, status codes in numeric order (`default` last), bounds next to `type`.
 */
import type { KeyOrder } from './types';

function ranked(keys: string[], prefer?: 'successor'): KeyOrder {
  const ranks = new Map(keys.map((k, i) => [k, i]));
  return { rank: (key) => ranks.get(key), prefer };
}

/** A root `x-gateway-rate-limit` reads best right above the `paths` it governs. */
export const ABOVE_PATHS = ranked(['x-gateway-rate-limit', 'paths'], 'successor');

export const ROOT_3 = ranked([
  'openapi', 'info', 'jsonSchemaDialect', 'x-lint-ignore', 'servers', 'x-gateway-rate-limit', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs',
]);

export const ROOT_2 = ranked([
  'swagger', 'info', 'x-lint-ignore', 'host', 'basePath', 'schemes', 'consumes', 'produces', 'x-gateway-rate-limit', 'paths', 'definitions', 'parameters', 'responses', 'securityDefinitions', 'security', 'tags', 'externalDocs',
]);

export const COMPONENTS = ranked([
  'schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems',
]);

export const OPERATION = ranked([
  'tags', 'summary', 'description', 'externalDocs', 'operationId', 'x-lint-ignore', 'x-gateway-rate-limit', 'consumes', 'produces', 'parameters', 'requestBody', 'responses', 'callbacks', 'deprecated', 'security', 'servers',
]);

export const RESPONSE_3 = ranked(['description', 'headers', 'content', 'links']);
export const RESPONSE_2 = ranked(['description', 'schema', 'headers', 'examples']);

/** Status codes: 200 < 2XX < 304 < 429 < default; extensions and anything else stay where they are. */
export const STATUS_CODES: KeyOrder = {
  rank: (key) => {
    if (/^[1-5][0-9][0-9]$/.test(key)) return Number(key);
    if (/^[1-5]XX$/i.test(key)) return Number(key[0]) * 100 + 99.5;
    if (key === 'default') return 1000;
    return undefined;
  },
};

/** Keys of a schema (or an OAS 2.0 parameter, which holds its own schema keywords). */
export const SCHEMA_BOUNDS = ranked([
  'name', 'in', 'description', 'required', 'type', 'format', 'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'default',
]);

/** Shared responses the fixes create, in status-code order. */
export const RESPONSE_COMPONENTS = ranked(['NotModified', 'Unauthorized', 'Forbidden', 'TooManyRequests']);
