import { defineRuleFunction } from './lib/define';
import { quoteList } from '../../src/openapi/text';
import { declaredSchemeNames, securityLists } from './lib/auth';
import { isObject, specOf } from '../../src/openapi/spec';

/** Every scheme a security requirement names (root, operations, 3.1 webhooks) is defined. */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function authSchemeUndefined(_input, _options, ctx) {
    const spec = specOf(ctx);
    const schemes = new Set(declaredSchemeNames(spec));
    const where = spec.isOas2 ? 'securityDefinitions' : 'components.securitySchemes';
    const defined = schemes.size > 0 ? `defined: ${quoteList([...schemes])}` : 'none is defined';
    const results: { message: string; path: (string | number)[] }[] = [];
    for (const { owner, path, list } of securityLists(spec)) {
      list.forEach((requirement, i) => {
        if (!isObject(requirement)) return;
        for (const name of Object.keys(requirement)) {
          if (schemes.has(name)) continue;
          results.push({
            message: `${owner} \`security\` names scheme '${name}', which is not defined in ${where} (${defined}).`,
            path: [...path, i, name],
          });
        }
      });
    }
    return results;
  },
);
