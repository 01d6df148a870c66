/**
 * The npm package is only the product: `npm pack` of a shipped (minified) build holds the bundles,
 * the rule docs, the annotation schema, README, LICENSE and the icon — no tests, benchmarks,
 * sources or scripts —, weighs at most 3 MB, declares no runtime dependencies, and once installed
 * from the tarball into an empty folder with `--omit=dev --offline`, `npx headroom lint` works, and
 * `headroom lsp --stdio` serves an editor with rule links into the installed docs.
 * The VSIX of the same build holds the same files (and the README's images and the walkthrough's
 * pages: relative links to files inside it) and weighs at most 1.7 MB.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectionTo } from '../helpers/server';

const ROOT = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack holds only what a user runs; installed offline without dev dependencies, `npx headroom lint` and `headroom lsp --stdio` work', async () => {
  const work = mkdtempSync(join(tmpdir(), 'headroom-pack-'));
  // A staging copy with a shipped build, so this test never rewrites the dist/ other tests run.
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'rules', 'schemas', 'images', 'docs', 'media']) cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--minify', '--outdir', join(stage, 'dist')], { cwd: ROOT, stdio: 'pipe' });

  const packed = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: stage, encoding: 'utf8' }))[0] as {
    filename: string;
    size: number;
    files: { path: string }[];
  };
  const paths = packed.files.map((f) => f.path).sort();
  const unexpected = paths.filter((p) => !/^(dist\/[\w-]+\.js|rules\/docs\/[\w-]+\.md|schemas\/[\w.-]+\.json|images\/icon\.png|docs\/screenshots\/[\w-]+\.png|media\/walkthrough\/[\w-]+\.md|package\.json|README\.md|LICENSE)$/.test(p));
  assert.deepEqual(unexpected, []);
  for (const must of ['dist/cli.js', 'dist/cli-main.js', 'dist/server.js', 'dist/spectral-vendor.js', 'dist/libs.js', 'dist/extension.js', 'rules/docs/ratelimit-429-response.md', 'schemas/x-gateway.schema.json', 'README.md', 'LICENSE']) {
    assert.ok(paths.includes(must), `${must} is missing from the package`);
  }
  assert.ok(packed.size <= 3 * 1024 * 1024, `the package is ${(packed.size / 2 ** 20).toFixed(2)} MB packed (at most 3 MB)`);

  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object; bin: Record<string, string> };
  assert.equal(manifest.dependencies, undefined, 'the bundles are self-contained: no runtime dependencies');

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"name": "app", "version": "1.0.0", "private": true}\n');
  execFileSync(npm, ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: app, stdio: 'pipe' });
  assert.deepEqual(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.')), ['headroom'], 'nothing but headroom is installed');

  cpSync(join(ROOT, 'examples', 'petstore.yaml'), join(app, 'petstore.yaml'));
  const r = spawnSync(npm, ['exec', '--offline', '--', 'headroom', 'lint', 'petstore.yaml', '--format', 'json'], { cwd: app, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const findings = JSON.parse(r.stdout) as { rule: string; file: string }[];
  const fromRepo = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'lint', join(ROOT, 'examples', 'petstore.yaml'), '--format', 'json'], { encoding: 'utf8' })) as { rule: string }[];
  assert.deepEqual(findings.map((f) => f.rule), fromRepo.map((f) => f.rule));
  assert.ok(findings.length > 0 && findings.every((f) => f.file === join(app, 'petstore.yaml')));
  assert.ok(statSync(join(app, 'node_modules', 'headroom', 'dist', 'cli.js')).isFile());

  // `headroom lsp --stdio` from the installed package serves an editor; rule links open the docs installed with it.
  const lsp = spawn(join(app, 'node_modules', '.bin', 'headroom'), ['lsp', '--stdio'], { cwd: app, stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = connectionTo(lsp);
  try {
    const uri = pathToFileURL(join(app, 'petstore.yaml')).href;
    const published = new Promise<{ code: string; codeDescription?: { href: string } }[]>((resolve) =>
      conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: { code: string; codeDescription?: { href: string } }[] }) => {
        if (p.uri === uri) resolve(p.diagnostics);
      }),
    );
    conn.onRequest(() => null);
    conn.listen();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(app).href, capabilities: {} });
    conn.sendNotification('initialized', {});
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(join(app, 'petstore.yaml'), 'utf8') } });
    const diagnostics = await published;
    assert.deepEqual(diagnostics.map((d) => d.code), fromRepo.map((f) => f.rule));
    for (const d of diagnostics) {
      assert.equal(d.codeDescription?.href, pathToFileURL(join(app, 'node_modules', 'headroom', 'rules', 'docs', `${d.code}.md`)).href);
      assert.ok(statSync(fileURLToPath(d.codeDescription!.href)).isFile());
    }
  } finally {
    conn.dispose();
    lsp.kill();
  }
});

test('the VSIX holds the same files as the npm package and weighs at most 1.7 MB', () => {
  const work = mkdtempSync(join(tmpdir(), 'headroom-vsix-'));
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const entry of ['README.md', 'LICENSE', 'rules', 'schemas', 'images', 'docs', 'media']) cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
  // The build is done here (vsce would run vscode:prepublish, which builds into the repo's dist/).
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.scripts['vscode:prepublish'], 'node scripts/build.mjs --minify');
  delete manifest.scripts['vscode:prepublish'];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--minify', '--outdir', join(stage, 'dist')], { cwd: ROOT, stdio: 'pipe' });
  const vsix = join(work, 'headroom.vsix');
  // As `npm run package` does: the README's relative image links stay relative, to the images in the VSIX.
  assert.equal(manifest.scripts.package, 'vsce package --no-dependencies --no-rewrite-relative-links');
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', vsix], { cwd: stage, stdio: 'pipe' });
  const size = statSync(vsix).size;
  assert.ok(size <= 1.7 * 1024 * 1024, `the VSIX is ${(size / 2 ** 20).toFixed(2)} MB (at most 1.7 MB)`);
  const listed = execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8' }).trim().split('\n').sort();
  assert.ok(listed.every((p) => /^(dist\/[\w-]+\.js|rules\/docs\/[\w-]+\.md|schemas\/[\w.-]+\.json|images\/icon\.png|docs\/screenshots\/[\w-]+\.png|media\/walkthrough\/[\w-]+\.md|package\.json|README\.md|LICENSE)$/.test(p)), listed.join(' '));
  assert.ok(listed.includes('LICENSE') && listed.includes('dist/extension.js') && listed.includes('dist/server.js'));
  // What the README and the walkthrough show ships with them.
  for (const must of ['docs/screenshots/diagnostics.png', 'docs/screenshots/hover.png', 'media/walkthrough/open.md', 'media/walkthrough/export.md']) assert.ok(listed.includes(must), `${must} is missing from the VSIX`);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const [, target] of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    assert.ok(!/^[a-z]+:/.test(target) && listed.includes(target.replace(/^\.\//, '')), `the README's image ${target} is not in the VSIX`);
  }
});

test('each library is bundled once: the CLI, the server and Spectral share dist/libs.js', () => {
  const bundles = JSON.parse(readFileSync(join(ROOT, 'dist', 'bundles.json'), 'utf8')) as Record<string, string[]>;
  const twice = (a: string, b: string) => bundles[a].filter((p) => bundles[b].includes(p));
  assert.deepEqual(twice('cli-main', 'spectral-vendor'), []);
  assert.deepEqual(twice('server', 'spectral-vendor'), []);
  assert.deepEqual(twice('libs', 'spectral-vendor'), []);
  assert.ok(bundles.libs.includes('ajv') && bundles.libs.includes('@stoplight/yaml'), bundles.libs.join(' '));
});
