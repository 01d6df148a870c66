import { defineRuleFunction } from './lib/define';
import { annotationOwners, annotationProblemsOn } from '../../src/openapi/annotations';
import { specOf } from '../../src/openapi/spec';

/**
 * Every `x-gateway-*` annotation other than the rate limit (on the root, a path item or an
 * operation) is one the schema knows, and well-formed: `x-gateway-cache`, `-cors`,
 * `-request-size`, `-upstream`, `-name`. An unknown key (`x-gateway-ratelimit`) is reported with
 * the annotation it probably means. The same problems, from the same code, stop the export.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function gatewayAnnotationValid(_input, _options, ctx) {
    const spec = specOf(ctx);
    return annotationOwners(spec).flatMap((owner) =>
      annotationProblemsOn(owner.value)
        .filter((p) => p.rule === 'gateway-annotation-valid')
        .map((p) => ({ message: p.message, path: [...owner.path, ...p.path] })),
    );
  },
);
