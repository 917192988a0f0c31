'use strict';
// Insight measures (DESIGN.md section 8): the team dashboard, the trust
// pulse aggregates (with the person's choice to share a comment) and the
// outcomes by referral cohort with the Kaplan-Meier curve. Supervisors of
// the team only; nothing names a service user.

const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld, today } = require('./lib/world');
const { sql } = require('./lib/sql');

let w;
let team;
const cases = [];
const NAMES = [];
const CPRS = [];
const addDays = (iso, n) => new Date(Date.parse(`${iso}T12:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
// The first day of the month 14 months ago: every case's 6- and 12-month
// horizons have passed, the 24-month one has not.
function cohortStart() {
  const d = new Date(`${today()}T12:00:00Z`); /* the server's (Danish) today */
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 14, 1));
  return m.toISOString().slice(0, 10);
}
const START = cohortStart();

test.before(async () => {
  w = await makeWorld();
  team = w.teams.A.id;
  const { ec1 } = w.s;
  for (let i = 0; i < 8; i++) {
    const name = `Testperson Nummer${i}`;
    const cpr = `0101${70 + i}1234`;
    NAMES.push(name);
    CPRS.push(cpr);
    const r = await ec1.call('POST', '/api/v1/cases', {
      name, cpr, contact: '', first_absence_day: w.today(-30), employment: 'employee',
      absences: [{ from: w.today(-30), to: null }], earlier_benefit: [], team,
      care_manager: w.s.cm1.id, employment_consultant: ec1.id,
    });
    assert.equal(r.status, 201, r.text);
    cases.push(r.json.id);
  }
  // All eight referred in one month, 14 months ago.
  for (let i = 0; i < 8; i++) {
    const q = sql(w.srv.db, `UPDATE cases SET referred_on = '${addDays(START, i)}' WHERE id = ${cases[i]}`);
    assert.equal(q.status, 0, q.stderr);
  }
  // Three return to work 10 weeks after referral, one ends on another benefit at 20 weeks.
  for (let i = 0; i < 4; i++) {
    const r = await ec1.call('POST', `/api/v1/cases/${cases[i]}/outcome`, {
      kind: i < 3 ? 'returned_full' : 'other_benefit', on: addDays(addDays(START, i), i < 3 ? 70 : 140),
    });
    assert.equal(r.status, 201, r.text);
  }
});
test.after(async () => { if (w) await w.cleanup(); });

const api = (who, p) => w.s[who].call('GET', p);

test('the team pages are for its supervisors only; bad input names the field; 404', async () => {
  for (const p of ['dashboard', 'pulse', 'outcomes', 'dashboard.csv', 'pulse.csv', 'outcomes.csv']) {
    const path = p.endsWith('.csv') ? `/teams/${team}/${p}` : `/api/v1/teams/${team}/${p}`;
    for (const who of ['cm1', 'ec1', 'suph2', 'admin', 'res', 'person']) {
      const r = await api(who, path);
      assert.equal(r.status, 403, `${who} ${p}`);
    }
    assert.equal((await api('suph', path)).status, 200, p);
    assert.equal((await api('suph', path.replace(`/${team}/`, '/999999/'))).status, 404, p);
  }
  const bad = [
    [`/api/v1/teams/${team}/dashboard?from=2026-02-30`, 'from'],
    [`/api/v1/teams/${team}/dashboard?to=tomorrow`, 'to'],
    [`/api/v1/teams/${team}/dashboard?from=2026-05-01&to=2026-04-01`, 'from'],
    [`/api/v1/teams/${team}/pulse?from=x`, 'from'],
    [`/api/v1/teams/${team}/outcomes?cohort_from=2026-1`, 'cohort_from'],
    [`/api/v1/teams/${team}/outcomes?cohort_to=2026-13`, 'cohort_to'],
  ];
  for (const [p, field] of bad) {
    const r = await api('supj', p);
    assert.equal(r.status, 400, p);
    assert.equal(r.json.error.field, field, p);
  }
});

test('outcomes: cohort shares at 6/12/24 months and the Kaplan-Meier curve (hand-worked)', async () => {
  const r = await api('supj', `/api/v1/teams/${team}/outcomes?cohort_from=${START.slice(0, 7)}&cohort_to=${START.slice(0, 7)}`);
  assert.equal(r.status, 200, r.text);
  const o = r.json;
  assert.equal(o.cohorts.length, 1);
  const c = o.cohorts[0];
  assert.equal(c.cohort, START.slice(0, 7));
  assert.equal(c.cases, 8);
  // 3 of 8 back at work by 6 and by 12 months; 24 months not reached yet.
  assert.deepEqual(c.in_work_6, { share: 0.375, n: 8, suppressed: false, not_yet: false });
  assert.deepEqual(c.in_work_12, { share: 0.375, n: 8, suppressed: false, not_yet: false });
  assert.equal(c.in_work_24.not_yet, true);
  // Weeks in work in the first 12 months: three persons from week 10 to
  // month 12 (about 42 weeks each), five with none: about 3 * 42 / 8.
  assert.ok(c.weeks_in_work_12.mean > 15 && c.weeks_in_work_12.mean < 16.5, String(c.weeks_in_work_12.mean));
  // KM: 8 at risk at week 10 with 3 events: 5/8. The other benefit at week
  // 20 is censored; the rest stay open (censored today).
  const at10 = o.km.find((k) => k.week === 10);
  assert.deepEqual({ at_risk: at10.at_risk, events: at10.events, survival: at10.survival },
    { at_risk: 8, events: 3, survival: 0.625 });
  const at20 = o.km.find((k) => k.week === 20);
  assert.deepEqual({ at_risk: at20.at_risk, events: at20.events, censored: at20.censored, survival: at20.survival },
    { at_risk: 5, events: 0, censored: 1, survival: 0.625 });
  assert.equal(o.km[0].week, 0);
  assert.equal(o.km[0].survival, 1);
  assert.equal(o.at_risk_table.find((x) => x.week === 13).at_risk, 5);
  // A cohort of fewer than 5 cases is not shown as a share.
  const few = await api('supj', `/api/v1/teams/${team}/outcomes?cohort_from=${START.slice(0, 7)}&cohort_to=${START.slice(0, 7)}`);
  assert.ok(few.json.cohorts.every((x) => x.cases >= 5 || x.in_work_6.suppressed));
});

test('dashboard: caseload weighted by part-time fraction, deadlines and at risk, continuity', async () => {
  // Read once first: the server keeps the answer (h_insight_cache.h), and
  // every change below must still show in the second read.
  const url = `/api/v1/teams/${team}/dashboard?from=${addDays(START, -1)}&to=${w.today()}`;
  const before = await api('suph', url);
  assert.equal(before.status, 200, before.text);
  assert.equal(before.json.continuity.handovers, 0);
  // cm2 at half time takes one case by handover.
  const m = sql(w.srv.db, `UPDATE memberships SET fraction = 0.5 WHERE user_id = ${w.s.cm2.id}`);
  assert.equal(m.status, 0, m.stderr);
  const h = await w.s.suph.call('POST', `/api/v1/cases/${cases[7]}/handover`,
    { role: 'care_manager', to: w.s.cm2.id, reason: 'Ferie', on: w.today() });
  assert.equal(h.status, 201, h.text);
  // A reassessment in 10 days with no evidence and no hearing: at risk; one task overdue.
  const now = Math.floor(Date.now() / 1000);
  const t = sql(w.srv.db, 'INSERT INTO tasks (user_id, case_id, kind, source, source_key, due, done, created_at, updated_at) VALUES ' +
    `(${w.s.ec1.id}, ${cases[6]}, 'reassessment_decision', 'manual', 'ins-1', '${w.today(10)}', 0, ${now}, ${now}), ` +
    `(${w.s.ec1.id}, ${cases[5]}, 'next_followup', 'manual', 'ins-2', '${w.today(-3)}', 0, ${now}, ${now})`);
  assert.equal(t.status, 0, t.stderr);
  const r = await api('suph', url);
  assert.equal(r.status, 200, r.text);
  const d = r.json;
  const cm2 = d.caseload.professionals.find((p) => p.user === w.s.cm2.id);
  assert.deepEqual({ fraction: cm2.fraction, open: cm2.open_cases, weighted: cm2.weighted }, { fraction: 0.5, open: 1, weighted: 2 });
  const cm1 = d.caseload.professionals.find((p) => p.user === w.s.cm1.id);
  assert.equal(cm1.open_cases, 4 - 1 + 1, 'the world case plus cases 4-6 (case 7 handed over)');
  assert.ok(d.deadlines.overdue >= 1);
  assert.ok(d.deadlines.at_risk.some((x) => x.case === cases[6]), JSON.stringify(d.deadlines));
  assert.equal(d.continuity.handovers, 1);
  assert.ok(d.continuity.pairs.length >= 1);
  assert.ok('median' in d.continuity.days_to_first_roundtable);
  assert.ok(d.outcomes.km.length >= 2);
  assert.ok(Array.isArray(d.pulse.items) && d.pulse.items.length === 4);
});

// Pulse answers as the pulse page stores them, one per person.
function addPulse(personId, caseId, values, text, share) {
  const now = Math.floor(Date.now() / 1000);
  const ins = sql(w.srv.db, 'INSERT INTO survey_responses (instrument, respondent_id, case_id, team_id, created_at, share_text) ' +
    `VALUES ('trust_pulse', ${personId}, ${caseId}, ${team}, ${now}, ${share ? 1 : 0})`);
  assert.equal(ins.status, 0, ins.stderr);
  const id = sql(w.srv.db, `SELECT max(id) FROM survey_responses WHERE respondent_id = ${personId}`).stdout.trim();
  const items = ['safe', 'same_goal', 'next_steps', 'listened'];
  const rows = items.map((it, k) => `(${id}, '${it}', ${values[k]}, NULL)`);
  if (text) rows.push(`(${id}, 'text', NULL, '${text}')`);
  const a = sql(w.srv.db, `INSERT INTO survey_answers (response_id, item, value, text) VALUES ${rows.join(', ')}`);
  assert.equal(a.status, 0, a.stderr);
}

test('pulse: 4 persons suppressed, 5 shown; only shared comments, and only from 5 persons', async () => {
  const persons = cases.map((id) => Number(sql(w.srv.db, `SELECT person_id FROM cases WHERE id = ${id}`).stdout.trim()));
  for (let i = 0; i < 4; i++) addPulse(persons[i], cases[i], [4, 5, 3, 4], `Delt kommentar ${i}`, true);
  addPulse(persons[4], cases[4], [1, 1, 1, 1], 'Ikke delt hemmelighed', false);
  let r = await api('supj', `/api/v1/teams/${team}/pulse`);
  assert.equal(r.status, 200);
  // 5 persons answered the items: shown; 4 shared comments: not shown.
  let safe = r.json.items.find((x) => x.item === 'safe');
  assert.deepEqual({ mean: safe.mean, n: safe.n, suppressed: safe.suppressed }, { mean: 3.4, n: 5, suppressed: false });
  assert.deepEqual(safe.distribution.map((x) => x.count), [1, 0, 0, 4, 0]);
  assert.deepEqual(r.json.comments, []);
  assert.equal(r.json.comments_suppressed, true);
  assert.ok(!r.text.includes('hemmelighed'));
  addPulse(persons[5], cases[5], [5, 5, 5, 5], 'Delt kommentar 5', true);
  r = await api('supj', `/api/v1/teams/${team}/pulse`);
  assert.deepEqual(r.json.comments, ['Delt kommentar 0', 'Delt kommentar 1', 'Delt kommentar 2', 'Delt kommentar 3', 'Delt kommentar 5']);
  assert.ok(!r.text.includes('hemmelighed'), 'an unshared comment is never shown');
  safe = r.json.items.find((x) => x.item === 'safe');
  assert.equal(safe.n, 6);
  // Fewer than 5 in a period: suppressed, the mean null and no counts.
  const old = await api('supj', `/api/v1/teams/${team}/pulse?from=2020-01-01&to=2020-12-31`);
  assert.equal(old.json.items[0].n, 0);
});

test('the person chooses to share the pulse comment; a bad choice names the field', async () => {
  const { cm1, person } = w.s;
  const m = await cm1.call('POST', `/api/v1/cases/${w.kase.id}/meetings`, { kind: 'roundtable', start: `${w.today(-1)}T10:00`, duration: 60 });
  assert.equal(m.status, 201, m.text);
  assert.equal((await cm1.call('PATCH', `/api/v1/meetings/${m.json.id}`, { status: 'held' })).status, 200);
  const bad = await person.call('POST', `/api/v1/meetings/${m.json.id}/pulse`, { safe: 4, text: 'Godt møde', share_text: 'maybe' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'share_text');
  const ok = await person.call('POST', `/api/v1/meetings/${m.json.id}/pulse`, { safe: 4, text: 'Godt møde', share_text: true });
  assert.equal(ok.status, 201, ok.text);
  const g = await person.call('GET', `/api/v1/meetings/${m.json.id}/pulse`);
  assert.equal(g.json.share_text, true);
  const page = await w.srv.request('GET', `/meetings/${m.json.id}/pulse`, { jar: person.jar, headers: { Accept: 'text/html' } });
  assert.match(page.text, /name="share_text" value="1"[^>]*checked/);
  const off = await person.call('POST', `/api/v1/meetings/${m.json.id}/pulse`, { safe: 4, text: 'Godt møde' });
  assert.equal(off.status, 200);
  assert.equal((await person.call('GET', `/api/v1/meetings/${m.json.id}/pulse`)).json.share_text, false);
});

test('leak: no insight page or CSV shows a service user name, a CPR number or one answer', async () => {
  const pages = ['dashboard', 'pulse', 'outcomes'];
  const bodies = [];
  for (const lang of ['en', 'da']) {
    for (const p of pages) {
      const r = await w.srv.request('GET', `/teams/${team}/${p}`, { jar: w.s.supj.jar, headers: { Accept: 'text/html', 'Accept-Language': lang } });
      assert.equal(r.status, 200, p);
      bodies.push([p, r.text]);
    }
  }
  for (const p of pages) {
    bodies.push([`${p}.json`, (await api('supj', `/api/v1/teams/${team}/${p}?from=2000-01-01`)).text]);
    const csv = await api('supj', `/teams/${team}/${p}.csv`);
    assert.match(csv.headers['content-type'], /text\/csv/);
    bodies.push([`${p}.csv`, csv.text]);
  }
  const all = [...NAMES, 'Sofie Service', ...CPRS, '0101801234', 'Ikke delt hemmelighed', 'Godt møde'];
  for (const [p, text] of bodies) {
    for (const s of all) assert.ok(!text.includes(s), `${p} shows ${s}`);
  }
  const dash = bodies.find(([p]) => p === 'dashboard')[1];
  assert.match(dash, /<svg[^>]*role="img"/);
  assert.match(dash, /<desc id="km-desc">/);
});
