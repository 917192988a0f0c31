'use strict';
// Browser journeys (issues 4 and 6) on the real pages, with forms only:
// the care manager plans a roundtable, writes minutes, adds a goal and a
// plan step; the employment consultant holds a follow-up conversation and
// the next deadline moves; the person reads their reassessment date, asks a
// question for the next roundtable, withdraws a consent (and the health
// summary leaves the employment consultant's evidence page), sees that
// consultant in their access log, and answers the trust pulse. The person's
// journeys run on the keyboard alone, with visible focus at every stop.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { PASSWORD } = require('../api/lib/server.js');
const {
  DESKTOP, PHONE, launch, newContext, login, open, tabTo, focusInfo, axeCheck, shot,
} = require('./lib/browser.js');
const { makeScene, ok, today, workday } = require('./lib/scene.js');

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

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'],
  da: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september',
    'oktober', 'november', 'december'],
};
// "2016-11-30" as "30 November 2016" (en) or "30. november 2016" (da).
function longDate(iso, lang) {
  const [y, m, d] = iso.split('-').map(Number);
  return lang === 'da' ? `${d}. ${MONTHS.da[m - 1]} ${y}` : `${d} ${MONTHS.en[m - 1]} ${y}`;
}

async function submit(page, form) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    form.locator('[type="submit"]').first().click(),
  ]);
}

// The deadline row's due cell on the case page (the timeline table).
async function deadlineDue(page, label) {
  const row = page.locator('main tr').filter({ has: page.locator(`th:text-is("${label}")`) });
  if (await row.count() === 0) return null;
  return (await row.first().locator('td').first().innerText()).trim();
}

// Keyboard only: Tab to a focus stop, asserting visible focus on the way.
const isField = (name, tag) => (f) => f.name === name && (!tag || f.tag === tag);
const isLink = (href) => (f) => f.tag === 'a' && f.href === href;
const isButton = (text) => (f) => (f.tag === 'button' || f.type === 'submit') && f.text.includes(text);

async function keyboardLogin(page, username) {
  await page.goto(`${sc.srv.url}/login`);
  await tabTo(page, isField('username', 'input'));
  await page.keyboard.type(username);
  await tabTo(page, isField('password', 'input'));
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.notEqual(new URL(page.url()).pathname, '/login', 'logged in by keyboard');
}

// On a phone the navigation sits in DKFDS's menu drawer: a person on the
// keyboard opens it with the Menu button, then tabs to the link.
async function keyboardFollow(page, href) {
  try {
    await tabTo(page, isLink(href));
  } catch (e) {
    await tabTo(page, (f) => f.tag === 'button' && /^menu$/i.test(f.text.trim()));
    await page.keyboard.press('Enter');
    await tabTo(page, isLink(href));
  }
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, href);
}

async function keyboardPress(page, match, key = 'Enter') {
  const f = await tabTo(page, match);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
  return f;
}

describe('the care manager and the employment consultant', { timeout: 120000 }, () => {
  it('a. the CM plans a roundtable with the EC and the person, writes minutes, adds a goal and a plan step', async () => {
    const ctx = await newContext(browser, sc.srv.url, 'en', DESKTOP);
    try {
      const page = await ctx.newPage();
      await login(page, sc.srv.url, 'cm1');
      await open(page, sc.srv.url, `/cases/${sc.cid}/meetings`);
      const form = page.locator(`form[action="/cases/${sc.cid}/meetings"]`);
      await form.locator('select[name="kind"]').selectOption('roundtable');
      const day = workday(14); // a weekend or holiday would need confirming
      await form.locator('input[name="start"]').fill(`${day}T10:30`);
      await form.locator('input[name="duration"]').fill('90');
      await form.locator('input[name="site"]').fill('Sundhedshuset');
      await submit(page, form);
      assert.equal(await page.locator('.alert-error').count(), 0, 'no error after planning');

      const list = ok(await sc.s.cm1.call('GET', `/api/v1/cases/${sc.cid}/meetings`), 'meetings');
      const m = list.meetings.find((x) => x.start === `${day}T10:30`);
      assert.ok(m, 'the roundtable is stored at the time typed');
      assert.equal(m.kind, 'roundtable');
      assert.equal(m.duration, 90);
      const full = ok(await sc.s.cm1.call('GET', `/api/v1/meetings/${m.id}`), 'meeting');
      const roles = full.participants.map((p) => p.role).sort();
      assert.deepEqual(roles, ['care_manager', 'employment_consultant', 'service_user']);

      await open(page, sc.srv.url, `/meetings/${m.id}`);
      const main = page.locator('main');
      for (const name of ['Carla Care', 'Erik Employ', 'Sofie Service']) {
        assert.match(await main.innerText(), new RegExp(name), `${name} is on the meeting page`);
      }
      const minutes = 'Sofie wants to start with two hours a day. Erik explains the follow-up.';
      const mf = page.locator(`form[action="/meetings/${m.id}/minutes"]`);
      await mf.locator('textarea[name="text"]').fill(minutes);
      await submit(page, mf);
      assert.equal(new URL(page.url()).pathname, `/meetings/${m.id}`);
      assert.match(await page.locator('main').innerText(), /two hours a day\. Erik explains/);
      const mj = ok(await sc.s.ec1.call('GET', `/api/v1/meetings/${m.id}`), 'meeting');
      assert.equal(mj.minutes.text, minutes, 'the EC reads the minutes the CM wrote');

      await open(page, sc.srv.url, `/cases/${sc.cid}/goals`);
      const gf = page.locator(`form[action="/cases/${sc.cid}/goals"]`);
      await gf.locator('textarea[name="text"]').fill('Walk the dog every morning');
      await submit(page, gf);
      assert.match(await page.locator('main').innerText(), /Walk the dog every morning/);

      await open(page, sc.srv.url, `/cases/${sc.cid}/plan`);
      const pf = page.locator(`form[action="/cases/${sc.cid}/plan"]`);
      const texts = pf.locator('textarea[name$="_text"]');
      let empty = -1;
      for (let i = 0; i < await texts.count(); i++) {
        if ((await texts.nth(i).inputValue()) === '') { empty = i; break; }
      }
      assert.ok(empty >= 0, 'the plan form has an empty row');
      const row = texts.nth(empty);
      const prefix = (await row.getAttribute('name')).replace(/_text$/, '');
      await pf.locator(`select[name="${prefix}_kind"]`).selectOption('return_to_work');
      await row.fill('Meet the employer with Erik');
      await pf.locator(`select[name="${prefix}_responsible"]`).selectOption(String(sc.s.ec1.id));
      await pf.locator(`input[name="${prefix}_due"]`).fill(today(21));
      const before = ok(await sc.s.cm1.call('GET', `/api/v1/cases/${sc.cid}/plan`), 'plan').version;
      await submit(page, pf);
      assert.equal(await page.locator('.alert-error').count(), 0, 'the plan saved');
      const plan = ok(await sc.s.cm1.call('GET', `/api/v1/cases/${sc.cid}/plan`), 'plan');
      assert.equal(plan.version, before + 1, 'a new plan version');
      const step = plan.steps.find((s) => s.text === 'Meet the employer with Erik');
      assert.ok(step, 'the new step is in the plan');
      assert.equal(step.responsible, sc.s.ec1.id);
      assert.equal(step.due, today(21));
      assert.equal(plan.steps.length, 3, 'the earlier steps are kept');
    } finally {
      await ctx.close();
    }
  });

  it('b. the EC records a follow-up conversation, marks it held, and the next deadline moves', async () => {
    const ctx = await newContext(browser, sc.srv.url, 'en', DESKTOP);
    try {
      const page = await ctx.newPage();
      await login(page, sc.srv.url, 'ec1');
      await open(page, sc.srv.url, `/cases/${sc.cid}`);
      assert.equal(await deadlineDue(page, 'Next follow-up conversation'), null,
        'no next follow-up before the first is held');
      const firstBefore = await deadlineDue(page, 'First follow-up conversation');
      assert.ok(firstBefore, 'the first follow-up deadline is shown');

      await open(page, sc.srv.url, `/cases/${sc.cid}/meetings`);
      const form = page.locator(`form[action="/cases/${sc.cid}/meetings"]`);
      await form.locator('select[name="kind"]').selectOption('followup');
      const day = workday(-1, -1); // held on the last working day
      await form.locator('input[name="start"]').fill(`${day}T09:00`);
      await submit(page, form);
      const list = ok(await sc.s.ec1.call('GET', `/api/v1/cases/${sc.cid}/meetings`), 'meetings');
      const m = list.meetings.find((x) => x.kind === 'followup' && x.start === `${day}T09:00`);
      assert.ok(m, 'the follow-up is stored');
      assert.equal(m.status, 'planned');

      await open(page, sc.srv.url, `/meetings/${m.id}`);
      const sf = page.locator(`form[action="/meetings/${m.id}"]`);
      await sf.locator('select[name="status"]').selectOption('held');
      await submit(page, sf);
      assert.equal(ok(await sc.s.ec1.call('GET', `/api/v1/meetings/${m.id}`), 'm').status, 'held');

      const tl = ok(await sc.s.ec1.call('GET', `/api/v1/cases/${sc.cid}/timeline`), 'timeline');
      const next = tl.deadlines.find((d) => d.kind === 'next_followup');
      assert.ok(next, 'the engine now has a next follow-up');
      const first = tl.deadlines.find((d) => d.kind === 'first_followup');
      assert.equal(first.met_on, day, 'the first follow-up is met on the day it was held');

      await open(page, sc.srv.url, `/cases/${sc.cid}`);
      assert.equal(await deadlineDue(page, 'Next follow-up conversation'), longDate(next.due, 'en'),
        'the case page shows the next follow-up at the engine\'s date');
      await shot(page, 'journey-ec-next-followup-en-desktop.png');
    } finally {
      await ctx.close();
    }
  });
});

describe('the person, on the keyboard alone', { timeout: 180000 }, () => {
  for (const lang of ['en', 'da']) {
    it(`c. reads the reassessment date on Where I stand, as the engine computes it (${lang})`, async () => {
      const ctx = await newContext(browser, sc.srv.url, lang, PHONE);
      try {
        const page = await ctx.newPage();
        await keyboardLogin(page, sc.s.person.username);
        assert.equal(new URL(page.url()).pathname === '/' || new URL(page.url()).pathname === '/my', true);
        if (new URL(page.url()).pathname !== '/my') await keyboardFollow(page, '/my');
        const tl = ok(await sc.s.ec1.call('GET', `/api/v1/cases/${sc.cid}/timeline`), 'timeline');
        assert.match(tl.reassessment_date, /^\d{4}-\d{2}-\d{2}$/);
        const text = await page.locator('#reassessment-date').innerText();
        assert.ok(text.includes(longDate(tl.reassessment_date, lang)),
          `"${text}" shows ${longDate(tl.reassessment_date, lang)}`);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      } finally {
        await ctx.close();
      }
    });
  }

  it('d. adds a question to the next roundtable, private until shared', async () => {
    const ctx = await newContext(browser, sc.srv.url, 'da', PHONE);
    try {
      const page = await ctx.newPage();
      await keyboardLogin(page, sc.s.person.username);
      if (new URL(page.url()).pathname !== '/my/meetings') await keyboardFollow(page, '/my/meetings');
      const question = 'Kan jeg starte med to timer om dagen?';
      await tabTo(page, isField('text', 'textarea'));
      await page.keyboard.type(question);
      await keyboardPress(page, isButton(''), 'Enter');
      assert.equal(new URL(page.url()).pathname, '/my/meetings');
      assert.match(await page.locator('main').innerText(), /Kan jeg starte med to timer om dagen\?/);

      const item = async (who) => {
        const r = ok(await sc.s[who].call('GET', `/api/v1/meetings/${sc.ids.planned}/agenda`), 'agenda');
        return r.items.find((i) => i.text === question);
      };
      const mine = await item('person');
      assert.ok(mine, 'the person reads their question');
      assert.equal(mine.private, true, 'it is private');
      assert.equal(await item('cm1'), undefined, 'the CM does not see it yet');
      assert.equal(await item('ec1'), undefined, 'the EC does not see it yet');

      // Share it: Space on the share button (a button in the question's form).
      const share = page.locator('main form[action*="/share"] [type="submit"]').first();
      const shareText = (await share.innerText()).trim();
      await keyboardPress(page, isButton(shareText), ' ');
      const shared = await item('cm1');
      assert.ok(shared, 'the CM sees the question once shared');
      assert.equal(shared.private, false);
      assert.ok(await item('ec1'), 'so does the EC');
      await axeCheck(page, '/my/meetings after sharing (da)');
    } finally {
      await ctx.close();
    }
  });

  it('e. withdraws the health->jobcentre consent; the EC no longer sees the health summary', async () => {
    const ecCtx = await newContext(browser, sc.srv.url, 'en', DESKTOP);
    const ctx = await newContext(browser, sc.srv.url, 'en', PHONE);
    try {
      const ec = await ecCtx.newPage();
      await login(ec, sc.srv.url, 'ec1');
      await open(ec, sc.srv.url, `/cases/${sc.cid}/evidence`);
      assert.match(await ec.locator('main').innerText(), new RegExp(sc.healthSummary),
        'while consent is active the EC reads the health summary');

      const page = await ctx.newPage();
      await keyboardLogin(page, sc.s.person.username);
      await keyboardFollow(page, '/my/data');
      // Withdrawing first shows what it changes, then asks to confirm.
      await keyboardFollow(page, '/my/data/consents/health_to_jobcentre/withdraw');
      assert.match(await page.locator('main').innerText(), /The jobcentre can no longer read/,
        'the confirmation page says what it will change');
      const confirm = page.locator('main form').filter({ has: page.locator('input[name="confirm"][value="yes"]') });
      const label = (await confirm.locator('[type="submit"]').innerText()).trim();
      await keyboardPress(page, isButton(label), 'Enter');
      assert.equal(new URL(page.url()).pathname, '/my/data');
      const my = ok(await sc.s.person.call('GET', '/api/v1/my/data'), 'my data');
      const c = my.consents.find((x) => x.direction === 'health_to_jobcentre');
      assert.equal(c.active, false, 'the consent is withdrawn');
      assert.equal(await page.locator('main form').filter({
        has: page.locator('input[name="direction"][value="health_to_jobcentre"]'),
      }).filter({ has: page.locator('input[name="granted"][value="true"]') }).count(), 1,
      'the page now offers to grant it again');

      await ec.reload();
      const after = await ec.locator('main').innerText();
      assert.doesNotMatch(after, new RegExp(sc.healthSummary),
        'after withdrawal the EC no longer reads the health summary');
      const api = ok(await sc.s.ec1.call('GET', `/api/v1/cases/${sc.cid}/evidence`), 'evidence');
      assert.equal(api.evidence.filter((e) => e.category === 'health_shared').length, 0);
      const cm = ok(await sc.s.cm1.call('GET', `/api/v1/cases/${sc.cid}/evidence`), 'evidence');
      assert.equal(cm.evidence.filter((e) => e.text === sc.healthSummary).length, 1,
        'the CM still has it: it is hidden from the jobcentre, not deleted');
    } finally {
      await ctx.close();
      await ecCtx.close();
    }
  });

  it('f. sees the employment consultant\'s earlier access in the access log', async () => {
    const ctx = await newContext(browser, sc.srv.url, 'da', PHONE);
    try {
      const page = await ctx.newPage();
      await keyboardLogin(page, sc.s.person.username);
      await keyboardFollow(page, '/my/data');
      const log = page.locator('main table').filter({ hasText: 'Erik Employ' });
      assert.ok(await log.count() >= 1, 'Erik Employ is in the access log');
      const row = log.locator('tr').filter({ hasText: 'Erik Employ' }).first();
      const text = await row.innerText();
      assert.match(text, /Jobcenter Nord/, 'with his organisation');
      assert.match(text, /Jobkonsulent|jobkonsulent|beskæftigelse/i, 'and his role, in Danish');
      assert.ok(text.includes(longDate(today(0), 'da')), `on today's date: ${text}`);
      await shot(page, 'journey-my-data-log-da-phone.png');
    } finally {
      await ctx.close();
    }
  });

  it('g. answers the trust pulse after the held roundtable', async () => {
    const ctx = await newContext(browser, sc.srv.url, 'en', PHONE);
    try {
      const page = await ctx.newPage();
      await keyboardLogin(page, sc.s.person.username);
      await keyboardFollow(page, '/my/meetings');
      const pulse = `/meetings/${sc.ids.held}/pulse`;
      await keyboardFollow(page, pulse);
      const before = ok(await sc.s.person.call('GET', `/api/v1/meetings/${sc.ids.held}/pulse`), 'pulse');
      assert.equal(before.answered, false);
      // Each question is a radio group: Tab lands on its first option, Space picks it.
      const picked = [];
      for (const name of ['safe', 'same_goal', 'next_steps', 'listened']) {
        const f = await tabTo(page, (x) => x.name === name && x.type === 'radio');
        await page.keyboard.press('Space');
        picked.push([name, await page.evaluate(() => document.activeElement.value)]);
        assert.equal(f.name, name);
      }
      await tabTo(page, isField('text', 'textarea'));
      await page.keyboard.type('I felt heard.');
      await keyboardPress(page, (x) => x.type === 'submit' || x.tag === 'button', 'Enter');
      const after = ok(await sc.s.person.call('GET', `/api/v1/meetings/${sc.ids.held}/pulse`), 'pulse');
      assert.equal(after.answered, true, 'the pulse is answered');
      for (const [name, value] of picked) {
        assert.equal(String(after.answer[name]), String(value), `${name} as picked`);
      }
      assert.equal(after.answer.text, 'I felt heard.');
      const f = await focusInfo(page);
      assert.ok(f === null || f.visible, 'focus after sending is visible or on the page');
    } finally {
      await ctx.close();
    }
  });
});
