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
