/**
 * NGINX target: a complete `nginx.conf` that runs as it is with `nginx -p DIR -c DIR/nginx.conf`
 * (pid, logs, temp and cache paths are relative to the prefix; no `user` directive).
 *
 * One `location` per path (exact `=` for plain paths, a `~` regex for templated ones, most
 * specific first); each location names itself in `$headroom_loc`, and the map `$headroom_route`
 * turns "method + location" into the operation, so every per-operation policy is a map keyed by
 * route: rate-limit keys (`limit_req_zone` counts nothing for an empty key), the 401 decision,
 * the `Retry-After` / `RateLimit-Policy` of the 429 answer.
 */
import {
  type AuthScheme,
  type CachePolicy,
  type CorsPolicy,
  type PolicyModel,
  type RateWindow,
  type Route,
  type Service,
} from './model';
import { enforceableAuth, header, hostHeader, ident, isIp, Notes, parseListen, problemBody, type RenderOptions, type TargetOutput, windowText } from './text';

/** A location: the routes (operations) that share one path. */
interface Loc {
  id: string;
  regex: string;
  plain: boolean;
  publicPath: string;
  routes: Route[];
}

/** One `limit_req_zone`: a rate, and the burst of its `limit_req`. */
interface Zone {
  name: string;
  rate: string;
  burst: number;
  /** route name → key expression */
  keys: Map<string, string>;
}

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export function renderNginx(model: PolicyModel, options: RenderOptions): TargetOutput {
  return new NginxWriter(model, options).render();
}

class NginxWriter {
  private readonly notes: Notes;
  private readonly out: string[] = [];
  private readonly locs: Loc[] = [];
  private readonly zones = new Map<string, Zone>();
  /** route name → its zones */
  private readonly routeZones = new Map<string, Zone[]>();
  private readonly retryAfter = new Map<string, number>();
  private readonly policyHeader = new Map<string, string>();
  /** Auth: route name → requirements this target enforces. */
  private readonly auth = new Map<string, { alternatives: AuthScheme[][]; challenge: string }>();
  /** Check variables used, in order: scheme key → { variable, map lines }. */
  private readonly checks = new Map<string, { variable: string; definition: string[] }>();
  private readonly headerFallbacks = new Map<string, string>();

  constructor(
    private readonly model: PolicyModel,
    private readonly options: RenderOptions,
  ) {
    this.notes = new Notes(model);
    const byRegex = new Map<string, Loc>();
    for (const r of model.routes) {
      let loc = byRegex.get(r.regex);
      if (loc === undefined) {
        loc = { id: `L${byRegex.size + 1}`, regex: r.regex, plain: r.plain, publicPath: r.publicPath, routes: [] };
        byRegex.set(r.regex, loc);
        this.locs.push(loc);
      }
      loc.routes.push(r);
    }
  }

  private line(indent: number, text: string): void {
    this.out.push(text === '' ? '' : `${'    '.repeat(indent)}${text}`);
  }

  render(): TargetOutput {
    const listen = parseListen(this.options.listen);
    if (!listen) throw new Error(`invalid listen address "${this.options.listen}" (expected ADDR:PORT)`);
    for (const r of this.model.routes) {
      this.planRateLimit(r);
      this.planAuth(r);
    }
    for (const s of this.model.services) {
      if (s.healthCheck !== undefined) this.notes.add(`Active health checks (${s.healthCheck}) need NGINX Plus; open-source NGINX marks a target down after 3 failed requests for 10 s`);
      if (s.targets.some((t) => !isIp(t.host))) this.notes.add('NGINX resolves upstream host names once, when it starts');
    }

    this.line(0, 'worker_processes auto;');
    this.line(0, 'pid nginx.pid;');
    this.line(0, 'error_log error.log warn;');
    this.line(0, '');
    this.line(0, 'events {');
    this.line(1, 'worker_connections 1024;');
    this.line(0, '}');
    this.line(0, '');
    this.line(0, 'http {');
    this.line(1, 'access_log access.log;');
    this.line(1, 'default_type application/octet-stream;');
    this.line(1, 'server_tokens off;');
    this.line(1, 'client_body_temp_path client_body_temp;');
    this.line(1, 'proxy_temp_path proxy_temp;');
    this.line(1, 'fastcgi_temp_path fastcgi_temp;');
    this.line(1, 'uwsgi_temp_path uwsgi_temp;');
    this.line(1, 'scgi_temp_path scgi_temp;');
    this.upstreams();
    this.routeMap();
    this.rateLimitMaps();
    this.cachePath();
    this.authMaps();
    const corsMaps = this.corsMaps();
    this.server(listen, corsMaps);
    this.line(0, '}');

    const lines = this.notes.lines();
    const usage = [
      'Run it from a folder DIR holding this file: `nginx -p DIR -c DIR/nginx.conf`; logs, temp files and the',
      'cache live in DIR (readable by the worker user when started as root).',
      `Listens on ${this.options.listen}. Paths not in the spec answer 404; methods not documented for a path, 405.`,
    ];
    if (this.checks.size > 0 && [...this.checks.keys()].some((k) => k.startsWith('key:'))) {
      usage.push('API keys: one file per scheme, DIR/api-keys/<Scheme>.map (or <Scheme>-*.map), lines `"<key>" <consumer>;`.');
    }
    if (this.zones.size > 0) {
      usage.push('Rate limits: NGINX limit_req is a leaky bucket. N per window W is rate N/W with burst N-1 (nodelay): the');
      usage.push('whole quota may be spent at once, then it refills steadily; an explicit burst replaces N-1.');
      usage.push('Each operation has its own budget (an inherited annotation is copied, not shared).');
    }
    return { text: header(this.model, 'nginx', this.options, usage, lines) + this.out.join('\n') + '\n', notes: lines };
  }

  // -------------------------------------------------------------------------------------------

  private upstreamName(service: Service): string {
    return `headroom_${ident(service.name)}`;
  }

  private upstreams(): void {
    for (const s of this.model.services) {
      this.line(0, '');
      this.line(1, `upstream ${this.upstreamName(s)} {`);
      if (s.algorithm === 'least-conn') this.line(2, 'least_conn;');
      if (s.algorithm === 'hash') this.line(2, 'hash $binary_remote_addr consistent;');
      for (const t of s.targets) {
        const host = t.host.includes(':') ? `[${t.host}]` : t.host;
        const weight = t.weight === undefined ? '' : t.weight === 0 ? ' down' : ` weight=${t.weight}`;
        this.line(2, `server ${host}:${t.port}${weight} max_fails=3 fail_timeout=10s;`);
      }
      this.line(2, 'keepalive 32;');
      this.line(1, '}');
    }
  }

  private routeMap(): void {
    if (this.locs.length === 0) return;
    // Map keys are route names: the hash buckets must hold the longest one (NGINX's default is 64 bytes).
    const longest = Math.max(...this.model.routes.map((r) => Math.max(r.name.length, `${r.method} ${this.locs.length}L`.length)));
    let bucket = 64;
    while (bucket < longest + 32) bucket *= 2;
    this.line(0, '');
    if (bucket > 64) this.line(1, `map_hash_bucket_size ${bucket};`);
    if (this.model.routes.length > 1024) this.line(1, `map_hash_max_size ${2 ** Math.ceil(Math.log2(this.model.routes.length * 2))};`);
    this.line(1, '# The operation a request is for: "<method> <location id>" -> route name ("" = not documented).');
    this.line(1, 'map "$request_method $headroom_loc" $headroom_route {');
    this.line(2, 'default "";');
    for (const loc of this.locs) for (const r of loc.routes) this.line(2, `"${r.method} ${loc.id}" ${r.name};`);
    this.line(1, '}');
  }

  // -------------------------------------------------------------------------------------------
  // Rate limits

  /** NGINX rates are whole requests per second or per minute, at least 1r/m. */
  private nginxRate(w: RateWindow, route: Route): { rate: string; perSecond: number } {
    if (w.requests % w.seconds === 0) return { rate: `${w.requests / w.seconds}r/s`, perSecond: w.requests / w.seconds };
    if ((w.requests * 60) % w.seconds === 0) return { rate: `${(w.requests * 60) / w.seconds}r/m`, perSecond: w.requests / w.seconds };
    const perMinute = Math.max(1, Math.ceil((w.requests * 60) / w.seconds));
    const unit = w.seconds >= 86400 ? 'day' : w.seconds >= 3600 ? 'hour' : `${w.window}`;
    this.notes.add(`${windowText(w.requests, w.window)}: NGINX has no ${unit} window and counts whole requests per minute at best; enforced as rate=${perMinute}r/m (a leaky bucket refilled at that rate)`, route.name);
    return { rate: `${perMinute}r/m`, perSecond: perMinute / 60 };
  }

  private planRateLimit(r: Route): void {
    if (r.rateLimit.length === 0) return;
    const zones: Zone[] = [];
    let retry = 0;
    for (const w of r.rateLimit) {
      const { rate, perSecond } = this.nginxRate(w, r);
      const burst = w.burst ?? w.requests - 1;
      const id = `${rate}|${burst}`;
      let zone = this.zones.get(id);
      if (zone === undefined) {
        zone = { name: `headroom_rl_${this.zones.size + 1}`, rate, burst, keys: new Map() };
        this.zones.set(id, zone);
      }
      if (zones.includes(zone)) continue; // the same window twice
      zone.keys.set(r.name, this.keyExpression(w, r));
      zones.push(zone);
      retry = Math.max(retry, Math.ceil(1 / perSecond));
    }
    this.routeZones.set(r.name, zones);
    this.retryAfter.set(r.name, retry);
    this.policyHeader.set(r.name, r.rateLimit.map((w) => `"${r.name}";q=${w.requests};w=${w.seconds}`).join(', '));
  }

  /** What a window counts by, as an NGINX value; never empty (an empty key is not counted). */
  private keyExpression(w: RateWindow, r: Route): string {
    if (w.key.kind === 'header') return `${this.headerOrAddress(w.key.header)} ${r.name}`;
    if (w.key.kind === 'consumer') {
      const scheme = r.auth?.[0]?.schemes[0]?.scheme;
      if (scheme?.kind === 'apiKey' && this.keyVariable(scheme)) {
        return `${this.headerOrAddress(undefined, `$headroom_consumer_${ident(scheme.name)}`)} ${r.name}`;
      }
      if (scheme && scheme.kind !== 'apiKey' && scheme.kind !== 'unsupported') return `${this.headerOrAddress('Authorization')} ${r.name}`;
      this.notes.add('Consumer rate limit on a route without a checked credential: counted per client address', r.name);
    }
    return `$binary_remote_addr ${r.name}`;
  }

  /** A variable holding the header's value, or the client address when the header is absent. */
  private headerOrAddress(headerName: string | undefined, variable?: string): string {
    const source = variable ?? `$http_${ident(headerName!.toLowerCase())}`;
    let name = this.headerFallbacks.get(source);
    if (name === undefined) {
      name = `$headroom_key_${ident(source.slice(1))}`;
      this.headerFallbacks.set(source, name);
    }
    return name;
  }

  private rateLimitMaps(): void {
    if (this.zones.size === 0) return;
    this.line(0, '');
    this.line(1, '# Rate limits: one zone per rate and burst; the key names the route, so each operation has its own');
    this.line(1, '# budget, and is empty (not counted) for requests to other routes.');
    this.line(1, 'limit_req_status 429;');
    for (const [source, name] of this.headerFallbacks) {
      this.line(1, `map ${source} ${name} {`);
      this.line(2, '"" $binary_remote_addr;');
      this.line(2, `default ${source};`);
      this.line(1, '}');
    }
    for (const zone of this.zones.values()) {
      this.line(1, `map $headroom_route $${zone.name} {`);
      this.line(2, 'default "";');
      for (const [route, key] of zone.keys) this.line(2, `${route} "${key}";`);
      this.line(1, '}');
      this.line(1, `limit_req_zone $${zone.name} zone=${zone.name}:10m rate=${zone.rate};`);
    }
    this.line(1, 'map $headroom_route $headroom_retry_after {');
    this.line(2, 'default "";');
    for (const [route, seconds] of this.retryAfter) this.line(2, `${route} ${seconds};`);
    this.line(1, '}');
    this.line(1, 'map $headroom_route $headroom_ratelimit_policy {');
    this.line(2, 'default "";');
    for (const [route, value] of this.policyHeader) this.line(2, `${route} '${value}';`);
    this.line(1, '}');
  }

  // -------------------------------------------------------------------------------------------
  // Cache

  private cachePath(): void {
    const ttls = this.model.routes.flatMap((r) => (r.cache ? [r.cache.ttl] : []));
    if (ttls.length === 0) return;
    const inactive = Math.max(600, ...ttls);
    this.line(0, '');
    this.line(1, `proxy_cache_path proxy_cache levels=1:2 keys_zone=headroom_cache:10m max_size=256m inactive=${inactive}s use_temp_path=off;`);
  }

  private cacheDirectives(loc: Loc): void {
    const cached = loc.routes.filter((r) => r.cache);
    if (cached.length === 0) return;
    const c: CachePolicy = (cached.find((r) => r.method === 'GET') ?? cached[0]).cache!;
    if (cached.some((r) => JSON.stringify(r.cache) !== JSON.stringify(c))) {
      this.notes.add(`${loc.publicPath}: GET and HEAD are cached with one policy per path in NGINX; the GET operation's is used`);
    }
    if (!c.methods.includes('HEAD') || !c.methods.includes('GET')) {
      this.notes.add('NGINX caches GET and HEAD together (HEAD is answered from the GET entry)', cached[0].name);
    }
    const query = c.varyQuery ? `?${c.varyQuery.map((q) => `${q}=$arg_${ident(q)}`).join('&')}` : '$is_args$args';
    const vary = c.varyHeaders.map((h) => `|$http_${ident(h.toLowerCase())}`).join('');
    this.line(3, 'proxy_cache headroom_cache;');
    this.line(3, `proxy_cache_key "$scheme$host$uri${query}${vary}";`);
    this.line(3, `proxy_cache_valid ${c.statuses.join(' ')} ${c.ttl}s;`);
    this.line(3, 'proxy_cache_methods GET HEAD;');
    this.line(3, '# The spec\'s TTL governs, not the upstream\'s Cache-Control/Expires (as Kong\'s cache_control: false).');
    this.line(3, 'proxy_ignore_headers Cache-Control Expires X-Accel-Expires;');
    this.line(3, 'add_header X-Cache-Status $upstream_cache_status always;');
  }

  // -------------------------------------------------------------------------------------------
  // Authentication

  private keyVariable(scheme: AuthScheme): string | undefined {
    const name = scheme.param!;
    if (scheme.in === 'header') return `$http_${ident(name.toLowerCase())}`;
    if (!/^[A-Za-z0-9_]+$/.test(name)) return undefined;
    return scheme.in === 'query' ? `$arg_${name}` : `$cookie_${name}`;
  }

  private unsupported = (scheme: AuthScheme): string | undefined => {
    if (scheme.kind === 'unsupported') return 'NGINX has no check for it';
    if (scheme.kind === 'apiKey' && this.keyVariable(scheme) === undefined) return `NGINX cannot read a ${scheme.in} parameter named "${scheme.param}"`;
    return undefined;
  };

  private planAuth(r: Route): void {
    const alternatives = enforceableAuth(r, this.unsupported, this.notes);
    if (alternatives === undefined) return;
    for (const a of alternatives) {
      for (const { scheme } of a.schemes) {
        this.check(scheme);
        if (scheme.kind === 'bearer') this.notes.add('JWT bearer tokens are not verified by open-source NGINX: only their presence is checked (verify them upstream or with NGINX Plus auth_jwt)', r.name);
        if (scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') this.notes.add('OAuth2 / OpenID Connect is not supported by open-source NGINX: only the presence of a bearer token is checked', r.name);
        if (scheme.kind === 'basic') this.notes.add('HTTP Basic credentials are not verified by this file: only their presence is checked', r.name);
      }
    }
    const first = alternatives[0].schemes[0].scheme;
    const challenge = first.kind === 'basic' ? `Basic realm="${r.service}"` : first.kind === 'apiKey' ? '' : 'Bearer';
    this.auth.set(r.name, { alternatives: alternatives.map((a) => a.schemes.map((s) => s.scheme)), challenge });
  }

  /** The variable that is 1 when the scheme's credential is present and valid here, else 0. */
  private check(scheme: AuthScheme): string {
    const key = scheme.kind === 'apiKey' ? `key:${scheme.name}` : scheme.kind === 'basic' ? 'basic' : 'bearer';
    let c = this.checks.get(key);
    if (c === undefined) {
      if (scheme.kind === 'apiKey') {
        const id = ident(scheme.name);
        c = {
          variable: `$headroom_ok_${id}`,
          definition: [
            `map ${this.keyVariable(scheme)} $headroom_consumer_${id} {`,
            '    default "";',
            `    include api-keys/${id}*.map;`,
            '}',
            `map $headroom_consumer_${id} $headroom_ok_${id} {`,
            '    "" 0;',
            '    default 1;',
            '}',
          ],
        };
      } else {
        const word = scheme.kind === 'basic' ? 'Basic' : 'Bearer';
        c = {
          variable: `$headroom_has_${word.toLowerCase()}`,
          definition: [`map $http_authorization $headroom_has_${word.toLowerCase()} {`, `    "~*^${word}\\s+\\S" 1;`, '    default 0;', '}'],
        };
      }
      this.checks.set(key, c);
    }
    return c.variable;
  }

  private authMaps(): void {
    if (this.auth.size === 0) return;
    this.line(0, '');
    this.line(1, '# Authentication: each check variable is 1 when its credential is present (API keys: known).');
    for (const c of this.checks.values()) for (const l of c.definition) this.line(1, l);
    const variables = [...this.checks.values()].map((c) => c.variable);
    const keys = [...this.checks.keys()];
    // Routes with the same requirements share one pattern: "<route>:<check digits>" passes when one alternative has all its digits 1.
    const groups = new Map<string, string[]>();
    for (const [route, a] of this.auth) {
      const pattern = a.alternatives
        .map((schemes) => {
          const needed = new Set(schemes.map((s) => keys.indexOf(s.kind === 'apiKey' ? `key:${s.name}` : s.kind === 'basic' ? 'basic' : 'bearer')));
          return variables.map((_, i) => (needed.has(i) ? '1' : '.')).join('');
        })
        .join('|');
      const list = groups.get(pattern) ?? [];
      list.push(route);
      groups.set(pattern, list);
    }
    this.line(1, `map "$headroom_route:${variables.join('')}" $headroom_unauthorized {`);
    this.line(2, 'default 0;');
    for (const [pattern, routes] of groups) {
      for (const chunk of chunks(routes, 20)) {
        const names = chunk.map((n) => n.replace(/[.~]/g, '\\$&')).join('|');
        this.line(2, `"~^(?:${names}):(?:${pattern})$" 0;`);
        this.line(2, `"~^(?:${names}):" 1;`);
      }
    }
    this.line(1, '}');
    this.line(1, 'map $headroom_route $headroom_challenge {');
    this.line(2, 'default "";');
    for (const [route, a] of this.auth) if (a.challenge) this.line(2, `${route} '${a.challenge}';`);
    this.line(1, '}');
  }

  // -------------------------------------------------------------------------------------------
  // CORS

  /** One origin map per distinct origin list: `$http_origin` when allowed, else empty (no header). */
  private corsMaps(): Map<string, string> {
    const maps = new Map<string, string>();
    for (const loc of this.locs) {
      const c = this.corsOf(loc);
      if (!c || (c.origins.includes('*') && !c.credentials)) continue;
      const key = JSON.stringify(c.origins);
      if (maps.has(key)) continue;
      const name = `$headroom_cors_origin_${maps.size + 1}`;
      maps.set(key, name);
      this.line(0, '');
      this.line(1, `map $http_origin ${name} {`);
      this.line(2, c.origins.includes('*') ? 'default $http_origin;' : 'default "";');
      for (const o of c.origins) if (o !== '*') this.line(2, `${nginxString(o)} $http_origin;`);
      this.line(1, '}');
    }
    if (maps.size > 0 || this.locs.some((l) => this.corsOf(l))) {
      this.line(1, 'map "$request_method:$http_access_control_request_method" $headroom_preflight {');
      this.line(2, 'default 0;');
      this.line(2, '"~^OPTIONS:." 1;');
      this.line(1, '}');
    }
    return maps;
  }

  private corsOf(loc: Loc): CorsPolicy | undefined {
    const withCors = loc.routes.filter((r) => r.cors);
    if (withCors.length === 0) return undefined;
    if (withCors.some((r) => JSON.stringify(r.cors) !== JSON.stringify(withCors[0].cors)) || withCors.length !== loc.routes.length) {
      this.notes.add(`${loc.publicPath}: CORS is answered per path in NGINX; the policy of ${withCors[0].name} is used for every method`);
    }
    return withCors[0].cors;
  }

  private corsDirectives(loc: Loc, maps: Map<string, string>): { preflight: string[]; always: string[] } | undefined {
    const c = this.corsOf(loc);
    if (!c) return undefined;
    const origin = c.origins.includes('*') && !c.credentials ? '"*"' : maps.get(JSON.stringify(c.origins))!;
    const always = [`add_header Access-Control-Allow-Origin ${origin} always;`];
    if (origin !== '"*"') always.push('add_header Vary Origin always;');
    if (c.credentials) always.push('add_header Access-Control-Allow-Credentials true always;');
    const preflight = [...always];
    const methods = c.methods ?? loc.routes.filter((r) => r.cors).map((r) => r.method);
    preflight.push(`add_header Access-Control-Allow-Methods ${nginxString(methods.join(', '))} always;`);
    preflight.push(`add_header Access-Control-Allow-Headers ${c.headers ? nginxString(c.headers.join(', ')) : '$http_access_control_request_headers'} always;`);
    if (c.maxAge !== undefined) preflight.push(`add_header Access-Control-Max-Age ${c.maxAge} always;`);
    if (c.exposeHeaders) always.push(`add_header Access-Control-Expose-Headers ${nginxString(c.exposeHeaders.join(', '))} always;`);
    return { preflight, always };
  }

  // -------------------------------------------------------------------------------------------
  // Server

  private server(listen: { host: string; port: number }, corsMaps: Map<string, string>): void {
    const single = this.model.services.length === 1 ? this.model.services[0] : undefined;
    const many = this.model.services.length > 1;
    if (many) {
      this.line(0, '');
      this.line(1, 'map $headroom_route $headroom_upstream_host {');
      this.line(2, 'default "";');
      for (const r of this.model.routes) {
        const s = this.model.services.find((x) => x.name === r.service)!;
        this.line(2, `${r.name} ${nginxString(hostHeader(s.targets[0].host, s.targets[0].port, s.scheme))};`);
      }
      this.line(1, '}');
    }
    this.line(0, '');
    this.line(1, 'server {');
    this.line(2, `listen ${listen.host}:${listen.port};`);
    this.line(2, '# No body size limit unless the spec sets x-gateway-request-size.');
    this.line(2, 'client_max_body_size 0;');
    this.line(2, 'proxy_http_version 1.1;');
    this.line(2, 'proxy_set_header Connection "";');
    if (single) this.line(2, `proxy_set_header Host ${nginxString(hostHeader(single.targets[0].host, single.targets[0].port, single.scheme))};`);
    if (many) this.line(2, 'proxy_set_header Host $headroom_upstream_host;');
    this.line(2, 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    this.line(2, 'proxy_set_header X-Forwarded-Proto $scheme;');
    if (this.model.services.some((s) => s.scheme === 'https')) {
      this.line(2, 'proxy_ssl_server_name on;');
      this.line(2, 'proxy_ssl_verify on;');
      this.line(2, `proxy_ssl_trusted_certificate ${CA_BUNDLE};  # Debian/Ubuntu CA bundle; adjust on other systems`);
      if (single) this.line(2, `proxy_ssl_name ${nginxString(single.targets[0].host)};`);
      else this.line(2, 'proxy_ssl_name $headroom_upstream_host;');
    }
    if (this.zones.size > 0) this.line(2, 'error_page 429 = @headroom_429;');
    if (this.auth.size > 0) this.line(2, 'error_page 401 = @headroom_401;');
    for (const loc of this.locs) this.location(loc, corsMaps);
    this.line(0, '');
    this.line(2, 'location / {');
    this.line(3, 'default_type application/problem+json;');
    this.line(3, `return 404 '${problemBody(404, 'Not Found')}';`);
    this.line(2, '}');
    if (this.zones.size > 0) {
      this.line(0, '');
      this.line(2, 'location @headroom_429 {');
      this.line(3, 'default_type application/problem+json;');
      this.line(3, 'add_header Retry-After $headroom_retry_after always;');
      this.line(3, 'add_header RateLimit-Policy $headroom_ratelimit_policy always;');
      this.line(3, `return 429 '${problemBody(429, 'Too Many Requests')}';`);
      this.line(2, '}');
    }
    if (this.auth.size > 0) {
      this.line(0, '');
      this.line(2, 'location @headroom_401 {');
      this.line(3, 'default_type application/problem+json;');
      this.line(3, 'add_header WWW-Authenticate $headroom_challenge always;');
      this.line(3, `return 401 '${problemBody(401, 'Unauthorized')}';`);
      this.line(2, '}');
    }
    this.line(1, '}');
  }

  private location(loc: Loc, corsMaps: Map<string, string>): void {
    this.line(0, '');
    this.line(2, `# ${loc.routes.map((r) => `${r.method} ${r.name}`).join(', ')}`);
    this.line(2, loc.plain ? `location = ${nginxString(loc.publicPath)} {` : `location ~ ${nginxString(nginxRegex(loc.regex))} {`);
    this.line(3, `set $headroom_loc ${loc.id};`);
    const cors = this.corsDirectives(loc, corsMaps);
    if (cors) {
      this.line(3, 'if ($headroom_preflight) {');
      for (const d of cors.preflight) this.line(4, d);
      this.line(4, 'return 204;');
      this.line(3, '}');
    }
    this.line(3, 'if ($headroom_route = "") {');
    this.line(4, 'return 405;');
    this.line(3, '}');
    if (loc.routes.some((r) => this.auth.has(r.name))) {
      this.line(3, 'if ($headroom_unauthorized) {');
      this.line(4, 'return 401;');
      this.line(3, '}');
    }
    const limits = loc.routes.flatMap((r) => (r.maxBytes === undefined ? [] : [r.maxBytes]));
    if (limits.length > 0) {
      // One limit per location: the strictest, so no operation takes more than it allows.
      const min = Math.min(...limits);
      if (limits.length !== loc.routes.length || limits.some((l) => l !== min)) {
        this.notes.add(`${loc.publicPath}: NGINX has one body size limit per path; the smallest (${min} bytes) applies to every method`);
      }
      this.line(3, `client_max_body_size ${min};`);
    }
    const zones = [...new Set(loc.routes.flatMap((r) => this.routeZones.get(r.name) ?? []))];
    for (const z of zones) this.line(3, `limit_req zone=${z.name}${z.burst > 0 ? ` burst=${z.burst} nodelay` : ''};`);
    this.cacheDirectives(loc);
    if (cors) for (const d of cors.always) this.line(3, d);
    const services = [...new Set(loc.routes.map((r) => r.service))];
    const service = this.model.services.find((s) => s.name === services[0])!;
    if (services.length > 1) this.notes.add(`${loc.publicPath}: its operations use different upstreams; NGINX sends them all to ${service.name}`);
    this.line(3, `proxy_pass ${service.scheme}://${this.upstreamName(service)};`);
    this.line(2, '}');
  }
}

/** A quoted NGINX string (backslashes doubled: NGINX unescapes `\\` and `\"` inside quotes). */
function nginxString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Named captures become `$path_<name>` variables in NGINX; the prefix keeps them off NGINX's own names. */
function nginxRegex(regex: string): string {
  return regex.replace(/\(\?<([A-Za-z0-9_]+)>/g, '(?<path_$1>');
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
