// Bundles the in-editor mocha suite (test/e2e/suite) into dist-test/, one CommonJS file per suite
// file, for VS Code's extension-test harness. `vscode` and `mocha` stay external: the extension host
// provides the first, the project's node_modules the second (one mocha instance for all files).
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const base = 'test/e2e/suite';
const entryPoints = [join(base, 'index.ts')];
for (const suite of ['trusted', 'untrusted']) {
  for (const f of readdirSync(join(base, suite))) if (f.endsWith('.e2e.ts')) entryPoints.push(join(base, suite, f));
}
rmSync('dist-test', { recursive: true, force: true });
await build({
  entryPoints,
  outbase: base,
  outdir: 'dist-test',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} test file(s) into dist-test/`);
