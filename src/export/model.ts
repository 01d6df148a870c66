/**
 * The neutral gateway policy model: what an annotated OpenAPI document asks a gateway to enforce,
 * independent of any gateway. Services and upstreams come from `servers` (or `x-gateway-upstream`),
 * one route per operation, and per route the policies in force (operation > path item > root;
 * `false` switches an inherited one off) plus authentication from the effective `security`.
 *
 * Annotations are checked with the same schema and messages as the lint rule
 * `ratelimit-policy-valid` (src/openapi/annotations.ts); a bad one is an error finding on
 * the exact node and no model is built.
 */
import { durationSeconds, RATE_LIMIT, validateAnnotation } from '../openapi/annotations';
import { HTTP_METHODS, httpMethod, isObject, type JsonPath, type Located, type Operation } from '../openapi/spec';
import type { Finding, OpenApiVersion } from '../shared/types';
import { KongPluginChecker } from './kongSchemas';
import { flowText, LENIENT_RATE_LIMIT_KEYS, readLenientRateLimit } from './lenient';
import type { LoadedSpec } from './load';

/** Rule ids of the findings the export reports. */
export const RULES = {
  /** A malformed `x-gateway-rate-limit` (the lint rule of the same name says the same). */
  rateLimit: 'ratelimit-policy-valid',
  /** Any other malformed or unknown `x-gateway-*` annotation. */
  annotation: 'gateway-annotation-valid',
  /** A malformed `x-kong-plugin-*` config. */
  kongPlugin: 'kong-plugin-valid',
  /** What the export read, skipped or could not express. */
  export: 'export',
} as const;

/**
 * A request method as sent: the OpenAPI fixed fields (QUERY from 3.2) or an OpenAPI 3.2
 * `additionalOperations` method (PURGE, COPY, ...). Only names of capital letters are routed: Kong's
 * route `methods` and NGINX's request parser accept nothing else.
 */
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE' | 'QUERY' | (string & {});

/** Methods every target can route (see HttpMethod). */
const ROUTABLE_METHOD = /^[A-Z]+$/;

export type RateKey = { kind: 'ip' } | { kind: 'consumer' } | { kind: 'header'; header: string };

export interface RateWindow {
  requests: number;
  /** As written (canonical), e.g. `"1m"`. */
  window: string;
  seconds: number;
  key: RateKey;
  /** Extra requests allowed at once above the steady rate (NGINX `burst`), when given. */
  burst?: number;
}

export interface CachePolicy {
  ttl: number;
  methods: HttpMethod[];
  statuses: number[];
  varyHeaders: string[];
  /** Query parameters in the cache key; undefined = the whole query string. */
  varyQuery?: string[];
  /** Media types of the operation's 2xx responses (Kong caches only listed types). */
  contentTypes: string[];
}

export interface CorsPolicy {
  origins: string[];
  methods?: string[];
  headers?: string[];
  exposeHeaders?: string[];
  credentials: boolean;
  maxAge?: number;
}

export type SchemeKind = 'apiKey' | 'bearer' | 'basic' | 'oauth2' | 'openIdConnect' | 'unsupported';

export interface AuthScheme {
  /** The name under `securitySchemes` / `securityDefinitions`. */
  name: string;
  kind: SchemeKind;
  /** apiKey: where the key travels and under which name. */
  in?: 'header' | 'query' | 'cookie';
  param?: string;
  /** oauth2 / openIdConnect: the token issuer (OIDC discovery base). */
  issuer?: string;
  /** oauth2: the issuer is the origin of the token URL, a guess to check. */
  issuerGuessed?: boolean;
  /** How the spec describes an unsupported scheme (e.g. `http digest`, `mutualTLS`). */
  description: string;
}

/** One security requirement: every scheme in it must pass. */
export interface AuthRequirement {
  schemes: { scheme: AuthScheme; scopes: string[] }[];
}

export interface KongPassthrough {
  name: string;
  /** The plugin object as written (without `name`). */
  plugin: Record<string, unknown>;
}

export interface Route {
  name: string;
  method: HttpMethod;
  /** The path key in the spec, e.g. `/users/{id}`. */
  pathTemplate: string;
  /** What clients call: the server base path + the path key. */
  publicPath: string;
  /** Anchored regular expression for `publicPath`, parameters as named captures. */
  regex: string;
  /** No path parameters: matched exactly. */
  plain: boolean;
  /** Segment specificity, a base-3 number of the first 13 segments (literal 2, mixed 1, parameter 0): among paths of the same length, the higher wins. */
  specificity: number;
  service: string;
  rateLimit: RateWindow[];
  cache?: CachePolicy;
  cors?: CorsPolicy;
  maxBytes?: number;
  /** Alternatives: any one requirement suffices. Undefined = no authentication. */
  auth?: AuthRequirement[];
  kongPlugins: KongPassthrough[];
}

export interface UpstreamTarget {
  host: string;
  port: number;
  weight?: number;
}

export interface Service {
  name: string;
  algorithm: 'round-robin' | 'least-conn' | 'hash';
  scheme: 'http' | 'https';
  targets: UpstreamTarget[];
  healthCheck?: string;
  /** From `x-gateway-upstream` (not only `servers`). */
  explicit: boolean;
}

export interface PolicyModel {
  /** The spec's file name (no folders: outputs are the same on every machine). */
  specName: string;
  title: string;
  apiVersion: string;
  openapi: OpenApiVersion;
  services: Service[];
  /** Most specific first (the order gateways must try them in). */
  routes: Route[];
  /** What the model itself could not read as written (also warning findings): every target's header repeats it. */
  warnings: string[];
}

export type ModelResult = { ok: true; model: PolicyModel; findings: Finding[] } | { ok: false; findings: Finding[] };

const KONG_PLUGIN_PREFIX = 'x-kong-plugin-';

/** Build the model, or return the annotation errors that prevent it. */
export function buildModel(loaded: LoadedSpec): ModelResult {
  return new ModelBuilder(loaded).build();
}

class ModelBuilder {
  private readonly spec;
  private readonly findings: Finding[] = [];
  /** Per annotated object: its rate limit read from a lenient key (canonical form). */
  private readonly lenient = new Map<object, { value: unknown; path: JsonPath }>();
  private readonly kong = new KongPluginChecker();
  private readonly rootLoc: Located;

  constructor(private readonly loaded: LoadedSpec) {
    this.spec = loaded.spec;
    this.rootLoc = { value: loaded.root, path: [], file: loaded.file };
  }

  private report(path: JsonPath, rule: string, severity: Finding['severity'], message: string): void {
    this.findings.push(this.loaded.finding(path, rule, severity, message));
  }

  build(): ModelResult {
    const ops = this.spec.operations().filter((op) => {
      if (ROUTABLE_METHOD.test(httpMethod(op))) return true;
      this.warnOnce(op.path, `${httpMethod(op)} ${op.pathKey} is not exported: gateways route only methods made of capital letters (A-Z).`);
      return false;
    });
    const checked = new Set<object>();
    for (const loc of [this.rootLoc, ...ops.flatMap((op) => [op.pathItem, op as Located])]) {
      if (checked.has(loc.value)) continue;
      checked.add(loc.value);
      this.checkAnnotations(loc);
    }
    if (this.findings.some((f) => f.severity === 'error')) return { ok: false, findings: this.findings };

    const services = new Map<string, Service>();
    const mainName = this.serviceBaseName();
    const routes: Route[] = [];
    const names = this.routeNames(ops);
    for (const op of ops) {
      const servers = this.serversOf(op);
      const upstream = this.upstreamOf(op, servers);
      const key = JSON.stringify(upstream);
      let service = services.get(key);
      if (service === undefined) {
        const base = services.size === 0 ? mainName : `${mainName}-${slug(upstream.targets[0]?.host ?? 'upstream')}`;
        service = { name: unique(base, new Set([...services.values()].map((s) => s.name))), ...upstream };
        services.set(key, service);
      }
      routes.push(this.route(op, service.name, names.get(op)!, this.basePathOf(servers)));
    }
    routes.sort(compareRoutes);
    if (routes.length === 0) this.report(['paths'], RULES.export, 'warn', 'The spec has no operations under paths: the gateway exposes nothing (every request answers 404).');
    const info = isObject(this.loaded.root.info) ? this.loaded.root.info : {};
    return {
      ok: true,
      findings: this.findings,
      model: {
        specName: this.loaded.file.split(/[\\/]/).pop() ?? this.loaded.file,
        title: typeof info.title === 'string' ? info.title : '',
        apiVersion: typeof info.version === 'string' || typeof info.version === 'number' ? String(info.version) : '',
        openapi: this.loaded.version,
        services: [...services.values()],
        routes,
        warnings: this.findings.filter((f) => f.severity === 'warn').map((f) => f.message),
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Annotations: validation, lenient import, pass-through

  private checkAnnotations(loc: Located): void {
    const obj = loc.value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      const at = [...loc.path, key];
      if (key.startsWith('x-gateway-')) {
        for (const p of validateAnnotation(key, value)) {
          this.report([...at, ...p.path], key === RATE_LIMIT ? RULES.rateLimit : RULES.annotation, 'error', p.message);
        }
      } else if (key.startsWith(KONG_PLUGIN_PREFIX)) {
        this.checkKongPlugin(key.slice(KONG_PLUGIN_PREFIX.length), value, at);
      }
    }
    const lenientKey = LENIENT_RATE_LIMIT_KEYS.find((k) => obj[k] !== undefined);
    if (lenientKey === undefined) return;
    const at = [...loc.path, lenientKey];
    if (obj[RATE_LIMIT] !== undefined) {
      this.report(at, RULES.export, 'info', `${lenientKey} is ignored: ${RATE_LIMIT} is present on the same object and wins.`);
      return;
    }
    const value = readLenientRateLimit(obj[lenientKey]);
    if (value === undefined || validateAnnotation(RATE_LIMIT, value).length > 0) {
      this.report(
        at,
        RULES.export,
        'warn',
        `${lenientKey} could not be read as a rate limit and is ignored; write it as ${RATE_LIMIT}: {requests: 100, window: "1m"}.`,
      );
      return;
    }
    this.lenient.set(obj, { value, path: at });
    this.report(at, RULES.export, 'info', `${lenientKey} read as ${RATE_LIMIT}: ${flowText(value)}; rename the key to ${RATE_LIMIT} (Headroom's canonical annotation).`);
  }

  private checkKongPlugin(name: string, value: unknown, at: JsonPath): void {
    if (!isObject(value)) {
      this.report(at, RULES.kongPlugin, 'error', `${KONG_PLUGIN_PREFIX}${name} must be a plugin object such as {config: {...}}.`);
      return;
    }
    for (const p of this.kong.check(name, value.config ?? {})) {
      this.report([...at, ...p.path], RULES.kongPlugin, 'error', p.message);
    }
  }

  /** The value of annotation `name` in force for `op` (operation > path item > root), with where it is written. */
  private effective(op: Operation, name: string): { value: unknown; path: JsonPath; level: 'operation' | 'path' | 'root' } | undefined {
    const levels: [Located, 'operation' | 'path' | 'root'][] = [
      [op, 'operation'],
      [op.pathItem, 'path'],
      [this.rootLoc, 'root'],
    ];
    for (const [loc, level] of levels) {
      const obj = loc.value as Record<string, unknown>;
      if (obj[name] !== undefined) return { value: obj[name], path: [...loc.path, name], level };
      if (name === RATE_LIMIT) {
        const lenient = this.lenient.get(obj);
        if (lenient) return { ...lenient, level };
      }
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Services

  private serviceBaseName(): string {
    const root = this.loaded.root;
    if (typeof root['x-gateway-name'] === 'string') return root['x-gateway-name'];
    const title = isObject(root.info) && typeof root.info.title === 'string' ? slug(root.info.title) : '';
    return title || 'api';
  }

  /** The servers in force for an operation (operation > path item > root), parsed. */
  private serversOf(op: Operation): ServersInForce {
    if (this.spec.isOas2) return { servers: this.oas2Servers(), path: ['host'] };
    for (const loc of [op as Located, op.pathItem, this.rootLoc]) {
      const list = (loc.value as Record<string, unknown>).servers;
      if (!Array.isArray(list) || list.length === 0) continue;
      const servers: ParsedServer[] = [];
      list.forEach((s, i) => {
        if (!isObject(s) || typeof s.url !== 'string') return;
        const parsed = parseServerUrl(substituteVariables(s.url, s.variables));
        if (parsed) servers.push(parsed);
        else this.warnOnce([...loc.path, 'servers', i, 'url'], `Server URL "${s.url}" is not a URL; it is ignored.`);
      });
      return { servers, path: [...loc.path, 'servers'] };
    }
    return { servers: [], path: ['servers'] };
  }

  private oas2Servers(): ParsedServer[] {
    const root = this.loaded.root;
    const basePath = normalizeBasePath(typeof root.basePath === 'string' ? root.basePath : '');
    if (typeof root.host !== 'string' || root.host === '') return [{ basePath }];
    const schemes: string[] = Array.isArray(root.schemes) ? root.schemes : [];
    const scheme = schemes.includes('https') ? 'https' : schemes.includes('http') ? 'http' : 'https';
    const parsed = parseServerUrl(`${scheme}://${root.host}`);
    return parsed ? [{ ...parsed, basePath }] : [{ basePath }];
  }

  private readonly warned = new Set<string>();

  private warnOnce(path: JsonPath, message: string): void {
    const k = JSON.stringify([path, message]);
    if (this.warned.has(k)) return;
    this.warned.add(k);
    this.report(path, RULES.export, 'warn', message);
  }

  private upstreamOf(op: Operation, { servers, path }: ServersInForce): Omit<Service, 'name'> {
    const declared = this.effective(op, 'x-gateway-upstream');
    if (declared && isObject(declared.value)) {
      const u = declared.value;
      const targets: UpstreamTarget[] = [];
      let scheme: 'http' | 'https' | undefined;
      (u.targets as Record<string, unknown>[]).forEach((t, i) => {
        const parsed = parseServerUrl(String(t.url));
        if (!parsed?.host) return;
        if (parsed.basePath !== '') {
          this.warnOnce([...declared.path, 'targets', i, 'url'], `The path of upstream target "${t.url}" is ignored: requests are forwarded with the path the client called.`);
        }
        if (scheme !== undefined && parsed.scheme !== scheme) {
          this.warnOnce([...declared.path, 'targets', i, 'url'], `Upstream targets mix http and https; every target is reached with ${scheme}.`);
        }
        scheme ??= parsed.scheme;
        targets.push({ host: parsed.host, port: parsed.port!, ...(typeof t.weight === 'number' ? { weight: t.weight } : {}) });
      });
      const hc = isObject(u['health-check']) ? String(u['health-check'].path) : undefined;
      return {
        algorithm: (u.algorithm as Service['algorithm'] | undefined) ?? 'round-robin',
        scheme: scheme ?? 'http',
        targets: dedupeTargets(targets),
        ...(hc ? { healthCheck: hc } : {}),
        explicit: true,
      };
    }
    const withHost = servers.filter((s): s is Required<ParsedServer> => s.host !== undefined);
    if (withHost.length === 0) {
      this.warnOnce(path, 'No server gives a host, so the upstream is http://127.0.0.1:80; declare the backend with x-gateway-upstream: {targets: [{url: "https://backend:443"}]}.');
      return { algorithm: 'round-robin', scheme: 'http', targets: [{ host: '127.0.0.1', port: 80 }], explicit: false };
    }
    const scheme = withHost[0].scheme;
    if (withHost.some((s) => s.scheme !== scheme)) {
      this.warnOnce(path, `The servers mix http and https; every target is reached with ${scheme}.`);
    }
    return {
      algorithm: 'round-robin',
      scheme,
      targets: dedupeTargets(withHost.map((s) => ({ host: s.host, port: s.port }))),
      explicit: false,
    };
  }

  private basePathOf({ servers, path }: ServersInForce): string {
    if (servers.length === 0) return '';
    const base = servers[0].basePath;
    if (servers.some((s) => s.basePath !== base)) {
      this.warnOnce(path, `The servers have different base paths; routes use the first one ("${base || '/'}").`);
    }
    return base;
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  private route(op: Operation, service: string, name: string, basePath: string): Route {
    const method: HttpMethod = httpMethod(op);
    const publicPath = joinPath(basePath, op.pathKey);
    const { regex, plain, specificity } = pathRegex(publicPath);
    return {
      name,
      method,
      pathTemplate: op.pathKey,
      publicPath,
      regex,
      plain,
      specificity,
      service,
      rateLimit: this.rateLimit(op),
      ...optional('cache', this.cache(op, method)),
      ...optional('cors', this.cors(op)),
      ...optional('maxBytes', this.maxBytes(op)),
      ...optional('auth', this.auth(op)),
      kongPlugins: this.kongPlugins(op),
    };
  }

  /** Unique route names: names the spec gives (x-gateway-name, operationId) are served before made-up ones. */
  private routeNames(ops: Operation[]): Map<Operation, string> {
    const wanted = ops.map((op) => ({ op, ...this.routeName(op) }));
    const taken = new Set<string>();
    const out = new Map<Operation, string>();
    for (const given of [true, false]) {
      for (const w of wanted) if (w.given === given) out.set(w.op, unique(w.name, taken, true));
    }
    return out;
  }

  private routeName(op: Operation): { name: string; given: boolean } {
    if (typeof op.value['x-gateway-name'] === 'string') return { name: op.value['x-gateway-name'], given: true };
    const pathName = op.pathItem.value['x-gateway-name'];
    if (typeof pathName === 'string') return { name: `${pathName}-${op.method.toLowerCase()}`, given: true };
    if (typeof op.value.operationId === 'string') {
      const id = op.value.operationId.replace(/[^A-Za-z0-9._~-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
      if (id !== '') return { name: id, given: true };
    }
    return { name: `${op.method.toLowerCase()}-${slug(op.pathKey) || 'root'}`, given: false };
  }

  private rateLimit(op: Operation): RateWindow[] {
    const e = this.effective(op, RATE_LIMIT);
    if (!e || e.value === false) return [];
    const items = Array.isArray(e.value) ? e.value : [e.value];
    return items.filter(isObject).map((w) => {
      const key = typeof w.key === 'string' ? w.key : 'ip';
      return {
        requests: w.requests as number,
        window: w.window as string,
        seconds: durationSeconds(w.window)!,
        key: key.startsWith('header:') ? { kind: 'header', header: key.slice('header:'.length) } : { kind: key as 'ip' | 'consumer' },
        ...(typeof w.burst === 'number' ? { burst: w.burst } : {}),
      };
    });
  }

  private cache(op: Operation, method: HttpMethod): CachePolicy | undefined {
    const e = this.effective(op, 'x-gateway-cache');
    if (!e || !isObject(e.value)) return undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      if (e.level === 'operation') this.warnOnce(e.path, `x-gateway-cache on ${method} ${op.pathKey} is ignored: only GET and HEAD responses are cached.`);
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
      contentTypes: this.responseTypes(op),
    };
  }

  /** Media types of the 2xx responses (OAS 3 `content`, OAS 2 `produces`), without parameters. */
  private responseTypes(op: Operation): string[] {
    const types = new Set<string>();
    if (this.spec.isOas2) {
      const list = Array.isArray(op.value.produces) ? op.value.produces : this.loaded.root.produces;
      if (Array.isArray(list)) for (const t of list) if (typeof t === 'string') types.add(t.split(';')[0].trim());
    } else {
      for (const [code, response] of this.spec.responses(op)) {
        if (!/^2/.test(code)) continue;
        const content = this.spec.child(response, 'content');
        if (content && isObject(content.value)) for (const t of Object.keys(content.value)) types.add(t.split(';')[0].trim());
      }
    }
    return [...types];
  }

  private cors(op: Operation): CorsPolicy | undefined {
    const e = this.effective(op, 'x-gateway-cors');
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

  private maxBytes(op: Operation): number | undefined {
    const e = this.effective(op, 'x-gateway-request-size');
    return e && isObject(e.value) ? (e.value['max-bytes'] as number) : undefined;
  }

  private schemes?: Map<string, AuthScheme | undefined>;

  private scheme(name: string): AuthScheme | undefined {
    if (this.schemes === undefined) {
      this.schemes = new Map();
      for (const [n, loc] of this.spec.securitySchemes()) this.schemes.set(n, describeScheme(n, loc.value));
    }
    return this.schemes.get(name);
  }

  private auth(op: Operation): AuthRequirement[] | undefined {
    const { requirements, path } = this.spec.effectiveSecurity(op);
    if (requirements.length === 0) return undefined;
    if (requirements.some((r) => Object.keys(r).length === 0)) return undefined; // `{}`: authentication is optional
    const out: AuthRequirement[] = [];
    for (const r of requirements) {
      const schemes: AuthRequirement['schemes'] = [];
      for (const name of Object.keys(r)) {
        const scheme = this.scheme(name);
        if (scheme === undefined) {
          this.warnOnce(path, `Security scheme "${name}" is not defined; requirements naming it are not enforced by the gateway.`);
          schemes.length = 0;
          break;
        }
        schemes.push({ scheme, scopes: Array.isArray(r[name]) ? r[name].filter((s: unknown): s is string => typeof s === 'string') : [] });
      }
      if (schemes.length > 0) out.push({ schemes });
    }
    return out.length > 0 ? out : undefined;
  }

  /** `x-kong-plugin-<name>` in force per plugin name (operation > path item > root). */
  private kongPlugins(op: Operation): KongPassthrough[] {
    const byName = new Map<string, KongPassthrough>();
    for (const loc of [this.rootLoc, op.pathItem, op as Located]) {
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
}

// ---------------------------------------------------------------------------------------------
// Security schemes

function describeScheme(name: string, s: Record<string, any>): AuthScheme {
  const type = typeof s.type === 'string' ? s.type : '';
  const lower = type.toLowerCase();
  if (lower === 'apikey' && ['header', 'query', 'cookie'].includes(s.in) && typeof s.name === 'string') {
    return { name, kind: 'apiKey', in: s.in, param: s.name, description: `apiKey in ${s.in}` };
  }
  if (lower === 'basic' || (lower === 'http' && String(s.scheme).toLowerCase() === 'basic')) {
    return { name, kind: 'basic', description: 'HTTP Basic' };
  }
  if (lower === 'http' && String(s.scheme).toLowerCase() === 'bearer') {
    return { name, kind: 'bearer', description: `HTTP bearer${typeof s.bearerFormat === 'string' ? ` (${s.bearerFormat})` : ''}` };
  }
  if (lower === 'openidconnect' && typeof s.openIdConnectUrl === 'string') {
    const issuer = s.openIdConnectUrl.replace(/\/\.well-known\/openid-configuration\/?$/, '');
    return { name, kind: 'openIdConnect', issuer, description: 'OpenID Connect' };
  }
  if (lower === 'oauth2') {
    const urls: string[] = [];
    if (typeof s.tokenUrl === 'string') urls.push(s.tokenUrl);
    if (typeof s.authorizationUrl === 'string') urls.push(s.authorizationUrl);
    if (isObject(s.flows)) {
      for (const flow of Object.values(s.flows)) {
        if (isObject(flow) && typeof flow.tokenUrl === 'string') urls.push(flow.tokenUrl);
        if (isObject(flow) && typeof flow.authorizationUrl === 'string') urls.push(flow.authorizationUrl);
      }
    }
    const origin = urls.map(originOf).find((o) => o !== undefined);
    return { name, kind: 'oauth2', ...(origin ? { issuer: origin, issuerGuessed: true } : {}), description: 'OAuth 2.0' };
  }
  const detail = lower === 'http' ? `http ${s.scheme}` : lower === 'apikey' ? `apiKey in ${s.in}` : type || 'unknown type';
  return { name, kind: 'unsupported', description: detail };
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

/** The servers in force for an operation and where they are written. */
interface ServersInForce {
  servers: ParsedServer[];
  path: JsonPath;
}

interface ParsedServer {
  scheme?: 'http' | 'https';
  host?: string;
  port?: number;
  /** `''` or `/v1` (no trailing slash). */
  basePath: string;
}

function substituteVariables(url: string, variables: unknown): string {
  return url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = isObject(variables) && isObject(variables[name]) ? variables[name].default : undefined;
    return v === undefined ? '' : String(v);
  });
}

function normalizeBasePath(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return p.replace(/\/+$/, '');
}

/** `https://api.example.com:8443/v1` → parts; `/v1` → base path only; undefined when unusable. */
function parseServerUrl(url: string): ParsedServer | undefined {
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || trimmed.startsWith('//')) {
    let u: URL;
    try {
      u = new URL(trimmed.startsWith('//') ? `https:${trimmed}` : trimmed);
    } catch {
      return undefined;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const scheme = u.protocol === 'https:' ? 'https' : 'http';
    return {
      scheme,
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : scheme === 'https' ? 443 : 80,
      basePath: normalizeBasePath(decodeURI(u.pathname)),
    };
  }
  return { basePath: normalizeBasePath(trimmed) };
}

function dedupeTargets(targets: UpstreamTarget[]): UpstreamTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = `${t.host}:${t.port}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

// ---------------------------------------------------------------------------------------------
// Paths

function joinPath(base: string, path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return base === '' ? p : `${base}${p}`;
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/g;

/**
 * `/users/{id}/posts.json` → `^/users/(?<id>[^/]+)/posts\.json$`. Capture names are PCRE names
 * (letters, digits, `_`; at most 32 characters; unique).
 */
export function pathRegex(path: string): { regex: string; plain: boolean; specificity: number } {
  const used = new Set<string>();
  let plain = true;
  let specificity = 0;
  const segments = path.split('/').slice(1);
  const parts = segments.map((segment, i) => {
    const pieces = segment.split(/(\{[^}]*\})/).filter((p) => p !== '');
    const params = pieces.filter((p) => /^\{[^}]*\}$/.test(p)).length;
    if (i < 13) specificity = specificity * 3 + (params === 0 ? 2 : pieces.length > params ? 1 : 0);
    return pieces
      .map((piece) => {
        const m = /^\{([^}]*)\}$/.exec(piece);
        if (!m) return piece.replace(REGEX_META, '\\$&');
        plain = false;
        return `(?<${captureName(m[1], used)}>[^/]+)`;
      })
      .join('');
  });
  return { regex: `^/${parts.join('/')}$`, plain, specificity };
}

function captureName(param: string, used: Set<string>): string {
  let name = param.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30) || 'param';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name.slice(0, 29)}${n}`;
  used.add(candidate);
  return candidate;
}

const METHOD_ORDER = HTTP_METHODS.map((m) => m.toUpperCase());

/** Most specific path first (segment by segment: literal before mixed before parameter; longer first), then path, then method. */
export function compareRoutes(a: Route, b: Route): number {
  const sa = a.publicPath.split('/');
  const sb = b.publicPath.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const kinds = segmentKind(sa[i]) - segmentKind(sb[i]);
    if (kinds !== 0) return kinds;
  }
  if (sa.length !== sb.length) return sb.length - sa.length;
  if (a.publicPath !== b.publicPath) return a.publicPath < b.publicPath ? -1 : 1;
  return methodRank(a.method) - methodRank(b.method) || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0);
}

/** The OpenAPI fixed fields in their order, then every other method (ordered by name). */
function methodRank(method: string): number {
  const i = METHOD_ORDER.indexOf(method);
  return i === -1 ? METHOD_ORDER.length : i;
}

function segmentKind(segment: string): number {
  if (!segment.includes('{')) return 0;
  return /^\{[^}]*\}$/.test(segment) ? 2 : 1;
}

// ---------------------------------------------------------------------------------------------
// Names

/** `Swagger Petstore` → `swagger-petstore`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** `name`, else `name-2`, `name-3`… not in `taken` (added to it when `add`). */
function unique(name: string, taken: Set<string>, add = false): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}`;
  if (add) taken.add(candidate);
  return candidate;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
