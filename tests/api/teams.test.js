'use strict';
// Teams: creation by an administrator, membership rules, listing per
// actor, ending a membership, sites, and the organisation chart page.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');

let w;
test.before(async () => { w = await makeWorld(); });
test.after(async () => { if (w) await w.cleanup(); });

const member = (id, role, extra = {}) => Object.assign({ user: id, role, from: today(-10) }, extra);

test('the world team has the documented shape', () => {
  const A = w.teams.A;
  assert.strictEqual(A.name, 'Team A');
  assert.strictEqual(A.site, 'Sundhedshuset');
  assert.strictEqual(A.members.length, 6);
  const carla = A.members.find((m) => m.user === w.s.cm1.id);
  assert.strictEqual(carla.name, 'Carla Care');
  assert.strictEqual(carla.role, 'care_manager');
  assert.strictEqual(carla.organisation, 'Region Psykiatri');
  assert.strictEqual(carla.kind, 'health');
  assert.strictEqual(carla.fraction, 1);
  assert.strictEqual(carla.from, today(-400));
  assert.strictEqual(carla.to, null);
  const jens = A.members.find((m) => m.user === w.s.supj.id);
  assert.strictEqual(jens.kind, 'jobcentre');
  assert.strictEqual(w.teams.B.site, null);
});

test('only an administrator creates teams', async () => {
  const r = await w.s.suph.call('POST', '/api/v1/teams', { name: 'Sneaky' });
  assert.strictEqual(r.status, 403);
});

test('a part-time member and a new site', async () => {
  const r = await w.s.admin.call('POST', '/api/v1/teams', {
    name: 'Team C', site: 'Jobhuset', members: [member(w.s.cm2.id, 'care_manager', { fraction: 0.5 })],
  });
  assert.strictEqual(r.status, 201, r.text);
  assert.strictEqual(r.json.site, 'Jobhuset');
  assert.strictEqual(r.json.members[0].fraction, 0.5);
  const sites = await w.s.admin.call('GET', '/api/v1/sites');
  assert.deepStrictEqual(sites.json.sites.map((s) => s.name).sort(), ['Jobhuset', 'Sundhedshuset']);
});

test('bad team input names the field', async () => {
  const cases = [
    [{}, 'name'],
    [{ name: 'Team A' }, 'name'], // taken: 409
    [{ name: 'X1', members: 'cm1' }, 'members'],
    [{ name: 'X2', members: [member(w.s.ec1.id, 'care_manager')] }, 'members[0].role'],
    [{ name: 'X3', members: [member(w.s.cm1.id, 'employment_consultant')] }, 'members[0].role'],
    [{ name: 'X4', members: [member(w.s.cm1.id, 'boss')] }, 'members[0].role'],
    [{ name: 'X5', members: [member(99999, 'care_manager')] }, 'members[0].user'],
    [{ name: 'X6', members: [member(w.s.cm1.id, 'care_manager', { fraction: 0 })] }, 'members[0].fraction'],
    [{ name: 'X7', members: [member(w.s.cm1.id, 'care_manager', { fraction: 1.5 })] }, 'members[0].fraction'],
    [{ name: 'X8', members: [member(w.s.cm1.id, 'care_manager', { from: '2024-02-30' })] }, 'members[0].from'],
    [{ name: 'X9', members: [member(w.s.cm1.id, 'care_manager', { from: '2024-03-01', to: '2024-02-01' })] }, 'members[0].to'],
    [{ name: 'X10', members: [member(w.s.res.id, 'supervisor')] }, 'members[0].role'],
  ];
  for (const [body, field] of cases) {
    const r = await w.s.admin.call('POST', '/api/v1/teams', body);
    assert.ok(r.status === 400 || r.status === 409, `${JSON.stringify(body)}: ${r.status}`);
    assert.strictEqual(r.json.error.field, field, JSON.stringify(body));
    assert.ok(r.json.error.message.length > 0);
  }
  // Nothing half written: the failed teams do not exist.
  const all = await w.s.admin.call('GET', '/api/v1/teams');
  assert.ok(!all.json.teams.some((t) => /^X\d+$/.test(t.name)));
});

test('a supervisor may be at either kind of organisation', async () => {
  const r = await w.s.admin.call('POST', '/api/v1/teams', {
    name: 'Team S', members: [member(w.s.suph.id, 'supervisor'), member(w.s.supj.id, 'supervisor')],
  });
  assert.strictEqual(r.status, 201, r.text);
  assert.deepStrictEqual(r.json.members.map((m) => m.kind).sort(), ['health', 'jobcentre']);
});

test('listing: admin sees all, a member only their teams', async () => {
  const all = await w.s.admin.call('GET', '/api/v1/teams');
  assert.ok(all.json.teams.length >= 2);
  const mine = await w.s.suph2.call('GET', '/api/v1/teams');
  assert.deepStrictEqual(mine.json.teams.map((t) => t.name), ['Team B']);
  const other = await w.s.suph2.call('GET', `/api/v1/teams/${w.teams.A.id}`);
  assert.strictEqual(other.status, 403);
  const own = await w.s.cm1.call('GET', `/api/v1/teams/${w.teams.A.id}`);
  assert.strictEqual(own.status, 200);
  const none = await w.s.admin.call('GET', '/api/v1/teams/99999');
  assert.strictEqual(none.status, 404);
});

test('turnover: adding and ending a membership', async () => {
  const add = await w.s.admin.call('POST', `/api/v1/teams/${w.teams.B.id}/members`,
    member(w.s.ec2.id, 'employment_consultant', { fraction: 0.8 }));
  assert.strictEqual(add.status, 201, add.text);
  const mid = add.json.membership_id;
  assert.ok(add.json.members.some((m) => m.id === mid && m.fraction === 0.8));
  const bad = await w.s.admin.call('PATCH', `/api/v1/memberships/${mid}`, { to: '2000-01-01' });
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'to');
  const end = await w.s.admin.call('PATCH', `/api/v1/memberships/${mid}`, { to: today() });
  assert.strictEqual(end.status, 200, end.text);
  assert.strictEqual(end.json.members.find((m) => m.id === mid).to, today());
  const none = await w.s.admin.call('PATCH', '/api/v1/memberships/99999', { to: today() });
  assert.strictEqual(none.status, 404);
  const noteam = await w.s.admin.call('POST', '/api/v1/teams/99999/members', member(w.s.ec2.id, 'employment_consultant'));
  assert.strictEqual(noteam.status, 404);
  const notadmin = await w.s.supj.call('POST', `/api/v1/teams/${w.teams.B.id}/members`, member(w.s.ec2.id, 'employment_consultant'));
  assert.strictEqual(notadmin.status, 403);
});

test('the team page draws an accessible organisation chart in both languages', async () => {
  for (const [lang, health, job] of [['en', 'Health side', 'Jobcentre side'], ['da', 'Psykiatrien (regionen)', 'Jobcentret (kommunen)']]) {
    const r = await w.s.cm1.call('GET', `/teams/${w.teams.A.id}?lang=${lang}`, undefined, { headers: { Accept: 'text/html' } });
    assert.strictEqual(r.status, 200);
    assert.match(r.text, /<svg[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    assert.match(r.text, /<title id="chart-title">/);
    assert.match(r.text, /<desc id="chart-desc">/);
    assert.ok(r.text.includes(health) && r.text.includes(job));
    // The same people as text, for screen readers: in the SVG and in the lists.
    for (const name of ['Carla Care', 'Erik Employ', 'Jens Job-Supervisor']) {
      assert.ok(r.text.split(name).length - 1 >= 3, `${name} in chart, lists and table`);
    }
  }
  await w.s.cm1.call('GET', '/?lang=en', undefined, { headers: { Accept: 'text/html' } });
});
