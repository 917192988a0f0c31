'use strict';
// A failed form in the browser (the pages have no script: a plain post): the page comes back
// (400) with the message, the named field marked invalid and tied to the
// message, what was typed still in its field, and no axe violation, in
// English and Danish. The form-by-form details are in tests/api/forms.test.js.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  DESKTOP, launch, newContext, axeViolations, shot, login, open,
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

const TYPED = 'Tom & <Jerry> "quoted"';

// Each form: who, where, what to type (selector: value), the field that is
// wrong, and the fields whose typed value must come back.
function forms() {
  return [
    {
      name: 'referral', user: 'ec1', path: '/cases/new',
      fill: { '#name': TYPED, '#cpr': '12', '#contact': 'c/o Lise' },
      check: () => ['input[name="team"]'],
      bad: '#cpr', kept: ['#name', '#contact', '#cpr'],
    },
    {
      name: 'note', user: 'cm1', path: `/cases/${sc.cid}/notes`,
      fill: {}, bad: '#note-text', kept: [],
    },
    {
      name: 'my-goal', user: 'person', path: '/my/goals',
      fill: {}, bad: '#new-goal', kept: [],
    },
  ];
}

for (const lang of ['en', 'da']) {
  describe(`failed forms in ${lang === 'en' ? 'English' : 'Danish'}`, { timeout: 120000 }, () => {
    for (const f of ['referral', 'note', 'my-goal']) {
      it(`${f}: the page again, the field marked, the text kept, no axe violation`, async () => {
        const form = forms().find((x) => x.name === f);
        // The pages load no script of their own: a form is a plain post.
        const ctx = await newContext(browser, sc.srv.url, lang, DESKTOP);
        try {
          const page = await ctx.newPage();
          const who = form.user === 'person' ? sc.s.person.username : form.user;
          await login(page, sc.srv.url, who);
          await open(page, sc.srv.url, form.path);
          for (const [sel, v] of Object.entries(form.fill)) await page.locator(sel).fill(v);
          for (const sel of (form.check ? form.check() : [])) await page.locator(sel).first().check();
          const target = page.locator(form.bad);
          const submit = page.locator('form').filter({ has: target }).locator('[type="submit"]').first();
          const [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            submit.click(),
          ]);
          await page.waitForLoadState('load');
          assert.equal(resp.status(), 400, `${form.path}: a failed form answers 400`);
          assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
          const bad = page.locator(form.bad);
          assert.equal(await bad.getAttribute('aria-invalid'), 'true', `${form.bad} is marked invalid`);
          // The message the field points at is there and says something.
          const ids = ((await bad.getAttribute('aria-describedby')) || '').split(/\s+/).filter(Boolean);
          const texts = [];
          for (const id of ids) {
            const el = page.locator(`[id="${id}"]`);
            if (await el.count()) texts.push((await el.innerText()).trim());
          }
          assert.ok(texts.some((t) => t.length > 5), `${form.bad} is described by a message: ${JSON.stringify(texts)}`);
          for (const sel of form.kept) {
            assert.equal(await page.locator(sel).inputValue(), form.fill[sel], `${sel} keeps what was typed`);
          }
          await shot(page, `form-error-${form.name}-${lang}-desktop.png`);
          const v = await axeViolations(page);
          assert.deepEqual(v.map((x) => `${x.id}: ${x.help}`), [], `axe on the failed ${form.name} form`);
        } finally {
          await ctx.close();
        }
      });
    }
  });
}
