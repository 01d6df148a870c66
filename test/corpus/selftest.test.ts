/**
 * The corpus run (test/corpus/run.mjs) must be able to fail. Its self-test lints synthetic specs
 * (test/corpus/selftest/<case>/) whose ruleset adds one misbehaving rule function, and each case
 * must come out as the failure it is; the run exits 1. Uses the built dist/ (test:unit builds it)
 * and the real 30 s hang cap, so the hanging case costs 30 s.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

test('corpus self-test: every crash, hang and unhandled rejection is caught and fails the run', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-corpus-'));
  try {
    const out = join(dir, 'results.json');
    const run = spawnSync(process.execPath, [join(__dirname, 'run.mjs'), '--selftest', '--json', out], { encoding: 'utf8' });
    assert.equal(run.status, 1, `expected exit 1\n${run.stdout}\n${run.stderr}`);
    const results: { id: string; outcome: string; detail?: string }[] = JSON.parse(readFileSync(out, 'utf8')).results;
    const outcomes = Object.fromEntries(results.map((r) => [r.id.replace('selftest/', ''), r.outcome]));
    assert.deepEqual(outcomes, {
      ok: 'ok',
      'rule-bad-result': 'crash', // the exception escapes the engine: headroom lint exits 2
      'rule-exits': 'crash', // the worker process dies
      'rule-hangs': 'hang',
      'rule-rejects': 'unhandledRejection',
      'rule-throws': 'crash', // the engine's crashed-rule finding
      'rule-throws-later': 'uncaughtException',
    });
    const detail = (id: string) => results.find((r) => r.id === `selftest/${id}`)?.detail ?? '';
    assert.match(detail('rule-throws'), /selftest-throws .*failed on this document and was skipped: selftest: this rule function throws/);
    assert.match(detail('rule-bad-result'), /internal error/);
    assert.match(detail('rule-exits'), /exit code 3/);
    assert.match(detail('rule-rejects'), /nobody handles this rejection/);
    assert.match(detail('rule-throws-later'), /thrown from a timer/);
    assert.match(run.stdout, /corpus: FAILED \(6 specs\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
