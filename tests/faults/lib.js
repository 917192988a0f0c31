'use strict';
// Shared pieces of the fault tests (scripts/faults.sh, docs/operations.md
// "Faults"): the backend in use, a key file of the test's own, write load
// from several logged-in clients through the real API, a restart on the
// same database, and `ibbis audit verify`.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startServer, ibbis, sleep, PG_DIR } = require('../api/lib/server');
const { session, today } = require('../api/lib/world');

const BACKEND = PG_DIR ? 'postgres' : 'sqlite';

// A key file outside the database's folder (on PostgreSQL there is none,
// and the full-disk test must not lose its key with the disk).
function keyFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-faults-key-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'ibbis.key');
}

// One figure for the log and docs/operations.md: "faults: NAME: text".
function figure(name, text) {
  console.log(`faults (${BACKEND}): ${name}: ${text}`);
}

// Writes through the real API until stop() or until a client sees the
// connection go: each of `clients` logged-in sessions (with its CSRF token)
// posts, one after another, what write(client, i) asks for. Every answer
// is kept: { status, ms, body, json } in `answers`; a refused connection
// or reset in `errors`.
function writeLoad(clients, write, opts = {}) {
  const answers = [];
  const errors = [];
  let going = true;
  const loops = clients.map(async (c, k) => {
    for (let i = 0; going; i++) {
      const t0 = Date.now();
      try {
        const r = await write(c, k, i);
        answers.push({ client: k, i, start: t0, status: r.status, ms: Date.now() - t0, text: r.text, json: r.json });
      } catch (e) {
        errors.push({ client: k, i, start: t0, ms: Date.now() - t0, message: e.message });
        if (opts.stopOnError) return;
        await sleep(opts.errorPauseMs || 50);
      }
    }
  });
  return {
    answers,
    errors,
    async stop() {
      going = false;
      await Promise.all(loops);
    },
  };
}

// A small world, quick to make (each login hashes a password): an
// administrator, the case's care manager and employment consultant, their
// team and one referred case. opts.key: the key file; opts.tmpdir: where the
// database's folder goes (default the system's).
const ORGS = [
  { name: 'Region Psykiatri', kind: 'health' },
  { name: 'Jobcenter Nord', kind: 'jobcentre' },
];
const USERS = [
  { username: 'admin', role: 'admin', org: 'Region Psykiatri', name: 'Ada Admin' },
  { username: 'cm1', role: 'care_manager', org: 'Region Psykiatri', name: 'Carla Care' },
  { username: 'ec1', role: 'employment_consultant', org: 'Jobcenter Nord', name: 'Erik Employ' },
];
async function smallWorld(opts) {
  const saved = process.env.TMPDIR;
  if (opts.tmpdir) process.env.TMPDIR = opts.tmpdir; // makeDatabase's folder
  let srv;
  try {
    srv = await startServer({ orgs: ORGS, users: USERS, args: ['--key-file', opts.key] });
  } finally {
    if (opts.tmpdir) {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  }
  const s = {};
  for (const u of USERS) s[u.username] = await session(srv, u.username);
  const member = (u, role) => ({ user: s[u].id, role, fraction: 1, from: today(-400) });
  const team = await s.admin.call('POST', '/api/v1/teams', {
    name: 'Team A',
    members: [member('cm1', 'care_manager'), member('ec1', 'employment_consultant')],
  });
  if (team.status !== 201) throw new Error(`team: ${team.status} ${team.text}`);
  const kase = await s.ec1.call('POST', '/api/v1/cases', {
    name: 'Sofie Service',
    cpr: '0101801234',
    contact: 'sofie@example.org',
    first_absence_day: today(-60),
    employment: 'employee',
    absences: [{ from: today(-60), to: null }],
    earlier_benefit: [],
    team: team.json.id,
    care_manager: s.cm1.id,
    employment_consultant: s.ec1.id,
  });
  if (kase.status !== 201) throw new Error(`case: ${kase.status} ${kase.text}`);
  return { srv, s, kase: kase.json };
}

// Logs n fresh sessions of username in (each its own cookie and token).
async function sessions(srv, username, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await session(srv, username));
  return out;
}

// `ibbis serve` again on the same database and key.
function restart(srv, key) {
  return startServer({ db: srv.db, dir: srv.dir, args: ['--key-file', key] });
}

function auditVerify(db, key) {
  return ibbis(['audit', 'verify', '--db', db, '--key-file', key], { timeout: 120000 });
}

// Percentiles of a list of numbers (ms).
function pct(list, p) {
  if (!list.length) return 0;
  const s = list.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

module.exports = {
  BACKEND, PG_DIR, keyFile, smallWorld, session, figure, writeLoad, sessions, restart, auditVerify, pct, sleep,
};
