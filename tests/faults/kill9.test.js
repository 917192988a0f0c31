'use strict';
// kill -9 under write load (issue 14, Faults): several logged-in clients
// write notes and goals through the real API; every write answered 2xx is
// recorded; the server is killed with SIGKILL in the middle of the load and
// started again on the same database. Every acknowledged write is there,
// with its text, and `ibbis audit verify` finds the chain intact. Runs on
// the backend of the environment (SQLite, or PostgreSQL with
// IBBIS_TEST_PG_DIR: scripts/faults.sh runs both).

const test = require('node:test');
const assert = require('node:assert/strict');

const {
  BACKEND, keyFile, smallWorld, session, figure, writeLoad, sessions, restart, auditVerify, sleep,
} = require('./lib');

const CLIENTS = 8; // writers at once, on two sessions of cm1
const LOAD_MS = 1500;

test(`kill -9 under write load loses no acknowledged write (${BACKEND})`, async (t) => {
  const t0 = Date.now();
  const key = keyFile();
  const w = await smallWorld({ key });
  let srv2 = null;
  t.after(async () => {
    if (srv2) await srv2.stop('SIGKILL');
    w.srv.cleanup();
  });
  const id = w.kase.id;
  const logged = [w.s.cm1].concat(await sessions(w.srv, 'cm1', 1));
  const clients = Array.from({ length: CLIENTS }, (_, k) => logged[k % logged.length]);
  const tReady = Date.now();

  // Even clients write clinical notes, odd ones goals.
  const load = writeLoad(clients, (c, k, i) => (k % 2 === 0
    ? c.call('POST', `/api/v1/cases/${id}/notes`, { category: 'clinical', text: `kill9 note ${k}-${i}` })
    : c.call('POST', `/api/v1/cases/${id}/goals`, { text: `kill9 goal ${k}-${i}` })),
  { stopOnError: true });
  await sleep(LOAD_MS);
  const killed = await w.srv.stop('SIGKILL');
  assert.equal(killed.signal, 'SIGKILL');
  await load.stop();

  const acked = load.answers.filter((a) => a.status >= 200 && a.status < 300);
  const odd = load.answers.filter((a) => a.status !== 201);
  assert.deepEqual(odd.map((a) => `${a.status} ${a.text.slice(0, 120)}`), [],
    'before the kill every write was answered 201');
  assert.ok(acked.length >= 20, `enough load to mean something: ${acked.length} writes acknowledged`);

  srv2 = await restart(w.srv, key);
  const cm1 = await session(srv2, 'cm1');
  const notes = await cm1.call('GET', `/api/v1/cases/${id}/notes`);
  assert.equal(notes.status, 200, notes.text);
  const goals = await cm1.call('GET', `/api/v1/cases/${id}/goals`);
  assert.equal(goals.status, 200, goals.text);
  const have = new Map();
  for (const n of notes.json.notes) have.set(n.text, n.id);
  for (const g of goals.json.goals) have.set(g.text, g.id);

  const lost = [];
  for (const a of acked) {
    const text = a.client % 2 === 0 ? `kill9 note ${a.client}-${a.i}` : `kill9 goal ${a.client}-${a.i}`;
    const got = have.get(text);
    const wantId = a.json && (a.json.id || (a.json.note && a.json.note.id) || (a.json.goal && a.json.goal.id));
    if (got === undefined || (wantId !== undefined && wantId !== got)) lost.push(text);
  }
  assert.deepEqual(lost, [], 'every write answered 201 before the kill is in the database after it');

  // A write after the restart works, then the chain verifies.
  const after = await cm1.call('POST', `/api/v1/cases/${id}/notes`, { category: 'clinical', text: 'after the kill' });
  assert.equal(after.status, 201, after.text);
  const stopped = await srv2.stop();
  assert.equal(stopped.code, 0);
  srv2 = null;
  const v = auditVerify(w.srv.db, key);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /chain intact/);

  figure('kill -9', `${acked.length} writes acknowledged by ${CLIENTS} clients in ${LOAD_MS} ms, ` +
    `${load.errors.length} cut off by the kill, lost 0; audit verify: ${v.stdout.split('\n')[0]}; ` +
    `${tReady - t0} ms to set up, ${Date.now() - t0} ms in all`);
});
