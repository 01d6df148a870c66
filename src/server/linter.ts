/**
 * The engine as the language server uses it: one Engine with an overlay of open buffers, rulesets
 * found per document and cached until one of their files changes. Knows nothing about LSP; the
 * settings come with each call (they are per workspace folder).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { Engine, type LintResult } from '../core/engine';
import { FileSource } from '../core/files';
import { YamlParseCache } from '../core/lean/incrementalYaml';
import { findRulesetFile, loadRuleset, type LoadedRuleset } from '../core/ruleset';
import type { HeadroomSettings } from '../shared/settings';
import { folderOf } from './settings';

export class Linter {
  readonly files = new FileSource();
  /** Last parse of each open YAML document: an edit re-parses only the entry it touched. */
  readonly yamlCache = new YamlParseCache();
  private readonly rulesets = new Map<string, LoadedRuleset>();
  private trusted = false;

  constructor(
    private readonly workspaceFolders: () => readonly string[],
    /** Told what a freshly loaded ruleset left out (e.g. its JavaScript in an untrusted workspace). */
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Workspace trust changed: rulesets load again (with or without their JavaScript). */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.rulesets.clear();
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** Settings changed: the `headroom.ruleset` each document falls back to may be another. */
  forgetRulesets(): void {
    this.rulesets.clear();
  }

  private makeEngine(settings: HeadroomSettings): Engine {
    const folders = [...this.workspaceFolders()];
    return new Engine({
      files: this.files,
      yamlCache: this.yamlCache,
      allowRemoteRefs: this.trusted && settings.allowRemoteRefs,
      // Outside the workspace only when allowed, and never from an untrusted one.
      confineRefsTo: this.trusted && settings.allowRefsOutsideWorkspace ? undefined : folders.length > 0 ? folders : undefined,
    });
  }

  /** The folder of the workspace that holds `file` (the deepest), if any. */
  folderOf(file: string): string | undefined {
    return folderOf(this.workspaceFolders(), file);
  }

  /** Nearest `.spectral.*` up to the workspace folder, else the `headroom.ruleset` setting, else built-in. */
  rulesetPathFor(file: string, settings: HeadroomSettings): string | undefined {
    const folder = this.folderOf(file);
    const near = findRulesetFile(file, folder);
    if (near) return near;
    const setting = settings.ruleset.trim();
    if (setting === '') return undefined;
    return isAbsolute(setting) ? setting : join(folder ?? resolve('.'), setting);
  }

  /** Throws RulesetError when the ruleset cannot be loaded. */
  rulesetFor(file: string, settings: HeadroomSettings): LoadedRuleset {
    const path = this.rulesetPathFor(file, settings);
    const key = path ?? '';
    let loaded = this.rulesets.get(key);
    if (!loaded) {
      loaded = loadRuleset(path, { trustFunctions: this.trusted });
      for (const w of loaded.warnings) this.warn(`${loaded.source}: ${w}`);
      this.rulesets.set(key, loaded);
    }
    return loaded;
  }

  /** Forget rulesets that read `file` (a ruleset, a ruleset it extends, or a function). Returns true if any. */
  invalidateRulesetFile(file: string): boolean {
    let hit = false;
    for (const [key, loaded] of this.rulesets) {
      if (key === file || loaded.files.includes(file)) {
        this.rulesets.delete(key);
        hit = true;
      }
    }
    // A new .spectral.* file may now be the nearest one for some documents.
    if (/[\\/]\.spectral\.(ya?ml|json)$/.test(file)) {
      this.rulesets.clear();
      hit = true;
    }
    return hit;
  }

  lint(file: string, settings: HeadroomSettings): Promise<LintResult> {
    // A fresh engine per lint (it is only configuration): workspace folders may have changed.
    return this.makeEngine(settings).lint(file, this.rulesetFor(file, settings));
  }
}
