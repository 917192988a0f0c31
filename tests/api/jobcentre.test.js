'use strict';
// What a jobcentre reader must not learn (issue 14): a double booking never
// describes a meeting the actor cannot see; no clinical item's id, title or
// category in the access log or the case page's activity; only the case's
// people take part in its meetings; the calendar feed names no person;
// former team members lose the team's pages the day their membership ends.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');

let w;
let S;
const API = '/api/v1';
test.before(async () => { w = await makeWorld(); S = w.s; });
test.after(async () => { if (w) await w.cleanup(); });

const meetings = (id) => `${API}/cases/${id}/meetings`;

test('a double booking says only "not available" about a meeting the actor cannot see', async () => {
  // The CM's therapy session with the person: clinical, never the jobcentre's.
  const th = await S.cm1.call('POST', meetings(w.kase.id), { kind: 'therapy', start: '2031-02-03T10:00' });
  assert.strictEqual(th.status, 201, th.text);
  const r = await S.ec1.call('POST', meetings(w.kase.id), { kind: 'roundtable', start: '2031-02-03T10:30' });
  assert.strictEqual(r.status, 409, r.text);
  assert.strictEqual(r.json.error.message, 'Sofie Service is not available at that time.');
  assert.ok(!/therapy|10:00|2031/i.test(r.text), r.text);
  // Another case the EC has nothing to do with: cm1 meets ec2 there.
  const other = await S.ec2.call('POST', `${API}/cases`, {
    name: 'Otto Other', cpr: '0707801234', contact: '', first_absence_day: today(-10),
    team: w.teams.A.id, care_manager: S.cm1.id, employment_consultant: S.ec2.id,
  });
  assert.strictEqual(other.status, 201, other.text);
  const rt = await S.ec2.call('POST', meetings(other.json.id), { kind: 'roundtable', start: '2031-02-04T09:00' });
  assert.strictEqual(rt.status, 201, rt.text);
  const clash = await S.ec1.call('POST', meetings(w.kase.id), { kind: 'roundtable', start: '2031-02-04T09:15' });
  assert.strictEqual(clash.status, 409, clash.text);
  assert.strictEqual(clash.json.error.message, 'Carla Care is not available at that time.');
  const da = await S.ec1.call('POST', `${meetings(w.kase.id)}?lang=da`, { kind: 'roundtable', start: '2031-02-04T09:15' });
  assert.strictEqual(da.json.error.message, 'Carla Care er ikke ledig på det tidspunkt.');
  await S.ec1.call('GET', `${API}/me?lang=en`);
  // A meeting the actor can see is still described, so they can act on it.
  const own = await S.ec1.call('POST', meetings(w.kase.id), { kind: 'followup', start: '2031-02-05T09:00' });
  assert.strictEqual(own.status, 201, own.text);
  const seen = await S.ec1.call('POST', meetings(w.kase.id), { kind: 'roundtable', start: '2031-02-05T09:30' });
  assert.strictEqual(seen.status, 409);
  assert.match(seen.json.error.message, /already has a meeting \(Follow-up conversation|already has a meeting/);
  assert.match(seen.json.error.message, /5 February 2031 at 09:00/);
  // The health side sees its own therapy session named.
  const cm = await S.cm1.call('POST', meetings(w.kase.id), { kind: 'roundtable', start: '2031-02-03T10:30' });
  assert.strictEqual(cm.status, 409);
  assert.match(cm.json.error.message, /Therapy|therapy/);
});

test('the jobcentre sees no clinical item in the access log or the case page\'s activity', async () => {
  const note = await S.cm1.call('POST', `${API}/cases/${w.kase.id}/notes`, { category: 'clinical', text: 'Angst, sover dårligt' });
  assert.strictEqual(note.status, 201, note.text);
  const nid = note.json.id;
  await S.cm1.call('GET', `${API}/cases/${w.kase.id}/notes?category=clinical`);
  const item = new RegExp(`note:${nid}\\b`);
  // The health supervisor sees the clinical entries ...
  const h = await S.suph.call('GET', `${API}/cases/${w.kase.id}/access-log`);
  assert.strictEqual(h.status, 200, h.text);
  assert.ok(h.json.entries.some((e) => e.category === 'clinical' && item.test(e.item)), 'control');
  // ... the jobcentre supervisor sees none: no id, no category.
  const j = await S.supj.call('GET', `${API}/cases/${w.kase.id}/access-log`);
  assert.strictEqual(j.status, 200, j.text);
  assert.ok(j.json.entries.length > 0, 'other entries are there');
  assert.ok(!j.json.entries.some((e) => e.category === 'clinical'), JSON.stringify(j.json.entries.filter((e) => e.category === 'clinical')));
  assert.ok(!item.test(j.text) && !/clinical/i.test(j.text), 'no trace in the JSON');
  const jh = await w.srv.request('GET', `/cases/${w.kase.id}/access-log`, { jar: S.supj.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(jh.status, 200);
  assert.ok(!/clinical|therapy/i.test(jh.text.replace(/<head>[\s\S]*<\/head>/, '')), 'no trace on the page');
  // The case page's recent activity.
  const recent = async (s) => {
    const r = await w.srv.request('GET', `/cases/${w.kase.id}`, { jar: s.jar, headers: { Accept: 'text/html' } });
    assert.strictEqual(r.status, 200);
    return ((r.text.split('Recent activity')[1] || '').split('</ul>')[0]);
  };
  assert.match(await recent(S.suph), /therapy note/i, 'control: the health side sees the clinical note written');
  const j2 = await recent(S.supj);
  assert.match(j2, /<li>/, 'the jobcentre sees other activity');
  assert.ok(!/therapy|clinical/i.test(j2), j2);
});

test('meeting participants are the case\'s people; anyone else is refused by name', async () => {
  const outsider = await S.ec1.call('POST', meetings(w.kase.id), {
    kind: 'roundtable', start: '2031-03-03T10:00', participants: [S.suph2.id],
  });
  assert.strictEqual(outsider.status, 400, outsider.text);
  assert.strictEqual(outsider.json.error.field, 'participants');
  assert.match(outsider.json.error.message, /^Hanne Other-Team cannot take part/);
  const mixed = await S.ec1.call('POST', meetings(w.kase.id), {
    kind: 'roundtable', start: '2031-03-03T10:00', participants: `${S.cm2.id}, ${S.admin.id}`,
  });
  assert.strictEqual(mixed.status, 400, mixed.text);
  // A member of the case's team is welcome.
  const ok = await S.ec1.call('POST', meetings(w.kase.id), {
    kind: 'roundtable', start: '2031-03-03T10:00', participants: [S.cm2.id, S.supj.id],
  });
  assert.strictEqual(ok.status, 201, ok.text);
  assert.ok(ok.json.participants.some((p) => p.id === S.cm2.id));
});

test('the calendar feed names the meeting kind and the case, never the person', async () => {
  const f = await S.ec1.call('POST', `${API}/me/calendar`, {});
  assert.strictEqual(f.status, 201, f.text);
  const ics = (await w.srv.request('GET', f.json.url)).text;
  const summaries = ics.split(/\r?\n/).filter((l) => l.startsWith('SUMMARY:'));
  assert.ok(summaries.length > 0, ics);
  assert.ok(summaries.includes(`SUMMARY:Roundtable meeting: case ${w.kase.id}`), summaries.join('\n'));
  assert.ok(!/Sofie|Service|Carla/.test(ics), 'no names');
});

test('former team members lose the team\'s pages the day their membership ends', async () => {
  const A = w.teams.A.id;
  const sup = await S.suph.call('POST', `${API}/teams/${A}/meetings`, { start: '2031-04-01T14:00' });
  assert.strictEqual(sup.status, 201, sup.text);
  for (const p of [`${API}/teams/${A}`, `${API}/teams/${A}/meetings`, `${API}/meetings/${sup.json.id}`]) {
    assert.strictEqual((await S.ec2.call('GET', p)).status, 200, `before: ${p}`);
  }
  const team = await S.admin.call('GET', `${API}/teams/${A}`);
  const mid = team.json.members.find((m) => m.user === S.ec2.id).id;
  const end = await S.admin.call('PATCH', `${API}/memberships/${mid}`, { to: today() });
  assert.strictEqual(end.status, 200, end.text);
  for (const p of [`${API}/teams/${A}`, `${API}/teams/${A}/meetings`, `${API}/meetings/${sup.json.id}`]) {
    const r = await S.ec2.call('GET', p);
    assert.strictEqual(r.status, 403, `after: ${p}: ${r.text}`);
  }
  const list = await S.ec2.call('GET', `${API}/teams`);
  assert.ok(!list.json.teams.some((t) => t.id === A), 'not in their list of teams');
  // Current members keep them.
  assert.strictEqual((await S.cm2.call('GET', `${API}/teams/${A}`)).status, 200);
  assert.strictEqual((await S.cm2.call('GET', `${API}/teams/${A}/meetings`)).status, 200);
});
