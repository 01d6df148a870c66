/**
 * Ruleset loading: the built-in `headroom:recommended`, and Spectral-style ruleset files
 * (`.spectral.yaml|yml|json`) with `extends`, severity overrides, `overrides` by file glob,
 * custom `functions`, and `functionOptions`. Rulesets are plain data here, so names such as
 * `"truthy"` or `"oas3"` are mapped to the functions and formats they stand for.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { Ruleset } from '@stoplight/spectral-core';
import * as formats from '@stoplight/spectral-formats';
import { parse as parseYaml } from 'yaml';
import { guardRuleFunction } from './guard';
import { spectralCore, spectralFunctions as coreFunctions, spectralRulesets } from '../openapi/spectral';
import { readTextFile } from '../openapi/files';
import { allowsFile, within, type RefPolicy } from '../openapi/policy';
import { HEADROOM_PARSER_OPTIONS, RULES as HEADROOM_RULES } from '../../rules/ruleset';
import { headroomFunctions, headroomRecommended } from './recommended';

export const BUILTIN_RULESET = 'headroom:recommended';
export const RULESET_FILENAMES = ['.spectral.yaml', '.spectral.yml', '.spectral.json'];

export interface LoadedRuleset {
  /** The Spectral ruleset (for `headroom:recommended`, built on first use: the lean engine does not need it). */
  readonly ruleset: Ruleset;
  /** `headroom:recommended` as shipped: src/core/lean can run it without Spectral. */
  builtin?: boolean;
  /** The ruleset file, or `headroom:recommended`. */
  source: string;
  /** Every ruleset file read (to re-lint when one changes). */
  files: string[];
  /** Things the user should know (functions not loaded in an untrusted workspace, …). */
  warnings: string[];
  /**
   * Rules whose severity a ruleset file sets in its `rules` (the file or a file it extends): a
   * finding's own default severity (e.g. `auth-operation-secured` on a write) then gives way to
   * the user's. Severities in `overrides` count for the files they match (see `userSetSeverity`).
   */
  severitySetByUser: ReadonlySet<string>;
  /** Rules whose severity an `overrides` entry sets, with the files it applies to (globs relative to `dir`). */
  overrideSeverities: readonly OverrideSeverity[];
}

export interface OverrideSeverity {
  dir: string;
  files: string[];
  rules: ReadonlySet<string>;
}

export interface RulesetLoadOptions {
  /** Run JavaScript functions shipped with user rulesets (off in untrusted workspaces). */
  trustFunctions?: boolean;
  /**
   * The `$ref` policy of the specs the ruleset lints: a file it `extends`, or its functions'
   * folder, must lie inside its roots (or beside the ruleset itself), as a `$ref`ed file must.
   * Undefined: anywhere.
   */
  policy?: RefPolicy;
}

export class RulesetError extends Error {
  override name = 'RulesetError';
}

const FORMATS: Record<string, unknown> = {
  oas2: formats.oas2,
  oas3: formats.oas3,
  'oas3.0': formats.oas3_0,
  'oas3.1': formats.oas3_1,
  'oas3.2': (formats as any).oas3_2,
  asyncapi2: formats.aas2,
  'asyncapi2.0': formats.aas2_0,
  'asyncapi2.1': formats.aas2_1,
  'asyncapi2.2': formats.aas2_2,
  'asyncapi2.3': formats.aas2_3,
  'asyncapi2.4': formats.aas2_4,
  'asyncapi2.5': formats.aas2_5,
  'asyncapi2.6': formats.aas2_6,
  asyncapi3: formats.aas3,
  'json-schema': formats.jsonSchema,
  'json-schema-loose': formats.jsonSchemaLoose,
  'json-schema-draft4': formats.jsonSchemaDraft4,
  'json-schema-draft6': formats.jsonSchemaDraft6,
  'json-schema-draft7': formats.jsonSchemaDraft7,
  'json-schema-2019-09': formats.jsonSchemaDraft2019_09,
  'json-schema-2020-12': formats.jsonSchemaDraft2020_12,
  arazzo1: (formats as any).arazzo1_0,
};


const BUILTIN_EXTENDS: Record<string, () => unknown> = {
  'headroom:recommended': headroomRecommended,
  'spectral:oas': () => spectralRulesets().oas,
  'spectral:asyncapi': () => spectralRulesets().asyncapi,
  'spectral:arazzo': () => spectralRulesets().arazzo,
};

/**
 * The nearest `.spectral.{yaml,yml,json}` from `file`'s folder up to `stopAt` (inclusive). Without
 * a `stopAt` that holds the file (a spec outside the workspace's folders or the root), only the
 * file's own folder: a ruleset may run JavaScript, and one in a folder above is nobody's choice.
 */
export function findRulesetFile(file: string, stopAt?: string): string | undefined {
  let dir = dirname(resolve(file));
  const held = stopAt !== undefined && within(dir, resolve(stopAt));
  const stop = held ? resolve(stopAt!) : dir;
  for (;;) {
    for (const name of RULESET_FILENAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dir === stop) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Load `headroom:recommended` (no path) or a ruleset file. Throws RulesetError with a one-line message. */
export function loadRuleset(path: string | undefined, options: RulesetLoadOptions = {}): LoadedRuleset {
  if (path === undefined || path === BUILTIN_RULESET) {
    let ruleset: Ruleset | undefined;
    return {
      get ruleset() {
        return (ruleset ??= new (spectralCore().Ruleset)(headroomRecommended(), { severity: 'recommended' }));
      },
      builtin: true,
      source: BUILTIN_RULESET,
      files: [],
      warnings: [],
      severitySetByUser: new Set(),
      overrideSeverities: [],
    };
  }
  const abs = resolve(path);
  const loader = new Loader(options, dirname(abs));
  const definition = loader.loadFile(abs);
  // Spectral reads parser options from the top ruleset only; keep Headroom's unless the file sets its own.
  definition.parserOptions = { ...HEADROOM_PARSER_OPTIONS, ...(definition.parserOptions as object | undefined) };
  try {
    const ruleset = new (spectralCore().Ruleset)(definition as any, { severity: 'recommended', source: abs });
    return { ruleset, source: abs, files: loader.files, warnings: loader.warnings, severitySetByUser: loader.severities, overrideSeverities: loader.overrideSeverities };
  } catch (e) {
    throw new RulesetError(`invalid ruleset ${abs}: ${flattenError(e)}`);
  }
}

function flattenError(e: unknown): string {
  const err = e as { message?: string; errors?: { message: string; path?: unknown[] }[] };
  if (Array.isArray(err?.errors) && err.errors.length > 0) {
    return err.errors.map((x) => (x.path?.length ? `${x.path.join('.')}: ` : '') + x.message).join('; ');
  }
  return err?.message ?? String(e);
}

class Loader {
  readonly files: string[] = [];
  readonly warnings: string[] = [];
  readonly severities = new Set<string>();
  readonly overrideSeverities: OverrideSeverity[] = [];
  private readonly loading = new Set<string>();

  constructor(
    private readonly options: RulesetLoadOptions,
    /** The folder of the ruleset loaded: what lies beside it may be read whatever the policy. */
    private readonly home: string,
  ) {}

  /** Refuse a file outside the policy's roots (and not beside the ruleset): one line naming it. */
  private confine(file: string, what: string): void {
    const policy = this.options.policy;
    if (policy === undefined || allowsFile(policy, file) || allowsFile({ ...policy, roots: [this.home] }, file)) return;
    throw new RulesetError(`${what} is outside ${policy.hints.roots} and was not read (${policy.hints.outside})`);
  }

  loadFile(abs: string): Record<string, unknown> {
    if (this.loading.has(abs)) throw new RulesetError(`ruleset ${abs} extends itself (cycle)`);
    const text = readTextFile(abs);
    if (text instanceof Error) throw new RulesetError(`cannot read ruleset: ${text.message}`);
    this.files.push(abs);
    let raw: unknown;
    try {
      raw = /\.json$/i.test(abs) ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      throw new RulesetError(`cannot parse ruleset ${abs}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new RulesetError(`ruleset ${abs} must be a mapping with "extends" and/or "rules"`);
    }
    this.loading.add(abs);
    try {
      return this.convert(raw as Record<string, any>, dirname(abs));
    } finally {
      this.loading.delete(abs);
    }
  }

  /** Turn a ruleset as written (names) into a Spectral ruleset definition (objects). */
  private convert(def: Record<string, any>, dir: string): Record<string, unknown> {
    const functions = this.loadFunctions(def, dir);
    const out: Record<string, unknown> = { ...def };
    delete out.functions;
    delete out.functionsDir;
    if (def.extends !== undefined) out.extends = this.convertExtends(def.extends, dir);
    if (def.formats !== undefined) out.formats = this.convertFormats(def.formats);
    if (def.rules !== undefined) out.rules = this.convertRules(def.rules, functions);
    if (Array.isArray(def.overrides)) {
      out.overrides = def.overrides.map((o: Record<string, any>) => {
        const converted: Record<string, unknown> = { ...o };
        if (o.extends !== undefined) converted.extends = this.convertExtends(o.extends, dir);
        // Severities set here count only for the files the override matches.
        if (o.rules !== undefined) {
          converted.rules = this.convertRules(o.rules, functions, false);
          const rules = new Set(Object.entries(o.rules as Record<string, unknown>).filter(([, r]) => setsSeverity(r)).map(([id]) => id));
          if (rules.size > 0 && Array.isArray(o.files)) this.overrideSeverities.push({ dir, files: o.files.map(String), rules });
        }
        if (o.formats !== undefined) converted.formats = this.convertFormats(o.formats);
        return converted;
      });
    }
    return out;
  }

  private convertExtends(ext: unknown, dir: string): unknown {
    const list = typeof ext === 'string' || (Array.isArray(ext) && ext.length === 2 && typeof ext[1] === 'string' && ['off', 'recommended', 'all'].includes(ext[1]) && typeof ext[0] === 'string')
      ? [ext]
      : Array.isArray(ext)
        ? ext
        : [ext];
    return list.map((entry: unknown) => {
      if (Array.isArray(entry)) return [this.resolveExtends(entry[0], dir), entry[1]];
      return this.resolveExtends(entry, dir);
    });
  }

  private resolveExtends(name: unknown, dir: string): unknown {
    if (typeof name !== 'string') throw new RulesetError(`"extends" entries must be names or paths, got ${JSON.stringify(name)}`);
    const builtin = BUILTIN_EXTENDS[name];
    if (builtin) return builtin();
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
      throw new RulesetError(`"extends": ${name}: rulesets at URLs are not fetched (a ruleset may run code); save it beside this one and extend the file`);
    }
    if (name.startsWith('.') || isAbsolute(name) || /\.(ya?ml|json)$/i.test(name)) {
      const file = resolve(dir, name);
      this.confine(file, `"extends": ${name} (${file})`);
      return this.loadFile(file);
    }
    // An npm package: a JavaScript ruleset, so only in trusted workspaces.
    if (!this.options.trustFunctions) {
      this.warnings.push(`ruleset package "${name}" was not loaded: it runs JavaScript and the workspace is not trusted`);
      return { rules: {} };
    }
    try {
      const req = createRequire(join(dir, 'noop.js'));
      const mod = req(name);
      return mod?.default ?? mod;
    } catch (e) {
      throw new RulesetError(`cannot load ruleset "${name}": ${(e as Error).message.split('\n')[0]}`);
    }
  }

  private convertFormats(list: unknown): unknown[] {
    if (!Array.isArray(list)) throw new RulesetError('"formats" must be a list');
    return list.map((f) => {
      const fn = typeof f === 'string' ? FORMATS[f] : f;
      if (typeof fn !== 'function') throw new RulesetError(`unknown format "${String(f)}" (known: ${Object.keys(FORMATS).join(', ')})`);
      return fn;
    });
  }

  private loadFunctions(def: Record<string, any>, dir: string): Record<string, unknown> {
    const names: unknown = def.functions;
    if (names === undefined) return {};
    if (!Array.isArray(names)) throw new RulesetError('"functions" must be a list of names');
    if (!this.options.trustFunctions) {
      this.warnings.push(`custom functions ${names.join(', ')} were not loaded: they run JavaScript and the workspace is not trusted; rules using them are skipped`);
      return Object.fromEntries(names.map((n) => [String(n), UNTRUSTED]));
    }
    const fnDir = resolve(dir, typeof def.functionsDir === 'string' ? def.functionsDir : 'functions');
    this.confine(fnDir, `"functionsDir": ${fnDir}`);
    const req = createRequire(join(fnDir, 'noop.js'));
    const out: Record<string, unknown> = {};
    for (const n of names) {
      const file = ['.js', '.cjs'].map((ext) => join(fnDir, String(n) + ext)).find(existsSync);
      // A name is a file in the functions folder: `../../outside/pwn` (or a link out) is not.
      if (file) this.confine(file, `custom function "${n}" (${file})`);
      if (!file) throw new RulesetError(`custom function "${n}" not found in ${fnDir} (looked for ${n}.js, ${n}.cjs)`);
      this.files.push(file);
      try {
        const mod = req(file);
        out[String(n)] = mod?.default ?? mod;
      } catch (e) {
        throw new RulesetError(`custom function "${n}" failed to load (${file}): ${(e as Error).message.split('\n')[0]}`);
      }
    }
    return out;
  }

  private convertRules(rules: unknown, functions: Record<string, unknown>, noteSeverities = true): Record<string, unknown> {
    if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) throw new RulesetError('"rules" must be a mapping of rule id to severity or definition');
    const out: Record<string, unknown> = {};
    for (const [id, rule] of Object.entries(rules as Record<string, any>)) {
      if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
        if (noteSeverities && setsSeverity(rule)) this.severities.add(id);
        out[id] = rule;
        continue;
      }
      if (noteSeverities && setsSeverity(rule)) this.severities.add(id);
      const converted: Record<string, any> = { ...rule };
      if (rule.formats !== undefined) converted.formats = this.convertFormats(rule.formats);
      if (rule.then !== undefined) {
        const thens = Array.isArray(rule.then) ? rule.then : [rule.then];
        const mapped = thens.map((t: Record<string, any>) => ({ ...t, function: this.resolveFunction(t?.function, id, functions) }));
        // Untrusted JavaScript: the rule is left out (the warning says so).
        if (mapped.some((t: { function: unknown }) => t.function === UNTRUSTED)) continue;
        converted.then = Array.isArray(rule.then) ? mapped : mapped[0];
      }
      out[id] = converted;
    }
    return out;
  }

  private resolveFunction(name: unknown, ruleId: string, custom: Record<string, unknown>): unknown {
    if (typeof name !== 'string') return name;
    const fn = custom[name] ?? headroomFunctions()[name] ?? coreFunctions()[name];
    if (fn === undefined) throw new RulesetError(`rule "${ruleId}" uses unknown function "${name}" (declare it under "functions")`);
    return typeof fn === 'function' ? guardRuleFunction(fn as (...a: unknown[]) => unknown) : fn;
  }
}

const UNTRUSTED = Symbol('untrusted function');

/**
 * Does any enabled rule need Spectral to inline `$ref`s before it runs? Headroom's rules follow
 * `$ref`s themselves; anything else (e.g. `spectral:oas`) gets the full resolver.
 */
export function needsFullResolution(ruleset: Ruleset): boolean {
  return Object.values(ruleset.rules).some((rule) => rule.enabled && rule.resolved && !(rule.name in HEADROOM_RULES));
}

/** A rule entry that sets a severity: `warn`, `off`, `true`, `1`, or `{severity: …}`. */
function setsSeverity(rule: unknown): boolean {
  return rule === null || typeof rule !== 'object' || Array.isArray(rule) || 'severity' in rule;
}

/**
 * Did the user set this rule's severity for `file`: in `rules`, or in an `overrides` entry whose
 * `files` (globs relative to the ruleset's folder, as Spectral reads them; a `#pointer` part
 * narrows it to nodes of the file) match it?
 */
export function userSetSeverity(loaded: LoadedRuleset, file: string, name: string): boolean {
  if (loaded.severitySetByUser.has(name)) return true;
  return loaded.overrideSeverities.some((o) => o.rules.has(name) && o.files.some((f) => picomatch(f.split('#')[0], { dot: true })(relative(o.dir, file).split('\\').join('/'))));
}
