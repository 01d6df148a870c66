#!/usr/bin/env node
// `npm run test:e2e`: Headroom inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3).
//   1. scripts/e2e/install.sh     Debian packages and code-server in .e2e/cs (once; then instant)
//   2. npm run package            the VSIX, unpacked to .e2e/run/vsix so the suites test what ships
//   3. scripts/e2e/build-tests.mjs the mocha suite → dist-test/
//   4. run-exthost.mjs trusted    the suite inside the real extension host
//   5. run-exthost.mjs untrusted  the same in an untrusted (Restricted Mode) window
//   6. ui.mjs                     the VSIX installed, driven through the workbench like a user
// Each part starts and kills its own code-server process group. Ends with "e2e: N passed, N failed".
//
// HEADROOM_SKIP_E2E=1 skips it all (for developers; ignored when CI is set).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_DIR, ROOT, packageVersion } from './lib.mjs';

if (process.env.HEADROOM_SKIP_E2E === '1') {
  if (process.env.CI) {
    console.log('e2e: HEADROOM_SKIP_E2E=1 is ignored because CI is set: CI always runs the in-editor tests.');
  } else {
    console.log('e2e: SKIPPED (HEADROOM_SKIP_E2E=1): the in-editor tests did not run.');
    process.exit(0);
  }
}

await holdLock();
const started = Date.now();
const resultsDir = join(E2E_DIR, 'results');
rmSync(resultsDir, { recursive: true, force: true });

function run(title, command, args) {
  const t = Date.now();
  console.log(`\n── e2e: ${title}`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  const seconds = (Date.now() - t) / 1000;
  return { ok: r.status === 0, status: r.status ?? r.signal, seconds };
}

function setup(title, command, args) {
  const r = run(title, command, args);
  if (!r.ok) {
    console.error(`e2e: ${title} failed (exit ${r.status}); no in-editor test ran.`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  }
  return r;
}

const timings = [];
timings.push(['install', setup('install (scripts/e2e/install.sh)', 'bash', ['scripts/e2e/install.sh']).seconds]);
timings.push(['package', setup('package the VSIX (npm run package)', 'npm', ['run', '--silent', 'package']).seconds]);
const vsix = join(ROOT, `headroom-${packageVersion()}.vsix`);
const unpacked = join(E2E_DIR, 'run', 'vsix');
rmSync(unpacked, { recursive: true, force: true });
mkdirSync(unpacked, { recursive: true });
const unpack = setup('unpack the VSIX', 'unzip', ['-q', vsix, 'extension/*', '-d', unpacked]);
const buildTests = setup('build the in-editor suite', 'node', ['scripts/e2e/build-tests.mjs']);
timings.push(['unpack + build tests', unpack.seconds + buildTests.seconds]);

const parts = [
  ['exthost-trusted', 'extension-host suite, trusted workspace', ['scripts/e2e/run-exthost.mjs', '--suite', 'trusted', '--extension', join(unpacked, 'extension')]],
  ['exthost-untrusted', 'extension-host suite, untrusted workspace', ['scripts/e2e/run-exthost.mjs', '--suite', 'untrusted', '--extension', join(unpacked, 'extension')]],
  ['ui', 'UI test in the workbench', ['scripts/e2e/ui.mjs', '--vsix', vsix]],
];
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const [name, title, args] of parts) {
  const file = join(resultsDir, `${name}.json`);
  const r = run(title, 'node', [...args, '--results', file]);
  const result = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
  // A part that exited non-zero without a failed test still fails the run.
  if (!r.ok && !result.failed) result.failed = 1;
  passed += result.passed;
  failed += result.failed;
  skipped += result.skipped ?? 0;
  timings.push([name, r.seconds]);
  lines.push(`  ${name.padEnd(18)} ${String(result.passed).padStart(3)} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}  (${r.seconds.toFixed(1)} s)`);
}

console.log('\n── e2e summary (VS Code 1.100.3 via code-server 4.100.3)');
for (const l of lines) console.log(l);
console.log(`  timings: ${timings.map(([n, s]) => `${n} ${s.toFixed(1)} s`).join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

/**
 * One e2e run at a time per working tree: runs share .e2e/run and the VSIX, and people sharing a
 * tree run `npm test` at the same time. A second run waits for the first.
 */
async function holdLock() {
  const lock = join(E2E_DIR, 'lock');
  mkdirSync(E2E_DIR, { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let pid;
      try {
        pid = Number(readFileSync(join(lock, 'pid'), 'utf8').trim());
      } catch {
        if (!existsSync(lock)) continue; // released meanwhile
        pid = Date.now() - statSync(lock).mtimeMs < 10_000 ? -1 : 0; // just being taken, or left half-made
      }
      if (pid === 0 || (pid > 0 && !alive(pid))) {
        rmSync(lock, { recursive: true, force: true }); // left by a run that died
        continue;
      }
      if (!told) console.log(`e2e: waiting for another e2e run in this working tree (process ${pid}) to finish`);
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const release = () => rmSync(lock, { recursive: true, force: true });
  process.on('exit', release);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
