/**
 * Kong target: a decK declarative file (`_format_version: "3.0"`). One service per upstream, one
 * route per operation (exact `~` regex path, `strip_path: false`, `regex_priority` from path
 * specificity), and per route the plugins `cors`, `key-auth` / `jwt` / `basic-auth` /
 * `openid-connect`, `request-size-limiting`, `rate-limiting` (policy local) and `proxy-cache`.
 * `x-kong-plugin-<name>` annotations pass through and replace the plugin of that name.
 */
import { stringify } from 'yaml';
import type { AuthRequirement, AuthScheme, PolicyModel, RateWindow, Route, Service } from './model';
import { DEFAULT_REDIS } from './cluster';
import { KONG_PERIODS } from './kongSchemas';
import { cliHint, enforceableAuth, header, Notes, runPaths, scaledLimit, scaledWeights, type RenderOptions, type TargetOutput, windowText } from './text';

/** Kong's largest target weight. */
const MAX_WEIGHT = 65535;

type Plugin = { name: string; config?: Record<string, unknown>; [k: string]: unknown };

const PERIOD_SECONDS: Record<(typeof KONG_PERIODS)[number], number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  month: 2592000,
  year: 31536000,
};

/** Kong CORS accepts these methods. */
const CORS_METHODS = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

export function renderKong(model: PolicyModel, options: RenderOptions): TargetOutput {
  const notes = new Notes(model);
  const upstreams: Record<string, unknown>[] = [];
  const services = model.services.map((service) => {
    const routes = model.routes.filter((r) => r.service === service.name).map((r) => kongRoute(r, notes, options));
    const viaUpstream = service.explicit || service.targets.length > 1;
    if (viaUpstream) upstreams.push(kongUpstream(service, notes));
    const target = service.targets[0];
    return {
      name: service.name,
      protocol: service.scheme,
      host: viaUpstream ? `${service.name}.upstream` : target.host,
      port: viaUpstream ? (service.scheme === 'https' ? 443 : 80) : target.port,
      routes,
    };
  });
  const usedAuth = new Set(model.routes.flatMap((r) => (r.auth ?? []).flatMap((a) => a.schemes.map((s) => s.scheme.kind))));
  const usage = [
    `Load it with decK (\`deck gateway sync ${runPaths('kong', options).file}\`) or as Kong's DB-less declarative_config.`,
    'Each route has its own plugins: an annotation inherited from the root or a path item gives every',
    'operation its own budget. rate-limiting uses policy local (counters per Kong node) for scope: node',
    'and policy redis (counters shared by every node) for scope: cluster.',
  ];
  if (model.clusterScopes.length > 0) {
    const redis = options.redis ?? DEFAULT_REDIS;
    usage.push(
      `Cluster-scoped limits count in Redis at ${redis.host}:${redis.port}${options.redis ? '' : ` (the default${cliHint(options, ': give --redis HOST:PORT')})`}${
        options.redisPasswordEnv ? `, password from the environment variable ${options.redisPasswordEnv} (Kong's env vault)` : ', no password'
      }.`,
    );
  }
  if (usedAuth.has('apiKey') || usedAuth.has('bearer') || usedAuth.has('basic')) {
    usage.push('Authentication plugins need consumers with credentials (decK consumers[].keyauth_credentials / jwt_secrets / basicauth_credentials).');
  }
  const doc: Record<string, unknown> = { _format_version: '3.0', services };
  if (upstreams.length > 0) doc.upstreams = upstreams;
  const lines = notes.lines();
  return { text: header(model, 'kong', options, usage, lines) + stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }), notes: lines };
}

function kongUpstream(service: Service, notes: Notes): Record<string, unknown> {
  const upstream: Record<string, unknown> = {
    name: `${service.name}.upstream`,
    algorithm: service.algorithm === 'least-conn' ? 'least-connections' : service.algorithm === 'hash' ? 'consistent-hashing' : 'round-robin',
  };
  if (service.algorithm === 'hash') upstream.hash_on = 'ip';
  if (service.healthCheck !== undefined) {
    upstream.healthchecks = {
      active: {
        type: service.scheme,
        http_path: service.healthCheck,
        healthy: { interval: 5, successes: 1 },
        unhealthy: { interval: 5, http_failures: 3, tcp_failures: 3, timeouts: 3 },
      },
    };
  }
  const targets = scaledWeights(service.targets, MAX_WEIGHT, 'Kong', notes, service.name);
  upstream.targets = targets.map((t) => ({
    target: `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`,
    ...(t.weight !== undefined ? { weight: t.weight } : {}),
  }));
  return upstream;
}

function kongRoute(route: Route, notes: Notes, options: RenderOptions): Record<string, unknown> {
  const methods = [route.method];
  if (route.cors && !methods.includes('OPTIONS')) methods.push('OPTIONS');
  const plugins: Plugin[] = [];
  if (route.cors) plugins.push(corsPlugin(route, notes));
  plugins.push(...authPlugins(route, notes));
  if (route.maxBytes !== undefined) {
    plugins.push({ name: 'request-size-limiting', config: { allowed_payload_size: route.maxBytes, size_unit: 'bytes', require_content_length: false } });
  }
  if (route.rateLimit.length > 0) plugins.push(rateLimitPlugin(route, notes, options));
  if (route.cache) {
    const c = route.cache;
    plugins.push({
      name: 'proxy-cache',
      config: {
        strategy: 'memory',
        cache_ttl: c.ttl,
        request_method: c.methods,
        response_code: c.statuses,
        content_type: c.contentTypes.length > 0 ? c.contentTypes : ['application/json', 'text/plain'],
        vary_headers: c.varyHeaders,
        ...(c.varyQuery ? { vary_query_params: c.varyQuery } : {}),
        cache_control: false,
      },
    });
  }
  for (const p of route.kongPlugins) {
    const plugin: Plugin = { name: p.name, ...p.plugin };
    const i = plugins.findIndex((q) => q.name === p.name);
    if (i === -1) plugins.push(plugin);
    else plugins[i] = plugin;
  }
  return {
    name: route.name,
    methods,
    paths: [`~${route.regex.slice(1)}`],
    strip_path: false,
    regex_priority: route.specificity,
    ...(plugins.length > 0 ? { plugins } : {}),
  };
}

function corsPlugin(route: Route, notes: Notes): Plugin {
  const c = route.cors!;
  const methods = (c.methods ?? []).map((m) => m.toUpperCase());
  const kept = methods.filter((m) => CORS_METHODS.has(m));
  if (kept.length !== methods.length) notes.add('CORS methods Kong does not know are left out', route.name);
  return {
    name: 'cors',
    config: {
      origins: c.origins,
      ...(c.methods ? { methods: kept } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
      ...(c.exposeHeaders ? { exposed_headers: c.exposeHeaders } : {}),
      ...(c.maxAge !== undefined ? { max_age: c.maxAge } : {}),
      credentials: c.credentials,
    },
  };
}

function unsupportedByKong(scheme: AuthScheme): string | undefined {
  if (scheme.kind === 'unsupported') return 'Kong has no plugin for it';
  if (scheme.kind === 'apiKey' && scheme.in === 'cookie') return 'key-auth reads keys from headers, the query string or the body, not cookies';
  if ((scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') && scheme.issuer === undefined) return 'no issuer URL to verify tokens against';
  return undefined;
}

/**
 * Kong runs every authentication plugin of a route and each must pass, so one requirement maps
 * exactly (AND). Alternatives (OR) map exactly only when they are all API keys (one key-auth with
 * every key name); otherwise the first requirement is enforced and the others are noted.
 */
function authPlugins(route: Route, notes: Notes): Plugin[] {
  const alternatives = enforceableAuth(route, unsupportedByKong, notes);
  if (alternatives === undefined) return [];
  let requirement: AuthRequirement;
  if (alternatives.length > 1 && alternatives.every((a) => a.schemes.length === 1 && a.schemes[0].scheme.kind === 'apiKey')) {
    requirement = { schemes: alternatives.map((a) => a.schemes[0]) };
  } else {
    if (alternatives.length > 1) notes.add('Kong enforces only the first of several alternative security requirements (the others need anonymous consumers)', route.name);
    requirement = alternatives[0];
  }
  const plugins: Plugin[] = [];
  const keys = requirement.schemes.filter(({ scheme }) => scheme.kind === 'apiKey').map(({ scheme }) => scheme);
  if (keys.length > 0) {
    if (keys.length > 1 && alternatives.length === 1) notes.add('Several API keys required together: Kong key-auth accepts any one of them', route.name);
    plugins.push({
      name: 'key-auth',
      config: {
        key_names: [...new Set(keys.map((k) => k.param!))],
        key_in_header: keys.some((k) => k.in === 'header'),
        key_in_query: keys.some((k) => k.in === 'query'),
        key_in_body: false,
        hide_credentials: false,
      },
    });
  }
  for (const { scheme, scopes } of requirement.schemes) {
    if (plugins.some((p) => p.name === pluginFor(scheme))) continue;
    if (scheme.kind === 'bearer') {
      plugins.push({ name: 'jwt', config: { header_names: ['authorization'], uri_param_names: [], cookie_names: [], claims_to_verify: ['exp'] } });
    } else if (scheme.kind === 'basic') {
      plugins.push({ name: 'basic-auth', config: { hide_credentials: false } });
    } else if (scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') {
      notes.add('openid-connect is a Kong Enterprise plugin; Kong OSS refuses this file', route.name);
      if (scheme.issuerGuessed) notes.add(`OAuth2 scheme ${scheme.name}: the OIDC issuer is assumed to be ${scheme.issuer} (the origin of its token URL); check it`, route.name);
      plugins.push({
        name: 'openid-connect',
        config: { issuer: scheme.issuer!, auth_methods: ['bearer'], ...(scopes.length > 0 ? { scopes_required: [scopes.join(' ')] } : {}) },
      });
    }
  }
  return plugins;
}

function pluginFor(scheme: AuthScheme): string {
  return { apiKey: 'key-auth', bearer: 'jwt', basic: 'basic-auth', oauth2: 'openid-connect', openIdConnect: 'openid-connect', unsupported: '' }[scheme.kind];
}

/**
 * Kong counts fixed windows of a second, minute, hour, day, month or year. A window of another
 * length is counted in the longest Kong period that fits in it, with the limit scaled down (never
 * more requests on average than the spec allows; bursts are cut sooner), and noted.
 */
function rateLimitPlugin(route: Route, notes: Notes, options: RenderOptions): Plugin {
  const config: Record<string, unknown> = {};
  for (const w of route.rateLimit) {
    const exact = KONG_PERIODS.find((p) => PERIOD_SECONDS[p] === w.seconds);
    const period = exact ?? [...KONG_PERIODS].reverse().find((p) => PERIOD_SECONDS[p] <= w.seconds)!;
    const limit = exact ? w.requests : scaledLimit(w.requests, w.seconds, PERIOD_SECONDS[period]);
    if (!exact) notes.add(`${windowText(w.requests, w.window)}: Kong has no ${w.window} window; enforced as ${limit} per ${period}`, route.name);
    const current = config[period] as number | undefined;
    config[period] = current === undefined ? limit : Math.min(current, limit);
    if (w.burst !== undefined && w.burst > 0) notes.add(`burst ${w.burst}: Kong counts fixed windows and has no burst allowance`, route.name);
  }
  // A longer period's limit below a shorter one's is refused by Kong; the shorter can never be reached then.
  for (let i = KONG_PERIODS.length - 1; i > 0; i--) {
    const upper = config[KONG_PERIODS[i]] as number | undefined;
    if (upper === undefined) continue;
    for (const lower of KONG_PERIODS.slice(0, i)) {
      if (typeof config[lower] === 'number' && (config[lower] as number) > upper) config[lower] = upper;
    }
  }
  const ordered: Record<string, unknown> = {};
  for (const p of KONG_PERIODS) if (config[p] !== undefined) ordered[p] = config[p];
  const keys = route.rateLimit.map((w) => w.key);
  if (keys.some((k) => JSON.stringify(k) !== JSON.stringify(keys[0]))) {
    notes.add('The windows count by different keys; Kong counts every window by the first one', route.name);
  }
  Object.assign(ordered, limitBy(route.rateLimit[0]));
  const scopes = new Set(route.rateLimit.map((w) => w.scope));
  if (scopes.has('cluster')) {
    if (scopes.has('node')) notes.add('Windows of scope node and cluster on one route: Kong counts every window of a route with one policy, here redis (shared by the cluster)', route.name);
    const redis = options.redis ?? DEFAULT_REDIS;
    ordered.policy = 'redis';
    ordered.redis = {
      host: redis.host,
      port: redis.port,
      ...(options.redisPasswordEnv ? { password: `{vault://env/${options.redisPasswordEnv.toLowerCase().replace(/_/g, '-')}}` } : {}),
    };
  } else {
    ordered.policy = 'local';
  }
  return { name: 'rate-limiting', config: ordered };
}

function limitBy(w: RateWindow): Record<string, unknown> {
  if (w.key.kind === 'header') return { limit_by: 'header', header_name: w.key.header };
  return { limit_by: w.key.kind };
}
