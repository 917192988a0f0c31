'use strict';
// Browser journeys of issue 15, in both languages, axe clean:
// - an employment consultant's morning: My day -> record a held follow-up
//   conversation in one form -> the next deadline moves, in at most two
//   page loads (counted by the browser's load events, login included);
// - a supervisor finds the team's cases with overdue deadlines from My day;
// - on a phone, "My tasks" needs no sideways scrolling.
// Screenshots go to build/screenshots/ (lib/browser.js).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  DESKTOP, PHONE, launch, newContext, login, open, axeCheck, shot, assertNoHorizontalScroll,
} = require('./lib/browser.js');
const { makeWorld, today } = require('../api/lib/world.js');
const { ibbisOk, PASSWORD } = require('../api/lib/server.js');
const { ok } = require('./lib/scene.js');

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'],
  da: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september',
    'oktober', 'november', 'december'],
};
function longDate(iso, lang) {
  const [y, m, d] = iso.split('-').map(Number);
  return lang === 'da' ? `${d}. ${MONTHS.da[m - 1]} ${y}` : `${d} ${MONTHS.en[m - 1]} ${y}`;
}
const T = {
  en: { day: 'My day', overdue: 'Overdue', next: 'Next follow-up conversation', cases: 'Cases' },
  da: { day: 'Min dag', overdue: 'Overskredet', next: 'Næste opfølgningssamtale', cases: 'Sager' },
};

let w;
let browser;
const caseOf = {};

before(async () => {
  w = await makeWorld();
  caseOf.en = w.kase.id;
  // A second case 60 days into sick leave, for the Danish morning.
  caseOf.da = ok(await w.s.ec1.call('POST', '/api/v1/cases', {
    name: 'Dorthe Dansk', cpr: '0707801234', first_absence_day: today(-60), employment: 'employee',
    absences: [{ from: today(-60), to: null }], earlier_benefit: [], team: w.teams.A.id,
    care_manager: w.s.cm1.id, employment_consultant: w.s.ec1.id,
  }), 'second case').id;
  // A third case stays overdue throughout: a plan step three days late.
  const third = ok(await w.s.ec1.call('POST', '/api/v1/cases', {
    name: 'Ole Overskredet', cpr: '0808801234', first_absence_day: today(-20), employment: 'employee',
    absences: [{ from: today(-20), to: null }], earlier_benefit: [], team: w.teams.A.id,
    care_manager: w.s.cm1.id, employment_consultant: w.s.ec1.id,
  }), 'third case').id;
  ok(await w.s.cm1.call('PUT', `/api/v1/cases/${third}/plan`, { steps: [
    { kind: 'treatment', text: 'Talk to the GP', responsible: w.s.cm1.id, due: today(-3) }] }), 'plan');
  ibbisOk(['sweep', '--db', w.srv.db]); // the nightly deadline tasks
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (w) await w.cleanup();
});

async function deadlineDue(page, label) {
  const row = page.locator('main tr').filter({ has: page.locator(`th:text-is("${label}")`) });
  if (await row.count() === 0) return null;
  return (await row.first().locator('td').first().innerText()).trim();
}

describe('issue 15 journeys', () => {
  for (const lang of ['en', 'da']) {
    it(`an EC's morning in ${lang}: My day -> a held follow-up -> the deadline moves, two page loads`, async () => {
      const ctx = await newContext(browser, w.srv.url, lang, DESKTOP);
      try {
        const page = await ctx.newPage();
        await page.goto(`${w.srv.url}/login`);
        await page.locator('input[name="username"]').fill('ec1');
        await page.locator('input[name="password"]').fill(PASSWORD);
        let loads = 0;
        page.on('load', () => { loads += 1; });
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.locator('form').filter({ has: page.locator('input[name="password"]') })
            .locator('[type="submit"]').first().click(),
        ]); // page load 1: My day, the home
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await page.locator('h1').innerText(), T[lang].day);
        const id = caseOf[lang];
        const item = page.locator('#day-tasks li').filter({ has: page.locator(`a[href="/cases/${id}#followup"]`) });
        assert.equal(await item.locator('.badge.badge-error').innerText(), T[lang].overdue,
          'overdue in words, with the DKFDS error badge');
        await axeCheck(page, `My day (${lang})`);
        await shot(page, `day-ec-${lang}-desktop.png`);

        const form = page.locator(`#followup-${id}`);
        await page.locator('details').filter({ has: form }).locator('summary').click();
        const held = today(-1);
        await form.locator('input[name="date"]').fill(held);
        await form.locator('select[name="mode"]').selectOption('phone');
        await form.locator('textarea[name="mode_reason"]').fill(lang === 'da' ? 'Borgeren var syg.' : 'The citizen was ill.');
        await form.locator('textarea[name="summary"]').fill(lang === 'da' ? 'Vi talte om planen.' : 'We talked about the plan.');
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          form.locator('[type="submit"]').click(),
        ]); // page load 2: the case, at its timeline
        assert.equal(new URL(page.url()).pathname, `/cases/${id}`);
        assert.equal(await deadlineDue(page, T[lang].next), longDate(today(27), lang),
          'the next follow-up 28 days after the held one');
        assert.ok(loads <= 2, `at most two page loads (were ${loads})`);
        await axeCheck(page, `the case after the follow-up (${lang})`);
        await shot(page, `day-ec-followup-saved-${lang}-desktop.png`);
      } finally {
        await ctx.close();
      }
    });

    it(`a supervisor finds the team's overdue cases in ${lang}`, async () => {
      const ctx = await newContext(browser, w.srv.url, lang, DESKTOP);
      try {
        const page = await ctx.newPage();
        await login(page, w.srv.url, 'supj');
        assert.equal(await page.locator('h1').innerText(), T[lang].day);
        await axeCheck(page, `a supervisor's day (${lang})`);
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.locator('#day-overdue-cases a').click(),
        ]);
        assert.equal(new URL(page.url()).pathname, '/cases');
        assert.equal(await page.locator('h1').innerText(), T[lang].cases);
        const api = ok(await w.s.supj.call('GET', '/api/v1/cases?overdue=1&status=open'), 'overdue');
        const rows = page.locator('main tbody tr');
        assert.equal(await rows.count(), api.cases.length);
        assert.ok(api.cases.length >= 1);
        for (let i = 0; i < await rows.count(); i++) {
          assert.equal(await rows.nth(i).locator('.badge.badge-error').innerText(), T[lang].overdue);
        }
        await axeCheck(page, `the overdue cases (${lang})`);
        await shot(page, `cases-overdue-${lang}-desktop.png`);
      } finally {
        await ctx.close();
      }
    });

    it(`My tasks and My meetings on a phone in ${lang}: no sideways scrolling`, async () => {
      const ctx = await newContext(browser, w.srv.url, lang, PHONE);
      try {
        const page = await ctx.newPage();
        await login(page, w.srv.url, 'ec1');
        await open(page, w.srv.url, '/tasks');
        await assertNoHorizontalScroll(page, `My tasks on a phone (${lang})`);
        await axeCheck(page, `My tasks on a phone (${lang})`);
        await shot(page, `tasks-${lang}-phone.png`);
        await open(page, w.srv.url, '/meetings');
        await assertNoHorizontalScroll(page, `My meetings on a phone (${lang})`);
        await axeCheck(page, `My meetings (${lang})`);
        await shot(page, `meetings-mine-${lang}-phone.png`);
      } finally {
        await ctx.close();
      }
    });
  }
});
