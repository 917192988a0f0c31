'use strict';
// ibbis backup / restore / export / import (docs/operations.md).
// The PostgreSQL parts run when IBBIS_TEST_PG_DIR names a folder for a
// private cluster (scripts/pg.sh start DIR); otherwise they skip with a note.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { BIN, ROOT, ibbis, ibbisOk, startServer, loginJson, makeDatabase } = require('./lib/server');
const { makeWorld } = require('./lib/world');
const { pgCluster, psql, readExport } = require('./lib/nodes');

const PG_DIR = process.env.IBBIS_TEST_PG_DIR;
const pgSkip = PG_DIR ? false : 'IBBIS_TEST_PG_DIR is not set (a folder for a private PostgreSQL 15)';
if (!PG_DIR) console.log('# backup.test.js: PostgreSQL parts skipped: set IBBIS_TEST_PG_DIR=/tmp/ibbis-pg to run them');

// The CLI without blocking the event loop (the server's clients keep going).
function ibbisAsync(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', (status) => resolve({ status, out }));
  });
}

// Some writes that audit and seal text: notes and an assessment.
async function addRecords(w, n, tag) {
  for (let i = 0; i < n; i++) {
    const r = await w.s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/notes`,
      { category: 'clinical', text: `${tag} note ${i} æøå` });
    assert.strictEqual(r.status, 201, r.text);
  }
  const a = await w.s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/assessments`,
    { text: `${tag} PHQ-9 moderate`, on: w.today() });
  assert.strictEqual(a.status, 201, a.text);
}

// When the whole API suite runs on PostgreSQL (the harness's IBBIS_TEST_PG_DIR),
// the worlds are PostgreSQL databases: the SQLite-file tests below skip.
const sqliteOnly = require('./lib/server').PG_DIR
  ? 'the harness runs every server on PostgreSQL' : false;

test('SQLite: a backup of a live server restores into a working database', { skip: sqliteOnly }, async () => {
  const w = await makeWorld();
  try {
    await addRecords(w, 3, 'before');
    const bk = path.join(w.srv.dir, 'backup.db');
    // Writes run through the server while the backup is taken.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing && written < 500) {
        const r = await w.s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/notes`,
          { category: 'clinical', text: `during ${written}` });
        assert.strictEqual(r.status, 201, r.text);
        written++;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const b = await ibbisAsync(['backup', '--db', w.srv.db, '--out', bk]);
    writing = false;
    await writer;
    assert.strictEqual(b.status, 0, b.out);
    assert.ok(written > 0, 'writes went on during the backup');
    assert.strictEqual(fs.statSync(bk).mode & 0o077, 0, 'the backup is private to its owner');

    const restored = path.join(w.srv.dir, 'restored.db');
    ibbisOk(['restore', '--db', restored, '--in', bk]);
    const again = ibbis(['restore', '--db', restored, '--in', bk]);
    assert.strictEqual(again.status, 1, 'restore refuses an existing database');
    assert.match(again.stderr, /exists/);
    // The key is kept apart from backups: it goes with the restored file.
    fs.copyFileSync(`${w.srv.db}.key`, `${restored}.key`);
    assert.match(ibbisOk(['audit', 'verify', '--db', restored]).stdout, /intact/);

    const srv2 = await startServer({ db: restored });
    try {
      const { res, jar } = await loginJson(srv2, 'cm1');
      assert.strictEqual(res.status, 200, 'an account made before the backup logs in');
      const notes = await srv2.request('GET', `/api/v1/cases/${w.kase.id}/notes`,
        { jar, headers: { Accept: 'application/json' } });
      assert.strictEqual(notes.status, 200, notes.text);
      assert.match(notes.text, /before note 2 æøå/, 'sealed text reads back with the key');
    } finally {
      await srv2.stop();
    }
  } finally {
    await w.cleanup();
  }
});

test('export and import: SQLite to SQLite is exact; a non-empty or cut file is refused', { skip: sqliteOnly }, async () => {
  const w = await makeWorld();
  try {
    await addRecords(w, 2, 'x');
    const a = path.join(w.srv.dir, 'a.jsonl');
    const c = path.join(w.srv.dir, 'c.jsonl');
    const copy = path.join(w.srv.dir, 'copy.db');
    ibbisOk(['export', '--db', w.srv.db, '--out', a]);
    const ea = readExport(a);
    assert.strictEqual(ea.header.format, 'ibbis-export');
    assert.ok(ea.rows.audit_log.length >= 5, 'the audit log is exported');
    assert.ok(ea.rows.notes.length >= 2);
    assert.strictEqual(ea.rows.sessions, undefined, 'sessions are not exported');
    assert.strictEqual(ea.rows.login_failures, undefined, 'login failures are not exported');
    ibbisOk(['import', '--db', copy, '--in', a]);
    ibbisOk(['export', '--db', copy, '--out', c]);
    assert.strictEqual(fs.readFileSync(c, 'utf8'), fs.readFileSync(a, 'utf8'));
    // The copy's sealed text and audit MACs belong to the original's key.
    assert.match(ibbisOk(['audit', 'verify', '--db', copy, '--key-file', `${w.srv.db}.key`]).stdout, /intact/);

    const twice = ibbis(['import', '--db', copy, '--in', a]);
    assert.strictEqual(twice.status, 1);
    assert.match(twice.stderr, /not empty/);

    const cut = path.join(w.srv.dir, 'cut.jsonl');
    const lines = fs.readFileSync(a, 'utf8').split('\n').filter((l) => l);
    fs.writeFileSync(cut, lines.slice(0, -1).join('\n') + '\n');
    const fresh = makeDatabase({ orgs: [], users: [] });
    const r = ibbis(['import', '--db', fresh.db, '--in', cut]);
    assert.strictEqual(r.status, 2, r.stderr);
    assert.match(r.stderr, /cut short/);
    const after = readExport((ibbisOk(['export', '--db', fresh.db, '--out', cut]), cut));
    assert.strictEqual(after.end.rows, 0, 'a refused import leaves nothing');
    fs.rmSync(fresh.dir, { recursive: true, force: true });
  } finally {
    await w.cleanup();
  }
});

test('SQLite -> PostgreSQL -> SQLite loses nothing', { skip: pgSkip }, async () => {
  const pg = pgCluster(PG_DIR);
  const dbname = `ibbis_rt_${process.pid}`;
  const w = await makeWorld();
  try {
    await addRecords(w, 3, 'moved');
    const url = pg.createdb(dbname);
    const f = (n) => path.join(w.srv.dir, n);
    ibbisOk(['export', '--db', w.srv.db, '--out', f('a.jsonl')]);
    ibbisOk(['import', '--db', url, '--in', f('a.jsonl')]);
    ibbisOk(['export', '--db', url, '--out', f('b.jsonl')]);
    ibbisOk(['import', '--db', f('back.db'), '--in', f('b.jsonl')]);
    ibbisOk(['export', '--db', f('back.db'), '--out', f('c.jsonl')]);
    const [a, b, c] = ['a', 'b', 'c'].map((x) => readExport(f(`${x}.jsonl`)));
    assert.strictEqual(b.header.backend, 'postgres');
    assert.deepStrictEqual(Object.keys(b.rows).sort(), Object.keys(a.rows).sort());
    for (const t of Object.keys(a.rows)) {
      const n = Number(psql(url, `SELECT count(*) FROM "${t}"`)[0][0]);
      assert.strictEqual(n, a.rows[t].length, `rows of ${t} in PostgreSQL`);
      assert.deepStrictEqual(b.rows[t], a.rows[t], `every row of ${t} in PostgreSQL`);
      assert.deepStrictEqual(c.rows[t], a.rows[t], `every row of ${t} back in SQLite`);
    }
    assert.match(ibbisOk(['audit', 'verify', '--db', url]).stdout, /intact/);
    assert.match(ibbisOk(['audit', 'verify', '--db', f('back.db')]).stdout, /intact/);
    // The identity sequences moved on: a new row gets the next id.
    const maxOrg = Number(psql(url, 'SELECT max(id) FROM organisations')[0][0]);
    ibbisOk(['org', 'add', '--kind', 'health', '--db', url, 'After Import']);
    assert.strictEqual(Number(psql(url, "SELECT id FROM organisations WHERE name = 'After Import'")[0][0]), maxOrg + 1);
  } finally {
    await w.cleanup();
    pg.dropdb(dbname);
    pg.stop();
  }
});

test('PostgreSQL: pg_dump backup and pg_restore into an empty database', { skip: pgSkip }, async () => {
  const pg = pgCluster(PG_DIR);
  const src = `ibbis_bk_${process.pid}`;
  const dst = `ibbis_rs_${process.pid}`;
  const w = await makeWorld();
  const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ibbis-pgbk-'));
  try {
    await addRecords(w, 2, 'pg');
    const srcUrl = pg.createdb(src);
    ibbisOk(['export', '--db', w.srv.db, '--out', path.join(tmp, 'a.jsonl')]);
    ibbisOk(['import', '--db', srcUrl, '--in', path.join(tmp, 'a.jsonl')]);
    const dump = path.join(tmp, 'ibbis.dump');
    ibbisOk(['backup', '--db', srcUrl, '--out', dump]);
    assert.strictEqual(fs.readFileSync(dump).subarray(0, 5).toString(), 'PGDMP', 'pg_dump custom format');
    const dstUrl = pg.createdb(dst);
    ibbisOk(['restore', '--db', dstUrl, '--in', dump]);
    ibbisOk(['export', '--db', srcUrl, '--out', path.join(tmp, 's.jsonl')]);
    ibbisOk(['export', '--db', dstUrl, '--out', path.join(tmp, 'd.jsonl')]);
    assert.strictEqual(fs.readFileSync(path.join(tmp, 'd.jsonl'), 'utf8'),
      fs.readFileSync(path.join(tmp, 's.jsonl'), 'utf8'));
    assert.match(ibbisOk(['audit', 'verify', '--db', dstUrl]).stdout, /intact/);
    const again = ibbis(['restore', '--db', dstUrl, '--in', dump]);
    assert.strictEqual(again.status, 1);
    assert.match(again.stderr, /not empty/);
  } finally {
    await w.cleanup();
    pg.dropdb(src);
    pg.dropdb(dst);
    pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
