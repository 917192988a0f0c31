'use strict';
// The service user's own pages (issue 6): /my, /my/meetings, /my/goals,
// /my/data. Built on the shared world (tests/api/lib/world.js): world.s.person
// is the activated service user of the one referred case.

const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld } = require('./lib/world');
const { csrfFromHtml } = require('./lib/server');

let w;
test.before(async () => { w = await makeWorld(); });
test.after(async () => { if (w) await w.cleanup(); });

// Long dates written by hand from the month names of each language, so the
// expected text does not come from the program under test.
const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'],
  da: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august',
    'september', 'oktober', 'november', 'december'],
};
function longDate(iso, lang) {
  const [y, m, d] = iso.split('-').map(Number);
  return lang === 'da' ? `${d}. ${MONTHS.da[m - 1]} ${y}` : `${d} ${MONTHS.en[m - 1]} ${y}`;
}

// A page as a browser asks for it, in one language.
function page(s, path, lang) {
  const sep = path.includes('?') ? '&' : '?';
  return w.srv.request('GET', `${path}${sep}lang=${lang}`, { jar: s.jar, headers: { Accept: 'text/html' } });
}

// A form post as a browser sends it (CSRF token from the page).
async function form(s, path, fields, from = '/my') {
  const p = await page(s, from, 'en');
  const token = csrfFromHtml(p.text);
  assert.ok(token, `a csrf_token on ${from}`);
  return w.srv.request('POST', path, {
    jar: s.jar, headers: { Accept: 'text/html' }, form: Object.assign({ csrf_token: token }, fields),
  });
}

// Danish local "YYYY-MM-DDTHH:MM" days from now (the meetings API's format).
function localStart(days, hour = 10) {
  return `${w.today(days)}T${String(hour).padStart(2, '0')}:00`;
}

test('/my shows the reassessment date of the timeline, in English and Danish', async () => {
  const { person, ec1 } = w.s;
  const tl = await ec1.call('GET', `/api/v1/cases/${w.kase.id}/timeline`);
  assert.equal(tl.status, 200);
  const date = tl.json.reassessment_date;
  // An open absence that started 60 days ago reaches the 110-day limit.
  assert.match(date, /^\d{4}-\d{2}-\d{2}$/);

  const api = await person.call('GET', '/api/v1/my');
  assert.equal(api.status, 200);
  assert.equal(api.json.reassessment_date, date);
  assert.equal(api.json.case.id, w.kase.id);

  for (const lang of ['en', 'da']) {
    const r = await page(person, '/my', lang);
    assert.equal(r.status, 200, `${lang}: ${r.text.slice(0, 200)}`);
    assert.match(r.headers['content-type'], /text\/html/);
    assert.ok(r.text.includes(longDate(date, lang)), `${lang}: ${longDate(date, lang)} on /my`);
    assert.ok(r.text.includes(`lang="${lang}"`));
    // Who is who: both professionals by name.
    assert.ok(r.text.includes('Carla Care'));
    assert.ok(r.text.includes('Erik Employ'));
    // The support person is named with the Danish legal term in both languages.
    assert.ok(r.text.includes('bisidder'));
    // Each legal term is explained in place.
    assert.ok(r.text.includes('<details'));
  }
  const en = await page(person, '/my', 'en');
  assert.ok(en.text.includes('Where I stand'));
  assert.ok(en.text.includes('job clarification'));
  const da = await page(person, '/my', 'da');
  assert.ok(da.text.includes('Hvor står jeg'));
  assert.ok(da.text.includes('jobafklaringsforløb'));
  assert.ok(da.text.includes('Ankestyrelsen'));
});

test('/my: a year without a rate in the profile says the rate is not known', async () => {
  const { person } = w.s;
  // The profile has 2017's rates only (DKK 14,808 / 11,143): never shown as this year's.
  const year = new Date().getFullYear();
  const en = await page(person, '/my', 'en');
  if (year === 2017) {
    assert.ok(en.text.includes('14,808') && en.text.includes('11,143'));
    return;
  }
  assert.ok(!en.text.includes('14,808'), 'no old year\'s rate as today\'s');
  assert.ok(en.text.includes(`The rate for ${year} is not known here yet.`));
  const da = await page(person, '/my', 'da');
  assert.ok(!da.text.includes('14.808'));
  assert.ok(da.text.includes(`Satsen for ${year} kendes ikke her endnu.`));
});

test('/my opens with "The most important right now": weeks and days of the 22', async () => {
  const { person } = w.s;
  const tl = await person.call('GET', `/api/v1/cases/${w.kase.id}/timeline`);
  const b = tl.json.benefit_days; // weekdays: five to a week
  const [wk, d] = [Math.floor(b / 5), b % 5];
  const en = await page(person, '/my', 'en');
  const box = en.text.slice(en.text.indexOf('id="h-important"'), en.text.indexOf('id="h-now"'));
  assert.ok(box.includes('The most important right now'));
  const enDur = `${wk} week${wk === 1 ? '' : 's'}${d ? ` and ${d} day${d === 1 ? '' : 's'}` : ''}`;
  assert.ok(box.includes(`You have received sickness benefit for ${enDur} of the 22 weeks.`), box);
  assert.ok((box.match(/<p class="alert-text">/g) || []).length <= 3, 'three sentences at most');
  const da = await page(person, '/my', 'da');
  const daDur = `${wk} ${wk === 1 ? 'uge' : 'uger'}${d ? ` og ${d} ${d === 1 ? 'dag' : 'dage'}` : ''}`;
  assert.ok(da.text.includes(`Du har fået sygedagpenge i ${daDur}. Grænsen er 22 uger.`));
  assert.ok(da.text.includes('Det vigtigste lige nu'));
});

test('every page answers in both languages', async () => {
  const { person } = w.s;
  const want = {
    '/my/meetings': { en: 'My meetings', da: 'Mine møder' },
    '/my/goals': { en: 'My goals and plan', da: 'Mine mål og min plan' },
    '/my/data': { en: 'Who has looked at my information', da: 'Hvem har set mine oplysninger' },
  };
  for (const [path, texts] of Object.entries(want)) {
    for (const lang of ['en', 'da']) {
      const r = await page(person, path, lang);
      assert.equal(r.status, 200, `${path} ${lang}`);
      assert.ok(r.text.includes(texts[lang]), `${path} ${lang}: ${texts[lang]}`);
      assert.ok(/<h1[ >]/.test(r.text), `${path}: a heading`);
    }
  }
});

test('professionals cannot read the person\'s pages', async () => {
  for (const who of ['cm1', 'ec1', 'suph', 'supj', 'admin', 'res']) {
    for (const path of ['/my', '/my/meetings', '/my/goals', '/my/data']) {
      const r = await w.s[who].call('GET', `/api/v1${path}`);
      assert.equal(r.status, 403, `${who} ${path}`);
      assert.equal(r.json.error.code, 'forbidden');
      assert.ok(!r.text.includes('Sofie'), 'no case content in the refusal');
    }
  }
  const r = await w.s.cm1.call('POST', '/api/v1/my/data/consents',
    { direction: 'health_to_jobcentre', granted: true, purpose: 'benefit_case' });
  assert.equal(r.status, 403);
});

test('a private question before a roundtable, then shared with the meeting', async () => {
  const { person, cm1, ec1 } = w.s;
  const m = await cm1.call('POST', `/api/v1/cases/${w.kase.id}/meetings`,
    { kind: 'roundtable', start: localStart(7), duration: 60 });
  assert.equal(m.status, 201, m.text);
  const mid = m.json.id;

  const list = await person.call('GET', '/api/v1/my/meetings');
  assert.equal(list.status, 200);
  const up = list.json.upcoming.find((x) => x.id === mid);
  assert.ok(up, 'the roundtable is upcoming');
  assert.equal(up.can_ask, true);
  const names = up.participants.map((p) => p.name);
  assert.ok(names.includes('Carla Care') && names.includes('Erik Employ'));

  let r = await person.call('POST', `/api/v1/my/meetings/${mid}/questions`, { text: '   ' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'text');

  const q = 'Can I start with two mornings a week?';
  r = await person.call('POST', `/api/v1/my/meetings/${mid}/questions`, { text: q });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.question.private, true);
  const qid = r.json.question.id;

  // Private: the professionals do not see it.
  for (const pro of [cm1, ec1]) {
    const a = await pro.call('GET', `/api/v1/meetings/${mid}/agenda`);
    assert.equal(a.status, 200);
    assert.ok(!a.text.includes(q), 'a private question stays private');
  }
  const mine = await page(person, '/my/meetings', 'en');
  assert.ok(mine.text.includes(q));
  assert.ok(mine.text.includes('Share with the meeting'));

  // Shared through the page's own form (no JavaScript): 303 back to the list.
  r = await form(person, `/my/meetings/${mid}/questions/${qid}/share`, { share: 'true' }, '/my/meetings');
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, `/my/meetings?flash=saved#meeting-${mid}`);
  for (const pro of [cm1, ec1]) {
    const a = await pro.call('GET', `/api/v1/meetings/${mid}/agenda`);
    assert.ok(a.text.includes(q), 'a shared question reaches the meeting');
  }
  const after = await person.call('GET', '/api/v1/my/meetings');
  const item = after.json.upcoming.find((x) => x.id === mid).questions.find((x) => x.id === qid);
  assert.equal(item.private, false);

  // A form post with a blank question re-renders the page with the message.
  r = await form(person, `/my/meetings/${mid}/questions`, { text: '' }, '/my/meetings');
  assert.equal(r.status, 400);
  assert.ok(r.text.includes('aria-describedby="question-hint-' + mid + ' question-error-' + mid));
});

test('questions only to the person\'s own planned roundtables', async () => {
  const { person } = w.s;
  const r = await person.call('POST', '/api/v1/my/meetings/999999/questions', { text: 'x' });
  assert.equal(r.status, 404);
});

test('goals: the person adds and edits a goal in their own words', async () => {
  const { person, cm1 } = w.s;
  let r = await person.call('POST', '/api/v1/my/goals', { text: '' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'text');
  r = await person.call('POST', '/api/v1/my/goals', { text: 'Sleep through the night again' });
  assert.equal(r.status, 201, r.text);
  const gid = r.json.goal.id;
  const seen = await cm1.call('GET', `/api/v1/cases/${w.kase.id}/goals`);
  assert.ok(seen.text.includes('Sleep through the night again'), 'the CM sees the goal');

  r = await person.call('POST', `/api/v1/my/goals/${gid}`, { status: 'finished' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'status');
  r = await form(person, `/my/goals/${gid}`, { text: 'Sleep six hours most nights', status: 'reached' }, '/my/goals');
  assert.equal(r.status, 303);
  const g = await person.call('GET', '/api/v1/my/goals');
  const goal = g.json.goals.find((x) => x.id === gid);
  assert.equal(goal.text, 'Sleep six hours most nights');
  assert.equal(goal.status, 'reached');
});

test('goals page shows the plan steps and who is responsible', async () => {
  const { person, cm1 } = w.s;
  const r = await cm1.call('PUT', `/api/v1/cases/${w.kase.id}/plan`, {
    steps: [{ kind: 'treatment', text: 'CBT sessions every week', responsible: cm1.id, due: w.today(30), status: 'in_progress' }],
  });
  assert.ok(r.status === 200 || r.status === 201, r.text);
  const p = await page(person, '/my/goals', 'en');
  assert.ok(p.text.includes('CBT sessions every week'));
  assert.ok(p.text.includes('Carla Care'));
  assert.ok(p.text.includes(longDate(w.today(30), 'en')));
});

test('consent withdrawn from /my/data takes effect for the EC', async () => {
  const { person, cm1, ec1 } = w.s;
  const secret = 'Health summary: sleeping better, can manage 3 hours a day';
  let r = await form(person, '/my/data/consents',
    { direction: 'health_to_jobcentre', granted: 'true', purpose: '' }, '/my/data');
  assert.equal(r.status, 400, 'a grant needs a purpose');
  assert.ok(r.text.includes('purpose-error-health_to_jobcentre'));

  r = await form(person, '/my/data/consents',
    { direction: 'health_to_jobcentre', granted: 'true', purpose: 'benefit_case' }, '/my/data');
  assert.equal(r.status, 303);
  r = await cm1.call('POST', `/api/v1/cases/${w.kase.id}/evidence`,
    { kind: 'health_summary', ground: 3, supplied_on: w.today(-1), text: secret });
  assert.equal(r.status, 201, r.text);
  r = await ec1.call('GET', `/api/v1/cases/${w.kase.id}/evidence`);
  assert.ok(r.text.includes(secret), 'with consent the EC reads the health summary');

  const d = await person.call('GET', '/api/v1/my/data');
  const h2j = d.json.consents.find((c) => c.direction === 'health_to_jobcentre');
  assert.equal(h2j.active, true);
  assert.equal(h2j.since, w.today());

  r = await form(person, '/my/data/consents', { direction: 'health_to_jobcentre', granted: 'false' }, '/my/data');
  assert.equal(r.status, 303, 'a withdrawal without confirming goes to the confirmation page');
  assert.equal(r.headers.location, '/my/data/consents/health_to_jobcentre/withdraw');
  r = await ec1.call('GET', `/api/v1/cases/${w.kase.id}/evidence`);
  assert.ok(r.text.includes(secret), 'not confirmed: nothing changed');
  for (const [lang, heading, effect] of [
    ['en', 'Do you want to withdraw your consent?', 'The jobcentre can no longer read'],
    ['da', 'Vil du trække dit samtykke tilbage?', 'Jobcentret kan ikke længere læse'],
  ]) {
    const c = await page(person, '/my/data/consents/health_to_jobcentre/withdraw', lang);
    assert.equal(c.status, 200);
    assert.ok(c.text.includes(heading), `${lang}: the question`);
    assert.ok(c.text.includes(effect), `${lang}: what it changes`);
    assert.ok(/name="confirm" value="yes"/.test(c.text), `${lang}: the confirming form`);
    assert.ok(c.text.includes('href="/my/data#consent-health_to_jobcentre"'), `${lang}: the way back`);
  }
  r = await form(person, '/my/data/consents', { direction: 'health_to_jobcentre', granted: 'false', confirm: 'yes' }, '/my/data');
  assert.equal(r.status, 303);
  assert.match(r.headers.location, /^\/my\/data/);
  r = await ec1.call('GET', `/api/v1/cases/${w.kase.id}/evidence`);
  assert.ok(!r.text.includes(secret), 'after withdrawal the EC no longer reads it');
  const d2 = await person.call('GET', '/api/v1/my/data');
  assert.equal(d2.json.consents.find((c) => c.direction === 'health_to_jobcentre').active, false);

  const bad = await person.call('POST', '/api/v1/my/data/consents', { direction: 'both', granted: true, purpose: 'x' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'direction');
});

test('the access log names who looked, per person and day', async () => {
  const { person, ec1 } = w.s;
  await ec1.call('GET', `/api/v1/cases/${w.kase.id}`);
  const d = await person.call('GET', '/api/v1/my/data');
  const row = d.json.log.find((g) => g.who.name === 'Erik Employ' && g.day === w.today());
  assert.ok(row, 'the EC\'s look-up today');
  assert.ok(!d.json.log.some((g) => g.who.name === 'Sofie Service'), 'own actions are left out');
  const html = await page(person, '/my/data', 'da');
  assert.ok(html.text.includes('Erik Employ'));
  assert.ok(html.text.includes(longDate(w.today(), 'da')));
});
