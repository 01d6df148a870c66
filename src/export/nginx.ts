/**
 * NGINX target: a complete `nginx.conf` that runs as it is with `nginx -p DIR -c DIR/nginx.conf`
 * (pid, logs, temp and cache paths are relative to the prefix; no `user` directive).
 *
 * Layout: maps name the path of a request (`$uri` against case-sensitive regexes: exact paths
 * first, then the templated ones, most specific first) and its operation (method + path). One
 * front `location /` answers what needs no upstream (400 for an ambiguous path, 404, CORS
 * preflight, 405, 401) and hands the request to an internal
 * location per group of operations with the same settings (upstream, body size, cache, rate
 * limits). So every policy is exact per operation, and NGINX builds one TLS context per group, not
 * per path (a context per path costs seconds and hundreds of MB on a large spec).
 */
import type { JsonPath } from '../openapi/spec';
import type { AuthScheme, CachePolicy, CorsPolicy, PolicyModel, RateWindow, Route, Service } from './model';
import { allowedMethods, ambiguousPath, apiKeySchemeNames, commentText, consumerByAddress, header, hostHeader, ident, Identifiers, isIp, Notes, parseListen, presenceAuth, problemBody, rateLimitPolicyField, runPaths, type RenderOptions, type TargetOutput, windowText } from './text';

/** One `limit_req_zone`: a rate, and the burst of its `limit_req`. */
interface Zone {
  name: string;
  rate: string;
  burst: number;
  /** route name → key expression */
  keys: Map<string, string>;
}

/** Operations proxied by one internal location: same upstream, body limit, cache policy. */
interface Group {
  id: string;
  service: Service;
  maxBytes?: number;
  cache?: CachePolicy;
  routes: Route[];
}

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export function renderNginx(model: PolicyModel, options: RenderOptions): TargetOutput {
  return new NginxWriter(model, options).render();
}

/** NGINX reads a configuration through a 4 KiB buffer: a word (a quoted string, a comment) must fit in it. */
const NGINX_MAX_WORD_BYTES = 4095;

/**
 * The words of a rendered configuration NGINX would refuse as "too long parameter", with the
 * line each starts on. Words as NGINX's reader splits them: quoted strings (backslash escapes),
 * `#` comments to the end of the line, bare words up to white space or `;{}`.
 */
function nginxLongWords(config: string): { line: number; word: string }[] {
  const long: { line: number; word: string }[] = [];
  let line = 1;
  let i = 0;
  while (i < config.length) {
    const c = config[i];
    if (c === '\n') line++;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === ';' || c === '{' || c === '}') {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      for (i++; i < config.length && config[i] !== c; i++) if (config[i] === '\\') i++;
      i++;
    } else if (c === '#') {
      while (i < config.length && config[i] !== '\n') i++;
    } else {
      while (i < config.length && !/[\s;{}]/.test(config[i])) i++;
    }
    const word = config.slice(start, i);
    if (Buffer.byteLength(word) > NGINX_MAX_WORD_BYTES) long.push({ line, word });
    line += word.split('\n').length - 1;
  }
  return long;
}

/** Words NGINX would refuse as too long, at the path they come from when one does (the first word of each cause). */
export function nginxUnloadable(text: string, model: PolicyModel): { path: JsonPath; message: string }[] {
  const limit = NGINX_MAX_WORD_BYTES.toLocaleString('en-US');
  const causes = new Map<string, { path: JsonPath; message: string }>();
  for (const { line, word } of nginxLongWords(text)) {
    const bytes = Buffer.byteLength(word).toLocaleString('en-US');
    const route = model.routes.find((r) => word.includes(nginxRegex(r.regex)) || word.includes(r.name));
    if (route === undefined) {
      causes.set(`line ${line}`, { path: [], message: `NGINX cannot load this export: line ${line} holds a word of ${bytes} bytes (${JSON.stringify(word.slice(0, 40))}…), and NGINX reads at most ${limit} bytes in one word.` });
      continue;
    }
    const what = word.includes(route.name) ? `the route name "${route.name.slice(0, 40)}…"` : 'the path';
    const cause = `${route.pathTemplate} ${what}`;
    if (causes.has(cause)) continue;
    causes.set(cause, { path: ['paths', route.pathTemplate], message: `NGINX cannot load this export: ${what} makes a ${bytes}-byte word on line ${line} of the config, and NGINX reads at most ${limit} bytes in one word; shorten it.` });
  }
  return [...causes.values()];
}

class NginxWriter {
  private readonly notes: Notes;
  private readonly out: string[] = [];
  /** Path regex → path id (`P1`…), in the model's order (most specific first). */
  private readonly paths = new Map<string, { id: string; route: Route }>();
  private readonly groups: Group[] = [];
  private readonly groupOf = new Map<string, Group>();
  private readonly zones = new Map<string, Zone>();
  /** route name → its zones */
  private readonly routeZones = new Map<string, Zone[]>();
  private readonly retryAfter = new Map<string, number>();
  private readonly policyHeader = new Map<string, string>();
  /** Auth: route name → requirements this target enforces. */
  private readonly auth = new Map<string, { alternatives: AuthScheme[][]; challenge: string }>();
  /** Check variables used, in order: scheme key → { variable, map lines }. */
  private readonly checks = new Map<string, { variable: string; definition: string[] }>();
  private readonly keyFallbacks = new Map<string, string>();
  /** Path id → its CORS policy (preflights have no operation: CORS is per path). */
  private readonly cors = new Map<string, CorsPolicy>();
  /** Identifiers of names from the spec: security schemes, services, cache vary-query parameters. */
  private readonly schemeIds: Identifiers;
  private readonly serviceIds: Identifiers;
  private readonly queryIds: Identifiers;

  constructor(
    private readonly model: PolicyModel,
    private readonly options: RenderOptions,
  ) {
    this.notes = new Notes(model);
    this.schemeIds = new Identifiers(apiKeySchemeNames(model), 'Security schemes', this.notes);
    this.serviceIds = new Identifiers(model.services.map((s) => s.name), 'Services', this.notes);
    this.queryIds = new Identifiers(model.routes.flatMap((r) => r.cache?.varyQuery ?? []), 'Cache vary-query parameters', this.notes);
    const services = new Map(model.services.map((s) => [s.name, s]));
    const groupsByKey = new Map<string, Group>();
    for (const r of model.routes) {
      if (!this.paths.has(r.regex)) this.paths.set(r.regex, { id: `P${this.paths.size + 1}`, route: r });
      const service = services.get(r.service)!;
      const key = JSON.stringify([r.service, r.maxBytes ?? null, r.cache ?? null]);
      let group = groupsByKey.get(key);
      if (group === undefined) {
        group = { id: key, service, ...(r.maxBytes !== undefined ? { maxBytes: r.maxBytes } : {}), ...(r.cache ? { cache: r.cache } : {}), routes: [] };
        this.groups.push(group);
        groupsByKey.set(key, group);
      }
      group.routes.push(r);
      this.groupOf.set(r.name, group);
    }
    this.groups.forEach((g, i) => (g.id = `G${i + 1}`));
  }

  private line(indent: number, text: string): void {
    this.out.push(text === '' ? '' : `${'    '.repeat(indent)}${text}`);
  }

  private pathId(r: Route): string {
    return this.paths.get(r.regex)!.id;
  }

  render(): TargetOutput {
    const listen = parseListen(this.options.listen);
    if (!listen) throw new Error(`invalid listen address "${this.options.listen}" (expected ADDR:PORT)`);
    for (const r of this.model.routes) {
      this.planRateLimit(r);
      this.planAuth(r);
      this.planCors(r);
      if (r.cache && !(r.cache.methods.includes('HEAD') && r.cache.methods.includes('GET'))) {
        this.notes.add('NGINX caches GET and HEAD together (HEAD is answered from the GET entry)', r.name);
      }
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
    this.routeMaps();
    this.rateLimitMaps();
    this.cachePath();
    this.varyQueryMaps();
    this.authMaps();
    this.corsMaps();
    this.server(listen);
    this.line(0, '}');
    this.variablesHashBucket();

    const lines = this.notes.lines();
    const run = runPaths('nginx', this.options);
    const usage = [
      ...(run.folder === 'DIR'
        ? ['Run it from a folder DIR holding this file: `nginx -p DIR -c DIR/nginx.conf`; logs, temp files and the']
        : [`Run it with \`nginx -p ${run.folder} -c ${run.file}\`; logs, temp files and the`]),
      `cache live in ${run.dir} (readable by the worker user when started as root).`,
      `Listens on ${this.options.listen}. Paths not in the spec answer 404; methods not documented for a path, 405.`,
    ];
    if ([...this.checks.keys()].some((k) => k.startsWith('key:'))) {
      usage.push(`API keys: one file per scheme, ${run.dir}/api-keys/<Scheme>.map (or <Scheme>-*.map), lines \`"<key>" <consumer>;\`.`);
    }
    if (this.zones.size > 0) {
      usage.push('Rate limits: NGINX limit_req is a leaky bucket. N per window W is rate N/W with burst N-1 (nodelay): the');
      usage.push('whole quota may be spent at once, then it refills steadily; an explicit burst replaces N-1.');
      usage.push('Each operation has its own budget (an inherited annotation is copied, not shared).');
    }
    return { text: header(this.model, 'nginx', this.options, usage, lines) + this.out.join('\n') + '\n', notes: lines };
  }

  /**
   * Variable names hold identifiers from the spec (header names, scheme names with their suffix):
   * NGINX's variables hash must hold the longest: a bucket holds a pointer, the name + 2 bytes
   * (pointer-aligned) and the closing pointer, so the default 64 bytes hold names up to 46 characters.
   */
  private variablesHashBucket(): void {
    const longest = Math.max(0, ...this.out.flatMap((l) => (l.match(/\$[A-Za-z0-9_]+/g) ?? []).map((v) => v.length - 1)));
    let bucket = 64;
    while (bucket < 16 + Math.ceil((longest + 2) / 8) * 8) bucket *= 2;
    if (bucket === 64) return;
    const at = this.out.indexOf('    scgi_temp_path scgi_temp;') + 1;
    this.out.splice(at, 0, `    variables_hash_bucket_size ${bucket};`);
  }

  // -------------------------------------------------------------------------------------------
  // Upstreams and routing

  private upstreamName(service: Service): string {
    return `headroom_${this.serviceIds.get(service.name)}`;
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

  /** A `map` block; `entries` are [key, value] already quoted as NGINX needs. */
  private map(source: string, variable: string, fallback: string, entries: [string, string][], comment?: string): void {
    if (comment) this.line(1, `# ${commentText(comment)}`);
    this.line(1, `map ${source} ${variable} {`);
    this.line(2, `default ${fallback};`);
    for (const [k, v] of entries) this.line(2, `${k} ${v};`);
    this.line(1, '}');
  }

  private routeMaps(): void {
    if (this.paths.size === 0) return;
    // Exact map keys are route names: the hash buckets must hold the longest (NGINX's default is 64 bytes).
    const longest = Math.max(...this.model.routes.map((r) => r.name.length + 16));
    let bucket = 64;
    while (bucket < longest + 32) bucket *= 2;
    this.line(0, '');
    if (bucket > 64) this.line(1, `map_hash_bucket_size ${bucket};`);
    if (this.model.routes.length > 1024) this.line(1, `map_hash_max_size ${2 ** Math.ceil(Math.log2(this.model.routes.length * 2))};`);
    // Exact paths are regular expressions too: NGINX matches a map's plain strings ignoring case,
    // and /ADMIN is not /admin (the upstream tells them apart, and so must every policy).
    const entries = [...this.paths.values()];
    const paths: [string, string][] = [...entries.filter((p) => p.route.plain), ...entries.filter((p) => !p.route.plain)].map(({ id, route }) => [
      nginxString(`~${nginxRegex(route.regex)}`),
      id,
    ]);
    this.map('$uri', '$headroom_path', '""', paths, 'The path of a request, case-sensitive: exact paths first, then templated ones, most specific first.');
    this.map(
      '"$request_method $headroom_path"',
      '$headroom_route',
      '""',
      this.model.routes.map((r) => [`"${r.method} ${this.pathId(r)}"`, r.name]),
      'The operation: method and path ("" = not documented).',
    );
    this.map('$headroom_operation', '$headroom_group', '""', this.model.routes.map((r) => [r.name, this.groupOf.get(r.name)!.id]), 'The internal location that proxies it.');
    const allow = allowedMethods(this.model);
    this.map('$headroom_path', '$headroom_allow', '""', [...this.paths].map(([regex, { id }]) => [id, `"${allow.get(regex)}"`]), "The path's methods, for a 405's Allow.");
  }

  // -------------------------------------------------------------------------------------------
  // Rate limits

  /** NGINX rates are whole requests per second or per minute, at least 1r/m. */
  private nginxRate(w: RateWindow, route: Route): { rate: string; perSecond: number } {
    if (w.requests % w.seconds === 0) return { rate: `${w.requests / w.seconds}r/s`, perSecond: w.requests / w.seconds };
    if ((w.requests * 60) % w.seconds === 0) return { rate: `${(w.requests * 60) / w.seconds}r/m`, perSecond: w.requests / w.seconds };
    const perMinute = Math.max(1, Math.ceil((w.requests * 60) / w.seconds));
    const unit = w.seconds >= 86400 ? 'day' : w.seconds >= 3600 ? 'hour' : w.window;
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
    this.policyHeader.set(r.name, rateLimitPolicyField(r.name, r.rateLimit));
  }

  /** What a window counts by, as an NGINX value that names the route; never empty (an empty key is not counted). */
  private keyExpression(w: RateWindow, r: Route): string {
    if (w.key.kind === 'header') return `${this.valueOrAddress(`$http_${ident(w.key.header.toLowerCase())}`)} ${r.name}`;
    if (w.key.kind === 'consumer') {
      const scheme = r.auth?.[0]?.schemes[0]?.scheme;
      if (scheme?.kind === 'apiKey') return `${this.valueOrAddress(`$headroom_consumer_${this.schemeIds.get(scheme.name)}`)} ${r.name}`;
      this.notes.add(consumerByAddress(scheme), r.name);
    }
    return `$binary_remote_addr ${r.name}`;
  }

  /** A variable holding `source`, or the client address when it is empty. */
  private valueOrAddress(source: string): string {
    let name = this.keyFallbacks.get(source);
    if (name === undefined) {
      name = `$headroom_key_${ident(source.slice(1))}`;
      this.keyFallbacks.set(source, name);
    }
    return name;
  }

  private rateLimitMaps(): void {
    if (this.zones.size === 0) return;
    this.line(0, '');
    this.line(1, '# Rate limits: one zone per rate and burst. The key names the operation (each has its own budget)');
    this.line(1, '# and is empty, so not counted, for other operations.');
    this.line(1, 'limit_req_status 429;');
    for (const [source, name] of this.keyFallbacks) this.map(source, name, source, [['""', '$binary_remote_addr']]);
    for (const zone of this.zones.values()) {
      this.map('$headroom_operation', `$${zone.name}`, '""', [...zone.keys].map(([route, key]) => [route, `"${key}"`]));
      this.line(1, `limit_req_zone $${zone.name} zone=${zone.name}:10m rate=${zone.rate};`);
    }
    this.map('$headroom_operation', '$headroom_retry_after', '""', [...this.retryAfter].map(([route, s]) => [route, String(s)]));
    this.map('$headroom_operation', '$headroom_ratelimit_policy', '""', [...this.policyHeader].map(([route, v]) => [route, `'${v}'`]));
  }

  // -------------------------------------------------------------------------------------------
  // Cache

  private cachePath(): void {
    const ttls = this.groups.flatMap((g) => (g.cache ? [g.cache.ttl] : []));
    if (ttls.length === 0) return;
    this.line(0, '');
    this.line(1, `proxy_cache_path proxy_cache levels=1:2 keys_zone=headroom_cache:10m max_size=256m inactive=${Math.max(600, ...ttls)}s use_temp_path=off;`);
    this.line(1, "# The spec's TTL governs, but a response the upstream marks private or no-store is one caller's, and one marked");
    this.line(1, '# no-cache may not be served without asking the upstream again: neither is stored. NGINX before 1.23 reads');
    this.line(1, '# only the first Cache-Control line of a response here; later ones join it from 1.23 on.');
    this.map('$upstream_http_cache_control', '$headroom_not_shared', '""', [[nginxString('~*(?:^|[,\\s])(?:private|no-store|no-cache)(?:$|[,\\s=])'), '1']]);
    this.line(1, '# The path as the client sent it (the upstream gets it so): the cache key. Keyed on the decoded');
    this.line(1, '# path, /api/%6Eews would store what the upstream answers for it under /api/news.');
    this.map('$request_uri', '$headroom_raw_path', '""', [[nginxString('~^(?<headroom_raw>[^?]*)'), '$headroom_raw']]);
  }

  /**
   * A variable per vary-query parameter holding its value (the first one, as the query string
   * carries it). Not `$arg_<name>`: it ignores case and reads `page_size` for `$arg_page_size`, so it
   * has no variable for a name such as `page-size`, and `?Page=2` would share `?page=2`'s entry.
   */
  private varyQueryMaps(): void {
    const names = [...new Set(this.groups.flatMap((g) => g.cache?.varyQuery ?? []))];
    if (names.length === 0) return;
    this.line(0, '');
    this.line(1, '# Cache vary-query parameters: the value of each (case-sensitive name, the first occurrence).');
    for (const q of names) this.map('$args', `$headroom_arg_${this.queryIds.get(q)}`, '""', [[queryValue(q), '$1']]);
    // The key reads the first occurrence of each name as written; an upstream may read another one,
    // or decode a name (`pag%65` is `page`): such a query neither uses nor fills the cache.
    this.line(1, '# A query the upstream may read otherwise than the cache key (a name sent twice, or percent-encoded) bypasses the cache.');
    const twice = names.map((q) => `(?:^|&)${regexLiteral(q)}(?:[=&]|$).*&${regexLiteral(q)}(?:[=&]|$)`);
    this.map('$args', '$headroom_query_ambiguous', '""', [[nginxString('~(?:^|&)[^=&]*%'), '1'], ...twice.map((t): [string, string] => [nginxString(`~${t}`), '1'])]);
  }

  private cacheDirectives(c: CachePolicy): void {
    const query = c.varyQuery
      ? `?${c.varyQuery
          .map((q) => this.queryIds.get(q))
          .map((id) => `${id}=$headroom_arg_${id}`)
          .join('&')}`
      : '$is_args$args';
    const vary = c.varyHeaders.map((h) => `|$http_${ident(h.toLowerCase())}`).join('');
    this.line(3, 'proxy_cache headroom_cache;');
    this.line(3, `proxy_cache_key "$scheme$host$headroom_raw_path${query}${vary}";`);
    this.line(3, `proxy_cache_valid ${c.statuses.join(' ')} ${c.ttl}s;`);
    this.line(3, 'proxy_cache_methods GET HEAD;');
    this.line(3, "# The spec's TTL governs, not the upstream's Cache-Control/Expires (as Kong's cache_control: false).");
    this.line(3, 'proxy_ignore_headers Cache-Control Expires X-Accel-Expires;');
    // A request with credentials in Authorization is one caller's (RFC 9111 §3.5): not answered from
    // the cache, its response not stored, unless the cache is keyed by Authorization.
    const byAuthorization = c.varyHeaders.some((h) => h.toLowerCase() === 'authorization');
    const bypass = [...(byAuthorization ? [] : ['$http_authorization']), ...(c.varyQuery ? ['$headroom_query_ambiguous'] : [])];
    if (bypass.length > 0) this.line(3, `proxy_cache_bypass ${bypass.join(' ')};`);
    this.line(3, `proxy_no_cache $headroom_not_shared ${bypass.join(' ')};`.replace(' ;', ';'));
    this.line(3, 'add_header X-Cache-Status $upstream_cache_status always;');
  }

  // -------------------------------------------------------------------------------------------
  // Authentication

  /**
   * The variable holding an API key as sent. A query parameter or cookie is read by a map of its
   * own, not `$arg_<name>` / `$cookie_<name>`: those ignore case (`?API_KEY=` would pass for
   * `api_key`) and exist only for names of letters, digits and `_` (`api.key` would go unchecked).
   */
  private keyVariable(scheme: AuthScheme): string {
    if (scheme.in === 'header') return `$http_${ident(scheme.param!.toLowerCase())}`;
    return `$headroom_key_${this.schemeIds.get(scheme.name)}`;
  }

  /** The map that reads a query or cookie API key into `keyVariable` (the first occurrence, its name case-sensitive). */
  private keyReader(scheme: AuthScheme): string[] {
    if (scheme.in === 'header') return [];
    const [source, key] = scheme.in === 'query' ? ['$args', queryValue(scheme.param!)] : ['$http_cookie', nginxString(`~(?:^|;\\s*)${regexLiteral(scheme.param!)}=([^;]*)`)];
    return [`map ${source} ${this.keyVariable(scheme)} {`, '    default "";', `    ${key} $1;`, '}'];
  }

  private unsupported = (scheme: AuthScheme): string | undefined => (scheme.kind === 'unsupported' ? 'NGINX has no check for it' : undefined);

  private checkKey(scheme: AuthScheme): string {
    return scheme.kind === 'apiKey' ? `key:${scheme.name}` : scheme.kind === 'basic' ? 'basic' : 'bearer';
  }

  private planAuth(r: Route): void {
    const auth = presenceAuth(r, this.unsupported, this.notes, 'open-source NGINX', 'verify them upstream or with NGINX Plus auth_jwt');
    if (auth === undefined) return;
    for (const scheme of auth.alternatives.flat()) this.check(scheme);
    this.auth.set(r.name, auth);
  }

  /** Define (once) the variable that is 1 when the scheme's credential is present (API keys: known), else 0. */
  private check(scheme: AuthScheme): void {
    const key = this.checkKey(scheme);
    if (this.checks.has(key)) return;
    if (scheme.kind === 'apiKey') {
      const id = this.schemeIds.get(scheme.name);
      this.checks.set(key, {
        variable: `$headroom_ok_${id}`,
        definition: [
          ...this.keyReader(scheme),
          `map ${this.keyVariable(scheme)} $headroom_consumer_${id} {`,
          '    default "";',
          // Globs, so a missing file is no error; `[.]map` and `-*` so that no other scheme's file
          // matches (a scheme's identifier is never another's followed by `.` or `-`).
          `    include api-keys/${id}[.]map;`,
          `    include api-keys/${id}-*.map;`,
          '}',
          `map $headroom_consumer_${id} $headroom_ok_${id} {`,
          '    default 1;',
          '    "" 0;',
          '}',
        ],
      });
    } else {
      const word = scheme.kind === 'basic' ? 'Basic' : 'Bearer';
      const variable = `$headroom_has_${word.toLowerCase()}`;
      this.checks.set(key, { variable, definition: [`map $http_authorization ${variable} {`, '    default 0;', `    "~*^${word}\\s+\\S" 1;`, '}'] });
    }
  }

  private authMaps(): void {
    if (this.auth.size === 0) return;
    this.line(0, '');
    this.line(1, '# Authentication: each check variable is 1 when its credential is present (API keys: known).');
    for (const c of this.checks.values()) for (const l of c.definition) this.line(1, l);
    const keys = [...this.checks.keys()];
    const variables = [...this.checks.values()].map((c) => c.variable);
    // Operations with the same requirements share one pattern over "<operation>:<check digits>": it
    // passes when every digit of one alternative is 1.
    const groups = new Map<string, string[]>();
    for (const [route, a] of this.auth) {
      const pattern = a.alternatives
        .map((schemes) => {
          const needed = new Set(schemes.map((s) => keys.indexOf(this.checkKey(s))));
          return variables.map((_, i) => (needed.has(i) ? '1' : '.')).join('');
        })
        .join('|');
      groups.set(pattern, [...(groups.get(pattern) ?? []), route]);
    }
    const entries: [string, string][] = [];
    for (const [pattern, routes] of groups) {
      for (let i = 0; i < routes.length; i += 20) {
        const names = routes
          .slice(i, i + 20)
          .map((n) => n.replace(/[.~]/g, '\\$&'))
          .join('|');
        entries.push([nginxString(`~^(?:${names}):(?:${pattern})$`), '0'], [nginxString(`~^(?:${names}):`), '1']);
      }
    }
    this.map(`"$headroom_operation:${variables.join('')}"`, '$headroom_unauthorized', '0', entries);
    const challenges: [string, string][] = [...this.auth].filter(([, a]) => a.challenge).map(([route, a]) => [route, `'${a.challenge}'`]);
    this.map('$headroom_operation', '$headroom_challenge', '""', challenges);
  }

  // -------------------------------------------------------------------------------------------
  // CORS (per path: a preflight names no operation)

  private planCors(r: Route): void {
    const id = this.pathId(r);
    const sameLoc = this.model.routes.filter((x) => this.pathId(x) === id);
    const withCors = sameLoc.filter((x) => x.cors);
    if (!r.cors || withCors[0] !== r) return;
    if (withCors.length !== sameLoc.length || withCors.some((x) => JSON.stringify(x.cors) !== JSON.stringify(r.cors))) {
      this.notes.add(`${r.publicPath}: CORS is answered per path in NGINX; the policy of ${r.name} is used for every method`);
    }
    this.cors.set(id, { ...r.cors, methods: r.cors.methods ?? withCors.map((x) => x.method) });
  }

  private corsMaps(): void {
    if (this.cors.size === 0) return;
    const policies: CorsPolicy[] = [];
    const policyOf = new Map<string, number>();
    for (const [id, c] of this.cors) {
      let i = policies.findIndex((p) => JSON.stringify(p) === JSON.stringify(c));
      if (i === -1) i = policies.push(c) - 1;
      policyOf.set(id, i + 1);
    }
    const byPath = (value: (c: CorsPolicy) => string | undefined): [string, string][] =>
      [...this.cors].flatMap(([id, c]) => {
        const v = value(c);
        return v === undefined ? [] : [[id, nginxString(v)] as [string, string]];
      });
    this.line(0, '');
    this.line(1, '# CORS, per path: the allowed origin is echoed (or "*"); no header for other origins.');
    this.map('$headroom_uri_path', '$headroom_cors', '""', [...policyOf].map(([id, n]) => [id, String(n)]));
    const origins: [string, string][] = [];
    policies.forEach((c, i) => {
      if (c.origins.includes('*')) origins.push([nginxString(`~^${i + 1}\\|`), c.credentials ? '$http_origin' : '"*"']);
      else for (const o of c.origins) origins.push([nginxString(`${i + 1}|${o}`), '$http_origin']);
    });
    this.map('"$headroom_cors|$http_origin"', '$headroom_cors_origin', '""', origins);
    this.map('$headroom_uri_path', '$headroom_cors_credentials', '""', byPath((c) => (c.credentials ? 'true' : undefined)));
    this.map('$headroom_uri_path', '$headroom_cors_expose', '""', byPath((c) => c.exposeHeaders?.join(', ')));
    this.map('$headroom_uri_path', '$headroom_cors_methods', '""', byPath((c) => c.methods!.join(', ')));
    this.map('$headroom_uri_path', '$headroom_cors_headers', '$http_access_control_request_headers', byPath((c) => c.headers?.join(', ')));
    this.map('$headroom_uri_path', '$headroom_cors_max_age', '""', byPath((c) => (c.maxAge === undefined ? undefined : String(c.maxAge))));
    this.map('"$request_method:$http_access_control_request_method:$headroom_cors"', '$headroom_preflight', '0', [[nginxString('~^OPTIONS:.+:.'), '1']]);
  }

  private corsHeaders(indent: number, preflight: boolean): void {
    this.line(indent, 'add_header Access-Control-Allow-Origin $headroom_cors_origin always;');
    this.line(indent, 'add_header Access-Control-Allow-Credentials $headroom_cors_credentials always;');
    if (preflight) {
      this.line(indent, 'add_header Access-Control-Allow-Methods $headroom_cors_methods always;');
      this.line(indent, 'add_header Access-Control-Allow-Headers $headroom_cors_headers always;');
      this.line(indent, 'add_header Access-Control-Max-Age $headroom_cors_max_age always;');
    } else {
      this.line(indent, 'add_header Access-Control-Expose-Headers $headroom_cors_expose always;');
    }
    this.line(indent, 'add_header Vary Origin always;');
  }

  // -------------------------------------------------------------------------------------------
  // Server

  private server(listen: { host: string; port: number }): void {
    const many = this.model.services.length > 1;
    if (many) {
      this.line(0, '');
      this.map(
        '$headroom_operation',
        '$headroom_upstream_host',
        '""',
        this.model.routes.map((r) => {
          const s = this.groupOf.get(r.name)!.service;
          return [r.name, nginxString(hostHeader(s.targets[0].host, s.targets[0].port, s.scheme))];
        }),
      );
    }
    this.line(0, '');
    this.line(1, 'server {');
    this.line(2, `listen ${listen.host}:${listen.port};`);
    const underscored = this.model.routes.some(
      (r) =>
        (r.auth ?? []).some((a) => a.schemes.some((s) => s.scheme.kind === 'apiKey' && s.scheme.in === 'header' && s.scheme.param!.includes('_'))) ||
        r.rateLimit.some((w) => w.key.kind === 'header' && w.key.header.includes('_')) ||
        (r.cache?.varyHeaders ?? []).some((h) => h.includes('_')),
    );
    if (underscored) {
      this.line(2, '# The spec names a header with "_": NGINX drops such headers unless told otherwise.');
      this.line(2, 'underscores_in_headers on;');
    }
    this.line(2, '# No body size limit unless the spec sets x-gateway-request-size.');
    this.line(2, 'client_max_body_size 0;');
    this.line(2, 'proxy_http_version 1.1;');
    this.line(2, 'proxy_set_header Connection "";');
    const single = this.model.services.length === 1 ? this.model.services[0] : undefined;
    if (single) this.line(2, `proxy_set_header Host ${nginxString(hostHeader(single.targets[0].host, single.targets[0].port, single.scheme))};`);
    if (many) this.line(2, 'proxy_set_header Host $headroom_upstream_host;');
    this.line(2, 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    this.line(2, 'proxy_set_header X-Forwarded-Proto $scheme;');
    if (this.model.services.some((s) => s.scheme === 'https')) {
      this.line(2, 'proxy_ssl_server_name on;');
      this.line(2, 'proxy_ssl_verify on;');
      this.line(2, `proxy_ssl_trusted_certificate ${CA_BUNDLE};  # Debian/Ubuntu CA bundle; adjust on other systems`);
    }
    if (this.zones.size > 0) this.line(2, 'error_page 429 = @headroom_429;');
    if (this.auth.size > 0) this.line(2, 'error_page 401 = @headroom_401;');
    this.front();
    for (const g of this.groups) this.groupLocation(g);
    if (this.zones.size > 0) {
      this.line(0, '');
      this.line(2, 'location @headroom_429 {');
      this.line(3, 'default_type application/problem+json;');
      this.line(3, 'add_header Retry-After $headroom_retry_after always;');
      this.line(3, 'add_header RateLimit-Policy $headroom_ratelimit_policy always;');
      // A browser reads Retry-After only from a response that grants its origin.
      if (this.cors.size > 0) this.corsHeaders(3, false);
      this.line(3, `return 429 '${problemBody(429, 'Too Many Requests')}';`);
      this.line(2, '}');
    }
    if (this.auth.size > 0) {
      this.line(0, '');
      this.line(2, 'location @headroom_401 {');
      this.line(3, 'default_type application/problem+json;');
      this.line(3, 'add_header WWW-Authenticate $headroom_challenge always;');
      if (this.cors.size > 0) this.corsHeaders(3, false);
      this.line(3, `return 401 '${problemBody(401, 'Unauthorized')}';`);
      this.line(2, '}');
    }
    this.line(1, '}');
  }

  /** Everything answered without an upstream, then the hand-over to the operation's group. */
  private front(): void {
    this.line(0, '');
    this.line(2, 'location / {');
    this.line(3, 'default_type application/problem+json;');
    if (this.paths.size === 0) {
      this.line(3, `return 404 '${problemBody(404, 'Not Found')}';`);
      this.line(2, '}');
      return;
    }
    this.line(3, '# A path NGINX would route decoded and normalised but forward as sent (an encoded control');
    this.line(3, "# character, `.`, `/` or `\\`; a dot or empty segment; a `;` unless a path of the spec has one) could");
    this.line(3, '# reach another operation upstream.');
    this.line(3, `if ($request_uri ~ ${nginxString(`^[^?]*${ambiguousPath(this.model)}`)}) {`);
    this.line(4, `return 400 '${problemBody(400, 'Bad Request')}';`);
    this.line(3, '}');
    this.line(3, '# Kept for the internal location, where $uri is its own name.');
    this.line(3, 'set $headroom_uri_path $headroom_path;');
    this.line(3, 'set $headroom_operation $headroom_route;');
    this.line(3, 'if ($headroom_uri_path = "") {');
    this.line(4, `return 404 '${problemBody(404, 'Not Found')}';`);
    this.line(3, '}');
    if (this.cors.size > 0) {
      this.line(3, 'if ($headroom_preflight) {');
      this.corsHeaders(4, true);
      this.line(4, 'return 204;');
      this.line(3, '}');
    }
    this.line(3, 'if ($headroom_operation = "") {');
    this.line(4, 'add_header Allow $headroom_allow always;');
    this.line(4, `return 405 '${problemBody(405, 'Method Not Allowed')}';`);
    this.line(3, '}');
    if (this.auth.size > 0) {
      this.line(3, 'if ($headroom_unauthorized) {');
      this.line(4, 'return 401;');
      this.line(3, '}');
    }
    this.line(3, 'rewrite ^ /__headroom/$headroom_group last;');
    this.line(2, '}');
  }

  private groupLocation(g: Group): void {
    this.line(0, '');
    for (const r of g.routes.slice(0, 20)) this.line(2, `# ${commentText(`${r.method} ${r.publicPath} (${r.name})`)}`);
    if (g.routes.length > 20) this.line(2, `# ... and ${g.routes.length - 20} more operations (see the map $headroom_group)`);
    this.line(2, `location = /__headroom/${g.id} {`);
    this.line(3, 'internal;');
    if (g.maxBytes !== undefined) this.line(3, `client_max_body_size ${g.maxBytes};`);
    const zones = [...new Set(g.routes.flatMap((r) => this.routeZones.get(r.name) ?? []))];
    for (const z of zones) this.line(3, `limit_req zone=${z.name}${z.burst > 0 ? ` burst=${z.burst} nodelay` : ''};`);
    if (g.cache) this.cacheDirectives(g.cache);
    if (g.routes.some((r) => this.cors.has(this.pathId(r)))) this.corsHeaders(3, false);
    if (g.service.scheme === 'https') this.line(3, `proxy_ssl_name ${nginxString(g.service.targets[0].host)};`);
    this.line(3, '# The request as the client sent it: path and query unchanged.');
    this.line(3, `proxy_pass ${g.service.scheme}://${this.upstreamName(g.service)}$request_uri;`);
    this.line(2, '}');
  }
}

/** A quoted NGINX string (backslashes doubled: NGINX unescapes `\\` and `\"` inside quotes). */
function nginxString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The map key (over `$args`) that captures a query parameter's value: its first occurrence, its name case-sensitive. */
function queryValue(name: string): string {
  return nginxString(`~(?:^|&)${regexLiteral(name)}=([^&]*)`);
}

/** Text matched literally by a regular expression. */
function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Path parameters as plain groups: NGINX would turn named captures into variables. */
function nginxRegex(regex: string): string {
  return regex.replace(/\(\?<[A-Za-z0-9_]+>/g, '(?:');
}
