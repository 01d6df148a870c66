/**
 * Authentication of an operation: its effective `security` requirements, each scheme described in
 * terms a gateway can check (API key and where it travels, bearer, basic, OIDC issuer).
 */
import { isObject, type Operation } from '../../openapi/spec';
import type { ModelContext } from './context';
import type { AuthRequirement, AuthScheme } from './types';

export class SecurityReader {
  private schemes?: Map<string, AuthScheme>;

  constructor(private readonly ctx: ModelContext) {}

  private scheme(name: string): AuthScheme | undefined {
    if (this.schemes === undefined) {
      this.schemes = new Map();
      for (const [n, loc] of this.ctx.spec.securitySchemes()) this.schemes.set(n, describeScheme(n, loc.value));
    }
    return this.schemes.get(name);
  }

  /** The alternatives (any one suffices) of an operation, or undefined when it needs no authentication. */
  auth(op: Operation): AuthRequirement[] | undefined {
    const { requirements, path } = this.ctx.spec.effectiveSecurity(op);
    if (requirements.length === 0) return undefined;
    if (requirements.some((r) => Object.keys(r).length === 0)) return undefined; // `{}`: authentication is optional
    const out: AuthRequirement[] = [];
    for (const r of requirements) {
      const schemes: AuthRequirement['schemes'] = [];
      for (const name of Object.keys(r)) {
        const scheme = this.scheme(name);
        if (scheme === undefined) {
          this.ctx.warnOnce(path, `Security scheme "${name}" is not defined; requirements naming it are not enforced by the gateway.`);
          schemes.length = 0;
          break;
        }
        schemes.push({ scheme, scopes: Array.isArray(r[name]) ? r[name].filter((s: unknown): s is string => typeof s === 'string') : [] });
      }
      if (schemes.length > 0) out.push({ schemes });
    }
    return out.length > 0 ? out : undefined;
  }
}

/** Header, query parameter and cookie names the export writes as they are (real API key names all are). */
const PLAIN_NAME = /^[A-Za-z0-9_.-]+$/;

function describeScheme(name: string, s: Record<string, any>): AuthScheme {
  const type = typeof s.type === 'string' ? s.type : '';
  const lower = type.toLowerCase();
  if (lower === 'apikey' && ['header', 'query', 'cookie'].includes(s.in) && typeof s.name === 'string') {
    // The name is written into the gateway's config (a header fetch, a map key): only a plain name.
    if (!PLAIN_NAME.test(s.name)) {
      return { name, kind: 'unsupported', description: `apiKey in ${s.in} named ${JSON.stringify(s.name)}, not a name of letters, digits, "_", "." and "-"` };
    }
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
