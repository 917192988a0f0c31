'use strict';
// Every form, submitted empty, in Chromium and in both languages: the page
// that comes back leads with DKFDS's error summary, which has the focus and
// links to the field; following the link puts the focus in that field. A
// form that has nothing to fill in may succeed instead, and then the page it
// lands on says so (the success message). Forms that change who may log in
// (an account's role or state) or end a membership are left out: they have
// no field to leave empty.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, newContext, login } = require('./lib/browser.js');
const { makeScene } = require('./lib/scene.js');

let sc;
let browser;
before(async () => { sc = await makeScene(); browser = await launch(); });
after(async () => {
  if (browser) await browser.close();
  if (sc) await sc.cleanup();
});

function pages() {
  const { cid, ids, teams } = sc;
  return [
    { user: null, path: '/login' },
    { user: 'ec1', path: '/cases/new' },
    { user: 'cm1', path: `/cases/${cid}/notes` },
    { user: 'ec1', path: `/cases/${cid}/evidence` },
    { user: 'ec1', path: `/cases/${cid}/decisions` },
    { user: 'cm1', path: `/cases/${cid}/meetings` },
    { user: 'cm1', path: `/meetings/${ids.planned}` },
    { user: 'cm1', path: `/cases/${cid}/goals` },
    { user: 'cm1', path: `/cases/${cid}/plan` },
    { user: 'ec1', path: '/tasks' },
    { user: 'suph', path: `/teams/${teams.A.id}/meetings` },
    { user: 'person', path: '/my/goals' },
    { user: 'person', path: '/my/meetings' },
    { user: 'admin', path: '/admin/organisations' },
    { user: 'admin', path: '/sites' },
    { user: 'admin', path: '/teams' },
    { user: 'admin', path: `/teams/${teams.B.id}` },
    { user: 'admin', path: '/admin/accounts' },
  ];
}

// The page's forms worth submitting empty: method post, not "Log out", with
// a field to fill in, and not one of the account or membership row forms.
async function formIndexes(page) {
  return page.evaluate(() => {
    const out = [];
    document.querySelectorAll('main form').forEach((f, i) => {
      const action = f.getAttribute('action') || '';
      if ((f.getAttribute('method') || '').toLowerCase() !== 'post') return;
      if (/\/logout$|\/admin\/accounts\/\d+\/|\/end$/.test(action)) return;
      const fields = f.querySelectorAll('input:not([type=hidden]):not([type=submit]), textarea, select');
      if (fields.length) out.push({ i, action });
    });
    return out;
  });
}

// Empties the form's text fields (dates and numbers included) and submits it.
async function submitEmpty(page, i) {
  await page.evaluate((n) => {
    const f = document.querySelectorAll('main form')[n];
    f.querySelectorAll('input[type=text], input[type=date], input[type=number], input[type=email], input[type=password], input[type=datetime-local], input[type=time], input:not([type]), textarea')
      .forEach((x) => { x.value = ''; });
  }, i);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.evaluate((n) => document.querySelectorAll('main form')[n].requestSubmit(), i),
  ]);
}

for (const lang of ['en', 'da']) {
  describe(`every form submitted empty (${lang})`, { timeout: 300000 }, () => {
    it('leads with the error summary, focused, linked to the field', async () => {
      const ctxs = new Map();
      const problems = [];
      let summaries = 0;
      try {
        for (const p of pages()) {
          const key = p.user || '-';
          if (!ctxs.has(key)) {
            const ctx = await newContext(browser, sc.srv.url, lang);
            const page = await ctx.newPage();
            if (p.user) await login(page, sc.srv.url, p.user === 'person' ? sc.s.person.username : p.user);
            if (p.user) await page.goto(`${sc.srv.url}/?lang=${lang}`);
            ctxs.set(key, page);
          }
          const page = ctxs.get(key);
          await page.goto(sc.srv.url + p.path);
          for (const { i, action } of await formIndexes(page)) {
            await page.goto(sc.srv.url + p.path);
            await submitEmpty(page, i);
            const what = `${p.path} form ${i} (${action})`;
            const got = await page.evaluate(() => {
              const s = document.querySelector('.ibbis-error-summary');
              const first = document.querySelector('main')?.firstElementChild;
              return {
                summary: !!s,
                first: first === s,
                focused: !!s && document.activeElement === s,
                links: s ? [...s.querySelectorAll('a')].map((a) => a.getAttribute('href')) : [],
                targets: s ? [...s.querySelectorAll('a')].map((a) => !!document.getElementById(a.getAttribute('href').slice(1))) : [],
                flash: !!document.querySelector('.ibbis-flash'),
                h1: document.querySelector('h1')?.innerText || '',
              };
            });
            if (!got.summary) {
              if (!got.flash) problems.push(`${what}: neither an error summary nor a success message (h1 "${got.h1}")`);
              continue;
            }
            summaries++;
            if (!got.first) problems.push(`${what}: the summary is not first in main`);
            if (!got.focused) problems.push(`${what}: the summary does not have the focus`);
            if (!got.links.length) { problems.push(`${what}: the summary links to no field`); continue; }
            if (got.targets.includes(false)) { problems.push(`${what}: a link goes nowhere (${got.links})`); continue; }
            await page.locator('.ibbis-error-summary a').first().click();
            const id = await page.evaluate(() => document.activeElement && document.activeElement.id);
            if (`#${id}` !== got.links[0]) problems.push(`${what}: following ${got.links[0]} focused #${id}`);
          }
        }
      } finally {
        for (const page of ctxs.values()) await page.context().close();
      }
      console.log(`${summaries} forms showed the error summary (${lang})`);
      assert.deepEqual(problems, []);
      assert.ok(summaries >= 15, `only ${summaries} forms were tried`);
    });
  });
}
