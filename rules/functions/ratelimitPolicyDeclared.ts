import { defineRuleFunction } from './lib/define';
import { effectiveRateLimit, RATE_LIMIT } from '../../src/openapi/annotations';
import { documentFindingPath, specOf, opLabel } from '../../src/openapi/spec';

/**
 * Every operation has a rate-limit policy in force: `x-gateway-rate-limit` on the operation, its
 * path item or the document root (`false` counts: it says on purpose that there is no limit).
 * When no operation has one, the document has no rate-limit policy at all and one root-level
 * `x-gateway-rate-limit` is the fix: that is one finding, at the document, not one per operation.
 * Once the document declares a policy somewhere, each operation still without one is reported.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitPolicyDeclared(_input, _options, ctx) {
    const spec = specOf(ctx);
    const missing = [];
    let declared = 0;
    // A path item shared through `$ref` by several paths holds one operation node: report it once.
    for (const { op } of spec.operationNodes()) {
      if (effectiveRateLimit(spec, op) !== undefined) declared++;
      else missing.push(op);
    }
    if (missing.length === 0) return [];
    if (declared === 0) {
      // Counted as clients call them: a shared path item's operation once per path.
      const total = spec.operations().length;
      const count = total === 1 ? '1 operation' : `${total} operations`;
      return [
        {
          message: `No operation has a rate-limit policy (${count}): declare ${RATE_LIMIT} at the document root for the whole API (false to opt out), and override it where an operation differs.`,
          path: documentFindingPath(spec),
        },
      ];
    }
    return missing.map((op) => ({
      message: `${opLabel(op)} has no rate-limit policy: declare ${RATE_LIMIT} on the operation, its path item or the document root (false to opt out).`,
      path: op.path,
    }));
  },
);
