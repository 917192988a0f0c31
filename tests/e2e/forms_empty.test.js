'use strict';
// Every form, submitted empty, in Chromium and in both languages: the page
// that comes back leads with DKFDS's error summary, which has the focus, lists
// every error and links each one to a field on the page; following the first
// link puts the focus in that field; axe finds nothing. A form that has
// nothing to fill in may succeed instead, and then the page it lands on says
// so (the success message). Forms that change who may log in (an account's
// role or state), end a membership or a session, or delete are left out:
// they have no field to leave empty. One server, and one page per user and
// language on the session the scene made.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, newContext, axeViolations } = require('./lib/browser.js');
const { makeScene, ok, today } = require('./lib/scene.js');

let sc;
let browser;
const ids = {};
before(async () => {
  [sc, browser] = await Promise.all([makeScene(), launch()]);
  const { s, teams } = sc;
  const A = teams.A.id;
  // A study with a document and its codes (research), and the team's
  // records (insight): a survey round, a glossary term, an integration log
  // entry and a supervision action.
  const study = ok(await s.admin.call('POST', '/api/v1/studies',
    { name: 'Forms', teams: [A], from: today(-30), to: today(), researchers: [s.res.id] }), 'study');
  ids.study = study.id;
  ids.doc = ok(await s.res.call('POST', `/api/v1/studies/${study.id}/documents`,
    { title: 'Interview', kind: 'interview', stakeholder: 'care_manager', text: 'Vi mødtes i går.' }),
  'document').id;
  ids.code = ok(await s.res.call('GET', `/api/v1/studies/${study.id}/codes`), 'codes').codes[0].id;
  ids.round = ok(await s.suph.call('POST', `/api/v1/teams/${A}/surveys`,
    { instrument: 'ibbis-coordination', opens: today(0), closes: today(14) }), 'survey').id;
  ids.term = ok(await s.cm1.call('POST', `/api/v1/teams/${A}/glossary`, {
    term_en: 'the person', term_da: 'borgeren', meaning_en: 'The person on sick leave.',
    meaning_da: 'Den sygemeldte.', avoid: 'patient', decided_by: 'The team',
    decided_on: today(-7), decided_how: 'negotiated',
  }), 'glossary').id;
  ids.log = ok(await s.ec1.call('POST', `/api/v1/teams/${A}/integration-log`, {
    dimension: 'shared_norms', barrier: 'Unsure what may be passed on',
    strategy: 'Consent read aloud', strategy_type: 'person_based', implications: 'None',
  }), 'integration log').id;
  const m = ok(await s.suph.call('POST', `/api/v1/teams/${A}/meetings`,
    { start: `${today(-1)}T14:00`, duration: 60 }), 'supervision meeting');
  ids.action = ok(await s.suph.call('POST', `/api/v1/teams/${A}/supervision-actions`,
    { meeting: m.id, case_ref: 'A-12', action: 'Call the employer', assignee: s.cm1.id, due: today(7) }),
  'supervision action').id;
});
after(async () => {
  if (browser) await browser.close();
  if (sc) await sc.cleanup();
});

function pages() {
  const { cid, teams } = sc;
  const A = teams.A.id;
  return [
    { user: null, path: '/login' },
    { user: null, path: '/password-reset' },
    { user: null, path: `/activate/${sc.activationToken}` },
    { user: 'ec1', path: '/cases/new' },
    { user: 'ec1', path: '/' },
    { user: 'ec1', path: `/cases/${cid}` },
    { user: 'cm1', path: `/cases/${cid}/notes` },
    { user: 'ec1', path: `/cases/${cid}/evidence` },
    { user: 'ec1', path: `/cases/${cid}/decisions` },
    { user: 'person', path: `/cases/${cid}/consents` },
    { user: 'cm1', path: `/cases/${cid}/meetings` },
    { user: 'cm1', path: `/meetings/${sc.ids.planned}` },
    { user: 'cm1', path: `/meetings/${sc.ids.held}` },
    { user: 'cm1', path: `/cases/${cid}/goals` },
    { user: 'cm1', path: `/cases/${cid}/plan` },
    { user: 'cm1', path: '/me/notifications' },
    { user: 'ec1', path: `/surveys/${ids.round}/response` },
    { user: 'suph', path: `/teams/${A}/meetings` },
    { user: 'suph', path: `/teams/${A}/surveys` },
    { user: 'suph', path: `/teams/${A}/supervision-actions` },
    { user: 'suph', path: `/supervision-actions/${ids.action}` },
    { user: 'suph', path: `/teams/${A}/glossary` },
    { user: 'suph', path: `/glossary/${ids.term}` },
    { user: 'suph', path: `/teams/${A}/integration-log` },
    { user: 'suph', path: `/integration-log/${ids.log}` },
    { user: 'person', path: '/my/goals' },
    { user: 'person', path: `/goals/${sc.ids.goal}` },
    { user: 'person', path: '/my/meetings' },
    { user: 'person', path: '/my/data' },
    { user: 'person', path: `/meetings/${sc.ids.held}/pulse` },
    { user: 'res', path: `/studies/${ids.study}/documents` },
    { user: 'res', path: `/documents/${ids.doc}` },
    { user: 'res', path: `/studies/${ids.study}/codes` },
    { user: 'res', path: `/codes/${ids.code}` },
    { user: 'admin', path: '/studies' },
    { user: 'admin', path: '/admin/organisations' },
    { user: 'admin', path: '/sites' },
    { user: 'admin', path: '/teams' },
    { user: 'admin', path: `/teams/${teams.B.id}` },
    { user: 'admin', path: '/admin/accounts' },
  ];
}

// The page's forms worth submitting empty: method post, not "Log out", with
// a field to fill in, and not one of the row forms that change a state by a
// choice that is never empty (an account's role, a meeting's status) or end
// or delete something. The task rows and the calendar link have no field.
async function formIndexes(page) {
  return page.evaluate(() => {
    const out = [];
    document.querySelectorAll('main form').forEach((f, i) => {
      const action = f.getAttribute('action') || '';
      if ((f.getAttribute('method') || '').toLowerCase() !== 'post') return;
      if (/\/logout$|\/admin\/accounts\/\d+\/|^\/meetings\/\d+$|\/end$|\/delete$/.test(action)) return;
      const fields = f.querySelectorAll('input:not([type=hidden]):not([type=submit]), textarea, select');
      if (fields.length) out.push({ i, action });
    });
    return out;
  });
}

// Empties the form's text fields (dates, numbers and files included) and
// submits it. False when the browser's own checks (a form without
// novalidate) would stop it before the server sees it.
async function submitEmpty(page, i) {
  const sendable = await page.evaluate((n) => {
    const f = document.querySelectorAll('main form')[n];
    f.querySelectorAll('input[type=text], input[type=date], input[type=number], input[type=email], input[type=password], input[type=datetime-local], input[type=time], input[type=file], input:not([type]), textarea')
      .forEach((x) => { x.value = ''; });
    return f.noValidate || f.checkValidity();
  }, i);
  if (!sendable) return false;
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.evaluate((n) => document.querySelectorAll('main form')[n].requestSubmit(), i),
  ]);
  return true;
}

// Makes `page` (one browser context per language, so the style sheets and
// icons are fetched once) act as `user`: the session the scene logged in
// through the API, its language chosen once (?lang= is kept for the user);
// null: no session.
async function actAs(page, user, lang) {
  const ctx = page.context();
  await ctx.clearCookies();
  const cookies = [{ name: 'lang', value: lang, url: sc.srv.url }];
  if (user) for (const [name, value] of sc.s[user].jar.cookies) cookies.push({ name, value, url: sc.srv.url });
  await ctx.addCookies(cookies);
  if (user) await page.goto(`${sc.srv.url}/?lang=${lang}`);
}

// Each page's forms in language `lang`; returns the problems found and the
// number of forms that showed the summary.
async function tryAll(lang) {
  const problems = [];
  const seen = [];
  const page = await (await newContext(browser, sc.srv.url, lang)).newPage();
  let as;
  try {
    // Grouped by user, in the order first met, so each user is set once.
    const list = pages();
    const users = [...new Set(list.map((p) => p.user))];
    for (const p of users.flatMap((u) => list.filter((x) => x.user === u))) {
      if (p.user !== as) { await actAs(page, p.user, lang); as = p.user; }
      const r = await page.goto(sc.srv.url + p.path);
      if (r.status() !== 200) { problems.push(`${p.path}: GET answered ${r.status()}`); continue; }
      const forms = await formIndexes(page);
      if (!forms.length) problems.push(`${p.path}: no form to try`);
      let first = true;
      let axed = false; // axe once on each page's failed form: the forms of a page share it
      for (const { i, action } of forms) {
        if (!first) await page.goto(sc.srv.url + p.path);
        first = false;
        const what = `${p.path} form ${i} (${action}, ${lang})`;
        if (process.env.FORMS_TRACE) console.error(new Date().toISOString(), what);
        if (!await submitEmpty(page, i)) { problems.push(`${what}: the browser's own checks stop it (no novalidate)`); continue; }
        const got = await page.evaluate(() => {
          const s = document.querySelector('.ibbis-error-summary');
          const first = document.querySelector('main')?.firstElementChild;
          return {
            summary: !!s,
            first: first === s,
            focused: !!s && document.activeElement === s,
            links: s ? [...s.querySelectorAll('li')].map((li) => li.querySelector('a')?.getAttribute('href') || null) : [],
            targets: s ? [...s.querySelectorAll('a')].map((a) => !!document.getElementById(a.getAttribute('href').slice(1))) : [],
            flash: !!document.querySelector('.ibbis-flash'),
            h1: document.querySelector('h1')?.innerText || '',
          };
        });
        if (!got.summary) {
          if (got.flash) seen.push(`${what}: saved`);
          else problems.push(`${what}: neither an error summary nor a success message (h1 "${got.h1}")`);
          continue;
        }
        seen.push(`${what}: ${got.links.length} error(s) ${got.links.join(' ')}`);
        if (!got.first) problems.push(`${what}: the summary is not first in main`);
        if (!got.focused) problems.push(`${what}: the summary does not have the focus`);
        if (!got.links.length || got.links.includes(null)) { problems.push(`${what}: an error links to no field (${got.links})`); continue; }
        if (got.targets.includes(false)) { problems.push(`${what}: a link goes nowhere (${got.links})`); continue; }
        const v = axed ? [] : await axeViolations(page);
        axed = true;
        if (v.length) problems.push(`${what}: axe: ${v.map((x) => `${x.id}: ${x.nodes.join(' | ')}`).join('; ')}`);
        await page.locator('.ibbis-error-summary a').first().click();
        const id = await page.evaluate(() => document.activeElement && document.activeElement.id);
        if (`#${id}` !== got.links[0]) problems.push(`${what}: following ${got.links[0]} focused #${id}`);
      }
    }
  } finally {
    await page.context().close();
  }
  return { problems, seen };
}

// One language after the other: ?lang= is kept for the user, so the two
// cannot share the users at the same time.
for (const lang of ['en', 'da']) {
  describe(`every form submitted empty (${lang})`, { timeout: 600000 }, () => {
    it('leads with the error summary, focused, linked to the fields, axe clean', async () => {
      const r = await tryAll(lang);
      console.log(r.seen.join('\n'));
      assert.deepEqual(r.problems, []);
      const summaries = r.seen.filter((x) => !/: saved$/.test(x)).length;
      assert.ok(summaries >= 40, `only ${summaries} forms showed the summary`);
    });
  });
}
