'use strict';
// Two `ibbis serve` nodes on one PostgreSQL behind nginx
// (scripts/multinode.sh). Opt-in: IBBIS_TEST_MULTINODE=1; also skips, with
// a note, when nginx or PostgreSQL 15 is missing.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { BIN, ROOT, PASSWORD, ibbisOk, request, Jar, sleep } = require('./lib/server');
const {
  havePg, haveNginx, psql, multinodeStart, multinodeStop,
} = require('./lib/nodes');

let skip = false;
if (process.env.IBBIS_TEST_MULTINODE !== '1') skip = 'IBBIS_TEST_MULTINODE=1 is not set';
else if (!haveNginx()) skip = 'nginx is missing (/usr/sbin/nginx; apt-get install nginx-light)';
else if (!havePg()) skip = 'PostgreSQL 15 is missing (apt-get install postgresql-15)';
if (skip) console.log(`# multinode.test.js skipped: ${skip}`);

const WORKERS = 4;
let dir;
let env;
let cliEnv;
let caseId;
const users = {};

function cli(args) { return ibbisOk(args, { env: cliEnv }); }

function cliAsync(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { cwd: ROOT, env: Object.assign({}, process.env, cliEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', (status) => resolve({ status, out }));
  });
}

async function login(base, username, password = PASSWORD) {
  const jar = new Jar();
  const res = await request(base, 'POST', '/login', { jar, body: { username, password }, headers: { Accept: 'application/json' } });
  return { res, jar };
}

// A logged-in user whose calls may go to any base URL.
async function session(base, username) {
  const { res, jar } = await login(base, username);
  assert.strictEqual(res.status, 200, `login ${username}: ${res.text}`);
  const me = await request(base, 'GET', '/api/v1/me', { jar });
  const csrf = me.json.csrf_token;
  return {
    id: me.json.id, jar,
    call: (b, method, p, body) => request(b, method, p, {
      jar, body, headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
    }),
  };
}

const { today } = require('./lib/world.js');

function auditRows() { return Number(psql(env.DB_URL, 'SELECT count(*) FROM audit_log')[0][0]); }

test.before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-mn-'));
  fs.chmodSync(dir, 0o755); // the postgres user must reach dir/pg
  env = multinodeStart(dir, { MULTINODE_WORKERS: String(WORKERS) });
  cliEnv = { IBBIS_KEY_FILE: env.KEY_FILE, IBBIS_DB: '' };
  cli(['org', 'add', '--kind', 'health', '--db', env.DB_URL, 'MN Psykiatri']);
  cli(['org', 'add', '--kind', 'jobcentre', '--db', env.DB_URL, 'MN Jobcenter']);
  const add = (u, role, org) => cli(['user', 'add', '--role', role, '--org', org, '--name', u,
    '--db', env.DB_URL, u], { input: `${PASSWORD}\n` });
  const mk = (u, role, org) => ibbisOk(['user', 'add', '--role', role, '--org', org, '--name', u,
    '--db', env.DB_URL, u], { input: `${PASSWORD}\n`, env: cliEnv });
  void add;
  mk('admin', 'admin', 'MN Psykiatri');
  mk('cm1', 'care_manager', 'MN Psykiatri');
  mk('ec1', 'employment_consultant', 'MN Jobcenter');
  mk('rl1', 'care_manager', 'MN Psykiatri');
  for (const u of ['admin', 'cm1', 'ec1']) users[u] = await session(env.LB, u);
  const member = (u, role) => ({ user: users[u].id, role, fraction: 1, from: today(-400) });
  const team = await users.admin.call(env.LB, 'POST', '/api/v1/teams', {
    name: 'MN Team', members: [member('cm1', 'care_manager'), member('ec1', 'employment_consultant')],
  });
  assert.strictEqual(team.status, 201, team.text);
  const kase = await users.ec1.call(env.LB, 'POST', '/api/v1/cases', {
    name: 'Mads Node', cpr: '0101801234', contact: 'mads@example.org',
    first_absence_day: today(-200), employment: 'employee',
    absences: [{ from: today(-200), to: null }], earlier_benefit: [],
    team: team.json.id, care_manager: users.cm1.id, employment_consultant: users.ec1.id,
  });
  assert.strictEqual(kase.status, 201, kase.text);
  caseId = kase.json.id;
});

test.after(() => {
  if (skip || !dir) return;
  multinodeStop(dir);
  if (!process.env.IBBIS_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
});

test('a login through one node works on the other', { skip }, async () => {
  const { res, jar } = await login(env.NODE1, 'cm1');
  assert.strictEqual(res.status, 200);
  const me = await request(env.NODE2, 'GET', '/api/v1/me', { jar, headers: { Accept: 'application/json' } });
  assert.strictEqual(me.status, 200, me.text);
  assert.strictEqual(me.json.username, 'cm1');
  const none = await request(env.NODE2, 'GET', '/api/v1/me', { headers: { Accept: 'application/json' } });
  assert.strictEqual(none.status, 401, 'no cookie, no session');
});

test('login failures count across nodes: 5 spread over both, then 429 on either', { skip }, async () => {
  for (let i = 0; i < 5; i++) {
    const { res } = await login(i % 2 ? env.NODE2 : env.NODE1, 'rl1', 'wrong-password-x');
    assert.strictEqual(res.status, 401, `failure ${i + 1}`);
  }
  for (const base of [env.NODE1, env.NODE2]) {
    const { res } = await login(base, 'rl1');
    assert.strictEqual(res.status, 429, 'refused even with the right password');
    assert.ok(Number(res.headers['retry-after']) > 0);
  }
});

test('two sweeps at once do not duplicate tasks', { skip }, async () => {
  const [a, b] = await Promise.all([
    cliAsync(['sweep', '--db', env.DB_URL]), cliAsync(['sweep', '--db', env.DB_URL])]);
  assert.strictEqual(a.status, 0, a.out);
  assert.strictEqual(b.status, 0, b.out);
  const count = () => Number(psql(env.DB_URL, 'SELECT count(*) FROM tasks')[0][0]);
  const n = count();
  assert.ok(n > 0, 'the sweep made deadline tasks');
  cli(['sweep', '--db', env.DB_URL]);
  assert.strictEqual(count(), n, 'a further sweep adds nothing: the concurrent ones made each task once');
});

test('200 concurrent writes through both nodes keep one valid audit chain', { skip }, async () => {
  const before = auditRows();
  const bases = [env.LB, env.NODE1, env.NODE2];
  let next = 0;
  const statuses = [];
  const worker = async () => {
    while (next < 200) {
      const i = next++;
      const r = await users.cm1.call(bases[i % 3], 'POST', `/api/v1/cases/${caseId}/notes`,
        { category: 'clinical', text: `parallel ${i}` });
      statuses.push(r.status);
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));
  assert.deepStrictEqual(statuses.filter((s) => s !== 201), [], 'every write succeeded');
  assert.ok(auditRows() >= before + 200, 'each write was audited');
  const v = cli(['audit', 'verify', '--db', env.DB_URL]);
  assert.match(v.stdout, /intact/);
  // prev_hash links, checked in SQL as well: each row names the one before.
  const broken = psql(env.DB_URL,
    'SELECT count(*) FROM audit_log a JOIN audit_log p ON p.id = (SELECT max(id) FROM audit_log WHERE id < a.id) ' +
    'WHERE a.prev_hash IS DISTINCT FROM p.hash');
  assert.strictEqual(broken[0][0], '0');
});

test('each node keeps a bounded connection pool', { skip }, async () => {
  // Load on both nodes at once, then count their server connections.
  const reads = [];
  for (let i = 0; i < 300; i++) {
    reads.push(users.cm1.call(i % 2 ? env.NODE1 : env.NODE2, 'GET', `/api/v1/cases/${caseId}`));
  }
  const res = await Promise.all(reads);
  assert.deepStrictEqual(res.map((r) => r.status).filter((s) => s !== 200), []);
  const rows = psql(env.DB_URL, "SELECT application_name, count(*) FROM pg_stat_activity WHERE application_name LIKE 'ibbis_node%' GROUP BY 1 ORDER BY 1");
  assert.strictEqual(rows.length, 2, JSON.stringify(rows));
  for (const [name, n] of rows) {
    assert.ok(Number(n) <= WORKERS + 3, `${name}: ${n} connections for ${WORKERS} workers`);
  }
});

test('a PostgreSQL restart: requests in flight get 503, the nodes reconnect by themselves', { skip }, async () => {
  const statuses = [];
  let going = true;
  const loop = async (base) => {
    while (going) {
      try {
        const r = await users.cm1.call(base, 'GET', `/api/v1/cases/${caseId}`);
        statuses.push(r.status === 200 || r.status === 503 ? r.status : `${r.status} ${r.text.slice(0, 120)}`);
      } catch (e) {
        statuses.push(`error ${e.message}`);
      }
    }
  };
  const loops = [env.NODE1, env.NODE2, env.NODE1, env.NODE2].map(loop);
  await sleep(200);
  const r = await cliAsyncRestart();
  assert.strictEqual(r.status, 0, r.out);
  await sleep(300);
  going = false;
  await Promise.all(loops);
  const odd = statuses.filter((s) => s !== 200 && s !== 503);
  assert.deepStrictEqual(odd.slice(0, 5), [], `only 200 or 503 during the restart (${odd.length} others)`);
  for (const base of [env.NODE1, env.NODE2]) {
    for (let i = 0; i < 2 * WORKERS + 4; i++) {
      const a = await users.cm1.call(base, 'GET', `/api/v1/cases/${caseId}`);
      assert.strictEqual(a.status, 200, `after the restart, ${base}: ${a.text}`);
    }
  }
  const w = await users.cm1.call(env.LB, 'POST', `/api/v1/cases/${caseId}/notes`, { category: 'clinical', text: 'after restart' });
  assert.strictEqual(w.status, 201, w.text);
});

function cliAsyncRestart() {
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(ROOT, 'scripts', 'multinode.sh'), ['pgrestart', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', (status) => resolve({ status, out }));
  });
}

test('a case answer kept on node B is not served after a change through node A', { skip }, async () => {
  const A = env.NODE1;
  const B = env.NODE2;
  const ec1 = users.ec1;
  const html = (base) => request(base, 'GET', `/cases/${caseId}`, { jar: ec1.jar, headers: { Accept: 'text/html' } });
  const json = (base) => request(base, 'GET', `/api/v1/cases/${caseId}`, { jar: ec1.jar, headers: { Accept: 'application/json' } });
  // Read on B twice, page and JSON: the second of each is B's kept answer.
  const keepOnB = async () => {
    const first = [await html(B), await json(B)];
    const second = [await html(B), await json(B)];
    for (const r of first.concat(second)) assert.strictEqual(r.status, 200, r.text.slice(0, 200));
    assert.strictEqual(second[0].text, first[0].text);
    assert.strictEqual(second[1].text, first[1].text);
    return first;
  };

  // A change to the case's own rows (cases.rev and the audit log).
  const contact = `changed on node A ${process.pid}`;
  const [page] = await keepOnB();
  assert.ok(!page.text.includes(contact));
  const p = await ec1.call(A, 'PATCH', `/api/v1/cases/${caseId}`, { contact });
  assert.strictEqual(p.status, 200, p.text);
  const h = await html(B);
  const j = await json(B);
  assert.strictEqual(h.status, 200);
  assert.ok(h.text.includes(`<dt>Contact</dt><dd>${contact}</dd>`), 'node B\'s next page has the new contact');
  assert.strictEqual(j.json.contact, contact, 'node B\'s next JSON has the new contact');
  assert.strictEqual(h.text, (await html(A)).text, 'node B\'s page is the one node A builds');

  // A change to shared rows (a team membership: cache_gen), read by the
  // assigned care manager: only the health side is offered the care
  // manager's handover, so the new member shows on that page.
  const cmPage = (base) => request(base, 'GET', `/cases/${caseId}`,
    { jar: users.cm1.jar, headers: { Accept: 'text/html' } });
  const firstCm = await cmPage(B);
  const keptCm = await cmPage(B);
  assert.strictEqual(keptCm.status, 200, keptCm.text.slice(0, 200));
  assert.strictEqual(keptCm.text, firstCm.text, 'node B keeps the care manager\'s page');
  assert.ok(!/>rl1 \(Care manager\)</.test(keptCm.text), 'rl1 is not in the team yet');
  const teamId = j.json.team.id;
  const m = await users.admin.call(A, 'POST', `/api/v1/teams/${teamId}/members`,
    { user: Number(psql(env.DB_URL, "SELECT id FROM users WHERE username = 'rl1'")[0][0]),
      role: 'care_manager', fraction: 1, from: today(-1) });
  assert.strictEqual(m.status, 201, m.text);
  const after = await cmPage(B);
  assert.match(after.text, /<option value="\d+">rl1 \(Care manager\)<\/option>/,
    'node B\'s next page offers the new team member for a handover');
});
