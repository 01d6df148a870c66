// Renders images/icon.svg to images/icon.png (128x128, transparent corners) with playwright-core and
// Debian's chromium (the same pair the e2e tests use): node images/render-icon.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const here = new URL('.', import.meta.url).pathname;
const profile = mkdtempSync(join(tmpdir(), 'headroom-icon-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
  env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<body style="margin:0;background:transparent">${readFileSync(join(here, 'icon.svg'), 'utf8')}</body>`);
  await page.locator('svg').screenshot({ path: join(here, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log('wrote images/icon.png');
