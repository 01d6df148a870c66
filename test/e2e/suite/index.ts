/**
 * The entry point VS Code's extension-test harness calls inside the real extension host
 * (extensionTestsPath): runs the mocha files of one suite and resolves or rejects with the result.
 * HEADROOM_E2E_SUITE picks the suite: `trusted` (default) or `untrusted` (a restricted-mode window).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import MochaModule from 'mocha';

// mocha 11 exports the class as the module; mocha 12 moved it to `default` / `Mocha`.
const Mocha: typeof MochaModule = (MochaModule as any).default ?? (MochaModule as any).Mocha ?? MochaModule;

export function run(): Promise<void> {
  // The extension host forwards console.log's raw printf arguments ("✔ %s"): format them first.
  (Mocha.reporters.Base as any).consoleLog = (...args: unknown[]) => report(format(...args));
  const suite = process.env.HEADROOM_E2E_SUITE || 'trusted';
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000 });
  const dir = join(__dirname, suite);
  const files = readdirSync(dir).filter((f) => f.endsWith('.e2e.js')).sort();
  for (const f of files) mocha.addFile(join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
        // Read by scripts/e2e/run-exthost.mjs for the closing "N passed, N failed" line.
        report(`HEADROOM_E2E_RESULT ${JSON.stringify({ suite, passed: passes, failed, skipped: pending })}`);
        if (failures > 0) reject(new Error(`${failures} in-editor test(s) failed`));
        else resolve();
      });
    } catch (e) {
      report(`the suite did not load: ${(e as Error)?.stack ?? e}`);
      reject(e);
    }
  });
}

/**
 * Writes a line of the suite's report. Under code-server the lines reach the runner mixed with the
 * workbench's own log, so scripts/e2e/run-exthost.mjs asks for a mark and relays only marked lines.
 */
export function report(text: string): void {
  const mark = process.env.HEADROOM_E2E_MARK ?? '';
  for (const line of text.split('\n')) console.log(`${mark}${line}`);
}
