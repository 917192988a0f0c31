'use strict';
// "My day" (issue 15): GET / and /api/v1/me/day for a care manager, an
// employment consultant or a supervisor; a held follow-up recorded in one
// form moves the deadline at once; /api/v1/meetings?from=&to= across cases.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');
const { ibbisOk, PG_DIR } = require('./lib/server');

let w;
let s;
let kase;
let later;

test.before(async () => {
  w = await makeWorld();
  s = w.s;
  kase = w.kase.id;
  // Plan steps for the care manager: 2 days late, today, in 3 days, in 10 days.
  const step = (text, due) => ({ kind: 'treatment', text, responsible: s.cm1.id, due });
  const plan = await s.cm1.call('PUT', `/api/v1/cases/${kase}/plan`, {
    steps: [step('Late step', today(-2)), step('Today step', today()),
      step('Soon step', today(3)), step('Later step', today(10))],
  });
  if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${plan.text}`);
  // A roundtable this morning and one tomorrow, at the team's site.
  for (const [d, t] of [[today(), '09:00'], [today(1), '10:30']]) {
    const r = await s.cm1.call('POST', `/api/v1/cases/${kase}/meetings`,
      { kind: 'roundtable', start: `${d}T${t}`, site: 'Sundhedshuset' });
    if (r.status !== 201) throw new Error(`meeting: ${r.status} ${r.text}`);
  }
  // A second case whose 22 weeks end about now (reassessment at a month's end).
  const r = await s.ec1.call('POST', '/api/v1/cases', {
    name: 'Lene Later', cpr: '0606801234', first_absence_day: today(-185), employment: 'employee',
    absences: [{ from: today(-185), to: null }], earlier_benefit: [], team: w.teams.A.id,
    care_manager: s.cm1.id, employment_consultant: s.ec1.id,
  });
  if (r.status !== 201) throw new Error(`case: ${r.status} ${r.text}`);
  later = r.json.id;
  ibbisOk(['sweep', '--db', w.srv.db]);
});
test.after(async () => { if (w) await w.cleanup(); });

const day = async (u) => {
  const r = await s[u].call('GET', '/api/v1/me/day');
  assert.strictEqual(r.status, 200, r.text);
  return r.json;
};
const steps = (list) => list.filter((t) => t.kind === 'plan_step').map((t) => t.title);

test('tasks: overdue, due today and in the coming week, each linking to where it is done', async () => {
  const d = await day('cm1');
  assert.deepStrictEqual(steps(d.tasks.overdue), ['Plan step: Late step']);
  assert.deepStrictEqual(steps(d.tasks.today), ['Plan step: Today step']);
  assert.deepStrictEqual(steps(d.tasks.week), ['Plan step: Soon step'], 'not the one in 10 days');
  assert.strictEqual(d.tasks.overdue.find((t) => t.kind === 'plan_step').href,
    `/cases/${kase}/plan`);
  // The EC's first follow-up (due at day 55, the case is 60 days old) is overdue.
  const ec = await day('ec1');
  const fu = ec.tasks.overdue.find((t) => t.kind === 'first_followup' && t.case.id === kase);
  assert.ok(fu, JSON.stringify(ec.tasks));
  assert.strictEqual(fu.href, `/cases/${kase}#followup`);
  assert.strictEqual(fu.due, today(-5));
  assert.ok(ec.followups.some((f) => f.case.id === kase), 'the form to record it is offered');
});

test('meetings today and tomorrow with the person, time and place', async () => {
  for (const u of ['cm1', 'ec1']) {
    const d = await day(u);
    assert.deepStrictEqual(d.meetings.today.map((m) => [m.time, m.person_name, m.place]),
      [['09:00', 'Sofie Service', 'Sundhedshuset']], u);
    assert.deepStrictEqual(d.meetings.tomorrow.map((m) => [m.time, m.person_name, m.place]),
      [['10:30', 'Sofie Service', 'Sundhedshuset']], u);
    assert.match(d.meetings.today[0].href, /^\/meetings\/\d+$/);
  }
  assert.deepStrictEqual((await day('cm2')).meetings, { today: [], tomorrow: [] });
});

test('reassessments within 28 days with the number of days', async () => {
  const d = await day('ec1');
  const expect = [];
  for (const id of [kase, later]) {
    const tl = await s.ec1.call('GET', `/api/v1/cases/${id}/timeline`);
    const r = tl.json.reassessment_date;
    const n = Math.round((Date.parse(r) - Date.parse(today())) / 86400000);
    if (n >= 0 && n <= 28) expect.push([id, r, n]);
  }
  assert.deepStrictEqual(d.reassessments.map((x) => [x.id, x.reassessment_date, x.days]), expect);
  for (const x of d.reassessments) assert.strictEqual(x.href, `/cases/${x.id}/decisions`);
});

test('a supervisor sees how many of the team\'s cases are overdue', async () => {
  const d = await day('supj');
  const l = await s.supj.call('GET', '/api/v1/cases?overdue=1&status=open');
  assert.strictEqual(d.overdue_cases, l.json.total);
  assert.ok(d.overdue_cases >= 1);
});

test('My day is for professionals; others get their own home', async () => {
  for (const u of ['admin', 'person', 'res']) {
    const r = await s[u].call('GET', '/api/v1/me/day');
    assert.strictEqual(r.status, 403, `${u}: ${r.text}`);
  }
  const home = await w.srv.request('GET', '/', { jar: s.ec1.jar, headers: { Accept: 'text/html' } });
  assert.ok(home.text.includes('<h1>My day</h1>'));
  assert.match(home.text, /<span class="badge badge-error">Overdue<\/span> <a href="\/cases\/\d+#followup">First follow-up conversation<\/a>/);
  const da = await w.srv.request('GET', '/?lang=da', { jar: s.ec1.jar, headers: { Accept: 'text/html' } });
  assert.ok(da.text.includes('<h1>Min dag</h1>'));
  assert.ok(da.text.includes('<span class="badge badge-error">Overskredet</span>'));
  assert.ok(!/\b\d{4}-\d{2}-\d{2}\b(?![^<]*")/.test(da.text.replace(/<input[^>]*>/g, '')),
    'no ISO dates in the text');
  await w.srv.request('GET', '/?lang=en', { jar: s.ec1.jar, headers: { Accept: 'text/html' } });
  const admin = await w.srv.request('GET', '/', { jar: s.admin.jar, headers: { Accept: 'text/html' } });
  assert.ok(!admin.text.includes('My day'));
});

test('a held follow-up: bad input names the field and writes nothing', async () => {
  const post = (u, body) => s[u].call('POST', `/api/v1/cases/${kase}/followups`, body);
  const ok = { date: today(-1), mode: 'in_person', summary: 'We talked about the plan.' };
  const bad = [
    [{ ...ok, date: today(1) }, 'date'], [{ ...ok, date: 'yesterday' }, 'date'],
    [{ ...ok, summary: '' }, 'summary'], [{ ...ok, mode: 'phone' }, 'mode_reason'],
    [{ ...ok, mode: 'pigeon' }, 'mode'], [{ ...ok, time: '25:00' }, 'time'],
  ];
  for (const [body, field] of bad) {
    const r = await post('ec1', body);
    assert.strictEqual(r.status, 400, `${field}: ${r.text}`);
    assert.strictEqual(r.json.error.field, field);
  }
  assert.strictEqual((await post('cm1', ok)).status, 403, 'the EC holds follow-ups');
  const ms = await s.ec1.call('GET', `/api/v1/meetings?from=${today(-3)}&to=${today(3)}`);
  assert.ok(!ms.json.meetings.some((m) => m.kind === 'followup'), 'nothing written');
  // The page sent from My day comes back with the message and what was typed.
  const page = await w.srv.request('POST', `/cases/${kase}/followups`, {
    jar: s.ec1.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: s.ec1.csrf, from: 'day', case_id: String(kase), date: today(-1), mode: 'phone', summary: 'Kept text' },
  });
  assert.strictEqual(page.status, 400);
  assert.ok(page.text.includes('<h1>My day</h1>'));
  assert.ok(page.text.includes('>Kept text</textarea>'));
  assert.match(page.text, /<details class="details" open>/);
});

test('a held follow-up in one form: the deadline moves at once', async () => {
  const held = today(-1);
  const r = await s.ec1.call('POST', `/api/v1/cases/${kase}/followups`,
    { date: held, time: '13:15', mode: 'phone', mode_reason: 'The citizen was ill.', summary: 'We talked about the plan.' });
  assert.strictEqual(r.status, 201, r.text);
  assert.deepStrictEqual([r.json.kind, r.json.status, r.json.date, r.json.time, r.json.mode],
    ['followup', 'held', held, '13:15', 'phone']);
  const tl = await s.ec1.call('GET', `/api/v1/cases/${kase}/timeline`);
  const next = tl.json.deadlines.find((x) => x.kind === 'next_followup');
  assert.strictEqual(next.due, today(27), 'the next follow-up 28 days after the held one');
  const d = await day('ec1');
  assert.ok(!d.tasks.overdue.some((t) => t.kind === 'first_followup' && t.case.id === kase),
    'the overdue follow-up is gone from My day');
  const tasks = await s.ec1.call('GET', '/api/v1/tasks');
  const nt = tasks.json.tasks.find((t) => t.kind === 'next_followup' && t.case.id === kase);
  assert.strictEqual(nt.due, today(27), 'the task moved without waiting for the nightly sweep');
  const form = await w.srv.request('POST', `/cases/${kase}/followups`, {
    jar: s.ec1.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: s.ec1.csrf, from: 'day', date: today(), mode: 'in_person', summary: 'Again' },
  });
  assert.strictEqual(form.status, 303);
  assert.match(form.headers.location, new RegExp(`^/cases/${kase}(\\?[^#]*)?#timeline$`));
});

test('/api/v1/meetings: a professional\'s meetings across their cases', async () => {
  const r = await s.cm1.call('GET', `/api/v1/meetings?from=${today()}&to=${today(1)}`);
  assert.strictEqual(r.status, 200, r.text);
  assert.deepStrictEqual(r.json.meetings.map((m) => [m.date, m.kind, m.person_name]),
    [[today(), 'roundtable', 'Sofie Service'], [today(1), 'roundtable', 'Sofie Service']]);
  assert.ok(!('minutes' in r.json.meetings[0]), 'a list never carries minutes');
  const one = await s.cm1.call('GET', `/api/v1/meetings?from=${today(1)}&to=${today(1)}`);
  assert.strictEqual(one.json.meetings.length, 1);
  assert.strictEqual((await s.cm2.call('GET', '/api/v1/meetings')).json.meetings.length, 0);
  for (const [q, field] of [['from=x', 'from'], [`from=${today()}&to=${today(-1)}`, 'to'],
    [`from=${today()}&to=${today(400)}`, 'to']]) {
    const b = await s.cm1.call('GET', `/api/v1/meetings?${q}`);
    assert.strictEqual(b.status, 400, q);
    assert.strictEqual(b.json.error.field, field);
  }
  const page = await w.srv.request('GET', '/meetings?lang=da', { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.ok(page.text.includes('<h1>Mine møder</h1>'));
  assert.ok(page.text.includes('Sundhedshuset'));
  const person = await w.srv.request('GET', '/meetings', { jar: s.person.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(person.status, 303);
  assert.strictEqual(person.headers.location, '/my/meetings');
});

test('the meeting page shows the address; the person goes back to their own meetings', async () => {
  const ms = await s.cm1.call('GET', `/api/v1/meetings?from=${today()}&to=${today(1)}`);
  const id = ms.json.meetings[0].id;
  const html = (u) => w.srv.request('GET', `/meetings/${id}`, { jar: s[u].jar, headers: { Accept: 'text/html' } });
  if (!PG_DIR) { // sites get their address from the administrator; set one by hand here
    const { spawnSync } = require('node:child_process');
    const r = spawnSync('sqlite3', [w.srv.db,
      "UPDATE sites SET address = 'Nørregade 1, 8000 Aarhus C' WHERE name = 'Sundhedshuset'"]);
    assert.strictEqual(r.status, 0, String(r.stderr));
    const cm = await html('cm1');
    assert.ok(cm.text.includes('Sundhedshuset, <span class="ibbis-address">Nørregade 1, 8000 Aarhus C</span>'));
    const j = await s.cm1.call('GET', `/api/v1/meetings/${id}`);
    assert.strictEqual(j.json.site.address, 'Nørregade 1, 8000 Aarhus C');
  }
  const person = await html('person');
  assert.strictEqual(person.status, 200);
  assert.ok(person.text.includes('href="/my/meetings"'), 'the person goes back to /my/meetings');
  const cm = await html('cm1');
  assert.ok(cm.text.includes(`href="/cases/${kase}/meetings"`));
});
