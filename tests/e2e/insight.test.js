'use strict';
// Browser journeys of issue 16, in both languages, axe clean, with forms
// only: a supervisor opens a survey round from My day, five care managers
// answer in the browser's form (posted like the page does), the supervisor
// reads the results (heat map with its text alternative and the tables,
// small cells hidden), opens the team overview with its charts, and adds a
// barrier to the integration log. The overview and the results are also
// read at phone width without sideways scrolling.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  DESKTOP, PHONE, launch, newContext, login, open, axeCheck, shot, assertNoHorizontalScroll,
} = require('./lib/browser.js');
const { makeWorld, session, today } = require('../api/lib/world.js');
const { ok } = require('./lib/scene.js');

const T = {
  en: { surveys: 'Team survey', open: 'Open the round', results: 'Results', fewer: 'fewer than 5 answers',
    log: 'Integration log', add: 'Add to the log', overview: 'Team overview' },
  da: { surveys: 'Teamets spørgeundersøgelse', open: 'Åbn runden', results: 'Resultater', fewer: 'færre end 5 svar',
    log: 'Integrationslog', add: 'Tilføj til loggen', overview: 'Teamets overblik' },
};

let w;
let browser;
const extra = ['cm3', 'cm4', 'cm5'];

before(async () => {
  const users = require('../api/lib/world.js').USERS.concat(extra.map((u) => (
    { username: u, role: 'care_manager', org: 'Region Psykiatri', name: `Extra ${u}` })));
  w = await makeWorld({ server: { users } });
  for (const u of extra) {
    w.s[u] = await session(w.srv, u);
    ok(await w.s.admin.call('POST', `/api/v1/teams/${w.teams.A.id}/members`,
      { user: w.s[u].id, role: 'care_manager', fraction: 1, from: today(-30) }), `member ${u}`);
  }
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (w) await w.cleanup();
});

async function submit(page, form) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    form.locator('[type="submit"]').first().click(),
  ]);
}

describe('issue 16 journeys', () => {
  for (const lang of ['en', 'da']) {
    it(`a supervisor opens a round, reads the results and adds to the integration log (${lang})`, async () => {
      const A = w.teams.A.id;
      const ctx = await newContext(browser, w.srv.url, lang, DESKTOP);
      try {
        const page = await ctx.newPage();
        await login(page, w.srv.url, 'supj');
        // From the home page to the team's survey.
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          page.locator(`#insight-teams a[href="/teams/${A}/surveys"]`).click(),
        ]);
        assert.match(await page.locator('h1').innerText(), new RegExp(T[lang].surveys));
        await axeCheck(page, `team survey (${lang})`);
        const form = page.locator(`form[action="/teams/${A}/surveys"]`);
        await form.locator('input[name="closes"]').fill(today(14));
        await submit(page, form);
        const row = page.locator('main tbody tr').first();
        const href = await row.locator(`a:text-is("${T[lang].results}")`).getAttribute('href');
        const round = Number(href.split('/')[2]);

        // Five care managers answer through the page's form.
        for (const [k, u] of ['cm1', 'cm2', 'cm3', 'cm4', 'cm5'].entries()) {
          const f = await w.srv.request('GET', `/surveys/${round}/response`, { jar: w.s[u].jar, headers: { Accept: 'text/html' } });
          assert.equal(f.status, 200);
          const fields = [...f.text.matchAll(/name="(rating\.[a-z_]+\.[a-z_]+)"/g)].map((m) => m[1]);
          const form2 = { csrf_token: w.s[u].csrf };
          for (const name of fields) {
            if (name.startsWith('rating.care_manager.') || name.startsWith('rating.employment_consultant.')) form2[name] = String(3 + (k % 2));
          }
          const p = await w.srv.request('POST', `/surveys/${round}/response`, { jar: w.s[u].jar, form: form2, headers: { Accept: 'text/html' } });
          assert.equal(p.status, 303, p.text);
        }
        // One consultant too: that cell stays hidden.
        ok(await w.s.ec1.call('PUT', `/api/v1/surveys/${round}/response`,
          { ratings: [{ role: 'care_manager', item: 'shared_goals', value: 2 }] }), 'ec answer');

        await open(page, w.srv.url, `/surveys/${round}/results`);
        assert.equal(await page.locator('svg[role="img"] title').first().textContent() !== '', true);
        assert.ok(await page.locator('svg[role="img"] desc').count() >= 1, 'a text alternative');
        assert.ok(await page.locator('main table').count() >= 2, 'the tables behind the chart');
        assert.match(await page.locator('main').innerText(), new RegExp(T[lang].fewer));
        await axeCheck(page, `survey results (${lang})`);
        await shot(page, `insight-results-${lang}-desktop.png`);

        await open(page, w.srv.url, `/teams/${A}/dashboard`);
        assert.match(await page.locator('h1').innerText(), new RegExp(T[lang].overview));
        await axeCheck(page, `team overview (${lang})`);
        await shot(page, `insight-dashboard-${lang}-desktop.png`);

        await open(page, w.srv.url, `/teams/${A}/integration-log`);
        const lf = page.locator(`form[action="/teams/${A}/integration-log"]`);
        await lf.locator('select[name="dimension"]').selectOption('shared_norms');
        const barrier = lang === 'da' ? 'Usikkerhed om, hvad jobcentret må bruge' : 'Unsure what the jobcentre may use';
        await lf.locator('textarea[name="barrier"]').fill(barrier);
        await lf.locator('select[name="strategy_type"]').selectOption('person_based');
        await submit(page, lf);
        assert.equal(new URL(page.url()).pathname, `/teams/${A}/integration-log`);
        assert.match(await page.locator('main table').innerText(), new RegExp(barrier));
        await axeCheck(page, `integration log (${lang})`);
      } finally {
        await ctx.close();
      }
    });
  }

  for (const lang of ['en', 'da']) {
    it(`a supervisor records an agreed supervision action and changes it; an empty form leads with the error summary (${lang})`, async () => {
      const A = w.teams.A.id;
      const m = await w.s.suph.call('POST', `/api/v1/teams/${A}/meetings`, { start: `${today(-1)}T${lang === 'da' ? '10' : '14'}:00`, duration: 60 });
      ok(m, 'supervision meeting');
      const ctx = await newContext(browser, w.srv.url, lang, DESKTOP);
      try {
        const page = await ctx.newPage();
        await login(page, w.srv.url, 'suph');
        await open(page, w.srv.url, `/teams/${A}/supervision-actions`);
        await axeCheck(page, `supervision actions (${lang})`);
        const f = page.locator(`form[action="/teams/${A}/supervision-actions"]`);
        await submit(page, f);
        const summary = page.locator('main .ibbis-error-summary');
        assert.equal(await summary.count(), 1, 'the error summary');
        // Every field is checked: meeting, action and assignee are missing.
        assert.deepEqual(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
          ['#sa-meeting', '#sa-action', '#sa-assignee']);
        await axeCheck(page, `supervision actions, failed (${lang})`);
        const f2 = page.locator(`form[action="/teams/${A}/supervision-actions"]`);
        await f2.locator('select[name="meeting"]').selectOption(String(m.json.id));
        await f2.locator('input[name="case_ref"]').fill('A-12');
        const action = lang === 'da' ? 'Ring til arbejdsgiveren sammen' : 'Call the employer together';
        await f2.locator('textarea[name="action"]').fill(action);
        await f2.locator('select[name="assignee"]').selectOption(String(w.s.cm1.id));
        await submit(page, f2);
        assert.equal(new URL(page.url()).pathname, `/teams/${A}/supervision-actions`);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(`main table a:text-is("${action}")`).first().click()]);
        await axeCheck(page, `supervision action page (${lang})`);
        const ef = page.locator('main form');
        await ef.locator('input[name="due"]').fill(today(7));
        await submit(page, ef);
        assert.match(await page.locator('main table').innerText(), new RegExp(today(7)));
      } finally {
        await ctx.close();
      }
    });
  }

  it('the overview and the results are readable at phone width', async () => {
    const ctx = await newContext(browser, w.srv.url, 'da', PHONE);
    try {
      const page = await ctx.newPage();
      await login(page, w.srv.url, 'suph');
      await open(page, w.srv.url, `/teams/${w.teams.A.id}/dashboard`);
      await assertNoHorizontalScroll(page, 'team overview on a phone');
      await axeCheck(page, 'team overview on a phone');
      await shot(page, 'insight-dashboard-da-phone.png');
      const rounds = await w.s.suph.call('GET', `/api/v1/teams/${w.teams.A.id}/surveys`);
      await open(page, w.srv.url, `/surveys/${rounds.json.surveys[0].id}/results`);
      await assertNoHorizontalScroll(page, 'survey results on a phone');
      await axeCheck(page, 'survey results on a phone');
    } finally {
      await ctx.close();
    }
  });
});
