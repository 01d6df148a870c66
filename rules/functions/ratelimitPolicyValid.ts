import { defineRuleFunction } from './lib/define';
import { annotationOwners, annotationProblemsOn } from '../../src/openapi/annotations';
import { specOf } from '../../src/openapi/spec';

/**
 * `x-gateway-rate-limit` (on the root, a path item or an operation) is well-formed: `false`, an
 * object or a non-empty array of `{requests, window, key?, burst?}`. One finding per problem, at
 * the offending node (schemas/x-gateway.schema.json); the export refuses exactly these.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function ratelimitPolicyValid(_input, _options, ctx) {
    const spec = specOf(ctx);
    return annotationOwners(spec).flatMap((owner) =>
      annotationProblemsOn(owner.value)
        .filter((p) => p.rule === 'ratelimit-policy-valid')
        .map((p) => ({ message: p.message, path: [...owner.path, ...p.path] })),
    );
  },
);
