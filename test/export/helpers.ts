/** Shared by the export tests: validators for each target's output and gateway binaries. */
import Ajv04 from 'ajv-draft-04';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
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
