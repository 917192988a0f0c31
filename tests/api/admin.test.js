'use strict';
// The administrator's pages (docs/web.md, "The administrator"): home,
// organisations, sites, teams and memberships, accounts. Pages in both
// languages, forms posted as a browser without JavaScript does, each failure
// naming its field and keeping what was typed, each success saying so; no
// one else may change anything, and nothing here shows case content.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');
const { Jar, loginJson } = require('./lib/server');

let w;
let s;
test.before(async () => { w = await makeWorld(); s = w.s; });
test.after(async () => { if (w) await w.cleanup(); });

const page = (who, p, lang) => w.srv.request('GET', p, {
  jar: who.jar, headers: Object.assign({ Accept: 'text/html' }, lang ? { 'Accept-Language': lang } : {}),
});
const post = (who, p, form) => w.srv.request('POST', p, {
  jar: who.jar, form: Object.assign({ csrf_token: who.csrf }, form), headers: { Accept: 'text/html' },
});
function summaryHref(html) {
  const m = html.match(/data-module="error-summary"[\s\S]*?<a href="#([^"]+)"/);
  return m && m[1];
}

test('the administrator\'s home says what they can do, in English and Danish', async () => {
  const en = await page(s.admin, '/', 'en');
  assert.strictEqual(en.status, 200);
  for (const href of ['/admin/accounts', '/teams', '/sites', '/admin/organisations']) {
    assert.ok(en.text.includes(`href="${href}"`), `home links ${href}`);
  }
  assert.ok(en.text.includes('What you can do as administrator'));
  const da = await page(s.admin, '/?lang=da');
  assert.ok(da.text.includes('Det kan du som administrator'));
  assert.ok(da.text.includes('Opret en bruger til en ny kollega'));
  await page(s.admin, '/?lang=en'); // ?lang= is remembered: back to English
  // The same at /admin; others may not.
  assert.strictEqual((await page(s.admin, '/admin')).status, 200);
  assert.strictEqual((await page(s.cm1, '/admin')).status, 403);
});

test('organisations: a page, a form; an empty form names the field; a new one is listed', async () => {
  const p = await page(s.admin, '/admin/organisations');
  assert.strictEqual(p.status, 200);
  assert.ok(p.text.includes('Region Psykiatri') && p.text.includes('Jobcenter Nord'));
  const empty = await post(s.admin, '/admin/organisations', { name: '', kind: '' });
  assert.strictEqual(empty.status, 400);
  assert.strictEqual(summaryHref(empty.text), 'org-name');
  const nokind = await post(s.admin, '/admin/organisations', { name: 'Jobcenter Syd' });
  assert.strictEqual(nokind.status, 400);
  assert.strictEqual(summaryHref(nokind.text), 'org-kind-health');
  assert.ok(nokind.text.includes('value="Jobcenter Syd"'), 'the typed name is kept');
  const ok = await post(s.admin, '/admin/organisations', { name: 'Jobcenter Syd', kind: 'jobcentre' });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(ok.headers.location, '/admin/organisations?flash=created');
  const after = await page(s.admin, ok.headers.location);
  assert.ok(after.text.includes('Jobcenter Syd') && after.text.includes('It has been created.'));
  const again = await post(s.admin, '/admin/organisations', { name: 'Jobcenter Syd', kind: 'health' });
  assert.strictEqual(again.status, 409);
  assert.ok(again.text.includes('There is already an organisation with this name.'));
  assert.strictEqual((await post(s.cm1, '/admin/organisations', { name: 'X', kind: 'health' })).status, 403);
});

test('sites: a page for everyone (not raw JSON), the form for the administrator; JSON stays', async () => {
  const mine = await page(s.cm1, '/sites');
  assert.strictEqual(mine.status, 200);
  assert.match(mine.headers['content-type'], /^text\/html/);
  assert.ok(mine.text.includes('Sundhedshuset'));
  assert.ok(!mine.text.includes('action="/sites"'), 'no form for a care manager');
  const json = await s.cm1.call('GET', '/api/v1/sites');
  assert.ok(Array.isArray(json.json.sites));
  const empty = await post(s.admin, '/sites', { name: '', address: 'Vej 2' });
  assert.strictEqual(empty.status, 400);
  assert.strictEqual(summaryHref(empty.text), 'site-name');
  assert.ok(empty.text.includes('value="Vej 2"'));
  const ok = await post(s.admin, '/sites', { name: 'Jobhuset', address: 'Vestergade 4, 8000 Aarhus C' });
  assert.strictEqual(ok.status, 303);
  const list = await page(s.admin, '/sites?lang=da');
  assert.ok(list.text.includes('Vestergade 4, 8000 Aarhus C'));
  assert.ok(list.text.includes('<h1>Steder</h1>'));
  await page(s.admin, '/sites?lang=en');
  assert.strictEqual((await post(s.ec1, '/sites', { name: 'Nope' })).status, 403);
});

test('teams: create one, add a part-time member from/to, end the membership', async () => {
  const list = await page(s.admin, '/teams');
  assert.ok(list.text.includes('action="/teams"'), 'the new-team form');
  const empty = await post(s.admin, '/teams', { name: '', site: '' });
  assert.strictEqual(empty.status, 400);
  assert.strictEqual(summaryHref(empty.text), 'team-name');
  const made = await post(s.admin, '/teams', { name: 'Team C', site: 'Sundhedshuset' });
  assert.strictEqual(made.status, 303);
  const tid = made.headers.location.match(/^\/teams\/(\d+)\?flash=created$/)[1];
  const team = await page(s.admin, `/teams/${tid}`);
  assert.ok(team.text.includes(`action="/teams/${tid}/members"`));
  assert.ok(team.text.includes(`>${s.cm2.me.name} (`), 'staff to choose from');
  // Empty: the person is named first.
  const none = await post(s.admin, `/teams/${tid}/members`, { user: '', role: '', fraction: '1', from: '', to: '' });
  assert.strictEqual(none.status, 400);
  assert.strictEqual(summaryHref(none.text), 'member-user');
  // A care manager as a job consultant: the role is named, the choices kept.
  const wrong = await post(s.admin, `/teams/${tid}/members`,
    { user: String(s.cm2.id), role: 'employment_consultant', fraction: '0.5', from: today(), to: '' });
  assert.strictEqual(wrong.status, 400);
  assert.strictEqual(summaryHref(wrong.text), 'member-role');
  assert.match(wrong.text, new RegExp(`<option value="${s.cm2.id}" selected>`));
  assert.match(wrong.text, /<option value="0.5" selected>50 %<\/option>/);
  const added = await post(s.admin, `/teams/${tid}/members`,
    { user: String(s.cm2.id), role: 'care_manager', fraction: '0.5', from: today(), to: today(90) });
  assert.strictEqual(added.status, 303);
  assert.strictEqual(added.headers.location, `/teams/${tid}?flash=added#members`);
  const json = (await s.admin.call('GET', `/api/v1/teams/${tid}`)).json;
  assert.strictEqual(json.members.length, 1);
  const m = json.members[0];
  assert.deepStrictEqual([m.user, m.role, m.fraction, m.from, m.to],
    [s.cm2.id, 'care_manager', 0.5, today(), today(90)]);
  const shown = await page(s.admin, `/teams/${tid}?flash=added`);
  assert.ok(shown.text.includes('It has been added.'));
  assert.ok(shown.text.includes('50 %') || shown.text.includes('50%'));
  // End it: an empty date names the field, on this team's page.
  const endEmpty = await post(s.admin, `/teams/${tid}/members/${m.id}/end`, { to: '' });
  assert.strictEqual(endEmpty.status, 400);
  assert.strictEqual(summaryHref(endEmpty.text), `end-${m.id}`);
  const ended = await post(s.admin, `/teams/${tid}/members/${m.id}/end`, { to: today(30) });
  assert.strictEqual(ended.status, 303);
  assert.strictEqual((await s.admin.call('GET', `/api/v1/teams/${tid}`)).json.members[0].to, today(30));
  // Another team's membership through this team's address: not found.
  const other = (await s.admin.call('GET', `/api/v1/teams/${w.teams.A.id}`)).json.members[0];
  assert.strictEqual((await post(s.admin, `/teams/${tid}/members/${other.id}/end`, { to: today() })).status, 404);
  assert.strictEqual((await s.admin.call('GET', `/api/v1/teams/${w.teams.A.id}`)).json.members[0].to, other.to);
});

test('accounts: create, change role, disable and enable; the administrator cannot lock themself out', async () => {
  const p = await page(s.admin, '/admin/accounts');
  assert.strictEqual(p.status, 200);
  assert.ok(p.text.includes('Carla Care') && p.text.includes('This is you.'));
  const empty = await post(s.admin, '/admin/accounts', {});
  assert.strictEqual(empty.status, 400);
  assert.strictEqual(summaryHref(empty.text), 'account-username');
  // The summary lists every error of the form, each linked to its field
  // and each field with its own message.
  const summary = empty.text.slice(empty.text.indexOf('data-module="error-summary"'));
  const links = [...summary.slice(0, summary.indexOf('</ul>')).matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1]);
  assert.deepStrictEqual(links, ['account-username', 'account-name', 'account-role', 'account-password']);
  for (const f of ['username', 'name', 'role', 'password']) {
    assert.match(empty.text, new RegExp(`id="account-${f}-error">[^<]+<`), `${f} has its own message`);
  }
  assert.ok(!/id="account-name-error">[^<]*user name/i.test(empty.text), 'the name field does not repeat the user name message');
  const api = await s.admin.call('POST', '/api/v1/admin/accounts', {});
  assert.strictEqual(api.status, 400);
  assert.deepStrictEqual([api.json.error.field, ...api.json.error.more.map((m) => m.field)],
    ['username', 'name', 'role', 'password'], 'JSON names every field too');
  const noorg = await post(s.admin, '/admin/accounts',
    { name: 'Kari Hansen', username: 'kari', role: 'care_manager', organisation: '', password: 'long enough pw' });
  assert.strictEqual(noorg.status, 400);
  assert.strictEqual(summaryHref(noorg.text), 'account-org');
  assert.ok(noorg.text.includes('value="Kari Hansen"'));
  assert.ok(!noorg.text.includes('long enough pw'), 'the password is never sent back');
  const made = await post(s.admin, '/admin/accounts', {
    name: 'Kari Hansen', username: 'kari', role: 'care_manager', organisation: 'Region Psykiatri',
    language: 'da', password: 'long enough pw',
  });
  assert.strictEqual(made.status, 303, made.text.slice(0, 300));
  const id = Number(made.headers.location.match(/#account-(\d+)$/)[1]);
  const taken = await post(s.admin, '/admin/accounts', {
    name: 'Kari Two', username: 'kari', role: 'researcher', password: 'long enough pw',
  });
  assert.strictEqual(taken.status, 409);
  assert.strictEqual(summaryHref(taken.text), 'account-username');
  // The new colleague logs in.
  const { res } = await loginJson(w.srv, 'kari', 'long enough pw', new Jar());
  assert.strictEqual(res.status, 200);
  // Role: supervisor; a care manager cannot become a job consultant in a health organisation.
  const sup = await post(s.admin, `/admin/accounts/${id}/role`, { role: 'supervisor' });
  assert.strictEqual(sup.status, 303);
  const bad = await post(s.admin, `/admin/accounts/${id}/role`, { role: 'employment_consultant' });
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(summaryHref(bad.text), `role-${id}`);
  // Disable: the login fails; enable: it works again.
  const off = await post(s.admin, `/admin/accounts/${id}/disabled`, { disabled: '1' });
  assert.strictEqual(off.status, 303);
  assert.match(off.headers.location, /flash=disabled/);
  assert.strictEqual((await loginJson(w.srv, 'kari', 'long enough pw', new Jar())).res.status, 401);
  const disabledPage = await page(s.admin, '/admin/accounts?lang=da');
  assert.ok(disabledPage.text.includes('Spærret'));
  await page(s.admin, '/admin/accounts?lang=en');
  assert.strictEqual((await post(s.admin, `/admin/accounts/${id}/disabled`, { disabled: '0' })).status, 303);
  assert.strictEqual((await loginJson(w.srv, 'kari', 'long enough pw', new Jar())).res.status, 200);
  // Not oneself, and no one else.
  assert.strictEqual((await post(s.admin, `/admin/accounts/${s.admin.id}/disabled`, { disabled: '1' })).status, 409);
  assert.strictEqual((await post(s.suph, `/admin/accounts/${id}/disabled`, { disabled: '1' })).status, 403);
  assert.strictEqual((await page(s.suph, '/admin/accounts')).status, 403);
});

test('administrator actions are audited, from the web and the command line, and listed on /admin/log', async () => {
  const { ibbisOk } = require('./lib/server');
  const org = await post(s.admin, '/admin/organisations', { name: 'Audit Jobcenter', kind: 'jobcentre' });
  assert.strictEqual(org.status, 303);
  const site = await post(s.admin, '/sites', { name: 'Audit Huset', address: 'Vej 1, 8000 Aarhus C' });
  assert.strictEqual(site.status, 303, site.text.slice(0, 300));
  const made = await post(s.admin, '/admin/accounts', {
    name: 'Audit Person', username: 'auditp', role: 'employment_consultant', organisation: 'Audit Jobcenter',
    password: 'long enough pw',
  });
  assert.strictEqual(made.status, 303);
  const id = Number(made.headers.location.match(/#account-(\d+)$/)[1]);
  assert.strictEqual((await post(s.admin, `/admin/accounts/${id}/role`, { role: 'supervisor' })).status, 303);
  assert.strictEqual((await post(s.admin, `/admin/accounts/${id}/disabled`, { disabled: '1' })).status, 303);
  // The command line, on the same database (SQLite; PostgreSQL by its URL).
  ibbisOk(['user', 'enable', '--db', w.srv.db, 'auditp']);
  const log = await page(s.admin, '/admin/log?lang=en');
  assert.strictEqual(log.status, 200);
  const rows = [...log.text.matchAll(/<tr><th scope="row"[^>]*>[^<]*<\/th><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td><\/tr>/g)]
    .map((m) => `${m[1]} | ${m[2]}`);
  const want = [
    'The command line | Enabled an account: auditp',
    'Ada Admin | Disabled an account: auditp',
    'Ada Admin | Changed a role: auditp (employment_consultant → supervisor)',
    'Ada Admin | Created an account: auditp (employment_consultant)',
    'Ada Admin | Created a site: Audit Huset',
    'Ada Admin | Created an organisation: Audit Jobcenter (jobcentre)',
  ];
  assert.deepStrictEqual(rows.slice(0, want.length), want);
  for (const t of ['Created a team: ', 'Added a member to a team: ', 'Ended a membership: ']) {
    assert.ok(rows.some((r) => r.includes(t)), `the earlier team test's "${t}" is listed`);
  }
  const da = await page(s.admin, '/admin/log?lang=da');
  assert.ok(da.text.includes('Administratorhandlinger') && da.text.includes('Spærrede en bruger: auditp'));
  await page(s.admin, '/admin/log?lang=en');
  const home = await page(s.admin, '/admin');
  assert.ok(home.text.includes('href="/admin/log"'), 'the home links the log');
  assert.strictEqual((await page(s.suph, '/admin/log')).status, 403, 'only the administrator');
});
