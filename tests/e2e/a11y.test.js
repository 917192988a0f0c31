'use strict';
// Accessibility of every page: axe-core (WCAG 2.1 A and AA) finds no
// violation on any page, in English and in Danish; the person's pages reflow
// at 200% text without horizontal scrolling; and screenshots of every page
// at phone (390x844) and desktop (1280x900) width go to build/screenshots/ (docs/screenshots/ with `make screenshots`).
// One server (a world built through the API, tests/e2e/lib/scene.js) and
// one Chromium for the file.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  SHOTS, PHONE, DESKTOP, launch, newContext, axeViolations, shot, login, open,
  assertNoHorizontalScroll,
} = require('./lib/browser.js');
const { makeScene } = require('./lib/scene.js');

let sc;
let browser;

before(async () => {
  sc = await makeScene();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (sc) await sc.cleanup();
});

// The pages, by who looks at them. `name` names the screenshot; `h1` is
// a check that the page is the one meant (a heading is present).
function pages() {
  const { cid, ids, teams } = sc;
  return [
    { user: null, name: 'login', path: '/login' },
    { user: null, name: 'activate', path: `/activate/${sc.activationToken}` },
    { user: null, name: 'error-404', path: '/no/such/page', status: 404 },
    { user: 'cm1', name: 'home-care-manager', path: '/' },
    { user: 'ec1', name: 'home-employment-consultant', path: '/' },
    { user: 'suph', name: 'home-supervisor', path: '/' },
    { user: 'res', name: 'home-researcher', path: '/' },
    { user: 'admin', name: 'home-admin', path: '/' },
    { user: 'cm1', name: 'cases', path: '/cases' },
    { user: 'cm1', name: 'case', path: `/cases/${cid}` },
    { user: 'ec1', name: 'case-new', path: '/cases/new' },
    { user: 'cm1', name: 'case-timeline', path: `/cases/${cid}/timeline` },
    { user: 'cm1', name: 'case-notes', path: `/cases/${cid}/notes` },
    { user: 'ec1', name: 'case-evidence', path: `/cases/${cid}/evidence` },
    { user: 'ec1', name: 'case-decisions', path: `/cases/${cid}/decisions` },
    { user: 'cm1', name: 'case-consents', path: `/cases/${cid}/consents` },
    { user: 'suph', name: 'case-access-log', path: `/cases/${cid}/access-log` },
    { user: 'cm1', name: 'case-assessments', path: `/cases/${cid}/assessments` },
    { user: 'cm1', name: 'case-meetings', path: `/cases/${cid}/meetings` },
    { user: 'cm1', name: 'meeting', path: `/meetings/${ids.held}` },
    { user: 'cm1', name: 'meeting-planned', path: `/meetings/${ids.planned}` },
    { user: 'cm1', name: 'case-goals', path: `/cases/${cid}/goals` },
    { user: 'cm1', name: 'goal', path: `/goals/${ids.goal}` },
    { user: 'cm1', name: 'case-plan', path: `/cases/${cid}/plan` },
    { user: 'ec1', name: 'tasks', path: '/tasks' },
    { user: 'admin', name: 'teams', path: '/teams' },
    { user: 'admin', name: 'admin-team', path: `/teams/${teams.A.id}` },
    { user: 'admin', name: 'admin-accounts', path: '/admin/accounts' },
    { user: 'admin', name: 'admin-organisations', path: '/admin/organisations' },
    { user: 'admin', name: 'admin-sites', path: '/sites' },
    { user: null, name: 'accessibility', path: '/accessibility' },
    { user: null, name: 'privacy', path: '/privacy' },
    { user: 'suph', name: 'team', path: `/teams/${teams.A.id}`, svg: true },
    { user: 'suph', name: 'team-meetings', path: `/teams/${teams.A.id}/meetings` },
    { user: 'cm1', name: 'me', path: '/me' },
    { user: 'cm1', name: 'me-calendar', path: '/me/calendar' },
    { user: 'person', name: 'my-home', path: '/my', person: true },
    { user: 'person', name: 'my-meetings', path: '/my/meetings', person: true },
    { user: 'person', name: 'my-goals', path: '/my/goals', person: true },
    { user: 'person', name: 'my-consent-withdraw', path: '/my/data/consents/health_to_jobcentre/withdraw', person: true },
    { user: 'person', name: 'my-data', path: '/my/data', person: true },
    { user: 'person', name: 'my-pulse', path: `/meetings/${ids.held}/pulse`, person: true },
    { user: null, name: 'password-reset', path: '/password-reset' },
    { user: null, name: 'password-reset-dead', path: `/password-reset/${'0'.repeat(64)}`, status: 404 },
    { user: 'admin', name: 'outbox', path: '/outbox' },
    { user: 'cm1', name: 'me-notifications', path: '/me/notifications' },
    { user: 'person', name: 'my-notifications', path: '/me/notifications', person: true },
  ];
}

function username(user) {
  return user === 'person' ? sc.s.person.username : user;
}

// One logged-in page per user and language, made on demand.
async function withPages(lang, viewport, fn) {
  const ctxs = new Map();
  try {
    for (const p of pages()) {
      const key = p.user || '-';
      if (!ctxs.has(key)) {
        const ctx = await newContext(browser, sc.srv.url, lang, viewport);
        const page = await ctx.newPage();
        if (p.user) await login(page, sc.srv.url, username(p.user));
        ctxs.set(key, { ctx, page });
      }
      await fn(p, ctxs.get(key).page);
    }
  } finally {
    for (const { ctx } of ctxs.values()) await ctx.close();
  }
}

for (const lang of ['en', 'da']) {
  describe(`every page in ${lang === 'en' ? 'English' : 'Danish'}`, { timeout: 600000 }, () => {
    it('axe finds no WCAG 2.1 A/AA violation; desktop screenshots', async () => {
      const found = [];
      await withPages(lang, DESKTOP, async (p, page) => {
        await open(page, sc.srv.url, p.path, p.status || 200);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang,
          `${p.path} is in ${lang}`);
        assert.ok(await page.locator('h1').count() >= 1, `${p.path} has a heading`);
        if (p.svg) {
          const box = await page.locator('main svg').first().boundingBox();
          assert.ok(box && box.width > 50 && box.width <= DESKTOP.width, `${p.path}: the org chart is drawn and fits`);
        }
        await shot(page, `${p.name}-${lang}-desktop.png`);
        const v = await axeViolations(page);
        if (v.length) found.push({ page: `${p.path} as ${p.user || 'nobody'} (${lang})`, violations: v });
      });
      if (found.length) console.log(JSON.stringify(found, null, 2));
      assert.deepEqual(found.map((f) => `${f.page}: ${f.violations.map((v) => v.id).join(', ')}`), []);
    });

    it('every page at phone width: no horizontal scroll on the person\'s pages; screenshots', async () => {
      const wide = [];
      await withPages(lang, PHONE, async (p, page) => {
        await open(page, sc.srv.url, p.path, p.status || 200);
        const m = await page.evaluate(() => ({
          sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
        }));
        if (m.sw > m.cw + 1) wide.push(`${p.path} (${m.sw} > ${m.cw})`);
        await shot(page, `${p.name}-${lang}-phone.png`);
      });
      assert.deepEqual(wide, [], 'pages that scroll sideways on a phone');
    });
  });
}

describe('the person\'s pages with text at 200%', { timeout: 120000 }, () => {
  for (const lang of ['en', 'da']) {
    it(`reflow at 640 px with 200% text, no horizontal scroll (${lang})`, async () => {
      const ctx = await newContext(browser, sc.srv.url, lang, { width: 640, height: 900 });
      try {
        const page = await ctx.newPage();
        await login(page, sc.srv.url, sc.s.person.username);
        for (const p of pages().filter((x) => x.person)) {
          await open(page, sc.srv.url, p.path);
          const before = await page.evaluate(() => getComputedStyle(document.querySelector('main')).fontSize);
          await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
          const after = await page.evaluate(() => getComputedStyle(document.querySelector('main')).fontSize);
          assert.ok(parseFloat(after) >= 1.5 * parseFloat(before),
            `${p.path}: text grew (${before} -> ${after})`);
          await assertNoHorizontalScroll(page, `${p.path} at 200% (${lang})`);
          // Key content is still there and visible.
          const h1 = page.locator('main h1').first();
          assert.ok(await h1.isVisible(), `${p.path}: the heading is visible`);
          assert.ok((await h1.innerText()).trim().length > 0);
          assert.ok(await page.locator('main').evaluate((m) => m.innerText.length > 100),
            `${p.path}: the content is there`);
          if (p.name === 'my-home') {
            assert.ok(await page.locator('#reassessment-date').isVisible(),
              'the reassessment date is visible at 200%');
          }
          if (p.name === 'my-pulse') {
            assert.ok(await page.locator('main [type="submit"]').first().isVisible(),
              'the pulse can still be sent at 200%');
          }
        }
        if (lang === 'da') {
          await open(page, sc.srv.url, '/my');
          await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
          // The first screen only: a full page at 200% text is megabytes.
          await page.screenshot({ path: require('node:path').join(SHOTS, 'my-home-da-200pct.png') });
        }
      } finally {
        await ctx.close();
      }
    });
  }
});

describe('the checks themselves can fail', { timeout: 60000 }, () => {
  it('axe reports a planted violation, and a hidden focus ring is caught', async () => {
    const { tabTo } = require('./lib/browser.js');
    const ctx = await newContext(browser, sc.srv.url, 'en', DESKTOP);
    try {
      const page = await ctx.newPage();
      await open(page, sc.srv.url, '/login');
      await page.evaluate(() => {
        const i = document.createElement('img');
        i.src = '/static/ibbis.css';
        document.querySelector('main').appendChild(i);
      });
      const v = await axeViolations(page);
      assert.ok(v.some((x) => x.id === 'image-alt'), 'axe finds an image without alt text');
      await open(page, sc.srv.url, '/login');
      await page.addStyleTag({ content: '*, *:focus, *:focus-visible { outline: none !important; box-shadow: none !important; }' });
      await assert.rejects(tabTo(page, (f) => f.name === 'password', { max: 20 }), /focus is visible/);
    } finally {
      await ctx.close();
    }
  });
});
