/**
 * The baseline in the editor (`headroom.baseline`, `headroom.knownFindings`): findings recorded in
 * the workspace folder's baseline are shown as hints or hidden, so new ones stand out. The file is
 * re-read when it changes on disk (size and mtime); a corrupt or foreign one is reported once in
 * the output and ignored (every finding shows, nothing passes silently).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Baseline, BaselineError } from '../core/baseline';
import type { Finding } from '../shared/types';
import type { HeadroomSettings } from '../shared/settings';

export const DEFAULT_BASELINE = '.headroom-baseline.json';

export class EditorBaseline {
  private readonly cache = new Map<string, { stamp: string; baseline: Baseline | undefined }>();

  constructor(
    /** The settings of the workspace folder that holds a file. */
    private readonly settings: (file: string) => HeadroomSettings,
    private readonly folderOf: (file: string) => string | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** The baseline file that applies to a spec, if one is set or present. */
  fileFor(spec: string): string | undefined {
    const folder = this.folderOf(spec) ?? dirname(spec);
    // Clients other than Headroom's (and older settings) may not send it.
    const value: unknown = this.settings(spec).baseline;
    const setting = typeof value === 'string' ? value.trim() : '';
    if (setting !== '') return isAbsolute(setting) ? setting : join(folder, setting);
    const fallback = join(folder, DEFAULT_BASELINE);
    return existsSync(fallback) ? fallback : undefined;
  }

  /** Was this (changed) file a baseline some spec uses? */
  isBaselineFile(file: string): boolean {
    return this.cache.has(file) || file.endsWith(`/${DEFAULT_BASELINE}`) || file.endsWith(`\\${DEFAULT_BASELINE}`);
  }

  /** The root's findings with the known ones as hints (or left out). */
  apply(root: string, findings: Finding[], linted: string[], dataOf?: (file: string) => unknown): Finding[] {
    const file = this.fileFor(root);
    if (file === undefined) return findings;
    const baseline = this.load(file);
    if (baseline === undefined) return findings;
    const { states } = baseline.match(findings, linted, [root], dataOf);
    const hide = this.settings(root).knownFindings === 'hide';
    const out: Finding[] = [];
    findings.forEach((f, i) => {
      if (states[i] === 'new') out.push(f);
      else if (!hide) out.push({ ...f, severity: 'hint', message: `${f.message} (known: in the baseline)` });
    });
    return out;
  }

  private load(file: string): Baseline | undefined {
    let stamp: string;
    try {
      const st = statSync(file);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      stamp = 'missing';
    }
    const cached = this.cache.get(file);
    if (cached?.stamp === stamp) return cached.baseline;
    let baseline: Baseline | undefined;
    try {
      baseline = Baseline.read(file);
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      this.warn(`Baseline not used: ${e.message}`);
    }
    this.cache.set(file, { stamp, baseline });
    return baseline;
  }
}
