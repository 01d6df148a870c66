import { defineRuleFunction } from './lib/define';
import { cacheEnabled, DEFAULT_CACHE_ANNOTATION, isGatewayCacheableMethod, listsMethod, opLabel, ANNOTATION_OPTIONS_SCHEMA, type AnnotationOptions } from './lib/cache';
import { httpMethod, specOf } from '../../src/openapi/spec';

type Options = AnnotationOptions;

/**
 * A gateway cache (`x-gateway-cache`) is switched on only for GET and HEAD operations: caching the
 * response of a POST, PUT, PATCH or DELETE replays one request's outcome to the next caller without
 * performing it. A QUERY is safe, but its response depends on its body, which a gateway's cache
 * key leaves out. An annotation inherited from the path item is reported there, once per method.
 */
export default defineRuleFunction<unknown, Options | null>(
  {
    input: null,
    options: ANNOTATION_OPTIONS_SCHEMA as any,
  },
  function cacheUnsafeMethod(_input, options, ctx) {
    const spec = specOf(ctx);
    const name = options?.annotation ?? DEFAULT_CACHE_ANNOTATION;
    const results: { message: string; path: (string | number)[] }[] = [];
    for (const op of spec.operations()) {
      if (isGatewayCacheableMethod(op.method)) continue;
      const own = spec.child<unknown>(op, name);
      if (own !== undefined) {
        if (cacheEnabled(own.value)) {
          results.push({
            message: `${name} caches ${opLabel(op)}, but ${onlyGetAndHead(op.method)}.`,
            path: own.path,
          });
        }
        continue;
      }
      const inherited = spec.child<unknown>(op.pathItem, name);
      if (inherited !== undefined && cacheEnabled(inherited.value) && listsMethod(inherited.value, op.method)) {
        results.push({
          message: `${name} on path ${op.pathKey} also caches its ${httpMethod(op)} operation, but ${onlyGetAndHead(op.method)}.`,
          path: inherited.path,
        });
      }
    }
    return results;
  },
);

function onlyGetAndHead(method: string): string {
  return method === 'query'
    ? "a gateway keys its cache on the URL and a QUERY's response depends on its body: only GET and HEAD responses are cached"
    : 'only GET and HEAD responses are safe to cache';
}
