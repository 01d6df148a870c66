// One build: bundles the CLI, the language server and the VS Code extension into dist/ (or the
// folder after --outdir). --minify: what the VSIX and the npm package ship (vscode:prepublish,
// prepack).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const outAt = process.argv.indexOf('--outdir');
const outdir = outAt === -1 ? 'dist' : process.argv[outAt + 1];
const minify = process.argv.includes('--minify');

// Precompiled schema validators for the validate rule (bundled below).
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-validators.ts'], { stdio: 'inherit' });

// Spectral is loaded only when a lint needs it (src/openapi/spectral.ts): the CLI and the server
// require it from its own bundle, dist/spectral-vendor.js, instead of carrying it in theirs.
const spectralVendor = {
  name: 'spectral-vendor',
  setup(b) {
    b.onResolve({ filter: /^\.\/spectral-vendor$/ }, () => ({ path: './spectral-vendor.js', external: true }));
  },
};

const entries = [
  // dist/cli.js is src/cli/launcher.cjs (copied below): it loads this bundle with V8's code cache.
  { in: 'src/cli/main.ts', out: 'cli-main', plugins: [spectralVendor] },
  { in: 'src/server/server.ts', out: 'server', plugins: [spectralVendor] },
  { in: 'src/openapi/spectral-vendor.ts', out: 'spectral-vendor' },
  { in: 'src/client/extension.ts', out: 'extension' },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: [e.in],
      outfile: join(outdir, `${e.out}.js`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode'],
      mainFields: ['module', 'main'],
      // Source maps for development builds only: a shipped build has none to ship.
      sourcemap: !minify,
      minify,
      // Some dependencies ship ESM only and read import.meta.url; give them the bundle's own URL.
      // process.env.NODE_ENV is read per parsed node by a Spectral dependency; it is a constant here.
      define: { 'import.meta.url': '__headroomImportMetaUrl', 'process.env.NODE_ENV': '"production"' },
      banner: { js: [e.banner, "const __headroomImportMetaUrl = require('url').pathToFileURL(__filename).href;"].filter(Boolean).join('\n') },
      plugins: e.plugins ?? [],
      logLevel: 'warning',
    }),
  ),
);
mkdirSync(outdir, { recursive: true });
copyFileSync('src/cli/launcher.cjs', join(outdir, 'cli.js'));
chmodSync(join(outdir, 'cli.js'), 0o755);
console.log(`built ${[join(outdir, 'cli.js'), ...entries.map((e) => join(outdir, `${e.out}.js`))].join(', ')}${minify ? ' (minified)' : ''}`);
