/** The layout is the architecture: the engine and the rules know no editor. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../rules/ruleset';

const root = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(name) ? [p] : [];
  });
}

test('src/core and rules/ never import vscode', () => {
  for (const file of [...sources(join(root, 'src', 'core')), ...sources(join(root, 'rules'))]) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /from ['"]vscode['"]|require\(['"]vscode['"]\)/, file);
  }
});

test('the README rule catalogue lists every rule with its default severity', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const [id, rule] of Object.entries(RULES)) {
    assert.match(readme, new RegExp(`\\| \\[\`${id}\`\\]\\(rules/docs/${id}\\.md\\) \\| ${rule.severity} \\|`), id);
  }
});
