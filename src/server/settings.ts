/**
 * The settings of each workspace folder, as the client tells them. `headroom.ruleset` and the
 * `$ref` settings are folder-scoped (a multi-root workspace can differ per folder), so they are
 * asked per folder with `workspace/configuration` (section `headroom`, `scopeUri` the folder),
 * when the client answers that request; else they are the `initializationOptions` settings (or
 * what `workspace/didChangeConfiguration` sent), else the defaults. Trust is not a setting: it
 * comes from the client's `initializationOptions` / `headroom/configure` only.
 */
import { URI } from 'vscode-uri';
import { DEFAULT_SETTINGS, settingsFrom, type HeadroomSettings } from '../shared/settings';

/** Asks the client for the `headroom` section at a scope (`undefined`: no folder). */
export type PullSettings = (scopeUri: string | undefined) => Promise<unknown>;

/** The deepest of `folders` that holds `file`, if any. */
export function folderOf(folders: readonly string[], file: string): string | undefined {
  return folders.filter((f) => file === f || file.startsWith(f.endsWith('/') ? f : f + '/')).sort((a, b) => b.length - a.length)[0];
}

export class FolderSettings {
  private folderPaths: string[] = [];
  /** Per folder path ('' for files in no folder): the settings asked for, in flight or answered. */
  private readonly asked = new Map<string, Promise<HeadroomSettings>>();
  private readonly answered = new Map<string, HeadroomSettings>();
  private generation = 0;

  constructor(
    /** Undefined when the client does not answer `workspace/configuration`. */
    private pull: PullSettings | undefined,
    private fallback: HeadroomSettings = DEFAULT_SETTINGS,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  get folders(): readonly string[] {
    return this.folderPaths;
  }

  /** The client answers `workspace/configuration`: ask it. */
  setPull(pull: PullSettings): void {
    this.pull = pull;
    this.invalidate();
  }

  setFolders(paths: string[]): void {
    this.folderPaths = [...paths];
    this.invalidate();
  }

  /** Settings sent without being asked (initializationOptions, didChangeConfiguration): used where pulling gives nothing. */
  setFallback(raw: unknown): void {
    this.fallback = settingsFrom(raw, DEFAULT_SETTINGS);
    this.invalidate();
  }

  /** The client said settings changed: ask again. */
  invalidate(): void {
    this.generation++;
    this.asked.clear();
    this.answered.clear();
  }

  folderOf(file: string): string | undefined {
    return folderOf(this.folderPaths, file);
  }

  /**
   * The settings for `file` (those of its folder). The same promise for every file of a folder
   * until the settings change, so callers that wait on it resume in the order they asked.
   */
  of(file: string): Promise<HeadroomSettings> {
    const folder = this.folderOf(file) ?? '';
    let settings = this.asked.get(folder);
    if (!settings) {
      settings = this.ask(folder);
      this.asked.set(folder, settings);
    }
    return settings;
  }

  /** What is known now for `file`, without asking (the fallback until its folder answered). */
  known(file: string): HeadroomSettings {
    return this.answered.get(this.folderOf(file) ?? '') ?? this.fallback;
  }

  private async ask(folder: string): Promise<HeadroomSettings> {
    const generation = this.generation;
    let settings = this.fallback;
    if (this.pull) {
      try {
        const raw = await this.pull(folder === '' ? undefined : URI.file(folder).toString());
        // A client that knows no `headroom` section answers null: the fallback stands. One that
        // ignores the section answers all its settings for this server: take their `headroom`.
        const section = isObject(raw) && isObject(raw.headroom) ? raw.headroom : raw;
        if (isObject(section)) settings = settingsFrom(section, this.fallback);
      } catch (e) {
        this.warn(`workspace/configuration failed (${(e as Error)?.message ?? e}); using the initial settings`);
      }
    }
    if (generation === this.generation) this.answered.set(folder, settings);
    return settings;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
