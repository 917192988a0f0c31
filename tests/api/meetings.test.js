'use strict';
// Meetings (issue 4): create and validate, double booking, status and
// moving, the therapy session's invisibility outside health care, the
// person's private agenda questions, minutes and agreements, supervision.
// Expected values come from DESIGN.md 5a and the issue, worked out by hand.

const test = require('node:test');
const assert = require('node:assert/strict');
const { foundInClear } = require('./lib/sql');
const fs = require('node:fs');
const { makeWorld } = require('./lib/world');

const API = '/api/v1';
let W; // the world
let S; // its sessions

function expectField(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  const e = r.json.error;
  assert.equal(e.code, code, r.text);
  assert.equal(e.field, field, r.text);
  assert.ok(e.message.length > 0);
}

const html = (s, p) => W.srv.request('GET', p, { jar: s.jar, headers: { Accept: 'text/html' } });

test.before(async () => {
  W = await makeWorld();
  S = W.s;
});
test.after(async () => { if (W) await W.cleanup(); });

const caseMeetings = () => `${API}/cases/${W.kase.id}/meetings`;

test('a roundtable: the case\'s three people, Danish time, defaults', async () => {
  const r = await S.cm1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-03-04T10:00' });
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  assert.equal(m.kind, 'roundtable');
  assert.equal(m.start, '2030-03-04T10:00');
  assert.equal(m.end, '2030-03-04T11:00'); // default 60 minutes
  assert.equal(m.duration, 60);
  assert.equal(m.mode, 'in_person');
  assert.equal(m.status, 'planned');
  // 4 March 2030 10:00 in Denmark is winter time (UTC+1): 09:00 UTC.
  assert.equal(m.starts_at, Date.UTC(2030, 2, 4, 9, 0) / 1000);
  const ids = m.participants.map((p) => p.id).sort((a, b) => a - b);
  assert.deepEqual(ids, [S.person.id, S.cm1.id, S.ec1.id].sort((a, b) => a - b));
  const roles = Object.fromEntries(m.participants.map((p) => [p.id, p.role]));
  assert.equal(roles[S.cm1.id], 'care_manager');
  assert.equal(roles[S.ec1.id], 'employment_consultant');
  assert.equal(roles[S.person.id], 'service_user');
  W.rt = m;

  const got = await S.person.call('GET', `${API}/meetings/${m.id}`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.id, m.id);
  const list = await S.supj.call('GET', caseMeetings());
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.meetings.some((x) => x.id === m.id));
});

test('summer time: 10 June 2030 10:00 in Denmark is 08:00 UTC; "end" sets the length', async () => {
  const r = await S.ec1.call('POST', caseMeetings(), {
    kind: 'followup', start: '2030-06-10T10:00', end: '2030-06-10T10:45',
    mode: 'phone', mode_reason: 'The person is ill with fever and cannot travel',
  });
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  assert.equal(m.starts_at, Date.UTC(2030, 5, 10, 8, 0) / 1000);
  assert.equal(m.duration, 45);
  assert.equal(m.mode, 'phone');
  assert.deepEqual(m.participants.map((p) => p.id).sort((a, b) => a - b),
    [S.person.id, S.ec1.id].sort((a, b) => a - b));
  W.fu = m;
});

test('every bad field is named', async () => {
  const base = { kind: 'roundtable', start: '2030-04-01T09:00' };
  const cases = [
    [{ start: '2030-04-01T09:00' }, 'kind'],
    [{ kind: 'party', start: '2030-04-01T09:00' }, 'kind'],
    [{ kind: 'supervision', start: '2030-04-01T09:00' }, 'kind'],
    [{ kind: 'roundtable' }, 'start'],
    [{ ...base, start: 'tomorrow' }, 'start'],
    [{ ...base, start: '2030-02-30T09:00' }, 'start'],
    [{ ...base, start: '2030-04-01T25:00' }, 'start'],
    [{ ...base, duration: 2 }, 'duration'],
    [{ ...base, duration: 'long' }, 'duration'],
    [{ ...base, end: '2030-04-01T08:00' }, 'end'],
    [{ ...base, mode: 'pigeon' }, 'mode'],
    [{ ...base, mode: 'phone' }, 'mode_reason'],
    [{ ...base, mode: 'letter', mode_reason: '   ' }, 'mode_reason'],
    [{ ...base, site: 'Nowhere House' }, 'site'],
    [{ ...base, remote_link: 'ftp://example.org/room' }, 'remote_link'],
    [{ ...base, participants: [999999] }, 'participants'],
    [{ ...base, participants: [S.person.id] }, 'participants'], // not a professional
  ];
  for (const [body, field] of cases) {
    const r = await S.cm1.call('POST', caseMeetings(), body);
    expectField(r, 400, 'invalid', field);
  }
  // Nothing was written by the refused requests.
  const list = (await S.cm1.call('GET', caseMeetings())).json.meetings;
  assert.ok(!list.some((m) => m.start === '2030-04-01T09:00'));
});

test('who organises: a followup only by the EC, therapy only by the CM, never the person', async () => {
  let r = await S.cm1.call('POST', caseMeetings(), { kind: 'followup', start: '2030-04-02T09:00' });
  assert.equal(r.status, 403, r.text);
  r = await S.ec1.call('POST', caseMeetings(), { kind: 'therapy', start: '2030-04-02T09:00' });
  assert.equal(r.status, 403, r.text);
  r = await S.person.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-04-02T09:00' });
  assert.equal(r.status, 403, r.text);
  r = await S.cm2.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-04-02T09:00' });
  assert.equal(r.status, 403, r.text); // in the team but not assigned
});

test('double booking answers 409 naming the person, the other meeting and its time', async () => {
  const r = await S.ec1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-03-04T10:30' });
  assert.equal(r.status, 409, r.text);
  const e = r.json.error;
  assert.equal(e.code, 'conflict');
  assert.equal(e.field, 'start');
  const names = [S.person.me.name, S.cm1.me.name, S.ec1.me.name];
  assert.ok(names.some((n) => e.message.includes(n)), e.message);
  assert.match(e.message, /Roundtable/);
  assert.match(e.message, /4 March 2030/);
  assert.match(e.message, /10:00/);
  // Back to back is not a clash: the first ends at 11:00.
  const ok = await S.ec1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-03-04T11:00', duration: 30 });
  assert.equal(ok.status, 201, ok.text);
  W.rt2 = ok.json;
  // The same clash in Danish.
  const da = await S.ec1.call('POST', `${caseMeetings()}?lang=da`, { kind: 'roundtable', start: '2030-03-04T10:15' });
  assert.equal(da.status, 409);
  assert.match(da.json.error.message, /4\. marts 2030/);
  assert.match(da.json.error.message, /Rundbordssamtale/);
});

test('a therapy session does not exist for the jobcentre (JSON and HTML)', async () => {
  const r = await S.cm1.call('POST', caseMeetings(), { kind: 'therapy', start: '2030-03-05T13:00' });
  assert.equal(r.status, 201, r.text);
  const t = r.json;
  assert.deepEqual(t.participants.map((p) => p.id).sort((a, b) => a - b),
    [S.person.id, S.cm1.id].sort((a, b) => a - b));
  W.th = t;

  for (const who of ['ec1', 'supj']) {
    const one = await S[who].call('GET', `${API}/meetings/${t.id}`);
    assert.equal(one.status, 404, `${who}: ${one.text}`);
    const list = await S[who].call('GET', caseMeetings());
    assert.equal(list.status, 200, list.text);
    assert.ok(!list.json.meetings.some((m) => m.id === t.id || m.kind === 'therapy'), who);
    const page = await html(S[who], `/cases/${W.kase.id}/meetings`);
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes(`/meetings/${t.id}"`), who);
    assert.ok(!/Therapy/i.test(page.text), who);
    const one404 = await html(S[who], `/meetings/${t.id}`);
    assert.equal(one404.status, 404);
    const agenda = await S[who].call('GET', `${API}/meetings/${t.id}/agenda`);
    assert.equal(agenda.status, 404);
  }
  // The health side sees it.
  assert.equal((await S.suph.call('GET', `${API}/meetings/${t.id}`)).status, 200);
  assert.ok((await S.cm1.call('GET', caseMeetings())).json.meetings.some((m) => m.id === t.id));
  // The person sees their own appointment.
  assert.equal((await S.person.call('GET', `${API}/meetings/${t.id}`)).status, 200);

  // A clash with the therapy session does not tell the EC what it is.
  const clash = await S.ec1.call('POST', caseMeetings(), { kind: 'followup', start: '2030-03-05T13:30' });
  assert.equal(clash.status, 409, clash.text);
  assert.ok(!/therapy/i.test(clash.json.error.message), clash.json.error.message);
  assert.ok(clash.json.error.message.includes(S.person.me.name));
});

test('status: reasons required, the actor recorded, attendance; only organisers', async () => {
  const url = `${API}/meetings/${W.rt2.id}`;
  expectField(await S.ec1.call('PATCH', url, { status: 'cancelled' }), 400, 'invalid', 'reason');
  expectField(await S.ec1.call('PATCH', url, { status: 'postponed' }), 400, 'invalid', 'status');
  expectField(await S.ec1.call('PATCH', url, {}), 400, 'invalid', 'status');
  expectField(await S.ec1.call('PATCH', url, { attended: { 999999: true } }), 400, 'invalid', 'attended');
  assert.equal((await S.person.call('PATCH', url, { status: 'cancelled', reason: 'I am ill' })).status, 403);
  const r = await S.ec1.call('PATCH', url, { status: 'late_cancellation', reason: 'The person called in sick the same morning' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'late_cancellation');
  assert.equal(r.json.status_by, S.ec1.id);
  assert.equal(r.json.status_reason, 'The person called in sick the same morning');
  // A cancelled meeting no longer blocks its slot, and cannot be moved.
  expectField(await S.ec1.call('PATCH', url, { start: '2030-03-06T09:00' }), 400, 'invalid', 'start');

  const held = await S.ec1.call('PATCH', `${API}/meetings/${W.fu.id}`, {
    status: 'held', attended: { [S.person.id]: true, [S.ec1.id]: true },
  });
  assert.equal(held.status, 200, held.text);
  assert.equal(held.json.status, 'held');
  assert.ok(held.json.participants.every((p) => p.attended === true));

  assert.equal((await S.ec1.call('GET', `${API}/meetings/999999`)).status, 404);
  assert.equal((await S.ec1.call('PATCH', `${API}/meetings/999999`, { status: 'held' })).status, 404);
  assert.equal((await S.ec1.call('GET', `${API}/cases/999999/meetings`)).status, 404);
});

test('moving a planned meeting is checked for double booking', async () => {
  const a = await S.cm1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-05-06T09:00' });
  const b = await S.cm1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-05-06T13:00' });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  const clash = await S.cm1.call('PATCH', `${API}/meetings/${b.json.id}`, { start: '2030-05-06T09:30' });
  assert.equal(clash.status, 409, clash.text);
  assert.equal(clash.json.error.field, 'start');
  const moved = await S.cm1.call('PATCH', `${API}/meetings/${b.json.id}`, { start: '2030-05-07T09:30', duration: 90 });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.start, '2030-05-07T09:30');
  assert.equal(moved.json.end, '2030-05-07T11:00');
});

test('the person\'s question stays private until they share it', async () => {
  const url = `${API}/meetings/${W.rt.id}/agenda`;
  const q = 'Can I start with ten hours a week at my old job?';
  const add = await S.person.call('POST', url, { text: q });
  assert.equal(add.status, 201, add.text);
  assert.equal(add.json.private, true);
  const item = add.json.id;
  // Encrypted at rest: the text is nowhere in what the database stores.
  assert.deepEqual(foundInClear(W.srv.db, 'ten hours a week'), [], 'the private question is sealed');
  const pro = await S.cm1.call('POST', url, { text: 'Graded return to work' });
  assert.equal(pro.status, 201, pro.text);
  assert.equal(pro.json.private, false);
  expectField(await S.cm1.call('POST', url, { text: '' }), 400, 'invalid', 'text');
  expectField(await S.person.call('POST', url, { text: 'x', private: 'maybe' }), 400, 'invalid', 'private');
  assert.equal((await S.supj.call('POST', url, { text: 'not a participant' })).status, 403);

  for (const who of ['cm1', 'ec1', 'suph', 'supj']) {
    const r = await S[who].call('GET', url);
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.text.includes(q), `${who} must not see the private question`);
    assert.ok(r.json.items.some((i) => i.text === 'Graded return to work'), who);
    const page = await html(S[who], `/meetings/${W.rt.id}`);
    assert.ok(!page.text.includes('ten hours a week'), who);
  }
  const own = await S.person.call('GET', url);
  assert.ok(own.json.items.some((i) => i.id === item && i.text === q && i.private));

  // Only the person shares, and only with share: true.
  assert.notEqual((await S.cm1.call('POST', `${url}/${item}/share`, { share: true })).status, 200);
  expectField(await S.person.call('POST', `${url}/${item}/share`, { share: false }), 400, 'invalid', 'share');
  assert.equal((await S.person.call('POST', `${url}/999999/share`, { share: true })).status, 404);
  const sh = await S.person.call('POST', `${url}/${item}/share`, { share: true });
  assert.equal(sh.status, 200, sh.text);
  assert.equal(sh.json.private, false);
  assert.equal(typeof sh.json.shared_at, 'number');
  for (const who of ['cm1', 'ec1']) {
    const r = await S[who].call('GET', url);
    assert.ok(r.json.items.some((i) => i.id === item && i.text === q), who);
  }
});

test('minutes: written by the CM or EC, agreed or disputed by each, reset when changed', async () => {
  const id = W.rt.id;
  const mUrl = `${API}/meetings/${id}/minutes`;
  const aUrl = `${mUrl}/agreement`;
  expectField(await S.person.call('POST', aUrl, { agreed: true }), 409, 'conflict', 'agreed');
  assert.equal((await S.person.call('PUT', mUrl, { text: 'My minutes' })).status, 403);
  expectField(await S.cm1.call('PUT', mUrl, { text: '  ' }), 400, 'invalid', 'text');
  const put = await S.cm1.call('PUT', mUrl, { text: 'We agreed on 10 hours a week from April.' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.minutes.text, 'We agreed on 10 hours a week from April.');

  expectField(await S.person.call('POST', aUrl, { agreed: 'maybe' }), 400, 'invalid', 'agreed');
  expectField(await S.person.call('POST', aUrl, {}), 400, 'invalid', 'agreed');
  expectField(await S.ec1.call('POST', aUrl, { agreed: false }), 400, 'invalid', 'comment');
  assert.equal((await S.supj.call('POST', aUrl, { agreed: true })).status, 403); // not a participant
  assert.equal((await S.person.call('POST', aUrl, { agreed: true })).status, 200);
  const ec = await S.ec1.call('POST', aUrl, { agreed: false, comment: 'It was 8 hours, not 10.' });
  assert.equal(ec.status, 200, ec.text);
  const byUser = Object.fromEntries(ec.json.agreements.map((g) => [g.user, g]));
  assert.equal(byUser[S.person.id].agreed, true);
  assert.equal(byUser[S.ec1.id].agreed, false);
  assert.equal(byUser[S.ec1.id].comment, 'It was 8 hours, not 10.');
  assert.equal(byUser[S.cm1.id], undefined);

  const page = await html(S.cm1, `/meetings/${id}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('It was 8 hours, not 10.'));
  assert.ok(page.text.includes(S.person.me.name));

  // Changing the minutes asks everyone again.
  const again = await S.ec1.call('PUT', mUrl, { text: 'We agreed on 8 hours a week from April.' });
  assert.equal(again.status, 200, again.text);
  const after = await S.cm1.call('GET', `${API}/meetings/${id}`);
  assert.deepEqual(after.json.agreements, []);
});

test('the meeting page: who, where, when in English and Danish; no JavaScript needed', async () => {
  const en = await html(S.cm1, `/meetings/${W.rt.id}`);
  assert.equal(en.status, 200);
  assert.match(en.headers['content-type'], /text\/html/);
  for (const n of [S.person.me.name, S.cm1.me.name, S.ec1.me.name]) assert.ok(en.text.includes(n), n);
  assert.ok(en.text.includes('4 March 2030'));
  assert.ok(en.text.includes('10:00'));
  // Scripts only as files (the mobile menu); the page itself works without them.
  assert.ok(!/<script>/i.test(en.text));
  const da = await html(S.cm1, `/meetings/${W.rt.id}?lang=da`);
  assert.ok(da.text.includes('4. marts 2030'));
  assert.ok(da.text.includes('Rundbordssamtale'));
  await html(S.cm1, '/?lang=en');
});

test('a meeting booked through the HTML form', async () => {
  const page = await html(S.cm1, `/cases/${W.kase.id}/meetings`);
  assert.equal(page.status, 200);
  const m = page.text.match(/name="csrf_token" value="([^"]+)"/);
  assert.ok(m, 'the form carries a CSRF token');
  const r = await W.srv.request('POST', `/cases/${W.kase.id}/meetings`, {
    jar: S.cm1.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: m[1], kind: 'roundtable', start: '2030-08-12T14:00', duration: '30', mode: 'in_person', mode_reason: '', site: '', remote_link: '' },
  });
  assert.equal(r.status, 303, r.text);
  assert.match(r.headers.location, /^\/meetings\/\d+\?flash=saved$/);
});

test('supervision: the team\'s meetings, made by its supervisors, seen by its members', async () => {
  const A = W.teams.A.id;
  const url = `${API}/teams/${A}/meetings`;
  const r = await S.suph.call('POST', url, { start: '2030-03-07T14:00', duration: 90 });
  assert.equal(r.status, 201, r.text);
  const m = r.json;
  assert.equal(m.kind, 'supervision');
  assert.equal(m.case, null);
  const ids = m.participants.map((p) => p.id).sort((a, b) => a - b);
  const members = ['cm1', 'cm2', 'ec1', 'ec2', 'suph', 'supj'].map((u) => S[u].id).sort((a, b) => a - b);
  assert.deepEqual(ids, members);
  expectField(await S.suph.call('POST', url, { start: 'soon' }), 400, 'invalid', 'start');
  assert.equal((await S.cm1.call('POST', url, { start: '2030-03-08T14:00' })).status, 403);
  assert.equal((await S.suph2.call('GET', url)).status, 403);
  assert.equal((await S.person.call('GET', url)).status, 403);
  assert.equal((await S.suph.call('GET', `${API}/teams/999999/meetings`)).status, 404);
  const list = await S.ec2.call('GET', url);
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.meetings.some((x) => x.id === m.id));
  assert.equal((await S.suph2.call('GET', `${API}/meetings/${m.id}`)).status, 403);
  // cm1 is at the supervision from 14:00 to 15:30 that day.
  const clash = await S.cm1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-03-07T15:00' });
  assert.equal(clash.status, 409, clash.text);
  assert.match(clash.json.error.message, /Supervision/);
  W.sup = m;
});

test('a roundtable planned from the case page: the three people, the team\'s site, a weekend or holiday only when confirmed', async () => {
  const page = await html(S.cm1, `/cases/${W.kase.id}?lang=en`);
  assert.equal(page.status, 200);
  const form = page.text.slice(page.text.indexOf('id="roundtable-form"'));
  assert.ok(form.length > 30, 'the case page offers the roundtable form');
  const body = form.slice(0, form.indexOf('</form>'));
  for (const who of [W.kase.person.name, W.kase.care_manager.name, W.kase.employment_consultant.name]) {
    assert.ok(body.includes(who), `${who} is filled in`);
  }
  assert.match(body, /<option value="\d+" selected>Sundhedshuset/, 'the team\'s site is chosen');
  assert.ok(body.includes('type="date"') && body.includes('type="time"'), 'a date field and a time field');
  const token = page.text.match(/name="csrf_token" value="([^"]+)"/)[1];
  const site = body.match(/<option value="(\d+)" selected>/)[1];
  const post = (f, lang = 'en') => W.srv.request('POST', `/cases/${W.kase.id}/meetings?lang=${lang}`, {
    jar: S.cm1.jar, headers: { Accept: 'text/html' },
    form: Object.assign({ csrf_token: token, from: 'case', kind: 'roundtable', duration: '60', mode: 'in_person', site }, f),
  });
  // 10 August 2030 is a Saturday; 22 April 2030 is Easter Monday (Easter Sunday 21 April).
  let r = await post({ date: '2030-08-10', time: '10:00' });
  assert.equal(r.status, 409, 'a weekend day is not booked without confirming');
  assert.ok(r.text.includes('10 August 2030 is a Saturday'), 'the warning names the day');
  assert.ok(r.text.includes('id="roundtable-form"'), 'back on the case page');
  assert.match(r.text, /id="rt-date" name="date" value="2030-08-10"/, 'the typed date is kept');
  assert.match(r.text, /<a href="#rt-day-ok"/, 'the error summary links to the confirmation');
  r = await post({ date: '2030-04-22', time: '10:00' }, 'da');
  assert.equal(r.status, 409);
  assert.ok(r.text.includes('22. april 2030 er 2. påskedag, en helligdag'), r.text.match(/alert-text">([^<]*)/)[1]);
  r = await post({ date: '2030-04-22', time: '25:00' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<a href="#rt-time"/, 'a bad time names its field');
  r = await post({ date: '', time: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<a href="#rt-date"[^>]*>[^<]+<\/a><\/li><li><a href="#rt-time"/, 'an empty form: both fields in the summary');
  r = await post({ date: '2030-08-10', time: '10:00', day_ok: 'yes' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(r.headers.location.match(/^\/meetings\/(\d+)/)[1]);
  const m = (await S.cm1.call('GET', `${API}/meetings/${id}`)).json;
  assert.equal(m.kind, 'roundtable');
  assert.equal(m.start, '2030-08-10T10:00');
  assert.equal(m.site.name, 'Sundhedshuset');
  assert.deepEqual(m.participants.map((p) => p.id).sort((a, b) => a - b),
    [S.person.id, S.cm1.id, S.ec1.id].sort((a, b) => a - b));
  // The API books it and says so.
  const j = await S.cm1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-12-25T10:00' });
  assert.equal(j.status, 201, j.text);
  assert.equal(j.json.day_warning.holiday, 'christmas_day');
  const plain = await S.cm1.call('POST', caseMeetings(), { kind: 'roundtable', start: '2030-12-27T10:00' });
  assert.equal(plain.json.day_warning, undefined, 'a working day has no warning');
});
