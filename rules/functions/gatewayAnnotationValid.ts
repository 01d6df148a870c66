import { defineRuleFunction } from './lib/define';
import { annotationOwners, annotationProblemsOn, misplacedAnnotations } from '../../src/openapi/annotations';
import { specOf } from '../../src/openapi/spec';

/**
 * Every `x-gateway-*` annotation other than the rate limit (on the root, a path item or an
 * operation) is one the schema knows, and well-formed: `x-gateway-cache`, `-cors`,
 * `-request-size`, `-upstream`, `-name`. An unknown key (`x-gateway-ratelimit`) is reported with
 * the annotation it probably means. The same problems, from the same code, stop the export.
 * An `x-gateway-*` key anywhere else (`info`, a response, a server…) is reported too: it applies nowhere.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function gatewayAnnotationValid(_input, _options, ctx) {
    const spec = specOf(ctx);
    const problems = annotationOwners(spec).flatMap((owner) =>
      annotationProblemsOn(owner.value)
        .filter((p) => p.rule === 'gateway-annotation-valid')
        .map((p) => ({ message: p.message, path: [...owner.path, ...p.path] })),
    );
    // Where no gateway reads it, an annotation is a policy that silently never applies.
    const misplaced = misplacedAnnotations(spec).map(({ key, path }) => ({
      message: `${key} has no effect here: Headroom reads gateway annotations on the document root, and on path items and operations under \`paths\`.`,
      path,
    }));
    return [...problems, ...misplaced];
  },
);
