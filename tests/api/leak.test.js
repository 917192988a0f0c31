'use strict';
// Leak test (issue 5): as every role, request every case route in JSON and
// in HTML, for a case the role is linked to and one it is not, and check
// exactly what DESIGN.md section 4 allows comes back. A clinical note's
// marker must never reach anyone at the jobcentre, anywhere.
//
// Routes of other modules that do not exist yet answer 404 for every role:
// they are skipped with a printed note (not passed), and enforced as soon as
// they exist. A 200 carrying forbidden content is always a failure.
const test = require('node:test');
const assert = require('node:assert/strict');

const server = require('./lib/server');
if (!server.startServer.trustShim) {
  // world.js reads `res.json.id`; server.js gives `res.json()` (see trust.test.js).
  const orig = server.startServer;
  const fix = (res) => {
    let parsed;
    try { parsed = JSON.parse(res.text); } catch (e) { return res; }
    if (parsed && typeof parsed === 'object' && typeof res.json === 'function') {
      for (const k of Object.keys(parsed)) {
        Object.defineProperty(res.json, k, { value: parsed[k], writable: true, configurable: true, enumerable: true });
      }
    }
    return res;
  };
  server.startServer = async (opts) => {
    const h = await orig(opts);
    const r = h.request;
    h.request = async (...a) => fix(await r(...a));
    return h;
  };
  server.startServer.trustShim = true;
}
const { makeWorld, today } = require('./lib/world');

const MARK = `LEAKMARK${process.pid}x${Date.now()}`;
const JOBCENTRE = ['ec1', 'ec2', 'supj'];
const ROLES = ['person', 'cm1', 'ec1', 'cm2', 'ec2', 'suph', 'supj', 'suph2', 'res', 'admin'];

// How a user stands to a case: the assigned CM/EC of case 1 are cm1/ec1, of
// case 2 cm2/ec2; suph and supj supervise team A (both cases).
function relation(user, caseNo) {
  if (user === 'person') return caseNo === 1 ? 'person' : 'none';
  if (user === (caseNo === 1 ? 'cm1' : 'cm2')) return 'cm';
  if (user === (caseNo === 1 ? 'ec1' : 'ec2')) return 'ec';
  if (user === 'suph') return 'sup_h';
  if (user === 'supj') return 'sup_j';
  return 'none';
}

// Who may read each route without consents (DESIGN.md section 4, by hand).
const ALLOWED = {
  case: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  notes: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  'notes?category=clinical': ['cm', 'sup_h'],
  'notes?category=health_shared': ['person', 'cm', 'sup_h'],
  'notes?category=employment': ['person', 'ec', 'sup_j'],
  'notes?category=joint': ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  'notes?category=private': ['person'],
  evidence: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  decisions: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  consents: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  'access-log': ['person', 'sup_h', 'sup_j'],
  meetings: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  goals: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  plan: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
  timeline: ['person', 'cm', 'ec', 'sup_h', 'sup_j'],
};
// Routes of this module: they exist, so a 404 is a failure.
const OWN = new Set(['notes', 'evidence', 'decisions', 'consents', 'access-log']);

let w;
const cases = {};
const skipped = new Set();

test.before(async () => {
  w = await makeWorld();
  cases[1] = w.kase.id;
  const { s } = w;
  const r = await s.ec2.call('POST', '/api/v1/cases', {
    name: 'Other Person', cpr: '0202802345', contact: 'other@example.org',
    first_absence_day: today(-30), employment: 'employee',
    absences: [{ from: today(-30), to: null }], earlier_benefit: [],
    team: w.teams.A.id, care_manager: s.cm2.id, employment_consultant: s.ec2.id,
  });
  if (r.status !== 201) throw new Error(`second case: ${r.status} ${r.text}`);
  cases[2] = JSON.parse(r.text).id;
  for (const [who, no] of [['cm1', 1], ['cm2', 2]]) {
    const n = await s[who].call('POST', `/api/v1/cases/${cases[no]}/notes`, { category: 'clinical', text: `${MARK} therapy` });
    if (n.status !== 201) throw new Error(`clinical note: ${n.status} ${n.text}`);
  }
});
test.after(async () => {
  if (skipped.size) console.log(`leak: skipped routes that do not exist yet (404 for everyone): ${[...skipped].join(', ')}`);
  if (w) await w.cleanup();
});

function pathOf(route, id) {
  if (route === 'case') return `/cases/${id}`;
  const [p, q] = route.split('?');
  return `/cases/${id}/${p}${q ? `?${q}` : ''}`;
}

async function get(user, p, html) {
  const s = w.s[user];
  if (html) return s.call('GET', p, undefined, { headers: { Accept: 'text/html' } });
  return s.call('GET', `/api/v1${p}`);
}

for (const caseNo of [1, 2]) {
  for (const route of Object.keys(ALLOWED)) {
    test(`case ${caseNo}: ${route} for every role`, async () => {
      const p = pathOf(route, cases[caseNo]);
      const results = {};
      for (const user of ROLES) {
        for (const html of [false, true]) {
          const r = await get(user, p, html);
          results[`${user}${html ? ' html' : ''}`] = r;
          if (JOBCENTRE.includes(user) || user === 'person' || user === 'res' || user === 'admin') {
            assert.ok(!r.text.includes(MARK), `${user} got the clinical marker from ${p}`);
          }
        }
      }
      const all404 = Object.values(results).every((r) => r.status === 404);
      if (all404 && !OWN.has(route.split('?')[0])) {
        skipped.add(route);
        return;
      }
      for (const user of ROLES) {
        const rel = relation(user, caseNo);
        const may = ALLOWED[route].includes(rel);
        for (const html of [false, true]) {
          const r = results[`${user}${html ? ' html' : ''}`];
          if (may) assert.equal(r.status, 200, `${user} (${rel}) ${html ? 'HTML ' : ''}${p}: ${r.status} ${r.text.slice(0, 200)}`);
          else assert.equal(r.status, 403, `${user} (${rel}) ${html ? 'HTML ' : ''}${p}: ${r.status}`);
        }
      }
    });
  }
}

test('the marker reaches only the assigned CM and health supervisors, in lists and search too', async () => {
  const paths = ['/cases', '/cases?q=Sofie', '/tasks', '/me', '/'];
  for (const user of ROLES) {
    for (const p of paths) {
      for (const html of [false, true]) {
        const r = await get(user, p, html);
        assert.ok(!r.text.includes(MARK), `${user} ${p}: clinical text in a list, search or task`);
      }
    }
  }
  // Searching for the note's text must not find the case for the jobcentre
  // (the page may echo the query itself, so look for the case, not the text).
  for (const user of JOBCENTRE) {
    for (const html of [false, true]) {
      const r = await get(user, `/cases?q=${MARK}`, html);
      assert.ok(!r.text.includes('Sofie Service') && !r.text.includes('Other Person'),
        `${user}: a search on clinical text found a case`);
    }
  }
  // Errors never echo content either.
  const r = await w.s.ec1.call('POST', `/api/v1/cases/${cases[1]}/notes`, { category: 'clinical', text: MARK });
  assert.equal(r.status, 403);
  assert.ok(!r.text.includes(MARK));
  const log = await w.s.supj.call('GET', `/api/v1/cases/${cases[1]}/access-log`);
  assert.equal(log.status, 200);
  assert.ok(!log.text.includes(MARK), 'the access log names items, never their text');
});
