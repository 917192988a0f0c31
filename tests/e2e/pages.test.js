'use strict';
// Browser test: Debian's Chromium (a fresh profile: playwright's launch
// makes a temporary user-data-dir each time) driven by playwright-core, axe-core for
// accessibility (WCAG 2.1 A and AA). Logs in through the form, looks at the
// login and home pages in English and Danish, saves screenshots to
// build/screenshots/ (docs/screenshots/ with `make screenshots`) and expects no axe violations.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, PASSWORD, startServer } = require('../api/lib/server.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.IBBIS_SCREENSHOTS || path.join(ROOT, 'build', 'screenshots');
const AXE = require.resolve('axe-core/axe.min.js', { paths: [ROOT] });
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let chromium;
let srv;
let browser;

async function axeCheck(page, what) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
    }));
  }, TAGS);
  if (result.length) {
    console.log(`axe violations on ${what}:\n${JSON.stringify(result, null, 2)}`);
  }
  assert.equal(result.length, 0,
    `axe: ${result.map((v) => `${v.id} (${v.impact}): ${v.help}`).join('; ')}`);
}

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

// Follows the layout's language switch to language `lang`.
async function switchLanguage(page, lang) {
  const link = page.locator(`a[href*="lang=${lang}"]`).first();
  assert.ok(await link.count() > 0, `a language switch link to ${lang}`);
  await Promise.all([page.waitForLoadState('load'), link.click()]);
  await page.waitForFunction((l) => document.documentElement.getAttribute('lang') === l, lang,
    { timeout: 10000 });
}

async function newContext() {
  // bypassCSP: axe is injected as an inline script, which the pages' CSP forbids.
  return browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 },
    bypassCSP: true });
}

before(async () => {
  ({ chromium } = require('playwright-core'));
  srv = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) { await srv.stop(); srv.cleanup(); }
});

describe('pages in Chromium', { timeout: 120000 }, () => {
  it('login page in English and Danish passes axe', async () => {
    const ctx = await newContext();
    try {
      const page = await ctx.newPage();
      const r = await page.goto(`${srv.url}/login`);
      assert.equal(r.status(), 200);
      assert.equal(await htmlLang(page), 'en');
      await shot(page, 'login-en.png');
      await axeCheck(page, 'login (en)');
      const titleEn = await page.locator('h1').first().innerText();

      await switchLanguage(page, 'da');
      assert.equal(await htmlLang(page), 'da');
      const titleDa = await page.locator('h1').first().innerText();
      assert.notEqual(titleDa, titleEn, 'the Danish page is translated');
      await shot(page, 'login-da.png');
      await axeCheck(page, 'login (da)');
    } finally {
      await ctx.close();
    }
  });

  it('logs in through the form; the home page in English and Danish passes axe', async () => {
    const ctx = await newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(`${srv.url}/login`);
      await page.locator('input[name="username"]').fill('cm1');
      await page.locator('input[name="password"]').fill(PASSWORD);
      await Promise.all([
        page.waitForURL((u) => new URL(u).pathname === '/', { timeout: 10000 }),
        page.locator('form').filter({ has: page.locator('input[name="password"]') })
          .locator('[type="submit"]').first().click(),
      ]);
      const cookies = await ctx.cookies();
      const session = cookies.find((c) => c.name === 'ibbis_session');
      assert.ok(session, 'session cookie set');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');

      assert.equal(await htmlLang(page), 'en');
      await shot(page, 'home-en.png');
      await axeCheck(page, 'home (en)');

      await switchLanguage(page, 'da');
      assert.equal(new URL(page.url()).pathname, '/');
      await shot(page, 'home-da.png');
      await axeCheck(page, 'home (da)');

      // The choice sticks: reloading stays Danish.
      await page.goto(`${srv.url}/`);
      assert.equal(await htmlLang(page), 'da');
    } finally {
      await ctx.close();
    }
  });

  it('a wrong password shows the message on the login page, which passes axe', async () => {
    const ctx = await newContext();
    try {
      const page = await ctx.newPage();
      await page.goto(`${srv.url}/login`);
      await page.locator('input[name="username"]').fill('cm1');
      await page.locator('input[name="password"]').fill('definitely-wrong');
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.locator('[type="submit"]').first().click(),
      ]);
      assert.equal(resp.status(), 401);
      await page.waitForLoadState('load');
      assert.equal(new URL(page.url()).pathname, '/login');
      await axeCheck(page, 'login with error (en)');
    } finally {
      await ctx.close();
    }
  });
});
