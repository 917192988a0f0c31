'use strict';
// ibbis sweep and ibbis demo-data: tasks from a hand-built case's timeline
// (deadlines worked out by hand from spec/benefit-rules-dk.md), idempotence,
// and the demo data's accounts file. SQLite only: the hand-built case is
// written with the sqlite3 command-line tool.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ibbis, ibbisOk, startServer, loginJson } = require('./lib/server');

function sql(db, q) {
  const r = spawnSync('sqlite3', ['-json', db, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

function demo(cases, today) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-sweep-'));
  const db = path.join(dir, 'd.db');
  const acc = path.join(dir, 'accounts.json');
  const args = ['demo-data', '--db', db, '--cases', String(cases), '--accounts', acc, '--seed', '3'];
  if (today) args.push('--today', today);
  const r = ibbisOk(args, { timeout: 120000 });
  return { dir, db, acc, accounts: JSON.parse(fs.readFileSync(acc, 'utf8')), stderr: r.stderr };
}

// A case made by hand: employee, first absence Monday 2024-01-08, one open
// absence, a follow-up held 2024-02-26 (10:00 Danish time), the CM's
// assessment and the EC's with category 3 on 2024-02-05, no roundtable.
function handCase(w) {
  const cm = w.accounts.find((a) => a.username === 'cm1.1');
  const ec = w.accounts.find((a) => a.username === 'ec1.1');
  const [{ id: cmId }] = sql(w.db, "SELECT id FROM users WHERE username = 'cm1.1'");
  const [{ id: ecId }] = sql(w.db, "SELECT id FROM users WHERE username = 'ec1.1'");
  const [{ team_id: team }] = sql(w.db, `SELECT team_id FROM memberships WHERE user_id = ${cmId}`);
  const held = Date.UTC(2024, 1, 26, 9, 0, 0) / 1000; // 10:00 CET
  sql(w.db, `
    INSERT INTO users (username, name, password_hash, role, created_at) VALUES ('hand', 'Hand Case', 'x', 'service_user', 0);
    INSERT INTO cases (person_id, name, cpr, first_absence_day, employment, team_id, care_manager_id,
      employment_consultant_id, referred_on, created_at, updated_at)
      VALUES ((SELECT id FROM users WHERE username = 'hand'), 'Hand Case', '0101701230', '2024-01-08',
      'employee', ${team}, ${cmId}, ${ecId}, '2024-01-20', 0, 0);
    INSERT INTO case_absences (case_id, from_date, to_date) VALUES ((SELECT max(id) FROM cases), '2024-01-08', NULL);
    INSERT INTO assessments (case_id, author_id, role, on_date, created_at)
      VALUES ((SELECT max(id) FROM cases), ${cmId}, 'care_manager', '2024-02-05', 0);
    INSERT INTO assessments (case_id, author_id, role, category, on_date, created_at)
      VALUES ((SELECT max(id) FROM cases), ${ecId}, 'employment_consultant', 3, '2024-02-05', 0);
    INSERT INTO meetings (case_id, team_id, kind, starts_at, ends_at, status, created_at)
      VALUES ((SELECT max(id) FROM cases), ${team}, 'followup', ${held}, ${held + 2700}, 'held', 0);
  `);
  const [{ id }] = sql(w.db, 'SELECT max(id) AS id FROM cases');
  return { id, cmId, ecId, cm, ec, team };
}

function tasksOf(db, id) {
  return sql(db, `SELECT source, source_key, kind, user_id, due, done, updated_at FROM tasks
    WHERE case_id = ${id} ORDER BY source, source_key`);
}

test('sweep turns a hand-built case into the hand-worked deadline tasks', () => {
  const w = demo(4, '2024-03-01');
  try {
    const h = handCase(w);
    ibbisOk(['sweep', '--db', w.db, '--today', '2024-04-15']);
    const got = tasksOf(w.db, h.id).map(({ updated_at, ...t }) => t);
    // Counting starts 2024-02-07 (30 days not counted); the 111th weekday is
    // 2024-07-10, so the reassessment date is 2024-07-31.
    assert.deepStrictEqual(got, [
      { source: 'meeting', source_key: 'roundtable_needed', kind: 'plan_roundtable', user_id: h.cmId, due: null, done: 0 },
      { source: 'timeline', source_key: 'broad_assessment', kind: 'broad_assessment', user_id: h.ecId, due: '2024-04-08', done: 0 },
      { source: 'timeline', source_key: 'category3_rehab_team', kind: 'category3_rehab_team', user_id: h.ecId, due: '2024-03-04', done: 0 },
      { source: 'timeline', source_key: 'first_followup', kind: 'first_followup', user_id: h.ecId, due: '2024-03-03', done: 1 },
      { source: 'timeline', source_key: 'next_followup', kind: 'next_followup', user_id: h.ecId, due: '2024-03-25', done: 0 },
      { source: 'timeline', source_key: 'reassessment_decision', kind: 'reassessment_decision', user_id: h.ecId, due: '2024-07-31', done: 0 },
    ]);

    // Idempotent: a second run writes nothing.
    const before = tasksOf(w.db, h.id);
    const count = sql(w.db, 'SELECT count(*) AS n FROM tasks')[0].n;
    const r = ibbisOk(['sweep', '--db', w.db, '--today', '2024-04-15']);
    assert.match(r.stderr, / 0 tasks inserted, 0 updated, \d+ unchanged, 0 removed/);
    assert.deepStrictEqual(tasksOf(w.db, h.id), before);
    assert.strictEqual(sql(w.db, 'SELECT count(*) AS n FROM tasks')[0].n, count);

    // A roundtable is planned: the roundtable task is done. A second
    // follow-up held 2024-03-20 moves next_followup to 2024-04-17.
    const t = Date.UTC(2024, 3, 20, 8) / 1000;
    const f2 = Date.UTC(2024, 2, 20, 9) / 1000;
    sql(w.db, `INSERT INTO meetings (case_id, team_id, kind, starts_at, ends_at, status, created_at)
      VALUES (${h.id}, ${h.team}, 'roundtable', ${t}, ${t + 3600}, 'planned', 0);
      INSERT INTO meetings (case_id, team_id, kind, starts_at, ends_at, status, created_at)
      VALUES (${h.id}, ${h.team}, 'followup', ${f2}, ${f2 + 2700}, 'held', 0);`);
    ibbisOk(['sweep', '--db', w.db, '--today', '2024-04-15']);
    const after = tasksOf(w.db, h.id);
    assert.strictEqual(after.find((x) => x.source_key === 'roundtable_needed').done, 1);
    assert.strictEqual(after.find((x) => x.source_key === 'next_followup').due, '2024-04-17');

    // Closing the case removes its open deadline tasks; done ones stay.
    sql(w.db, `UPDATE cases SET status = 'closed' WHERE id = ${h.id}`);
    ibbisOk(['sweep', '--db', w.db, '--today', '2024-04-15']);
    const closed = tasksOf(w.db, h.id);
    assert.ok(closed.length > 0 && closed.every((x) => x.done === 1), JSON.stringify(closed));
  } finally {
    fs.rmSync(w.dir, { recursive: true, force: true });
  }
});

test('sweep refuses a bad --today', () => {
  const r = ibbis(['sweep', '--db', path.join(os.tmpdir(), 'nope.db'), '--today', '2024-13-01']);
  assert.strictEqual(r.status, 2);
  assert.match(r.stderr, /--today/);
});

test('demo-data --cases 60: every role, valid logins, cases at every stage', async () => {
  const w = demo(60);
  let srv;
  try {
    const roles = new Set(w.accounts.map((a) => a.role));
    for (const r of ['admin', 'care_manager', 'employment_consultant', 'supervisor', 'researcher', 'service_user']) {
      assert.ok(roles.has(r), `role ${r} in the accounts file`);
    }
    const sups = w.accounts.filter((a) => a.role === 'supervisor');
    const orgs = new Set(sups.map((a) => a.organisation));
    assert.ok(orgs.size >= 2, 'supervisors of both kinds');
    assert.strictEqual(w.accounts.filter((a) => a.role === 'service_user').length, 60);
    for (const a of w.accounts) {
      assert.match(a.password, /^demo-[a-z]{8}$/);
      for (const k of ['username', 'name', 'role', 'cases']) assert.ok(k in a, `${a.username}.${k}`);
    }
    const person = w.accounts.find((a) => a.role === 'service_user');
    assert.strictEqual(person.cases.length, 1);
    const stages = sql(w.db, `SELECT
      (SELECT count(*) FROM cases WHERE status = 'closed') AS returned,
      (SELECT count(*) FROM decisions WHERE kind = 'extension') AS extended,
      (SELECT count(*) FROM decisions WHERE kind = 'job_clarification') AS jobclar,
      (SELECT count(*) FROM decisions WHERE hearing IS NULL OR hearing > on_date) AS no_hearing,
      (SELECT count(*) FROM meetings WHERE kind = 'roundtable' AND status = 'held' AND minutes_sealed IS NOT NULL) AS minutes,
      (SELECT count(*) FROM plan_steps WHERE hours_per_week IS NOT NULL) AS graded,
      (SELECT count(*) FROM goals) AS goals, (SELECT count(*) FROM consents) AS consents,
      (SELECT count(*) FROM tasks WHERE source = 'timeline') AS tasks`)[0];
    for (const [k, v] of Object.entries(stages)) {
      if (k === 'no_hearing') assert.strictEqual(v, 0, 'every decision has a hearing before it');
      else assert.ok(v > 0, `${k}: ${v}`);
    }
    // Meetings on working days only: no weekend and no Danish holiday. The
    // holidays by hand (Easter Sundays 2024-03-31, 2025-04-20, 2026-04-05,
    // 2027-03-28; store bededag abolished from 2024). Starts are 08:00-15:00
    // Danish time, so the UTC date is the Danish date.
    const holidays = new Set([
      '2024-01-01', '2024-03-28', '2024-03-29', '2024-04-01', '2024-05-09', '2024-05-20',
      '2025-01-01', '2025-04-17', '2025-04-18', '2025-04-21', '2025-05-29', '2025-06-09',
      '2026-01-01', '2026-04-02', '2026-04-03', '2026-04-06', '2026-05-14', '2026-05-25',
      '2027-01-01', '2027-03-25', '2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17',
    ]);
    for (const y of [2024, 2025, 2026, 2027]) for (const md of ['06-05', '12-24', '12-25', '12-26', '12-31']) holidays.add(`${y}-${md}`);
    const days = sql(w.db, "SELECT DISTINCT date(starts_at, 'unixepoch') AS d, " +
      "strftime('%w', starts_at, 'unixepoch') AS wd FROM meetings");
    assert.ok(days.length > 20, `meetings on ${days.length} days`);
    for (const { d, wd } of days) {
      assert.ok(wd !== '0' && wd !== '6', `${d} is a weekend day`);
      assert.ok(!holidays.has(d), `${d} is a Danish holiday`);
    }
    // CPR numbers: ten digits, a real date, failing modulus 11.
    for (const { cpr } of sql(w.db, 'SELECT cpr FROM cases')) {
      assert.match(cpr, /^\d{10}$/);
      const wts = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
      const sum = cpr.split('').reduce((s, c, i) => s + Number(c) * wts[i], 0);
      assert.notStrictEqual(sum % 11, 0, `${cpr} fails modulus 11`);
    }
    srv = await startServer({ db: w.db });
    const cm = w.accounts.find((a) => a.role === 'care_manager');
    for (const a of [cm, person]) {
      const { res } = await loginJson(srv, a.username, a.password);
      assert.strictEqual(res.status, 200, `login ${a.username}`);
    }
    const { res: bad } = await loginJson(srv, cm.username, 'demo-wrongpwd');
    assert.strictEqual(bad.status, 401);
  } finally {
    if (srv) await srv.stop();
    fs.rmSync(w.dir, { recursive: true, force: true });
  }
});

test('demo-data refuses a second run on the same database', () => {
  const w = demo(2);
  try {
    const r = ibbis(['demo-data', '--db', w.db, '--cases', '2', '--accounts', w.acc + '2']);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /already holds demo data/);
  } finally {
    fs.rmSync(w.dir, { recursive: true, force: true });
  }
});
