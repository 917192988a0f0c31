'use strict';
// The trust pulse (DESIGN.md 5a): after a held roundtable the service user
// may answer four 1-5 items and a free text; only they ever see it.

const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld } = require('./lib/world');

let w;
let held;
let planned;
test.before(async () => {
  w = await makeWorld();
  const { cm1 } = w.s;
  const mk = async (days) => {
    const r = await cm1.call('POST', `/api/v1/cases/${w.kase.id}/meetings`,
      { kind: 'roundtable', start: `${w.today(days)}T10:00`, duration: 60 });
    if (r.status !== 201) throw new Error(`meeting: ${r.status} ${r.text}`);
    return r.json.id;
  };
  held = await mk(-2);
  planned = await mk(5);
  const r = await cm1.call('PATCH', `/api/v1/meetings/${held}`, { status: 'held' });
  if (r.status !== 200) throw new Error(`held: ${r.status} ${r.text}`);
});
test.after(async () => { if (w) await w.cleanup(); });

const SECRET = 'I was nervous about money but felt heard';

test('no pulse before the roundtable is held', async () => {
  const { person } = w.s;
  const g = await person.call('GET', `/api/v1/meetings/${planned}/pulse`);
  assert.equal(g.status, 200);
  assert.equal(g.json.available, false);
  const r = await person.call('POST', `/api/v1/meetings/${planned}/pulse`, { safe: 4 });
  assert.equal(r.status, 409);
});

test('values are validated and the field is named', async () => {
  const { person } = w.s;
  const cases = [
    [{ safe: 6 }, 'safe'], [{ same_goal: 0 }, 'same_goal'], [{ next_steps: 'abc' }, 'next_steps'],
    [{ listened: 2.5 }, 'listened'], [{ safe: 3, listened: -1 }, 'listened'], [{}, 'safe'],
  ];
  for (const [body, field] of cases) {
    const r = await person.call('POST', `/api/v1/meetings/${held}/pulse`, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.field, field, JSON.stringify(body));
  }
  const g = await person.call('GET', `/api/v1/meetings/${held}/pulse`);
  assert.equal(g.json.answered, false, 'refused answers write nothing');
});

test('the person answers, reads their answer back, and may change it', async () => {
  const { person } = w.s;
  let r = await person.call('POST', `/api/v1/meetings/${held}/pulse`,
    { safe: 4, same_goal: 5, next_steps: 3, listened: 5, text: SECRET });
  assert.equal(r.status, 201, r.text);
  const g = await person.call('GET', `/api/v1/meetings/${held}/pulse`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.answer, { safe: 4, same_goal: 5, next_steps: 3, listened: 5, text: SECRET });

  // One answer per meeting: a second POST replaces it (200, not a new one).
  r = await person.call('POST', `/api/v1/meetings/${held}/pulse`, { safe: '2', next_steps: '4' });
  assert.equal(r.status, 200, r.text);
  const g2 = await person.call('GET', `/api/v1/meetings/${held}/pulse`);
  assert.deepEqual(g2.json.answer, { safe: 2, same_goal: null, next_steps: 4, listened: null, text: null });

  r = await person.call('POST', `/api/v1/meetings/${held}/pulse`,
    { safe: 4, same_goal: 5, next_steps: 3, listened: 5, text: SECRET });
  assert.equal(r.status, 200);
});

test('never visible to the care manager, the employment consultant or supervisors', async () => {
  for (const who of ['cm1', 'ec1', 'suph', 'supj', 'cm2', 'admin']) {
    const s = w.s[who];
    const g = await s.call('GET', `/api/v1/meetings/${held}/pulse`);
    assert.ok(g.status === 403 || g.status === 404, `${who} GET: ${g.status}`);
    assert.ok(!g.text.includes(SECRET));
    const p = await s.call('POST', `/api/v1/meetings/${held}/pulse`, { safe: 1 });
    assert.ok(p.status === 403 || p.status === 404, `${who} POST: ${p.status}`);
  }
  for (const who of ['cm1', 'ec1']) {
    const m = await w.s[who].call('GET', `/api/v1/meetings/${held}`);
    assert.equal(m.status, 200);
    assert.ok(!m.text.includes(SECRET), `${who}: the meeting does not carry the pulse`);
  }
  // The person's own answer is unchanged by the refused posts.
  const g = await w.s.person.call('GET', `/api/v1/meetings/${held}/pulse`);
  assert.equal(g.json.answer.safe, 4);
});

test('an unknown meeting is 404', async () => {
  const r = await w.s.person.call('GET', '/api/v1/meetings/999999/pulse');
  assert.equal(r.status, 404);
});

test('the pulse page: linked from My meetings, radio groups in fieldsets, both languages', async () => {
  const { person } = w.s;
  const list = await w.srv.request('GET', '/my/meetings?lang=en', { jar: person.jar, headers: { Accept: 'text/html' } });
  assert.ok(list.text.includes(`href="/meetings/${held}/pulse"`));
  assert.ok(!list.text.includes(`href="/meetings/${planned}/pulse"`), 'no pulse link before it is held');
  for (const [lang, legend] of [['en', 'I felt safe to say what I think'], ['da', 'Jeg følte mig tryg ved at sige, hvad jeg mener']]) {
    const r = await w.srv.request('GET', `/meetings/${held}/pulse?lang=${lang}`, { jar: person.jar, headers: { Accept: 'text/html' } });
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`<legend class="form-label">${legend}</legend>`), lang);
    assert.equal((r.text.match(/<fieldset/g) || []).length, 4);
    for (const name of ['safe', 'same_goal', 'next_steps', 'listened']) {
      for (let v = 1; v <= 5; v++) assert.ok(r.text.includes(`name="${name}" value="${v}"`), `${name} ${v}`);
    }
    assert.ok(r.text.includes('name="safe" value="4" checked'), 'the saved answer is pre-selected');
  }
});
