#!/usr/bin/env node
// The UI test: the packaged VSIX installed in code-server 4.100.3 (VS Code 1.100.3), driven like a
// user through the real workbench with playwright-core and Debian's chromium.
//   trusted window:   a $ref'ed file opened alone → linted through its spec (squiggle, status
//                     "via root.yaml", Problems row); a YAML file no spec $refs → "part of no spec";
//                     open a spec from the Explorer → squiggles, status bar, Problems rows with the
//                     rule ids, the hover with the rule doc; "Headroom: Lint Workspace" from the
//                     Command Palette fills Problems for a closed file; "Export Gateway Policy…"
//                     → NGINX → Save writes what the CLI prints, and again over a changed file the
//                     modal "Replace it?" → Cancel keeps it, → Replace rewrites it; the language
//                     server SIGKILLed → restarted, the status bar follows, no notification;
//                     "Show Governance Coverage" opens the coverage webview beside the spec and a
//                     click on a cell moves the cursor to the operation; the HTML report
//                     (`headroom report`) opens in the browser without a request.
//   untrusted window: Restricted Mode → the ruleset's JavaScript rule is missing and the Headroom
//                     output says why; trusting the folder brings the rule in.
// Takes diagnostics.png, hover.png, coverage-view.png and coverage-report.png into .e2e/run/ui/screenshots/, or, with --update-screenshots,
// into docs/screenshots/ (the README's; not on every run, so a test run leaves the tree unchanged).
//
//   node scripts/e2e/ui.mjs [--vsix headroom-<version>.vsix] [--results FILE] [--update-screenshots]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ROOT,
  TRUSTED_SETTINGS,
  UNTRUSTED_SETTINGS,
  copyWorkspace,
  launchBrowser,
  packageVersion,
  runDir,
  startCodeServer,
  writeResult,
} from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    vsix: { type: 'string', default: join(ROOT, `headroom-${packageVersion()}.vsix`) },
    results: { type: 'string' },
    'update-screenshots': { type: 'boolean', default: false },
  },
});
const vsix = resolve(args.vsix);
if (!existsSync(vsix)) {
  console.error(`${vsix} is missing (npm run package makes it)`);
  process.exit(2);
}
const STEP_MS = 30_000;
const started = Date.now();
const base = runDir('ui');
const SHOTS = args['update-screenshots'] ? join(ROOT, 'docs', 'screenshots') : join(base, 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const results = { passed: 0, failed: 0, skipped: 0 };

/**
 * One window: a code-server of its own with the VSIX installed and `settings`, a fresh browser
 * context, and `steps` run in order; after a failure the window's remaining steps are skipped.
 */
async function windowSession(browser, name, settings, steps) {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  const workspace = copyWorkspace(dir);
  let server;
  let page;
  let failed = false;
  const step = async (title, fn) => {
    if (failed) {
      results.skipped++;
      console.log(`  - ${title} (skipped)`);
      return;
    }
    const t = Date.now();
    try {
      await fn(page);
      results.passed++;
      console.log(`  ✔ ${title} (${Date.now() - t} ms)`);
    } catch (e) {
      results.failed++;
      failed = true;
      const shot = join(dir, `failure-${results.passed + results.failed}.png`);
      await page?.screenshot({ path: shot }).catch(() => {});
      console.log(`  ✘ ${title}\n    ${String(e?.message ?? e).split('\n').join('\n    ')}\n    screenshot: ${shot}`);
    }
  };
  console.log(`\n  ${name} window`);
  try {
    server = await startCodeServer({ dir, settings: { ...settings, 'workbench.colorTheme': 'Default Dark Modern' }, vsix });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    await step('the workbench opens the workspace with the Explorer', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.explorer-folders-view').waitFor();
    });
    await steps(step, { workspace, server });
    await context.close();
  } catch (e) {
    results.failed++;
    console.log(`  ✘ ${name} window: ${e?.stack ?? e}`);
  } finally {
    await server?.stop();
  }
}

const editor = (page) => page.locator('.editor-instance .monaco-editor').first();
/** Headroom's status bar item (VS Code prefixes the item id with the extension id). */
const headroomStatus = (page) => page.locator('[id="headroom.headroom.headroom.status"]');
const problemRows = (page) => page.locator('.markers-panel .monaco-list-row');

async function openFromExplorer(page, ...names) {
  for (const name of names) await page.getByRole('treeitem', { name, exact: true }).click();
}

async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  // A key press now and then does not reach the workbench (CI once saw F1 leave the palette
  // hidden for 30 s), and the palette may close again before the command is typed (CI once saw
  // it shown, then hidden when the fill came): say where the focus was, and open it again,
  // Escape first, then the other key.
  // The palette lists a command behind a `when` clause only if the context key was set when it
  // opened (it keeps that list): a command not listed within 5 s gets the palette opened again.
  const keys = ['F1', 'F1', 'Control+Shift+P', 'F1'];
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await page.keyboard.press('Escape');
    await page.keyboard.press(keys[attempt]);
    try {
      await input.waitFor({ timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
    } catch (e) {
      const focus = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160) ?? 'nothing').catch(() => '?');
      console.log(`    (${keys[attempt]} left the Command Palette closed, or it closed before the command was typed; the focus was on ${focus})`);
      if (attempt === keys.length - 1) throw e;
      continue;
    }
    try {
      await row.waitFor({ timeout: attempt === keys.length - 1 ? STEP_MS : 5_000 });
      break;
    } catch (e) {
      console.log(`    (the Command Palette did not list "${title}" within 5 s; opening it again)`);
      if (attempt === keys.length - 1) throw e;
    }
  }
  await page.keyboard.press('Enter');
}

const toast = (page, text) => page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });

/** The frame of a webview whose page has `selector` (code-server nests each webview in iframes). */
async function webviewFrame(page, selector) {
  const deadline = Date.now() + STEP_MS;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview shows ${selector} within ${STEP_MS} ms`);
}

/** Closes every notification (so a message waited for next is a new one). */
async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
}

/** Runs "Headroom: Export Gateway Policy…" on specs/orders.yaml, picks NGINX, and clicks the notification's "Save". */
async function exportToNginx(page, { typeIntoPreview = false } = {}) {
  await clearNotifications(page);
  await page.locator('.tabs-container .tab', { hasText: 'orders.yaml' }).click();
  await runCommand(page, 'Headroom: Export Gateway Policy…');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'complete nginx.conf' }).click();
  const preview = editor(page).locator('.view-lines', { hasText: '# Generated by Headroom' });
  await preview.waitFor(); // the preview
  if (typeIntoPreview) {
    // A read-only virtual document: typing is refused, and its tab never turns dirty.
    await preview.click();
    await page.keyboard.type('x');
    await page.locator('.monaco-editor-overlaymessage', { hasText: 'Cannot edit in read-only editor' }).waitFor();
    if ((await page.locator('.tabs-container .tab.active.dirty').count()) > 0) throw new Error('the preview tab is dirty after typing into it');
  }
  const ask = toast(page, 'Save the NGINX config as specs/orders.nginx.conf? 1 approximation noted in its header.');
  await ask.getByRole('button', { name: 'Save', exact: true }).click();
  await ask.waitFor({ state: 'detached' });
}

/**
 * What the editor saves as `saved`, from what the CLI prints (NGINX): the same file, but the
 * header's regenerate line names the VS Code command and its run command the saved file.
 */
function asEditorSaves(cli, saved) {
  const folder = dirname(saved);
  return cli
    .replace(/^# Do not edit: regenerate with `headroom export (\S+) --target nginx`\.$/m, '# Do not edit: regenerate it in VS Code with "Headroom: Export Gateway Policy…" → NGINX on $1.')
    .replace('`nginx -p DIR -c DIR/nginx.conf`', () => `\`nginx -p ${folder} -c ${saved}\``)
    .replace('# Run it from a folder DIR holding this file: `nginx', '# Run it with `nginx')
    .replace('# cache live in DIR (', () => `# cache live in ${folder} (`);
}

function sameText(actual, expected, what) {
  if (actual === expected) return;
  const [a, e] = [actual.split('\n'), expected.split('\n')];
  let line = 0;
  while (a[line] === e[line]) line++;
  throw new Error(`${what} is not what was expected; first difference at line ${line + 1}:\n  got:      ${JSON.stringify(a[line])}\n  expected: ${JSON.stringify(e[line])}`);
}

/**
 * The process id of the Headroom language server of one code-server: among the descendants of
 * its process (by /proc's parent ids), the one running `serverJs`. Exactly one, or it throws.
 */
function languageServerPid(rootPid, serverJs) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found = [];
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift();
    queue.push(...(children.get(pid) ?? []));
    let argv;
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv.includes(serverJs)) found.push(pid);
  }
  if (found.length !== 1) throw new Error(`expected one language server (${serverJs}) under code-server ${rootPid}, found ${JSON.stringify(found)}`);
  return found[0];
}

let browser;
try {
  console.log(`UI test: ${vsix.slice(ROOT.length + 1)} in code-server`);
  browser = await launchBrowser(base);

  await windowSession(browser, 'trusted', TRUSTED_SETTINGS, async (step, { workspace, server }) => {
    // Before any spec is open: a $ref'ed file opened alone starts the server and is linted through its spec.
    await step("a $ref'ed file opened alone (specs/split/paths/items.yaml) is linted through root.yaml: squiggle, status naming root.yaml, Problems row", async (page) => {
      await openFromExplorer(page, 'specs', 'split', 'paths', 'items.yaml');
      await editor(page).locator('.squiggly-warning').first().waitFor();
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: 1 finding \(via root\.yaml\)$/ }).waitFor();
      const label = await headroomStatus(page).getAttribute('aria-label');
      if (!label?.includes('Linted through the spec that $ref this file: specs/split/root.yaml · 0 errors, 1 warning ·')) throw new Error(`the status item's tooltip reads ${JSON.stringify(label)}`);
      await headroomStatus(page).click(); // its command opens Problems
      await problemRows(page).filter({ hasText: 'GET /items documents no 429 (Too Many Requests) response.headroomratelimit-429-response[Ln 3, Col 3]' }).waitFor();
      // Only the fragment's findings: root.yaml is not open, and has none of its own in Problems.
      const rows = await problemRows(page).allInnerTexts();
      if (rows.some((r) => r.includes('root.yaml'))) throw new Error(`Problems lists root.yaml: ${JSON.stringify(rows)}`);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(base, 'fragment.png') });
    });

    await step('a YAML file no spec $refs (config/app.yaml): the status says "part of no spec in this workspace"; closing both clears Problems', async (page) => {
      await openFromExplorer(page, 'config', 'app.yaml');
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: part of no spec in this workspace$/ }).waitFor();
      await runCommand(page, 'View: Close All Editors');
      await problemRows(page).filter({ hasText: 'GET /items documents no 429' }).waitFor({ state: 'detached' });
      await runCommand(page, 'Collapse Folders in Explorer');
    });

    await step('opening specs/orders.yaml from the Explorer shows a warning and an error squiggle', async (page) => {
      await openFromExplorer(page, 'specs', 'orders.yaml');
      await editor(page).locator('.squiggly-warning').first().waitFor();
      await editor(page).locator('.squiggly-error').first().waitFor();
    });

    await step("the status bar shows Headroom's count and the Problems totals", async (page) => {
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: 2 findings$/ }).waitFor();
      await page.locator('[id="status.problems"][aria-label="Errors: 1, Warnings: 1"]').waitFor();
      const label = await headroomStatus(page).getAttribute('aria-label');
      if (!label?.includes('1 error, 1 warning ·')) throw new Error(`the status item's tooltip reads ${JSON.stringify(label)}`);
    });

    await step('the Problems panel lists both findings with their rule ids and positions', async (page) => {
      await headroomStatus(page).click(); // its command opens Problems
      // A row reads "message headroom(rule) [Ln, Col]"; the parentheses are CSS, not text.
      await problemRows(page).filter({ hasText: 'POST /orders documents no 429 (Too Many Requests) response.headroomratelimit-429-response[Ln 18, Col 7]' }).waitFor();
      await problemRows(page)
        .filter({ hasText: 'The 503 response of POST /orders documents no Retry-After header' })
        .filter({ hasText: 'headroomratelimit-retry-after[Ln 21, Col 9]' })
        .waitFor();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, 'diagnostics.png') });
    });

    await step("hovering the squiggle shows the message and the rule's doc", async (page) => {
      const box = await editor(page).locator('.squiggly-warning').first().boundingBox();
      if (!box) throw new Error('the warning squiggle has no box');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'Headroom: ratelimit-429-response' });
      await hover.filter({ hasText: 'POST /orders documents no 429 (Too Many Requests) response.' }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'hover.png') });
      await page.keyboard.press('Escape');
    });

    await step('"Headroom: Lint Workspace" from the Command Palette fills Problems for closed files', async (page) => {
      await runCommand(page, 'Headroom: Lint Workspace');
      // closed/inventory.json was never opened; its finding appears in Problems under its file.
      // Problems lists many files (errors first: coverage/ too) and renders only the rows in view: filter to it.
      const filter = page.getByPlaceholder(/^Filter \(e\.g\. text/).first();
      await filter.fill('inventory.json');
      await problemRows(page).filter({ hasText: 'inventory.json' }).waitFor();
      await problemRows(page).filter({ hasText: 'GET /stock documents no 429' }).waitFor();
      await filter.fill('');
    });

    // Export Gateway Policy…'s save flow, answered by clicking: the notification's "Save", then the
    // modal "Replace it?" dialog's Cancel and Replace.
    const spec = join(workspace, 'specs', 'orders.yaml');
    const saved = join(workspace, 'specs', 'orders.nginx.conf');
    const installed = join(server.extensions, `headroom.headroom-${packageVersion()}`);
    const cli = (target) => execFileSync(process.execPath, [join(installed, 'dist', 'cli.js'), 'export', spec, '--target', target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

    await step('"Headroom: Export Gateway Policy…" → NGINX → Save writes specs/orders.nginx.conf, what `headroom export` prints', async (page) => {
      if (existsSync(saved)) throw new Error(`${saved} exists before the export`);
      await exportToNginx(page, { typeIntoPreview: true });
      await toast(page, 'Headroom: saved specs/orders.nginx.conf.').waitFor();
      sameText(readFileSync(saved, 'utf8'), asEditorSaves(cli('nginx'), saved), 'specs/orders.nginx.conf');
      // The saved file took the preview's place.
      await page.locator('.tabs-container .tab.active', { hasText: 'orders.nginx.conf' }).waitFor();
    });

    await step('exporting again over a changed file: the modal "Replace it?" — Cancel keeps the file, Replace writes the export', async (page) => {
      const mine = '# my hand-tuned nginx.conf\n';
      writeFileSync(saved, mine);
      const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'specs/orders.nginx.conf already exists. Replace it?' });
      await exportToNginx(page);
      await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      // The command returns when the dialog is answered: nothing is left to write the file.
      sameText(readFileSync(saved, 'utf8'), mine, 'specs/orders.nginx.conf after Cancel');
      await exportToNginx(page);
      await dialog.getByRole('button', { name: 'Replace', exact: true }).click();
      await toast(page, 'Headroom: saved specs/orders.nginx.conf.').waitFor();
      sameText(readFileSync(saved, 'utf8'), asEditorSaves(cli('nginx'), saved), 'specs/orders.nginx.conf after Replace');
      const temp = readdirSync(dirname(saved)).filter((f) => f.endsWith('.tmp'));
      if (temp.length > 0) throw new Error(`the atomic write left ${temp.join(', ')}`);
    });

    await step('unsaved edits in the spec: the export asks first ("Show Problems" writes nothing; "Export Anyway" goes on to the preview and the save prompt)', async (page) => {
      const before = readFileSync(saved, 'utf8');
      await clearNotifications(page);
      await page.locator('.tabs-container .tab', { hasText: 'orders.yaml' }).click();
      await editor(page).locator('.view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('# draft');
      await page.locator('.tabs-container .tab.active.dirty', { hasText: 'orders.yaml' }).waitFor();
      const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'Headroom: export orders.yaml anyway?' }).filter({ hasText: 'orders.yaml has unsaved edits' });
      const pick = async () => {
        await runCommand(page, 'Headroom: Export Gateway Policy…');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'complete nginx.conf' }).click();
        await dialog.waitFor();
      };
      await pick();
      await dialog.getByRole('button', { name: 'Show Problems', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.markers-panel').waitFor();
      const asked = toast(page, 'Save the NGINX config as specs/orders.nginx.conf?');
      if ((await asked.count()) > 0) throw new Error('"Show Problems" went on with the export');
      await pick();
      await dialog.getByRole('button', { name: 'Export Anyway', exact: true }).click();
      await asked.waitFor();
      await clearNotifications(page); // the save prompt dismissed: nothing written
      sameText(readFileSync(saved, 'utf8'), before, 'specs/orders.nginx.conf after a dismissed save');
      // Close the preview, put the spec back as it is on disk.
      const preview = page.locator('.tabs-container .tab.active');
      await preview.hover();
      await preview.locator('.codicon-close').click();
      await page.locator('.tabs-container .tab', { hasText: 'orders.yaml' }).click();
      await runCommand(page, 'File: Revert File');
      await page.locator('.tabs-container .tab.dirty', { hasText: 'orders.yaml' }).waitFor({ state: 'detached' });
    });

    await step('a spec with a YAML syntax error: the export says "the spec has 1 syntax error", not annotation errors', async (page) => {
      const broken = join(workspace, 'specs', 'broken.yaml');
      writeFileSync(broken, 'openapi: 3.0.3\ninfo:\n  title: Broken\n  version: "1"\npaths:\n  /x:\n    get:\n      responses: {"200": {description: ok}\n');
      await clearNotifications(page);
      // Keep the spec's tab (opened with a single click, it would give its place to the next file).
      await page.locator('.tabs-container .tab', { hasText: 'orders.yaml' }).click();
      await runCommand(page, 'View: Keep Editor');
      await page.getByRole('treeitem', { name: 'broken.yaml', exact: true }).click();
      await page.locator('.tabs-container .tab.active', { hasText: 'broken.yaml' }).waitFor();
      // The palette lists the command once the extension has marked this editor as a spec (the
      // title bar's export button shows it); opened before, it keeps the list it had.
      await page.locator('.editor-actions .action-label[aria-label*="Export Gateway Policy"]').waitFor();
      await runCommand(page, 'Headroom: Export Gateway Policy…');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'complete nginx.conf' }).click();
      await toast(page, 'Headroom: export stopped: the spec has 1 syntax error. Nothing was written.').waitFor();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, 'export-stopped.png') });
      if (existsSync(join(workspace, 'specs', 'broken.nginx.conf'))) throw new Error('a config was written for a spec that does not parse');
      // Its tab's own close button ("View: Close Editor" in the palette may pick "Close Editor Group").
      const tab = page.locator('.tabs-container .tab', { hasText: 'broken.yaml' });
      await tab.hover();
      await tab.locator('.codicon-close').click();
      await tab.waitFor({ state: 'detached' });
      unlinkSync(broken);
    });

    await step('the language server is killed: the client restarts it, the status bar follows the new server, no notification', async (page) => {
      await clearNotifications(page);
      await page.locator('.tabs-container .tab', { hasText: 'orders.yaml' }).click();
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: 2 findings$/ }).waitFor();
      await runCommand(page, 'Headroom: Show Output');
      const output = page.locator('.part.panel .monaco-editor .view-lines');
      const pid = languageServerPid(server.pid, join(installed, 'dist', 'server.js'));
      process.kill(pid, 'SIGKILL');
      await output.filter({ hasText: 'Server process exited with signal SIGKILL.' }).waitFor();
      await output.filter({ hasText: 'Connection to server got closed. Server will restart.' }).waitFor();
      // An edit only the new server can lint: document the 503's Retry-After (1 finding left).
      await page.locator('.tabs-container .tab', { hasText: 'orders.yaml' }).click();
      await editor(page).locator('.view-lines').click(); // the keyboard goes to the editor, not the output
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('          headers: {Retry-After: {schema: {type: integer}}}');
      await editor(page).locator('.view-lines', { hasText: 'headers: {Retry-After: {schema: {type: integer}}}' }).waitFor();
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: 1 finding$/ }).waitFor();
      const label = await headroomStatus(page).getAttribute('aria-label');
      if (!label?.includes('0 errors, 1 warning ·')) throw new Error(`the status item's tooltip reads ${JSON.stringify(label)}`);
      await runCommand(page, 'File: Revert File');
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: 2 findings$/ }).waitFor();
      await editor(page).locator('.squiggly-error').first().waitFor();
      // Errors go to the Headroom output, never to a notification (let alone with a stack trace).
      const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
      const bad = toasts.filter((t) => /headroom|server|connection|^\s*at .+:\d+:\d+/im.test(t));
      if (bad.length > 0) throw new Error(`notifications after the crash: ${JSON.stringify(bad)}`);
      if (languageServerPid(server.pid, join(installed, 'dist', 'server.js')) === pid) throw new Error('the killed server still runs');
    });

    await step('"Headroom: Show Governance Coverage" opens the coverage beside the spec; a click on a cell moves the cursor to the operation', async (page) => {
      await openFromExplorer(page, 'coverage', 'shop.yaml');
      await editor(page).locator('.squiggly-warning').first().waitFor();
      // Room for the spec and the view side by side (and for the screenshot).
      await runCommand(page, 'View: Hide Panel');
      await runCommand(page, 'View: Close Primary Side Bar');
      await runCommand(page, 'Headroom: Show Governance Coverage');
      const view = await webviewFrame(page, 'body[data-ready=true] #matrix');
      // The spec's 7 operations; DELETE /orders (written in paths/orders.yaml) fails auth.
      await view.locator('#count', { hasText: '7 of 7 operations' }).waitFor();
      const cell = view.locator('.row.op', { hasText: 'deleteOrders' }).locator('.c[data-concern=auth] button');
      const label = await cell.getAttribute('aria-label');
      if (label !== 'Auth: fail (auth-401-response, auth-scheme-undefined)') throw new Error(`the DELETE /orders auth cell reads ${JSON.stringify(label)}`);
      await view.locator('.row.op', { hasText: 'listItems' }).locator('.c[data-concern=caching] button').click();
      await view.locator('#detail', { hasText: 'Shared response #/components/responses/ItemList' }).waitFor();
      await page.locator('[id="status.editor.selection"]', { hasText: 'Ln 18, Col 5' }).waitFor();
      await view.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(SHOTS, 'coverage-view.png') });
      await cell.click();
      await page.locator('.tabs-container .tab.active', { hasText: 'orders.yaml' }).waitFor();
      await page.locator('[id="status.editor.selection"]', { hasText: 'Ln 27, Col 1' }).waitFor();
    });

    await step('the HTML report (headroom report) opens in the browser without a request or a console error', async (page) => {
      const file = join(workspace, 'coverage', 'shop-report.html');
      execFileSync(process.execPath, [join(installed, 'dist', 'cli.js'), 'report', 'coverage/shop.yaml', '-o', file], { cwd: workspace, stdio: 'ignore' });
      const report = await page.context().newPage();
      const requests = [];
      const errors = [];
      report.on('request', (r) => requests.push(r.url()));
      report.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await report.goto(`file://${file}`);
      await report.locator('body[data-ready=true]').waitFor();
      await report.locator('.row.op', { hasText: 'listItems' }).locator('.c[data-concern=caching] button').click();
      await report.screenshot({ path: join(SHOTS, 'coverage-report.png') });
      await report.close();
      if (requests.length !== 1 || errors.length > 0) throw new Error(`requests ${JSON.stringify(requests)}, console errors ${JSON.stringify(errors)}`);
    });
  });

  await windowSession(browser, 'untrusted', UNTRUSTED_SETTINGS, async (step) => {
    await step('the window is in Restricted Mode', async (page) => {
      await page.locator('[id="status.workspaceTrust"]', { hasText: 'Restricted Mode' }).waitFor();
    });

    await step("custom/owned.yaml gets the built-in finding only: the ruleset's JavaScript rule does not run", async (page) => {
      await openFromExplorer(page, 'custom', 'owned.yaml');
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: 1 finding$/ }).waitFor();
      await headroomStatus(page).click();
      await problemRows(page).filter({ hasText: 'headroomratelimit-429-response[Ln 8, Col 7]' }).waitFor();
      // Both findings would come in the same publish: with the first here, the second is not coming.
      const owner = await problemRows(page).filter({ hasText: 'operation-owner' }).count();
      if (owner !== 0) throw new Error(`operation-owner ran in an untrusted window (${owner} row(s))`);
    });

    await step('the Headroom output says the function was not loaded and why', async (page) => {
      await runCommand(page, 'Headroom: Show Output');
      await page
        .locator('.part.panel .monaco-editor .view-lines')
        .filter({ hasText: 'custom functions hasOwner were not loaded: they run JavaScript and the workspace is not trusted' })
        .waitFor();
    });

    await step('trusting the folder brings the JavaScript rule in', async (page) => {
      await runCommand(page, 'Workspaces: Manage Workspace Trust');
      await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).click();
      await page.locator('[id="status.workspaceTrust"]').waitFor({ state: 'detached' });
      await page.locator('.tabs-container .tab', { hasText: 'owned.yaml' }).click();
      await headroomStatus(page).filter({ hasText: /^\s*Headroom: 2 findings$/ }).waitFor();
      await headroomStatus(page).click();
      await problemRows(page).filter({ hasText: 'The operation names no owner (x-owner).headroomoperation-owner[Ln 7, Col 5]' }).waitFor();
    });
  });
} catch (e) {
  results.failed++;
  console.error(e?.stack ?? String(e));
} finally {
  await browser?.close().catch(() => {});
}
const seconds = (Date.now() - started) / 1000;
// The README's screenshots ship in the VSIX (at most 1.5 MB in all): palette-quantized, a third of the size.
if (args['update-screenshots']) {
  for (const name of ['diagnostics.png', 'hover.png']) {
    const file = join(SHOTS, name);
    if (!existsSync(file)) continue;
    try {
      execFileSync('pngquant', ['16', '--speed', '1', '--strip', '--force', '--ext', '.png', file]);
    } catch (e) {
      console.error(`  ${name} is not quantized (apt-get install pngquant): ${e?.message ?? e}`);
    }
  }
}
console.log(`\n  screenshots: ${SHOTS.slice(ROOT.length + 1)}/`);
writeResult(args.results, { part: 'ui', ...results, seconds });
console.log(`[ui] ${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''} in ${seconds.toFixed(1)} s`);
process.exit(results.failed > 0 ? 1 : 0);
