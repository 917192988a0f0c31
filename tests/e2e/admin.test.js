'use strict';
// The administrator's journey in Chromium, in English and Danish, axe clean
// on every page: from the home page (what they can do) to the teams, a new
// team made through its form, a colleague added to it part time, the
// success message, and the member in the team's table. Also: on a phone the
// page's heading starts within the first 200 px, and DKFDS's own menu
// (the drawer) opens from the menu button.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, newContext, axeCheck, shot, login, PHONE } = require('./lib/browser.js');
const { makeScene } = require('./lib/scene.js');

let sc;
let browser;
before(async () => { sc = await makeScene(); browser = await launch(); });
after(async () => {
  if (browser) await browser.close();
  if (sc) await sc.cleanup();
});

const WORDS = {
  en: { home: 'What you can do as administrator', teams: 'Teams and members', added: 'It has been added.',
    created: 'It has been created.', menu: 'Menu' },
  da: { home: 'Det kan du som administrator', teams: 'Teams og medlemmer', added: 'Det er tilføjet.',
    created: 'Det er oprettet.', menu: 'Menu' },
};

async function submitted(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

for (const lang of ['en', 'da']) {
  describe(`an administrator adds a member to a team (${lang})`, { timeout: 120000 }, () => {
    it('home, teams, a new team, a member part time; axe clean on each page', async () => {
      const W = WORDS[lang];
      const ctx = await newContext(browser, sc.srv.url, lang);
      try {
        const page = await ctx.newPage();
        await login(page, sc.srv.url, 'admin');
        await page.goto(`${sc.srv.url}/?lang=${lang}`);
        assert.equal(await page.locator('h1').innerText(), W.home);
        await axeCheck(page, `admin home (${lang})`);
        await shot(page, `admin-home-${lang}-desktop.png`);

        await submitted(page, page.getByRole('link', { name: W.teams }));
        assert.equal(new URL(page.url()).pathname, '/teams');
        await axeCheck(page, `teams (${lang})`);

        const name = `Team ${lang.toUpperCase()} North`;
        await page.locator('#team-name').fill(name);
        await page.locator('#team-site').selectOption({ label: 'Sundhedshuset' });
        await submitted(page, page.locator('form[action="/teams"] [type="submit"]'));
        assert.match(new URL(page.url()).pathname, /^\/teams\/\d+$/);
        assert.ok((await page.locator('.ibbis-flash').innerText()).includes(W.created));
        assert.equal(await page.locator('h1').innerText(), name);

        const who = sc.s.cm2.me.name;
        await page.locator('#member-user').selectOption({ label: new RegExp(`^${who} `) }).catch(async () => {
          const v = await page.locator('#member-user option', { hasText: who }).first().getAttribute('value');
          await page.locator('#member-user').selectOption(v);
        });
        await page.locator('#member-role').selectOption('care_manager');
        await page.locator('#member-fraction').selectOption('0.5');
        await axeCheck(page, `team with the member form (${lang})`);
        await submitted(page, page.locator(`form[action$="/members"] [type="submit"]`));
        const flash = page.locator('.ibbis-flash');
        assert.ok((await flash.innerText()).includes(W.added), 'the save says so');
        const row = page.locator('#members ~ table tbody tr', { hasText: who });
        assert.equal(await row.count(), 1, `${who} is in the table`);
        assert.ok((await row.innerText()).includes('50'), 'part time: 50 %');
        await axeCheck(page, `team after adding (${lang})`);
        await shot(page, `admin-team-${lang}-desktop.png`);
      } finally {
        await ctx.close();
      }
    });

    it('on a phone: the heading within the first 200 px, DKFDS\'s menu opens', async () => {
      const ctx = await newContext(browser, sc.srv.url, lang, PHONE);
      try {
        const page = await ctx.newPage();
        await login(page, sc.srv.url, 'admin');
        for (const p of ['/', '/admin/accounts', '/teams', '/accessibility']) {
          await page.goto(`${sc.srv.url}${p}`);
          const top = await page.locator('h1').first().evaluate((h) => h.getBoundingClientRect().top);
          assert.ok(top < 200, `${p}: the heading starts at ${top} px`);
        }
        await shot(page, `accessibility-${lang}-phone.png`);
        await page.goto(`${sc.srv.url}/admin/accounts`);
        await shot(page, `admin-accounts-${lang}-phone.png`);
        const drawer = page.locator('.mobile-drawer');
        assert.equal(await drawer.isVisible(), false);
        await page.locator('.js-menu-open').click();
        await drawer.waitFor({ state: 'visible' });
        assert.ok(await drawer.getByRole('link', { name: lang === 'da' ? 'Brugere' : 'Accounts' }).isVisible());
        await axeCheck(page, `the open menu (${lang})`);
        // The viewport only: a full-page shot resizes the window, and DKFDS
        // then closes the drawer when it happens to measure its close
        // button at width 0 (the cause of the close button once not
        // showing here). The drawer is a fixed overlay: the viewport is it.
        await shot(page, `menu-${lang}-phone.png`, { fullPage: false });
        const close = page.locator('.js-menu-close');
        assert.ok(await close.isVisible(), 'the open drawer shows its close button');
        await close.click();
        await drawer.waitFor({ state: 'hidden' });
      } finally {
        await ctx.close();
      }
    });
  });
}
