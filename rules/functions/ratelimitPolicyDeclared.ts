import { defineRuleFunction } from './lib/define';
import { effectiveRateLimit, RATE_LIMIT } from '../../src/openapi/annotations';
import { specOf, opLabel } from '../../src/openapi/spec';

/**
 * Every operation has a rate-limit policy in force: `x-gateway-rate-limit` on the operation, its
 * path item or the document root (`false` counts: it says on purpose that there is no limit).
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitPolicyDeclared(_input, _options, ctx) {
    const spec = specOf(ctx);
    const seen = new Set<object>();
    const results = [];
    for (const op of spec.operations()) {
      // A path item shared through `$ref` by several paths holds one operation node: report it once.
      if (seen.has(op.value)) continue;
      seen.add(op.value);
      if (effectiveRateLimit(spec, op) !== undefined) continue;
      results.push({
        message: `${opLabel(op)} has no rate-limit policy: declare ${RATE_LIMIT} on the operation, its path item or the document root (false to opt out).`,
        path: op.path,
      });
    }
    return results;
  },
);
