'use strict';
// Every disclosure is logged, durably, before it leaves (issue 14): the
// audit entry of a read is committed before its answer, so `kill -9` right
// after a 200 leaves it in the log; database and key files are private.
// Runs on SQLite and, with IBBIS_TEST_PG_DIR, on PostgreSQL.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { makeWorld } = require('./lib/world');
const { sql, isPg } = require('./lib/sql');

const body = (r) => JSON.parse(r.text);
const MARK = `AUDIT-MARK-${process.pid}-${Date.now()}`;

let w;
let id;

test.before(async () => {
  // A long group-commit window: an answer that did not wait for its entry
  // would leave a second before the entry is written.
  w = await makeWorld({ server: { args: ['--audit-commit-ms', '1000'] } });
  id = w.kase.id;
  const r = await w.s.cm1.call('POST', `/api/v1/cases/${id}/notes`, { category: 'clinical', text: MARK });
  assert.equal(r.status, 201, r.text);
});
test.after(async () => { if (w) await w.cleanup(); });

function auditRows(where) {
  const q = sql(w.srv.db, `SELECT id, actor_id, action, category, item FROM audit_log WHERE ${where} ORDER BY id`);
  assert.equal(q.status, 0, q.stderr);
  return q.stdout.trim().split('\n').filter(Boolean);
}

test('the database file and the key file are created mode 0600', { skip: isPg(w ? w.srv.db : process.env.IBBIS_TEST_PG_DIR ? 'postgres://' : '') }, () => {
  assert.equal(fs.statSync(w.srv.db).mode & 0o777, 0o600, 'database file');
  for (const f of [`${w.srv.db}-wal`, `${w.srv.db}-shm`]) {
    if (fs.existsSync(f)) assert.equal(fs.statSync(f).mode & 0o777, 0o600, f);
  }
  assert.equal(fs.statSync(`${w.srv.db}.key`).mode & 0o777, 0o600, 'key file');
});

test('the case\'s meetings list audits the therapy minutes it returns', async () => {
  const { cm1 } = w.s;
  let r = await cm1.call('POST', `/api/v1/cases/${id}/meetings`, { kind: 'therapy', start: '2030-03-05T13:00' });
  assert.equal(r.status, 201, r.text);
  const mid = body(r).id;
  r = await cm1.call('PUT', `/api/v1/meetings/${mid}/minutes`, { text: `therapy minutes ${MARK}` });
  assert.equal(r.status, 200, r.text);
  const before = auditRows(`actor_id = ${cm1.id} AND action = 'read' AND item = 'meeting:${mid}'`).length;
  r = await cm1.call('GET', `/api/v1/cases/${id}/meetings`);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(MARK), 'the list holds the minutes');
  const rows = auditRows(`actor_id = ${cm1.id} AND action = 'read' AND item = 'meeting:${mid}'`);
  assert.equal(rows.length, before + 1, 'the list read is in the log');
  assert.match(rows[rows.length - 1], /\|clinical\|/);
});

test('a refused attempt on a case route leaves a denied entry with the actor', async () => {
  const { ec1 } = w.s;
  const r = await ec1.call('GET', `/api/v1/cases/${id}/notes?category=clinical`);
  assert.equal(r.status, 403);
  const rows = auditRows(`action = 'denied' AND actor_id = ${ec1.id} AND case_id = ${id}`);
  assert.equal(rows.length, 1, 'one denied entry, with the actor and the case');
  assert.match(rows[0], /\|denied\|clinical\|\/cases\/\d+\/notes$/);
});

test('the administrator sees refused attempts as security events; the person does not', async () => {
  const { admin, person, suph, ec1 } = w.s;
  let r = await admin.call('GET', '/api/v1/security-events');
  assert.equal(r.status, 200, r.text);
  const ev = body(r).events;
  assert.ok(ev.some((e) => e.action === 'denied' && e.who.id === ec1.id && e.case === id), r.text);
  assert.ok(!r.text.includes(MARK), 'no case content');
  r = await admin.call('GET', '/security-events?lang=da', undefined, { headers: { Accept: 'text/html' } });
  assert.equal(r.status, 200);
  assert.match(r.text, /Sikkerhedshændelser/);
  assert.match(r.text, /Blev afvist/);
  for (const who of [person, suph]) {
    r = await who.call('GET', '/api/v1/security-events');
    assert.equal(r.status, 403, who.username);
  }
  r = await person.call('GET', `/api/v1/cases/${id}/access-log`);
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('"denied"'), 'the person\'s access log holds no refused attempts');
  r = await person.call('GET', `/api/v1/cases/${id}`, undefined, { headers: { Accept: 'application/json' } });
  assert.ok(!r.text.includes('denied'), 'nor does the case\'s recent activity');
});

test('a break-glass reason needs 20 characters and three words (400 naming the field)', async () => {
  const { suph2 } = w.s;
  let r = await suph2.call('GET', `/api/v1/cases/${id}?break_glass=${encodeURIComponent('urgent')}`);
  assert.equal(r.status, 400);
  assert.equal(body(r).error.field, 'break_glass');
  r = await suph2.call('GET', `/api/v1/cases/${id}`, undefined, { headers: { 'X-Break-Glass-Reason': 'twowordsonly butverylong' } });
  assert.equal(r.status, 400);
  assert.equal(body(r).error.field, 'X-Break-Glass-Reason');
  assert.equal(auditRows(`action = 'break_glass' AND case_id = ${id}`).length, 0, 'nothing flagged');
});

test('break-glass on the case page is reported: the entry and the supervisors\' review tasks', async () => {
  const { suph2 } = w.s;
  const reason = 'Safety concern reported tonight, team A unreachable';
  const r = await suph2.call('GET', `/cases/${id}?break_glass=${encodeURIComponent(reason)}`, undefined, { headers: { Accept: 'text/html' } });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const rows = auditRows(`action = 'break_glass' AND case_id = ${id} AND actor_id = ${suph2.id}`);
  assert.equal(rows.length, 1);
  const q = sql(w.srv.db, `SELECT count(*) FROM tasks WHERE case_id = ${id} AND kind = 'break_glass_review'`);
  assert.equal(Number(q.stdout.trim()), 2, 'one review task per supervisor of the team');
});

// Last: it kills the server.
test('kill -9 right after a 200: the read\'s audit entry is in the log', async () => {
  const before = auditRows(`case_id = ${id} AND actor_id = ${w.s.cm1.id} AND action = 'read' AND category = 'clinical'`).length;
  const r = await w.s.cm1.call('GET', `/api/v1/cases/${id}/notes`);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(MARK));
  w.srv.proc.kill('SIGKILL');
  await w.srv.exited;
  const after = auditRows(`case_id = ${id} AND actor_id = ${w.s.cm1.id} AND action = 'read' AND category = 'clinical'`).length;
  assert.equal(after, before + 1, 'the read that was answered is in the audit log');
});
