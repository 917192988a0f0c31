'use strict';
// Key rotation (docs/operations.md, "Rotating the key"): `ibbis rekey`
// seals every sealed value again with a new key, all or nothing; the old
// key is kept as KEY.old; a value that does not open stops it with nothing
// changed. On SQLite and PostgreSQL (the key file is the test's own).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ibbis, startServer, loginJson } = require('./lib/server.js');
const { makeWorld } = require('./lib/world.js');

async function readNotes(db, key, caseId) {
  const srv = await startServer({ db, args: ['--key-file', key] });
  try {
    const { jar } = await loginJson(srv, 'cm1');
    const r = await srv.request('GET', `/api/v1/cases/${caseId}/notes`,
      { jar, headers: { Accept: 'application/json' } });
    return r;
  } finally {
    await srv.stop();
  }
}

test('rekey seals everything again with a new key; the old one opens nothing new', async () => {
  const keyDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ibbis-rekey-'));
  const key = path.join(keyDir, 'ibbis.key');
  const w = await makeWorld({ server: { args: ['--key-file', key] } });
  // The key file's folder holds the checkpoints too (beside the key).
  const db = w.srv.db;
  try {
    for (const text of ['rekey marker one', 'rekey marker two æøå']) {
      const r = await w.s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/notes`,
        { category: 'clinical', text });
      assert.equal(r.status, 201, r.text);
    }
    await w.srv.stop();
    const before = fs.readFileSync(key, 'utf8');

    const r = ibbis(['rekey', '--db', db, '--key-file', key]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr,
      /\b[2-9]\d* sealed values in \d+ columns? sealed again and \d+ audit entries signed again with a new key/);
    assert.equal(fs.readFileSync(`${key}.old`, 'utf8'), before, 'the old key is kept');
    assert.notEqual(fs.readFileSync(key, 'utf8'), before, 'the key file holds a new key');
    assert.equal(fs.statSync(key).mode & 0o777, 0o600);
    assert.ok(!fs.existsSync(`${key}.new`));

    // The audit chain and the new checkpoint file verify with the new key.
    const v = ibbis(['audit', 'verify', '--db', db, '--key-file', key]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /chain intact/);
    const vOld = ibbis(['audit', 'verify', '--db', db, '--key-file', `${key}.old`]);
    assert.notEqual(vOld.status, 0, 'the old key no longer vouches for the chain');

    const notes = await readNotes(db, key, w.kase.id);
    assert.equal(notes.status, 200, notes.text);
    assert.match(notes.text, /rekey marker one/);
    assert.match(notes.text, /rekey marker two æøå/);

    // The old key opens none of it: a rotation from it stops, nothing changed.
    const wrong = ibbis(['rekey', '--db', db, '--key-file', `${key}.old`,
      '--audit-checkpoints', path.join(keyDir, 'elsewhere.checkpoints')]);
    assert.equal(wrong.status, 1, wrong.stderr);
    assert.match(wrong.stderr, /with the current key.*nothing was changed/);
    assert.ok(!fs.existsSync(`${key}.old.new`), 'the unused new key is removed');
    const still = await readNotes(db, key, w.kase.id);
    assert.match(still.text, /rekey marker one/, 'the data still opens with the new key');

    // A second rotation while KEY.old is still there is refused (exit 2).
    const twice = ibbis(['rekey', '--db', db, '--key-file', key]);
    assert.equal(twice.status, 2);
    assert.match(twice.stderr, /exists from an earlier rotation/);
  } finally {
    await w.cleanup();
    fs.rmSync(keyDir, { recursive: true, force: true });
  }
});

test('rekey refuses a database whose audit chain does not verify, and changes nothing', async () => {
  const keyDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ibbis-rekey-'));
  const key = path.join(keyDir, 'ibbis.key');
  const w = await makeWorld({ server: { args: ['--key-file', key] } });
  const db = w.srv.db;
  try {
    await w.srv.stop();
    // Someone with the database but not the key changes one entry.
    const { tamperAudit } = require('./lib/sql.js');
    assert.equal(tamperAudit(db, 2).status, 0);
    const before = fs.readFileSync(key, 'utf8');
    const r = ibbis(['rekey', '--db', db, '--key-file', key]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /the audit log does not verify with the current key \(entry 2\)/);
    assert.equal(fs.readFileSync(key, 'utf8'), before, 'the key is unchanged');
    assert.ok(!fs.existsSync(`${key}.old`) && !fs.existsSync(`${key}.new`));
  } finally {
    await w.cleanup();
    fs.rmSync(keyDir, { recursive: true, force: true });
  }
});
