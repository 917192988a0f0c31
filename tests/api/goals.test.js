'use strict';
// Goals (issue 4): in the person's own words, owned by them; edits keep the old text.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld } = require('./lib/world');

let w;
let s;
let base;

test.before(async () => {
  w = await makeWorld();
  s = w.s;
  base = `/api/v1/cases/${w.kase.id}/goals`;
});
test.after(async () => { if (w) await w.cleanup(); });

let cmGoal;

test('the CM records a goal in the person\'s words; the author is kept', async () => {
  const r = await s.cm1.call('POST', base, { text: 'I want to sleep through the night' });
  assert.strictEqual(r.status, 201, r.text);
  cmGoal = r.json.goal;
  assert.strictEqual(cmGoal.text, 'I want to sleep through the night');
  assert.strictEqual(cmGoal.status, 'active');
  assert.strictEqual(cmGoal.author.id, s.cm1.id);
  assert.strictEqual(cmGoal.case_id, w.kase.id);
  const ec = await s.ec1.call('POST', base, { text: 'Back to my job as a baker' });
  assert.strictEqual(ec.status, 201, ec.text);
  const list = await s.ec1.call('GET', base);
  assert.strictEqual(list.status, 200, list.text);
  assert.deepStrictEqual(list.json.goals.map((g) => g.text),
    ['I want to sleep through the night', 'Back to my job as a baker']);
});

test('bad input names the field', async () => {
  for (const body of [{}, { text: '' }, { text: '  \n ' }, { text: 'é'.repeat(2001) }]) {
    const r = await s.cm1.call('POST', base, body);
    assert.strictEqual(r.status, 400, r.text);
    assert.strictEqual(r.json.error.field, 'text');
  }
  const ok = await s.cm1.call('POST', base, { text: 'é'.repeat(2000) });
  assert.strictEqual(ok.status, 201, '2000 characters are allowed, counted as characters');
  const bad = await s.cm1.call('PATCH', `/api/v1/goals/${cmGoal.id}`, { status: 'finished' });
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'status');
  const none = await s.cm1.call('PATCH', `/api/v1/goals/${cmGoal.id}`, {});
  assert.strictEqual(none.status, 400);
  assert.strictEqual(none.json.error.field, 'text');
});

test('the author edits; every edit keeps the old text', async () => {
  const r = await s.cm1.call('PATCH', `/api/v1/goals/${cmGoal.id}`,
    { text: 'I want to sleep six hours a night' });
  assert.strictEqual(r.status, 200, r.text);
  const r2 = await s.cm1.call('PATCH', `/api/v1/goals/${cmGoal.id}`, { status: 'reached' });
  assert.strictEqual(r2.status, 200, r2.text);
  const g = r2.json.goal;
  assert.strictEqual(g.text, 'I want to sleep six hours a night');
  assert.strictEqual(g.status, 'reached');
  assert.deepStrictEqual(g.versions.map((v) => [v.text, v.status]), [
    ['I want to sleep through the night', 'active'],
    ['I want to sleep six hours a night', 'active'],
    ['I want to sleep six hours a night', 'reached'],
  ]);
  assert.strictEqual(g.updated_by.id, s.cm1.id);
});

test('a professional may not rewrite another\'s goal', async () => {
  const r = await s.ec1.call('PATCH', `/api/v1/goals/${cmGoal.id}`, { text: 'Something else' });
  assert.strictEqual(r.status, 403, r.text);
  const g = (await s.cm1.call('GET', `/api/v1/goals/${cmGoal.id}`)).json.goal;
  assert.strictEqual(g.text, 'I want to sleep six hours a night');
});

test('the person owns every goal of their case', async () => {
  const r = await s.person.call('PATCH', `/api/v1/goals/${cmGoal.id}`,
    { text: 'Sleep well most nights', status: 'active' });
  assert.strictEqual(r.status, 200, r.text);
  assert.strictEqual(r.json.goal.text, 'Sleep well most nights');
  const add = await s.person.call('POST', base, { text: 'See my friends again' });
  assert.strictEqual(add.status, 201, add.text);
  assert.strictEqual(add.json.goal.author.id, s.person.id);
});

test('who may read and add goals', async () => {
  for (const u of ['cm1', 'ec1', 'suph', 'supj']) {
    assert.strictEqual((await s[u].call('GET', base)).status, 200, u);
  }
  for (const u of ['admin', 'suph2', 'cm2', 'ec2', 'res']) {
    const r = await s[u].call('GET', base);
    assert.strictEqual(r.status, 403, `${u}: ${r.text}`);
    assert.strictEqual((await s[u].call('POST', base, { text: 'x' })).status, 403, u);
  }
  const sup = await s.suph.call('POST', base, { text: 'A supervisor goal' });
  assert.strictEqual(sup.status, 403, 'supervisors read goals but do not write them');
});

test('not found', async () => {
  assert.strictEqual((await s.cm1.call('GET', '/api/v1/cases/99999/goals')).status, 404);
  assert.strictEqual((await s.cm1.call('PATCH', '/api/v1/goals/99999', { text: 'x' })).status,
    404);
  assert.strictEqual((await s.cm1.call('GET', '/api/v1/goals/abc')).status, 404);
});

test('pages: list with history, and a form that adds a goal without JavaScript', async () => {
  const page = await w.srv.request('GET', `/cases/${w.kase.id}/goals`,
    { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(page.status, 200);
  assert.ok(page.text.includes('Back to my job as a baker'));
  assert.ok(page.text.includes('I want to sleep through the night'), 'old text is shown');
  assert.ok(page.text.includes('<label class="form-label" for="goal-text">'));
  const post = await w.srv.request('POST', `/cases/${w.kase.id}/goals`, {
    jar: s.cm1.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: s.cm1.csrf, text: 'Walk the dog every day' },
  });
  assert.strictEqual(post.status, 303, post.text);
  const bad = await w.srv.request('POST', `/cases/${w.kase.id}/goals`, {
    jar: s.cm1.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: s.cm1.csrf, text: '' },
  });
  assert.strictEqual(bad.status, 400);
  assert.ok(bad.text.includes('aria-describedby="goal-text-hint goal-error"'));
  const da = await w.srv.request('GET', `/cases/${w.kase.id}/goals?lang=da`,
    { jar: s.ec1.jar, headers: { Accept: 'text/html' } });
  assert.ok(da.text.includes('Tilføj et mål'));
});
