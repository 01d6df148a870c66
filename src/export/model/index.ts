/**
 * Build the neutral gateway policy model (types in `types.ts`) from a loaded document: services
 * and upstreams from `servers` (or `x-gateway-upstream`), one route per operation, and per route
 * the policies in force (operation > path item > root; `false` switches an inherited one off)
 * plus authentication from the effective `security`.
 *
 * Annotations are checked first with the same schema and messages as the lint rule
 * `ratelimit-policy-valid`; a bad one is an error finding on the exact node and no model is built.
 */
import { httpMethod, isObject, type JsonPath, type Operation } from '../../openapi/spec';
import type { Finding } from '../../shared/types';
import type { LoadedSpec } from '../load';
import { hasControlCharacter } from '../text';
import { checkAnnotations } from './annotations';
import { ModelContext } from './context';
import { routeNames, slug, unique } from './names';
import { compareRoutes, joinPath, pathRegex } from './paths';
import { cache, cors, kongPlugins, maxBytes, optional, rateLimit } from './policies';
import { SecurityReader } from './security';
import { basePathOf, serviceBaseName, serversOf, upstreamOf } from './servers';
import { RULES, type HttpMethod, type PolicyModel, type Route, type Service } from './types';

export * from './types';
export { compareRoutes, pathRegex } from './paths';
export { slug } from './names';

/** Methods every target can route (see HttpMethod). */
const ROUTABLE_METHOD = /^[A-Z]+$/;

export type ModelResult = { ok: true; model: PolicyModel; findings: Finding[] } | { ok: false; findings: Finding[] };

/** Build the model, or return the annotation errors that prevent it. */
export function buildModel(loaded: LoadedSpec): ModelResult {
  const ctx = new ModelContext(loaded);
  const ops = ctx.spec.operations().filter((op) => {
    if (hasControlCharacter(op.pathKey)) {
      // Written into a config, it would end the line it stands on (and could start a directive).
      ctx.warnOnce(op.path, `${httpMethod(op)} ${JSON.stringify(op.pathKey)} is not exported: its path holds a control character (a line break, a tab…), which no request path can.`);
      return false;
    }
    const cut = /[?#]/.exec(op.pathKey)?.[0];
    if (cut !== undefined) {
      // A request path never holds them: `?` starts a URL's query, `#` its fragment (never sent).
      ctx.warnOnce(op.path, `${httpMethod(op)} ${op.pathKey} is not exported: its path holds "${cut}", which starts a URL's ${cut === '?' ? 'query' : 'fragment'}, so no request path can match it${cut === '?' ? '; declare query parameters as parameters' : ''}.`);
      return false;
    }
    if (ROUTABLE_METHOD.test(httpMethod(op))) return true;
    ctx.warnOnce(op.path, `${httpMethod(op)} ${op.pathKey} is not exported: gateways route only methods made of capital letters (A-Z).`);
    return false;
  });
  checkAnnotations(ctx, ops);
  if (ctx.findings.some((f) => f.severity === 'error')) return { ok: false, findings: ctx.findings };

  const security = new SecurityReader(ctx);
  const services = new Map<string, Service>();
  const serviceNames = new Set<string>();
  const mainName = serviceBaseName(loaded.root);
  const names = routeNames(ops);
  const routes: Route[] = [];
  const clusterScopes = new Map<string, JsonPath>();
  const clusterScoped = (path: JsonPath) => clusterScopes.set(JSON.stringify(path), path);
  for (const op of ops) {
    const servers = serversOf(ctx, op);
    const upstream = upstreamOf(ctx, op, servers);
    const key = JSON.stringify(upstream);
    let service = services.get(key);
    if (service === undefined) {
      const base = services.size === 0 ? mainName : `${mainName}-${slug(upstream.targets[0]?.host ?? 'upstream')}`;
      service = { name: unique(base, serviceNames, true), ...upstream };
      services.set(key, service);
    }
    routes.push(route(ctx, security, op, service.name, names.get(op)!, basePathOf(ctx, servers), clusterScoped));
  }
  routes.sort(compareRoutes);
  if (routes.length === 0) ctx.report(['paths'], RULES.export, 'warn', 'The spec has no operations under paths: the gateway exposes nothing (every request answers 404).');
  const info = isObject(loaded.root.info) ? loaded.root.info : {};
  return {
    ok: true,
    findings: ctx.findings,
    model: {
      specName: loaded.file.split(/[\\/]/).pop() ?? loaded.file,
      title: typeof info.title === 'string' ? info.title : '',
      apiVersion: typeof info.version === 'string' || typeof info.version === 'number' ? String(info.version) : '',
      openapi: loaded.version,
      services: [...services.values()],
      routes,
      clusterScopes: [...clusterScopes.values()],
      warnings: ctx.findings.filter((f) => f.severity === 'warn').map((f) => f.message),
    },
  };
}

function route(ctx: ModelContext, security: SecurityReader, op: Operation, service: string, name: string, basePath: string, clusterScoped: (path: JsonPath) => void): Route {
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
    rateLimit: rateLimit(ctx, op, clusterScoped),
    ...optional('cache', cache(ctx, op, method)),
    ...optional('cors', cors(ctx, op)),
    ...optional('maxBytes', maxBytes(ctx, op)),
    ...optional('auth', security.auth(op)),
    kongPlugins: kongPlugins(ctx, op),
  };
}
