'use strict';
// Confidential text stays sealed (issue 14, docs/security.md "Sealed at
// rest"): a distinct marker is written through the API into every free
// text of the categories clinical, health_shared, employment and private
// (and the texts sealed with them: minutes, agenda items, comments); none
// is found in the database files, each reads back through the API for
// someone allowed, after `ibbis rekey` too; and a database whose rows an
// earlier version stored in clear comes out sealed at the next start.
// SQLite: the .db, -wal and -shm bytes. PostgreSQL: every row as text
// (what pg_dump writes) and, after CHECKPOINT, the bytes of every file in
// the cluster's data directory.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ibbis, startServer } = require('./lib/server.js');
const { makeWorld, session } = require('./lib/world.js');
const { sql, isPg, foundInClear } = require('./lib/sql.js');

const RUN = `${process.pid}x${Date.now() % 100000}`;
const mark = (what) => `SEALMARK-${what}-${RUN}`;
const FIELDS = ['clinical_note', 'health_note', 'employment_note', 'private_note',
  'cm_assessment', 'ec_assessment', 'ec_reason', 'health_evidence', 'employment_evidence',
  'therapy_minutes', 'roundtable_minutes', 'minutes_comment', 'private_agenda',
  'shared_agenda', 'person_shared_agenda', 'pulse_comment'];

// Every file under the PostgreSQL data directory (heap, WAL, ...) holding
// marker, after a CHECKPOINT has written the buffers out.
function pgFilesWith(db, markers) {
  assert.equal(sql(db, 'CHECKPOINT').status, 0);
  const found = new Set();
  const needles = markers.map((m) => [m, Buffer.from(m)]);
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const b = fs.readFileSync(p);
        for (const [m, n] of needles) if (b.indexOf(n) !== -1) found.add(`${m} in ${path.relative(process.env.IBBIS_TEST_PG_DIR, p)}`);
      }
    }
  };
  walk(path.join(process.env.IBBIS_TEST_PG_DIR, 'data'));
  return [...found];
}

function clearAnywhere(db, markers) {
  const found = [];
  for (const m of markers) for (const where of foundInClear(db, m)) found.push(`${m} in ${where}`);
  return found;
}

// Reads every field back through the API, each as someone allowed to.
async function readAll(w, ids, s) {
  const get = async (who, p) => {
    const r = await s[who].call('GET', `/api/v1${p}`);
    assert.equal(r.status, 200, `${who} GET ${p}: ${r.text}`);
    return r.text;
  };
  const seen = {};
  const cid = w.kase.id;
  const cmNotes = await get('cm1', `/cases/${cid}/notes`);
  const ecNotes = await get('ec1', `/cases/${cid}/notes`);
  const personNotes = await get('person', `/cases/${cid}/notes`);
  seen.clinical_note = cmNotes;
  seen.health_note = cmNotes;
  seen.employment_note = ecNotes;
  seen.private_note = personNotes;
  const cmAss = await get('cm1', `/cases/${cid}/assessments`);
  const ecAss = await get('ec1', `/cases/${cid}/assessments`);
  seen.cm_assessment = cmAss;
  seen.ec_assessment = ecAss;
  seen.ec_reason = ecAss;
  seen.health_evidence = await get('cm1', `/cases/${cid}/evidence`);
  seen.employment_evidence = await get('ec1', `/cases/${cid}/evidence`);
  seen.therapy_minutes = await get('cm1', `/meetings/${ids.therapy}`);
  const rt = await get('person', `/meetings/${ids.rt}`);
  seen.roundtable_minutes = rt;
  seen.minutes_comment = rt;
  seen.private_agenda = await get('person', `/meetings/${ids.rt}/agenda`);
  const agendaEc = await get('ec1', `/meetings/${ids.rt}/agenda`);
  seen.shared_agenda = agendaEc;
  seen.person_shared_agenda = agendaEc;
  seen.pulse_comment = await get('person', `/meetings/${ids.rt}/pulse`);
  return seen;
}

function assertReadable(seen, markOf) {
  for (const f of FIELDS) assert.ok(seen[f].includes(markOf(f)), `${f} reads back (${markOf(f)})`);
}

test('every confidential free text is sealed at rest, reads back, survives rekey and an upgrade', async () => {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-seal-'));
  const key = path.join(keyDir, 'ibbis.key');
  const w = await makeWorld({ server: { args: ['--key-file', key] } });
  const db = w.srv.db;
  let srv2 = null;
  try {
    const { cm1, ec1, person } = w.s;
    const cid = w.kase.id;
    const ok = async (r, code, what) => { r = await r; assert.equal(r.status, code, `${what}: ${r.text}`); return r.json; };
    // Notes of the four categories.
    await ok(cm1.call('POST', `/api/v1/cases/${cid}/notes`, { category: 'clinical', text: mark('clinical_note') }), 201, 'clinical note');
    await ok(cm1.call('POST', `/api/v1/cases/${cid}/notes`, { category: 'health_shared', text: mark('health_note') }), 201, 'health note');
    await ok(ec1.call('POST', `/api/v1/cases/${cid}/notes`, { category: 'employment', text: mark('employment_note') }), 201, 'employment note');
    await ok(person.call('POST', `/api/v1/cases/${cid}/notes`, { category: 'private', text: mark('private_note') }), 201, 'private note');
    // Both assessments; the EC's reason.
    await ok(cm1.call('POST', `/api/v1/cases/${cid}/assessments`, { text: mark('cm_assessment') }), 201, 'CM assessment');
    await ok(ec1.call('POST', `/api/v1/cases/${cid}/assessments`, { text: mark('ec_assessment'), category: 2, reason: mark('ec_reason') }), 201, 'EC assessment');
    // Evidence of each side.
    await ok(cm1.call('POST', `/api/v1/cases/${cid}/evidence`, { kind: 'le285', ground: 3, supplied_on: w.today(-3), text: mark('health_evidence') }), 201, 'health evidence');
    await ok(ec1.call('POST', `/api/v1/cases/${cid}/evidence`, { kind: 'employer_statement', supplied_on: w.today(-2), text: mark('employment_evidence') }), 201, 'employment evidence');
    // A therapy session's minutes; a held roundtable with minutes, a
    // comment on them, agenda items (private, shared, shared later) and the
    // person's pulse comment, shared with the team.
    const therapy = await ok(cm1.call('POST', `/api/v1/cases/${cid}/meetings`, { kind: 'therapy', start: `${w.today(-4)}T13:00` }), 201, 'therapy');
    await ok(cm1.call('PUT', `/api/v1/meetings/${therapy.id}/minutes`, { text: mark('therapy_minutes') }), 200, 'therapy minutes');
    const rt = await ok(cm1.call('POST', `/api/v1/cases/${cid}/meetings`, { kind: 'roundtable', start: `${w.today(-2)}T10:00`, duration: 60 }), 201, 'roundtable');
    await ok(person.call('POST', `/api/v1/meetings/${rt.id}/agenda`, { text: mark('private_agenda') }), 201, 'private agenda');
    await ok(cm1.call('POST', `/api/v1/meetings/${rt.id}/agenda`, { text: mark('shared_agenda') }), 201, 'shared agenda');
    const later = await ok(person.call('POST', `/api/v1/meetings/${rt.id}/agenda`, { text: mark('person_shared_agenda') }), 201, 'agenda to share');
    await ok(person.call('POST', `/api/v1/meetings/${rt.id}/agenda/${later.id}/share`, { share: true }), 200, 'share');
    await ok(cm1.call('PATCH', `/api/v1/meetings/${rt.id}`, { status: 'held' }), 200, 'held');
    await ok(ec1.call('PUT', `/api/v1/meetings/${rt.id}/minutes`, { text: mark('roundtable_minutes') }), 200, 'minutes');
    await ok(person.call('POST', `/api/v1/meetings/${rt.id}/minutes/agreement`, { agreed: false, comment: mark('minutes_comment') }), 200, 'agreement');
    await ok(person.call('POST', `/api/v1/meetings/${rt.id}/pulse`, { safe: 4, same_goal: 4, next_steps: 3, listened: 5, text: mark('pulse_comment'), share_text: true }), 201, 'pulse');
    const ids = { therapy: therapy.id, rt: rt.id };
    const all = FIELDS.map(mark);

    // None of the markers is in the database files.
    assert.deepEqual(clearAnywhere(db, all), [], 'stored in clear');
    if (isPg(db)) assert.deepEqual(pgFilesWith(db, all), [], 'in the data directory files');
    // Each reads back for someone allowed.
    assertReadable(await readAll(w, ids, w.s), mark);

    // Rekey: every new column is sealed again; all of it opens with the new key.
    await w.srv.stop();
    const rk = ibbis(['rekey', '--db', db, '--key-file', key]);
    assert.equal(rk.status, 0, rk.stderr);
    const m = rk.stderr.match(/(\d+) sealed values in (\d+) columns? sealed again/);
    assert.ok(m, rk.stderr);
    // 16 values: 4 notes, 3 assessment texts, 2 evidence, 2 minutes, 1
    // comment, 3 agenda items, 1 pulse comment (+ the world's own, if any).
    assert.ok(Number(m[1]) >= 16, rk.stderr);
    // notes.body, assessments.body, .reason_sealed, evidence.text_sealed,
    // meetings.minutes_sealed, minutes_agreements.comment_sealed,
    // agenda_items.body, survey_responses.comment_sealed.
    assert.ok(Number(m[2]) >= 8, rk.stderr);

    // An earlier version's database: migration 0008 undone, the same rows
    // holding new markers in the clear columns that version wrote.
    const up = (what) => `UPGRADEMARK-${what}-${RUN}`;
    const q = (s) => { const r = sql(db, s); assert.equal(r.status, 0, `${s}: ${r.stderr}`); return r.stdout.trim(); };
    const lit = (s) => `'${s}'`;
    // The earlier version sealed clinical and private text already.
    const upgradeMark = (f) => (['clinical_note', 'private_note', 'cm_assessment', 'private_agenda'].includes(f) ? mark(f) : up(f));
    q(`UPDATE notes SET body = NULL, body_plain = CASE category WHEN 'health_shared' THEN ${lit(up('health_note'))} ` +
      `ELSE ${lit(up('employment_note'))} END WHERE case_id = ${cid} AND category IN ('health_shared', 'employment')`);
    q(`UPDATE assessments SET body = NULL, body_plain = ${lit(up('ec_assessment'))}, reason = ${lit(up('ec_reason'))} WHERE case_id = ${cid} AND role = 'employment_consultant'`);
    q(`UPDATE evidence SET text = CASE category WHEN 'health_shared' THEN ${lit(up('health_evidence'))} ELSE ${lit(up('employment_evidence'))} END WHERE case_id = ${cid}`);
    q(`UPDATE meetings SET minutes = CASE kind WHEN 'therapy' THEN ${lit(up('therapy_minutes'))} ELSE ${lit(up('roundtable_minutes'))} END WHERE id IN (${therapy.id}, ${rt.id})`);
    q(`UPDATE minutes_agreements SET comment = ${lit(up('minutes_comment'))} WHERE meeting_id = ${rt.id}`);
    q(`UPDATE agenda_items SET body = NULL, body_plain = CASE id WHEN ${later.id} THEN ${lit(up('person_shared_agenda'))} ELSE ${lit(up('shared_agenda'))} END WHERE meeting_id = ${rt.id} AND private = 0`);
    const resp = q(`SELECT id FROM survey_responses WHERE meeting_id = ${rt.id}`);
    q(`INSERT INTO survey_answers (response_id, item, value, text) VALUES (${resp}, 'text', NULL, ${lit(up('pulse_comment'))})`);
    for (const [t, c] of [['meetings', 'minutes_sealed'], ['evidence', 'text_sealed'], ['assessments', 'reason_sealed'],
      ['survey_responses', 'comment_sealed'], ['minutes_agreements', 'comment_sealed']]) q(`ALTER TABLE ${t} DROP COLUMN ${c}`);
    q('DELETE FROM schema_version WHERE version = 8');
    const upgraded = FIELDS.map(upgradeMark).filter((x) => x.startsWith('UPGRADE'));
    assert.equal(upgraded.length, 12);
    assert.ok(clearAnywhere(db, upgraded).length >= upgraded.length, 'the test put them in clear');

    // The next start migrates and seals them, before it answers anyone.
    srv2 = await startServer({ db, args: ['--key-file', key] });
    assert.equal(q('SELECT count(*) FROM schema_version WHERE version = 8'), '1', 'migration 0008 applied to a database at a higher version');
    assert.deepEqual(clearAnywhere(db, upgraded), [], 'left in clear after the upgrade');
    const s2 = {};
    for (const u of ['cm1', 'ec1']) s2[u] = await session(srv2, u);
    s2.person = await session(srv2, w.s.person.username);
    assertReadable(await readAll(w, ids, s2), upgradeMark);
  } finally {
    if (srv2) { await srv2.stop(); }
    await w.cleanup();
    fs.rmSync(keyDir, { recursive: true, force: true });
  }
});
