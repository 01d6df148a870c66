// One build: bundles the CLI, the language server and the VS Code extension into dist/ (or the
// folder after --outdir). --minify: what the VSIX and the npm package ship (vscode:prepublish,
// prepack).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

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
  { in: 'src/cli/main.ts', out: 'cli-main', plugins: [spectralVendor], sharesLibs: true },
  { in: 'src/server/server.ts', out: 'server', plugins: [spectralVendor], sharesLibs: true },
  { in: 'src/openapi/spectral-vendor.ts', out: 'spectral-vendor', sharesLibs: true },
  { in: 'src/client/extension.ts', out: 'extension' },
];

const options = (e) => ({
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
  banner: { js: "const __headroomImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  plugins: e.plugins ?? [],
  logLevel: 'warning',
});

// Each library once: the packages that both Headroom's bundles (CLI, server) and Spectral's use
// (Ajv, lodash, the YAML parser, @stoplight/json, …) go into dist/libs.js, which both require,
// instead of into each. A first build finds them and every module the bundles import from them;
// only a package's top-level copy is shared (a nested other version stays where it is).
const NODE_MODULES = resolve('node_modules') + sep;
const packageOf = (file) => {
  if (!file.startsWith(NODE_MODULES)) return undefined;
  const rest = file.slice(NODE_MODULES.length).split(sep);
  if (rest.includes('node_modules')) return undefined;
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
};

/** Records (pass 1) or redirects to dist/libs.js (pass 2) every import that enters a package from outside it. */
function sharedLibs(record, shared) {
  return {
    name: 'shared-libs',
    setup(b) {
      b.onResolve({ filter: /^\.\/libs\.js$/ }, () => ({ path: './libs.js', external: true }));
      b.onResolve({ filter: /^[^.]|^\.\.?\// }, async (args) => {
        if (args.pluginData?.inner || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
        if (r.errors.length > 0 || r.external) return undefined;
        const target = packageOf(r.path);
        if (target === undefined || target === packageOf(args.importer)) return undefined;
        const key = relative(NODE_MODULES, r.path).split(sep).join('/');
        if (record) {
          record.set(key, r.path);
          return undefined;
        }
        // The virtual module is CommonJS whatever the file it stands for (`.mjs` included).
        return shared.has(target) ? { path: `${key}.cjs`, namespace: 'headroom-libs', pluginData: { key } } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'headroom-libs' }, (args) => ({ contents: `module.exports = require('./libs.js')[${JSON.stringify(args.pluginData.key)}];`, loader: 'js' }));
    },
  };
}

const sharing = entries.filter((e) => e.sharesLibs);
const crossings = new Map();
const firstPass = await Promise.all(
  sharing.map((e) => build({ ...options(e), write: false, metafile: true, sourcemap: false, minify: false, plugins: [...(e.plugins ?? []), sharedLibs(crossings)] })),
);
const packagesOf = (result) => new Set(Object.keys(result.metafile.inputs).map((f) => packageOf(resolve(f))).filter(Boolean));
const ours = new Set([...packagesOf(firstPass[0]), ...packagesOf(firstPass[1])]);
const shared = new Set([...packagesOf(firstPass[2])].filter((p) => ours.has(p)));
const libsEntry = join(tmpdir(), `headroom-libs-${process.pid}.cjs`);
writeFileSync(
  libsEntry,
  `module.exports = {\n${[...crossings]
    .filter(([key]) => shared.has(packageOf(resolve(NODE_MODULES, key))))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, file]) => `  ${JSON.stringify(key)}: require(${JSON.stringify(file)}),`)
    .join('\n')}\n};\n`,
);

const built = await Promise.all([
  ...entries.map((e) => build({ ...options(e), metafile: true, plugins: [...(e.plugins ?? []), ...(e.sharesLibs ? [sharedLibs(undefined, shared)] : [])] })),
  build({ ...options({ in: libsEntry, out: 'libs' }), metafile: true, nodePaths: [resolve('node_modules')] }),
]);
rmSync(libsEntry);
// Which packages each bundle holds (not shipped: the package takes dist/*.js): test/package checks that none is in two.
writeFileSync(join(outdir, 'bundles.json'), JSON.stringify(Object.fromEntries([...entries, { out: 'libs' }].map((e, i) => [e.out, [...packagesOf(built[i])].sort()])), null, 1));
mkdirSync(outdir, { recursive: true });
copyFileSync('src/cli/launcher.cjs', join(outdir, 'cli.js'));
chmodSync(join(outdir, 'cli.js'), 0o755);
console.log(`built ${[join(outdir, 'cli.js'), ...entries.map((e) => join(outdir, `${e.out}.js`)), join(outdir, 'libs.js')].join(', ')}${minify ? ' (minified)' : ''}; shared in libs.js: ${[...shared].sort().join(', ')}`);
