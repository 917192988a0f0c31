'use strict';
// Cases: the referral and its validation, who sees a case, search, PATCH,
// handovers with history, the separate assessments and the outcome.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');

let w;
test.before(async () => { w = await makeWorld(); });
test.after(async () => { if (w) await w.cleanup(); });

function referral(extra = {}) {
  return Object.assign({
    name: 'Mads Mogensen',
    cpr: '150772-1234',
    contact: 'mads@example.org',
    first_absence_day: today(-30),
    employment: 'self_employed',
    absences: [{ from: today(-30), to: null }],
    earlier_benefit: [{ from: '2020-01-06', to: '2020-02-28' }],
    team: w.teams.A.id,
    care_manager: w.s.cm2.id,
    employment_consultant: w.s.ec1.id,
  }, extra);
}

async function countCases(s) {
  const r = await s.call('GET', '/api/v1/cases?limit=500');
  return r.json.cases.length;
}

test('the referral answers the case with its person and first assignments', async () => {
  const r = await w.s.ec1.call('POST', '/api/v1/cases', referral());
  assert.strictEqual(r.status, 201, r.text);
  const k = r.json;
  assert.strictEqual(k.name, 'Mads Mogensen');
  assert.strictEqual(k.cpr, '1507721234'); // stored without the dash
  assert.strictEqual(k.employment, 'self_employed');
  assert.strictEqual(k.status, 'open');
  assert.strictEqual(k.outcome, null);
  assert.deepStrictEqual(k.care_manager, { id: w.s.cm2.id, name: 'Claus Care' });
  assert.deepStrictEqual(k.employment_consultant, { id: w.s.ec1.id, name: 'Erik Employ' });
  assert.strictEqual(k.team.id, w.teams.A.id);
  assert.deepStrictEqual(k.absences, [{ from: today(-30), to: null, partial: false }]);
  assert.deepStrictEqual(k.earlier_benefit, [{ from: '2020-01-06', to: '2020-02-28' }]);
  assert.ok(Number.isInteger(k.person.id));
  assert.match(k.person.username, /^mads\.\d{4}$/);
  assert.deepStrictEqual(k.handovers.map((h) => [h.role, h.user.id, h.to]),
    [['care_manager', w.s.cm2.id, null], ['employment_consultant', w.s.ec1.id, null]]);
  // No usable password before activation.
  const login = await w.srv.request('POST', '/login', {
    body: { username: k.person.username, password: '!' }, headers: { Accept: 'application/json' },
  });
  assert.strictEqual(login.status, 401);
});

test('every referral field is validated, naming the field, and nothing is written', async () => {
  const before = await countCases(w.s.ec1);
  const bad = [
    [{ name: '' }, 'name'],
    [{ name: undefined }, 'name'],
    [{ cpr: '3102801234' }, 'cpr'],        // 31 February
    [{ cpr: '290281-1234' }, 'cpr'],       // 1981 is not a leap year
    [{ cpr: '01018012345' }, 'cpr'],
    [{ cpr: '0101-801234' }, 'cpr'],
    [{ cpr: 101801234 }, 'cpr'],
    [{ contact: 42 }, 'contact'],
    [{ first_absence_day: '2024-13-01' }, 'first_absence_day'],
    [{ first_absence_day: undefined }, 'first_absence_day'],
    [{ employment: 'freelance' }, 'employment'],
    [{ absences: 'always' }, 'absences'],
    [{ absences: [{ from: '2024-05-02', to: '2024-05-01' }] }, 'absences[0].to'],
    [{ absences: [{ from: 'yesterday', to: null }] }, 'absences[0].from'],
    [{ absences: [{ from: '2024-05-01', to: null }, { to: '2024-06-01' }] }, 'absences[1].from'],
    [{ earlier_benefit: [{ from: '2020-01-01' }] }, 'earlier_benefit[0].to'],
    [{ earlier_benefit: [{ from: '2020-02-01', to: '2020-01-01' }] }, 'earlier_benefit[0].to'],
    [{ team: 99999 }, 'team'],
    [{ team: 'A' }, 'team'],
    [{ care_manager: w.s.ec1.id }, 'care_manager'],
    [{ care_manager: undefined }, 'care_manager'],
    [{ employment_consultant: w.s.cm1.id }, 'employment_consultant'],
    [{ team: w.teams.B.id }, 'care_manager'], // not members of team B
  ];
  for (const [change, field] of bad) {
    const body = referral(change);
    for (const k of Object.keys(change)) if (change[k] === undefined) delete body[k];
    const r = await w.s.ec1.call('POST', '/api/v1/cases', body);
    assert.strictEqual(r.status, 400, `${JSON.stringify(change)}: ${r.status} ${r.text}`);
    assert.strictEqual(r.json.error.code, 'invalid');
    assert.strictEqual(r.json.error.field, field, JSON.stringify(change));
    assert.ok(r.json.error.message.length > 5);
  }
  assert.strictEqual(await countCases(w.s.ec1), before);
});

test('the jobcentre refers: the named EC or a jobcentre-side team supervisor', async () => {
  const cm = await w.s.cm1.call('POST', '/api/v1/cases', referral());
  assert.strictEqual(cm.status, 403);
  const suph = await w.s.suph.call('POST', '/api/v1/cases', referral());
  assert.strictEqual(suph.status, 403);
  const otherEc = await w.s.ec2.call('POST', '/api/v1/cases', referral()); // names ec1
  assert.strictEqual(otherEc.status, 403);
  const supj = await w.s.supj.call('POST', '/api/v1/cases', referral({ name: 'Nina Nielsen', cpr: '0202024321' }));
  assert.strictEqual(supj.status, 201, supj.text);
  assert.strictEqual(supj.json.referred_by.id, w.s.supj.id);
});

test('who sees a case: team A case invisible to team B supervisor, admin, researcher', async () => {
  const id = w.kase.id;
  for (const u of ['cm1', 'ec1', 'suph', 'supj', 'person']) {
    const r = await w.s[u].call('GET', `/api/v1/cases/${id}`);
    assert.strictEqual(r.status, 200, `${u}: ${r.status}`);
    assert.deepStrictEqual(r.json.care_manager, { id: w.s.cm1.id, name: 'Carla Care' });
  }
  for (const u of ['suph2', 'admin', 'res', 'cm2', 'ec2']) {
    const r = await w.s[u].call('GET', `/api/v1/cases/${id}`);
    assert.strictEqual(r.status, 403, `${u}: ${r.status}`);
    assert.ok(!r.text.includes('Sofie'), `${u} must not see content`);
    const l = await w.s[u].call('GET', '/api/v1/cases');
    assert.strictEqual(l.status, 200);
    assert.ok(!l.json.cases.some((k) => k.id === id), `${u} must not list the case`);
  }
  const none = await w.s.cm1.call('GET', '/api/v1/cases/99999');
  assert.strictEqual(none.status, 404);
  const own = await w.s.person.call('GET', '/api/v1/cases');
  assert.deepStrictEqual(own.json.cases.map((k) => k.id), [id]);
});

test('search by name and CPR, status filter, paging', async () => {
  const byName = await w.s.supj.call('GET', '/api/v1/cases?q=sofie');
  assert.deepStrictEqual(byName.json.cases.map((k) => k.name), ['Sofie Service']);
  const byCpr = await w.s.supj.call('GET', '/api/v1/cases?q=010180-12');
  assert.deepStrictEqual(byCpr.json.cases.map((k) => k.name), ['Sofie Service']);
  const all = await w.s.supj.call('GET', '/api/v1/cases');
  assert.ok(all.json.total >= 3);
  const page = await w.s.supj.call('GET', '/api/v1/cases?limit=1&offset=1');
  assert.strictEqual(page.json.cases.length, 1);
  assert.strictEqual(page.json.cases[0].id, all.json.cases[1].id);
  const closed = await w.s.supj.call('GET', '/api/v1/cases?status=closed');
  assert.ok(closed.json.cases.every((k) => k.status === 'closed'));
  const bad = await w.s.supj.call('GET', '/api/v1/cases?status=maybe');
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'status');
  const team = await w.s.supj.call('GET', `/api/v1/cases?team=${w.teams.B.id}`);
  assert.deepStrictEqual(team.json.cases, []);
});

test('PATCH: the assigned EC edits core data; the CM may not', async () => {
  const k = (await w.s.ec1.call('POST', '/api/v1/cases', referral({ name: 'Ole Olsen', cpr: '1111111111' }))).json;
  const r = await w.s.ec1.call('PATCH', `/api/v1/cases/${k.id}`, {
    contact: 'ny adresse', employment: 'employee',
    absences: [{ from: today(-30), to: today(-5), partial: true }],
    fast_track: { requested: today(-20), refused: false },
    events: [{ kind: 'rehabilitation_started', on: today(-2) }],
  });
  assert.strictEqual(r.status, 200, r.text);
  assert.strictEqual(r.json.contact, 'ny adresse');
  assert.strictEqual(r.json.employment, 'employee');
  assert.deepStrictEqual(r.json.absences, [{ from: today(-30), to: today(-5), partial: true }]);
  assert.deepStrictEqual(r.json.fast_track, { requested: today(-20), refused: false });
  assert.deepStrictEqual(r.json.events, [{ kind: 'rehabilitation_started', on: today(-2) }]);
  const cm = await w.s.cm2.call('PATCH', `/api/v1/cases/${k.id}`, { contact: 'x' });
  assert.strictEqual(cm.status, 403);
  for (const [body, field] of [
    [{ employment: 'boss' }, 'employment'],
    [{ absences: [{ from: '2024-02-02', to: '2024-02-01' }] }, 'absences[0].to'],
    [{ events: [{ kind: 'lottery', on: today() }] }, 'events[0].kind'],
    [{ fast_track: { requested: 'soon' } }, 'fast_track.requested'],
  ]) {
    const b = await w.s.ec1.call('PATCH', `/api/v1/cases/${k.id}`, Object.assign({ contact: 'changed?' }, body));
    assert.strictEqual(b.status, 400, JSON.stringify(body));
    assert.strictEqual(b.json.error.field, field);
  }
  const after = await w.s.ec1.call('GET', `/api/v1/cases/${k.id}`);
  assert.strictEqual(after.json.contact, 'ny adresse'); // nothing half written
});

test('handover: history kept, access moves, the receiver sees a summary', async () => {
  const k = (await w.s.ec1.call('POST', '/api/v1/cases', referral({ name: 'Pia Poulsen', cpr: '2412854321' }))).json;
  const bad = await w.s.supj.call('POST', `/api/v1/cases/${k.id}/handover`, { role: 'employment_consultant', to: w.s.cm1.id, reason: 'x', on: today() });
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'to');
  const badRole = await w.s.supj.call('POST', `/api/v1/cases/${k.id}/handover`, { role: 'boss', to: w.s.ec2.id, reason: 'x' });
  assert.strictEqual(badRole.json.error.field, 'role');
  const noReason = await w.s.supj.call('POST', `/api/v1/cases/${k.id}/handover`, { role: 'employment_consultant', to: w.s.ec2.id });
  assert.strictEqual(noReason.json.error.field, 'reason');
  const r = await w.s.supj.call('POST', `/api/v1/cases/${k.id}/handover`, {
    role: 'employment_consultant', to: w.s.ec2.id, reason: 'Erik is on parental leave', on: today(),
  });
  assert.strictEqual(r.status, 201, r.text);
  assert.deepStrictEqual(r.json.employment_consultant, { id: w.s.ec2.id, name: 'Emma Employ' });
  const ec = r.json.handovers.filter((h) => h.role === 'employment_consultant');
  assert.deepStrictEqual(ec.map((h) => [h.user.id, h.to, h.reason]),
    [[w.s.ec1.id, today(), ''], [w.s.ec2.id, null, 'Erik is on parental leave']]);
  assert.strictEqual((await w.s.ec1.call('GET', `/api/v1/cases/${k.id}`)).status, 403);
  const seen = await w.s.ec2.call('GET', `/api/v1/cases/${k.id}`);
  assert.strictEqual(seen.status, 200);
  assert.strictEqual(seen.json.handover_note.from.id, w.s.ec1.id);
  assert.strictEqual(seen.json.handover_note.reason, 'Erik is on parental leave');
  const page = await w.s.ec2.call('GET', `/cases/${k.id}`, undefined, { headers: { Accept: 'text/html' } });
  assert.ok(page.text.includes('Erik is on parental leave'));
  assert.ok(page.text.includes('Erik Employ'));
  assert.ok(!(await w.s.cm2.call('GET', `/api/v1/cases/${k.id}`)).json.handover_note);
});

test('assessments: the EC\'s employment assessment needs category and reason', async () => {
  const id = w.kase.id;
  for (const [body, field] of [
    [{ text: 'x' }, 'category'],
    [{ text: 'x', category: 4, reason: 'r' }, 'category'],
    [{ text: 'x', category: 2 }, 'reason'],
    [{ category: 2, reason: 'r' }, 'text'],
    [{ text: 'x', category: 2, reason: 'r', on: '2024-02-31' }, 'on'],
  ]) {
    const b = await w.s.ec1.call('POST', `/api/v1/cases/${id}/assessments`, body);
    assert.strictEqual(b.status, 400, JSON.stringify(body));
    assert.strictEqual(b.json.error.field, field);
  }
  const ec = await w.s.ec1.call('POST', `/api/v1/cases/${id}/assessments`, { text: 'Can work 10 h/week', category: 2, reason: 'Partial capacity', on: today() });
  assert.strictEqual(ec.status, 201, ec.text);
  assert.deepStrictEqual([ec.json.kind, ec.json.category, ec.json.reason, ec.json.on], ['employment', 2, 'Partial capacity', today()]);
  assert.strictEqual((await w.s.admin.call('POST', `/api/v1/cases/${id}/assessments`, { text: 'x' })).status, 403);
  assert.strictEqual((await w.s.ec2.call('POST', `/api/v1/cases/${id}/assessments`, { text: 'x', category: 1, reason: 'r' })).status, 403);
});

test('assessments: the clinical one is sealed and never reaches the jobcentre', async () => {
  const id = w.kase.id;
  const cm = await w.s.cm1.call('POST', `/api/v1/cases/${id}/assessments`, { text: 'PHQ-9 moderate; CBT indicated', on: today() });
  // 503 here means `ibbis serve` runs without the encryption key (seal_setup).
  assert.strictEqual(cm.status, 201, cm.text);
  assert.strictEqual(cm.json.kind, 'clinical');
  const texts = async (u) => (await w.s[u].call('GET', `/api/v1/cases/${id}/assessments`)).json.assessments.map((a) => a.text);
  assert.deepStrictEqual(await texts('ec1'), ['Can work 10 h/week']);
  assert.deepStrictEqual(await texts('supj'), ['Can work 10 h/week']);
  assert.deepStrictEqual(await texts('cm1'), ['PHQ-9 moderate; CBT indicated']);
  assert.deepStrictEqual(await texts('suph'), ['PHQ-9 moderate; CBT indicated']);
  const raw = await w.s.ec1.call('GET', `/api/v1/cases/${id}/assessments`);
  assert.ok(!raw.text.includes('PHQ-9'));
});

test('outcome closes the case; a returned_* kind appends returned_to_work', async () => {
  const k = (await w.s.ec1.call('POST', '/api/v1/cases', referral({ name: 'Rasmus Rask', cpr: '0303031234' }))).json;
  const bad = await w.s.ec1.call('POST', `/api/v1/cases/${k.id}/outcome`, { kind: 'retired', on: today() });
  assert.strictEqual(bad.json.error.field, 'kind');
  const noDate = await w.s.ec1.call('POST', `/api/v1/cases/${k.id}/outcome`, { kind: 'education' });
  assert.strictEqual(noDate.json.error.field, 'on');
  const r = await w.s.ec1.call('POST', `/api/v1/cases/${k.id}/outcome`, { kind: 'returned_graded', on: today(-1), note: '15 h/week' });
  assert.strictEqual(r.status, 201, r.text);
  assert.strictEqual(r.json.status, 'closed');
  assert.deepStrictEqual(r.json.outcome, { kind: 'returned_graded', on: today(-1), note: '15 h/week' });
  assert.deepStrictEqual(r.json.events, [{ kind: 'returned_to_work', on: today(-1) }]);
  const again = await w.s.ec1.call('POST', `/api/v1/cases/${k.id}/outcome`, { kind: 'education', on: today() });
  assert.strictEqual(again.status, 409);
  const closed = await w.s.ec1.call('GET', '/api/v1/cases?status=closed');
  assert.ok(closed.json.cases.some((c) => c.id === k.id));
  const list = await w.s.ec1.call('GET', '/api/v1/cases');
  assert.strictEqual(list.json.cases[list.json.cases.length - 1].status, 'closed'); // open first
});

test('the pages work in English and Danish', async () => {
  const H = { headers: { Accept: 'text/html' } };
  for (const [lang, word] of [['en', 'Who is who'], ['da', 'Hvem er hvem']]) {
    const r = await w.s.ec1.call('GET', `/cases/${w.kase.id}?lang=${lang}`, undefined, H);
    assert.strictEqual(r.status, 200);
    assert.ok(r.text.includes(word));
    const l = await w.s.ec1.call('GET', `/cases?q=sofie&lang=${lang}`, undefined, H);
    assert.strictEqual(l.status, 200);
    assert.match(l.text, /<label class="form-label" for="q">/);
    assert.ok(l.text.includes('Sofie Service'));
  }
  await w.s.ec1.call('GET', '/?lang=en', undefined, H);
  const forbidden = await w.s.admin.call('GET', `/cases/${w.kase.id}`, undefined, H);
  assert.strictEqual(forbidden.status, 403);
});
