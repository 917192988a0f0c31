'use strict';
// GET /cases/{id}/timeline: the API answers exactly what `ibbis timeline`
// gives for the case's facts (built here from the database rows, by the
// rules of the brief), and the page and the case page show the same.
// SQLite only: facts are read with the sqlite3 command-line tool.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ibbisOk, startServer, loginJson } = require('./lib/server');

function sql(db, q) {
  const r = spawnSync('sqlite3', ['-json', db, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// The Danish calendar date of a unix instant.
function dkDate(t) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date(t * 1000));
}

function dkToday() {
  return dkDate(Math.floor(Date.now() / 1000));
}

// The engine's input for a case, straight from its rows.
function facts(db, id, asOf) {
  const [c] = sql(db, `SELECT * FROM cases WHERE id = ${id}`);
  const f = {
    as_of: asOf,
    employment: c.employment,
    first_absence_day: c.first_absence_day,
    absences: sql(db, `SELECT from_date AS "from", to_date AS "to" FROM case_absences WHERE case_id = ${id}`),
    earlier_benefit: sql(db, `SELECT from_date AS "from", to_date AS "to" FROM case_earlier_benefit WHERE case_id = ${id}`),
    followups: sql(db, `SELECT starts_at FROM meetings WHERE case_id = ${id} AND kind = 'followup' AND status = 'held'`)
      .map((m) => dkDate(m.starts_at)),
    categories: sql(db, `SELECT on_date AS "on", category FROM decisions WHERE case_id = ${id} AND kind = 'category' AND category IS NOT NULL
      UNION ALL SELECT on_date, category FROM assessments WHERE case_id = ${id} AND role = 'employment_consultant' AND category IS NOT NULL`),
    decisions: sql(db, `SELECT on_date AS "on", hearing, kind, ground FROM decisions WHERE case_id = ${id}
      AND kind IN ('extension', 'job_clarification') ORDER BY on_date, id`).map((d) => {
      if (d.kind !== 'extension') delete d.ground;
      if (d.hearing === null) delete d.hearing;
      return d;
    }),
    events: sql(db, `SELECT on_date AS "on", kind FROM case_events WHERE case_id = ${id}`),
  };
  if (c.fast_track_requested) f.fast_track = { requested: c.fast_track_requested, refused: !!c.fast_track_refused };
  return f;
}

test('API, page, case page and `ibbis timeline` agree for demo cases', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-timeline-'));
  const db = path.join(dir, 'd.db');
  const acc = path.join(dir, 'a.json');
  ibbisOk(['demo-data', '--db', db, '--cases', '40', '--accounts', acc, '--seed', '11']);
  const accounts = JSON.parse(fs.readFileSync(acc, 'utf8'));
  const srv = await startServer({ db });
  try {
    const today = dkToday();
    // Cases with an extension, job clarification and a plain open case.
    const pick = sql(db, `SELECT c.id, u.username FROM cases c JOIN users u ON u.id = c.employment_consultant_id
      WHERE c.id IN (SELECT case_id FROM decisions WHERE kind = 'extension' LIMIT 1)
         OR c.id IN (SELECT case_id FROM decisions WHERE kind = 'job_clarification' LIMIT 1)
         OR c.id = (SELECT min(id) FROM cases WHERE status = 'open')`);
    assert.ok(pick.length >= 2, 'demo data has extended and job-clarification cases');
    for (const { id, username } of pick) {
      const ec = accounts.find((a) => a.username === username);
      const { jar } = await loginJson(srv, ec.username, ec.password);
      const api = await srv.request('GET', `/api/v1/cases/${id}/timeline`, { jar });
      assert.strictEqual(api.status, 200, api.text);
      const got = typeof api.json === "function" ? api.json() : api.json;
      const cli = ibbisOk(['timeline'], { input: JSON.stringify(facts(db, id, today)) });
      assert.deepStrictEqual(got, JSON.parse(cli.stdout), `case ${id}`);
      assert.deepStrictEqual(Object.keys(got), ['profile', 'as_of', 'benefit_days', 'limit_day', 'projected',
        'reassessment_date', 'status', 'benefit_ends', 'extension', 'deadlines', 'flags', 'explanations']);

      // The page: the reassessment date in the long English form, every deadline.
      const page = await srv.request('GET', `/cases/${id}/timeline?lang=en`, { jar, headers: { Accept: 'text/html' } });
      assert.strictEqual(page.status, 200);
      if (got.reassessment_date) {
        const [y, m, d] = got.reassessment_date.split('-').map(Number);
        const long = `${d} ${new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${y}`;
        assert.ok(page.text.includes(long), `page shows ${long}`);
      }
      assert.strictEqual((page.text.match(/<th scope="row">/g) || []).length, got.deadlines.length + 7,
        'one row per deadline and per extension ground');
      assert.strictEqual((page.text.match(/class="ibbis-overdue"/g) || []).length,
        got.deadlines.filter((x) => x.overdue).length, 'overdue deadlines marked');
      // The case page holds the same section.
      const show = await srv.request('GET', `/cases/${id}?lang=en`, { jar, headers: { Accept: 'text/html' } });
      assert.strictEqual(show.status, 200);
      const section = (html) => html.slice(html.indexOf('<section class="ibbis-timeline"'), html.indexOf('</section>', html.indexOf('<section class="ibbis-timeline"')));
      assert.ok(section(page.text).length > 100);
      assert.strictEqual(section(show.text), section(page.text));
      // Danish: the date in Danish long form.
      const da = await srv.request('GET', `/cases/${id}/timeline?lang=da`, { jar, headers: { Accept: 'text/html' } });
      assert.match(da.text, /Tidslinje for sygedagpenge/);
    }
  } finally {
    await srv.stop();
    srv.cleanup();
  }
});

test('timeline: 404 for no case, 403 for another team, 401 without a session', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-timeline-'));
  const db = path.join(dir, 'd.db');
  const acc = path.join(dir, 'a.json');
  ibbisOk(['demo-data', '--db', db, '--cases', '4', '--accounts', acc]);
  const accounts = JSON.parse(fs.readFileSync(acc, 'utf8'));
  const srv = await startServer({ db });
  try {
    const cm = accounts.find((a) => a.username === 'cm1.1');
    const other = accounts.find((a) => a.username === 'cm2.1');
    const { jar } = await loginJson(srv, cm.username, cm.password);
    const none = await srv.request('GET', '/api/v1/cases/99999/timeline', { jar });
    assert.strictEqual(none.status, 404);
    const { jar: jar2 } = await loginJson(srv, other.username, other.password);
    const denied = await srv.request('GET', `/api/v1/cases/${cm.cases[0]}/timeline`, { jar: jar2 });
    assert.strictEqual(denied.status, 403);
    const anon = await srv.request('GET', `/api/v1/cases/${cm.cases[0]}/timeline`);
    assert.strictEqual(anon.status, 401);
    const mine = await srv.request('GET', `/api/v1/cases/${cm.cases[0]}/timeline`, { jar });
    assert.strictEqual(mine.status, 200);
  } finally {
    await srv.stop();
    srv.cleanup();
  }
});
