'use strict';
// Accounts (issue 14): staff never get a credential for an activated
// account; only a role's own side hands it over; one CPR number, one
// person; sessions end after an absolute lifetime and at most 20 live per
// account; the person sees their sessions on /my/data and ends them.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, session, today } = require('./lib/world');
const { Jar, csrfFromHtml, loginJson, startServer } = require('./lib/server');
const { sql } = require('./lib/sql');

let w;
test.before(async () => { w = await makeWorld(); });
test.after(async () => { if (w) await w.cleanup(); });

const html = { Accept: 'text/html' };

test('an activated account gets no new activation link: 409, the person resets it', async () => {
  for (const u of ['ec1', 'cm1']) {
    const r = await w.s[u].call('POST', `/api/v1/cases/${w.kase.id}/activation`, {});
    assert.strictEqual(r.status, 409, `${u}: ${r.text}`);
    assert.strictEqual(r.json.error.code, 'conflict');
    assert.match(r.json.error.message, /resets their own password/);
    assert.ok(!('token' in r.json), 'no credential');
  }
  const da = await w.s.ec1.call('POST', `/api/v1/cases/${w.kase.id}/activation?lang=da`, {});
  assert.strictEqual(da.status, 409);
  assert.match(da.json.error.message, /nulstiller borgeren selv sin adgangskode/);
  await w.s.ec1.call('GET', '/api/v1/me?lang=en'); // the choice is remembered
  // A supervisor still gets 403, saying who makes links.
  const sup = await w.s.suph.call('POST', `/api/v1/cases/${w.kase.id}/activation`, {});
  assert.strictEqual(sup.status, 403);
  assert.match(sup.json.error.message, /own care manager or employment consultant/);
});

test('issuing an activation link shows in the person\'s access log', async () => {
  const r = await w.s.person.call('GET', '/my/data');
  assert.strictEqual(r.status, 200, r.text);
  const ec = r.json.log.filter((g) => g.who.name === 'Erik Employ');
  assert.ok(ec.length > 0, 'the EC is in the log');
  assert.ok(ec.some((g) => g.what.includes('Made a link for you to choose your password')),
    JSON.stringify(ec));
  const da = await w.s.person.call('GET', '/my/data?lang=da');
  assert.ok(da.json.log.some((g) => g.what.includes('Lavede et link, så du kan vælge din adgangskode')));
  await w.s.person.call('GET', '/api/v1/me?lang=en');
});

async function handover(u, role, to) {
  return w.s[u].call('POST', `/api/v1/cases/${w.kase.id}/handover`, {
    role, to: w.s[to].id, reason: 'Ferie og ny fordeling', on: today(),
  });
}

test('only the health side hands over the CM role, only the jobcentre side the EC role', async () => {
  // The jobcentre never hands over the care manager.
  for (const u of ['ec1', 'supj']) {
    const r = await handover(u, 'care_manager', 'cm2');
    assert.strictEqual(r.status, 403, `${u}: ${r.text}`);
    assert.match(r.json.error.message, /Only the health side hands over the care manager role/);
  }
  // The CM and a health-side supervisor of the team do.
  let r = await handover('cm1', 'care_manager', 'cm2');
  assert.strictEqual(r.status, 201, r.text);
  assert.strictEqual(r.json.care_manager.id, w.s.cm2.id);
  assert.strictEqual((await handover('cm1', 'care_manager', 'cm1')).status, 403, 'no longer the CM');
  r = await handover('suph', 'care_manager', 'cm1');
  assert.strictEqual(r.status, 201, r.text);
  assert.strictEqual(r.json.care_manager.id, w.s.cm1.id);
  // Health never hands over the employment consultant.
  for (const u of ['cm1', 'suph']) {
    const x = await handover(u, 'employment_consultant', 'ec2');
    assert.strictEqual(x.status, 403, `${u}: ${x.text}`);
  }
  r = await handover('ec1', 'employment_consultant', 'ec2');
  assert.strictEqual(r.status, 201, r.text);
  r = await handover('supj', 'employment_consultant', 'ec1');
  assert.strictEqual(r.status, 201, r.text);
  assert.strictEqual(r.json.employment_consultant.id, w.s.ec1.id);
  // Outside the team, or the person: never.
  assert.strictEqual((await handover('suph2', 'care_manager', 'cm2')).status, 403);
  assert.strictEqual((await handover('cm2', 'care_manager', 'cm2')).status, 403);
  assert.strictEqual((await handover('person', 'care_manager', 'cm2')).status, 403);
  // A role that is neither is named in a 400.
  const bad = await handover('cm1', 'boss', 'cm2');
  assert.strictEqual(bad.status, 400, bad.text);
  assert.strictEqual(bad.json.error.field, 'role');
});

test('a referral whose CPR already has a person links to that person', async () => {
  const refer = (name, cpr) => w.s.ec1.call('POST', '/api/v1/cases', {
    name, cpr, contact: '', first_absence_day: today(-5), team: w.teams.A.id,
    care_manager: w.s.cm1.id, employment_consultant: w.s.ec1.id,
  });
  const again = await refer('Sofie S. Service', '010180-1234'); // the world's person
  assert.strictEqual(again.status, 201, again.text);
  assert.strictEqual(again.json.person.id, w.kase.person.id, 'the same person');
  assert.strictEqual(again.json.person.username, w.kase.person.username, 'no second account');
  assert.strictEqual(again.json.person.existing, true);
  assert.match(again.json.notice, /already belongs to a person/);
  // Their account is activated: still no link for staff.
  const act = await w.s.ec1.call('POST', `/api/v1/cases/${again.json.id}/activation`, {});
  assert.strictEqual(act.status, 409);
  const fresh = await refer('Ny Person', '0505051234');
  assert.strictEqual(fresh.status, 201, fresh.text);
  assert.notStrictEqual(fresh.json.person.id, w.kase.person.id);
  assert.strictEqual(fresh.json.person.existing, false);
  assert.ok(!('notice' in fresh.json));
  // A second referral of the new person, before activation, shares the
  // account, and a link for it still works.
  const twice = await refer('Ny Person', '0505051234');
  assert.strictEqual(twice.json.person.id, fresh.json.person.id);
  assert.strictEqual((await w.s.ec1.call('POST', `/api/v1/cases/${twice.json.id}/activation`, {})).status, 201);
});

const userId = (name) => Number(sql(w.srv.db, `SELECT id FROM users WHERE username = '${name}'`).stdout.trim());

test('a session ends 12 hours after login, however active', async () => {
  const s = await session(w.srv, 'res');
  const id = userId('res');
  // 11 h 58 min ago: still alive.
  sql(w.srv.db, `UPDATE sessions SET created_at = created_at - ${12 * 3600 - 120} WHERE user_id = ${id}`);
  assert.strictEqual((await s.call('GET', '/api/v1/me')).status, 200);
  // 12 h 02 min ago: ended, though last used a moment ago.
  sql(w.srv.db, `UPDATE sessions SET created_at = created_at - 240 WHERE user_id = ${id}`);
  assert.strictEqual((await s.call('GET', '/api/v1/me')).status, 401);
  const fresh = await session(w.srv, 'res');
  assert.strictEqual((await fresh.call('GET', '/api/v1/me')).status, 200);
});

test('at most 20 sessions per account: the 21st login ends the oldest', async () => {
  const jars = [];
  for (let i = 0; i < 21; i++) {
    const { res, jar } = await loginJson(w.srv, 'cm2', undefined, new Jar());
    assert.strictEqual(res.status, 200);
    jars.push(jar);
  }
  const me = (jar) => w.srv.request('GET', '/api/v1/me', { jar, headers: { Accept: 'application/json' } });
  // The world's own cm2 session and the first of these were the oldest.
  assert.strictEqual((await w.s.cm2.call('GET', '/api/v1/me')).status, 401);
  assert.strictEqual((await me(jars[0])).status, 401);
  for (const j of jars.slice(1)) assert.strictEqual((await me(j)).status, 200);
  assert.strictEqual(Number(sql(w.srv.db,
    `SELECT count(*) FROM sessions WHERE user_id = ${w.s.cm2.id}`).stdout.trim()), 20);
  w.s.cm2 = await session(w.srv, 'cm2'); // for later tests: ends jars[1]
  assert.strictEqual((await me(jars[1])).status, 401);
});

test('the person sees their sessions on /my/data and ends one (JSON)', async () => {
  const other = await session(w.srv, w.s.person.username);
  const r = await w.s.person.call('GET', '/my/data');
  assert.strictEqual(r.status, 200, r.text);
  const list = r.json.sessions;
  assert.ok(list.length >= 2, JSON.stringify(list));
  const mine = list.filter((s) => s.current);
  assert.strictEqual(mine.length, 1, 'this browser is marked');
  const theirs = list.find((s) => !s.current && s.n === Math.max(...list.map((x) => x.n)));
  assert.ok(theirs, 'the newer login is listed');
  assert.match(theirs.end_action, /^\/my\/data\/sessions\/\d+\/end$/);
  assert.match(r.json.sessions_limits, /12 hours/);
  const end = await w.s.person.call('POST', theirs.end_action, {});
  assert.strictEqual(end.status, 200, end.text);
  assert.strictEqual((await other.call('GET', '/api/v1/me')).status, 401, 'that login ended');
  assert.strictEqual((await w.s.person.call('GET', '/api/v1/me')).status, 200, 'this one lives');
  const twice = await w.s.person.call('POST', theirs.end_action, {});
  assert.strictEqual(twice.status, 404);
  assert.strictEqual(twice.json.error.field, 'n');
  // Staff have no /my pages, and the person cannot end a staff session.
  assert.strictEqual((await w.s.cm1.call('POST', '/my/data/sessions/1/end', {})).status, 403);
  // Numbers are the account's own: one the person has not got is 404,
  // and never reaches another account's session.
  const before = sql(w.srv.db, 'SELECT count(*) FROM sessions').stdout.trim();
  assert.strictEqual((await w.s.person.call('POST', '/my/data/sessions/999/end', {})).status, 404);
  assert.strictEqual(sql(w.srv.db, 'SELECT count(*) FROM sessions').stdout.trim(), before);
  assert.strictEqual((await w.s.cm1.call('GET', '/api/v1/me')).status, 200);
});

test('the sessions page and its forms, in English and Danish', async () => {
  const jar = new Jar();
  const { res } = await loginJson(w.srv, w.s.person.username, undefined, jar);
  assert.strictEqual(res.status, 200);
  const other = await session(w.srv, w.s.person.username);
  const en = await w.srv.request('GET', '/my/data', { jar, headers: html });
  assert.strictEqual(en.status, 200);
  assert.ok(en.text.includes('Where you are logged in'));
  assert.ok(en.text.includes('This browser'));
  assert.match(en.text, /After 12 hours|after 12 hours/);
  const da = await w.srv.request('GET', '/my/data?lang=da', { jar, headers: html });
  assert.ok(da.text.includes('Hvor du er logget ind'));
  assert.ok(da.text.includes('Denne browser'));
  assert.ok(da.text.includes('efter 12 timer'));
  await w.srv.request('GET', '/api/v1/me?lang=en', { jar });
  const n = sql(w.srv.db, `SELECT max(n) FROM sessions WHERE user_id = ${w.kase.person.id}`).stdout.trim();
  const action = `/my/data/sessions/${n}/end`;
  assert.ok(da.text.includes(`action="${action}"`));
  const noCsrf = await w.srv.request('POST', action, { jar, headers: html, form: { csrf_token: 'x' } });
  assert.strictEqual(noCsrf.status, 403);
  const ok = await w.srv.request('POST', action, { jar, headers: html, form: { csrf_token: csrfFromHtml(da.text) } });
  assert.strictEqual(ok.status, 303);
  assert.match(ok.headers.location, /^\/my\/data/);
  assert.strictEqual((await other.call('GET', '/api/v1/me')).status, 401);
});

test('--session-lifetime sets the absolute lifetime', async () => {
  const srv = await startServer({ users: [{ username: 'u1', role: 'care_manager', org: 'Test Psykiatri', name: 'U One' }],
    args: ['--session-lifetime', '30'] });
  try {
    const s = await session(srv, 'u1');
    sql(srv.db, 'UPDATE sessions SET created_at = created_at - 1740');
    assert.strictEqual((await s.call('GET', '/api/v1/me')).status, 200);
    sql(srv.db, 'UPDATE sessions SET created_at = created_at - 120');
    assert.strictEqual((await s.call('GET', '/api/v1/me')).status, 401);
  } finally { await srv.stop(); srv.cleanup(); }
});
