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
const { MailSink, mailArgs } = require('./lib/smtp');

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
