'use strict';
// The professionals' iCalendar feed (RFC 5545): made by POST /api/v1/me/calendar,
// read without a session at /calendar/SECRET.ics, parsed here with ical.js.
// Expected values come from the issue and the RFC, worked out by hand.

const test = require('node:test');
const assert = require('node:assert/strict');
const ICAL = require('ical.js');
const { makeWorld } = require('./lib/world');

const API = '/api/v1';
let W;
let S;
const M = {};

function feed(url) {
  return W.srv.request('GET', url); // no cookie: the secret is the credential
}

function events(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return { cal, events: cal.getAllSubcomponents('vevent') };
}

test.before(async () => {
  W = await makeWorld();
  S = W.s;
  const cases = `${API}/cases/${W.kase.id}/meetings`;
  const mk = async (who, body) => {
    const r = await S[who].call('POST', cases, body);
    if (r.status !== 201) throw new Error(`${who} ${JSON.stringify(body)}: ${r.status} ${r.text}`);
    return r.json;
  };
  M.rt = await mk('cm1', { kind: 'roundtable', start: '2030-03-04T10:00', site: 'Sundhedshuset' });
  M.fu = await mk('ec1', {
    kind: 'followup', start: '2030-06-10T10:00', duration: 30, mode: 'video',
    mode_reason: 'The person asked for video because of anxiety about travelling',
    remote_link: 'https://video.example.org/room/42',
  });
  M.gone = await mk('ec1', { kind: 'followup', start: '2030-06-17T10:00' });
  const c = await S.ec1.call('PATCH', `${API}/meetings/${M.gone.id}`, { status: 'cancelled', reason: 'The person started work full time' });
  if (c.status !== 200) throw new Error(`cancel: ${c.status} ${c.text}`);
  M.th = await mk('cm1', { kind: 'therapy', start: '2030-03-05T13:00' });
});
test.after(async () => { if (W) await W.cleanup(); });

test('a professional gets a feed URL; the person does not', async () => {
  const r = await S.ec1.call('POST', `${API}/me/calendar`, {});
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.url, /^\/calendar\/[0-9a-f]{64}\.ics$/);
  W.url = r.json.url;
  assert.equal((await S.person.call('POST', `${API}/me/calendar`, {})).status, 403);
  assert.equal((await S.admin.call('POST', `${API}/me/calendar`, {})).status, 403);
});

test('the feed is RFC 5545: CRLF, folded at 75 octets, one event per meeting', async () => {
  const r = await feed(W.url);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers['content-type'], /^text\/calendar; ?charset=utf-8$/i);
  const raw = r.text;
  assert.ok(raw.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(raw), 'every line ends in CRLF');
  for (const line of raw.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);

  const { cal, events: ev } = events(raw);
  assert.equal(cal.name, 'vcalendar');
  assert.equal(cal.getFirstPropertyValue('version'), '2.0');
  assert.ok(cal.getFirstPropertyValue('prodid'));
  const uids = ev.map((e) => e.getFirstPropertyValue('uid')).sort();
  assert.deepEqual(uids, [M.rt.id, M.fu.id, M.gone.id].map((id) => `meeting-${id}@ibbis`).sort());

  const byUid = Object.fromEntries(ev.map((e) => [e.getFirstPropertyValue('uid'), new ICAL.Event(e)]));
  const rt = byUid[`meeting-${M.rt.id}@ibbis`];
  // 10:00 Danish winter time is 09:00 UTC; the feed writes UTC with Z.
  assert.ok(/DTSTART:20300304T090000Z\r\n/.test(raw));
  assert.ok(/DTEND:20300304T100000Z\r\n/.test(raw));
  assert.equal(rt.startDate.toUnixTime(), Date.UTC(2030, 2, 4, 9, 0) / 1000);
  assert.equal(rt.endDate.toUnixTime(), Date.UTC(2030, 2, 4, 10, 0) / 1000);
  assert.equal(rt.location, 'Sundhedshuset');
  assert.match(rt.summary, /Roundtable/);
  assert.equal(rt.summary, `Roundtable meeting: case ${W.kase.id}`, 'the kind and the case reference');
  assert.ok(rt.component.getFirstPropertyValue('dtstamp'));

  const fu = byUid[`meeting-${M.fu.id}@ibbis`];
  assert.equal(fu.startDate.toUnixTime(), Date.UTC(2030, 5, 10, 8, 0) / 1000); // summer: UTC+2
  assert.equal(fu.location, 'Video');
  const gone = byUid[`meeting-${M.gone.id}@ibbis`];
  assert.equal(gone.component.getFirstPropertyValue('status'), 'CANCELLED');
  assert.notEqual(fu.component.getFirstPropertyValue('status'), 'CANCELLED');
});

test('the feed leaves the system: no name, no CPR, no clinical detail', async () => {
  const raw = (await feed(W.url)).text;
  assert.ok(!raw.includes('Service'), 'no surname');
  assert.ok(!raw.includes('Sofie'), 'not even the first name');
  assert.ok(!raw.includes('0101801234') && !raw.includes('010180'), 'no CPR');
  assert.ok(!/therapy|terapi/i.test(raw), 'the EC\'s feed has no therapy session');
  assert.ok(!raw.includes('anxiety'), 'no mode reason');
  assert.ok(!raw.includes('started work'), 'no status reason');
  // The CM's feed has the therapy session, still with the first name only.
  const cm = await S.cm1.call('POST', `${API}/me/calendar`, {});
  assert.equal(cm.status, 201, cm.text);
  const { events: ev } = events((await feed(cm.json.url)).text);
  const th = ev.find((e) => e.getFirstPropertyValue('uid') === `meeting-${M.th.id}@ibbis`);
  assert.ok(th, 'the therapy session is in the CM\'s feed');
  assert.match(th.getFirstPropertyValue('summary'), new RegExp(`: case ${W.kase.id}$`));
  assert.ok(!th.getFirstPropertyValue('summary').includes('Sofie'));
});

test('a new secret revokes the old; unknown secrets are 404', async () => {
  const again = await S.ec1.call('POST', `${API}/me/calendar`, {});
  assert.equal(again.status, 201, again.text);
  assert.notEqual(again.json.url, W.url);
  assert.equal((await feed(W.url)).status, 404);
  assert.equal((await feed(again.json.url)).status, 200);
  assert.equal((await feed(`/calendar/${'0'.repeat(64)}.ics`)).status, 404);
  assert.equal((await feed('/calendar/short.ics')).status, 404);
  assert.equal((await feed(again.json.url.replace('.ics', ''))).status, 404);
});

test('the calendar page works without JavaScript, in Danish too', async () => {
  const page = await W.srv.request('GET', '/me/calendar?lang=da', { jar: S.ec1.jar, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('Kalenderabonnement'));
  assert.ok(/<form method="post" action="\/me\/calendar">/.test(page.text));
  await W.srv.request('GET', '/?lang=en', { jar: S.ec1.jar, headers: { Accept: 'text/html' } });
});
