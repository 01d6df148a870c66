import { defineRuleFunction } from './lib/define';
import { effectiveRateLimit } from '../../src/openapi/annotations';
import { specOf, sharedOpLabel } from '../../src/openapi/spec';
import { misfiledNote } from './lib/misfiled';

/**
 * Every operation documents a 429 (Too Many Requests) response, unless its effective
 * `x-gateway-rate-limit` is `false` (on the operation, its path item or the root): an operation
 * that is not rate limited, on purpose, never answers 429. The same opt-out every rate-limit rule honours.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimit429Response(_input, _options, ctx) {
    const spec = specOf(ctx);
    return spec
      .operationNodes()
      .filter(({ op }) => spec.response(op, '429') === undefined && effectiveRateLimit(spec, op)?.value !== false)
      .map((node) => ({
        message: `${sharedOpLabel(node)} documents no 429 (Too Many Requests) response.${misfiledNote(spec, node.op, '429')}`,
        path: node.op.value.responses !== undefined ? [...node.op.path, 'responses'] : node.op.path,
      }));
  },
);
