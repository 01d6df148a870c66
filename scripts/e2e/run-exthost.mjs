#!/usr/bin/env node
// Runs the in-editor mocha suite inside a real VS Code extension host: code-server 4.100.3
// (VS Code 1.100.3), driven headless by playwright-core and Debian's chromium through the
// workbench's `payload` URL (extensionDevelopmentPath + extensionTestsPath). Relays the extension
// host's mocha report and exits with mocha's code.
//
//   node scripts/e2e/run-exthost.mjs [--suite trusted|untrusted] [--extension DIR] [--results FILE]
//
// --extension: the extension folder to test (default: the repository, i.e. dist/ as built; the e2e
// run passes the unpacked VSIX so what ships is what is tested). Needs scripts/e2e/install.sh and
// scripts/e2e/build-tests.mjs first. HEADROOM_E2E_DEBUG=1 also prints the workbench's own console.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ROOT,
  TESTS_DIR,
  TRUSTED_SETTINGS,
  UNTRUSTED_SETTINGS,
  copyWorkspace,
  extensionTestUrl,
  launchBrowser,
  runDir,
  startCodeServer,
  writeResult,
} from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    suite: { type: 'string', default: 'trusted' },
    extension: { type: 'string', default: ROOT },
    results: { type: 'string' },
    timeout: { type: 'string', default: '300' },
  },
});
const MARK = '[headroom-e2e] ';
const suite = args.suite;
if (!['trusted', 'untrusted'].includes(suite)) {
  console.error(`unknown --suite ${suite} (trusted | untrusted)`);
  process.exit(2);
}
const extension = resolve(args.extension);
const testsEntry = join(TESTS_DIR, 'index.js');
for (const [what, file] of [['the extension bundle', join(extension, 'dist', 'extension.js')], ['the test bundle', testsEntry]]) {
  if (!existsSync(file)) {
    console.error(`${what} is missing: ${file} (run npm run test:e2e, or npm run build and node scripts/e2e/build-tests.mjs)`);
    process.exit(2);
  }
}

const started = Date.now();
const dir = runDir(`exthost-${suite}`);
const workspace = copyWorkspace(dir);
const server = await startCodeServer({
  dir,
  settings: suite === 'untrusted' ? UNTRUSTED_SETTINGS : TRUSTED_SETTINGS,
  // The extension host inherits code-server's environment: tell the test entry which suite to run.
  env: { HEADROOM_E2E_SUITE: suite, HEADROOM_E2E_MARK: MARK },
});
let browser;
let result = { suite, passed: 0, failed: 0, skipped: 0 };
let code = 1;
try {
  browser = await launchBrowser(dir);
  const page = await browser.newPage();
  let sawResult = false;
  const exit = new Promise((resolveExit) => {
    // The workbench calls window.codeAutomationExit(code) when the extension tests are done.
    void page.exposeFunction('codeAutomationExit', (c) => resolveExit(Number(c)));
  });
  page.on('console', (msg) => {
    if (process.env.HEADROOM_E2E_DEBUG) console.log(`[browser ${msg.type()} +${Date.now() - started} ms] ${JSON.stringify(msg.text())}`);
    const text = relayText(msg.text());
    if (text === undefined) return;
    const m = /^HEADROOM_E2E_RESULT (.*)$/.exec(text);
    if (m) {
      result = { ...result, ...JSON.parse(m[1]) };
      sawResult = true;
      return;
    }
    console.log(text);
  });
  page.on('pageerror', (e) => console.error(`[workbench] ${e.message}`));
  const timeoutSec = Number(args.timeout);
  const timedOut = new Promise((resolveTimeout) => setTimeout(() => resolveTimeout('timeout'), timeoutSec * 1000).unref());
  await page.goto(extensionTestUrl(server, { folder: workspace, extensionDevelopmentPath: extension, extensionTestsPath: testsEntry }));
  const outcome = await Promise.race([exit, timedOut]);
  if (outcome === 'timeout') {
    console.error(`The extension tests did not finish within ${timeoutSec} s (code-server log: ${server.log}).`);
    await page.screenshot({ path: join(dir, 'timeout.png') }).catch(() => {});
    result.failed = Math.max(result.failed, 1);
    code = 1;
  } else {
    code = outcome;
    if (!sawResult) {
      // The harness ended before mocha reported (e.g. the test entry threw while loading).
      console.error(`The extension host exited with ${code} before the suite reported a result (code-server log: ${server.log}).`);
      result.failed = Math.max(result.failed, 1);
      if (code === 0) code = 1;
    }
  }
} catch (e) {
  console.error(e?.stack ?? String(e));
  result.failed = Math.max(result.failed, 1);
  code = 1;
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
}
writeResult(args.results, { ...result, part: `exthost-${suite}`, seconds: (Date.now() - started) / 1000 });
console.log(`[exthost ${suite}] ${result.passed} passed, ${result.failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);

/**
 * The suite's own lines (test/e2e/suite/index.ts marks them; the workbench logs them as
 * "%c INFO color: #33f [headroom-e2e] <text>"), or undefined for the workbench's own log.
 */
function relayText(raw) {
  const at = raw.indexOf(MARK);
  return at === -1 ? undefined : raw.slice(at + MARK.length);
}
