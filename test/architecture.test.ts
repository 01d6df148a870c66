/**
 * The layout is the architecture, and imports run one way:
 *
 *   src/shared  ←  src/openapi  ←  rules  ←  src/core  ←  src/server, src/cli
 *                       ↑                                      │
 *                  src/export  ←───────────────────────────────┘
 *   src/client → src/shared only (and packages)
 *
 * `src/shared` (types, settings, protocol) imports nothing of the project; `src/openapi` (the
 * document layer) only `src/shared`; `rules/` only those two; the engine (`src/core`) never the
 * export, the server, the CLI or the editor; the export only the document layer. Only the client
 * imports `vscode`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../rules/ruleset';

const root = join(__dirname, '..');

/** Each layer and the layers it may import (itself always). */
const LAYERS: Record<string, string[]> = {
  'src/shared': [],
  'src/openapi': ['src/shared'],
  rules: ['src/openapi', 'src/shared'],
  'src/core': ['rules', 'src/openapi', 'src/shared'],
  'src/export': ['src/openapi', 'src/shared'],
  'src/server': ['src/core', 'src/export', 'rules', 'src/openapi', 'src/shared'],
  'src/cli': ['src/server', 'src/core', 'src/export', 'rules', 'src/openapi', 'src/shared'],
  'src/client': ['src/shared'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : sources(p);
    return /\.(ts|cjs|mjs)$/.test(name) ? [p] : [];
  });
}

const layerOf = (file: string): string | undefined => {
  const rel = relative(root, file).split('\\').join('/');
  return Object.keys(LAYERS).find((l) => rel === l || rel.startsWith(l + '/'));
};

/** Every module specifier a file imports or requires (static and dynamic). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

test('every layer imports only the layers below it (and packages)', () => {
  const violations: string[] = [];
  for (const layer of Object.keys(LAYERS)) {
    for (const file of sources(join(root, layer))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        // Data, not code: the version (package.json) and the annotation schema (schemas/), read at build time.
        if (relative(root, target) === 'package.json' || relative(root, target).startsWith('schemas/')) continue;
        const to = layerOf(target);
        if (to === layer) continue;
        if (to === undefined || !LAYERS[layer].includes(to)) violations.push(`${relative(root, file)} imports ${spec} (${to ?? 'outside the layers'})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('only the VS Code client imports vscode', () => {
  const offenders = Object.keys(LAYERS)
    .filter((l) => l !== 'src/client')
    .flatMap((l) => sources(join(root, l)))
    .filter((file) => specifiers(readFileSync(file, 'utf8')).includes('vscode'))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});

test('the layer table sees every source folder', () => {
  const folders = ['src', 'rules'].flatMap((top) => (top === 'rules' ? ['rules'] : readdirSync(join(root, 'src')).map((d) => `src/${d}`)));
  assert.deepEqual(folders.filter((f) => !(f in LAYERS)), []);
});

test('the README rule catalogue lists every rule with its default severity', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const [id, rule] of Object.entries(RULES)) {
    assert.match(readme, new RegExp(`\\| \\[\`${id}\`\\]\\(rules/docs/${id}\\.md\\) \\| ${rule.severity} \\|`), id);
  }
});
