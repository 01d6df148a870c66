/**
 * action.yml's scripts run for real: each `run:` step of the composite action in bash, with the
 * environment GitHub would give it (its `env:` with the inputs filled in, GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY) and HEADROOM set to the built CLI, as the install step sets it. Checked:
 * the annotations, outputs, SARIF and summary of the lint step; the export drift gate passing,
 * failing and refusing a malformed line; the final step failing the job on findings. The install
 * step (npm install from the registry) and the upload (a GitHub action) are not run here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: { name: string; id?: string; if?: string; run?: string; uses?: string; env?: Record<string, string>; with?: Record<string, string> }[] };
};
const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

const temp = mkdtempSync(join(tmpdir(), 'headroom-action-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Run a step's script as GitHub would: inputs (defaults, then `inputs`) substituted into its env. */
function runStep(name: string, inputs: Record<string, string>, cwd: string) {
  const s = step(name);
  const value = (key: string) => inputs[key] ?? action.inputs[key]?.default ?? '';
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.env ?? {})) {
    env[k] = v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, key: string) => value(key)).replace(/\$\{\{\s*github\.action_path\s*\}\}/g, ROOT);
    assert.doesNotMatch(env[k], /\$\{\{/, `${name}: ${k} uses an expression this test does not know`);
  }
  assert.doesNotMatch(s.run!, /\$\{\{/, `${name}: inputs must reach the script through env, not be spliced into it`);
  const output = join(temp, `output-${Math.random().toString(36).slice(2)}`);
  const summary = join(temp, `summary-${Math.random().toString(36).slice(2)}`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const r = spawnSync('bash', ['-c', s.run!], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? temp, HEADROOM: CLI, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { code: r.status, out: r.stdout, err: r.stderr, outputs, summary: readFileSync(summary, 'utf8') };
}

const CLI_FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');
const golden = (name: string) => readFileSync(join(CLI_FIXTURES, 'formats', 'golden', name), 'utf8');

test('action.yml is a composite action whose steps are the ones tested here', () => {
  assert.equal(action.runs.using, 'composite');
  assert.deepEqual(
    action.runs.steps.map((s) => s.name),
    ['Install Headroom', 'Lint OpenAPI specs', 'Upload SARIF to code scanning', 'Check exported gateway configs for drift', 'Fail on findings'],
  );
  const upload = step('Upload SARIF to code scanning');
  assert.equal(upload.uses, 'github/codeql-action/upload-sarif@v3');
  assert.equal(upload.with!.sarif_file, '${{ steps.lint.outputs.sarif-file }}');
});

test('lint step: annotations (the --format github golden), exit code and SARIF file as outputs, the markdown summary; the step itself passes so SARIF is uploaded', () => {
  const r = runStep('Lint OpenAPI specs', { specs: 'formats/api.yaml formats/clean.yaml', 'sarif-file': join(temp, 'h.sarif') }, CLI_FIXTURES);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.equal(r.out, golden('lint.github.txt'));
  assert.deepEqual(r.outputs, { 'exit-code': '1', 'sarif-file': join(temp, 'h.sarif') });
  const sarif = JSON.parse(readFileSync(join(temp, 'h.sarif'), 'utf8'));
  assert.equal(sarif.runs[0].results.length, 5);
  assert.equal(r.summary, golden('lint.markdown.txt'));
});

test('lint step: fail-severity, summary-lines and homepage reach the CLI; a usage error fails the step', () => {
  const r = runStep(
    'Lint OpenAPI specs',
    { specs: 'formats/api.yaml formats/clean.yaml', 'fail-severity': 'warn', 'summary-lines': '9', homepage: 'https://docs.example.com/rules/{rule}.html', 'sarif-file': join(temp, 'h2.sarif') },
    CLI_FIXTURES,
  );
  assert.equal(r.code, 0);
  assert.equal(r.summary, golden('lint.markdown-max9-homepage.txt'));
  assert.equal(JSON.parse(readFileSync(join(temp, 'h2.sarif'), 'utf8')).runs[0].tool.driver.rules[0].helpUri, 'https://docs.example.com/rules/auth-schemes-defined.html');
  const clean = runStep('Lint OpenAPI specs', { specs: 'formats/clean.yaml', 'summary-lines': '0', 'sarif-file': join(temp, 'h3.sarif') }, CLI_FIXTURES);
  assert.deepEqual([clean.code, clean.out, clean.outputs['exit-code'], clean.summary], [0, '', '0', '']);
  const bad = runStep('Lint OpenAPI specs', { specs: 'formats/api.yaml', 'fail-severity': 'fatal' }, CLI_FIXTURES);
  assert.equal(bad.code, 2);
  assert.equal(bad.outputs['exit-code'], '2');
  assert.match(bad.err, /^headroom: unknown --fail-severity "fatal"/);
});

test('export drift gate: an up-to-date config passes, a drifted one fails with an annotation, a malformed line is an error', () => {
  const dir = mkdtempSync(join(temp, 'export-'));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'export', '01-one-server', 'spec.yaml'), join(dir, 'spec.yaml'));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'export', '01-one-server', 'nginx.conf'), join(dir, 'nginx.conf'));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'export', '01-one-server', 'kong.yaml'), join(dir, 'kong.yaml'));
  const ok = runStep('Check exported gateway configs for drift', { 'export-check': 'spec.yaml nginx nginx.conf\n\nspec.yaml kong kong.yaml\n' }, dir);
  assert.equal(ok.code, 0, ok.err + ok.out);
  assert.equal(ok.out, 'nginx.conf is up to date with spec.yaml\nkong.yaml is up to date with spec.yaml\n');

  writeFileSync(join(dir, 'nginx.conf'), readFileSync(join(dir, 'nginx.conf'), 'utf8').replace('rate=', 'rate=1'));
  const drift = runStep('Check exported gateway configs for drift', { 'export-check': 'spec.yaml nginx nginx.conf\nspec.yaml kong kong.yaml' }, dir);
  assert.equal(drift.code, 1);
  assert.equal(drift.out, '::error file=nginx.conf,title=Headroom export drift::nginx.conf is not what headroom export spec.yaml --target nginx generates\nkong.yaml is up to date with spec.yaml\n');
  assert.match(drift.err, /nginx\.conf is out of date with spec\.yaml/);

  const malformed = runStep('Check exported gateway configs for drift', { 'export-check': 'spec.yaml nginx' }, dir);
  assert.equal(malformed.code, 1);
  assert.match(malformed.out, /^::error title=Headroom export-check::a line must be "SPEC TARGET CONFIG"/);
});

test('the last step fails the job (after the SARIF upload) when the lint found what fails', () => {
  const s = step('Fail on findings');
  assert.equal(s.if, "inputs.specs != '' && steps.lint.outputs.exit-code == '1'");
  assert.equal(runStep('Fail on findings', {}, temp).code, 1);
});

test('.pre-commit-hooks.yaml: the lint hook runs `headroom lint` on the staged files; the export hook takes its args', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; pass_filenames?: boolean }[];
  assert.deepEqual(hooks.map((h) => [h.id, h.entry, h.language, h.pass_filenames ?? true]), [
    ['headroom-lint', 'headroom lint', 'node', true],
    ['headroom-export-check', 'headroom export', 'node', false],
  ]);
  // As pre-commit calls it: the entry, then the staged file names.
  const [, ...args] = hooks[0].entry.split(' ');
  const r = spawnSync(process.execPath, [CLI, ...args, 'formats/api.yaml', 'formats/common.yaml'], { cwd: CLI_FIXTURES, encoding: 'utf8' });
  assert.equal(r.status, 1);
  // A staged $ref'ed fragment is linted as a file of its own too: a warning that it is no OpenAPI document (it does not fail the hook).
  assert.match(r.stdout, /\n {2}1:1 {6}warning {2}unrecognized-format/);
  assert.match(r.stdout, /\n6 problems \(2 errors, 3 warnings, 1 infos, 0 hints\)\n$/);
});
