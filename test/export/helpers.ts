/** Shared by the export tests: validators for each target's output and gateway binaries. */
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { KongPluginChecker } from '../../src/export/kongSchemas';

export const ROOT = join(__dirname, '..', '..');
export const SHARED = join(ROOT, '..', 'shared');
export const DECK_SCHEMA = join(SHARED, 'schemas', 'kong-deck-3.0.schema.json');

/** The path of a binary on PATH or in the usual sbin folders, or undefined. */
export function findBinary(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin']) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export const NGINX = findBinary('nginx');
export const HAPROXY = findBinary('haproxy');

let deckValidate: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/**
 * Problems with a decK file: against decK's own JSON Schema (when ../shared is there) and every
 * plugin config against Headroom's Kong plugin schemas (plugins without one pass). `[]` when valid.
 */
export function kongProblems(text: string): string[] {
  const doc = parse(text);
  const problems: string[] = [];
  if (existsSync(DECK_SCHEMA)) {
    if (deckValidate === undefined) {
      const ajv = new Ajv04({ allErrors: true, strict: false });
      deckValidate = ajv.compile(JSON.parse(readFileSync(DECK_SCHEMA, 'utf8')));
    }
    if (!deckValidate(doc)) problems.push(...((deckValidate.errors as { instancePath: string; message: string }[]) ?? []).map((e) => `decK ${e.instancePath} ${e.message}`));
  }
  const checker = new KongPluginChecker();
  const plugins = (doc.services ?? []).flatMap((s: any) => [...(s.plugins ?? []), ...(s.routes ?? []).flatMap((r: any) => r.plugins ?? [])]);
  for (const p of plugins) {
    for (const e of checker.check(p.name, p.config ?? {})) problems.push(`${p.name}: ${e.message}`);
  }
  return problems;
}

/** A fresh folder the NGINX worker user can read (it runs as nobody when started by root). */
export function gatewayDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * `nginx -t` on a config, in a throw-away prefix. NGINX resolves upstream host names while
 * testing; where there is no DNS (CI), `resolveHostsLocally` points named upstream servers at
 * 127.0.0.1 first (only the address changes; everything else is tested as written).
 */
export function nginxTest(config: string, resolveHostsLocally = false): { ok: boolean; output: string } {
  const dir = gatewayDir('headroom-nginx-t-');
  try {
    const text = resolveHostsLocally ? config.replace(/^(\s+server )(?!\d+\.\d+\.\d+\.\d+[:\s])(?!\[)[^\s:]+:/gm, '$1127.0.0.1:') : config;
    writeFileSync(join(dir, 'nginx.conf'), text);
    const r = spawnSync(NGINX!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `haproxy -c` on a config, run from a throw-away folder. */
export function haproxyCheck(config: string): { ok: boolean; output: string } {
  const dir = gatewayDir('headroom-haproxy-c-');
  try {
    writeFileSync(join(dir, 'haproxy.cfg'), config);
    const r = spawnSync(HAPROXY!, ['-c', '-f', 'haproxy.cfg'], { cwd: dir, encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names of the plugins a decK file uses. */
export function kongPluginNames(text: string): string[] {
  const doc = parse(text);
  return (doc.services ?? []).flatMap((s: any) => [...(s.plugins ?? []), ...(s.routes ?? []).flatMap((r: any) => r.plugins ?? [])]).map((p: any) => p.name);
}

export const CRDS = join(ROOT, 'test', 'fixtures', 'export', 'crds');

let crdValidators: Map<string, ValidateFunction> | undefined;

/** `apiVersion kind` → validator of `spec.versions[].schema.openAPIV3Schema`, for every CRD in test/fixtures/export/crds. */
function crdValidatorsByKind(): Map<string, ValidateFunction> {
  if (crdValidators) return crdValidators;
  crdValidators = new Map();
  // OpenAPI v3 schemas with Kubernetes extensions: unknown keywords (x-kubernetes-*) ignored,
  // formats (int32, int64, byte…) not checked.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  for (const folder of readdirSync(CRDS, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(CRDS, folder.name)).filter((f) => f.endsWith('.yaml'))) {
      const crd = parse(readFileSync(join(CRDS, folder.name, file), 'utf8'));
      for (const version of crd.spec.versions) {
        crdValidators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(version.schema.openAPIV3Schema));
      }
    }
  }
  return crdValidators;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Problems with an Envoy Gateway export: every document against its CRD schema, names valid
 * (DNS-1123 labels) and unique per kind, and every HTTPRoute / Backend / policy target that is
 * referred to defined in the file. `[]` when valid.
 */
export function envoyGatewayProblems(text: string): string[] {
  const problems: string[] = [];
  const validators = crdValidatorsByKind();
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  const names = new Map<string, Set<string>>();
  for (const [i, doc] of docs.entries()) {
    const where = `document ${i + 1} (${doc?.kind} ${doc?.metadata?.name})`;
    const validate = validators.get(`${doc?.apiVersion} ${doc?.kind}`);
    if (validate === undefined) {
      problems.push(`${where}: no CRD schema for ${doc?.apiVersion} ${doc?.kind}`);
      continue;
    }
    if (!validate(doc)) for (const e of validate.errors ?? []) problems.push(`${where}: ${e.instancePath} ${e.message}`);
    const name = String(doc.metadata?.name);
    if (!DNS_LABEL.test(name) || name.length > 63) problems.push(`${where}: name is not a DNS-1123 label`);
    const taken = names.get(doc.kind) ?? new Set();
    if (taken.has(name)) problems.push(`${where}: a second ${doc.kind} of that name`);
    taken.add(name);
    names.set(doc.kind, taken);
  }
  for (const doc of docs) {
    for (const rule of doc?.kind === 'HTTPRoute' ? doc.spec.rules : []) {
      for (const ref of rule.backendRefs ?? []) if (!names.get(ref.kind)?.has(ref.name)) problems.push(`HTTPRoute ${doc.metadata.name}: backendRef ${ref.kind} ${ref.name} is not in the file`);
    }
    for (const ref of doc?.spec?.targetRefs ?? []) if (!names.get(ref.kind)?.has(ref.name)) problems.push(`${doc.kind} ${doc.metadata.name}: targetRef ${ref.kind} ${ref.name} is not in the file`);
  }
  return problems;
}
