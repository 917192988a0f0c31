'use strict';
// Plan API and page (issue 4): versions, changes, validation, access, step tasks.
const test = require('node:test');
const assert = require('node:assert');
const { csrfFromHtml } = require('./lib/server');
const { makeWorld, today } = require('./lib/world');

let w;
let s;
let base;

test.before(async () => {
  w = await makeWorld();
  s = w.s;
  base = `/api/v1/cases/${w.kase.id}/plan`;
});
test.after(async () => { if (w) await w.cleanup(); });

function firstVersion() {
  return {
    steps: [
      { kind: 'treatment', text: 'Six CBT sessions about stress', responsible: s.cm1.id,
        due: today(7), status: 'planned' },
      { kind: 'return_to_work', text: 'Back at work 10 hours a week', responsible: s.ec1.id,
        due: today(14), status: 'planned', hours_per_week: 10 },
      { kind: 'return_to_work', text: 'Talk to my manager about tasks', responsible: s.person.id,
        due: today(10) },
    ],
  };
}

test('no plan yet: an empty plan, not an error', async () => {
  const r = await s.cm1.call('GET', base);
  assert.strictEqual(r.status, 200, r.text);
  const b = r.json;
  assert.strictEqual(b.version, null);
  assert.deepStrictEqual(b.steps, []);
  assert.deepStrictEqual(b.versions, []);
});

test('versions and changes', async (t) => {
  await t.test('the first PUT makes version 1 (201) with every step added', async () => {
    const r = await s.cm1.call('PUT', base, firstVersion());
    assert.strictEqual(r.status, 201, r.text);
    const b = r.json;
    assert.strictEqual(b.version, 1);
    assert.strictEqual(b.author.id, s.cm1.id);
    assert.ok(/^\d{4}-\d\d-\d\dT/.test(b.created_at));
    assert.strictEqual(b.steps.length, 3);
    assert.strictEqual(b.steps[1].hours_per_week, 10);
    assert.strictEqual(b.steps[2].status, 'planned', 'status defaults to planned');
    assert.strictEqual(b.steps[2].due, today(10));
    assert.strictEqual(b.changes.from_version, null);
    assert.strictEqual(b.changes.added.length, 3);
    assert.strictEqual(b.changes.removed.length, 0);
    assert.strictEqual(b.changes.changed.length, 0);
    const keys = new Set(b.steps.map((x) => x.key));
    assert.strictEqual(keys.size, 3, 'every step has its own key');
  });

  await t.test('a second PUT by the EC makes version 2 with added, removed, changed', async () => {
    const v1 = (await s.ec1.call('GET', base)).json;
    const [a, b2] = v1.steps;
    const r = await s.ec1.call('PUT', base, {
      steps: [
        { key: a.key, kind: a.kind, text: a.text, responsible: a.responsible, due: a.due,
          status: a.status },
        { key: b2.key, kind: 'return_to_work', text: b2.text, responsible: s.ec1.id,
          due: b2.due, status: 'in_progress', hours_per_week: 15 },
        { kind: 'treatment', text: 'Relaxation exercises at home', responsible: s.person.id,
          due: null, status: 'planned' },
      ],
    });
    assert.strictEqual(r.status, 200, r.text);
    const b = r.json;
    assert.strictEqual(b.version, 2);
    assert.strictEqual(b.author.id, s.ec1.id);
    assert.strictEqual(b.changes.from_version, 1);
    assert.strictEqual(b.changes.author.id, s.ec1.id);
    assert.deepStrictEqual(b.changes.added.map((x) => x.text), ['Relaxation exercises at home']);
    assert.deepStrictEqual(b.changes.removed.map((x) => x.text), ['Talk to my manager about tasks']);
    assert.strictEqual(b.changes.changed.length, 1);
    const ch = b.changes.changed[0];
    assert.strictEqual(ch.key, b2.key);
    const fields = Object.fromEntries(ch.fields.map((f) => [f.field, f]));
    assert.deepStrictEqual(Object.keys(fields).sort(), ['hours_per_week', 'status']);
    assert.strictEqual(fields.hours_per_week.old, 10);
    assert.strictEqual(fields.hours_per_week.new, 15);
    assert.strictEqual(fields.status.old, 'planned');
    assert.strictEqual(fields.status.new, 'in_progress');
  });

  await t.test('GET gives the latest, the list of versions, and ?version=1', async () => {
    const r = await s.cm1.call('GET', base);
    const b = r.json;
    assert.strictEqual(b.version, 2);
    assert.deepStrictEqual(b.versions.map((v) => [v.version, v.author.id]),
      [[1, s.cm1.id], [2, s.ec1.id]]);
    assert.strictEqual(b.changes.changed.length, 1);
    const old = (await s.cm1.call('GET', `${base}?version=1`)).json;
    assert.strictEqual(old.version, 1);
    assert.deepStrictEqual(old.steps.map((x) => x.text), firstVersion().steps.map((x) => x.text));
    assert.strictEqual(old.changes.added.length, 3);
  });
});

test('bad input names the field and writes nothing', async () => {
  const good = () => ({ kind: 'treatment', text: 'A step', responsible: s.cm1.id });
  const cases = [
    [{ steps: [good(), Object.assign(good(), { kind: 'holiday' })] }, 'steps[1].kind'],
    [{ steps: [Object.assign(good(), { text: '' })] }, 'steps[0].text'],
    [{ steps: [Object.assign(good(), { text: '   ' })] }, 'steps[0].text'],
    [{ steps: [Object.assign(good(), { text: 'x'.repeat(2001) })] }, 'steps[0].text'],
    [{ steps: [Object.assign(good(), { responsible: s.cm2.id })] }, 'steps[0].responsible'],
    [{ steps: [Object.assign(good(), { responsible: undefined })] }, 'steps[0].responsible'],
    [{ steps: [Object.assign(good(), { due: '2016-02-30' })] }, 'steps[0].due'],
    [{ steps: [Object.assign(good(), { status: 'finished' })] }, 'steps[0].status'],
    [{ steps: [Object.assign(good(), { hours_per_week: 10 })] }, 'steps[0].hours_per_week'],
    [{ steps: [Object.assign(good(), { kind: 'return_to_work', hours_per_week: -1 })] },
      'steps[0].hours_per_week'],
    [{ steps: [Object.assign(good(), { key: 9999 })] }, 'steps[0].key'],
    [{ steps: 'all of them' }, 'steps'],
    [{}, 'steps'],
  ];
  for (const [body, field] of cases) {
    const r = await s.cm1.call('PUT', base, body);
    assert.strictEqual(r.status, 400, `${field}: ${r.text}`);
    assert.strictEqual(r.json.error.field, field, r.text);
    assert.strictEqual(r.json.error.code, 'invalid');
  }
  const b = (await s.cm1.call('GET', base)).json;
  assert.strictEqual(b.version, 2, 'no version was written');
});

test('a stale base_version is a conflict', async () => {
  const r = await s.cm1.call('PUT', base, { base_version: 1, steps: [] });
  assert.strictEqual(r.status, 409, r.text);
  assert.strictEqual(r.json.error.field, 'base_version');
});

test('not found', async () => {
  assert.strictEqual((await s.cm1.call('GET', '/api/v1/cases/99999/plan')).status, 404);
  assert.strictEqual((await s.cm1.call('PUT', '/api/v1/cases/99999/plan', { steps: [] })).status,
    404);
  assert.strictEqual((await s.cm1.call('GET', `${base}?version=99`)).status, 404);
  const bad = await s.cm1.call('GET', `${base}?version=two`);
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'version');
});

test('the service user sees their own plan', async () => {
  const r = await s.person.call('GET', base);
  assert.strictEqual(r.status, 200, r.text);
  assert.ok(r.json.steps.length > 0);
});

test('who sees the plan', async () => {
  for (const u of ['cm1', 'ec1', 'suph', 'supj']) {
    const r = await s[u].call('GET', base);
    assert.strictEqual(r.status, 200, `${u}: ${r.text}`);
    assert.strictEqual(r.json.version, 2, u);
  }
  for (const u of ['admin', 'suph2', 'cm2', 'ec2', 'res']) {
    const r = await s[u].call('GET', base);
    assert.strictEqual(r.status, 403, `${u} must not read the plan: ${r.text}`);
    assert.ok(!r.text.includes('CBT'), u);
  }
  for (const u of ['admin', 'suph', 'suph2']) {
    const r = await s[u].call('PUT', base, { steps: [] });
    assert.strictEqual(r.status, 403, `${u} must not write the plan: ${r.text}`);
  }
});

test('plan steps become tasks for the responsible professionals', async () => {
  const plan = (await s.cm1.call('GET', base)).json;
  const cmTasks = (await s.cm1.call('GET', '/api/v1/tasks')).json.tasks
    .filter((x) => x.kind === 'plan_step');
  assert.strictEqual(cmTasks.length, 1, JSON.stringify(cmTasks));
  assert.strictEqual(cmTasks[0].due, today(7));
  assert.strictEqual(cmTasks[0].done, false);
  assert.ok(cmTasks[0].title.includes('Six CBT sessions'), cmTasks[0].title);
  assert.strictEqual(cmTasks[0].case.id, w.kase.id);
  const ecTasks = (await s.ec1.call('GET', '/api/v1/tasks')).json.tasks
    .filter((x) => x.kind === 'plan_step');
  assert.strictEqual(ecTasks.length, 1, 'the removed person-step never made one');
  const mine = (await s.person.call('GET', '/api/v1/tasks')).json.tasks
    .filter((x) => x.kind === 'plan_step');
  assert.strictEqual(mine.length, 0, 'the service user gets no plan tasks');

  // The CM's step is done, the EC's step moves to the CM: tasks follow.
  const [a, b] = plan.steps;
  const r = await s.cm1.call('PUT', base, {
    steps: [
      { key: a.key, kind: a.kind, text: a.text, responsible: a.responsible, due: a.due,
        status: 'done' },
      { key: b.key, kind: b.kind, text: b.text, responsible: s.cm1.id, due: today(21),
        status: b.status, hours_per_week: 15 },
    ],
  });
  assert.strictEqual(r.status, 200, r.text);
  const after = (await s.cm1.call('GET', '/api/v1/tasks')).json.tasks
    .filter((x) => x.kind === 'plan_step');
  assert.strictEqual(after.length, 2);
  const done = after.find((x) => x.title.includes('Six CBT'));
  assert.strictEqual(done.done, true, 'a done step marks its task done');
  const moved = after.find((x) => x.title.includes('10 hours'));
  assert.strictEqual(moved.due, today(21));
  assert.strictEqual(moved.done, false);
  const ecAfter = (await s.ec1.call('GET', '/api/v1/tasks')).json.tasks
    .filter((x) => x.kind === 'plan_step');
  assert.strictEqual(ecAfter.length, 0, 'the task moved with the responsibility');

  // A step that disappears takes its open task with it.
  const r2 = await s.cm1.call('PUT', base, {
    steps: [{ key: a.key, kind: a.kind, text: a.text, responsible: a.responsible, due: a.due,
      status: 'done' }],
  });
  assert.strictEqual(r2.status, 200, r2.text);
  const left = (await s.cm1.call('GET', '/api/v1/tasks')).json.tasks
    .filter((x) => x.kind === 'plan_step');
  assert.deepStrictEqual(left.map((x) => x.done), [true]);
});

test('the page shows the plan and saves a form as a new version', async () => {
  const page = await w.srv.request('GET', `/cases/${w.kase.id}/plan`,
    { jar: s.ec1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(page.status, 200, page.text);
  assert.ok(/text\/html/.test(page.headers['content-type']));
  assert.ok(page.text.includes('Six CBT sessions about stress'));
  assert.ok(page.text.includes('name="step_0_text"'));
  assert.ok(page.text.includes('<th scope="col">'), page.text.slice(page.text.indexOf('<main')));
  const csrf = csrfFromHtml(page.text);
  const before = (await s.ec1.call('GET', base)).json;
  const form = {
    csrf_token: csrf, base_version: String(before.version),
    step_0_key: String(before.steps[0].key), step_0_kind: 'treatment',
    step_0_text: before.steps[0].text, step_0_responsible: String(s.cm1.id),
    step_0_due: before.steps[0].due, step_0_status: 'done', step_0_hours_per_week: '',
    step_1_key: '', step_1_kind: 'return_to_work', step_1_text: 'Graded return: 20 hours',
    step_1_responsible: String(s.ec1.id), step_1_due: today(30), step_1_status: 'planned',
    step_1_hours_per_week: '20',
    step_2_key: '', step_2_kind: 'treatment', step_2_text: '', step_2_responsible: '',
    step_2_due: '', step_2_status: 'planned', step_2_hours_per_week: '',
  };
  const post = await w.srv.request('POST', `/cases/${w.kase.id}/plan`,
    { jar: s.ec1.jar, headers: { Accept: 'text/html' }, form });
  assert.strictEqual(post.status, 303, post.text);
  assert.strictEqual(post.headers.location, `/cases/${w.kase.id}/plan?flash=saved`);
  const after = (await s.ec1.call('GET', base)).json;
  assert.strictEqual(after.version, before.version + 1);
  assert.deepStrictEqual(after.steps.map((x) => x.text),
    [before.steps[0].text, 'Graded return: 20 hours']);
  assert.strictEqual(after.steps[1].hours_per_week, 20);

  const bad = await w.srv.request('POST', `/cases/${w.kase.id}/plan`, {
    jar: s.ec1.jar, headers: { Accept: 'text/html' },
    form: Object.assign({}, form, { base_version: String(after.version), step_0_key: String(after.steps[0].key), step_1_due: '2016-13-01' }),
  });
  assert.strictEqual(bad.status, 400);
  assert.ok(bad.text.includes('step_1_due'), 'the page names the field');
  assert.strictEqual((await s.ec1.call('GET', base)).json.version, after.version);

  const da = await w.srv.request('GET', `/cases/${w.kase.id}/plan?lang=da`,
    { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(da.status, 200);
  assert.ok(da.text.includes('Versioner og ændringer'));
  assert.ok(da.text.includes('Gem som ny version'));
});
