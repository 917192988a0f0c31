'use strict';
// A small intervention world for API tests, built through the real API:
// two organisations, two intersectoral teams with care managers, employment
// consultants and supervisors on both sides, a researcher and an admin, one
// referred case with an activated service user. Works on any backend.

const {
  PASSWORD, startServer, loginJson, Jar,
  dkToday,
} = require('./server');

const ORGS = [
  { name: 'Region Psykiatri', kind: 'health' },
  { name: 'Jobcenter Nord', kind: 'jobcentre' },
];
const H = 'Region Psykiatri';
const J = 'Jobcenter Nord';
const USERS = [
  { username: 'admin', role: 'admin', org: H, name: 'Ada Admin' },
  { username: 'cm1', role: 'care_manager', org: H, name: 'Carla Care' },
  { username: 'cm2', role: 'care_manager', org: H, name: 'Claus Care' },
  { username: 'ec1', role: 'employment_consultant', org: J, name: 'Erik Employ' },
  { username: 'ec2', role: 'employment_consultant', org: J, name: 'Emma Employ' },
  { username: 'suph', role: 'supervisor', org: H, name: 'Sara Health-Supervisor' },
  { username: 'supj', role: 'supervisor', org: J, name: 'Jens Job-Supervisor' },
  { username: 'suph2', role: 'supervisor', org: H, name: 'Hanne Other-Team' },
  { username: 'res', role: 'researcher', org: H, name: 'Rita Research' },
];

// Logs a user in by JSON and returns { id, username, jar, csrf, call }.
async function session(srv, username, password = PASSWORD) {
  const { res, jar } = await loginJson(srv, username, password, new Jar());
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  const me = await srv.request('GET', '/api/v1/me', { jar });
  const s = { id: me.json.id, username, jar, csrf: me.json.csrf_token, me: me.json };
  // call(method, path, body?, extra?) speaks JSON with the CSRF header.
  s.call = (method, p, body, extra = {}) => srv.request(method, p, Object.assign({
    jar,
    body,
    headers: Object.assign({ Accept: 'application/json', 'X-CSRF-Token': s.csrf },
      extra.headers || {}),
  }, extra.opts || {}));
  return s;
}

// The server's "today" is the Danish calendar day (clock_dk_day), so the
// tests' is too: between 22:00/23:00 and midnight UTC the two differ from
// the UTC date. offsetDays whole days on from it (noon avoids DST edges).
function today(offsetDays = 0) {
  const base = dkToday();
  return new Date(Date.parse(`${base}T12:00:00Z`) + offsetDays * 86400000).toISOString().slice(0, 10);
}

// Danish holidays as src/rules/holidays.c has them (a meeting planned on
// one, or on a weekend, needs confirming in the forms): fixed days, and
// days counted from Easter Sunday (store bededag until 2023).
function easterSunday(y) { // the Gregorian computus (Meeus/Jones/Butcher)
  const a = y % 19; const b = Math.floor(y / 100); const c = y % 100;
  const d = Math.floor(b / 4); const e = b % 4; const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3); const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4); const k = c % 4; const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31); const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(y, month - 1, day, 12);
}
function isWorkingDay(iso) {
  const t = Date.parse(`${iso}T12:00:00Z`);
  const wd = new Date(t).getUTCDay();
  if (wd === 0 || wd === 6) return false;
  if (['01-01', '06-05', '12-24', '12-25', '12-26', '12-31'].includes(iso.slice(5))) return false;
  const y = Number(iso.slice(0, 4));
  const fromEaster = Math.round((t - easterSunday(y)) / 86400000);
  const easter = [-3, -2, 0, 1, 39, 49, 50].concat(y <= 2023 ? [26] : []);
  return !easter.includes(fromEaster);
}
// today(offsetDays), moved to a working day if it is not one: forward, or
// backward with dir = -1 (for a day that must be in the past).
function workday(offsetDays = 0, dir = 1) {
  let k = offsetDays;
  while (!isWorkingDay(today(k))) k += dir;
  return today(k);
}

async function makeWorld(opts = {}) {
  const srv = await startServer(Object.assign({ orgs: ORGS, users: USERS }, opts.server || {}));
  const s = {};
  for (const u of USERS) s[u.username] = await session(srv, u.username);

  const member = (u, role) => ({ user: s[u].id, role, fraction: 1, from: today(-400) });
  const teamA = await s.admin.call('POST', '/api/v1/teams', {
    name: 'Team A',
    site: 'Sundhedshuset',
    members: [member('cm1', 'care_manager'), member('cm2', 'care_manager'),
      member('ec1', 'employment_consultant'), member('ec2', 'employment_consultant'),
      member('suph', 'supervisor'), member('supj', 'supervisor')],
  });
  if (teamA.status !== 201) throw new Error(`team A: ${teamA.status} ${teamA.text}`);
  const teamB = await s.admin.call('POST', '/api/v1/teams', {
    name: 'Team B',
    members: [member('suph2', 'supervisor')],
  });
  if (teamB.status !== 201) throw new Error(`team B: ${teamB.status} ${teamB.text}`);

  const referral = Object.assign({
    name: 'Sofie Service',
    cpr: '0101801234',
    contact: 'sofie@example.org, 12 34 56 78',
    first_absence_day: today(-60),
    employment: 'employee',
    absences: [{ from: today(-60), to: null }],
    earlier_benefit: [],
    team: teamA.json.id,
    care_manager: s.cm1.id,
    employment_consultant: s.ec1.id,
  }, opts.referral || {});
  const kase = await s.ec1.call('POST', '/api/v1/cases', referral);
  if (kase.status !== 201) throw new Error(`case: ${kase.status} ${kase.text}`);

  // The person's account: a one-time activation link, then their password.
  const act = await s.ec1.call('POST', `/api/v1/cases/${kase.json.id}/activation`, {});
  if (act.status !== 201) throw new Error(`activation: ${act.status} ${act.text}`);
  const token = act.json.token;
  const set = await srv.request('POST', `/activate/${token}`, {
    body: { password: PASSWORD }, headers: { Accept: 'application/json' },
  });
  if (set.status !== 200) throw new Error(`activate: ${set.status} ${set.text}`);
  s.person = await session(srv, act.json.username);

  return {
    srv, s, teams: { A: teamA.json, B: teamB.json }, kase: kase.json, today,
    cleanup: async () => { await srv.stop(); srv.cleanup(); },
  };
}

module.exports = { makeWorld, session, today, workday, isWorkingDay, USERS, ORGS };
