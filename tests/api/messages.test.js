'use strict';
// Messages to people (DESIGN.md section 10), through a real SMTP server
// (tests/api/lib/smtp.js): meeting invitations, changes and cancellations
// with their iCalendar parts (parsed with ical.js), in the person's
// language; a decision made; settings; the administrator's outbox; and
// that no message carries the person's name or CPR number.

const test = require('node:test');
const assert = require('node:assert');
const ICAL = require('ical.js');
const { makeWorld, today } = require('./lib/world');
const { MailSink, mailArgs, mailSend: sendPass } = require('./lib/smtp');
const { sleep } = require('./lib/server');

let w;
const sink = new MailSink();
const NAME = 'Sofie Service';
const CPR = '0101801234';

test.before(async () => {
  await sink.start();
  w = await makeWorld({ server: { args: mailArgs(sink) } });
  const set = async (who, body) => {
    const r = await w.s[who].call('PATCH', '/api/v1/me/notifications', body);
    assert.equal(r.status, 200, r.text);
  };
  await set('person', { email: 'sofie@example.org', language: 'da' });
  await set('cm1', { email: 'cm1@example.org' });
  await set('ec1', { email: 'ec1@example.org', language: 'en' });
});

test.after(async () => {
  if (w) await w.cleanup();
  await sink.stop();
});

function event(msg) {
  assert.equal(msg.calendar.length, 1, `one calendar part in ${msg.subject}`);
  const comp = new ICAL.Component(ICAL.parse(msg.calendar[0].text));
  const ev = comp.getFirstSubcomponent('vevent');
  return {
    method: comp.getFirstPropertyValue('method'),
    partMethod: msg.calendar[0].method,
    uid: ev.getFirstPropertyValue('uid'),
    sequence: ev.getFirstPropertyValue('sequence'),
    status: ev.getFirstPropertyValue('status'),
    start: ev.getFirstPropertyValue('dtstart').toJSDate().toISOString(),
    attendee: ev.getFirstPropertyValue('attendee'),
    organizer: ev.getFirstPropertyValue('organizer'),
  };
}

function noSecrets(msg) {
  for (const s of [NAME, 'Sofie', CPR, '010180-1234']) {
    assert.ok(!msg.raw.includes(s) && !msg.text.includes(s) && !msg.subject.includes(s),
      `"${s}" in a message: ${msg.subject}`);
  }
}

test('settings: the actor\'s own address and choices, checked field by field', async () => {
  const r = await w.s.person.call('GET', '/api/v1/me/notifications');
  assert.equal(r.status, 200);
  assert.equal(r.json.email, 'sofie@example.org');
  assert.equal(r.json.language, 'da');
  for (const k of ['meetings', 'reminders', 'digest', 'decisions']) assert.equal(r.json[k], true, k);
  let bad = await w.s.cm1.call('PATCH', '/api/v1/me/notifications', { email: 'not an address' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'email');
  bad = await w.s.cm1.call('PATCH', '/api/v1/me/notifications', { digest: 'yes' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'digest');
  bad = await w.s.cm1.call('PATCH', '/api/v1/me/notifications', { language: 'fr' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'language');
  const page = await w.srv.request('GET', '/me/notifications', { jar: w.s.person.jar, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.text, /Beskeder til mig/);
  assert.match(page.text, /sofie@example\.org/);
});

test('a meeting: invitation, change and cancellation keep one UID, SEQUENCE rises, each in its reader\'s language', async () => {
  const start = `${today(10)}T10:00`;
  const m = await w.s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/meetings`,
    { kind: 'roundtable', start, duration: 60 });
  assert.equal(m.status, 201, m.text);
  const id = m.json.id;
  const uid = `meeting-${id}@ibbis`;
  const mine = (addr) => sink.to(addr).filter((x) => x.calendar.length && event(x).uid === uid);
  await sink.waitFor(() => ['sofie@example.org', 'cm1@example.org', 'ec1@example.org']
    .every((a) => mine(a).length === 1), 15000, 'three invitations');
  const inv = mine('sofie@example.org')[0];
  let e = event(inv);
  assert.equal(e.method, 'REQUEST');
  assert.equal(e.partMethod, 'REQUEST');
  assert.equal(e.sequence, 0);
  assert.equal(e.attendee, 'mailto:sofie@example.org');
  assert.equal(e.organizer, 'mailto:ibbis@example.org');
  assert.match(inv.subject, /^Indkaldelse: en rundbordssamtale/, 'Danish for the person');
  assert.match(inv.text, new RegExp(`https://ibbis\\.example\\.org/meetings/${id}`));
  assert.match(mine('ec1@example.org')[0].subject, /^Invitation: a roundtable meeting/, 'English for the EC');
  noSecrets(inv);

  const moved = await w.s.cm1.call('PATCH', `/api/v1/meetings/${id}`, { start: `${today(11)}T09:00` });
  assert.equal(moved.status, 200, moved.text);
  await sink.waitFor(() => mine('sofie@example.org').length === 2, 15000, 'the change');
  e = event(mine('sofie@example.org')[1]);
  assert.equal(e.method, 'REQUEST');
  assert.equal(e.uid, uid);
  assert.equal(e.sequence, 1);
  assert.match(mine('sofie@example.org')[1].subject, /^Ændret:/);

  const off = await w.s.cm1.call('PATCH', `/api/v1/meetings/${id}`, { status: 'cancelled', reason: 'Carla is ill' });
  assert.equal(off.status, 200, off.text);
  await sink.waitFor(() => ['sofie@example.org', 'ec1@example.org'].every((a) => mine(a).length === 3), 15000, 'the cancellation');
  for (const a of ['sofie@example.org', 'cm1@example.org', 'ec1@example.org']) {
    const last = mine(a)[2];
    e = event(last);
    assert.equal(e.method, 'CANCEL', a);
    assert.equal(e.partMethod, 'CANCEL', a);
    assert.equal(e.uid, uid);
    assert.equal(e.sequence, 2);
    assert.equal(e.status, 'CANCELLED');
    assert.ok(!last.raw.includes('ill'), 'the reason stays in IBBIS');
    noSecrets(last);
  }
  const held = await w.s.cm1.call('PATCH', `/api/v1/meetings/${id}`, { status: 'planned' });
  assert.equal(held.status, 200, held.text);
  await sink.waitFor(() => mine('ec1@example.org').length === 4, 15000, 'planned again');
  assert.equal(event(mine('ec1@example.org')[3]).sequence, 3);
  assert.equal(event(mine('ec1@example.org')[3]).method, 'REQUEST');
});

test('a decision made: the person gets a link, never the content', async () => {
  const reasons = 'MARKER-REASONS expected back within weeks';
  const r = await w.s.ec1.call('POST', `/api/v1/cases/${w.kase.id}/decisions`,
    { kind: 'extension', ground: 3, on: today(), hearing: today(-7), reasons });
  assert.equal(r.status, 201, r.text);
  await sink.waitFor(() => sink.to('sofie@example.org').some((m) => /afgørelse/.test(m.subject)), 15000, 'the decision message');
  const msg = sink.to('sofie@example.org').find((m) => /afgørelse/.test(m.subject));
  assert.match(msg.text, /https:\/\/ibbis\.example\.org\/my/);
  assert.ok(!msg.raw.includes('MARKER-REASONS'));
  assert.equal(msg.calendar.length, 0);
  noSecrets(msg);
});

test('a topic turned off is not sent; an account without an address gets nothing', async () => {
  const off = await w.s.ec1.call('PATCH', '/api/v1/me/notifications', { meetings: false });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.meetings, false);
  const before = sink.to('ec1@example.org').length;
  const m = await w.s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/meetings`,
    { kind: 'roundtable', start: `${today(12)}T13:00`, duration: 30 });
  assert.equal(m.status, 201, m.text);
  const uid = `meeting-${m.json.id}@ibbis`;
  await sink.waitFor(() => sink.to('cm1@example.org').some((x) => x.calendar.length && event(x).uid === uid), 15000, 'the CM\'s invitation');
  assert.equal(sink.to('ec1@example.org').length, before, 'the EC turned meetings off');
  assert.equal(sink.messages.filter((x) => x.envelopeTo.some((a) => /ec2|cm2/.test(a))).length, 0);
});

test('the outbox: the administrator sees where messages went, never their bodies', async () => {
  let r = await w.s.cm1.call('GET', '/api/v1/outbox');
  assert.equal(r.status, 403);
  r = await w.s.admin.call('GET', '/api/v1/outbox');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.mail_configured, true);
  assert.ok(r.json.counts.sent >= 10, JSON.stringify(r.json.counts));
  const one = r.json.messages[0];
  for (const k of ['id', 'to', 'kind', 'status', 'attempts', 'created_at', 'last_error']) assert.ok(k in one, k);
  for (const k of ['params', 'body', 'text', 'subject']) assert.ok(!(k in one), k);
  assert.ok(!r.text.includes('meeting-'), 'no message content');
  r = await w.s.admin.call('GET', '/api/v1/outbox?status=nonsense');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'status');
  const page = await w.srv.request('GET', '/outbox', { jar: w.s.admin.jar, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Mail is not configured/);
  assert.match(page.text, /cm1@example\.org/);
});

// ---- The person resets their own password ----

const RESET_LINK = /https:\/\/ibbis\.example\.org(\/password-reset\/[0-9a-f]{64})/;

test('the login page links to the reset in both languages', async () => {
  for (const [lang, text] of [['en', 'Forgotten your password?'], ['da', 'Har du glemt din adgangskode?']]) {
    const r = await w.srv.request('GET', '/login', { headers: { Accept: 'text/html', 'Accept-Language': lang } });
    assert.equal(r.status, 200);
    assert.match(r.text, /href="\/password-reset"/);
    assert.ok(r.text.includes(text), `${lang}: ${text}`);
  }
});

test('password reset: the same answer for anyone; the link by e-mail; new password, sessions ended, in the access log', async () => {
  const person = w.s.person;
  const ask = (who) => w.srv.request('POST', '/password-reset', {
    body: { username: who }, headers: { Accept: 'application/json' },
  });
  const unknown = await ask('nobody-at-all');
  const known = await ask(person.username);
  assert.equal(unknown.status, 200);
  assert.equal(known.status, known.status);
  assert.deepEqual(unknown.json, known.json, 'no enumeration');
  const noAddress = await ask('cm2'); // an account without an address
  assert.deepEqual(noAddress.json, known.json);
  const isReset = (m) => RESET_LINK.test(m.text);
  await sink.waitFor(() => sink.to('sofie@example.org').some(isReset), 15000, 'the reset link');
  const msg = sink.to('sofie@example.org').find(isReset);
  assert.match(msg.subject, /adgangskode/, 'in the person\'s language');
  noSecrets(msg);
  const link = msg.text.match(RESET_LINK)[1];

  // By address too (any case), a newer link replaces the older one.
  await ask('SOFIE@example.org');
  await sink.waitFor(() => sink.to('sofie@example.org').filter(isReset).length === 2, 15000, 'the second link');
  const link2 = sink.to('sofie@example.org').filter(isReset)[1].text.match(RESET_LINK)[1];
  assert.notEqual(link, link2);
  let r = await w.srv.request('GET', link, { headers: { Accept: 'text/html' } });
  assert.equal(r.status, 404, 'the older link ended');
  r = await w.srv.request('GET', link2, { headers: { Accept: 'text/html', 'Accept-Language': 'da' } });
  assert.equal(r.status, 200);
  assert.match(r.text, /Vælg en ny adgangskode/);

  r = await w.srv.request('POST', link2, { body: { password: 'short' }, headers: { Accept: 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'password');
  r = await w.srv.request('POST', link2, { body: { password: 'a-new-secret-2026' }, headers: { Accept: 'application/json' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'reset');
  r = await w.srv.request('POST', link2, { body: { password: 'another-secret-2026' }, headers: { Accept: 'application/json' } });
  assert.equal(r.status, 404, 'used once');

  r = await person.call('GET', '/api/v1/me');
  assert.equal(r.status, 401, 'every session of the account ended');
  const { session } = require('./lib/world');
  const again = await session(w.srv, person.username, 'a-new-secret-2026');
  const page = await w.srv.request('GET', '/my/data', { jar: again.jar, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.text, /Valgte en ny adgangskode via et link sendt pr\. e-mail/);
  const log = await w.s.ec1.call('GET', `/api/v1/cases/${w.kase.id}/access-log`);
  if (log.status === 200) assert.match(log.text, /password_reset/);
  w.s.person = again;
});

test('password reset: the form needs its token; asking is rate-limited', async () => {
  let r = await w.srv.request('POST', '/password-reset', { form: { username: 'cm1' }, headers: { Accept: 'text/html' } });
  assert.equal(r.status, 403, 'no form token');
  const page = await w.srv.request('GET', '/password-reset', { headers: { Accept: 'text/html' } });
  const jar = new (require('./lib/server').Jar)();
  jar.take(page.setCookies);
  const tok = page.text.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
  r = await w.srv.request('POST', '/password-reset', { jar, form: { csrf_token: tok, username: '' }, headers: { Accept: 'text/html' } });
  assert.equal(r.status, 400);
  r = await w.srv.request('POST', '/password-reset', { jar, form: { csrf_token: tok, username: 'flood' }, headers: { Accept: 'text/html' } });
  assert.equal(r.status, 200);
  let last;
  for (let i = 0; i < 6; i++) {
    last = await w.srv.request('POST', '/password-reset', { body: { username: 'flood' }, headers: { Accept: 'application/json' } });
  }
  assert.equal(last.status, 429);
  assert.ok(last.headers['retry-after']);
});

// ---- Scheduled messages, queued by `ibbis mail send --at` (as cron would) ----

const { ibbis } = require('./lib/server');
const { sql } = require('./lib/sql');

function dayAfter(iso, n) {
  return new Date(Date.parse(`${iso}T12:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
}
function nextWeekday(iso, weekday) { // 0 Sunday .. 6 Saturday
  let d = iso;
  while (new Date(`${d}T12:00:00Z`).getUTCDay() !== weekday) d = dayAfter(d, 1);
  return d;
}
const mailSend = (at) => sendPass(w.srv.db, sink, ['--at', at]);

test('a reminder the working day before a meeting, once; Friday reminds of Monday', async () => {
  const wed = nextWeekday(today(20), 3);
  const mk = async (day, hm) => {
    const r = await w.s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/meetings`,
      { kind: 'roundtable', start: `${day}T${hm}`, duration: 60 });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const thu = await mk(dayAfter(wed, 1), '10:00');
  const fri = await mk(dayAfter(wed, 2), '10:00');
  const mon = await mk(dayAfter(wed, 5), '10:00');
  const reminders = (addr) => sink.to(addr).filter((m) => /^(Påmindelse|Reminder):/.test(m.subject));
  const about = (m, id) => m.text.includes(`/meetings/${id}`);
  await mailSend(`${wed}T08:00`);
  await sink.waitFor(() => reminders('sofie@example.org').length === 1 && reminders('ec1@example.org').length === 1, 15000, 'Wednesday\'s reminders');
  assert.ok(about(reminders('sofie@example.org')[0], thu));
  assert.match(reminders('sofie@example.org')[0].subject, /^Påmindelse: en rundbordssamtale/);
  assert.match(reminders('ec1@example.org')[0].subject, /^Reminder: a roundtable meeting/, 'the EC turned invitations off, not reminders');
  assert.equal(reminders('sofie@example.org')[0].calendar.length, 0);
  await mailSend(`${wed}T15:00`);
  await sleep(1500);
  assert.equal(reminders('sofie@example.org').length, 1, 'once');
  await mailSend(`${dayAfter(wed, 2)}T08:00`); // Friday: Saturday to Monday
  await sink.waitFor(() => reminders('sofie@example.org').length === 2, 15000, 'Friday\'s reminder');
  assert.ok(about(reminders('sofie@example.org')[1], mon));
  assert.ok(!reminders('sofie@example.org').some((m) => about(m, fri)), 'Friday\'s meeting was reminded on Thursday, not run here');
  reminders('sofie@example.org').forEach(noSecrets);
});

test('the professionals\' daily digest of deadlines (on by default, can be turned off); a hearing before a decision', async () => {
  const sw = ibbis(['sweep', '--db', w.srv.db]);
  assert.equal(sw.status, 0, sw.stderr);
  const day = nextWeekday(today(1), 2); // a Tuesday
  const digests = (addr) => sink.to(addr).filter((m) => /^(Your deadlines|Dine frister):/.test(m.subject));
  await mailSend(`${day}T05:00`);
  await sleep(1000);
  assert.equal(digests('ec1@example.org').length, 0, 'not before 06:00');
  await mailSend(`${day}T07:00`);
  await sink.waitFor(() => digests('ec1@example.org').length === 1, 15000, 'the EC\'s digest');
  const d = digests('ec1@example.org')[0];
  assert.match(d.subject, /^Your deadlines: [1-9]\d* overdue/);
  assert.match(d.text, /First follow-up conversation, overdue since/);
  assert.match(d.text, new RegExp(`https://ibbis\\.example\\.org/cases/${w.kase.id}`));
  noSecrets(d);
  await mailSend(`${day}T09:00`);
  await sleep(1000);
  assert.equal(digests('ec1@example.org').length, 1, 'one a day');
  const off = await w.s.ec1.call('PATCH', '/api/v1/me/notifications', { digest: false });
  assert.equal(off.status, 200);
  await mailSend(`${dayAfter(day, 1)}T07:00`);
  await sleep(1500);
  assert.equal(digests('ec1@example.org').length, 1, 'turned off');
  assert.equal(digests('sofie@example.org').length, 0, 'the person gets no digest');

  const due = today(10);
  const ins = sql(w.srv.db, 'INSERT INTO tasks (user_id, case_id, kind, source, source_key, due, done, created_at, updated_at) ' +
    `VALUES (${w.s.ec1.id}, ${w.kase.id}, 'reassessment_decision', 'manual', 'test-hearing', '${due}', 0, 0, 0)`);
  assert.equal(ins.status, 0, ins.stderr);
  const hearings = () => sink.to('sofie@example.org').filter((m) => /^Partshøring/.test(m.subject));
  await mailSend(`${today()}T08:00`);
  await sink.waitFor(() => hearings().length === 1, 15000, 'the hearing notice');
  assert.match(hearings()[0].text, /senest \d+\. \S+ \d{4}/, 'the date in Danish');
  assert.match(hearings()[0].text, /https:\/\/ibbis\.example\.org\/my/);
  noSecrets(hearings()[0]);
  await mailSend(`${today()}T09:00`);
  await sleep(1000);
  assert.equal(hearings().length, 1, 'once per decision date');
});
