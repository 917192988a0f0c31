'use strict';
// The case list (issue 15, "Lists"): sorted by name, week of sick leave,
// reassessment date, next deadline and status; filtered by status, team,
// overdue and reassessment within N days; paged 50 a page with the total;
// bad values answer 400 naming the parameter. The same on the page.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');
const { ibbisOk } = require('./lib/server');

let w;
let s;
const ids = {};

// Weeks by hand: week 1 is days 0-6 after the first absence day.
// Sofie (world): 60 days ago -> week 9; Anna 10 days ago -> week 2;
// Bent 150 days ago -> week 22; Dorte 20 days ago -> week 3; Carl (closed)
// has no week. Sofie's and Bent's first follow-up (due in week 8) is past,
// so the sweep makes them overdue; Dorte is overdue by a late plan step;
// Anna's deadlines are all ahead.
test.before(async () => {
  w = await makeWorld();
  s = w.s;
  ids.Sofie = w.kase.id;
  const refer = async (name, cpr, days) => {
    const r = await s.ec1.call('POST', '/api/v1/cases', {
      name, cpr, first_absence_day: today(-days), employment: 'employee',
      absences: [{ from: today(-days), to: null }], earlier_benefit: [],
      team: w.teams.A.id, care_manager: s.cm1.id, employment_consultant: s.ec1.id,
    });
    if (r.status !== 201) throw new Error(`refer ${name}: ${r.status} ${r.text}`);
    return r.json.id;
  };
  ids.Anna = await refer('Anna Andersen', '0202801234', 10);
  ids.Bent = await refer('Bent Bech', '0303801234', 150);
  ids.Carl = await refer('Carl Christensen', '0404801234', 30);
  const out = await s.ec1.call('POST', `/api/v1/cases/${ids.Carl}/outcome`,
    { kind: 'returned_full', on: today(-1) });
  if (out.status !== 201) throw new Error(`outcome: ${out.status} ${out.text}`);
  ids.Dorte = await refer('Dorte Dam', '0505801234', 20);
  const plan = await s.cm1.call('PUT', `/api/v1/cases/${ids.Dorte}/plan`, {
    steps: [{ kind: 'treatment', text: 'Late', responsible: s.cm1.id, due: today(-3) }],
  });
  if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${plan.text}`);
  ibbisOk(['sweep', '--db', w.srv.db]); // the timeline's deadline tasks
});
test.after(async () => { if (w) await w.cleanup(); });

const list = async (q, u = 'cm1') => {
  const r = await s[u].call('GET', `/api/v1/cases${q}`);
  assert.strictEqual(r.status, 200, r.text);
  return r.json;
};
const names = (j) => j.cases.map((k) => k.name.split(' ')[0]);

test('each case shows its week of sick leave and reassessment date', async () => {
  const j = await list('?sort=name');
  const by = Object.fromEntries(j.cases.map((k) => [k.name.split(' ')[0], k]));
  assert.strictEqual(by.Anna.sick_leave_week, 2);
  assert.strictEqual(by.Sofie.sick_leave_week, 9);
  assert.strictEqual(by.Bent.sick_leave_week, 22);
  assert.strictEqual(by.Carl.sick_leave_week, null, 'a closed case has no week');
  for (const n of ['Anna', 'Sofie', 'Bent']) {
    assert.match(by[n].reassessment_date, /^\d{4}-\d{2}-\d{2}$/, n);
  }
  // The reassessment falls at the end of the month of the 22-week limit:
  // the earlier the first absence, the earlier the reassessment.
  assert.ok(by.Bent.reassessment_date < by.Sofie.reassessment_date);
  assert.ok(by.Sofie.reassessment_date <= by.Anna.reassessment_date);
  assert.strictEqual(by.Dorte.sick_leave_week, 3);
  assert.deepStrictEqual(['Anna', 'Bent', 'Dorte', 'Sofie'].map((n) => by[n].overdue),
    [false, true, true, true]);
});

test('sorts by name, week, reassessment, deadline and status, both orders', async () => {
  assert.deepStrictEqual(names(await list('?sort=name')), ['Anna', 'Bent', 'Carl', 'Dorte', 'Sofie']);
  assert.deepStrictEqual(names(await list('?sort=name&order=desc')),
    ['Sofie', 'Dorte', 'Carl', 'Bent', 'Anna']);
  assert.deepStrictEqual(names(await list('?sort=week')), ['Anna', 'Dorte', 'Sofie', 'Bent', 'Carl']);
  assert.deepStrictEqual(names(await list('?sort=week&order=desc')),
    ['Bent', 'Sofie', 'Dorte', 'Anna', 'Carl']);
  const ra = names(await list('?sort=reassessment&status=open'));
  assert.deepStrictEqual([ra[0], ra[1]], ['Bent', 'Sofie']);
  const rd = names(await list('?sort=reassessment&order=desc&status=open'));
  assert.deepStrictEqual([rd[2], rd[3]], ['Sofie', 'Bent']);
  const dl = await list('?sort=deadline');
  assert.strictEqual(dl.cases[0].overdue, true, 'the most overdue first');
  assert.strictEqual(dl.cases[4].next_deadline, null, 'a case without deadlines last');
  const dues = dl.cases.map((k) => k.next_deadline).filter(Boolean);
  assert.deepStrictEqual(dues, [...dues].sort());
  assert.strictEqual(names(await list('?sort=status'))[4], 'Carl');
  assert.strictEqual(names(await list('?sort=status&order=desc'))[0], 'Carl');
});

test('filters: status, team, overdue, reassessment within N days', async () => {
  assert.deepStrictEqual(names(await list('?status=closed')), ['Carl']);
  assert.deepStrictEqual(names(await list('?overdue=1&sort=name')), ['Bent', 'Dorte', 'Sofie']);
  assert.deepStrictEqual(names(await list('?overdue=0&sort=name')),
    ['Anna', 'Bent', 'Carl', 'Dorte', 'Sofie']);
  const all = await list('?status=open');
  const within = (n) => all.cases.filter((k) => k.reassessment_date &&
    k.reassessment_date >= today() && k.reassessment_date <= today(n)).map((k) => k.id).sort();
  for (const n of [0, 28, 60, 400]) {
    const j = await list(`?reassessment_within=${n}`);
    assert.deepStrictEqual(j.cases.map((k) => k.id).sort(), within(n), `within ${n}`);
  }
  // Exactly up to Bent's reassessment: Bent in, Anna (later) out; a day less: Bent out.
  const bent = all.cases.find((k) => k.id === ids.Bent).reassessment_date;
  const n = Math.round((Date.parse(bent) - Date.parse(today())) / 86400000);
  const upTo = (await list(`?reassessment_within=${n}`)).cases.map((k) => k.id);
  assert.ok(upTo.includes(ids.Bent) && !upTo.includes(ids.Anna), `within ${n}`);
  assert.ok(!(await list(`?reassessment_within=${n - 1}`)).cases.some((k) => k.id === ids.Bent));
  assert.strictEqual((await list(`?team=${w.teams.A.id}`, 'supj')).total, 5);
  assert.strictEqual((await list(`?team=${w.teams.B.id}`, 'supj')).total, 0);
  assert.deepStrictEqual(names(await list('?overdue=1&sort=name', 'supj')), ['Bent', 'Dorte', 'Sofie'],
    'a supervisor finds the overdue cases of the team');
});

test('pages of 50 (or ?limit) with the total', async () => {
  const j = await list('?sort=name');
  assert.strictEqual(j.total, 5);
  assert.strictEqual(j.limit, 50);
  assert.strictEqual(j.page, 1);
  assert.strictEqual(j.pages, 1);
  const p2 = await list('?sort=name&limit=3&page=2');
  assert.deepStrictEqual(names(p2), ['Dorte', 'Sofie']);
  assert.strictEqual(p2.total, 5);
  assert.strictEqual(p2.pages, 2);
  assert.strictEqual(p2.offset, 3);
  assert.deepStrictEqual(names(await list('?sort=name&limit=3&page=3')), []);
});

test('bad values answer 400 naming the parameter, on the API and the page', async () => {
  const bad = { sort: 'age', order: 'up', page: '0', overdue: 'maybe',
    reassessment_within: '-1', team: 'x', limit: '501' };
  for (const [k, v] of Object.entries(bad)) {
    const r = await s.cm1.call('GET', `/api/v1/cases?${k}=${v}`);
    assert.strictEqual(r.status, 400, `${k}=${v}: ${r.text}`);
    assert.strictEqual(r.json.error.field, k);
  }
  const page = await w.srv.request('GET', '/cases?sort=age',
    { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(page.status, 400);
  assert.ok(page.text.includes('Sort by name, week, reassessment, deadline or status.'));
});

test('the page: sortable headers, weeks, dates and overdue in words, in both languages', async () => {
  const get = (p, lang) => w.srv.request('GET', p,
    { jar: s.cm1.jar, headers: { Accept: 'text/html', 'Accept-Language': lang } });
  const en = await get('/cases?sort=week', 'en');
  assert.strictEqual(en.status, 200);
  assert.match(en.text, /aria-sort="ascending"><a href="\/cases\?sort=week&amp;order=desc">Week of sick leave/);
  assert.ok(en.text.includes('Week 22'));
  assert.match(en.text, /<span class="badge badge-error">Overdue<\/span>/);
  assert.ok(en.text.includes('Cases found: 5'));
  assert.ok(en.text.includes('Page 1 of 1'));
  assert.ok(!/\d{4}-\d{2}-\d{2}<\/td>/.test(en.text), 'no ISO dates in cells');
  const da = await get('/cases?overdue=1&sort=name', 'da');
  assert.ok(da.text.includes('Uge 3'));
  assert.match(da.text, /<span class="badge badge-error">Overskredet<\/span>/);
  assert.ok(da.text.includes('Sygeuge'));
  assert.ok(da.text.includes('name="overdue" value="1" class="form-checkbox" checked'));
  const paged = await get('/cases?sort=name&limit=1&q=e', 'en');
  assert.ok(paged.text.includes('href="/cases?q=e&amp;sort=name&amp;order=asc&amp;page=2"'),
    'the next page keeps the search and the sort');
});
