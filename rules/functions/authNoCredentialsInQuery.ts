import { defineRuleFunction } from './lib/define';
import { label, queryCredential, schemeType } from './lib/auth';
import { isObject, specOf, type JsonPath } from '../../src/openapi/spec';

/**
 * No credential travels in the query string (it ends up in logs, caches and browser history):
 * no apiKey security scheme sends its key there, and no query parameter carries one (Slack's
 * `token`, Google's `key` / `access_token` / `oauth_token`; see `queryCredential`). A parameter
 * that is the query-string key of an apiKey scheme is left to the scheme's finding; a parameter
 * shared through `$ref` is reported once, naming how many operations use it.
 */
export default defineRuleFunction<unknown, null>(
  { input: null, options: null },
  function authNoCredentialsInQuery(_input, _options, ctx) {
    const spec = specOf(ctx);
    const results: { message: string; path: JsonPath }[] = [];
    const schemeParams = new Set<string>();
    for (const [name, scheme] of spec.securitySchemes()) {
      if (schemeType(scheme) !== 'apikey' || !isObject(scheme.value)) continue;
      const where = scheme.value.in;
      if (typeof where !== 'string' || where.toLowerCase() !== 'query') continue;
      if (typeof scheme.value.name === 'string') schemeParams.add(scheme.value.name.toLowerCase());
      const param = typeof scheme.value.name === 'string' ? ` as '${scheme.value.name}'` : '';
      results.push({
        message: `API key scheme '${name}' sends the key in the query string${param}, where it ends up in server and proxy logs, caches and browser history; send it in a header.`,
        path: [...scheme.path, 'in'],
      });
    }
    const params = new Map<object, { name: string; what: string; path: JsonPath; ops: string[] }>();
    for (const op of spec.operations()) {
      // A browser is sent to an OAuth authorization endpoint: the query is all it can carry (RFC 5849 §6.2, RFC 6749 §4.1.1).
      if (isAuthorizationEndpoint(op.pathKey)) continue;
      for (const p of spec.parameters(op)) {
        if (p.value.in !== 'query' || schemeParams.has(String(p.value.name).toLowerCase())) continue;
        const what = queryCredential(spec, p);
        if (what === undefined) continue;
        const seen = params.get(p.value);
        if (seen) seen.ops.push(label(op));
        else params.set(p.value, { name: p.value.name, what, path: [...p.path, 'in'], ops: [label(op)] });
      }
    }
    for (const { name, what, path, ops } of params.values()) {
      const who = ops.length > 1 ? `${ops[0]} and ${ops.length - 1} more operation${ops.length > 2 ? 's' : ''}` : ops[0];
      results.push({
        message: `Query parameter '${name}' of ${who} carries ${what} in the query string, where it ends up in server and proxy logs, caches and browser history; accept it in a header (Authorization, or an API-key header).`,
        path,
      });
    }
    return results;
  },
);

/** `/oauth/authorize`, `/authorization`: where a browser is redirected to sign in. */
function isAuthorizationEndpoint(pathKey: string): boolean {
  const last = pathKey.split('/').filter((s) => s !== '' && !s.startsWith('{')).pop() ?? '';
  return /^(authori[sz]e|authori[sz]ation)$/i.test(last.replace(/\.[a-z]+$/i, ''));
}
