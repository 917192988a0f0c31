'use strict';
// Shared browser helpers for the e2e tests: one Chromium per test file
// (Debian's /usr/bin/chromium through playwright-core), axe-core, screenshots,
// form login, focus visibility and reflow checks.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, PASSWORD } = require('../../api/lib/server.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Screenshots go to build/screenshots/ (the checkout stays clean); `make
// screenshots` points IBBIS_SCREENSHOTS at docs/screenshots/ to refresh them.
const SHOTS = process.env.IBBIS_SCREENSHOTS || path.join(ROOT, 'build', 'screenshots');
const AXE = require.resolve('axe-core/axe.min.js', { paths: [ROOT] });
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

// A new context in language `lang` ('en' or 'da'): Accept-Language and the
// `lang` cookie for `baseUrl`, so every page (login included) comes in it.
async function newContext(browser, baseUrl, lang = 'en', viewport = DESKTOP, extra = {}) {
  // bypassCSP: the pages forbid inline scripts (Content-Security-Policy);
  // axe is injected by the test as one, so the test's browser lets it in.
  const ctx = await browser.newContext(Object.assign({
    locale: lang === 'da' ? 'da-DK' : 'en-GB', viewport, bypassCSP: true,
  }, extra));
  await ctx.addCookies([{ name: 'lang', value: lang, url: baseUrl }]);
  return ctx;
}

// axe-core's WCAG 2.1 A/AA violations on the page, as short objects.
async function axeViolations(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
    }));
  }, TAGS);
}

async function axeCheck(page, what) {
  const v = await axeViolations(page);
  if (v.length) console.log(`axe violations on ${what}:\n${JSON.stringify(v, null, 2)}`);
  assert.equal(v.length, 0, `axe on ${what}: ${v.map((x) => `${x.id} (${x.impact}): ${x.help}`).join('; ')}`);
}

// fullPage: false takes the viewport only. A full-page screenshot resizes
// the viewport for a moment, and DKFDS's navigation closes an open mobile
// drawer on a resize when it measures the close button at width 0 (it takes
// that for "no longer a phone"): an open drawer is shot without resizing.
async function shot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage });
}

// Logs in through the login form; resolves once the form has been answered.
async function login(page, baseUrl, username, password = PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForURL((u) => new URL(u).pathname !== '/login', { timeout: 10000 }),
    page.locator('form').filter({ has: page.locator('input[name="password"]') })
      .locator('[type="submit"]').first().click(),
  ]);
}

// Goes to `p` and asserts the status (200 unless told).
async function open(page, baseUrl, p, status = 200) {
  const r = await page.goto(baseUrl + p);
  assert.equal(r.status(), status, `GET ${p}: status ${r.status()}`);
  return r;
}

// Describes the focused element and whether its focus indicator is visible:
// a non-zero outline (not style none) or a box-shadow.
async function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      name: el.getAttribute('name') || '',
      type: el.getAttribute('type') || '',
      href: el.getAttribute('href') || '',
      text: (el.innerText || el.value || '').trim().slice(0, 60),
      visible: Boolean(outline || shadow),
      outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
      shadow: cs.boxShadow,
    };
  });
}

// Presses Tab (or Shift+Tab) until `match(info)` is true, asserting at every
// stop that focus is visible. Returns the focused element's info.
async function tabTo(page, match, { max = 60, back = false } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focusInfo(page);
    if (!f) continue;
    seen.push(`${f.tag}${f.name ? `[${f.name}]` : ''}${f.href ? `(${f.href})` : ''} ${f.text}`);
    assert.ok(f.visible, `focus is visible on ${seen[seen.length - 1]} (outline ${f.outline}, shadow ${f.shadow})`);
    if (match(f)) return f;
  }
  throw new Error(`no focus stop matched after ${max} presses; saw:\n${seen.join('\n')}`);
}

// No horizontal scrolling at the page's current size.
async function assertNoHorizontalScroll(page, what) {
  const m = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
  }));
  assert.ok(m.sw <= m.cw + 1, `${what}: no horizontal scroll (scrollWidth ${m.sw}, clientWidth ${m.cw})`);
}

module.exports = {
  CHROMIUM, SHOTS, TAGS, PHONE, DESKTOP, launch, newContext, axeViolations, axeCheck, shot,
  login, open, focusInfo, tabTo, assertNoHorizontalScroll,
};
