import { defineRuleFunction } from './lib/define';
import { label, rootLocated, takesCredentials } from './lib/auth';
import { isObject, specOf, type JsonPath, type Located, type Operation } from '../../src/openapi/spec';

interface Options {
  /** More hosts that may be reached over plain HTTP (exact names, or `*.suffix`). */
  allowHosts?: string[];
}

/**
 * Operations that take credentials are not served over plain HTTP: OAS 3 `servers[*].url` (root,
 * path item or operation level, whichever is in force for such an operation) and OAS 2 `schemes`
 * with a `host`. Local hosts (localhost, *.localhost, 127.0.0.0/8, [::1], 0.0.0.0) are exempt. Server
 * variables are resolved with their defaults; a leading scheme variable whose `enum` offers
 * `http` counts too. A URL whose host stays unknown (no default, relative URL, no 2.0 `host`) is
 * not reported.
 */
export default defineRuleFunction<unknown, Options | null>(
  {
    input: null,
    options: {
      type: ['object', 'null'],
      properties: { allowHosts: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
  },
  function authInsecureTransport(_input, options, ctx) {
    const spec = specOf(ctx);
    const allowed = (options?.allowHosts ?? []).map((h) => h.toLowerCase());
    const isLocal = (host: string): boolean =>
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      /^127(\.\d{1,3}){3}$/.test(host) ||
      host === '[::1]' ||
      host === '0.0.0.0' ||
      allowed.some((a) => (a.startsWith('*.') ? host.endsWith(a.slice(1)) : host === a));

    // Which server lists (or 2.0 scheme lists) carry credentials, with one operation as example.
    const lists = new Map<string, { list: Located<unknown[]>; example: Operation; more: number }>();
    const use = (list: Located<unknown[]>, op: Operation): void => {
      const key = JSON.stringify(list.path);
      const seen = lists.get(key);
      if (seen) seen.more++;
      else lists.set(key, { list, example: op, more: 0 });
    };
    const key = spec.isOas2 ? 'schemes' : 'servers';
    const root = rootLocated(spec);
    for (const op of spec.operations()) {
      if (!takesCredentials(spec, op)) continue;
      for (const owner of spec.isOas2 ? [op, root] : [op, op.pathItem, root]) {
        const list = spec.child<unknown[]>(owner, key);
        if (list && Array.isArray(list.value) && list.value.length > 0) {
          use(list, op);
          break;
        }
      }
    }

    const results: { message: string; path: JsonPath }[] = [];
    for (const { list, example, more } of lists.values()) {
      const who = `${label(example)}${more > 0 ? ` and ${more} more` : ''}`;
      if (spec.isOas2) {
        const host = isObject(spec.root) && typeof spec.root.host === 'string' ? spec.root.host : undefined;
        if (host === undefined || isLocal(hostOf(`http://${host}`))) continue;
        const httpsToo = list.value.some((s) => typeof s === 'string' && s.toLowerCase() === 'https');
        list.value.forEach((scheme, i) => {
          if (typeof scheme !== 'string' || scheme.toLowerCase() !== 'http') return;
          results.push({
            message: `Scheme 'http' serves ${host} over plain HTTP, but operations there take credentials (${who}); ${httpsToo ? "remove 'http': 'https' is listed too" : 'serve them over https only'}.`,
            path: [...list.path, i],
          });
        });
        continue;
      }
      list.value.forEach((server, i) => {
        if (!isObject(server) || typeof server.url !== 'string') return;
        const url = server.url;
        const variables = isObject(server.variables) ? server.variables : {};
        const resolved = substitute(url, variables);
        const host = hostOf(resolved);
        if (hasVariable(host) || isLocal(host)) return;
        // `{scheme}://host`: the variable's enum may offer http even when the default is https.
        const schemeVar = /^\{([^}]+)\}:\/\//.exec(url)?.[1];
        const v = schemeVar === undefined ? undefined : variables[schemeVar];
        const offersHttp = isObject(v) && Array.isArray(v.enum) && v.enum.some((e: unknown) => typeof e === 'string' && e.toLowerCase() === 'http');
        let why: string;
        if (/^http:\/\//i.test(resolved)) why = resolved === url ? 'is plain HTTP' : `is plain HTTP with its default variables (${resolved})`;
        else if (offersHttp) why = `offers plain HTTP through its variable '${schemeVar}'`;
        else return;
        // The same server over https is listed too: the plain one only has to go.
        const twin = offersHttp ? undefined : list.value.find((other) =>
          isObject(other) && typeof other.url === 'string' &&
          substitute(other.url, isObject(other.variables) ? other.variables : {}).replace(/\/+$/, '').toLowerCase() === `https://${resolved.slice('http://'.length)}`.replace(/\/+$/, '').toLowerCase());
        const fix = twin === undefined ? 'use https' : `remove it: '${(twin as { url: string }).url}' is listed too`;
        results.push({
          message: `Server URL '${url}' ${why}, but operations there take credentials (${who}); ${fix}.`,
          path: [...list.path, i, 'url'],
        });
      });
    }
    return results;
  },
);

/** `{name}` replaced by the variable's default, where it has one. */
function substitute(url: string, variables: Record<string, unknown>): string {
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const v = variables[name];
    return isObject(v) && typeof v.default === 'string' ? v.default : whole;
  });
}

/** Lower-cased host of an absolute URL (`[v6]` kept in brackets), without user info or port. */
function hostOf(url: string): string {
  const authority = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0];
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  return hostPort.split(':')[0];
}

function hasVariable(host: string): boolean {
  return host === '' || host.includes('{');
}
