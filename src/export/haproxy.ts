/**
 * HAProxy target: a complete `haproxy.cfg` that runs as it is with `haproxy -f haproxy.cfg` from
 * its folder (pid file relative to it, written when run with -D; no `user`, `chroot` or `daemon`).
 *
 * The frontend names the path of each request (`txn.path`, most specific first, matched
 * percent-decoded as NGINX matches its `$uri`) and then the operation (`txn.route`); every
 * policy is a rule on the route: API-key / bearer checks (401), body size (413), stick-table rate
 * counters per route and window (429 with `Retry-After` and `RateLimit-Policy`), and the cache.
 */
import type { AuthScheme, PolicyModel, RateWindow, Route, Service } from './model';
import { PEERS_SEMANTICS } from './cluster';
import { regexLiteral } from './model/paths';
import { allowedMethods, ambiguousPath, apiKeySchemeNames, consumerByAddress, header, hostHeader, Identifiers, isIp, Notes, parseListen, presenceAuth, problemBody, rateLimitPolicyField, runPaths, scaledLimit, scaledWeights, type RenderOptions, type TargetOutput, windowText } from './text';

/** HAProxy's largest server weight. */
const MAX_WEIGHT = 256;

/** HAProxy 2.6 tracks at most three sticky counters per request (sc0..sc2). */
const MAX_COUNTERS = 3;
/** Vary headers HAProxy's cache can honour (`process-vary on`). */
const VARY_OK = new Set(['accept-encoding', 'referer']);

export function renderHaproxy(model: PolicyModel, options: RenderOptions): TargetOutput {
  return new HaproxyWriter(model, options).render();
}

class HaproxyWriter {
  private readonly notes: Notes;
  private readonly out: string[] = [];
  private readonly pathIds = new Map<string, string>();
  /** Path regex → the first route on it (the one that names the path). */
  private readonly pathRoutes = new Map<string, Route>();
  private readonly byName = new Map<string, Route>();
  private acls = 0;
  /** Identifiers of names from the spec: security schemes (ACLs, environment variables) and services (backends). */
  private readonly schemeIds: Identifiers;
  private readonly serviceIds: Identifiers;

  constructor(
    private readonly model: PolicyModel,
    private readonly options: RenderOptions,
  ) {
    this.notes = new Notes(model);
    this.schemeIds = new Identifiers(apiKeySchemeNames(model), 'Security schemes', this.notes);
    this.serviceIds = new Identifiers(model.services.map((s) => s.name), 'Services', this.notes);
    for (const r of model.routes) {
      this.byName.set(r.name, r);
      if (this.pathIds.has(r.regex)) continue;
      this.pathIds.set(r.regex, `L${this.pathIds.size + 1}`);
      this.pathRoutes.set(r.regex, r);
    }
  }

  private line(indent: number, text: string): void {
    this.out.push(text === '' ? '' : `${'    '.repeat(indent)}${text}`);
  }

  /** Declare an ACL true for these routes (several lines of one name are ORed) and return its name. */
  private routeAcl(routes: string[], variable = 'txn.route'): string {
    const name = `headroom_${++this.acls}`;
    for (let i = 0; i < routes.length; i += 10) this.line(1, `acl ${name} var(${variable}) -m str ${routes.slice(i, i + 10).join(' ')}`);
    return name;
  }

  render(): TargetOutput {
    const listen = parseListen(this.options.listen);
    if (!listen) throw new Error(`invalid listen address "${this.options.listen}" (expected ADDR:PORT)`);
    const routes = this.model.routes;
    const dns = this.model.services.some((s) => s.targets.some((t) => !isIp(t.host)));
    const rate = this.planRateLimits();
    const caches = this.planCaches();

    this.line(0, 'global');
    this.line(1, 'pidfile haproxy.pid');
    if (rate.clusterTables.length > 0 && this.options.node !== undefined) this.line(1, `localpeer ${this.options.node}`);
    this.line(0, '');
    this.line(0, 'defaults');
    this.line(1, 'mode http');
    this.line(1, 'option forwardfor');
    this.line(1, 'timeout connect 5s');
    this.line(1, 'timeout client 30s');
    this.line(1, 'timeout server 30s');
    this.line(1, 'timeout http-request 10s');
    if (rate.clusterTables.length > 0) {
      this.line(0, '');
      this.line(0, '# Cluster-scoped rate limits: the nodes share these tables (see the header for what peers give).');
      this.line(0, `peers ${PEERS}`);
      for (const p of this.options.peers!) this.line(1, `peer ${p.name} ${p.host}:${p.port}`);
      for (const seconds of rate.clusterTables) this.line(1, `table ${tableName(seconds)} ${tableSpec(seconds)}`);
    }
    if (dns) {
      this.line(0, '');
      this.line(0, 'resolvers headroom_dns');
      this.line(1, 'parse-resolv-conf');
      this.line(1, 'hold valid 30s');
    }
    for (const ttl of caches.ttls) {
      this.line(0, '');
      this.line(0, `cache headroom_cache_${ttl}s`);
      this.line(1, 'total-max-size 64');
      this.line(1, `max-age ${ttl}`);
      this.line(1, 'process-vary on');
    }

    this.line(0, '');
    this.line(0, 'frontend headroom');
    this.line(1, `bind ${listen.host}:${listen.port}`);
    if (routes.some((r) => r.maxBytes !== undefined)) this.line(1, 'option http-buffer-request');
    this.line(0, '');
    this.line(1, '# A path HAProxy would match decoded but forward as sent (an encoded control character, `.`,');
    this.line(1, "# `/` or `\\`; a dot or empty segment; a `;` unless a path of the spec has one) could reach another");
    this.line(1, '# operation upstream.');
    this.line(1, `http-request deny deny_status 400 content-type application/problem+json string ${quote(problemBody(400, 'Bad Request'))} if { path -m reg ${quote(ambiguousPath(this.model))} }`);
    this.line(1, '# Which path (most specific first), then which operation.');
    for (const [regex, id] of this.pathIds) {
      const r = this.pathRoutes.get(regex)!;
      // Matched decoded (url_dec), as NGINX matches its $uri: a path the spec writes with a space
      // or a non-ASCII letter arrives percent-encoded.
      const match = r.plain ? `{ path,url_dec -m str ${quote(r.publicPath)} }` : `{ path,url_dec -m reg ${quote(regex)} }`;
      this.line(1, `http-request set-var(txn.path) str(${id}) if !{ var(txn.path) -m found } ${match}`);
    }
    for (const r of routes) {
      this.line(1, `http-request set-var(txn.route) str(${r.name}) if { var(txn.path) -m str ${this.pathIds.get(r.regex)} } { method ${r.method} }`);
    }
    this.line(1, `http-request deny deny_status 404 content-type application/problem+json string ${quote(problemBody(404, 'Not Found'))} if !{ var(txn.path) -m found }`);
    this.cors();
    // A 405 says which methods the path has (Allow).
    const allow = allowedMethods(this.model);
    for (const [regex, id] of this.pathIds) {
      this.line(1, `http-request deny deny_status 405 hdr Allow ${quote(allow.get(regex)!)} content-type application/problem+json string ${quote(problemBody(405, 'Method Not Allowed'))} if { var(txn.path) -m str ${id} } !{ var(txn.route) -m found }`);
    }
    this.auth();
    this.bodySize();
    this.rateLimits(rate);
    this.cacheUse(caches.byTtl);
    this.backendsUse();
    this.responses(caches.byTtl);
    for (const s of this.model.services) this.backend(s, dns);
    for (const seconds of rate.nodeTables) {
      this.line(0, '');
      this.line(0, `backend ${tableName(seconds)}`);
      this.line(1, `stick-table ${tableSpec(seconds)}`);
    }

    const lines = this.notes.lines();
    const run = runPaths('haproxy', this.options);
    // The pid file is relative: haproxy runs from the file's folder. HAProxy writes it only as a
    // daemon (-D) or master (-W), not in the foreground.
    const start = (flags: string) => (run.folder === 'DIR' ? `haproxy ${flags}-f ${run.name}` : `cd ${run.folder} && haproxy ${flags}-f ${run.name}`);
    const usage = [
      `Run it from its folder: \`${start('')}\` (foreground, no user switch; with -D it runs as a daemon and writes haproxy.pid there).`,
      `Listens on ${this.options.listen}. Paths not in the spec answer 404; methods not documented for a path, 405.`,
    ];
    const keySchemes = [...new Set(routes.flatMap((r) => (r.auth ?? []).flatMap((a) => a.schemes.map((s) => s.scheme)).filter((s) => s.kind === 'apiKey')))];
    if (keySchemes.length > 0) {
      usage.push(`API keys come from the environment, space-separated: ${[...new Set(keySchemes.map((k) => this.envName(k)))].join(', ')}.`);
    }
    if (rate.nodeTables.length + rate.clusterTables.length > 0) usage.push('Rate limits count the requests let through in a sliding window per client and operation (stick tables, gpc0_rate): a refused request uses up no quota.');
    if (rate.nodeTables.length > 0 && rate.clusterTables.length > 0) usage.push('Windows of scope node count on each node alone; windows of scope cluster are shared by the peers.');
    if (rate.clusterTables.length > 0) {
      const peers = this.options.peers!;
      usage.push(
        `Cluster: the peers ${peers.map((p) => `${p.name} (${p.host}:${p.port})`).join(', ')} share the cluster-scoped counters; every node runs this file, ${
          this.options.node ? `this one as ${this.options.node} (localpeer; another node: export with its --node, or start it with -L NAME)` : `each started as itself: \`${start('-L NAME ')}\``
        }.`,
      );
      usage.push(PEERS_SEMANTICS);
    } else if (this.options.peers !== undefined) {
      this.notes.add('--peers given, but no rate limit has scope: cluster: no peers section is written (every counter is per node)');
    }
    return { text: header(this.model, 'haproxy', this.options, usage, lines) + this.out.join('\n') + '\n', notes: lines };
  }

  // -------------------------------------------------------------------------------------------
  // CORS

  private cors(): void {
    const byPolicy = new Map<string, { paths: string[]; routes: string[]; cors: NonNullable<Route['cors']>; methods: Set<string> }>();
    // A preflight names no operation: the first policy on a path answers the preflights of every method there.
    const preflightsOf = new Map<string, { key: string; route: string }>();
    for (const r of this.model.routes) {
      if (!r.cors) continue;
      const key = JSON.stringify(r.cors);
      const entry = byPolicy.get(key) ?? { paths: [], routes: [], cors: r.cors, methods: new Set<string>() };
      const id = this.pathIds.get(r.regex)!;
      const owner = preflightsOf.get(id);
      if (owner === undefined) preflightsOf.set(id, { key, route: r.name });
      else if (owner.key !== key) this.notes.add(`${r.publicPath}: CORS preflights are answered per path in HAProxy; the policy of ${owner.route} answers them for every method`, r.name);
      if ((owner === undefined || owner.key === key) && !entry.paths.includes(id)) entry.paths.push(id);
      entry.routes.push(r.name);
      entry.methods.add(r.method);
      byPolicy.set(key, entry);
    }
    // The methods a path's preflight allows: those of every operation on it with CORS.
    for (const r of this.model.routes) {
      const owner = r.cors ? preflightsOf.get(this.pathIds.get(r.regex)!) : undefined;
      if (owner) byPolicy.get(owner.key)!.methods.add(r.method);
    }
    if (byPolicy.size === 0) return;
    this.line(1, 'http-request set-var(txn.origin) req.hdr(origin)');
    this.corsPolicies = [];
    for (const { paths, routes, cors, methods } of byPolicy.values()) {
      const pathAcl = paths.length > 0 ? this.routeAcl(paths, 'txn.path') : undefined;
      const routeAcl = this.routeAcl(routes);
      const any = cors.origins.includes('*');
      const originAcl = `headroom_${++this.acls}`;
      if (any) this.line(1, `acl ${originAcl} var(txn.origin) -m found`);
      else this.line(1, `acl ${originAcl} var(txn.origin) -m str ${cors.origins.map((o) => quote(o)).join(' ')}`);
      const allowOrigin = any && !cors.credentials ? '*' : '%[var(txn.origin)]';
      const common = [`hdr Access-Control-Allow-Origin ${quote(allowOrigin, true)}`];
      if (allowOrigin !== '*') common.push('hdr Vary Origin');
      if (cors.credentials) common.push('hdr Access-Control-Allow-Credentials true');
      const allowed = cors.methods ?? [...methods];
      const pre = [
        ...common,
        // An empty list allows nothing beyond what CORS always allows: no header (HAProxy refuses an empty one).
        ...(allowed.length > 0 ? [`hdr Access-Control-Allow-Methods ${quote(allowed.join(', '))}`] : []),
        ...(cors.headers?.length === 0 ? [] : [`hdr Access-Control-Allow-Headers ${cors.headers ? quote(cors.headers.join(', ')) : quote('%[req.hdr(access-control-request-headers)]', true)}`]),
        ...(cors.maxAge !== undefined ? [`hdr Access-Control-Max-Age ${cors.maxAge}`] : []),
      ];
      if (pathAcl !== undefined) {
        this.line(1, `http-request return status 204 ${pre.join(' ')} if METH_OPTIONS { req.hdr(access-control-request-method) -m found } ${pathAcl} ${originAcl}`);
        // Another origin's preflight is answered too, granting nothing (as NGINX answers it): the browser refuses the request.
        this.line(1, `http-request return status 204 hdr Vary Origin if METH_OPTIONS { req.hdr(access-control-request-method) -m found } ${pathAcl}`);
      }
      this.corsPolicies.push({ routeAcl, originAcl, cors, allowOrigin });
    }
  }

  private corsPolicies: { routeAcl: string; originAcl: string; cors: NonNullable<Route['cors']>; allowOrigin: string }[] = [];

  // -------------------------------------------------------------------------------------------
  // Authentication

  private unsupported = (scheme: AuthScheme): string | undefined => (scheme.kind === 'unsupported' ? 'HAProxy has no check for it' : undefined);

  private authAcls = new Map<string, string>();

  /** ACL true when the scheme's credential is present (API keys: listed in the environment). */
  private credentialAcl(scheme: AuthScheme): string {
    const key = scheme.kind === 'apiKey' ? `key:${scheme.name}` : scheme.kind === 'basic' ? 'basic' : 'bearer';
    let acl = this.authAcls.get(key);
    if (acl === undefined) {
      if (scheme.kind === 'apiKey') {
        acl = `headroom_key_${this.schemeIds.get(scheme.name)}`;
        this.line(1, `acl ${acl} ${credentialFetch(scheme)} -m str "\${${this.envName(scheme)}[*]}"`);
        // A header key is read whole (req.fhdr: no split at commas) and only when sent once: with
        // two values, the check and the rate-limit counter could read different ones.
        if (scheme.in !== 'query') {
          // A cookie sent twice (`sid=good; sid=junk`): the check takes any value, the counter the
          // last, so each junk value would be a new budget.
          this.line(1, `acl ${acl}_once ${sampleFetch(scheme.in === 'cookie' ? 'req.cook_cnt' : 'req.fhdr_cnt', scheme.param!)} eq 1`);
          acl = `${acl} ${acl}_once`;
        } else {
          // A query key sent twice (`?api_key=junk&api_key=good`): the check takes any value, the
          // counter the first, so each junk value would be a new budget. `;` separates too.
          const name = regexLiteral(scheme.param!);
          this.line(1, `acl ${acl}_twice query -m reg ${quote(`(^|[&;])${name}=.*[&;]${name}=`)}`);
          acl = `${acl} !${acl}_twice`;
        }
      } else {
        const word = scheme.kind === 'basic' ? 'Basic' : 'Bearer';
        acl = `headroom_has_${word.toLowerCase()}`;
        this.line(1, `acl ${acl} req.hdr(authorization) -m reg -i ${quote(`^${word}\\s+\\S`)}`);
      }
      this.authAcls.set(key, acl);
    }
    return acl;
  }

  private auth(): void {
    const groups = new Map<string, { routes: string[]; alternatives: AuthScheme[][]; challenge: string }>();
    for (const r of this.model.routes) {
      const auth = presenceAuth(r, this.unsupported, this.notes, 'this HAProxy file', "HAProxy's jwt_verify needs your key");
      if (auth === undefined) continue;
      const key = JSON.stringify([auth.alternatives.map((a) => a.map((s) => s.name)), auth.challenge]);
      const g = groups.get(key) ?? { routes: [], ...auth };
      g.routes.push(r.name);
      groups.set(key, g);
    }
    if (groups.size === 0) return;
    this.line(0, '');
    this.line(1, '# Authentication (401): a route passes when all the credentials of one of its requirements are present.');
    for (const g of groups.values()) {
      const routes = this.routeAcl(g.routes);
      for (const alternative of g.alternatives) {
        const acls = alternative.map((s) => this.credentialAcl(s));
        this.line(1, `http-request set-var(txn.authorized) bool(true) if ${routes} ${acls.join(' ')}`);
      }
      const challenge = g.challenge ? ` hdr WWW-Authenticate ${quote(g.challenge)}` : '';
      this.line(1, `http-request deny deny_status 401${challenge} content-type application/problem+json string ${quote(problemBody(401, 'Unauthorized'))} if ${routes} !{ var(txn.authorized) -m bool }`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Body size

  private bodySize(): void {
    const byLimit = new Map<number, string[]>();
    for (const r of this.model.routes) {
      if (r.maxBytes === undefined) continue;
      byLimit.set(r.maxBytes, [...(byLimit.get(r.maxBytes) ?? []), r.name]);
      this.notes.add('Chunked request bodies are checked only as far as HAProxy buffers them (tune.bufsize, 16 kB by default); Content-Length is always checked', r.name);
    }
    if (byLimit.size === 0) return;
    this.line(0, '');
    this.line(1, '# Body size (413): announced length or buffered body.');
    for (const [limit, routes] of byLimit) {
      const acl = this.routeAcl(routes);
      this.line(1, `http-request deny deny_status 413 content-type application/problem+json string ${quote(problemBody(413, 'Content Too Large'))} if ${acl} { req.hdr_val(content-length) gt ${limit} } || ${acl} { req.body_size gt ${limit} }`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Rate limits

  private planRateLimits(): { nodeTables: number[]; clusterTables: number[]; perRoute: Map<string, RateWindow[]> } {
    const nodeTables = new Set<number>();
    const clusterTables = new Set<number>();
    const perRoute = new Map<string, RateWindow[]>();
    for (const r of this.model.routes) {
      if (r.rateLimit.length === 0) continue;
      const windows = strictest(r.rateLimit.map((w) => this.countable(w, r))).sort((a, b) => a.seconds - b.seconds || a.requests - b.requests);
      if (windows.length > MAX_COUNTERS) {
        for (const w of windows.slice(MAX_COUNTERS)) this.notes.add(`${windowText(w.requests, w.window)}: HAProxy 2.6 tracks at most ${MAX_COUNTERS} windows per request; this one is not enforced`, r.name);
      }
      const kept = windows.slice(0, MAX_COUNTERS);
      for (const w of kept) {
        (w.scope === 'cluster' ? clusterTables : nodeTables).add(w.seconds);
        if (w.burst !== undefined && w.burst > 0) this.notes.add(`burst ${w.burst}: HAProxy counts a sliding window and has no burst allowance`, r.name);
      }
      perRoute.set(r.name, kept);
    }
    const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
    return { nodeTables: sorted(nodeTables), clusterTables: sorted(clusterTables), perRoute };
  }

  /**
   * A window HAProxy can count: its stick-table timers (`expire`, the `gpc0_rate` period) stop
   * at 2^31 - 1 ms (~24.8 days), and a longer one makes HAProxy refuse the whole file. A longer
   * window is counted over 24 days with the limit scaled down as Kong and Envoy Gateway scale theirs
   * (never more requests on average than the spec allows), and noted.
   */
  private countable(w: RateWindow, r: Route): RateWindow {
    if (w.seconds <= MAX_TIMER_SECONDS) return w;
    const requests = scaledLimit(w.requests, w.seconds, LONGEST_WINDOW_SECONDS);
    this.notes.add(`${windowText(w.requests, w.window)}: HAProxy counts windows of at most ~24.8 days; enforced as ${requests} per 24d`, r.name);
    return { ...w, requests, window: '24d', seconds: LONGEST_WINDOW_SECONDS };
  }

  /**
   * Sample expressions for what a window counts by, tried in order (the first present wins), each
   * with the ACL that must hold for it: a consumer is counted by its API key only when the key is
   * one of the listed keys (on a route that also takes another credential, any other value would
   * be a fresh counter).
   */
  private keyFetches(w: RateWindow, r: Route): { fetch: string; when?: string }[] {
    if (w.key.kind === 'header') return [{ fetch: sampleFetch('req.hdr', w.key.header) }, { fetch: 'src' }];
    if (w.key.kind === 'consumer') {
      const scheme = r.auth?.[0]?.schemes[0]?.scheme;
      if (scheme?.kind === 'apiKey') return [{ fetch: credentialFetch(scheme), when: this.credentialAcl(scheme) }, { fetch: 'src' }];
      this.notes.add(consumerByAddress(scheme), r.name);
    }
    return [{ fetch: 'src' }];
  }

  private rateLimits(plan: { perRoute: Map<string, RateWindow[]> }): void {
    if (plan.perRoute.size === 0) return;
    this.line(0, '');
    this.line(1, '# Rate limits (429): one counter per client, operation and window.');
    const tracks = new Map<string, string[]>();
    for (const [route, windows] of plan.perRoute) {
      const r = this.byName.get(route)!;
      windows.forEach((w, i) => {
        for (const { fetch, when } of this.keyFetches(w, r)) {
          const table = w.scope === 'cluster' ? `${PEERS}/${tableName(w.seconds)}` : tableName(w.seconds);
          // Counted by a digest: a long key is not cut to the table's length (two keys sharing
          // their start would share a counter), and no API key is kept, shown or sent to peers.
          const rule = `track-sc${i} ${fetch},concat(@,txn.route),sha2(256) table ${table}`;
          const key = JSON.stringify([rule, when ?? '']);
          tracks.set(key, [...(tracks.get(key) ?? []), route]);
        }
      });
    }
    // A counter tracks the first key present: a route's header or credential rule must come before
    // the client-address rule other routes share, or `src` takes the counter first for every route.
    const fallback = (key: string) => / src,/.test(key);
    const ordered = [...tracks].sort(([a], [b]) => Number(fallback(a)) - Number(fallback(b)));
    for (const [key, routes] of ordered) {
      const [rule, when] = JSON.parse(key) as [string, string];
      this.line(1, `http-request ${rule} if ${this.routeAcl(routes)}${when ? ` ${when}` : ''}`);
    }
    // A counter holds the requests let through (gpc0_rate): a request is refused when its windows
    // already let their quota through, and counted only once every window let it pass, so a client
    // that keeps retrying is not locked out, and a refusal uses up no longer window's quota.
    let counters = 0;
    for (const [route, windows] of plan.perRoute) {
      const policy = rateLimitPolicyField(route, windows);
      counters = Math.max(counters, windows.length);
      windows.forEach((w, i) => {
        this.line(
          1,
          `http-request deny deny_status 429 hdr Retry-After ${w.seconds} hdr RateLimit-Policy ${quote(policy)} content-type application/problem+json string ${quote(problemBody(429, 'Too Many Requests'))} if { var(txn.route) -m str ${route} } { sc_gpc0_rate(${i}) ge ${w.requests} }`,
        );
      });
    }
    for (let i = 0; i < counters; i++) this.line(1, `http-request sc-inc-gpc0(${i}) if { sc_tracked(${i}) }`);
  }

  // -------------------------------------------------------------------------------------------
  // Cache

  private planCaches(): { ttls: number[]; byTtl: Map<number, string[]> } {
    const byTtl = new Map<number, string[]>();
    for (const r of this.model.routes) {
      const c = r.cache;
      if (!c) continue;
      if (r.method !== 'GET') {
        this.notes.add('HAProxy caches GET requests only', r.name);
        continue;
      }
      const unmanaged = c.varyHeaders.filter((h) => !VARY_OK.has(h.toLowerCase()));
      if (unmanaged.length > 0) {
        this.notes.add(`Cache not used: HAProxy's cache cannot vary by ${unmanaged.join(', ')}`, r.name);
        continue;
      }
      if (c.varyQuery) this.notes.add('HAProxy keys the cache by the whole query string, not only the vary-query parameters', r.name);
      if (c.statuses.some((s) => s !== 200)) this.notes.add('HAProxy caches only 200 responses', r.name);
      if (r.auth?.some((a) => a.schemes.some((s) => s.scheme.kind !== 'apiKey'))) {
        this.notes.add('HAProxy never caches a request that carries an Authorization header', r.name);
      }
      byTtl.set(c.ttl, [...(byTtl.get(c.ttl) ?? []), r.name]);
    }
    return { ttls: [...byTtl.keys()].sort((a, b) => a - b), byTtl };
  }

  private cacheAcls = new Map<number, string>();

  private cacheUse(byTtl: Map<number, string[]>): void {
    if (byTtl.size === 0) return;
    this.line(0, '');
    this.line(1, '# Cache: lookups after every refusal above.');
    for (const [ttl, routes] of byTtl) {
      const acl = this.routeAcl(routes);
      this.cacheAcls.set(ttl, acl);
      this.line(1, `http-request cache-use headroom_cache_${ttl}s if ${acl}`);
    }
  }

  private backendsUse(): void {
    this.line(0, '');
    const [main, ...others] = this.model.services;
    if (main === undefined) return; // no operation: every request was refused above
    for (const s of others) {
      const routes = this.model.routes.filter((r) => r.service === s.name).map((r) => r.name);
      this.line(1, `use_backend ${this.backendName(s)} if ${this.routeAcl(routes)}`);
    }
    this.line(1, `default_backend ${this.backendName(main)}`);
  }

  private responses(byTtl: Map<number, string[]>): void {
    for (const p of this.corsPolicies) {
      this.line(1, `http-response set-header Access-Control-Allow-Origin ${quote(p.allowOrigin, true)} if ${p.routeAcl} ${p.originAcl}`);
      if (p.allowOrigin !== '*') this.line(1, `http-response add-header Vary Origin if ${p.routeAcl} ${p.originAcl}`);
      if (p.cors.credentials) this.line(1, `http-response set-header Access-Control-Allow-Credentials true if ${p.routeAcl} ${p.originAcl}`);
      if (p.cors.exposeHeaders?.length) this.line(1, `http-response set-header Access-Control-Expose-Headers ${quote(p.cors.exposeHeaders.join(', '))} if ${p.routeAcl} ${p.originAcl}`);
    }
    // The 401 and 429 the gateway answers itself skip the http-response rules: a browser reads
    // Retry-After or WWW-Authenticate only from a response that grants its origin.
    for (const p of this.corsPolicies) {
      const refused = `${p.routeAcl} ${p.originAcl} { status 401 429 }`;
      this.line(1, `http-after-response set-header Access-Control-Allow-Origin ${quote(p.allowOrigin, true)} if ${refused}`);
      if (p.allowOrigin !== '*') this.line(1, `http-after-response add-header Vary Origin if ${refused} !{ res.fhdr(vary) -m sub -i origin }`);
      if (p.cors.credentials) this.line(1, `http-after-response set-header Access-Control-Allow-Credentials true if ${refused}`);
      if (p.cors.exposeHeaders?.length) this.line(1, `http-after-response set-header Access-Control-Expose-Headers ${quote(p.cors.exposeHeaders.join(', '))} if ${refused}`);
    }
    for (const [ttl] of byTtl) {
      const acl = this.cacheAcls.get(ttl)!;
      this.line(1, `# The spec's TTL makes responses without Cache-Control cacheable (HAProxy stores only responses that say how long).`);
      this.line(1, `# Never a response that sets a cookie: it is one caller's.`);
      this.line(1, `http-response set-header Cache-Control "max-age=${ttl}" if ${acl} { status 200 } !{ res.hdr(cache-control) -m found } !{ res.hdr(set-cookie) -m found }`);
      this.line(1, `http-response cache-store headroom_cache_${ttl}s if ${acl} !{ res.hdr(set-cookie) -m found }`);
      this.line(1, `http-response set-header X-Cache-Status HIT if ${acl} { res.cache_hit }`);
      this.line(1, `http-response set-header X-Cache-Status MISS if ${acl} !{ res.cache_hit }`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Backends

  private backendName(s: Service): string {
    return `headroom_${this.serviceIds.get(s.name)}`;
  }

  /** The environment variable listing a scheme's API keys. */
  private envName(scheme: AuthScheme): string {
    return `HEADROOM_API_KEYS_${this.schemeIds.get(scheme.name).toUpperCase()}`;
  }

  private backend(s: Service, dns: boolean): void {
    this.line(0, '');
    this.line(0, `backend ${this.backendName(s)}`);
    this.line(1, `balance ${s.algorithm === 'least-conn' ? 'leastconn' : s.algorithm === 'hash' ? 'source' : 'roundrobin'}`);
    if (s.algorithm === 'hash') this.line(1, 'hash-type consistent');
    if (s.healthCheck !== undefined) {
      this.line(1, `option httpchk GET ${word(s.healthCheck)}`);
      this.line(1, 'http-check expect status 200-399');
    }
    this.line(1, `http-request set-header Host ${quote(hostHeader(s.targets[0].host, s.targets[0].port, s.scheme))}`);
    const targets = scaledWeights(s.targets, MAX_WEIGHT, 'HAProxy', this.notes, s.name);
    targets.forEach((t, i) => {
      const host = t.host.includes(':') ? `[${t.host}]` : t.host;
      const parts = [`server ${this.serviceIds.get(s.name)}_${i + 1} ${host}:${t.port}`];
      if (s.healthCheck !== undefined) parts.push('check');
      if (t.weight !== undefined) parts.push(`weight ${t.weight}`);
      if (s.scheme === 'https') parts.push(`ssl verify required ca-file @system-ca sni str(${t.host})`);
      if (dns && !isIp(t.host)) parts.push('resolvers headroom_dns init-addr last,libc,none');
      this.line(1, parts.join(' '));
    });
  }
}

/** The peers section that holds the cluster-scoped tables (referred to as `headroom_cluster/<table>`). */
const PEERS = 'headroom_cluster';

/**
 * One window per counter: of windows that count the same period by the same key and scope (long
 * windows all become 24 days), the lowest limit, which is the only one that can trip.
 */
function strictest(windows: RateWindow[]): RateWindow[] {
  const kept = new Map<string, RateWindow>();
  for (const w of windows) {
    const counter = JSON.stringify([w.seconds, w.key, w.scope]);
    const known = kept.get(counter);
    if (known === undefined || w.requests < known.requests) kept.set(counter, w);
  }
  return [...kept.values()];
}

/** HAProxy's longest timer, 2^31 - 1 ms, in whole seconds. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** The window a longer one is counted over: 24 days, the longest whole number of days under that. */
const LONGEST_WINDOW_SECONDS = 24 * 86_400;

function tableName(seconds: number): string {
  return `headroom_rl_${seconds}s`;
}

function tableSpec(seconds: number): string {
  return `type binary len 32 size 100k expire ${seconds}s store gpc0_rate(${seconds}s)`;
}

/** Where an API key travels, as an HAProxy sample fetch. */
function credentialFetch(scheme: AuthScheme): string {
  return sampleFetch(scheme.in === 'query' ? 'url_param' : scheme.in === 'cookie' ? 'req.cook' : 'req.fhdr', scheme.param!);
}

/**
 * A sample fetch with one argument, as (the start of) one HAProxy word. HAProxy reads it twice:
 * the line (quotes, `\`, `#` comments, `$` variables), then the argument list (quotes, `\`, `,`
 * and `)`), so the argument is escaped for the second and the word quoted for the first when needed.
 */
function sampleFetch(fetch: string, argument: string): string {
  return word(`${fetch}(${argument.replace(/[\\'",)]/g, '\\$&')})`);
}

/** Text as one HAProxy word: as it is when plain, else quoted. */
function word(text: string): string {
  return /^[^\s'"#$\\]+$/.test(text) ? text : quote(text);
}

/**
 * An HAProxy word. Single quotes keep `$`, `\` and `"` as they are; `logFormat` words (with
 * `%[...]`) need double quotes, where `"`, `\` and `$` are escaped.
 */
function quote(text: string, logFormat = false): string {
  if (logFormat) return `"${text.replace(/[\\"$]/g, '\\$&')}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
