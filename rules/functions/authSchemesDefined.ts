import { defineRuleFunction } from './lib/define';
import { declaredSchemeNames } from './lib/auth';
import { isObject, specOf, type JsonPath } from '../../src/openapi/spec';

/**
 * An API with operations defines at least one security scheme. Operations that mark themselves
 * public with their own `security: []` need none, so an API whose every operation does is fine;
 * a webhooks-only document has no operations and is not checked.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function authSchemesDefined(_input, _options, ctx) {
    const spec = specOf(ctx);
    if (declaredSchemeNames(spec).length > 0) return [];
    const notPublic = spec.operations().filter((op) => !(Array.isArray(op.value.security) && op.value.security.length === 0));
    if (notPublic.length === 0) return [];
    const root = isObject(spec.root) ? spec.root : {};
    const where = spec.isOas2 ? 'securityDefinitions' : 'components.securitySchemes';
    // The node a fix would touch: the (empty) scheme map, else `components`, else the version key.
    let path: JsonPath;
    if (spec.isOas2) path = root.securityDefinitions !== undefined ? ['securityDefinitions'] : ['swagger'];
    else if (isObject(root.components)) path = root.components.securitySchemes !== undefined ? ['components', 'securitySchemes'] : ['components'];
    else path = ['openapi'];
    const count = notPublic.length === 1 ? '1 operation is' : `${notPublic.length} operations are`;
    return [
      {
        message: `No security scheme is defined in ${where}, yet ${count} not marked public: define how clients authenticate, or give each operation that takes no credentials \`security: []\`.`,
        path,
      },
    ];
  },
);
