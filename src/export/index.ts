/**
 * Export gateway policy from an annotated OpenAPI document: load it, build the neutral model,
 * render one target. Plain Node; used by the CLI and the language server.
 */
import { sortFindings } from '../openapi/findings';
import type { Finding } from '../shared/types';
import { renderEnvoyGateway } from './envoyGateway';
import { renderHaproxy } from './haproxy';
import { renderKong } from './kong';
import { clusterOptionProblems, type ClusterOptions } from './cluster';
import { loadSpec, type LoadOptions } from './load';
import { buildModel, RULES, type PolicyModel } from './model';
import type { JsonPath } from '../openapi/spec';
import { nginxUnloadable, renderNginx } from './nginx';
import { DEFAULT_LISTEN, parseListen, type Provenance, type RenderOptions, type TargetName, type TargetOutput } from './text';
import { stopReason } from './stopped';

export { ExportInputError } from './load';
export { defaultFileName } from './fileName';
export { DEFAULT_LISTEN, exportArgs, parseListen, shellWord, type Provenance, type TargetName } from './text';
export { stopReason } from './stopped';
export { parsePeers, parseRedis, type ClusterOptions } from './cluster';

export const TARGETS: readonly TargetName[] = ['kong', 'nginx', 'haproxy', 'envoy-gateway'];

interface Target {
  render: (model: PolicyModel, options: RenderOptions) => TargetOutput;
  /** Why this target cannot share rate-limit counters between gateway nodes with these options (undefined: it can). */
  noClusterScope: (options: ClusterOptions) => string | undefined;
  /** What in the rendered text the gateway would refuse to load, and where in the spec it comes from ([] for the document). */
  unloadable?: (text: string, model: PolicyModel) => { path: JsonPath; message: string }[];
}

const TARGET: Record<TargetName, Target> = {
  kong: { render: renderKong, noClusterScope: () => undefined },
  nginx: {
    render: renderNginx,
    unloadable: nginxUnloadable,
    noClusterScope: () =>
      'scope: cluster cannot be exported to NGINX: open-source NGINX keeps limit_req counters in each server\'s own memory and cannot share them; use scope: node, or export to haproxy (--peers), kong (policy redis) or envoy-gateway (global rate limit).',
  },
  haproxy: {
    render: renderHaproxy,
    noClusterScope: (o) =>
      o.peers === undefined ? 'scope: cluster needs HAProxy peers to share counters: export with --peers NAME=ADDR:PORT,… (every node) and --node NAME (this one).' : undefined,
  },
  'envoy-gateway': { render: renderEnvoyGateway, noClusterScope: () => undefined },
};

export interface ExportOptions extends LoadOptions, ClusterOptions {
  target: TargetName;
  /** NGINX / HAProxy listen address, `ADDR:PORT` (default 127.0.0.1:8080). */
  listen?: string;
  /** Envoy Gateway: the Gateway the HTTPRoutes attach to, `NAME` or `NAMESPACE/NAME` (default eg). */
  gateway?: string;
  /** Who writes the file and where (the header's regenerate and run commands); default: the CLI. */
  provenance?: Provenance;
}

export interface ExportResult {
  /** False when errors (annotations, parse) stopped the export; nothing should be written then. */
  ok: boolean;
  text?: string;
  /** Errors, and what the export read leniently or skipped (warnings, infos), located in the spec. */
  findings: Finding[];
  /** What the target approximates or cannot express (also in the file's header comment). */
  notes: string[];
  /** The files the export read: the spec and the files it `$ref`s (only the spec when it does not load). */
  files: string[];
  /** When not ok: why, in words that name the kind of error ("the spec has 2 syntax errors"). */
  stopped?: string;
}

/** An unknown target, or a malformed listen address, gateway name or cluster option. */
export class ExportOptionError extends Error {}

export async function exportPolicy(specPath: string, options: ExportOptions): Promise<ExportResult> {
  if (!TARGETS.includes(options.target)) throw new ExportOptionError(`unknown target "${options.target}" (${TARGETS.join(', ')})`);
  const listen = options.listen ?? DEFAULT_LISTEN;
  if (!parseListen(listen)) throw new ExportOptionError(`invalid listen address "${listen}" (expected ADDR:PORT, e.g. 127.0.0.1:8080)`);
  if (options.gateway !== undefined && !isGatewayRef(options.gateway)) {
    throw new ExportOptionError(`invalid gateway "${options.gateway}" (expected NAME or NAMESPACE/NAME, lowercase Kubernetes names: a namespace of at most 63 characters, a name of at most 253)`);
  }
  const problem = clusterOptionProblems(options, options.target === 'haproxy' ? listen : undefined)[0];
  if (problem !== undefined) throw new ExportOptionError(problem);
  const loaded = await loadSpec(specPath, options);
  if (!loaded.ok) return stopped(loaded.findings, loaded.files);
  const files = loaded.loaded.files;
  const built = buildModel(loaded.loaded);
  loaded.loaded.locateFindings();
  if (!built.ok) return stopped(sortFindings(built.findings), files);
  const target = TARGET[options.target];
  const noCluster = built.model.clusterScopes.length > 0 ? target.noClusterScope(options) : undefined;
  if (noCluster !== undefined) {
    const errors = built.model.clusterScopes.map((path) => loaded.loaded.finding(path, RULES.export, 'error', noCluster));
    loaded.loaded.locateFindings();
    return stopped(sortFindings([...built.findings, ...errors]), files);
  }
  const { target: _target, files: _files, policy: _policy, yamlCache: _yaml, jsonCache: _json, ...rest } = options;
  const out = target.render(built.model, { ...rest, listen });
  const unloadable = target.unloadable?.(out.text, built.model) ?? [];
  if (unloadable.length > 0) {
    const errors = unloadable.map((u) => loaded.loaded.finding(u.path, RULES.tooLong, 'error', u.message));
    loaded.loaded.locateFindings();
    return stopped(sortFindings([...built.findings, ...errors]), files);
  }
  return { ok: true, text: out.text, findings: sortFindings(built.findings), notes: out.notes, files };
}

function stopped(findings: Finding[], files: string[]): ExportResult {
  return { ok: false, findings, notes: [], files, stopped: stopReason(findings) };
}

/** `NAME` or `NAMESPACE/NAME`: a namespace is a DNS label (at most 63 characters), a Gateway's name a DNS subdomain (at most 253). */
function isGatewayRef(text: string): boolean {
  const slash = text.indexOf('/');
  const namespace = slash === -1 ? undefined : text.slice(0, slash);
  const name = slash === -1 ? text : text.slice(slash + 1);
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) return false;
  return name.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name);
}
