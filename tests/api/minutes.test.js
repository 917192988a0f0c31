'use strict';
// Minutes with structure (issue 15, "Fewer steps"): agreements, who does
// what by when (each becomes a task of the case in the same transaction),
// the next meeting (a time, a planned meeting, or one made from the
// minutes); who agreed, who disagreed and why, who has not answered yet.
// Therapy minutes stay clinical; bad input names its field and writes
// nothing. Runs on SQLite and, with IBBIS_TEST_PG_DIR, on PostgreSQL.
// Expected values are worked out by hand from the issue and DESIGN.md.

const test = require('node:test');
const assert = require('node:assert/strict');
const { foundInClear, sql } = require('./lib/sql');
const { makeWorld } = require('./lib/world');

const API = '/api/v1';
let W;
let S;
let rt; // the roundtable, 2031-03-03 10:00
const MARK = `mk${process.pid}x${Date.now()}`;

function expectField(r, status, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.field, field, r.text);
  assert.ok(r.json.error.message.length > 0);
}

const html = (s, p) => W.srv.request('GET', p, { jar: s.jar, headers: { Accept: 'text/html' } });
const tasksOf = async (s) => (await s.call('GET', `${API}/tasks`)).json.tasks;
const actionTasks = async (s) => (await tasksOf(s)).filter((t) => t.kind === 'meeting_action');
const count = (q) => Number(sql(W.srv.db, q).stdout.trim());

test.before(async () => {
  W = await makeWorld();
  S = W.s;
  const r = await S.cm1.call('POST', `${API}/cases/${W.kase.id}/meetings`, { kind: 'roundtable', start: '2031-03-03T10:00' });
  assert.equal(r.status, 201, r.text);
  rt = r.json;
});
test.after(async () => { if (W) await W.cleanup(); });

test('structured minutes: agreements, actions that become tasks, the next meeting made in the same write', async () => {
  const r = await S.cm1.call('PUT', `${API}/meetings/${rt.id}/minutes`, {
    text: 'We talked about a graded return.',
    agreements: [`Ten hours a week from April ${MARK}`, 'The employer is told by the person'],
    actions: [
      { who: S.ec1.id, what: `Write the plan for graded hours ${MARK}`, due: '2031-03-14' },
      { who: S.person.id, what: 'Call the employer', due: '2031-03-10' },
      { who: S.cm1.id, what: 'Send the health summary', due: '2031-03-07' },
    ],
    next_start: '2031-04-07T10:00',
    next_create: true,
  });
  assert.equal(r.status, 200, r.text);
  const m = r.json.minutes;
  assert.equal(m.text, 'We talked about a graded return.');
  assert.deepEqual(m.agreements, [`Ten hours a week from April ${MARK}`, 'The employer is told by the person']);
  assert.deepEqual(m.actions.map((a) => [a.who, a.what, a.due, a.done]), [
    [S.ec1.id, `Write the plan for graded hours ${MARK}`, '2031-03-14', false],
    [S.person.id, 'Call the employer', '2031-03-10', false],
    [S.cm1.id, 'Send the health summary', '2031-03-07', false],
  ]);
  assert.ok(m.actions.every((a) => Number.isInteger(a.task)), 'each action has its task');
  assert.equal(m.next.start, '2031-04-07T10:00');
  assert.ok(Number.isInteger(m.next.meeting), 'the next meeting was made');
  // Every participant is asked again, nobody has answered yet.
  assert.deepEqual(r.json.not_answered.map((p) => p.user).sort(), [S.person.id, S.cm1.id, S.ec1.id].sort());

  // The next meeting: a planned roundtable of the case, the same people, 60 minutes.
  const next = (await S.ec1.call('GET', `${API}/meetings/${m.next.meeting}`)).json;
  assert.equal(next.kind, 'roundtable');
  assert.equal(next.status, 'planned');
  assert.equal(next.start, '2031-04-07T10:00');
  assert.equal(next.end, '2031-04-07T11:00');
  assert.deepEqual(next.participants.map((p) => p.id).sort(), rt.participants.map((p) => p.id).sort());

  // Each action is a task of the one who does it, due when agreed, linking to the meeting.
  const ec = await actionTasks(S.ec1);
  assert.equal(ec.length, 1);
  assert.equal(ec[0].due, '2031-03-14');
  assert.equal(ec[0].id, m.actions[0].task);
  assert.ok(ec[0].title.includes('Write the plan for graded hours'), ec[0].title);
  assert.equal(ec[0].href, `/meetings/${rt.id}`);
  assert.equal(ec[0].case.id, W.kase.id);
  const person = await actionTasks(S.person);
  assert.deepEqual(person.map((t) => [t.due, t.id]), [['2031-03-10', m.actions[1].task]]);
  assert.deepEqual((await actionTasks(S.cm1)).map((t) => t.due), ['2031-03-07']);
  assert.deepEqual(await actionTasks(S.cm2), [], 'nobody else gets them');

  // Sealed at rest like the minutes: neither the agreement nor the action text is in clear.
  assert.deepEqual(foundInClear(W.srv.db, MARK), []);
  // The write is in the audit log as the minutes' writes are.
  assert.ok(count(`SELECT count(*) FROM audit_log WHERE actor_id = ${S.cm1.id} AND item = 'meeting:${rt.id}:minutes'`) >= 1);

  // The API read shows the same structure to the person (joint minutes).
  const got = await S.person.call('GET', `${API}/meetings/${rt.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.minutes.actions.length, 3);
  assert.equal(got.json.minutes.next.meeting, m.next.meeting);
});

test('who agreed, who disagreed and why, who has not answered yet: JSON and both languages', async () => {
  const aUrl = `${API}/meetings/${rt.id}/minutes/agreement`;
  assert.equal((await S.person.call('POST', aUrl, { agreed: true })).status, 200);
  const ec = await S.ec1.call('POST', aUrl, { agreed: false, comment: 'It was eight hours, not ten.' });
  assert.equal(ec.status, 200, ec.text);
  const got = (await S.cm1.call('GET', `${API}/meetings/${rt.id}`)).json;
  assert.deepEqual(got.not_answered.map((p) => p.user), [S.cm1.id]);
  const by = Object.fromEntries(got.agreements.map((g) => [g.user, g]));
  assert.equal(by[S.person.id].agreed, true);
  assert.equal(by[S.ec1.id].agreed, false);
  assert.equal(by[S.ec1.id].comment, 'It was eight hours, not ten.');

  const en = await html(S.cm1, `/meetings/${rt.id}?lang=en`);
  assert.equal(en.status, 200);
  const answers = en.text.slice(en.text.indexOf('id="answers"'));
  const row = (name) => { const i = answers.indexOf(name); return answers.slice(i, answers.indexOf('</tr>', i)); };
  assert.match(row(S.person.me.name), /Agrees/);
  assert.match(row(S.ec1.me.name), /Does not agree/);
  assert.match(row(S.ec1.me.name), /It was eight hours, not ten\./);
  assert.match(row(S.cm1.me.name), /Has not answered yet/);
  // The structure on the page: agreements, who does what by when (dates in words), the next meeting.
  assert.ok(en.text.includes('Ten hours a week from April'));
  assert.ok(en.text.includes('14 March 2031'), 'the due date in words');
  assert.ok(en.text.includes('7 April 2031 at 10:00'));
  assert.match(en.text, /<a href="\/meetings\/\d+">7 April 2031 at 10:00<\/a>/);
  assert.ok(!en.text.includes('>2031-03-14<'), 'no ISO date on the page');
  const da = await html(S.cm1, `/meetings/${rt.id}?lang=da`);
  assert.ok(da.text.includes('Har ikke svaret endnu'));
  assert.ok(da.text.includes('Hvem gør hvad og hvornår'));
  assert.ok(da.text.includes('14. marts 2031'));
  assert.ok(da.text.includes('7. april 2031 kl. 10:00'));
  await html(S.cm1, '/?lang=en');
});

test('bad input names the field and writes nothing', async () => {
  const url = `${API}/meetings/${rt.id}/minutes`;
  const ok = { text: 'x', actions: [{ who: S.ec1.id, what: 'Do it', due: '2031-03-20' }] };
  const act = (a) => ({ text: 'x', actions: [Object.assign({ who: S.ec1.id, what: 'Do it', due: '2031-03-20' }, a)] });
  const cases = [
    [{ text: '  ' }, 'text'],
    [{}, 'text'],
    [act({ who: 999999 }), 'actions[0].who'],
    [act({ who: S.suph2.id }), 'actions[0].who'], // not one of the case's people
    [act({ who: 'Erik' }), 'actions[0].who'],
    [act({ what: '   ' }), 'actions[0].what'],
    [act({ what: 'y'.repeat(1001) }), 'actions[0].what'],
    [act({ due: 'soon' }), 'actions[0].due'],
    [act({ due: '2031-02-30' }), 'actions[0].due'],
    [act({ due: '2031-03-02' }), 'actions[0].due'], // before the meeting's day
    [{ text: 'x', actions: 'call her' }, 'actions'],
    [{ text: 'x', actions: [ok.actions[0], 7] }, 'actions[1]'],
    [{ text: 'x', agreements: 'one agreement' }, null], // a string is one agreement a line: fine
    [{ text: 'x', agreements: [''] }, 'agreements[0]'],
    [{ text: 'x', agreements: [3] }, 'agreements[0]'],
    [{ text: 'x', agreements: Array(21).fill('a') }, 'agreements'],
    [{ text: 'x', next_start: '2031-03-03T09:00' }, 'next_start'], // before this meeting
    [{ text: 'x', next_start: 'next week' }, 'next_start'],
    [{ text: 'x', next_create: true }, 'next_start'],
    [{ text: 'x', next_create: 'perhaps', next_start: '2031-05-05T10:00' }, 'next_create'],
    [{ text: 'x', next_meeting: 999999 }, 'next_meeting'],
    [{ text: 'x', next_meeting: rt.id }, 'next_meeting'], // itself
    [{ text: 'x', next_meeting: 5, next_start: '2031-05-05T10:00' }, 'next_meeting'],
    [{ text: 'x', next_start: '2031-05-05T10:00', next_duration: 2 }, 'next_duration'],
  ];
  const before = (await S.cm1.call('GET', `${API}/meetings/${rt.id}`)).json;
  const tasksBefore = count('SELECT count(*) FROM tasks');
  const meetingsBefore = count('SELECT count(*) FROM meetings');
  for (const [body, field] of cases) {
    if (field === null) continue;
    expectField(await S.cm1.call('PUT', url, body), 400, field);
  }
  // A bad action after good ones: still nothing written, not even the good ones' tasks.
  expectField(await S.cm1.call('PUT', url, {
    text: 'new', next_start: '2031-06-02T10:00', next_create: true,
    actions: [ok.actions[0], { who: S.ec1.id, what: 'later', due: 'never' }],
  }), 400, 'actions[1].due');
  // A next meeting that double-books: 409 naming next_start, and nothing written either.
  const clash = await S.cm1.call('PUT', url, { text: 'new', next_start: '2031-04-07T10:30', next_create: true, actions: ok.actions });
  expectField(clash, 409, 'next_start');
  const after = (await S.cm1.call('GET', `${API}/meetings/${rt.id}`)).json;
  assert.deepEqual(after.minutes, before.minutes);
  assert.deepEqual(after.agreements, before.agreements, 'the answers stay');
  assert.equal(count('SELECT count(*) FROM tasks'), tasksBefore);
  assert.equal(count('SELECT count(*) FROM meetings'), meetingsBefore);
  // Only the case's CM or EC writes minutes.
  assert.equal((await S.person.call('PUT', url, ok)).status, 403);
  assert.equal((await S.cm2.call('PUT', url, ok)).status, 403);
});

test('rewriting: an unchanged action keeps its task, a dropped open one loses it, a done one stays done', async () => {
  const url = `${API}/meetings/${rt.id}/minutes`;
  const cur = (await S.cm1.call('GET', `${API}/meetings/${rt.id}`)).json.minutes;
  const [ecAct, personAct, cmAct] = cur.actions;
  // The CM has done theirs.
  const done = await S.cm1.call('PATCH', `${API}/tasks/${cmAct.task}`, { done: true });
  assert.equal(done.status, 200, done.text);
  const r = await S.ec1.call('PUT', url, {
    text: 'Corrected: eight hours.',
    agreements: 'Eight hours a week from April\n\n  The employer is told by the person  \n',
    actions: [
      { who: ecAct.who, what: ecAct.what, due: ecAct.due }, // unchanged
      { who: S.person.id, what: 'Call the employer', due: '2031-03-12' }, // a new date: a new task
    ],
    next_meeting: cur.next.meeting, // the meeting made before, now linked
  });
  assert.equal(r.status, 200, r.text);
  const m = r.json.minutes;
  assert.deepEqual(m.agreements, ['Eight hours a week from April', 'The employer is told by the person']);
  assert.equal(m.actions.length, 2);
  assert.equal(m.actions[0].task, ecAct.task, 'the unchanged action keeps its task');
  assert.notEqual(m.actions[1].task, personAct.task);
  assert.equal(m.next.meeting, cur.next.meeting);
  assert.deepEqual((await actionTasks(S.person)).map((t) => t.due), ['2031-03-12'], 'the old open task is gone');
  const cm = await actionTasks(S.cm1);
  assert.deepEqual(cm.map((t) => [t.id, t.done]), [[cmAct.task, true]], 'the done task stays done');
  // The answers were about other text: everyone is asked again.
  const got = (await S.cm1.call('GET', `${API}/meetings/${rt.id}`)).json;
  assert.deepEqual(got.agreements, []);
  assert.equal(got.not_answered.length, 3);
});

test('therapy minutes: actions only for the care manager, never seen by the jobcentre', async () => {
  const t = await S.cm1.call('POST', `${API}/cases/${W.kase.id}/meetings`, { kind: 'therapy', start: '2031-03-05T13:00' });
  assert.equal(t.status, 201, t.text);
  const url = `${API}/meetings/${t.json.id}/minutes`;
  const bad = await S.cm1.call('PUT', url, { text: 'Session', actions: [{ who: S.ec1.id, what: 'x', due: '2031-03-20' }] });
  expectField(bad, 400, 'actions[0].who');
  assert.match(bad.json.error.message, /care manager/);
  expectField(await S.cm1.call('PUT', url, { text: 'Session', actions: [{ who: S.person.id, what: 'x', due: '2031-03-20' }] }), 400, 'actions[0].who');
  // A roundtable's next meeting is never a therapy session: its readers would learn of it.
  expectField(await S.cm1.call('PUT', `${API}/meetings/${rt.id}/minutes`, { text: 'x', next_meeting: t.json.id }), 400, 'next_meeting');
  const secret = `exposure homework ${MARK}`;
  const r = await S.cm1.call('PUT', url, {
    text: 'Session', agreements: ['Weekly sessions go on'],
    actions: [{ who: S.cm1.id, what: secret, due: '2031-03-12' }],
  });
  assert.equal(r.status, 200, r.text);
  const cmTask = (await actionTasks(S.cm1)).find((x) => x.due === '2031-03-12');
  assert.ok(cmTask.title.includes('exposure homework'), cmTask.title);
  assert.equal(cmTask.href, `/meetings/${t.json.id}`);
  for (const who of ['ec1', 'supj']) {
    assert.equal((await S[who].call('GET', `${API}/meetings/${t.json.id}`)).status, 404, who);
    assert.ok(!JSON.stringify((await S[who].call('GET', `${API}/tasks`)).json).includes('exposure'), who);
    assert.ok(!(await html(S[who], `/meetings/${rt.id}`)).text.includes('exposure'), who);
  }
  // The person sees their own appointment, not its minutes or their structure.
  const own = await S.person.call('GET', `${API}/meetings/${t.json.id}`);
  assert.equal(own.status, 200);
  assert.ok(!own.text.includes('exposure') && !own.text.includes('Weekly sessions'), own.text);
  assert.deepEqual(foundInClear(W.srv.db, 'exposure homework'), []);
});

test('supervision: agreements fit, actions go to the team\'s supervision actions', async () => {
  const s = await S.suph.call('POST', `${API}/teams/${W.teams.A.id}/meetings`, { start: '2031-03-06T14:00' });
  assert.equal(s.status, 201, s.text);
  const url = `${API}/meetings/${s.json.id}/minutes`;
  expectField(await S.suph.call('PUT', url, { text: 'x', actions: [{ who: S.cm1.id, what: 'x', due: '2031-03-20' }] }), 400, 'actions');
  expectField(await S.suph.call('PUT', url, { text: 'x', next_start: '2031-04-03T14:00', next_create: true }), 400, 'next_create');
  const r = await S.suph.call('PUT', url, { agreements: ['Shared glossary by May'] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.minutes.agreements, ['Shared glossary by May']);
});

test('the form: rows of who, what and by when; a failed row is named, linked and kept', async () => {
  const page = await html(S.cm1, `/meetings/${rt.id}?lang=en`);
  const token = page.text.match(/name="csrf_token" value="([^"]+)"/)[1];
  const form = page.text.slice(page.text.indexOf('id="minutes-form"'));
  assert.match(form, /name="action1_who"/);
  assert.match(form, /<option value="\d+" selected>/, 'the kept actions are filled in');
  assert.match(form, /name="action3_what"/, 'empty rows to add more');
  const post = (f) => W.srv.request('POST', `/meetings/${rt.id}/minutes?lang=en`, {
    jar: S.cm1.jar, headers: { Accept: 'text/html' },
    form: Object.assign({ csrf_token: token, text: 'From the form', agreements: 'One\nTwo', next_meeting: '', next_date: '', next_time: '' }, f),
  });
  let r = await post({ action1_who: String(S.ec1.id), action1_what: 'Book the workplace visit', action1_due: '2031-13-01' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<a href="#action1-due"/, 'the error summary links to the field');
  assert.match(r.text, /id="action1-what" name="action1_what" value="Book the workplace visit"/, 'what was typed is kept');
  assert.match(r.text, /id="action1-due" name="action1_due" value="2031-13-01" aria-invalid="true"/);
  r = await post({ action1_who: String(S.ec1.id), action1_what: 'Book the workplace visit', action1_due: '2031-03-21', action2_who: '', action2_what: '', action2_due: '' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const m = (await S.cm1.call('GET', `${API}/meetings/${rt.id}`)).json.minutes;
  assert.deepEqual(m.agreements, ['One', 'Two']);
  assert.deepEqual(m.actions.map((a) => [a.who, a.what, a.due]), [[S.ec1.id, 'Book the workplace visit', '2031-03-21']]);
  assert.equal(m.next, null);
});
