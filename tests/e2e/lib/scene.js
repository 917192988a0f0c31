'use strict';
// A lived-in world for the browser tests, built through the API on top of
// tests/api/lib/world.js: a held roundtable with minutes (and a pulse to
// answer), a planned roundtable, notes of each side, evidence, a decision,
// the person's consent health->jobcentre, a goal, a plan and a supervision
// meeting. Everything is checked as it is made, so a broken API fails early.
const { makeWorld, today, workday } = require('../../api/lib/world.js');
const { ibbisOk } = require('../../api/lib/server.js');

function ok(r, what, status = [200, 201]) {
  const want = Array.isArray(status) ? status : [status];
  if (!want.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
}

async function makeScene(opts = {}) {
  const w = await makeWorld(opts);
  const { s, kase } = w;
  const cid = kase.id;
  const sc = Object.assign(w, { cid, ids: {} });

  // The person allows health -> jobcentre (so the EC reads health summaries).
  ok(await s.person.call('POST', '/api/v1/my/data/consents',
    { direction: 'health_to_jobcentre', granted: true, purpose: 'benefit_case' }), 'consent');

  // A roundtable last week, held, with minutes.
  const held = ok(await s.cm1.call('POST', `/api/v1/cases/${cid}/meetings`,
    { kind: 'roundtable', start: `${today(-7)}T10:00`, duration: 60, site: 'Sundhedshuset' }),
  'held roundtable');
  ok(await s.cm1.call('PATCH', `/api/v1/meetings/${held.id}`, { status: 'held' }), 'mark held');
  ok(await s.cm1.call('PUT', `/api/v1/meetings/${held.id}/minutes`,
    { text: 'We talked about sleep and about two hours a day at work from next month.' }), 'minutes');
  sc.ids.held = held.id;

  // A planned roundtable next week, with an agenda item from the CM.
  const planned = ok(await s.ec1.call('POST', `/api/v1/cases/${cid}/meetings`,
    { kind: 'roundtable', start: `${today(7)}T13:00`, duration: 60, site: 'Sundhedshuset' }),
  'planned roundtable');
  ok(await s.cm1.call('POST', `/api/v1/meetings/${planned.id}/agenda`,
    { text: 'How did the first week at work go?' }), 'agenda item');
  sc.ids.planned = planned.id;
  // The held roundtable's minutes with their structure (issue 15): agreements
  // and the next meeting (the planned one). No actions here: their tasks
  // would change what the journeys' "My day" counts.
  ok(await s.cm1.call('PUT', `/api/v1/meetings/${held.id}/minutes`, {
    text: 'We talked about sleep and about two hours a day at work from next month.',
    agreements: ['Two hours a day at work from next month', 'Sleep routines come first'],
    next_meeting: planned.id,
  }), 'structured minutes');

  // Notes of each side, a health summary (health_shared), a decision.
  ok(await s.cm1.call('POST', `/api/v1/cases/${cid}/notes`,
    { category: 'clinical', text: 'Session 3: worked on sleep routines.' }), 'clinical note');
  ok(await s.ec1.call('POST', `/api/v1/cases/${cid}/notes`,
    { category: 'employment', text: 'Called the employer about graded hours.' }), 'employment note');
  sc.healthSummary = 'Health summary: improving, can work 10 hours a week';
  ok(await s.cm1.call('POST', `/api/v1/cases/${cid}/evidence`,
    { kind: 'health_summary', ground: 3, supplied_on: today(-3), text: sc.healthSummary }), 'evidence');
  ok(await s.ec1.call('POST', `/api/v1/cases/${cid}/decisions`,
    { kind: 'category', category: 2, hearing: today(-12), on: today(-10),
      reasons: 'You are expected to return to work within a few months.' }), 'decision');

  // A goal and a plan.
  const goal = ok(await s.person.call('POST', `/api/v1/cases/${cid}/goals`,
    { text: 'Sleep through most nights' }), 'goal');
  sc.ids.goal = goal.goal.id;
  ok(await s.cm1.call('PUT', `/api/v1/cases/${cid}/plan`, { steps: [
    { kind: 'treatment', text: 'Six sessions of CBT', responsible: s.cm1.id, due: today(40) },
    { kind: 'return_to_work', text: 'Two hours a day at work', responsible: s.ec1.id,
      due: today(30), hours_per_week: 10 },
  ] }), 'plan');

  // A supervision meeting for team A.
  ok(await s.suph.call('POST', `/api/v1/teams/${w.teams.A.id}/meetings`,
    { start: `${today(3)}T09:00`, duration: 90 }), 'supervision');

  // The nightly sweep makes the deadline tasks.
  ibbisOk(['sweep', '--db', w.srv.db]);

  // A fresh activation link (for /activate/{token}) on a second case.
  const other = ok(await s.ec1.call('POST', '/api/v1/cases', {
    name: 'Peter Person', cpr: '0202802345', contact: 'peter@example.org',
    first_absence_day: today(-20), employment: 'employee',
    absences: [{ from: today(-20), to: null }], earlier_benefit: [],
    team: w.teams.A.id, care_manager: s.cm2.id, employment_consultant: s.ec1.id,
  }), 'second case');
  sc.ids.otherCase = other.id;
  sc.activationToken = ok(await s.ec1.call('POST', `/api/v1/cases/${other.id}/activation`, {}),
    'activation').token;
  return sc;
}

module.exports = { makeScene, ok, today, workday };
