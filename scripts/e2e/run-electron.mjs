#!/usr/bin/env node
// `npm run test:electron`: the same in-editor mocha suite (dist-test/) in desktop VS Code through
// @vscode/test-electron, for laptops and hosted CI. It downloads VS Code (VSCODE_VERSION, default
// `stable`; e.g. 1.91.0 to try the oldest supported engine) into .vscode-test/, so it needs the
// internet. VSCODE_EXECUTABLE=/path/to/code uses an installed VS Code instead.
//
// The trusted suite goes through runTests(), which always passes --disable-workspace-trust; the
// untrusted suite launches the same VS Code with trust on and no prompt (Restricted Mode).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TESTS_DIR, UNTRUSTED_SETTINGS, copyWorkspace, runDir } from './lib.mjs';

const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
const version = process.env.VSCODE_VERSION || 'stable';
const extensionTestsPath = join(TESTS_DIR, 'index.js');

let executable = process.env.VSCODE_EXECUTABLE;
try {
  executable ??= await downloadAndUnzipVSCode({ version, cachePath: join(ROOT, '.vscode-test') });
} catch (e) {
  const message = String(e?.message ?? e);
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|network|socket hang up/i.test(message);
  console.error(
    offline
      ? `test:electron: cannot download VS Code ${version} (${message.split('\n')[0]}).\n` +
          'This machine cannot reach the VS Code download servers. Run it where there is internet, or point\n' +
          'VSCODE_EXECUTABLE at an installed VS Code; here, `npm run test:e2e` runs the same suite in code-server.'
      : `test:electron: downloading VS Code ${version} failed: ${message.split('\n')[0]}`,
  );
  process.exit(1);
}

const label = process.env.VSCODE_EXECUTABLE ? executable : `VS Code ${version}`;
let failed = 0;
for (const suite of ['trusted', 'untrusted']) {
  const dir = runDir(`electron-${suite}`);
  const workspace = copyWorkspace(dir);
  const userData = join(dir, 'user-data');
  const extensions = join(dir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(suite === 'untrusted' ? UNTRUSTED_SETTINGS : {}, null, 2));
  const launchArgs = [workspace, `--user-data-dir=${userData}`, `--extensions-dir=${extensions}`, '--disable-extensions'];
  const env = { HEADROOM_E2E_SUITE: suite };
  console.log(`\n── test:electron: ${suite} suite in ${label}`);
  try {
    if (suite === 'trusted') {
      await runTests({ vscodeExecutablePath: executable, extensionDevelopmentPath: ROOT, extensionTestsPath, launchArgs, extensionTestsEnv: env });
    } else {
      // runTests() would add --disable-workspace-trust; launch with the same arguments but that one.
      const args = [
        ...launchArgs,
        '--no-sandbox',
        '--disable-gpu-sandbox',
        '--disable-updates',
        '--skip-welcome',
        '--skip-release-notes',
        `--extensionDevelopmentPath=${ROOT}`,
        `--extensionTestsPath=${extensionTestsPath}`,
      ];
      const code = await new Promise((resolve) => {
        const child = spawn(executable, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
        child.on('error', (e) => {
          console.error(`test:electron: cannot start ${executable}: ${e.message}`);
          resolve(1);
        });
        child.on('exit', (c) => resolve(c ?? 1));
      });
      if (code !== 0) throw new Error(`exit code ${code}`);
    }
  } catch (e) {
    failed++;
    console.error(`test:electron: the ${suite} suite failed (${String(e?.message ?? e).split('\n')[0]})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
