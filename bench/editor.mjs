#!/usr/bin/env node
// Open → first findings, and keystroke → squiggles, in the real editor: the packaged VSIX in
// code-server 4.100.3 (VS Code 1.100.3), driven like a user with playwright-core and Debian's
// chromium (the harness of scripts/e2e). Default spec: GitHub's 13 MB api.github.com.json.
//
//   open:      from the click on the file in the Explorer until (a) its text shows, (b) VS Code's
//              problem count in the status bar shows the findings (they reached the window: the
//              squiggles are drawn wherever the view is), (c) Headroom's status shows its count.
//   keystroke: on a schema's `"type": "string"` (line 282 of GitHub's spec) a Backspace makes it
//              `"strin"` (a new error), a `g` puts it back; each is timed from the key until the
//              error squiggle on that line appears / disappears, and until the status bar's count
//              follows. Default settings (headroom.lint.debounceMs 200), as a user has them.
//
// Prints one JSON line (ms, medians over the keys, and the machine's load average). A benchmark,
// not a test: nothing is asserted about the times.
// With --trace the client logs each LSP message (headroom.trace.server "messages") and a timeline
// of the "Headroom" output, in ms from the click, is printed to stderr: where the open's time goes.
// --settings '{"…": …}' adds user settings (e.g. VS Code's own extensions' settings, to see what
// they cost on a file this large).
// --line/--col: any place where a Backspace adds an error on that line and --key undoes it, e.g.
// --line 264 --col 7 --key / (GitHub's path key "/advisories" loses its slash: a path renamed).
// --broken: the Backspace leaves the text broken JSON (e.g. --col after a closing quote, --key '"'
// to put it back); VS Code's own JSON server squiggles that line too, so each key is timed until
// Headroom's status count changes (its lint of the broken text published) and back.
// --no-headroom: VS Code alone (no VSIX installed), timed until the text shows: what the editor
// itself needs to open the file, the floor under "open → first findings".
//   npm run bench:editor -- [--no-headroom] [--spec FILE --line N --col N] [--keys 4] [--key g] [--broken] [--vsix FILE] [--trace] [--settings JSON]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, TRUSTED_SETTINGS, launchBrowser, packageVersion, runDir, startCodeServer } from '../scripts/e2e/lib.mjs';
import { githubSpec } from './githubSpec.mjs';

const { values: args } = parseArgs({
  options: {
    spec: { type: 'string' },
    line: { type: 'string', default: '282' },
    col: { type: 'string', default: '30' },
    keys: { type: 'string', default: '4' },
    vsix: { type: 'string' },
    trace: { type: 'boolean', default: false },
    settings: { type: 'string', default: '{}' },
    key: { type: 'string', default: 'g' },
    broken: { type: 'boolean', default: false },
    'no-headroom': { type: 'boolean', default: false },
  },
});
const spec = resolve(args.spec ?? githubSpec());
const line = Number(args.line);
const col = Number(args.col);
const keys = Number(args.keys);
execFileSync('bash', [join(ROOT, 'scripts', 'e2e', 'install.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
const bare = args['no-headroom'];
const vsix = bare ? undefined : resolve(args.vsix ?? join(ROOT, `headroom-${packageVersion()}.vsix`));
if (!bare && !args.vsix) execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (vsix && !existsSync(vsix)) throw new Error(`${vsix} is missing`);

const load = [loadavg()[0]];
const dir = runDir('bench-editor');
const workspace = join(dir, 'workspace');
execFileSync('mkdir', ['-p', workspace]);
const name = basename(spec);
copyFileSync(spec, join(workspace, name));

// VS Code for the web asks before opening a file over 10 MB in a text editor ("Open Anyway");
// the setting says yes in advance, so the time is the editor's and Headroom's, not the click's.
const settings = { ...TRUSTED_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern', 'workbench.editorLargeFileConfirmation': 1024, ...(args.trace ? { 'headroom.trace.server': 'messages' } : {}), ...JSON.parse(args.settings) };
const server = await startCodeServer({ dir, settings, vsix });
const browser = await launchBrowser(dir);
const out = { spec: name };
let clickedAt = 0;
const since = (t) => Math.round(performance.now() - t);
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.explorer-folders-view').waitFor();
  await extensionHostReady(server.userData);
  const editor = page.locator('.editor-instance .monaco-editor').first();
  // Open.
  const opened = performance.now();
  clickedAt = Date.now();
  await page.getByRole('treeitem', { name, exact: true }).click();
  if (bare) out.openTextMs = await editor.locator('.view-lines .view-line').first().waitFor().then(() => since(opened));
  else Object.assign(out, await headroomOpenAndKeys(page, editor, opened));
} catch (e) {
  const shot = join(dir, 'failure.png');
  await browser.contexts()[0]?.pages()[0]?.screenshot({ path: shot }).catch(() => {});
  console.error(`bench:editor failed (screenshot: ${shot})`);
  throw e;
} finally {
  await browser.close();
  await server.stop();
}
if (args.trace) printTimeline(server.userData, clickedAt);
load.push(loadavg()[0]);
out.load1 = load.map((l) => Number(l.toFixed(2)));
console.log(JSON.stringify(out));

/** With Headroom: the open until its findings show, then the keys. */
async function headroomOpenAndKeys(page, editor, opened) {
  const status = page.locator('[id="headroom.headroom.headroom.status"]');
  const countOf = async () => Number((/Headroom: ([\d,]+) finding/.exec((await status.textContent()) ?? '')?.[1] ?? 'NaN').replace(/,/g, ''));

  const [textMs, problemsMs, statusMs] = await Promise.all([
    editor.locator('.view-lines .view-line').first().waitFor().then(() => since(opened)),
    // VS Code's own count of the file's problems (status bar): the markers have reached the window.
    page.waitForFunction(() => /(Errors|Warnings|Infos): [1-9]/.test(document.getElementById('status.problems')?.getAttribute('aria-label') ?? ''), null, { polling: 50 }).then(() => since(opened)),
    status.filter({ hasText: /Headroom: [\d,]+ finding/ }).waitFor().then(() => since(opened)),
  ]);
  const out = { findings: await countOf(), openTextMs: textMs, openProblemsMs: problemsMs, openStatusMs: statusMs };

  // Keystrokes at line:col, with the cursor's line checked by its own error squiggle.
  await page.waitForTimeout(2000); // let the open settle (hover, code lens, the first lint's publication)
  await editor.click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.locator('[id="status.editor.selection"]', { hasText: `Ln ${line}, Col ${col}` }).waitFor();
  const here = editor.locator('.view-overlays > div:has(> .current-line) > .squiggly-error');
  const before = await countOf();
  const squiggle = [];
  const counted = [];
  for (let k = 0; k < keys; k++) {
    for (const [key, shown] of [['Backspace', true], [args.key, false]]) {
      const t = performance.now();
      await page.keyboard.press(key);
      const counts = (n) => new RegExp(`Headroom: ${n.toLocaleString('en-US')} finding`);
      const [s, c] = await Promise.all([
        args.broken ? Promise.resolve(NaN) : here.first().waitFor({ state: shown ? 'attached' : 'detached' }).then(() => since(t)),
        // The Backspace changes the count (by one error, or more: a path key without its `/` is no
        // operation for the other rules); the key that undoes it restores the count.
        shown
          ? status.filter({ hasNotText: counts(before) }).filter({ hasText: /Headroom: [\d,]+ finding/ }).waitFor().then(() => since(t))
          : status.filter({ hasText: counts(before) }).waitFor().then(() => since(t)),
      ]);
      squiggle.push(s);
      counted.push(c);
      if (args.trace) console.error(`${String(Math.round(t - opened)).padStart(7)} ms  key ${key}: squiggle after ${s} ms, status after ${c} ms`);
      await page.waitForTimeout(1000);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  return Object.assign(out, {
    keys: squiggle.length,
    keySquiggleMedianMs: median(squiggle),
    keySquiggleMaxMs: Math.max(...squiggle),
    keyStatusMedianMs: median(counted),
    keyStatusMaxMs: Math.max(...counted),
    keySquiggleMs: squiggle,
    keyStatusMs: counted,
  });
}

/**
 * The window's extension host has started its eager extensions and Headroom (its log says so): the
 * open is then timed from a loaded window, as a user opens a file, not from a window still starting.
 */
async function extensionHostReady(userData) {
  const deadline = Date.now() + 120_000;
  let eager = Infinity;
  while (Date.now() < deadline) {
    const logs = join(userData, 'logs');
    for (const session of existsSync(logs) ? readdirSync(logs) : []) {
      const log = join(logs, session, 'exthost1', 'remoteexthost.log');
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      // Headroom activates once start-up has finished (onStartupFinished), as a user meets it; a
      // build that activates only on opening a YAML/JSON file (--vsix of an older one) is not waited for.
      if (text.includes('Eager extensions activated') && (/_doActivateExtension headroom\.headroom/.test(text) || Date.now() > eager + 10_000)) return;
      if (text.includes('Eager extensions activated')) eager = Math.min(eager, Date.now());
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the extension host did not start within 120 s');
}

/** The "Headroom" output's lines (its lint results and, traced, the LSP messages), timed from the click. */
function printTimeline(userData, clickedAt) {
  const logs = join(userData, 'logs');
  for (const session of readdirSync(logs)) {
    const log = join(logs, session, 'exthost1', 'headroom.headroom', 'Headroom.log');
    if (!existsSync(log)) continue;
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) (.*)$/.exec(line);
      if (m) console.error(`${String(new Date(`${m[1]}T${m[2]}`).getTime() - clickedAt).padStart(7)} ms  ${m[3].slice(0, 160)}`);
    }
  }
}
