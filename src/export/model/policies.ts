/**
 * The policies in force for one operation, read from its `x-gateway-*` annotations (already
 * checked against the schema): rate-limit windows, cache, CORS, body size, Kong pass-through plugins.
 */
import { durationSeconds, RATE_LIMIT } from '../../openapi/annotations';
import { isObject, type JsonPath, type Located, type Operation } from '../../openapi/spec';
import { KONG_PLUGIN_PREFIX } from './annotations';
import type { ModelContext } from './context';
import type { CachePolicy, CorsPolicy, HttpMethod, KongPassthrough, RateScope, RateWindow } from './types';

/** The windows in force; `clusterScoped` gets the path of each `scope: cluster` among them. */
export function rateLimit(ctx: ModelContext, op: Operation, clusterScoped: (path: JsonPath) => void): RateWindow[] {
  const e = ctx.effective(op, RATE_LIMIT);
  if (!e || e.value === false) return [];
  const items = Array.isArray(e.value) ? e.value : [e.value];
  return items.filter(isObject).map((w, i) => {
    const key = typeof w.key === 'string' ? w.key : 'ip';
    if (w.scope === 'cluster') clusterScoped(Array.isArray(e.value) ? [...e.path, i, 'scope'] : [...e.path, 'scope']);
    return {
      requests: w.requests as number,
      window: w.window as string,
      seconds: durationSeconds(w.window)!,
      key: key.startsWith('header:') ? { kind: 'header', header: key.slice('header:'.length) } : { kind: key as 'ip' | 'consumer' },
      ...(typeof w.burst === 'number' ? { burst: w.burst } : {}),
      scope: (w.scope as RateScope | undefined) ?? 'node',
    };
  });
}

export function cache(ctx: ModelContext, op: Operation, method: HttpMethod): CachePolicy | undefined {
  const e = ctx.effective(op, 'x-gateway-cache');
  if (!e || !isObject(e.value)) return undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    if (e.level === 'operation') ctx.warnOnce(e.path, `x-gateway-cache on ${method} ${op.pathKey} is ignored: only GET and HEAD responses are cached.`);
    return undefined;
  }
  const c = e.value;
  const methods = (Array.isArray(c.methods) ? c.methods : ['GET', 'HEAD']) as HttpMethod[];
  if (!methods.includes(method)) return undefined;
  return {
    ttl: typeof c.ttl === 'number' ? c.ttl : durationSeconds(c.ttl)!,
    methods,
    statuses: Array.isArray(c.statuses) ? (c.statuses as number[]) : [200],
    varyHeaders: Array.isArray(c['vary-headers']) ? (c['vary-headers'] as string[]) : [],
    ...(Array.isArray(c['vary-query']) ? { varyQuery: c['vary-query'] as string[] } : {}),
    contentTypes: responseTypes(ctx, op),
  };
}

/** Media types of the 2xx responses (OAS 3 `content`, OAS 2 `produces`), without parameters. */
function responseTypes(ctx: ModelContext, op: Operation): string[] {
  const types = new Set<string>();
  if (ctx.spec.isOas2) {
    const list = Array.isArray(op.value.produces) ? op.value.produces : ctx.loaded.root.produces;
    if (Array.isArray(list)) for (const t of list) if (typeof t === 'string') types.add(t.split(';')[0].trim());
  } else {
    for (const [code, response] of ctx.spec.responses(op)) {
      if (!/^2/.test(code)) continue;
      const content = ctx.spec.child(response, 'content');
      if (content && isObject(content.value)) for (const t of Object.keys(content.value)) types.add(t.split(';')[0].trim());
    }
  }
  return [...types];
}

export function cors(ctx: ModelContext, op: Operation): CorsPolicy | undefined {
  const e = ctx.effective(op, 'x-gateway-cors');
  if (!e || !isObject(e.value)) return undefined;
  const c = e.value;
  return {
    origins: c.origins as string[],
    ...optional('methods', c.methods as string[] | undefined),
    ...optional('headers', c.headers as string[] | undefined),
    ...optional('exposeHeaders', c['expose-headers'] as string[] | undefined),
    credentials: c.credentials === true,
    ...optional('maxAge', c['max-age'] as number | undefined),
  };
}

export function maxBytes(ctx: ModelContext, op: Operation): number | undefined {
  const e = ctx.effective(op, 'x-gateway-request-size');
  return e && isObject(e.value) ? (e.value['max-bytes'] as number) : undefined;
}

/** `x-kong-plugin-<name>` in force per plugin name (operation > path item > root). */
export function kongPlugins(ctx: ModelContext, op: Operation): KongPassthrough[] {
  const byName = new Map<string, KongPassthrough>();
  for (const loc of [ctx.rootLoc, op.pathItem, op as Located]) {
    const obj = loc.value as Record<string, unknown>;
    for (const key of Object.keys(obj).sort()) {
      if (!key.startsWith(KONG_PLUGIN_PREFIX) || !isObject(obj[key])) continue;
      const name = key.slice(KONG_PLUGIN_PREFIX.length);
      const { name: _ignored, ...plugin } = obj[key] as Record<string, unknown>;
      byName.set(name, { name, plugin });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
