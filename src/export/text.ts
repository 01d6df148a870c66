/**
 * What every target writes the same way: the header comment (spec, Headroom version, how to run
 * the file, what was approximated or not supported) and the notes behind it.
 */
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { HEADROOM_VERSION } from '../shared/version';
import { clusterArgs, parseListen, type ClusterOptions } from './cluster';

export { parseListen };
import type { AuthRequirement, AuthScheme, PolicyModel, Route } from './model';

export type TargetName = 'kong' | 'nginx' | 'haproxy' | 'envoy-gateway';

/**
 * Approximations and unsupported policies, one entry per distinct message with the routes it
 * concerns, in the order they were first noted (the model's route order: deterministic).
 */
export class Notes {
  private readonly entries = new Map<string, Set<string>>();

  /** Start with the model's own warnings, which every target repeats. */
  constructor(model: PolicyModel) {
    for (const w of model.warnings) this.add(w);
  }

  add(message: string, route?: string): void {
    let routes = this.entries.get(message);
    if (routes === undefined) {
      routes = new Set();
      this.entries.set(message, routes);
    }
    if (route !== undefined) routes.add(route);
  }

  /** One line per note: the message and, when it concerns routes, how many and the first few. */
  lines(): string[] {
    return [...this.entries].map(([message, set]) => {
      const routes = [...set];
      if (routes.length === 0) return message;
      const shown = routes.slice(0, 5).join(', ');
      const more = routes.length > 5 ? `, +${routes.length - 5} more` : '';
      return `${message} (${routes.length === 1 ? 'route' : `${routes.length} routes`}: ${shown}${more})`;
    });
  }
}

export interface TargetOutput {
  text: string;
  /** The approximation / not-supported lines of the header, also shown as warnings. */
  notes: string[];
}

export interface RenderOptions extends ClusterOptions {
  /** Where the NGINX / HAProxy front end listens, `ADDR:PORT`. */
  listen: string;
  /** Envoy Gateway: the Gateway the HTTPRoutes attach to, `NAME` or `NAMESPACE/NAME`. */
  gateway?: string;
  /** Who writes the file and where: what the header's regenerate and run commands say. Default: the CLI, destination unknown. */
  provenance?: Provenance;
}

/**
 * Who made the file and where it is saved. The CLI's header says how to regenerate it with
 * `headroom export` and names the file generically (it may be printed, or moved); the editor knows
 * where it saves before it renders, so its header names that file and folder, and says how to
 * regenerate it with the VS Code command (extension users have no `headroom` CLI on their PATH).
 */
export interface Provenance {
  origin: 'cli' | 'vscode';
  /** The absolute path the file is saved to, when known. */
  file?: string;
}

/** The file name each target's header uses when it does not know where the file is saved. */
const GENERIC_NAME: Record<TargetName, string> = { kong: '<this file>', nginx: 'nginx.conf', haproxy: 'haproxy.cfg', 'envoy-gateway': '<this file>' };

/**
 * How a header's run command names the file: the saved path, its folder and its name when known;
 * else the generic `DIR` and name (`nginx -p DIR -c DIR/nginx.conf`). Shell-quoted when needed.
 */
export function runPaths(target: TargetName, options: RenderOptions): { file: string; folder: string; name: string; dir: string } {
  const saved = options.provenance?.file;
  if (saved === undefined) {
    const name = GENERIC_NAME[target];
    return { file: name, folder: 'DIR', name, dir: 'DIR' };
  }
  return { file: shellWord(saved), folder: shellWord(dirname(saved)), name: shellWord(basename(saved)), dir: dirname(saved) };
}

/** A hint at a `headroom export` option, for the CLI's header only (the editor's command has no such option). */
export function cliHint(options: RenderOptions, hint: string): string {
  return options.provenance?.origin === 'vscode' ? '' : hint;
}

/** A path as one shell word: as it is when it is plain, else in single quotes. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The VS Code command's name for each target, as its gateway pick lists them. */
const TARGET_LABEL: Record<TargetName, string> = { kong: 'Kong', nginx: 'NGINX', haproxy: 'HAProxy', 'envoy-gateway': 'Envoy Gateway' };

export const DEFAULT_LISTEN = '127.0.0.1:8080';

/** The `headroom export` options (after `--target`) that make this config again: `--listen`, the cluster options, `--gateway`, each where the target takes it. */
export function exportArgs(target: TargetName, options: Pick<RenderOptions, 'listen' | 'gateway'> & ClusterOptions): string {
  const listen = (target === 'nginx' || target === 'haproxy') && options.listen !== DEFAULT_LISTEN ? ` --listen ${shellWord(options.listen)}` : '';
  const cluster = clusterArgs({
    ...(target === 'haproxy' ? { peers: options.peers, node: options.node } : {}),
    ...(target === 'kong' ? { redis: options.redis, redisPasswordEnv: options.redisPasswordEnv } : {}),
  });
  const gateway = target === 'envoy-gateway' && options.gateway ? ` --gateway ${options.gateway}` : '';
  return `${listen}${cluster}${gateway}`;
}

/** The header comment, each line prefixed with `# `. */
export function header(model: PolicyModel, target: TargetName, options: RenderOptions, usage: string[], notes: string[]): string {
  const about = [model.title && JSON.stringify(model.title), model.apiVersion].filter(Boolean).join(' ');
  const listen = (target === 'nginx' || target === 'haproxy') && options.listen !== DEFAULT_LISTEN;
  const regenerate =
    options.provenance?.origin === 'vscode'
      ? `Do not edit: regenerate it in VS Code with "Headroom: Export Gateway Policy…" → ${TARGET_LABEL[target]} on ${model.specName}${
          listen ? ` (setting headroom.export.listen: ${options.listen})` : ''
        }.`
      : `Do not edit: regenerate with \`headroom export ${model.specName} --target ${target}${exportArgs(target, options)}\`.`;
  const lines = [
    `Generated by Headroom ${HEADROOM_VERSION} from ${model.specName}${about ? ` (${about}, OpenAPI ${model.openapi})` : ` (OpenAPI ${model.openapi})`}.`,
    regenerate,
    ...usage,
    '',
  ];
  if (notes.length === 0) {
    lines.push('Approximated or not supported: nothing; every policy in the spec is expressed as written.');
  } else {
    lines.push('Approximated or not supported:');
    for (const n of notes) lines.push(`  - ${n}`);
  }
  return lines.map((l) => (l === '' ? '#' : `# ${commentText(l)}`)).join('\n') + '\n';
}

/** C0 controls and DEL: a line break among them ends the config line the text is written on. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Does text from the spec hold a character that would end or break the config line it is written on? */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** The most characters of spec text a comment line quotes: NGINX reads a comment as one word of at most 4,095 bytes. */
const COMMENT_CHARS = 1000;

/**
 * Text for a `#` comment line: control characters (a line break would end the comment, and the
 * rest would be read as configuration) written as escapes, as JSON writes them; cut with `…`
 * after COMMENT_CHARS characters.
 */
export function commentText(text: string): string {
  const escaped = text.replace(new RegExp(CONTROL.source, 'g'), (c) => JSON.stringify(c).slice(1, -1));
  if (escaped.length <= COMMENT_CHARS) return escaped;
  const cut = /[\ud800-\udbff]/.test(escaped[COMMENT_CHARS - 1]) ? COMMENT_CHARS - 1 : COMMENT_CHARS;
  return `${escaped.slice(0, cut)}…`;
}

/** Identifiers for NGINX variables, HAProxy names and env vars: letters, digits and `_` only. */
export function ident(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Identifiers for names the spec chooses (security schemes, services, query parameters), one per
 * distinct name. `form` writes a name in the characters the gateway allows (`ident` by default);
 * two names it writes alike, ignoring case (NGINX variable names and map keys ignore case, HAProxy
 * environment variables are upper case), would share one variable, ACL, key file or Secret, so
 * each of them gets the stable suffix `_` + the first 8 hex digits of the name's SHA-256 (more
 * digits if that is still taken), noted in the header. Other names keep their plain identifier.
 */
export class Identifiers {
  private readonly ids = new Map<string, string>();

  constructor(
    names: Iterable<string>,
    what: string,
    notes: Notes,
    form: (name: string) => string = ident,
    suffixed: (base: string, suffix: string) => string = (base, suffix) => `${base}_${suffix}`,
  ) {
    const byBase = new Map<string, string[]>();
    for (const name of [...new Set(names)].sort()) {
      const base = form(name).toLowerCase();
      byBase.set(base, [...(byBase.get(base) ?? []), name]);
    }
    const taken = new Set<string>();
    for (const [base, group] of byBase) {
      if (group.length > 1) continue;
      this.ids.set(group[0], form(group[0]));
      taken.add(base);
    }
    for (const group of byBase.values()) {
      if (group.length === 1) continue;
      for (const name of group) {
        const hash = createHash('sha256').update(name).digest('hex');
        let id = '';
        for (let digits = 8; digits <= hash.length && (id === '' || taken.has(id.toLowerCase())); digits += 8) id = suffixed(form(name), hash.slice(0, digits));
        taken.add(id.toLowerCase());
        this.ids.set(name, id);
      }
      const list = group.map((n) => JSON.stringify(n));
      notes.add(`${what} ${list.join(' and ')} are different names the gateway would write alike (${form(group[0])}): written ${group.map((n) => this.ids.get(n)).join(' and ')}`);
    }
  }

  /** The identifier of a name given to the constructor. */
  get(name: string): string {
    const id = this.ids.get(name);
    if (id === undefined) throw new Error(`no identifier for "${name}"`);
    return id;
  }
}

/** The names of the API-key security schemes the routes use. */
export function apiKeySchemeNames(model: PolicyModel): string[] {
  return model.routes.flatMap((r) => (r.auth ?? []).flatMap((a) => a.schemes.filter((s) => s.scheme.kind === 'apiKey').map((s) => s.scheme.name)));
}

/**
 * The limit of a window counted over a shorter `period` a target has instead: scaled down, so
 * never more requests on average than the spec allows (at least 1, so the route stays open).
 */
export function scaledLimit(requests: number, seconds: number, period: number): number {
  return Math.max(1, Math.floor((requests * period) / seconds));
}

/**
 * Target weights brought into a gateway's range 0..`max` when the largest is above it (HAProxy
 * takes 0–256, Kong 0–65535, the Gateway API 0–1,000,000): the nearest shares, rounded; 0 stays 0
 * (no traffic) and no other weight drops to 0. A target without a weight keeps none. A change is
 * noted under the upstream's name.
 */
export function scaledWeights<T extends { weight?: number }>(targets: readonly T[], max: number, gateway: string, notes: Notes, upstream: string): T[] {
  const largest = Math.max(0, ...targets.map((t) => t.weight ?? 0));
  if (largest <= max) return [...targets];
  const scaled = targets.map((t) => (t.weight === undefined || t.weight === 0 ? t : { ...t, weight: Math.max(1, Math.round((t.weight * max) / largest)) }));
  const change = targets.map((t, i) => (t.weight === undefined ? '–' : `${t.weight} → ${scaled[i].weight}`)).join(', ');
  // Rounding (and no weight below 1) can change the shares: 1,000,000 : 1 becomes 256 : 1.
  const same = targets.every((t, i) => t.weight === undefined || t.weight === 0 || scaled[i].weight! * largest === t.weight * max);
  notes.add(`Upstream ${upstream}: Target weights scaled to ${gateway}'s range 0–${max}, ${same ? 'the same shares' : 'the nearest shares it holds (rounded, none below 1)'}: ${change}`);
  return scaled;
}

/**
 * The `RateLimit-Policy` field a route's 429 carries (draft-ietf-httpapi-ratelimit-headers): one
 * policy per window, the same window written twice once, and each policy named once (a name twice
 * makes the field invalid): the route's name alone, or with the window's length when it has several.
 */
export function rateLimitPolicyField(route: string, windows: readonly { requests: number; seconds: number }[]): string {
  const distinct = windows.filter((w, i) => windows.findIndex((o) => o.requests === w.requests && o.seconds === w.seconds) === i);
  const sameLength = (w: { seconds: number }) => distinct.filter((o) => o.seconds === w.seconds).length > 1;
  return distinct
    .map((w, i) => `"${distinct.length === 1 ? route : sameLength(w) ? `${route}-${w.seconds}s-${i + 1}` : `${route}-${w.seconds}s`}";q=${w.requests};w=${w.seconds}`)
    .join(', ');
}

/** `1` → `1 second`, `3600` → `1 hour`; for messages. */
export function windowText(requests: number, window: string): string {
  return `${requests} per ${window}`;
}

/** The host (and port when not the scheme's default) a request to this target carries. */
export function hostHeader(host: string, port: number, scheme: 'http' | 'https'): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80) ? h : `${h}:${port}`;
}

/** Is this an IP address (not a name that needs DNS)? */
export function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/**
 * A raw request path (before `?`) that the gateway and the upstream may read as two different
 * paths, answered 400 before any routing: percent-encoded control characters (`%0A` lets `$`
 * match before it, `%00` ends HAProxy's string compare), encoded `.`, `/` or `\` (decoded before
 * routing, forwarded encoded), dot segments and empty segments (resolved or merged for routing,
 * forwarded as sent), and, unless a path of the spec has one, a `;` (Java servers drop
 * `;jsessionid=…` path parameters: `/admin;x` would be routed as `/{page}` and served as
 * `/admin`), and a raw `\` the same way (IIS and other Windows servers read it as `/`:
 * `/files/x\..\..\admin` would be routed as `/files/{name}` and served as `/admin`; when a path
 * of the spec has one, only a dot segment it separates). The gateway must authorise the very path
 * the upstream serves.
 */
export function ambiguousPath(model: PolicyModel): string {
  const semicolon = model.routes.some((r) => r.publicPath.includes(';')) ? '' : '|;';
  // A spec path with a `\` keeps it as a character, but never as a separator of dot segments.
  const backslash = model.routes.some((r) => r.publicPath.includes('\\')) ? String.raw`|[/\\]\.\.?\\|\\\.\.?(/|\?|$)` : String.raw`|\\`;
  return String.raw`(%([01][0-9A-Fa-f]|7[Ff]|2[EeFf]|5[Cc])|/\.\.?(/|\?|$)|//${semicolon}${backslash})`;
}

/**
 * The `Allow` field of a path's 405 (RFC 9110 §15.5.6: a 405 must carry it): the methods the
 * spec documents for the path, by the path's pattern (`Route.regex`).
 */
export function allowedMethods(model: PolicyModel): Map<string, string> {
  const byPath = new Map<string, Set<string>>();
  for (const r of model.routes) byPath.set(r.regex, (byPath.get(r.regex) ?? new Set()).add(r.method));
  return new Map([...byPath].map(([regex, methods]) => [regex, [...methods].sort().join(', ')]));
}

/** The problem+json body gateways answer with when they refuse a request. */
export function problemBody(status: number, title: string): string {
  return JSON.stringify({ type: 'about:blank', title, status });
}

/**
 * The requirements of a route this target can check. Schemes the target cannot check are noted
 * and dropped from their requirement; when a whole alternative is dropped, a client could be
 * using it, so the route's authentication is left to the upstream (noted) rather than locking
 * such clients out.
 */
export function enforceableAuth(
  route: Route,
  unsupported: (scheme: AuthScheme) => string | undefined,
  notes: Notes,
): AuthRequirement[] | undefined {
  if (route.auth === undefined) return undefined;
  const out: AuthRequirement[] = [];
  let lost = false;
  for (const requirement of route.auth) {
    const schemes = requirement.schemes.filter(({ scheme }) => {
      const reason = unsupported(scheme);
      if (reason !== undefined) notes.add(`Security scheme ${scheme.name} (${scheme.description}) is not supported by this target: ${reason}`, route.name);
      return reason === undefined;
    });
    if (schemes.length === 0) lost = true;
    else out.push({ schemes });
  }
  if (lost) {
    notes.add('Authentication is left to the upstream: one accepted security requirement cannot be checked here, so no requirement is enforced', route.name);
    return undefined;
  }
  return out;
}

/**
 * Why NGINX and HAProxy count a consumer rate limit per client address on a route: no credential,
 * or one they check for presence only (bearer, basic, OAuth tokens), which any value passes, so a
 * caller that sends a new value each time (or the same token spelled `bearer`) would get a new budget.
 */
export function consumerByAddress(scheme: AuthScheme | undefined): string {
  if (scheme === undefined || scheme.kind === 'unsupported') return 'Consumer rate limit on a route without a checked credential: counted per client address';
  return `Consumer rate limit on a route whose ${scheme.name} credential is checked for presence only (any value passes, and each new value would be a new budget): counted per client address`;
}

/**
 * Auth for gateways that check only that a bearer token or Basic credential is present (API keys
 * are checked against a list): the requirements of a route as scheme lists, the challenge of its
 * 401, and a note for each scheme checked for presence only.
 */
export function presenceAuth(
  route: Route,
  unsupported: (scheme: AuthScheme) => string | undefined,
  notes: Notes,
  gateway: string,
  jwtHint: string,
): { alternatives: AuthScheme[][]; challenge: string } | undefined {
  const requirements = enforceableAuth(route, unsupported, notes);
  if (requirements === undefined) return undefined;
  const alternatives = requirements.map((a) => a.schemes.map((s) => s.scheme));
  for (const scheme of alternatives.flat()) {
    if (scheme.kind === 'bearer') notes.add(`JWT bearer tokens are not verified by ${gateway}: only their presence is checked (${jwtHint})`, route.name);
    if (scheme.kind === 'oauth2' || scheme.kind === 'openIdConnect') notes.add(`OAuth2 / OpenID Connect is not supported by ${gateway}: only the presence of a bearer token is checked`, route.name);
    if (scheme.kind === 'basic') notes.add('HTTP Basic credentials are not verified by this file: only their presence is checked', route.name);
  }
  const first = alternatives[0][0];
  const challenge = first.kind === 'basic' ? `Basic realm="${route.service}"` : first.kind === 'apiKey' ? '' : 'Bearer';
  return { alternatives, challenge };
}
