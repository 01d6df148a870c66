/**
 * The server side of the editor's coverage view and baseline: `headroom/coverage` (the open buffer
 * counts, the page carries the nonce, errors come back) and the editor baseline (known findings as
 * hints or hidden, a corrupt file reported and ignored, a rewritten file re-read).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { URI } from 'vscode-uri';
import { Baseline } from '../../src/core/baseline';
import { handleCoverage } from '../../src/server/coverage';
import { EditorBaseline } from '../../src/server/baseline';
import { Linter } from '../../src/server/linter';
import { DEFAULT_SETTINGS, type HeadroomSettings } from '../../src/shared/settings';

const fixture = join(__dirname, '..', 'fixtures', 'coverage', '01-petstore');
const NONCE = 'abcdefghijklmnopqrstuvwx';

function workspace(): { dir: string; spec: string; linter: Linter } {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cov-server-'));
  cpSync(fixture, dir, { recursive: true });
  const linter = new Linter(() => [dir]);
  linter.setTrusted(true);
  return { dir, spec: join(dir, 'spec.yaml'), linter };
}

test('coverage of the open buffer; file names relative to the workspace folder; the page carries the nonce', async () => {
  const { dir, spec, linter } = workspace();
  try {
    let reply = await handleCoverage({ uri: URI.file(spec).toString(), nonce: NONCE }, linter);
    assert.equal(reply.base, dir);
    assert.equal(reply.report!.score, 33);
    assert.deepEqual(reply.report!.operations.map((o) => [o.method, o.path, o.file, o.range.start.line]), [
      ['get', '/pets', 'spec.yaml', 17],
      ['post', '/pets', 'spec.yaml', 55],
      ['get', '/pets/{petId}', 'spec.yaml', 81],
    ]);
    assert.match(reply.html!, new RegExp(`script-src 'nonce-${NONCE}'`));
    assert.match(reply.html!, new RegExp(`<script nonce="${NONCE}">`));
    assert.match(reply.html!, /--vscode-editor-background/);
    // An unsaved edit: POST /pets gets the shared 429 and 401, whose RateLimit-Policy example (q=100)
    // disagrees with its own 10 per minute.
    linter.files.setOverlay(spec, readFileSync(spec, 'utf8').replace("      responses:\n        '201':", "      responses:\n        '401':\n          $ref: '#/components/responses/Unauthorized'\n        '429':\n          $ref: '#/components/responses/TooManyRequests'\n        '201':"));
    reply = await handleCoverage({ uri: URI.file(spec).toString(), nonce: NONCE }, linter);
    assert.deepEqual(reply.report!.operations[1].failing, ['ratelimit-headers', 'ratelimit-policy-consistent']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('coverage errors come back as a message: unreadable file, a nonce that is not one', async () => {
  const { dir, spec, linter } = workspace();
  try {
    assert.match((await handleCoverage({ uri: URI.file(join(dir, 'missing.yaml')).toString(), nonce: NONCE }, linter)).error!, /file not found/);
    assert.match((await handleCoverage({ uri: URI.file(spec).toString(), nonce: "x' 'unsafe-inline" }, linter)).error!, /nonce/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('editor baseline: known findings become hints or are hidden; new ones keep their severity', async () => {
  const { dir, spec, linter } = workspace();
  const warnings: string[] = [];
  let settings: HeadroomSettings = { ...DEFAULT_SETTINGS };
  const baseline = new EditorBaseline(() => settings, (f) => linter.folderOf(f), (m) => warnings.push(m));
  try {
    const before = (await linter.lint(spec)).findings;
    assert.equal(baseline.fileFor(spec), undefined, 'no setting and no .headroom-baseline.json: no baseline');
    assert.deepEqual(baseline.apply(spec, before, [spec]), before);

    // The default file, present: everything it records is known.
    writeFileSync(join(dir, '.headroom-baseline.json'), Baseline.text(join(dir, '.headroom-baseline.json'), before.slice(1)));
    const shown = baseline.apply(spec, before, [spec]);
    assert.deepEqual(shown[0], before[0], 'not recorded: unchanged');
    assert.deepEqual(shown.slice(1).map((f) => [f.severity, f.message]), before.slice(1).map((f) => ['hint', `${f.message} (known: in the baseline)`]));
    settings = { ...settings, knownFindings: 'hide' };
    assert.deepEqual(baseline.apply(spec, before, [spec]), [before[0]]);

    // A setting naming another file, corrupt: said once, ignored (every finding shows).
    writeFileSync(join(dir, 'other.json'), '{"not": "a baseline"}');
    settings = { ...settings, baseline: 'other.json' };
    assert.deepEqual(baseline.apply(spec, before, [spec]), before);
    assert.deepEqual(baseline.apply(spec, before, [spec]), before);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^Baseline not used: .*other\.json is not a Headroom baseline/);
    // Rewritten with a baseline: read again.
    writeFileSync(join(dir, 'other.json'), Baseline.text(join(dir, 'other.json'), before));
    utimesSync(join(dir, 'other.json'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(baseline.apply(spec, before, [spec]), []);
    assert.equal(baseline.isBaselineFile(join(dir, 'other.json')), true);
    // Settings from a client that does not know the baseline settings: no baseline, no crash.
    settings = { lint: DEFAULT_SETTINGS.lint } as HeadroomSettings;
    assert.equal(new EditorBaseline(() => settings, () => dir, () => {}).fileFor(spec), join(dir, '.headroom-baseline.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
