/**
 * Services and upstreams: the servers in force for an operation (operation > path item > root,
 * OAS 2 `host` / `basePath` / `schemes`), or the `x-gateway-upstream` that overrides them, and the
 * base path clients call the operation under.
 */
import { isHostName } from '../../openapi/annotations';
import { isObject, type JsonPath, type Located, type Operation } from '../../openapi/spec';
import { hasControlCharacter } from '../text';
import type { ModelContext } from './context';
import { slug } from './names';
import type { Service, UpstreamTarget } from './types';

/** The servers in force for an operation and where they are written. */
export interface ServersInForce {
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

/** The service name the first upstream gets (`x-gateway-name` of the root, else the title's slug). */
export function serviceBaseName(root: Record<string, any>): string {
  if (typeof root['x-gateway-name'] === 'string') return root['x-gateway-name'];
  const title = isObject(root.info) && typeof root.info.title === 'string' ? slug(root.info.title) : '';
  return title || 'api';
}

/** The servers in force for an operation (operation > path item > root), parsed. */
export function serversOf(ctx: ModelContext, op: Operation): ServersInForce {
  if (ctx.spec.isOas2) return cached(ctx, ctx.rootLoc.value, () => ({ servers: oas2Servers(ctx.loaded.root), path: ['host'] }));
  for (const loc of [op as Located, op.pathItem, ctx.rootLoc]) {
    const list = (loc.value as Record<string, unknown>).servers;
    if (!Array.isArray(list) || list.length === 0) continue;
    return cached(ctx, list, () => parseServers(ctx, loc, list));
  }
  return { servers: [], path: ['servers'] };
}

/** Parsed servers per model build and `servers` list: a root list serves every operation, parsed once. */
const parsedServers = new WeakMap<ModelContext, WeakMap<object, ServersInForce>>();

function cached(ctx: ModelContext, key: object, parse: () => ServersInForce): ServersInForce {
  let lists = parsedServers.get(ctx);
  if (lists === undefined) {
    lists = new WeakMap();
    parsedServers.set(ctx, lists);
  }
  let parsed = lists.get(key);
  if (parsed === undefined) {
    parsed = parse();
    lists.set(key, parsed);
  }
  return parsed;
}

function parseServers(ctx: ModelContext, loc: Located, list: unknown[]): ServersInForce {
  const servers: ParsedServer[] = [];
  list.forEach((s, i) => {
    if (!isObject(s) || typeof s.url !== 'string') return;
    const parsed = parseServerUrl(substituteVariables(s.url, s.variables));
    if ('problem' in parsed) ctx.warnOnce([...loc.path, 'servers', i, 'url'], `Server URL "${s.url}" ${parsed.problem}; it is ignored.`);
    else servers.push(parsed);
  });
  return { servers, path: [...loc.path, 'servers'] };
}

function oas2Servers(root: Record<string, any>): ParsedServer[] {
  const basePath = normalizeBasePath(typeof root.basePath === 'string' ? root.basePath : '');
  if (typeof root.host !== 'string' || root.host === '') return [{ basePath }];
  const schemes: string[] = Array.isArray(root.schemes) ? root.schemes : [];
  const scheme = schemes.includes('https') ? 'https' : schemes.includes('http') ? 'http' : 'https';
  const parsed = parseServerUrl(`${scheme}://${root.host}`);
  return 'problem' in parsed ? [{ basePath }] : [{ ...parsed, basePath }];
}

/** Where requests for `op` go: its `x-gateway-upstream`, else the hosts of its servers. */
export function upstreamOf(ctx: ModelContext, op: Operation, { servers, path }: ServersInForce): Omit<Service, 'name'> {
  const declared = ctx.effective(op, 'x-gateway-upstream');
  if (declared && isObject(declared.value)) {
    const u = declared.value;
    const targets: UpstreamTarget[] = [];
    let scheme: 'http' | 'https' | undefined;
    (u.targets as Record<string, unknown>[]).forEach((t, i) => {
      // Its path is not used (said below), so a broken percent-encoding in it does not matter.
      const parsed = parseServerUrl(String(t.url), false);
      if ('problem' in parsed || !parsed.host) return;
      if (parsed.basePath !== '') {
        ctx.warnOnce([...declared.path, 'targets', i, 'url'], `The path of upstream target "${t.url}" is ignored: requests are forwarded with the path the client called.`);
      }
      if (scheme !== undefined && parsed.scheme !== scheme) {
        ctx.warnOnce([...declared.path, 'targets', i, 'url'], `Upstream targets mix http and https; every target is reached with ${scheme}.`);
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
    ctx.warnOnce(path, 'No server gives a host, so the upstream is http://127.0.0.1:80; declare the backend with x-gateway-upstream: {targets: [{url: "https://backend:443"}]}.');
    return { algorithm: 'round-robin', scheme: 'http', targets: [{ host: '127.0.0.1', port: 80 }], explicit: false };
  }
  const scheme = withHost[0].scheme;
  if (withHost.some((s) => s.scheme !== scheme)) {
    ctx.warnOnce(path, `The servers mix http and https; every target is reached with ${scheme}.`);
  }
  return {
    algorithm: 'round-robin',
    scheme,
    targets: dedupeTargets(withHost.map((s) => ({ host: s.host, port: s.port }))),
    explicit: false,
  };
}

/** The base path of the servers in force (the first one's when they differ, with a warning). */
export function basePathOf(ctx: ModelContext, { servers, path }: ServersInForce): string {
  if (servers.length === 0) return '';
  const base = servers[0].basePath;
  if (servers.some((s) => s.basePath !== base)) {
    ctx.warnOnce(path, `The servers have different base paths; routes use the first one ("${base || '/'}").`);
  }
  return base;
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

/**
 * `https://api.example.com:8443/v1` → scheme, host, port and base path; `/v1` → the base path only;
 * or what keeps the URL from use (said after it in the warning).
 */
function parseServerUrl(url: string, decodePath = true): ParsedServer | { problem: string } {
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || trimmed.startsWith('//')) {
    let u: URL;
    try {
      u = new URL(trimmed.startsWith('//') ? `https:${trimmed}` : trimmed);
    } catch {
      return { problem: 'is not a valid URL' };
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { problem: `is not http or https (${u.protocol.slice(0, -1)})` };
    const scheme = u.protocol === 'https:' ? 'https' : 'http';
    // A variable without a value left in the host (`{accountName}.example.com`), or other text no
    // gateway resolves: the URL parser keeps it, gateways refuse it or never reach it.
    if (!isHostName(u.hostname)) return { problem: `has no usable host ("${u.hostname}" is not a host name or an IP address)` };
    let basePath = u.pathname;
    try {
      if (decodePath) basePath = decodeURI(u.pathname);
    } catch {
      return { problem: 'has a path with a broken percent-encoding' };
    }
    // `%0A` decodes to a line break, which would end the config line the path is written on.
    if (hasControlCharacter(basePath)) return { problem: 'has a path that decodes to a control character (a line break, a tab…)' };
    return {
      scheme,
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : scheme === 'https' ? 443 : 80,
      basePath: normalizeBasePath(basePath),
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
