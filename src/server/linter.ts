/**
 * The engine as the language server uses it: one Engine with an overlay of open buffers, rulesets
 * found per document and cached until one of their files changes. Knows nothing about LSP; the
 * settings are those of each document's workspace folder (`settingsOf`).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { Engine, type LintResult } from '../core/engine';
import { FileSource } from '../openapi/files';
import { workspacePolicy, type RefPolicy } from '../openapi/policy';
import { YamlParseCache } from '../openapi/incrementalYaml';
import { JsonParseCache } from '../openapi/incrementalJson';
import { shapeOf } from '../openapi/tolerantJsonEdit';
import { findRulesetFile, loadRuleset, type LoadedRuleset } from '../core/ruleset';
import { DEFAULT_SETTINGS, type HeadroomSettings } from '../shared/settings';
import { folderOf } from './settings';

export class Linter {
  readonly files = new FileSource();
  /** Last parse of each open YAML document: an edit re-parses only the entry it touched. */
  readonly yamlCache = new YamlParseCache();
  /** Last parse of each open large JSON document: an edit inside one value re-parses only that value. */
  readonly jsonCache = new JsonParseCache();
  private readonly rulesets = new Map<string, LoadedRuleset>();
  private trusted = false;

  constructor(
    private readonly workspaceFolders: () => readonly string[],
    /** The settings of the workspace folder that holds a file. */
    private readonly settingsOf: (file: string) => HeadroomSettings = () => DEFAULT_SETTINGS,
    /** Told what a freshly loaded ruleset left out (e.g. its JavaScript in an untrusted workspace). */
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /**
   * Idle work after a lint of `file`: what the first key that breaks its JSON text will need
   * (the last JSON text's shape, tolerantJsonEdit.ts). False when there was nothing to do.
   */
  prepareForEdits(file: string): boolean {
    const last = this.jsonCache.last(file);
    if (last === undefined || last.shape !== undefined) return false;
    shapeOf(last);
    return true;
  }

  /** Workspace trust changed: rulesets load again (with or without their JavaScript). */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.rulesets.clear();
  }

  /** Settings changed: the `headroom.ruleset` a document falls back to may be another. */
  forgetRulesets(): void {
    this.rulesets.clear();
  }

  /**
   * The one policy for every spec file the server reads for `spec` (lint, fixes, hover, export):
   * `$ref`s stay in the workspace folders and are never remote, unless the settings of the spec's
   * folder allow more in a trusted workspace.
   */
  readonly policyFor = (spec: string): RefPolicy => {
    const settings = this.settingsOf(spec);
    return workspacePolicy(spec, {
      folders: this.workspaceFolders(),
      trusted: this.trusted,
      allowOutside: settings.allowRefsOutsideWorkspace,
      allowRemote: settings.allowRemoteRefs,
    });
  };

  private makeEngine(): Engine {
    return new Engine({ files: this.files, yamlCache: this.yamlCache, jsonCache: this.jsonCache, policyFor: this.policyFor });
  }

  /** The folder of the workspace that holds `file` (the deepest), if any. */
  folderOf(file: string): string | undefined {
    return folderOf(this.workspaceFolders(), file);
  }

  /** Nearest `.spectral.*` up to the workspace folder, else the folder's `headroom.ruleset` setting, else built-in. */
  rulesetPathFor(file: string): string | undefined {
    const folder = this.folderOf(file);
    const near = findRulesetFile(file, folder);
    if (near) return near;
    const setting = this.settingsOf(file).ruleset.trim();
    if (setting === '') return undefined;
    return isAbsolute(setting) ? setting : join(folder ?? resolve('.'), setting);
  }

  /** Throws RulesetError when the ruleset cannot be loaded. */
  rulesetFor(file: string): LoadedRuleset {
    const path = this.rulesetPathFor(file);
    const key = path ?? '';
    let loaded = this.rulesets.get(key);
    if (!loaded) {
      // What it extends is read from inside the workspace only (as \$refs are), whoever set the ruleset.
      loaded = loadRuleset(path, { trustFunctions: this.trusted, policy: this.policyFor(file) });
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

  /** `cancelled`: see Engine.lint (a lint whose result a newer edit made stale stops early). */
  lint(file: string, cancelled?: () => boolean): Promise<LintResult> {
    // A fresh engine per lint (it is only configuration): workspace folders may have changed.
    return this.makeEngine().lint(file, this.rulesetFor(file), cancelled);
  }
}
