import { defineRuleFunction } from './lib/define';
import { schemeType } from './lib/auth';
import { isObject, specOf } from '../../src/openapi/spec';

/** No apiKey security scheme sends its key in the query string (it ends up in logs, caches and browser history). */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function authNoCredentialsInQuery(_input, _options, ctx) {
    const spec = specOf(ctx);
    const results: { message: string; path: (string | number)[] }[] = [];
    for (const [name, scheme] of spec.securitySchemes()) {
      if (schemeType(scheme) !== 'apikey' || !isObject(scheme.value)) continue;
      const where = scheme.value.in;
      if (typeof where !== 'string' || where.toLowerCase() !== 'query') continue;
      const param = typeof scheme.value.name === 'string' ? ` as '${scheme.value.name}'` : '';
      results.push({
        message: `API key scheme '${name}' sends the key in the query string${param}, where it ends up in server and proxy logs, caches and browser history; send it in a header.`,
        path: [...scheme.path, 'in'],
      });
    }
    return results;
  },
);
