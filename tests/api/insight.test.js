'use strict';
// Insight (DESIGN.md section 8): instruments, survey rounds, each
// professional's own answer and the results with the minimum group size 5.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./lib/server');
const { session, today } = require('./lib/world');

const H = 'Region Psykiatri';
const J = 'Jobcenter Nord';
const ORGS = [{ name: H, kind: 'health' }, { name: J, kind: 'jobcentre' }];
const USERS = [
  { username: 'admin', role: 'admin', org: H, name: 'Ada Admin' },
  ...[1, 2, 3, 4, 5].map((i) => ({ username: `cm${i}`, role: 'care_manager', org: H, name: `Carla Care${i}` })),
  ...[1, 2].map((i) => ({ username: `ec${i}`, role: 'employment_consultant', org: J, name: `Erik Employ${i}` })),
  { username: 'suph', role: 'supervisor', org: H, name: 'Sara Health-Supervisor' },
  { username: 'supj', role: 'supervisor', org: J, name: 'Jens Job-Supervisor' },
  { username: 'suph2', role: 'supervisor', org: H, name: 'Hanne Other-Team' },
];
const DIMS = ['frequent_communication', 'timely_communication', 'accurate_communication',
  'problem_solving_communication', 'shared_goals', 'shared_knowledge', 'mutual_respect'];

let srv;
const s = {};
let teamA;
let teamB;
let items;
let round;

test.before(async () => {
  srv = await startServer({ orgs: ORGS, users: USERS });
  for (const u of USERS) s[u.username] = await session(srv, u.username);
  const member = (u, role) => ({ user: s[u].id, role, fraction: 1, from: today(-400) });
  const a = await s.admin.call('POST', '/api/v1/teams', {
    name: 'Team A',
    members: [...[1, 2, 3, 4, 5].map((i) => member(`cm${i}`, 'care_manager')),
      member('ec1', 'employment_consultant'), member('ec2', 'employment_consultant'),
      member('suph', 'supervisor'), member('supj', 'supervisor')],
  });
  assert.equal(a.status, 201, a.text);
  teamA = a.json.id;
  const b = await s.admin.call('POST', '/api/v1/teams', { name: 'Team B', members: [member('suph2', 'supervisor')] });
  assert.equal(b.status, 201, b.text);
  teamB = b.json.id;
});
test.after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

test('GET /api/v1/instruments lists our own instrument with the seven dimensions', async () => {
  const r = await s.cm1.call('GET', '/api/v1/instruments');
  assert.equal(r.status, 200, r.text);
  const ins = r.json.instruments.find((i) => i.id === 'ibbis-coordination');
  assert.ok(ins, 'shipped instrument');
  assert.deepEqual(ins.scale, { min: 1, max: 5 });
  assert.deepEqual([...new Set(ins.items.map((i) => i.dimension))].sort(), [...DIMS].sort());
  for (const it of ins.items) {
    assert.equal(typeof it.id, 'string');
    assert.ok(it.text.en.length > 10 && it.text.da.length > 10);
  }
  assert.match(ins.name, /own wording/);
  items = ins.items.map((i) => i.id);
  const anon = await srv.request('GET', '/api/v1/instruments');
  assert.equal(anon.status, 401);
});

test('a supervisor opens a round; bad input names the field; others are refused', async () => {
  const path = `/api/v1/teams/${teamA}/surveys`;
  const good = { instrument: 'ibbis-coordination', opens: today(0), closes: today(14) };
  const bad = [
    [{ ...good, instrument: 'nope' }, 'instrument'],
    [{ ...good, opens: '2026-13-01' }, 'opens'],
    [{ ...good, closes: undefined }, 'closes'],
    [{ ...good, closes: today(-1) }, 'closes'],
  ];
  for (const [body, field] of bad) {
    const r = await s.supj.call('POST', path, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
  }
  for (const who of ['cm1', 'ec1', 'suph2', 'admin']) {
    const r = await s[who].call('POST', path, good);
    assert.equal(r.status, 403, who);
  }
  const nf = await s.supj.call('POST', '/api/v1/teams/999999/surveys', good);
  assert.equal(nf.status, 404);
  const r = await s.supj.call('POST', path, good);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, 'open');
  round = r.json.id;
  const list = await s.cm1.call('GET', path);
  assert.equal(list.status, 200);
  assert.equal(list.json.surveys[0].id, round);
  assert.equal(list.json.surveys[0].respondents, 0);
  assert.equal((await s.suph2.call('GET', path)).status, 403);
  assert.equal((await s.admin.call('GET', path)).status, 403);
  assert.equal((await s.supj.call('GET', `/api/v1/teams/${teamB}/surveys`)).status, 403);
});

const answer = (ratings) => ({ ratings });
const allItems = (role, value) => items.map((item) => ({ role, item, value }));

test('each professional answers; bad ratings name the field; nobody else may', async () => {
  const p = `/api/v1/surveys/${round}/response`;
  const bad = [
    [[{ role: 'boss', item: items[0], value: 3 }], 'ratings[0].role'],
    [[{ role: 'care_manager', item: items[0], value: 3 }, { role: 'care_manager', item: 'nope', value: 3 }], 'ratings[1].item'],
    [[{ role: 'care_manager', item: items[0], value: 6 }], 'ratings[0].value'],
    [[{ role: 'care_manager', item: items[0], value: 'x' }], 'ratings[0].value'],
    [[{ role: 'care_manager', item: items[0], value: 2 }, { role: 'care_manager', item: items[0], value: 3 }], 'ratings[1]'],
  ];
  for (const [ratings, field] of bad) {
    const r = await s.cm1.call('PUT', p, answer(ratings));
    assert.equal(r.status, 400, JSON.stringify(ratings));
    assert.equal(r.json.error.field, field);
  }
  const none = await s.cm1.call('GET', p);
  assert.equal(none.json.answered, false, 'refused answers write nothing');
  for (const who of ['suph2', 'admin']) {
    assert.equal((await s[who].call('PUT', p, answer(allItems('care_manager', 3)))).status, 403, who);
    assert.equal((await s[who].call('GET', p)).status, 403, who);
  }
  assert.equal((await s.cm1.call('PUT', '/api/v1/surveys/999999/response', answer([]))).status, 404);

  // Four care managers rate their own role 4 and the ECs 3; cm1 says 1 once.
  for (const who of ['cm1', 'cm2', 'cm3', 'cm4']) {
    const ratings = [...allItems('care_manager', 4), ...allItems('employment_consultant', 3)];
    if (who === 'cm1') ratings[0].value = 1;
    const r = await s[who].call('PUT', p, answer(ratings));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.answered, true);
    assert.equal(r.json.rater_role, 'care_manager');
  }
  const mine = await s.cm1.call('GET', p);
  assert.equal(mine.json.ratings.length, items.length * 2);
  assert.equal(mine.json.ratings.find((x) => x.role === 'care_manager' && x.item === items[0]).value, 1);
  const theirs = await s.cm2.call('GET', p);
  assert.equal(theirs.json.ratings.find((x) => x.role === 'care_manager' && x.item === items[0]).value, 4,
    'cm2 sees only their own answer');
});

function cell(res, rater, rated, dim) {
  return res.cells.find((c) => c.rater_role === rater && c.rated_role === rated && c.dimension === dim);
}

test('results: 4 answers suppressed, 5 shown, a revealing total suppressed; supervisors only', async () => {
  const p = `/api/v1/surveys/${round}/results`;
  for (const who of ['cm1', 'ec1', 'suph2', 'admin']) {
    assert.equal((await s[who].call('GET', p)).status, 403, who);
  }
  assert.equal((await s.supj.call('GET', '/api/v1/surveys/999999/results')).status, 404);
  let r = await s.supj.call('GET', p);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.respondents, 4);
  let c = cell(r.json, 'care_manager', 'care_manager', DIMS[0]);
  assert.deepEqual({ mean: c.mean, n: c.n, suppressed: c.suppressed }, { mean: null, n: 4, suppressed: true });
  assert.ok(r.json.suppressed.some((x) => x.kind === 'cell' && x.rater_role === 'care_manager'));

  // The fifth care manager: the cell shows (hand-worked: item 0 is 1+4+4+4+4 = 17/5).
  const five = await s.cm5.call('PUT', `/api/v1/surveys/${round}/response`,
    answer([...allItems('care_manager', 4), ...allItems('employment_consultant', 3)]));
  assert.equal(five.status, 200);
  r = await s.suph.call('GET', p);
  const dim0 = (await s.cm1.call('GET', '/api/v1/instruments')).json.instruments[0].items[0].dimension;
  c = cell(r.json, 'care_manager', 'care_manager', dim0);
  assert.deepEqual({ mean: c.mean, n: c.n, suppressed: c.suppressed, within: c.within }, { mean: 3.4, n: 5, suppressed: false, within: true });
  const ix = r.json.index.find((x) => x.rater_role === 'care_manager' && x.rated_role === 'employment_consultant');
  assert.deepEqual({ mean: ix.mean, n: ix.n, suppressed: ix.suppressed, within: ix.within }, { mean: 3, n: 5, suppressed: false, within: false });
  let tot = r.json.by_rated_role.find((x) => x.rated_role === 'care_manager' && x.dimension === dim0);
  assert.equal(tot.suppressed, false);
  assert.equal(tot.n, 5);

  // One employment consultant rates the care managers: their cell (n=1) is
  // hidden, and so is the total over all raters, which would give it back.
  const ec = await s.ec1.call('PUT', `/api/v1/surveys/${round}/response`, answer(allItems('care_manager', 2)));
  assert.equal(ec.status, 200);
  assert.equal(ec.json.rater_role, 'employment_consultant');
  r = await s.supj.call('GET', p);
  c = cell(r.json, 'employment_consultant', 'care_manager', dim0);
  assert.equal(c.suppressed, true);
  assert.equal(c.mean, null);
  tot = r.json.by_rated_role.find((x) => x.rated_role === 'care_manager' && x.dimension === dim0);
  assert.deepEqual({ mean: tot.mean, n: tot.n, suppressed: tot.suppressed, reason: tot.reason },
    { mean: null, n: 6, suppressed: true, reason: 'would_reveal' });
  assert.ok(r.json.suppressed.some((x) => x.kind === 'total' && x.reason === 'would_reveal'));
  const ti = r.json.by_rated_role_index.find((x) => x.rated_role === 'care_manager');
  assert.equal(ti.suppressed, true);
  // Nothing in the results names a person.
  for (const u of USERS) {
    assert.ok(!r.text.includes(u.name), u.name);
  }
});

test('an answer can be changed while open; a round not yet open refuses answers', async () => {
  const p = `/api/v1/surveys/${round}/response`;
  const r = await s.cm1.call('PUT', p, answer(allItems('care_manager', 5)));
  assert.equal(r.status, 200);
  const g = await s.cm1.call('GET', p);
  assert.equal(g.json.ratings.length, items.length);
  const list = await s.supj.call('GET', `/api/v1/teams/${teamA}/surveys`);
  assert.equal(list.json.surveys[0].respondents, 6, 'a change is not a new respondent');
  const later = await s.suph.call('POST', `/api/v1/teams/${teamA}/surveys`,
    { instrument: 'ibbis-coordination', opens: today(3), closes: today(10) });
  assert.equal(later.status, 201);
  assert.equal(later.json.state, 'upcoming');
  const early = await s.cm1.call('PUT', `/api/v1/surveys/${later.json.id}/response`, answer(allItems('care_manager', 3)));
  assert.equal(early.status, 409);
});

test('pages: the survey list, the answer form and the results in both languages', async () => {
  for (const lang of ['en', 'da']) {
    const h = { Accept: 'text/html', 'Accept-Language': lang };
    const list = await srv.request('GET', `/teams/${teamA}/surveys`, { jar: s.supj.jar, headers: h });
    assert.equal(list.status, 200);
    assert.match(list.text, /name="closes"/);
    const form = await srv.request('GET', `/surveys/${round}/response`, { jar: s.cm2.jar, headers: h });
    assert.equal(form.status, 200);
    assert.match(form.text, /name="rating\.care_manager\./);
    const res = await srv.request('GET', `/surveys/${round}/results`, { jar: s.supj.jar, headers: h });
    assert.equal(res.status, 200);
    assert.match(res.text, /<svg[^>]*role="img"/);
    assert.match(res.text, lang === 'da' ? /færre end 5 svar/ : /fewer than 5 answers/);
    // The layout names the viewer; nobody else is named.
    for (const u of USERS.filter((x) => x.username !== 'supj')) assert.ok(!res.text.includes(u.name), u.name);
  }
  // The form posts like the API: an empty choice is no answer.
  const body = { csrf_token: s.cm2.csrf, [`rating.care_manager.${items[0]}`]: '2', [`rating.supervisor_health.${items[1]}`]: '' };
  const post = await srv.request('POST', `/surveys/${round}/response`, { jar: s.cm2.jar, form: body, headers: { Accept: 'text/html' } });
  assert.equal(post.status, 303);
  const g = await s.cm2.call('GET', `/api/v1/surveys/${round}/response`);
  assert.deepEqual(g.json.ratings, [{ role: 'care_manager', item: items[0], value: 2 }]);
  // A failed form to open a round comes back with the dates typed and the field marked.
  const again = await srv.request('POST', `/teams/${teamA}/surveys`, {
    jar: s.suph.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: s.suph.csrf, instrument: 'ibbis-coordination', opens: today(2), closes: today(1) },
  });
  assert.equal(again.status, 400);
  assert.match(again.text, /href="#closes"/);
  assert.match(again.text, new RegExp(`id="opens" name="opens" value="${today(2)}"`));
  assert.match(again.text, new RegExp(`id="closes" name="closes" value="${today(1)}"[^>]*aria-invalid="true"`));
  const badForm = await s.cm2.call('POST', `/api/v1/surveys/${round}/response`, { 'rating.boss.x': '2' });
  assert.equal(badForm.status, 400);
  assert.equal(badForm.json.error.field, 'rating.boss.x');
});

test('results over rounds: the trend (each round suppressed on its own), the network of roles, CSV in both languages', async () => {
  const open = async () => {
    const r = await s.suph.call('POST', `/api/v1/teams/${teamA}/surveys`,
      { instrument: 'ibbis-coordination', opens: today(0), closes: today(10) });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  // Round 2: the five care managers rate their own role 5 on every item.
  const r2 = await open();
  for (const u of ['cm1', 'cm2', 'cm3', 'cm4', 'cm5']) {
    assert.equal((await s[u].call('PUT', `/api/v1/surveys/${r2}/response`, answer(allItems('care_manager', 5)))).status, 200);
  }
  // Round 3: they rate it 4; only four of them rate the employment consultants.
  const r3 = await open();
  for (const u of ['cm1', 'cm2', 'cm3', 'cm4', 'cm5']) {
    const extra = u === 'cm5' ? [] : allItems('employment_consultant', 2);
    assert.equal((await s[u].call('PUT', `/api/v1/surveys/${r3}/response`, answer([...allItems('care_manager', 4), ...extra]))).status, 200);
  }
  const res = await s.supj.call('GET', `/api/v1/surveys/${r3}/results`);
  assert.equal(res.status, 200, res.text);
  const t = res.json.trend;
  assert.deepEqual(t.rounds.map((x) => x.id), [round, r2, r3], 'oldest first, this round last');
  assert.deepEqual(t.rounds.map((x) => x.current), [false, false, true]);
  const pair = t.pairs.find((m) => m.rater_role === 'care_manager' && m.rated_role === 'care_manager');
  const [p1, p2, p3] = pair.points;
  // Round 1's index for care managers by care managers is hidden (one of
  // them answered a single item, so six dimensions have 4 answers): no
  // change beside it. Round 2 5.00, round 3 4.00, change -1.00.
  assert.equal(p1.suppressed, true);
  assert.equal(p1.mean, null);
  assert.deepEqual([p2.mean, p2.n, p2.change], [5, 5, null]);
  assert.deepEqual([p3.mean, p3.n, p3.change, p3.text], [4, 5, -1, '4.00 (-1.00)']);
  // The employment consultants rated by four care managers in round 3: hidden, never 0.
  const ec = t.pairs.find((m) => m.rater_role === 'care_manager' && m.rated_role === 'employment_consultant');
  assert.deepEqual([ec.points[2].mean, ec.points[2].n, ec.points[2].suppressed, ec.points[2].reason, ec.points[2].text],
    [null, 4, true, 'fewer_than_5', 'fewer than 5 answers']);
  // Five answered round 1's pair, but one dimension under its index is hidden: not "fewer than 5".
  assert.deepEqual([p1.n, p1.reason, p1.text], [5, 'built_on_suppressed', 'hidden (would give a smaller group back)']);
  // By rated role over all raters: round 1's total for care managers would give ec1 back.
  const tot = t.by_rated_role.find((m) => m.kind === 'index' && m.rater_role === null && m.rated_role === 'care_manager');
  assert.equal(tot.points[0].suppressed, true);
  assert.deepEqual([tot.points[1].mean, tot.points[2].mean, tot.points[2].change], [5, 4, -1]);

  // The network: a tie per rater -> rated pair with answers; the hidden one dashed.
  const page = await srv.request('GET', `/surveys/${r3}/results`, { jar: s.supj.jar, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.text, /<title id="net-title">Network of the coordination index/);
  assert.match(page.text, /<desc id="net-desc">/);
  assert.match(page.text, /stroke-dasharray="6 4"/, 'the hidden tie is dashed');
  assert.match(page.text, /Trend over rounds/);
  assert.match(page.text, /4\.00 \(-1\.00\)/);
  assert.ok(!/<script/.test(page.text.split('<main')[1] || ''), 'the charts need no script');

  // CSV: the same aggregates, hidden ones empty with the reason; headers per language.
  const en = await srv.request('GET', `/surveys/${r3}/results.csv`, { jar: s.supj.jar, headers: { 'Accept-Language': 'en' } });
  assert.equal(en.status, 200);
  assert.match(en.headers['content-type'], /^text\/csv/);
  const lines = en.text.trim().split('\r\n');
  assert.equal(lines[0], 'Aggregate,Rated by,Role rated,Dimension,Mean,Answers (n),Not shown because');
  assert.ok(lines.some((l) => /^"Role pair, index",Care managers,Care managers,Index,4\.00,5,$/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^"Role pair, index",Care managers,Employment consultants,Index,,4,fewer than 5/.test(l)), lines.join('\n'));
  const da = await srv.request('GET', `/surveys/${r3}/results.csv`, { jar: s.supj.jar, headers: { 'Accept-Language': 'da' } });
  assert.match(da.text.split('\r\n')[0], /^Opgørelse,Vurderet af,/);
  for (const u of USERS) assert.ok(!en.text.includes(u.name) && !da.text.includes(u.name), u.name);
  assert.equal((await srv.request('GET', `/surveys/${r3}/results.csv`, { jar: s.cm1.jar })).status, 403);
  assert.equal((await srv.request('GET', '/surveys/999999/results.csv', { jar: s.supj.jar })).status, 404);
});
