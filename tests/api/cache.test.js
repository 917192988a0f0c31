'use strict';
// The case-read cache (src/web/pagecache.c, src/web/cases/h_cases_cache.c) through
// the real binary: a kept answer of GET /cases/{id} or GET /api/v1/cases/{id}
// is never stale and never crosses sessions, and every read is audited.
//
// The world's server keeps answers (the default --page-cache); a second
// server on the same database runs with --page-cache=0 and builds every
// answer afresh. Sessions live in the database, so one cookie works on both:
// "fresh" below reads the same thing from both and requires the same bytes,
// which shows a kept answer is exactly what would be built now. The marker
// checks (a new contact, a renamed person, ...) are written by hand from the
// change just made. The SQLite-only test changes the database with the
// sqlite3 tool and `ibbis sweep` while the servers run.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const {
  startServer, csrfFromHtml, ibbisOk, PASSWORD, PG_DIR, Jar,
} = require('./lib/server');
const { makeWorld, session, today } = require('./lib/world');
const { sql } = require('./lib/sql');

const HTML = { Accept: 'text/html' };
const JSON_ACCEPT = { Accept: 'application/json' };
const SESSION_COOKIE = 'ibbis_session';
const TAG = `${process.pid}`;

let w; // the world; w.srv keeps answers
let s; // its sessions
let id; // its case
let plain; // the same database, --page-cache=0

test.before(async () => {
  w = await makeWorld();
  s = w.s;
  id = w.kase.id;
  plain = await startServer({
    db: w.srv.db,
    dir: fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-test-plain-')),
    args: ['--page-cache', '0'],
  });
});
test.after(async () => {
  if (plain) { await plain.stop(); plain.cleanup(); }
  if (w) await w.cleanup();
});

// ------------------------------------------------------------------ helpers

const page = (srv, sess, cid = id, extra = '') =>
  srv.request('GET', `/cases/${cid}${extra}`, { jar: sess.jar, headers: HTML });
const api = (srv, sess, cid = id, extra = '') =>
  srv.request('GET', `/api/v1/cases/${cid}${extra}`, { jar: sess.jar, headers: JSON_ACCEPT });

function main(html) {
  const m = html.match(/<main\b[\s\S]*<\/main>/);
  return m ? m[0] : '';
}

// Equal strings, or a failure that shows where they part.
function sameText(got, want, what) {
  if (got === want) return;
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const at = (t) => JSON.stringify(t.slice(Math.max(0, i - 120), i + 120));
  assert.fail(`${what}: differ at offset ${i} (lengths ${got.length} and ${want.length})\n` +
    `  got:  ${at(got)}\n  want: ${at(want)}`);
}

// Reads the case page and the JSON twice each from the caching server, so
// the answer is kept and the second read is served from the table.
async function keep(sess, cid = id) {
  for (let i = 0; i < 2; i++) {
    const h = await page(w.srv, sess, cid);
    assert.equal(h.status, 200, `${sess.username} page: ${h.text.slice(0, 200)}`);
    const j = await api(w.srv, sess, cid);
    assert.equal(j.status, 200, `${sess.username} JSON: ${j.text.slice(0, 200)}`);
  }
}

// The answers now: from the caching server, checked byte for byte against
// the server that builds every answer. { html, main, json }.
async function fresh(sess, cid = id, label = '') {
  const h = await page(w.srv, sess, cid);
  const j = await api(w.srv, sess, cid);
  const h0 = await page(plain, sess, cid);
  const j0 = await api(plain, sess, cid);
  const who = `${label}${label ? ', ' : ''}${sess.username}`;
  assert.equal(h.status, 200, `${who}: page ${h.status}`);
  assert.equal(j.status, 200, `${who}: JSON ${j.status}`);
  assert.equal(h0.status, 200, `${who}: page without the cache ${h0.status}`);
  sameText(h.text, h0.text, `${who}: the kept page against one built now`);
  sameText(j.text, j0.text, `${who}: the kept JSON against one built now`);
  return { html: h.text, main: main(h.text), json: j.parseJson() };
}

// The text of a page section: from its <h2> heading to the next <h2>.
function section(html, heading) {
  const at = html.indexOf(`<h2>${heading}</h2>`);
  if (at < 0) return null;
  const next = html.indexOf('<h2', at + 4);
  return html.slice(at, next < 0 ? undefined : next);
}

// Every csrf_token value in a page's forms.
function csrfTokens(html) {
  const out = [];
  for (const tag of html.match(/<input\b[^>]*>/gi) || []) {
    if (!/\bname="csrf_token"/.test(tag)) continue;
    const m = tag.match(/\bvalue="([^"]*)"/);
    out.push(m ? m[1] : '');
  }
  return out;
}

// The "Evidence recorded" cell of an extension ground on the case page.
function groundCell(html, ground) {
  const m = html.match(new RegExp(`<th scope="row">${ground}: [^<]*</th>\\s*<td>([\\s\\S]*?)</td>`));
  return m ? m[1] : null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

// The audit writer group-commits: GET .../access-log flushes the server's
// writer, so each server that was read from is asked once.
async function flushAudit(cid = id) {
  for (const srv of [w.srv, plain]) {
    const r = await srv.request('GET', `/api/v1/cases/${cid}/access-log`,
      { jar: s.suph.jar, headers: JSON_ACCEPT });
    assert.equal(r.status, 200, r.text);
  }
}

function viewedCount(userId, cid = id) {
  const r = sql(w.srv.db, `SELECT count(*) FROM audit_log WHERE case_id = ${Number(cid)} ` +
    `AND actor_id = ${Number(userId)} AND action = 'viewed'`);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

// Waits (at most 5 s) for the count to reach want, then checks it stays.
async function expectViewed(userId, want, cid = id) {
  await flushAudit(cid);
  const deadline = Date.now() + 5000;
  let n = viewedCount(userId, cid);
  while (n < want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    n = viewedCount(userId, cid);
  }
  await new Promise((r) => setTimeout(r, 100));
  n = viewedCount(userId, cid);
  assert.equal(n, want, `"viewed" entries of user ${userId} on case ${cid}`);
}

async function newCase(name, cpr) {
  const r = await s.ec1.call('POST', '/api/v1/cases', {
    name, cpr, contact: `${name} contact`, first_absence_day: today(-40), employment: 'employee',
    absences: [{ from: today(-40), to: null }], earlier_benefit: [], team: w.teams.A.id,
    care_manager: s.cm1.id, employment_consultant: s.ec1.id,
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// -------------------------------------------------------------------- tests

test('the second read of the same answer is served from the table (the shutdown counters)', async () => {
  // A third server on the same database, used only here, so its counters
  // are exactly the reads below.
  const counted = await startServer({
    db: w.srv.db, dir: fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-test-counted-')),
  });
  let exit;
  try {
    const texts = [];
    // ec1: the page three times (miss, hit, hit), the JSON twice (miss, hit).
    for (let i = 0; i < 3; i++) texts.push((await page(counted, s.ec1)).text);
    const j1 = await api(counted, s.ec1);
    const j2 = await api(counted, s.ec1);
    sameText(texts[1], texts[0], 'the second read');
    sameText(texts[2], texts[0], 'the third read');
    sameText(j2.text, j1.text, 'the second JSON read');
    // cm1: the page twice (miss, hit).
    await page(counted, s.cm1);
    await page(counted, s.cm1);
    // A query string is never looked up nor kept: neither hit nor miss.
    assert.equal((await page(counted, s.ec1, id, '?purpose=counting')).status, 200);
    assert.equal((await api(counted, s.ec1, id, '?purpose=counting')).status, 200);
    // Nor is a break-glass look (a supervisor of another team, with a reason).
    for (let i = 0; i < 2; i++) {
      const bg = await counted.request('GET', `/cases/${id}`, {
        jar: s.suph2.jar, headers: { Accept: 'text/html', 'X-Break-Glass-Reason': 'cache test: urgent look' },
      });
      assert.equal(bg.status, 200, bg.text.slice(0, 200));
    }
    // A change: ec1's next page is built again (miss) and kept, then a hit.
    const p = await s.ec1.call('PATCH', `/api/v1/cases/${id}`, { contact: `counted ${TAG}` });
    assert.equal(p.status, 200, p.text);
    const after = await page(counted, s.ec1);
    assert.ok(after.text.includes(`counted ${TAG}`));
    await page(counted, s.ec1);
  } finally {
    exit = await counted.stop();
    counted.cleanup();
  }
  // A graceful stop exits 0 (under the sanitizers: nothing leaked, the
  // kept bodies included).
  assert.deepEqual(exit, { code: 0, signal: null }, counted.stderr().slice(-3000));
  // Hits: ec1 page 2, ec1 JSON 1, cm1 1, after the change 1 = 5.
  // Misses: ec1 page, ec1 JSON, cm1 page, after the change = 4, all kept.
  const line = counted.stderr().split('\n').find((l) => /page cache:/.test(l));
  assert.ok(line, `no "page cache:" line at shutdown:\n${counted.stderr().slice(-2000)}`);
  assert.match(line, /page cache: 5 hits, 4 misses, 4 kept/);
});

test('a change through the API is in the very next read, page and JSON', async (t) => {
  const readers = () => [s.ec1, s.suph];
  const keepAll = async () => { for (const r of readers()) await keep(r); };

  await t.test('PATCH contact', async () => {
    await keepAll();
    const contact = `new contact ${TAG}`;
    for (const r of readers()) assert.ok(!(await fresh(r)).main.includes(contact));
    const p = await s.ec1.call('PATCH', `/api/v1/cases/${id}`, { contact });
    assert.equal(p.status, 200, p.text);
    for (const r of readers()) {
      const a = await fresh(r, id, 'after PATCH contact');
      assert.ok(a.main.includes(`<dt>Contact</dt><dd>${contact}</dd>`), `${r.username}: the new contact on the page`);
      assert.equal(a.json.contact, contact);
    }
  });

  await t.test('PATCH name', async () => {
    await keepAll();
    const p = await s.ec1.call('PATCH', `/api/v1/cases/${id}`, { name: `Sofie Renamed ${TAG}` });
    assert.equal(p.status, 200, p.text);
    for (const r of readers()) {
      const a = await fresh(r, id, 'after PATCH name');
      assert.ok(a.main.includes(`<h1>Sofie Renamed ${TAG}</h1>`), `${r.username}: the new name`);
      assert.equal(a.json.name, `Sofie Renamed ${TAG}`);
    }
  });

  await t.test('PATCH first absence day (and so the timeline)', async () => {
    await keepAll();
    const before = await fresh(s.ec1);
    const day = today(-75);
    const p = await s.ec1.call('PATCH', `/api/v1/cases/${id}`,
      { first_absence_day: day, absences: [{ from: day, to: null }] });
    assert.equal(p.status, 200, p.text);
    for (const r of readers()) {
      const a = await fresh(r, id, 'after PATCH first_absence_day');
      assert.equal(a.json.first_absence_day, day);
      assert.ok(a.main.includes(`<dt>First day of absence</dt><dd>${longDate(day)}</dd>`),
        `${r.username}: the new first absence day`);
      if (r === s.ec1) {
        const counted = (h) => (h.match(/<dt>Benefit days counted<\/dt>\s*<dd>([^<]*)</) || [])[1];
        assert.notEqual(counted(a.main), counted(before.main), 'the timeline counted other days');
      }
    }
  });

  await t.test('a goal added', async () => {
    await keepAll();
    const text = `Goal from the cache test ${TAG}`;
    const r = await s.cm1.call('POST', `/api/v1/cases/${id}/goals`, { text });
    assert.equal(r.status, 201, r.text);
    for (const rd of readers()) {
      const a = await fresh(rd, id, 'after a goal');
      assert.ok(section(a.main, 'Goals'), 'the page has its Goals section');
      assert.ok(section(a.main, 'Goals').includes(text),
        `${rd.username}: the new goal is listed under Goals (also missing from the page built without the cache)`);
    }
  });

  await t.test('a goal edited', async () => {
    const list = await s.cm1.call('GET', `/api/v1/cases/${id}/goals`);
    const goal = list.json.goals.find((x) => x.text === `Goal from the cache test ${TAG}`);
    assert.ok(goal, 'the goal added above');
    await keepAll();
    const text = `Goal in other words ${TAG}`;
    const r = await s.cm1.call('PATCH', `/api/v1/goals/${goal.id}`, { text });
    assert.equal(r.status, 200, r.text);
    for (const rd of readers()) {
      const a = await fresh(rd, id, 'after a goal edit');
      const goals = section(a.main, 'Goals');
      assert.ok(goals.includes(text) && !goals.includes(`Goal from the cache test ${TAG}`),
        `${rd.username}: the goal's new words replace the old (also missing from the page built without the cache)`);
    }
  });

  await t.test('a plan step', async () => {
    await keepAll();
    const text = `Plan step from the cache test ${TAG}`;
    const r = await s.cm1.call('PUT', `/api/v1/cases/${id}/plan`, {
      steps: [{ kind: 'treatment', text, responsible: s.cm1.id, due: today(14), status: 'planned' }],
    });
    assert.ok(r.status === 200 || r.status === 201, r.text);
    for (const rd of readers()) {
      const a = await fresh(rd, id, 'after a plan step');
      assert.ok(section(a.main, 'The current plan').includes(text),
        `${rd.username}: the new step is in the plan table (also missing from the page built without the cache)`);
    }
  });

  await t.test('a meeting planned', async () => {
    await keepAll();
    const r = await s.cm1.call('POST', `/api/v1/cases/${id}/meetings`,
      { kind: 'roundtable', start: `${today(20)}T10:00` });
    assert.equal(r.status, 201, r.text);
    t.meeting = r.json.id;
    for (const rd of readers()) {
      const a = await fresh(rd, id, 'after a meeting');
      const next = section(a.main, 'Next meetings');
      assert.ok(next.includes('Roundtable meeting') && next.includes(longDate(today(20))),
        `${rd.username}: the roundtable is under Next meetings (also missing from the page built without the cache)`);
    }
  });

  await t.test('a meeting cancelled', async () => {
    assert.ok(t.meeting, 'the meeting planned above');
    await keepAll();
    const r = await s.ec1.call('PATCH', `/api/v1/meetings/${t.meeting}`,
      { status: 'cancelled', reason: `Moved to the phone ${TAG}` });
    assert.equal(r.status, 200, r.text);
    for (const rd of readers()) {
      const a = await fresh(rd, id, 'after a cancellation');
      assert.ok(!section(a.main, 'Next meetings').includes(longDate(today(20))),
        `${rd.username}: the cancelled roundtable is gone from Next meetings`);
    }
  });
});

test('a handover and an outcome: the next read shows them; the old EC is refused', async () => {
  const cid = await newCase(`Hans Handover ${TAG}`, '0202801234');
  for (const r of [s.ec1, s.cm1, s.supj]) await keep(r, cid);
  const old = await fresh(s.ec1, cid);
  assert.ok(old.main.includes('<dt>Employment consultant</dt><dd>Erik Employ</dd>'));
  assert.ok(old.main.includes(`action="/cases/${cid}/outcome"`), 'the assigned EC may record an outcome');

  const reason = `Erik is away ${TAG}`;
  const h = await s.supj.call('POST', `/api/v1/cases/${cid}/handover`,
    { role: 'employment_consultant', to: s.ec2.id, reason, on: today() });
  assert.equal(h.status, 201, h.text);

  // ec1 is no longer assigned: the page and JSON kept for ec1 are not served.
  for (const srv of [w.srv, plain]) {
    const hp = await page(srv, s.ec1, cid);
    assert.equal(hp.status, 403, `the former EC's page: ${hp.status}`);
    assert.ok(!hp.text.includes('Hans Handover'), 'no case content in the refusal');
    const hj = await api(srv, s.ec1, cid);
    assert.equal(hj.status, 403, `the former EC's JSON: ${hj.status}`);
  }
  for (const r of [s.cm1, s.supj]) {
    const a = await fresh(r, cid, 'after the handover');
    assert.ok(a.main.includes('<dt>Employment consultant</dt><dd>Emma Employ</dd>'), `${r.username}: the new EC`);
    assert.deepEqual(a.json.employment_consultant, { id: s.ec2.id, name: 'Emma Employ' });
    assert.ok(a.main.includes(reason), `${r.username}: the handover's reason in the history`);
  }
  const ec2 = await fresh(s.ec2, cid, 'the new EC');
  assert.equal(ec2.json.handover_note.from.id, s.ec1.id);
  assert.ok(ec2.main.includes('id="handover-heading"'), 'the receiver gets the handover note');

  await keep(s.ec2, cid);
  await keep(s.supj, cid);
  const o = await s.ec2.call('POST', `/api/v1/cases/${cid}/outcome`,
    { kind: 'returned_graded', on: today(), note: `15 h/week ${TAG}` });
  assert.equal(o.status, 201, o.text);
  for (const r of [s.ec2, s.supj, s.cm1]) {
    const a = await fresh(r, cid, 'after the outcome');
    assert.equal(a.json.status, 'closed');
    assert.deepEqual(a.json.outcome, { kind: 'returned_graded', on: today(), note: `15 h/week ${TAG}` });
    assert.match(a.main, /Status: <strong>Closed<\/strong>/, `${r.username}: the case is closed`);
    assert.ok(!a.main.includes(`action="/cases/${cid}/outcome"`), `${r.username}: no outcome form on a closed case`);
    assert.ok(!a.main.includes(`action="/cases/${cid}/handover"`), `${r.username}: no handover form on a closed case`);
  }
});

test('the person withdraws consent: the EC\'s next case page no longer shows the health summary', async () => {
  const { person, cm1, ec1 } = s;
  let r = await person.call('POST', `/api/v1/cases/${id}/consents`,
    { direction: 'health_to_jobcentre', granted: true, purpose: 'benefit_case' });
  assert.equal(r.status, 201, r.text);
  r = await cm1.call('POST', `/api/v1/cases/${id}/evidence`,
    { kind: 'health_summary', ground: 3, supplied_on: today(-1), text: `Sleeping better ${TAG}` });
  assert.equal(r.status, 201, r.text);

  await keep(ec1);
  const granted = await fresh(ec1, id, 'consent granted');
  assert.equal(groundCell(granted.main, 3), 'Health summary<br>',
    'with consent the EC\'s page shows the health summary under ground 3');
  await keep(ec1); // kept again, with the consent

  r = await person.call('POST', `/api/v1/cases/${id}/consents`,
    { direction: 'health_to_jobcentre', granted: false });
  assert.equal(r.status, 201, r.text);
  const gone = await fresh(ec1, id, 'consent withdrawn');
  assert.equal(groundCell(gone.main, 3), 'None recorded', 'withdrawn: ground 3 shows nothing for the EC');
  assert.ok(!gone.main.includes('Health summary'), 'the health summary is nowhere on the EC\'s page');
  // The CM still has it: hidden from the jobcentre, not deleted.
  const cm = await fresh(cm1, id, 'the CM after the withdrawal');
  assert.equal(groundCell(cm.main, 3), 'Health summary<br>');
});

test('sessions and users each get their own answer', async () => {
  const cmA = s.cm1;
  const cmB = await session(w.srv, 'cm1');
  assert.notEqual(cmA.csrf, cmB.csrf, 'two sessions, two CSRF tokens');
  // Interleaved, twice each: the second of each is a kept answer.
  const pages = { A: [], B: [] };
  for (let i = 0; i < 2; i++) {
    pages.A.push((await page(w.srv, cmA)).text);
    pages.B.push((await page(w.srv, cmB)).text);
  }
  for (const [name, sess] of [['A', cmA], ['B', cmB]]) {
    for (const html of pages[name]) {
      const toks = csrfTokens(html);
      assert.ok(toks.length >= 2, `session ${name}: forms with a CSRF token (logout, handover)`);
      assert.deepEqual([...new Set(toks)], [sess.csrf], `session ${name}: every form carries its own session's token`);
    }
    sameText(pages[name][1], (await page(plain, sess)).text, `session ${name}'s kept page`);
  }
  // The token in the page works for that session's form post, not the
  // other's (an activation link, for a person who has no password yet).
  const unactivated = await newCase(`Una Sessions ${TAG}`, '0606801234');
  const okPost = await w.srv.request('POST', `/cases/${unactivated}/activation`, {
    jar: cmB.jar, headers: HTML, form: { csrf_token: csrfFromHtml(pages.B[1]) },
  });
  assert.ok(okPost.status < 400, `session B posts with its page's token: ${okPost.status}`);
  const crossed = await w.srv.request('POST', `/cases/${unactivated}/activation`, {
    jar: cmB.jar, headers: HTML, form: { csrf_token: csrfFromHtml(pages.A[1]) },
  });
  assert.equal(crossed.status, 403, 'session A\'s token is refused for session B');
  // The link's audit entry goes through the group-commit queue (see the
  // activation test below): written now, so the pages below are settled.
  await flushAudit();

  // Different users, different answers: who may update the case, who reads
  // its activity, and whose name is in the header.
  const ec = await fresh(s.ec1, id, 'users');
  const cm = await fresh(s.cm1, id, 'users');
  const sup = await fresh(s.suph, id, 'users');
  const per = await fresh(s.person, id, 'users');
  await keep(s.ec1);
  await keep(s.cm1);
  const ec2nd = (await page(w.srv, s.ec1)).text;
  const cm2nd = (await page(w.srv, s.cm1)).text;
  for (const [html, who, header] of [[ec.html, 'ec1', 'Erik Employ'], [ec2nd, 'ec1 (kept)', 'Erik Employ'],
    [cm.html, 'cm1', 'Carla Care'], [cm2nd, 'cm1 (kept)', 'Carla Care'],
    [sup.html, 'suph', 'Sara Health-Supervisor'], [per.html, 'person', 'Sofie Service']]) {
    assert.match(html, new RegExp(`<p class="user">${header},`), `${who}: the header names the reader`);
  }
  assert.ok(ec2nd.includes(`action="/cases/${id}/outcome"`), 'the assigned EC gets the outcome form');
  assert.ok(!cm2nd.includes(`action="/cases/${id}/outcome"`), 'the CM does not');
  assert.ok(!per.main.includes('<form'), 'the person gets no forms in the case content');
  assert.ok(section(sup.main, 'Recent activity') !== null, 'a supervisor reads the activity');
  assert.equal(section(cm.main, 'Recent activity'), null, 'the CM does not');
  assert.equal(section(ec.main, 'Recent activity'), null, 'the EC does not');
  assert.deepEqual(csrfTokens(ec2nd).filter((t) => t !== s.ec1.csrf), [], 'ec1\'s page: ec1\'s token only');
  assert.deepEqual(csrfTokens(cm2nd).filter((t) => t !== s.cm1.csrf), [], 'cm1\'s page: cm1\'s token only');

  // Language is part of the answer: Danish after English, then English again.
  s.ec1.jar.set('lang', 'da');
  try {
    const da = await fresh(s.ec1, id, 'Danish');
    assert.match(da.html, /<html lang="da">/);
    assert.ok(da.main.includes('<h2>Hvem er hvem</h2>'));
    await keep(s.ec1);
  } finally {
    s.ec1.jar.set('lang', 'en');
  }
  const en = await fresh(s.ec1, id, 'English again');
  assert.match(en.html, /<html lang="en">/);
  assert.ok(en.main.includes('<h2>Who is who</h2>'));

  // Logging out ends what the session may read, kept or not.
  const oldToken = cmB.jar.get(SESSION_COOKIE);
  const out = await w.srv.request('POST', '/logout', {
    jar: cmB.jar, headers: { Accept: 'application/json', 'X-CSRF-Token': cmB.csrf }, body: {},
  });
  assert.ok(out.status < 400, `logout: ${out.status}`);
  const replay = new Jar();
  replay.set(SESSION_COOKIE, oldToken);
  const hp = await w.srv.request('GET', `/cases/${id}`, { jar: replay, headers: HTML });
  assert.equal(hp.status, 303, 'the ended session is sent to the login page');
  assert.ok(!hp.text.includes('Sofie'), 'and gets no case content');
  const hj = await w.srv.request('GET', `/api/v1/cases/${id}`, { jar: replay, headers: JSON_ACCEPT });
  assert.equal(hj.status, 401);
  assert.equal((await page(w.srv, cmA)).status, 200, 'the other session of the same user goes on');
});

test('every read is audited, kept answer or not: N reads, N "viewed" entries', async () => {
  await flushAudit();
  const before = viewedCount(s.ec1.id);
  let n = 0;
  for (let i = 0; i < 3; i++) {
    assert.equal((await page(w.srv, s.ec1)).status, 200); n++;
    assert.equal((await api(w.srv, s.ec1)).status, 200); n++;
  }
  // The page path asked for JSON is the same answer as the API's.
  const neg = await w.srv.request('GET', `/cases/${id}`, { jar: s.ec1.jar, headers: JSON_ACCEPT });
  assert.equal(neg.status, 200); n++;
  assert.equal((await page(plain, s.ec1)).status, 200); n++;
  assert.equal((await api(plain, s.ec1)).status, 200); n++;
  assert.equal(n, 9);
  await expectViewed(s.ec1.id, before + n);

  // The person's own look-ups are not "viewed" entries (DESIGN.md section 4).
  const pBefore = viewedCount(s.person.id);
  await keep(s.person);
  await expectViewed(s.person.id, pBefore);

  // The person's access log counts the EC's look-ups of today.
  const my = await s.person.call('GET', '/api/v1/my/data');
  assert.equal(my.status, 200, my.text);
  const row = my.json.log.find((g) => g.who.name === 'Erik Employ' && g.day === today());
  assert.ok(row, 'the EC\'s look-ups are in the person\'s log');
});

test('recent activity on the case page lists changes, not look-ups', async () => {
  await keep(s.suph);
  // Look-ups by several people, then one change.
  for (const r of [s.ec1, s.cm1, s.supj]) await keep(r);
  const text = `A goal for the activity ${TAG}`;
  const g = await s.cm1.call('POST', `/api/v1/cases/${id}/goals`, { text });
  assert.equal(g.status, 201, g.text);
  const a = await fresh(s.suph, id, 'after a goal');
  await flushAudit();
  const views = Number(sql(w.srv.db, `SELECT count(*) FROM audit_log WHERE case_id = ${id} AND action = 'viewed'`).stdout.trim());
  assert.ok(views > 10, `the case has been looked at (${views} "viewed" entries)`);
  const recent = section(a.main, 'Recent activity');
  assert.ok(recent, 'the supervisor\'s page has the Recent activity section');
  assert.ok(!/viewed|: read /.test(recent), 'no look-ups in the recent activity');
  const items = recent.match(/<li>[\s\S]*?<\/li>/g) || [];
  assert.ok(items.length > 0,
    `changes are listed (also empty on the page built without the cache): ${JSON.stringify(recent.slice(0, 300))}`);
  assert.ok(items.length <= 10, 'at most ten');
  assert.match(items[0], /Carla Care \(Care manager\): Wrote shared notes from meetings/, 'the newest change, the goal, comes first');
});

test('a change only the audit log records (an activation link) reaches the kept page', async (t) => {
  // A server with the longest group-commit window, so an entry that goes
  // through the writer's queue is certainly not written for a second.
  const slow = await startServer({
    db: w.srv.db, dir: fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-test-slow-')),
    args: ['--audit-commit-ms', '1000'],
  });
  // A person without a password yet: only for them is a link made.
  const id = await newCase(`Aud Activation ${TAG}`, '0404801234');
  try {
    const rev = () => sql(w.srv.db, `SELECT rev FROM cases WHERE id = ${id}`).stdout.trim();
    const activityTop = async () => {
      const a = await fresh(s.suph, id, 'after an activation link');
      const recent = section(a.main, 'Recent activity') || '';
      return (recent.match(/<li>[\s\S]*?<\/li>/g) || [])[0] || `(none: ${JSON.stringify(recent.slice(0, 200))})`;
    };
    const want = /Erik Employ \(Employment consultant\): Wrote the case&#39;s basic details/;
    await keep(s.suph, id);
    const rev0 = rev();
    const r = await slow.request('POST', `/api/v1/cases/${id}/activation`, {
      jar: s.ec1.jar, body: {}, headers: { Accept: 'application/json', 'X-CSRF-Token': s.ec1.csrf },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(rev(), rev0, 'no case row changed: only the audit log records the link');

    await t.test('the very next read lists it (the write\'s audit entry commits with the write)', async () => {
      assert.match(await activityTop(), want);
    });
    await t.test('once its audit entry is written, the kept page is not served again', async () => {
      const f = await slow.request('GET', `/api/v1/cases/${id}/access-log`, { jar: s.suph.jar, headers: JSON_ACCEPT });
      assert.equal(f.status, 200, f.text); // flushes slow's audit writer
      assert.match(await activityTop(), want);
    });
  } finally {
    await slow.stop();
    slow.cleanup();
  }
});

test('a read with a query string is built afresh and audited with its purpose', async () => {
  await keep(s.ec1);
  const plainPage = await page(w.srv, s.ec1);
  const q = await page(w.srv, s.ec1, id, `?purpose=cache-page-${TAG}`);
  assert.equal(q.status, 200);
  sameText(main(q.text), main(plainPage.text), 'the case content with ?purpose=');
  const qj = await api(w.srv, s.ec1, id, `?purpose=cache-json-${TAG}`);
  assert.equal(qj.status, 200, qj.text);
  assert.equal(qj.parseJson().id, id);
  assert.equal((await page(w.srv, s.ec1)).status, 200);
  await flushAudit();
  const rows = sql(w.srv.db, `SELECT '<' || purpose || '>' FROM audit_log WHERE case_id = ${id} AND actor_id = ${s.ec1.id} ` +
    "AND action = 'viewed' ORDER BY id DESC LIMIT 3");
  assert.equal(rows.status, 0, rows.stderr);
  assert.deepEqual(rows.stdout.trim().split('\n'), ['<>', `<cache-json-${TAG}>`, `<cache-page-${TAG}>`],
    'newest first: the plain read, the JSON with its purpose, the page with its purpose');
});

test('the same session gets byte-identical answers with and without the cache', async () => {
  for (const who of ['person', 'cm1', 'ec1', 'suph', 'supj']) {
    for (const lang of ['en', 'da']) {
      const sess = s[who];
      sess.jar.set('lang', lang);
      try {
        for (let i = 0; i < 2; i++) { // the second from the table
          const h = await page(w.srv, sess);
          const h0 = await page(plain, sess);
          assert.equal(h.status, 200);
          sameText(h.text, h0.text, `${who} ${lang} page, read ${i + 1}`);
          const j = await api(w.srv, sess);
          const j0 = await api(plain, sess);
          sameText(j.text, j0.text, `${who} ${lang} JSON, read ${i + 1}`);
          assert.equal(h.headers['content-type'], h0.headers['content-type']);
          assert.equal(j.headers['content-type'], j0.headers['content-type']);
          assert.equal(h.headers['cache-control'], h0.headers['cache-control']);
        }
      } finally {
        sess.jar.set('lang', 'en');
      }
    }
  }
});

// SQLite only: the database is changed with the sqlite3 tool and the CLI.
const sqliteOnly = PG_DIR ? 'the harness runs every server on PostgreSQL (sqlite3 changes the file)' : false;

function sqlite3(q) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', w.srv.db, q], { encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

test('changes made behind the server\'s back are seen (SQLite)', { skip: sqliteOnly }, async (t) => {
  await t.test('a name changed with sqlite3', async () => {
    await keep(s.ec1);
    await keep(s.suph);
    sqlite3(`UPDATE users SET name = 'Carla Renamed ${TAG}' WHERE username = 'cm1'`);
    try {
      for (const r of [s.ec1, s.suph]) {
        const a = await fresh(r, id, 'after a rename with sqlite3');
        assert.ok(a.main.includes(`<dt>Care manager</dt><dd>Carla Renamed ${TAG}</dd>`), `${r.username}: the new name`);
        assert.equal(a.json.care_manager.name, `Carla Renamed ${TAG}`);
      }
      await keep(s.ec1);
    } finally {
      sqlite3("UPDATE users SET name = 'Carla Care' WHERE username = 'cm1'");
    }
    const back = await fresh(s.ec1, id, 'after the name is put back');
    assert.ok(back.main.includes('<dt>Care manager</dt><dd>Carla Care</dd>'));
  });

  await t.test('a team membership added with sqlite3', async () => {
    const name = `Nina Newcomer ${TAG}`;
    ibbisOk(['user', 'add', '--role', 'care_manager', '--org', 'Region Psykiatri', '--name', name,
      '--db', w.srv.db, `nina${TAG}`], { input: `${PASSWORD}\n` });
    // The health side hands over the care manager: its supervisor's page.
    await keep(s.suph);
    assert.ok(!(await fresh(s.suph)).main.includes(name), 'not in the team yet');
    await keep(s.suph);
    sqlite3(`INSERT INTO memberships (team_id, user_id, role, fraction, from_date) VALUES (${w.teams.A.id}, ` +
      `(SELECT id FROM users WHERE username = 'nina${TAG}'), 'care_manager', 1, '${today(-1)}')`);
    const a = await fresh(s.suph, id, 'after a membership with sqlite3');
    assert.match(a.main, new RegExp(`<option value="\\d+">${name} \\(Care manager\\)</option>`),
      'the new team member is offered for a handover');
  });

  await t.test('ibbis sweep while the servers run', async () => {
    const cid = await newCase(`Svend Sweep ${TAG}`, '0303801234');
    await keep(s.ec1, cid);
    const before = await fresh(s.ec1, cid);
    assert.equal(Number(sqlite3(`SELECT count(*) FROM tasks WHERE case_id = ${cid}`)), 0, 'no tasks before the sweep');
    ibbisOk(['sweep', '--db', w.srv.db]);
    const kinds = sqlite3(`SELECT kind FROM tasks WHERE case_id = ${cid} AND done = 0 ORDER BY due, id`)
      .split('\n').filter(Boolean);
    assert.ok(kinds.length > 0, 'the sweep made open deadline tasks for the case');
    const a = await fresh(s.ec1, cid, 'after ibbis sweep');
    assert.ok(a.html !== before.html, 'the page changed (also unchanged on the page built without the cache)');
    const open = section(a.main, 'Open tasks');
    // Each kind by its English name from the catalogue (the page shows
    // labels, not the stored kind).
    const po = fs.readFileSync(path.join(__dirname, '../../locale/plans/en.po'), 'utf8');
    for (const k of kinds.slice(0, 10)) {
      const m = po.match(new RegExp(`msgid "plans\\.task\\.kind\\.${k}"\\nmsgstr "([^"]*)"`));
      assert.ok(m, `the catalogue names the task kind ${k}`);
      assert.ok(open.includes(m[1]), `the task ${k} ("${m[1]}") is under Open tasks (also missing from the page built without the cache)`);
      assert.ok(!open.includes(k), `${k} is shown by its name, not its code`);
    }
  });
});
