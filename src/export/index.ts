/**
 * Export gateway policy from an annotated OpenAPI document: load it, build the neutral model,
 * render one target. Plain Node; used by the CLI and the language server.
 */
import { sortFindings } from '../openapi/findings';
import type { Finding } from '../shared/types';
import { renderHaproxy } from './haproxy';
import { renderKong } from './kong';
import { loadSpec, type LoadOptions } from './load';
import { buildModel } from './model';
import { renderNginx } from './nginx';
import { DEFAULT_LISTEN, parseListen, type RenderOptions, type TargetName, type TargetOutput } from './text';

export { ExportInputError } from './load';
export { defaultFileName } from './fileName';
export { DEFAULT_LISTEN, parseListen, type TargetName } from './text';

export const TARGETS: readonly TargetName[] = ['kong', 'nginx', 'haproxy'];

const RENDERERS: Record<TargetName, (model: Parameters<typeof renderKong>[0], options: RenderOptions) => TargetOutput> = {
  kong: renderKong,
  nginx: renderNginx,
  haproxy: renderHaproxy,
};

export interface ExportOptions extends LoadOptions {
  target: TargetName;
  /** NGINX / HAProxy listen address, `ADDR:PORT` (default 127.0.0.1:8080). */
  listen?: string;
}

export interface ExportResult {
  /** False when errors (annotations, parse) stopped the export; nothing should be written then. */
  ok: boolean;
  text?: string;
  /** Errors, and what the export read leniently or skipped (warnings, infos), located in the spec. */
  findings: Finding[];
  /** What the target approximates or cannot express (also in the file's header comment). */
  notes: string[];
}

/** An unknown target or a malformed listen address. */
export class ExportOptionError extends Error {}

export async function exportPolicy(specPath: string, options: ExportOptions): Promise<ExportResult> {
  if (!TARGETS.includes(options.target)) throw new ExportOptionError(`unknown target "${options.target}" (kong, nginx or haproxy)`);
  const listen = options.listen ?? DEFAULT_LISTEN;
  if (!parseListen(listen)) throw new ExportOptionError(`invalid listen address "${listen}" (expected ADDR:PORT, e.g. 127.0.0.1:8080)`);
  const loaded = await loadSpec(specPath, options);
  if (!loaded.ok) return { ok: false, findings: loaded.findings, notes: [] };
  const built = buildModel(loaded.loaded);
  if (!built.ok) return { ok: false, findings: sortFindings(built.findings), notes: [] };
  const out = RENDERERS[options.target](built.model, { listen });
  return { ok: true, text: out.text, findings: sortFindings(built.findings), notes: out.notes };
}
