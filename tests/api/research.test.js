'use strict';
// Research (issue 17, DESIGN.md section 9): studies, the research row of
// the policy, and the pseudonymised export, through the real binary. The
// export is unpacked with unzip(1) and read as CSV; a marker planted in
// every free-text field, the names and the CPR number must be nowhere in it.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { makeWorld, today } = require('./lib/world');
const { ibbis } = require('./lib/server');

const MARK = `FREETEXT-MARK-${process.pid}`;
const NAME = 'Markusine Zylberstein';
const CPR = '0303821234';
let w;
let kase;
let studyA;
let studyB;
let tmp;

function ok(r, status) {
  if (status) assert.equal(r.status, status, r.text);
  else assert.ok(r.status < 300, `${r.status} ${r.text}`);
  return r.json;
}

// Unpacks a zip (a Buffer) with unzip(1); returns {name: text}.
function unpack(buf, label) {
  const dir = fs.mkdtempSync(path.join(tmp, `${label}-`));
  const file = path.join(dir, 'export.zip');
  fs.writeFileSync(file, buf);
  const r = spawnSync('unzip', ['-q', file, '-d', path.join(dir, 'x')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = {};
  for (const f of fs.readdirSync(path.join(dir, 'x'))) {
    out[f] = fs.readFileSync(path.join(dir, 'x', f), 'utf8');
  }
  return out;
}

// RFC 4180: a small reader for the checks (quotes, doubled quotes, CRLF).
function csv(text) {
  const rows = [];
  let row = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(f); f = ''; } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(f); rows.push(row); row = []; f = ''; i++;
    } else f += ch;
  }
  assert.equal(f, '', 'the last row ends with CRLF');
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

function days(a, b) { return Math.round((Date.parse(b) - Date.parse(a)) / 86400000); }

test.before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-research-'));
  w = await makeWorld({
    referral: {
      name: NAME, cpr: CPR, contact: `${MARK} mail markusine@example.org tel 11223344`,
      first_absence_day: today(-90), absences: [{ from: today(-90), to: null }],
    },
  });
  kase = w.kase;
  const { cm1, ec1, cm2, person } = w.s;
  const id = kase.id;
  // Free text everywhere a case has it.
  for (const category of ['clinical', 'health_shared', 'joint']) {
    ok(await cm1.call('POST', `/api/v1/cases/${id}/notes`, { category, text: `${MARK} ${NAME} ${CPR}` }), 201);
  }
  ok(await ec1.call('POST', `/api/v1/cases/${id}/notes`, { category: 'employment', text: `${MARK} note` }), 201);
  ok(await cm1.call('POST', `/api/v1/cases/${id}/assessments`, { text: `${MARK} clinical assessment` }), 201);
  ok(await ec1.call('POST', `/api/v1/cases/${id}/assessments`, { text: `${MARK} work`, category: 2, reason: `${MARK} reason` }), 201);
  ok(await person.call('POST', `/api/v1/cases/${id}/goals`, { text: `${MARK} my goal` }), 201);
  ok(await cm1.call('PUT', `/api/v1/cases/${id}/plan`, {
    steps: [{ kind: 'return_to_work', text: `${MARK} step`, responsible: ec1.id, due: today(10), hours_per_week: 12.5 }],
  }), 201);
  ok(await ec1.call('POST', `/api/v1/cases/${id}/evidence`, { kind: 'employer_statement', supplied_on: today(-5), text: `${MARK} evidence` }), 201);
  ok(await ec1.call('POST', `/api/v1/cases/${id}/decisions`, {
    kind: 'extension', ground: 3, hearing: today(-3), on: today(-1), reasons: `${MARK} reasons`, legal_basis: `${MARK} basis`,
  }), 201);
  const m = ok(await cm1.call('POST', `/api/v1/cases/${id}/meetings`, {
    kind: 'roundtable', start: `${today(-2)}T10:00`, duration: 45, mode: 'phone', mode_reason: `${MARK} mode`,
  }), 201);
  ok(await person.call('POST', `/api/v1/meetings/${m.id}/agenda`, { text: `${MARK} question` }), 201);
  ok(await cm1.call('PUT', `/api/v1/meetings/${m.id}/minutes`, { text: `${MARK} minutes` }));
  ok(await cm1.call('PATCH', `/api/v1/meetings/${m.id}`, { status: 'held', reason: `${MARK} status` }));
  ok(await person.call('POST', `/api/v1/meetings/${m.id}/pulse`, { safe: 4, same_goal: 5, text: `${MARK} pulse comment` }), 201);
  ok(await w.s.suph.call('POST', `/api/v1/cases/${id}/handover`, { role: 'care_manager', to: cm2.id, reason: `${MARK} handover` }), 201);
  ok(await ec1.call('POST', `/api/v1/cases/${id}/outcome`, { kind: 'returned_graded', on: today(), note: `${MARK} outcome` }), 201);

  const spec = (name) => ({
    name, teams: [w.teams.A.id], from: today(-30), to: today(), researchers: [w.s.res.id], dates: 'shift',
  });
  studyA = ok(await w.s.admin.call('POST', '/api/v1/studies', spec('Study A')), 201);
  studyB = ok(await w.s.admin.call('POST', '/api/v1/studies', spec('Study B')), 201);
});

test.after(async () => {
  if (w) await w.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the admin creates a study; bad input names the field and writes nothing', async () => {
  const { admin, res, cm1 } = w.s;
  assert.equal(studyA.name, 'Study A');
  assert.deepEqual(studyA.teams, [w.teams.A.id]);
  assert.deepEqual(studyA.researchers, [res.id]);
  assert.equal(studyA.dates, 'shift');
  const base = { name: 'X', teams: [w.teams.A.id], from: today(-30), to: today(), researchers: [res.id] };
  const cases = [
    [{ name: '' }, 'name'], [{ teams: [] }, 'teams'], [{ teams: [999999] }, 'teams[0]'],
    [{ from: '2026-02-30' }, 'from'], [{ to: today(-31) }, 'to'],
    [{ researchers: [cm1.id] }, 'researchers[0]'], [{ dates: 'week' }, 'dates'],
  ];
  for (const [patch, field] of cases) {
    const r = await admin.call('POST', '/api/v1/studies', Object.assign({}, base, patch));
    assert.equal(r.status, 400, `${JSON.stringify(patch)}: ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  const dup = await admin.call('POST', '/api/v1/studies', Object.assign({}, base, { name: 'Study A' }));
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.field, 'name');
  const list = ok(await admin.call('GET', '/api/v1/studies'));
  assert.deepEqual(list.studies.map((s) => s.name), ['Study A', 'Study B']);
  // Only an administrator creates one.
  assert.equal((await res.call('POST', '/api/v1/studies', base)).status, 403);
  assert.equal((await cm1.call('POST', '/api/v1/studies', base)).status, 403);
});

test('the research row: researchers see their studies, the admin only settings', async () => {
  const { admin, res, cm1, suph } = w.s;
  const mine = ok(await res.call('GET', '/api/v1/studies'));
  assert.deepEqual(mine.studies.map((s) => s.id), [studyA.id, studyB.id]);
  ok(await res.call('GET', `/api/v1/studies/${studyA.id}`));
  ok(await admin.call('GET', `/api/v1/studies/${studyA.id}`));
  // The administrator who made it sees settings, never content.
  assert.equal((await admin.call('GET', `/api/v1/studies/${studyA.id}/export.zip`)).status, 403);
  assert.equal((await admin.call('GET', `/api/v1/studies/${studyA.id}/dictionary`)).status, 403);
  for (const who of [cm1, suph]) {
    assert.equal((await who.call('GET', `/api/v1/studies/${studyA.id}`)).status, 403);
    assert.equal((await who.call('GET', `/api/v1/studies/${studyA.id}/export.zip`)).status, 403);
  }
  assert.equal((await res.call('GET', '/api/v1/studies/999999')).status, 404);
  // A researcher reads no live case.
  assert.equal((await res.call('GET', `/api/v1/cases/${kase.id}`)).status, 403);
  // The researcher's home lists the studies, in both languages.
  for (const lang of ['en', 'da']) {
    const r = await w.srv.request('GET', `/?lang=${lang}`, { jar: res.jar, headers: { Accept: 'text/html' } });
    assert.equal(r.status, 200);
    assert.match(r.text, /href="\/studies\/\d+">Study A</);
    assert.match(r.text, lang === 'da' ? /Dine undersøgelser/ : /Your studies/);
  }
});

test('the export: pseudonyms per study, nothing identifying, intervals kept, audited', async () => {
  const { res } = w.s;
  const rA = await res.call('GET', `/api/v1/studies/${studyA.id}/export.zip`);
  assert.equal(rA.status, 200, rA.text);
  assert.equal(rA.headers['content-type'], 'application/zip');
  const rB = await res.call('GET', `/api/v1/studies/${studyB.id}/export.zip`);
  assert.equal(rB.status, 200);
  const a = unpack(rA.body, 'a');
  const b = unpack(rB.body, 'b');
  const files = ['cases.csv', 'assignments.csv', 'meetings.csv', 'goals.csv', 'plan_steps.csv',
    'decisions.csv', 'outcomes.csv', 'timeline_events.csv', 'survey_responses.csv',
    'dictionary.json', 'dictionary.md', 'dictionary.da.md'];
  assert.deepEqual(Object.keys(a).sort(), files.slice().sort());

  // Nothing identifying, in any file of either export.
  const forbidden = [MARK, NAME, 'Markusine', 'Zylberstein', CPR, '030382', 'example.org',
    '11223344', 'Carla', 'Erik', 'Sofie', String(kase.id === 1 ? 'no-such' : kase.id)];
  for (const [label, x] of [['A', a], ['B', b]]) {
    for (const [f, text] of Object.entries(x)) {
      for (const s of forbidden) assert.ok(!text.includes(s), `${label}/${f} holds ${s}`);
    }
  }

  // Every column is named by the dictionary, and every CSV has exactly those.
  const dict = JSON.parse(a['dictionary.json']);
  for (const f of dict.files) {
    const header = a[f.name].split('\r\n')[0].split(',');
    assert.deepEqual(header, f.columns.map((c) => c.name), f.name);
    for (const c of f.columns) {
      assert.ok(a['dictionary.md'].includes(`| ${c.name} | ${c.type} | ${c.meaning} |`), c.name);
      // In Danish too: every column has its own Danish meaning.
      assert.ok(c.meaning_da && c.meaning_da !== c.meaning, `${f.name} ${c.name} in Danish`);
      assert.ok(a['dictionary.da.md'].includes(`| ${c.name} | ${c.type} | ${c.meaning_da} |`), c.name);
    }
    assert.ok(f.meaning_da && a['dictionary.da.md'].includes(`## ${f.name}\n\n${f.meaning_da}.`), f.name);
  }
  assert.match(a['dictionary.da.md'], /^# Datadokumentation: /);
  assert.equal(Object.keys(dict.types_da).length, Object.keys(dict.types).length);

  // One case; pseudonyms stable within a study, different between studies.
  const ca = csv(a['cases.csv']);
  const cb = csv(b['cases.csv']);
  assert.equal(ca.length, 1);
  assert.match(ca[0].case, /^[0-9a-f]{16}$/);
  assert.notEqual(ca[0].case, cb[0].case);
  assert.notEqual(ca[0].person, cb[0].person);
  const outA = csv(a['outcomes.csv']);
  assert.equal(outA[0].case, ca[0].case);
  assert.equal(outA[0].kind, 'returned_graded');
  const assignA = csv(a['assignments.csv']);
  assert.deepEqual(assignA.map((x) => x.handover), ['0', '0', '1']);
  assert.ok(assignA.every((x) => x.case === ca[0].case));

  // Dates: shifted (differently per study), the intervals kept.
  const realReferred = today();
  assert.notEqual(ca[0].referred_on, realReferred);
  for (const c of [ca[0], cb[0]]) {
    assert.equal(days(c.first_absence_day, c.referred_on), 90);
  }
  assert.equal(days(ca[0].referred_on, outA[0].on), 0);
  const dec = csv(a['decisions.csv'])[0];
  assert.equal(days(dec.hearing, dec.on), 2);
  assert.equal(days(ca[0].referred_on, dec.on), -1);
  assert.equal(dec.ground, '3');
  const meet = csv(a['meetings.csv'])[0];
  assert.equal(days(ca[0].referred_on, meet.on), -2);
  assert.equal(meet.status, 'held');
  assert.equal(meet.duration_minutes, '45');
  const step = csv(a['plan_steps.csv'])[0];
  assert.equal(days(ca[0].referred_on, step.due), 10);
  assert.equal(step.hours_per_week, '12.5');
  const pulse = csv(a['survey_responses.csv']);
  assert.deepEqual(pulse.map((x) => `${x.item}=${x.value}`).sort(), ['safe=4', 'same_goal=5']);
  assert.equal(pulse[0].respondent, ca[0].person);
  const tl = csv(a['timeline_events.csv']);
  assert.ok(tl.length > 0);
  assert.ok(tl.every((x) => x.case === ca[0].case && /^\d{4}-\d{2}-\d{2}$/.test(x.on)));

  // Every export leaves an audit entry.
  const q = require('./lib/sql').sql(w.srv.db,
    "SELECT item, category, actor_role FROM audit_log WHERE action = 'export' ORDER BY id");
  assert.equal(q.status, 0, q.stderr);
  assert.deepEqual(q.stdout.trim().split('\n'), [
    `study:${studyA.id}|research|researcher`, `study:${studyB.id}|research|researcher`]);
});

test('a study by month coarsens dates; the CLI writes the same export', async () => {
  const { admin } = w.s;
  const m = ok(await admin.call('POST', '/api/v1/studies', {
    name: 'Monthly', teams: [w.teams.A.id], from: today(-30), to: today(), researchers: [w.s.res.id], dates: 'month',
  }), 201);
  const out = path.join(tmp, 'cli.zip');
  const r = ibbis(['study', 'export', '--study', String(m.id), '--out', out, '--db', w.srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /study export: 1 cases/);
  const x = unpack(fs.readFileSync(out), 'cli');
  const c = csv(x['cases.csv'])[0];
  assert.equal(c.referred_on, today().slice(0, 7));
  assert.match(csv(x['meetings.csv'])[0].on, /^\d{4}-\d{2}$/);
  assert.equal(JSON.parse(x['dictionary.json']).dates, 'month');
  const bad = ibbis(['study', 'export', '--study', 'x', '--out', out, '--db', w.srv.db]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--study/);
  const none = ibbis(['study', 'export', '--study', '99999', '--out', out, '--db', w.srv.db]);
  assert.equal(none.status, 2);
});

test('pages: studies, a study and the dictionary in both languages without JavaScript', async () => {
  const { res, admin } = w.s;
  for (const lang of ['en', 'da']) {
    const get = (who, p) => w.srv.request('GET', `${p}?lang=${lang}`, { jar: who.jar, headers: { Accept: 'text/html' } });
    let r = await get(admin, '/studies');
    assert.equal(r.status, 200);
    assert.match(r.text, /<form method="post" action="\/studies"/);
    assert.ok(!/<script/.test(r.text.replace(/<script[^>]*src=[^>]*><\/script>/g, '')));
    r = await get(res, `/studies/${studyA.id}`);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`href="/studies/${studyA.id}/export.zip"`));
    r = await get(admin, `/studies/${studyA.id}`);
    assert.ok(!r.text.includes('export.zip'));
    r = await get(res, `/studies/${studyA.id}/dictionary`);
    assert.equal(r.status, 200);
    assert.match(r.text, lang === 'da' ? /Datadokumentation/ : /Data dictionary/);
    assert.match(r.text, /<code>referred_on<\/code>/);
    // The meanings in the page's language, not marked as English.
    assert.match(r.text, lang === 'da' ? /<td>første sygedag<\/td>/ : /<td>the first day of sick leave<\/td>/);
    assert.ok(!/<(td|p|h2) lang="en"/.test(r.text), 'no meaning marked as English');
  }
});
