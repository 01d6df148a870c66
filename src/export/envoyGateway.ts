/**
 * Kubernetes Gateway API + Envoy Gateway target: one multi-document YAML for `kubectl apply -f`.
 *
 * - a `Backend` (gateway.envoyproxy.io) per upstream (one per target when targets are weighted);
 * - an `HTTPRoute` per operation: an exact method + path match (`Exact` for plain paths,
 *   `RegularExpression` for templated ones), the upstream's host name, the Backend(s);
 * - `BackendTrafficPolicy`s (one per distinct setting, targeting the HTTPRoutes that share it):
 *   rate limits (`local` for scope node, `global` for scope cluster; each route its own bucket),
 *   load balancing, active health checks, the body size limit (`requestBuffer`, 413);
 * - `SecurityPolicy`s likewise: API keys (`apiKeyAuth`), OpenID Connect / OAuth2 tokens (`jwt`),
 *   HTTP Basic (`basicAuth`), CORS.
 *
 * Envoy Gateway tries Exact paths before regular expressions, and longer expressions before
 * shorter ones; a templated path is padded with empty groups `(?:)` where it must be tried before
 * a longer one it overlaps (`/users/{id}/posts` before `/users/{id}/{section}`).
 */
import { stringify } from 'yaml';
import type { AuthRequirement, AuthScheme, PolicyModel, RateWindow, Route, Service } from './model';
import { slug } from './model';
import { apiKeySchemeNames, cliHint, enforceableAuth, header, Identifiers, isIp, Notes, runPaths, scaledLimit, scaledWeights, type RenderOptions, type TargetOutput, windowText } from './text';

/** The largest backendRef weight the Gateway API accepts. */
const MAX_WEIGHT = 1_000_000;

type Doc = Record<string, unknown>;

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const ENVOY_GATEWAY = 'gateway.envoyproxy.io/v1alpha1';
/** The Gateway routes attach to when `--gateway` is not given (Envoy Gateway's quickstart names it so). */
export const DEFAULT_GATEWAY = 'eg';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
/** Characters Gateway API accepts in an `Exact` path (its CEL rule). */
const EXACT_PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
const UNITS: [string, number][] = [
  ['Second', 1],
  ['Minute', 60],
  ['Hour', 3600],
  ['Day', 86400],
  ['Week', 604800],
  ['Month', 2592000],
  ['Year', 31536000],
];

export function renderEnvoyGateway(model: PolicyModel, options: RenderOptions): TargetOutput {
  return new EnvoyGatewayWriter(model, options).render();
}

class EnvoyGatewayWriter {
  private readonly notes: Notes;
  private readonly names = new Set<string>();
  private readonly api: string;
  /** The Secret of each API-key scheme's keys, and the JWT provider name of each OAuth2 / OpenID Connect scheme. */
  private readonly keySecrets: Identifiers;
  private readonly providerNames: Identifiers;

  constructor(
    private readonly model: PolicyModel,
    private readonly options: RenderOptions,
  ) {
    this.notes = new Notes(model);
    this.api = k8sName(model.services[0]?.name ?? 'api');
    const schemes = model.routes.flatMap((r) => (r.auth ?? []).flatMap((a) => a.schemes.map((s) => s.scheme)));
    // A DNS-1123 name holds lowercase letters, digits and `-`: `api-key`, `api_key` and `API-Key` would share one Secret.
    const suffixed = (base: string, suffix: string) => `${base.slice(0, 62 - suffix.length).replace(/-+$/, '')}-${suffix}`;
    this.keySecrets = new Identifiers(apiKeySchemeNames(model), 'Security schemes', this.notes, (name) => k8sName(`${this.api}-api-keys-${name}`), suffixed);
    this.providerNames = new Identifiers(
      schemes.filter((s) => s.kind === 'oauth2' || s.kind === 'openIdConnect').map((s) => s.name),
      'Security schemes',
      this.notes,
      k8sName,
      suffixed,
    );
  }

  /** A unique DNS-1123 name (at most 63 characters) for an object of this file. */
  private name(...parts: string[]): string {
    const base = k8sName(parts.join('-'));
    let candidate = base;
    for (let n = 2; this.names.has(candidate); n++) candidate = `${base.slice(0, 60 - String(n).length)}-${n}`;
    this.names.add(candidate);
    return candidate;
  }

  render(): TargetOutput {
    const backends = new Map<string, { refs: Doc[]; host?: string }>();
    const docs: Doc[] = [];
    for (const s of this.model.services) {
      const made = this.backends(s);
      backends.set(s.name, { refs: made.refs, host: made.host });
      docs.push(...made.docs);
    }
    const paths = pathMatches(this.model.routes);
    const routeNames = new Map<Route, string>();
    const traffic = new Map<string, { spec: Doc; routes: string[] }>();
    const security = new Map<string, { spec: Doc; routes: string[] }>();
    const routes: Doc[] = [];
    const services = new Map(this.model.services.map((s) => [s.name, s]));
    for (const r of this.model.routes) {
      if (!METHODS.has(r.method)) {
        this.notes.add(`Method ${r.method} cannot be matched by an HTTPRoute (Gateway API methods: ${[...METHODS].join(', ')}); the operation is not exposed`, r.name);
        continue;
      }
      const name = this.name(this.api, r.name);
      routeNames.set(r, name);
      routes.push(this.httpRoute(r, name, paths.get(r)!, backends.get(r.service)!));
      const service = services.get(r.service)!;
      group(traffic, this.trafficSpec(r, service), name);
      const sec = this.securitySpec(r);
      if (sec !== undefined) group(security, sec, name);
      if (r.cache) this.notes.add('Envoy Gateway has no response cache: x-gateway-cache is not enforced', r.name);
    }
    docs.push(...routes);
    for (const { spec, routes: targets } of traffic.values()) {
      if (Object.keys(spec).length === 0) continue;
      docs.push(this.policy('BackendTrafficPolicy', this.name(this.api, 'traffic'), targets, spec));
    }
    for (const { spec, routes: targets } of security.values()) {
      docs.push(this.policy('SecurityPolicy', this.name(this.api, 'security'), targets, spec));
    }
    if ([...paths.values()].some((p) => p.padded)) {
      this.notes.add('Some templated paths carry empty groups (?:) so that Envoy Gateway, which tries longer regular expressions first, tries them before the less specific paths they overlap');
    }

    const lines = this.notes.lines();
    const gateway = this.options.gateway ?? DEFAULT_GATEWAY;
    const usage = [
      `Apply it with \`kubectl apply -f ${runPaths('envoy-gateway', this.options).file}\` (into the current namespace, or -n NAMESPACE).`,
      `HTTPRoutes attach to the Gateway "${gateway}"${this.options.gateway ? '' : ` (the default${cliHint(this.options, ': give --gateway NAME or NAMESPACE/NAME')})`}; Backends need the Backend API`,
      'enabled in the EnvoyGateway configuration (extensionApis.enableBackend: true).',
      'Paths and methods not in the spec answer 404. Each operation is an HTTPRoute with its own rate-limit buckets.',
    ];
    const windows = this.model.routes.flatMap((r) => r.rateLimit);
    if (windows.some((w) => w.scope === 'node')) usage.push('Rate limits of scope node are local: each Envoy replica counts alone.');
    if (windows.some((w) => w.scope === 'cluster')) {
      usage.push('Rate limits of scope cluster are global: every replica counts in Envoy Gateway\'s rate limit service, which needs');
      usage.push('Redis configured in the EnvoyGateway configuration (rateLimit.backend.redis.url).');
    }
    const secrets = this.secretLines();
    if (secrets.length > 0) usage.push('Credentials are Secrets you create:', ...secrets.map((s) => `  ${s}`));
    const body = docs.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
    return { text: header(this.model, 'envoy-gateway', this.options, usage, lines) + (body === '' ? '' : `---\n${body}`), notes: lines };
  }

  // -------------------------------------------------------------------------------------------
  // Backends and routes

  private backends(s: Service): { docs: Doc[]; refs: Doc[]; host?: string } {
    const usable = s.targets.filter((t) => {
      if (t.host.includes(':')) this.notes.add(`Upstream target [${t.host}]:${t.port}: an Envoy Gateway Backend takes IPv4 addresses and host names, not IPv6; it is left out`);
      return !t.host.includes(':');
    });
    const targets = scaledWeights(usable, MAX_WEIGHT, 'the Gateway API', this.notes, s.name);
    const weighted = targets.some((t) => t.weight !== undefined);
    const sets = weighted ? targets.map((t) => [t]) : [targets];
    const docs: Doc[] = [];
    const refs: Doc[] = [];
    sets.forEach((set, i) => {
      const name = this.name(s.name, ...(weighted ? [String(i + 1)] : []));
      const spec: Doc = {
        endpoints: set.map((t) => (isIp(t.host) ? { ip: { address: t.host, port: t.port } } : { fqdn: { hostname: t.host.toLowerCase(), port: t.port } })),
      };
      if (s.scheme === 'https') {
        const sni = isIp(set[0]?.host ?? '') ? undefined : set[0]?.host.toLowerCase();
        spec.tls = { wellKnownCACertificates: 'System', ...(sni ? { sni } : {}) };
      }
      docs.push({ apiVersion: ENVOY_GATEWAY, kind: 'Backend', metadata: { name }, spec });
      refs.push({ group: 'gateway.envoyproxy.io', kind: 'Backend', name, port: set[0]?.port ?? 80, ...(weighted ? { weight: set[0].weight } : {}) });
    });
    const first = targets[0];
    return { docs, refs, ...(first && !isIp(first.host) ? { host: first.host.toLowerCase() } : {}) };
  }

  private httpRoute(r: Route, name: string, path: PathMatch, backend: { refs: Doc[]; host?: string }): Doc {
    const matches: Doc[] = [{ path: { type: path.type, value: path.value }, method: r.method }];
    if (r.cors && r.method !== 'OPTIONS') matches.push({ path: { type: path.type, value: path.value }, method: 'OPTIONS' });
    const gateway = this.options.gateway ?? DEFAULT_GATEWAY;
    const [ns, gw] = gateway.includes('/') ? gateway.split('/', 2) : [undefined, gateway];
    const rule: Doc = { matches };
    if (backend.host) rule.filters = [{ type: 'URLRewrite', urlRewrite: { hostname: backend.host } }];
    rule.backendRefs = backend.refs;
    return {
      apiVersion: GATEWAY_API,
      kind: 'HTTPRoute',
      metadata: { name },
      spec: { parentRefs: [{ name: gw, ...(ns ? { namespace: ns } : {}) }], rules: [rule] },
    };
  }

  private policy(kind: string, name: string, routes: string[], spec: Doc): Doc {
    return {
      apiVersion: ENVOY_GATEWAY,
      kind,
      metadata: { name },
      spec: { targetRefs: routes.map((r) => ({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: r })), ...spec },
    };
  }

  // -------------------------------------------------------------------------------------------
  // BackendTrafficPolicy: rate limits, load balancing, health checks, body size

  private trafficSpec(r: Route, s: Service): Doc {
    const spec: Doc = {};
    const local: Doc[] = [];
    const global: Doc[] = [];
    for (const w of r.rateLimit) {
      const rules = this.rateRules(w, r);
      (w.scope === 'cluster' ? global : local).push(...rules);
    }
    if (local.length > 0 || global.length > 0) {
      spec.rateLimit = { ...(local.length > 0 ? { local: { rules: local } } : {}), ...(global.length > 0 ? { global: { rules: global } } : {}) };
    }
    spec.loadBalancer =
      s.algorithm === 'least-conn' ? { type: 'LeastRequest' } : s.algorithm === 'hash' ? { type: 'ConsistentHash', consistentHash: { type: 'SourceIP' } } : { type: 'RoundRobin' };
    if (s.healthCheck !== undefined) spec.healthCheck = { active: { type: 'HTTP', http: { path: s.healthCheck } } };
    if (r.maxBytes !== undefined) spec.requestBuffer = { limit: r.maxBytes };
    return spec;
  }

  /** The rules of one window: one per client selector (IPv4 and IPv6 clients are separate selectors). */
  private rateRules(w: RateWindow, r: Route): Doc[] {
    const exact = UNITS.find(([, s]) => s === w.seconds);
    const [unit, size] = exact ?? [...UNITS].reverse().find(([, s]) => s <= w.seconds)!;
    const requests = exact ? w.requests : scaledLimit(w.requests, w.seconds, size);
    if (!exact) this.notes.add(`${windowText(w.requests, w.window)}: Envoy Gateway has no ${w.window} window; enforced as ${requests} per ${unit.toLowerCase()}`, r.name);
    if (w.burst !== undefined && w.burst > 0) this.notes.add(`burst ${w.burst}: Envoy Gateway's buckets hold the whole limit and have no separate burst allowance`, r.name);
    const limit = { requests, unit };
    const header = this.keyHeader(w, r);
    if (header !== undefined) {
      if (w.key.kind === 'header') this.notes.add(`Requests without the ${header} header are not counted by its rate limit`, r.name);
      return [{ clientSelectors: [{ headers: [{ name: header, type: 'Distinct' }] }], limit }];
    }
    return ['0.0.0.0/0', '::/0'].map((value) => ({ clientSelectors: [{ sourceCIDR: { type: 'Distinct', value } }], limit }));
  }

  /** The header a window counts by; undefined: by client address. */
  private keyHeader(w: RateWindow, r: Route): string | undefined {
    if (w.key.kind === 'header') return w.key.header;
    if (w.key.kind === 'consumer') {
      const scheme = r.auth?.[0]?.schemes[0]?.scheme;
      if (scheme?.kind === 'apiKey' && scheme.in === 'header') return scheme.param;
      if (scheme && scheme.kind !== 'apiKey' && scheme.kind !== 'unsupported') return 'Authorization';
      this.notes.add('Consumer rate limit on a route without a credential in a header: counted per client address', r.name);
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // SecurityPolicy: authentication and CORS

  private readonly secrets = new Map<string, string>();

  private secretLines(): string[] {
    return [...this.secrets].map(([name, how]) => `${name}: ${how}`);
  }

  private unsupported = (scheme: AuthScheme): string | undefined => {
    if (scheme.kind === 'unsupported') return 'Envoy Gateway has no check for it';
    if (scheme.kind === 'bearer') return 'a JWT is verified against its issuer\'s keys (JWKS), which the spec does not name; use an openIdConnect scheme';
    if ((scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') && scheme.issuer === undefined) return 'no issuer URL to verify tokens against';
    return undefined;
  };

  private securitySpec(r: Route): Doc | undefined {
    const spec: Doc = {};
    const alternatives = enforceableAuth(r, this.unsupported, this.notes);
    if (alternatives !== undefined) Object.assign(spec, this.auth(r, alternatives));
    if (r.cors) {
      const c = r.cors;
      let maxAge = c.maxAge === undefined ? undefined : gatewayApiDuration(c.maxAge);
      if (c.maxAge !== undefined && maxAge === undefined) {
        maxAge = gatewayApiDuration(LONGEST_DURATION);
        this.notes.add(`CORS max-age ${c.maxAge}: Envoy Gateway takes at most ${maxAge} (browsers keep a preflight answer for hours at most)`, r.name);
      }
      const origins = c.origins.filter((o) => /^(\*|[A-Za-z][A-Za-z0-9+.-]*:\/\/(\*|(\*\.)?(([\w-]+\.?)+)?[\w-]+)(:\d{1,5})?)$/.test(o));
      if (origins.length !== c.origins.length) this.notes.add('CORS origins Envoy Gateway does not accept (scheme://host[:port], "*" or "*.domain") are left out', r.name);
      spec.cors = {
        allowOrigins: origins,
        ...(c.methods ? { allowMethods: c.methods } : {}),
        ...(c.headers ? { allowHeaders: c.headers } : {}),
        ...(c.exposeHeaders ? { exposeHeaders: c.exposeHeaders } : {}),
        ...(maxAge !== undefined ? { maxAge } : {}),
        ...(c.credentials ? { allowCredentials: true } : {}),
      };
    }
    return Object.keys(spec).length > 0 ? spec : undefined;
  }

  /**
   * Envoy Gateway runs every authentication of a SecurityPolicy and each must pass, so one
   * requirement maps exactly (AND). Alternatives (OR) map exactly only when they are all API keys
   * (one apiKeyAuth reading every key); otherwise the first requirement is enforced (noted).
   */
  private auth(r: Route, alternatives: AuthRequirement[]): Doc {
    let requirement: AuthRequirement;
    if (alternatives.length > 1 && alternatives.every((a) => a.schemes.length === 1 && a.schemes[0].scheme.kind === 'apiKey')) {
      requirement = { schemes: alternatives.map((a) => a.schemes[0]) };
    } else {
      if (alternatives.length > 1) this.notes.add('Envoy Gateway enforces only the first of several alternative security requirements', r.name);
      requirement = alternatives[0];
    }
    const out: Doc = {};
    const keys = requirement.schemes.filter(({ scheme }) => scheme.kind === 'apiKey').map(({ scheme }) => scheme);
    if (keys.length > 0) {
      if (keys.length > 1 && alternatives.length === 1) this.notes.add('Several API keys required together: Envoy Gateway accepts any one of them', r.name);
      const credentialRefs = [...new Set(keys.map((k) => this.secret(this.keySecrets.get(k.name), 'an Opaque Secret, one key per client: `kubectl create secret generic NAME --from-literal=<client>=<api key>`')))].map((name) => ({
        group: '',
        kind: 'Secret',
        name,
      }));
      out.apiKeyAuth = {
        credentialRefs,
        extractFrom: keys.map((k) => ({ [k.in === 'query' ? 'params' : k.in === 'cookie' ? 'cookies' : 'headers']: [k.param!] })),
      };
    }
    const providers: Doc[] = [];
    for (const { scheme, scopes } of requirement.schemes) {
      if (scheme.kind === 'basic') {
        out.basicAuth = { users: { group: '', kind: 'Secret', name: this.secret(k8sName(`${this.api}-basic-auth`), 'an Opaque Secret with key .htpasswd (user:{SHA}hash lines): `kubectl create secret generic NAME --from-file=.htpasswd`') } };
      } else if (scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') {
        const jwks = `${scheme.issuer!.replace(/\/+$/, '')}/.well-known/jwks.json`;
        this.notes.add(`${scheme.kind === 'oauth2' ? 'OAuth2' : 'OpenID Connect'} scheme ${scheme.name}: tokens are verified against ${jwks}${scheme.issuerGuessed ? ' (the issuer is the origin of its token URL)' : ''}; check that it is the issuer's JWKS URI`, r.name);
        if (scopes.length > 0) this.notes.add('Token scopes are not checked by the SecurityPolicy (add authorization rules on the scope claim)', r.name);
        if (!providers.some((p) => p.issuer === scheme.issuer)) providers.push({ name: this.providerNames.get(scheme.name), issuer: scheme.issuer, remoteJWKS: { uri: jwks } });
      }
    }
    if (providers.length > 0) out.jwt = { providers };
    return out;
  }

  /** The name of a Secret this file refers to (same purpose, same Secret). */
  private secret(name: string, how: string): string {
    if (!this.secrets.has(name)) this.secrets.set(name, how);
    return name;
  }
}

function group(groups: Map<string, { spec: Doc; routes: string[] }>, spec: Doc, route: string): void {
  const key = JSON.stringify(spec);
  const g = groups.get(key);
  if (g) g.routes.push(route);
  else groups.set(key, { spec, routes: [route] });
}

/** A DNS-1123 label: lowercase letters, digits and `-`, at most 63 characters. */
export function k8sName(text: string): string {
  return slug(text).slice(0, 63).replace(/-+$/, '') || 'api';
}

interface PathMatch {
  type: 'Exact' | 'RegularExpression';
  value: string;
  padded: boolean;
}

const RE2_META = /[\\^$.|?*+()[\]{}]/g;

/**
 * The path match of each route. Plain paths are `Exact` (unless they hold characters Gateway API
 * refuses there); templated ones are anchored RE2 expressions, a parameter matching one segment.
 * Envoy Gateway orders regular expressions by length, longest first: an expression that must be
 * tried before a longer one it overlaps (the model's order) is padded with `(?:)` until it is longer.
 */
function pathMatches(routes: Route[]): Map<Route, PathMatch> {
  const out = new Map<Route, PathMatch>();
  const byPath = new Map<string, { segments: (string | null)[]; value: string; routes: Route[] }>();
  const order: string[] = [];
  for (const r of routes) {
    if (r.plain && EXACT_PATH.test(r.publicPath) && !/\/\/|\/\.\.?(\/|$)/.test(r.publicPath)) {
      out.set(r, { type: 'Exact', value: r.publicPath, padded: false });
      continue;
    }
    let entry = byPath.get(r.publicPath);
    if (entry === undefined) {
      const segments = r.publicPath.split('/').slice(1).map((s) => (s.includes('{') ? null : s));
      const value = `^/${r.publicPath
        .split('/')
        .slice(1)
        .map((s) => s.split(/(\{[^}]*\})/).map((p) => (/^\{[^}]*\}$/.test(p) ? '[^/]+' : wireLiteral(p))).join(''))
        .join('/')}$`;
      entry = { segments, value, routes: [] };
      byPath.set(r.publicPath, entry);
      order.push(r.publicPath);
    }
    entry.routes.push(r);
  }
  // From the least specific up: each expression must be longer than every later one it overlaps
  // (only paths of as many segments can overlap: a parameter matches one segment).
  const later = new Map<number, { segments: (string | null)[]; length: number }[]>();
  for (let i = order.length - 1; i >= 0; i--) {
    const entry = byPath.get(order[i])!;
    let needed = entry.value.length;
    const sameLength = later.get(entry.segments.length) ?? [];
    for (const other of sameLength) if (overlap(entry.segments, other.segments)) needed = Math.max(needed, other.length + 1);
    const pad = Math.ceil(Math.max(0, needed - entry.value.length) / 4);
    const value = pad > 0 ? `${entry.value.slice(0, -1)}${'(?:)'.repeat(pad)}$` : entry.value;
    sameLength.push({ segments: entry.segments, length: value.length });
    later.set(entry.segments.length, sameLength);
    for (const r of entry.routes) out.set(r, { type: 'RegularExpression', value, padded: pad > 0 });
  }
  return out;
}

/** Characters a request path carries as they are (RFC 3986 pchar, `/` and `%`). */
const PATH_CHAR = /[-A-Za-z0-9._~!$&'()*+,;=:@/%]/;

/**
 * A literal part of a spec path as an RE2 expression for the request path Envoy sees, which it
 * does not percent-decode (beyond unreserved characters): a character a client must encode (a
 * space, `"`, a non-ASCII letter…) matches its UTF-8 percent-encoding, hex digits in either case,
 * or itself as sent raw. `/user guide` → `/user(?: |%20)guide`.
 */
function wireLiteral(text: string): string {
  let out = '';
  for (const c of text) {
    if (PATH_CHAR.test(c)) {
      out += c.replace(RE2_META, '\\$&');
      continue;
    }
    const encoded = [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0').replace(/[A-F]/g, (h) => `[${h}${h.toLowerCase()}]`)}`).join('');
    out += `(?:${c.replace(RE2_META, '\\$&')}|${encoded})`;
  }
  return out;
}

/** Can one request path match both templates? (`null`: a segment with a parameter.) */
function overlap(a: (string | null)[], b: (string | null)[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((s, i) => s === null || b[i] === null || s === b[i]);
}

/** The longest Gateway API Duration, 99999h59m59s (five digits per unit), in seconds. */
const LONGEST_DURATION = 99999 * 3600 + 59 * 60 + 59;

/** Seconds as a Gateway API Duration (GEP-2257: `90s`, `2h30m`, at most five digits per unit); undefined when longer than it can say. */
function gatewayApiDuration(seconds: number): string | undefined {
  if (seconds > LONGEST_DURATION) return undefined;
  if (seconds <= 99999) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}h${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
