import { defineRuleFunction } from './lib/define';
import { RATE_LIMIT, validateAnnotation } from '../../src/openapi/annotations';
import { isObject, type Located, specOf } from '../../src/openapi/spec';

/**
 * `x-gateway-rate-limit` (on the root, a path item or an operation) is well-formed: `false`, an
 * object or a non-empty array of `{requests, window, key?, burst?}`. One finding per problem, at
 * the offending node (schemas/x-gateway.schema.json).
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitPolicyValid(_input, _options, ctx) {
    const spec = specOf(ctx);
    const root: Located = { value: spec.root, path: [], file: spec.rootFile };
    const owners: Located[] = [root];
    const paths = spec.child(root, 'paths');
    if (paths && isObject(paths.value)) {
      for (const key of Object.keys(paths.value)) {
        if (!key.startsWith('/')) continue;
        const item = spec.child(paths, key);
        if (!item || !isObject(item.value)) continue;
        owners.push(item);
        owners.push(...spec.operationsIn(item, key));
      }
    }
    const seen = new Set<object>();
    const results = [];
    for (const owner of owners) {
      if (!isObject(owner.value) || !(RATE_LIMIT in owner.value) || seen.has(owner.value)) continue;
      seen.add(owner.value);
      for (const problem of validateAnnotation(RATE_LIMIT, owner.value[RATE_LIMIT])) {
        results.push({ message: problem.message, path: [...owner.path, RATE_LIMIT, ...problem.path] });
      }
    }
    return results;
  },
);
