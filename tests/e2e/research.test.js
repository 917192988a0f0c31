'use strict';
// The research pages (issue 17) in Chromium: the studies list with its
// create form (admin), a study, its dictionary, and a researcher's home,
// in English and Danish, axe clean and working without JavaScript (the
// study is created by submitting the form with JavaScript off).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DESKTOP, launch, newContext, axeViolations, login, open } = require('./lib/browser.js');
const { makeWorld, today } = require('../api/lib/world.js');

let w;
let browser;
let studyId;
let docId;
let codeId;

before(async () => {
  w = await makeWorld();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (w) await w.cleanup();
});

describe('research pages', { timeout: 180000 }, () => {
  it('the admin creates a study with the form, without JavaScript', async () => {
    const ctx = await newContext(browser, w.srv.url, 'en', DESKTOP, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await login(page, w.srv.url, 'admin');
    await open(page, w.srv.url, '/studies');
    await page.fill('#study-name', 'Process study');
    await page.check(`#study-team-${w.teams.A.id}`);
    await page.fill('#study-from', today(-365));
    await page.fill('#study-to', today());
    await page.check(`#study-researcher-${w.s.res.id}`);
    await page.check('#study-dates-month');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/studies"] button[type=submit]')]);
    const m = /\/studies\/(\d+)(\?|$)/.exec(page.url());
    assert.ok(m, page.url());
    studyId = Number(m[1]);
    assert.match(await page.locator('main').innerText(), /Process study/);
    // A failed form comes back with the field marked and the name kept.
    await open(page, w.srv.url, '/studies');
    await page.fill('#study-name', 'Second');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/studies"] button[type=submit]')]);
    assert.equal(await page.inputValue('#study-name'), 'Second');
    assert.match(await page.locator('#study-error').innerText(), /team/i);
    await ctx.close();
    const r = await w.s.res.call('POST', `/api/v1/studies/${studyId}/documents`, {
      title: 'Interview', kind: 'interview', stakeholder: 'care_manager',
      text: 'Første afsnit: vi mødtes 😀 i går.\nAndet afsnit om tillid.',
    });
    assert.equal(r.status, 201, r.text);
    docId = r.json.id;
    const codes = (await w.s.res.call('GET', `/api/v1/studies/${studyId}/codes`)).json.codes;
    codeId = codes[5].id;
    assert.equal((await w.s.res.call('POST', `/api/v1/documents/${docId}/segments`,
      { start: 0, end: 5, code: codes[0].id, condensed: 'first' })).status, 201);
  });

  it('with JavaScript, selecting text fills start and end in code points', async () => {
    const ctx = await newContext(browser, w.srv.url, 'en', DESKTOP);
    const page = await ctx.newPage();
    await login(page, w.srv.url, 'res');
    await open(page, w.srv.url, `/documents/${docId}`);
    // Select "i går" in the first paragraph: after an emoji (one code
    // point, two UTF-16 units), so a UTF-16 count would be off by one.
    await page.evaluate(() => {
      const span = document.querySelector('#p-1 .ibbis-para-text');
      const t = span.firstChild;
      const at = t.data.indexOf('i går');
      const r = document.createRange();
      r.setStart(t, at);
      r.setEnd(t, at + 'i går'.length);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
    });
    await page.waitForFunction(() => document.getElementById('seg-start').value !== '');
    const text = 'Første afsnit: vi mødtes 😀 i går.';
    const start = Array.from(text.slice(0, text.indexOf('i går'))).length;
    assert.equal(await page.inputValue('#seg-start'), String(start));
    assert.equal(await page.inputValue('#seg-end'), String(start + 5));
    await ctx.close();
  });

  for (const lang of ['en', 'da']) {
    it(`axe finds nothing on the research pages (${lang})`, async () => {
      const found = [];
      for (const [user, paths] of [['admin', ['/studies', `/studies/${studyId}`]],
        ['res', ['/', '/studies', `/studies/${studyId}`, `/studies/${studyId}/dictionary`,
          `/studies/${studyId}/documents`, `/documents/${docId}`, `/studies/${studyId}/codes`,
          `/studies/${studyId}/matrix`, `/codes/${codeId}`]]]) {
        const ctx = await newContext(browser, w.srv.url, lang, DESKTOP);
        const page = await ctx.newPage();
        await login(page, w.srv.url, user);
        for (const p of paths) {
          await open(page, w.srv.url, p);
          assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
          const v = await axeViolations(page);
          if (v.length) found.push(`${p} as ${user}: ${v.map((x) => x.id).join(', ')}`);
        }
        await ctx.close();
      }
      assert.deepEqual(found, []);
    });
  }
});
