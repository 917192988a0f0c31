'use strict';
// "My tasks" (issue 4): own tasks only, by due date, overdue marked, done and undone.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');

let w;
let s;

test.before(async () => {
  w = await makeWorld();
  s = w.s;
  const step = (text, due) => ({ kind: 'treatment', text, responsible: s.cm1.id, due });
  const r = await s.cm1.call('PUT', `/api/v1/cases/${w.kase.id}/plan`, {
    steps: [step('In five days', today(5)), step('No date', null),
      step('Three days late', today(-3)), step('Tomorrow', today(1))],
  });
  if (r.status !== 201) throw new Error(`plan: ${r.status} ${r.text}`);
});
test.after(async () => { if (w) await w.cleanup(); });

const mine = async (u, q = '') => {
  const r = await s[u].call('GET', `/api/v1/tasks${q}`);
  assert.strictEqual(r.status, 200, r.text);
  return r.json.tasks.filter((t) => t.kind === 'plan_step');
};

test('sorted by due date, no date last, overdue marked, with the case', async () => {
  const ts = await mine('cm1');
  assert.deepStrictEqual(ts.map((t) => t.due || null), [today(-3), today(1), today(5), null]);
  assert.deepStrictEqual(ts.map((t) => t.overdue), [true, false, false, false]);
  assert.ok(ts[0].title.includes('Three days late'), ts[0].title);
  assert.deepStrictEqual([ts[0].case.id, ts[0].case.name], [w.kase.id, 'Sofie Service']);
  assert.strictEqual((await mine('ec1')).length, 0, 'another user\'s tasks are not listed');
});

test('?due_before filters, and a bad date names the field', async () => {
  const ts = await mine('cm1', `?due_before=${today(2)}`);
  assert.deepStrictEqual(ts.map((t) => t.due), [today(-3), today(1)]);
  const bad = await s.cm1.call('GET', '/api/v1/tasks?due_before=tomorrow');
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'due_before');
});

test('done and undone', async () => {
  const [late] = await mine('cm1');
  const r = await s.cm1.call('PATCH', `/api/v1/tasks/${late.id}`, { done: true });
  assert.strictEqual(r.status, 200, r.text);
  assert.strictEqual(r.json.task.done, true);
  assert.strictEqual(r.json.task.overdue, false, 'a done task is not overdue');
  const listed = (await mine('cm1')).find((t) => t.id === late.id);
  assert.strictEqual(listed.done, true, 'recently done tasks stay listed');
  const u = await s.cm1.call('PATCH', `/api/v1/tasks/${late.id}`, { done: false });
  assert.strictEqual(u.status, 200, u.text);
  assert.strictEqual(u.json.task.done, false);
  assert.strictEqual(u.json.task.overdue, true);
  const bad = await s.cm1.call('PATCH', `/api/v1/tasks/${late.id}`, { done: 'maybe' });
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'done');
});

test('another user\'s task is not found', async () => {
  const [t] = await mine('cm1');
  for (const u of ['ec1', 'suph', 'admin', 'person']) {
    const r = await s[u].call('PATCH', `/api/v1/tasks/${t.id}`, { done: true });
    assert.strictEqual(r.status, 404, `${u}: ${r.text}`);
  }
  assert.strictEqual((await s.cm1.call('PATCH', '/api/v1/tasks/99999', { done: true })).status,
    404);
  const still = (await mine('cm1')).find((x) => x.id === t.id);
  assert.strictEqual(still.done, false);
});

test('the page marks overdue with text and has a done button per task', async () => {
  const page = await w.srv.request('GET', '/tasks',
    { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(page.status, 200);
  assert.ok(page.text.includes('<span class="badge badge-error">Overdue</span>'));
  assert.ok(page.text.includes('No due date'));
  const [t] = await mine('cm1');
  assert.ok(page.text.includes(`action="/tasks/${t.id}"`));
  const post = await w.srv.request('POST', `/tasks/${t.id}`, {
    jar: s.cm1.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: s.cm1.csrf, done: 'true' },
  });
  assert.strictEqual(post.status, 303, post.text);
  assert.strictEqual(post.headers.location, '/tasks?flash=saved');
  assert.strictEqual((await mine('cm1')).find((x) => x.id === t.id).done, true);
  const da = await w.srv.request('GET', '/tasks?lang=da',
    { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.ok(da.text.includes('Mine opgaver'));
});
