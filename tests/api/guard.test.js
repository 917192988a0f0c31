'use strict';
// One place decides access (issue 14): every question a handler asks the
// policy goes through gate_ask, which refuses a category the route does not
// declare (docs/policy.md, "How a route declares its access"). Shown from
// outside: a refusal on a case route leaves a `denied` entry with the actor
// and the route's own category, for the administrator and not the person;
// the decisions that were role comparisons in handlers (administration,
// staff work) answer as before; and a route asked about a category it does
// not declare answers 500 and says so in the log.
const test = require('node:test');
const assert = require('node:assert/strict');

const { makeWorld, USERS, ORGS } = require('./lib/world');
const { startServer, loginJson, Jar, PASSWORD } = require('./lib/server');
const { sql } = require('./lib/sql');

let w;
let id;

test.before(async () => {
  // IBBIS_TEST_SLOW=1 adds the test-only routes, among them
  // /__test/ask/{category}, which declares staff_work only.
  w = await makeWorld({ server: { env: { IBBIS_TEST_SLOW: '1' } } });
  id = w.kase.id;
});
test.after(async () => { if (w) await w.cleanup(); });

// The server writes its log as it goes: wait (up to 5 s) for the line.
async function logged(srv, re) {
  for (let i = 0; i < 50 && !re.test(srv.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(srv.stderr(), re);
}

function denied(where) {
  const q = sql(w.srv.db, `SELECT actor_id, category, item FROM audit_log WHERE action = 'denied' AND ${where} ORDER BY id`);
  assert.equal(q.status, 0, q.stderr);
  return q.stdout.trim().split('\n').filter(Boolean);
}

test('a supervisor of another team refused the case page leaves a denied entry (core, the actor, the path)', async () => {
  const { suph2, admin, person } = w.s;
  let r = await suph2.call('GET', `/api/v1/cases/${id}`);
  assert.equal(r.status, 403, r.text);
  const rows = denied(`actor_id = ${suph2.id} AND case_id = ${id}`);
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.equal(rows[0], `${suph2.id}|core|/cases/${id}`);
  r = await admin.call('GET', '/api/v1/security-events');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.events.some((e) => e.action === 'denied' && e.who.id === suph2.id && e.case === id), r.text);
  r = await person.call('GET', `/api/v1/cases/${id}/access-log`);
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.text.includes('denied'), 'the person\'s access log holds no refused attempts');
});

test('a refusal names the route\'s own category: the jobcentre asking for therapy notes', async () => {
  const { ec1 } = w.s;
  const r = await ec1.call('GET', `/api/v1/cases/${id}/notes?category=clinical`);
  assert.equal(r.status, 403, r.text);
  const rows = denied(`actor_id = ${ec1.id} AND item = '/cases/${id}/notes'`);
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.equal(rows[0].split('|')[1], 'clinical');
});

test('administration is the administrator\'s: accounts, organisations, the outbox, creating a team', async () => {
  const { admin, cm1, suph, person } = w.s;
  for (const p of ['/api/v1/admin/accounts', '/api/v1/admin/organisations', '/api/v1/outbox']) {
    let r = await admin.call('GET', p);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    for (const who of [cm1, suph, person]) {
      r = await who.call('GET', p);
      assert.equal(r.status, 403, `${who.username} ${p}: ${r.text}`);
    }
  }
  const r = await suph.call('POST', '/api/v1/teams', { name: 'Not theirs', members: [] });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'forbidden');
  // Not a case route: no denied entry in the case's log.
  assert.equal(denied(`actor_id = ${cm1.id}`).length, 0);
});

test('staff work is the professionals\': the day page', async () => {
  const { cm1, ec1, supj, person, admin, res } = w.s;
  for (const who of [cm1, ec1, supj]) {
    const r = await who.call('GET', '/api/v1/me/day');
    assert.equal(r.status, 200, `${who.username}: ${r.text}`);
  }
  for (const who of [person, admin, res]) {
    const r = await who.call('GET', '/api/v1/me/day');
    assert.equal(r.status, 403, `${who.username}: ${r.text}`);
  }
});

test('the dispatcher enforces the route\'s declaration: a category it does not declare is a 500, logged', async () => {
  const { cm1, person } = w.s;
  let r = await cm1.call('GET', '/api/v1/__test/ask/staff_work');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.allowed, true);
  r = await person.call('GET', '/api/v1/__test/ask/staff_work');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.allowed, false, 'declared: the policy answers (no for the person)');
  for (const cat of ['clinical', 'administration', 'core']) {
    r = await cm1.call('GET', `/api/v1/__test/ask/${cat}`);
    assert.equal(r.status, 500, `${cat}: ${r.text}`);
    assert.equal(r.json.error.code, 'internal');
    assert.ok(!r.text.includes('allowed'), 'no answer leaves');
    await logged(w.srv, new RegExp(`/__test/ask/\\{category\\} asked the policy about ${cat}, which the route does not declare \\(staff_work\\)`));
  }
});

// A server as it runs in production (no IBBIS_STRICT_ACCESS): the
// undeclared question is refused, never put to the policy, and logged.
async function withServer(env, fn) {
  const admin = USERS.find((u) => u.role === 'admin');
  const srv = await startServer({ orgs: ORGS, users: [admin], env });
  try {
    const { jar } = await loginJson(srv, admin.username, PASSWORD, new Jar());
    await fn(srv, (p) => srv.request('GET', p, { jar, headers: { Accept: 'application/json' } }));
  } finally {
    await srv.stop();
    srv.cleanup();
  }
}

test('without IBBIS_STRICT_ACCESS an undeclared question is a logged refusal', async () => {
  await withServer({ IBBIS_TEST_SLOW: '1', IBBIS_STRICT_ACCESS: '0' }, async (srv, get) => {
    // The administrator: the policy says no to staff work (declared) and
    // yes to administration, but the route does not declare that.
    let r = await get('/api/v1/__test/ask/staff_work');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.allowed, false);
    r = await get('/api/v1/__test/ask/administration');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.allowed, false, 'refused: the policy, which would allow it, is not asked');
    await logged(srv, /asked the policy about administration, which the route does not declare \(staff_work\); refused/);
  });
});

test('without IBBIS_TEST_SLOW=1 the test route does not exist', async () => {
  await withServer({}, async (srv, get) => {
    const r = await get('/api/v1/__test/ask/staff_work');
    assert.equal(r.status, 404, r.text);
  });
});
