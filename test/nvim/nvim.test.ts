/**
 * Neovim as a Headroom user runs it (Debian's 0.7, headless, its built-in LSP client, no plugins):
 * test/nvim/headroom.lua starts `headroom lsp --stdio` on a copy of test/fixtures/lsp, and what
 * Neovim holds must equal `headroom lint --format json` — count, rule codes, severities, ranges,
 * messages — for the spec and for the file it `$ref`s; the "Add a 429" quick fix, applied by
 * Neovim's own workspace-edit code, makes its diagnostic go, and the saved file's diagnostics
 * equal the CLI's again. Skips, saying so, where `nvim` is not installed (`.ci/run` installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const skip = nvim.status === 0 ? false : 'nvim is not installed (apt-get install neovim; .ci/run installs it)';

interface Seen {
  code: string;
  severity: number;
  source: string;
  message: string;
  href: string | null;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface Report {
  error?: string;
  opened?: Record<string, Seen[]>;
  actions?: string[];
  fixed?: Record<string, Seen[]>;
}

const SEVERITY = { error: 1, warn: 2, info: 3, hint: 4 } as const;

/** The CLI's findings per file (relative name), as Neovim would show them. */
function lint(dir: string, spec: string): Record<string, Omit<Seen, 'href'>[]> {
  const r = spawnSync(process.execPath, [CLI, 'lint', spec, '--format', 'json', '--fail-severity', 'hint'], { cwd: dir, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const out: Record<string, Omit<Seen, 'href'>[]> = {};
  for (const f of JSON.parse(r.stdout) as { file: string; rule: string; severity: keyof typeof SEVERITY; message: string; range: Seen['range'] }[]) {
    const name = f.file.slice(dir.length + 1);
    (out[name] ??= []).push({ code: f.rule, severity: SEVERITY[f.severity], source: 'headroom', message: f.message, range: f.range });
  }
  return out;
}

const order = (list: Omit<Seen, 'href'>[]) =>
  [...list].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
const withoutHref = (list: Seen[] = []) => order(list.map(({ href: _, ...rest }) => rest));

test('Neovim: diagnostics equal headroom lint --format json, for the spec and its $ref`ed file; a quick fix applies and its diagnostic goes', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-nvim-'));
  try {
    cpSync(join(ROOT, 'test', 'fixtures', 'lsp'), dir, { recursive: true });
    for (const f of ['only-429.spectral.yaml', 'only-retry.spectral.yaml']) rmSync(join(dir, f)); // headroom:recommended, on both sides
    const expected = lint(dir, 'api.yaml');
    assert.ok((expected['api.yaml'] ?? []).length >= 5 && (expected['common.yaml'] ?? []).length >= 1, `a fixture with findings in both files: ${JSON.stringify(expected)}`);

    const outFile = join(dir, 'nvim-report.json');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(__dirname, 'headroom.lua')}`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, HEADROOM_NODE: process.execPath, HEADROOM_CLI: CLI, HEADROOM_WORKSPACE: dir, HEADROOM_OUT: outFile },
      timeout: 180_000, // a hang guard only
    });
    assert.ok(existsSync(outFile), `Neovim wrote no report (exit ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
    const report = JSON.parse(readFileSync(outFile, 'utf8')) as Report;
    assert.equal(report.error, undefined, `the Lua script failed: ${report.error}`);
    if (process.env.HEADROOM_NVIM_DEBUG) console.log(JSON.stringify(report, null, 1));

    for (const name of ['api.yaml', 'common.yaml']) {
      assert.deepEqual(withoutHref(report.opened![name]), order(expected[name]), `${name}: Neovim's diagnostics and the CLI's findings`);
      for (const d of report.opened![name]) assert.equal(d.href, pathToFileURL(join(ROOT, 'rules', 'docs', `${d.code}.md`)).href, `${d.code} links its shipped doc`);
    }
    assert.ok(report.actions!.includes('Add a 429 (Too Many Requests) response'));

    const saved = readFileSync(join(dir, 'api.yaml'), 'utf8');
    assert.match(saved, /'429':/, 'the fix is in the saved file');
    const after = lint(dir, 'api.yaml');
    assert.equal(after['api.yaml'].filter((f) => f.code === 'ratelimit-429-response' && f.message.includes('/orders/{id}')).length, 0);
    assert.deepEqual(withoutHref(report.fixed!['api.yaml']), order(after['api.yaml']), 'after the fix, Neovim and the CLI agree on the saved file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
