'use strict';
// The audit chain cannot be rewritten or cut short (issue 14): entries are
// MACs keyed from the key file; `serve` and `ibbis audit checkpoint` append
// signed checkpoints to a file outside the database, and `ibbis audit
// verify` reports a truncated log, a rewritten chain (even with plain
// hashes recomputed) and a checkpoint file that was changed. SQLite and,
// with IBBIS_TEST_PG_DIR, PostgreSQL.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { makeWorld } = require('./lib/world');
const { ibbis } = require('./lib/server');
const { sql, isPg } = require('./lib/sql');

let w;
let cpFile;

// Where serve puts the checkpoints by default: beside the key file.
function defaultCheckpoints(db) {
  if (!isPg(db)) return `${db}.audit-checkpoints`;
  const name = db.replace(/^postgres(ql)?:\/\/[^/]*\//, '').replace(/\?.*$/, '').replace(/[^A-Za-z0-9_-]/g, '_');
  return path.join(path.dirname(process.env.IBBIS_KEY_FILE), `ibbis-audit-${name}.checkpoints`);
}

const verify = (extra = []) => ibbis(['audit', 'verify', '--db', w.srv.db].concat(extra));

test.before(async () => {
  w = await makeWorld();
  const id = w.kase.id;
  await w.s.cm1.call('POST', `/api/v1/cases/${id}/notes`, { category: 'clinical', text: 'chain test' });
  for (let i = 0; i < 3; i++) await w.s.cm1.call('GET', `/api/v1/cases/${id}/notes`);
  const r = await w.srv.stop(); // a checkpoint at stop
  assert.equal(r.code, 0);
  cpFile = defaultCheckpoints(w.srv.db);
});
test.after(() => { if (w) w.srv.cleanup(); });

test('serve leaves signed checkpoints beside the key file (0600); verify passes', () => {
  assert.ok(fs.existsSync(cpFile), `no checkpoint file ${cpFile}`);
  assert.equal(fs.statSync(cpFile).mode & 0o777, 0o600);
  const lines = fs.readFileSync(cpFile, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 2, 'one at start and one at stop');
  assert.match(lines[lines.length - 1], /^ibbis-audit-checkpoint 1 count=\d+ head=[0-9a-f]{64} at=\d+ sig=[0-9a-f]{128}$/);
  const r = verify();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^\d+ entries, chain intact; \d+ checkpoints match/m);
});

test('ibbis audit checkpoint appends one more', () => {
  const before = fs.readFileSync(cpFile, 'utf8').trim().split('\n').length;
  const r = ibbis(['audit', 'checkpoint', '--db', w.srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(cpFile, 'utf8').trim().split('\n').length, before + 1);
});

test('a changed checkpoint file is reported', () => {
  const copy = path.join(w.srv.dir, 'tampered.checkpoints');
  const text = fs.readFileSync(cpFile, 'utf8').replace(/count=(\d+)/, (m, n) => `count=${Number(n) + 5}`);
  fs.writeFileSync(copy, text, { mode: 0o600 });
  const r = verify(['--audit-checkpoints', copy]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /line 1: the signature does not match/);
});

test('deleting the last entries is reported as truncation', () => {
  const del = isPg(w.srv.db)
    ? 'ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log);'
    : 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log);';
  const q = sql(w.srv.db, del);
  assert.equal(q.status, 0, q.stderr);
  const r = verify();
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /^audit log truncated: the checkpoint of .* counted (\d+) entries, the log has (\d+)$/m);
  assert.doesNotMatch(r.stdout, /broken/, 'what is left is an intact chain: only the checkpoint knows');
});

// BLAKE2b-256 as the chain had it before it was keyed (node's crypto has
// no 32-byte BLAKE2b): python3's hashlib.
const FORGE = `
import hashlib, json, sys
rows = json.load(sys.stdin)
prev = rows[0]['prev']
out = []
def s(v):
    b = (v or '').encode()
    return str(len(b)).encode() + b':' + b + b';'
def i(v):
    return str(int(v or 0)).encode() + b';'
for r in rows:
    c = prev.encode() + i(r['at']) + i(r['actor_id']) + s(r['role']) + s(r['name']) + s(r['org']) \\
        + i(r['case_id']) + s(r['item']) + s(r['category']) + s(r['action']) + s(r['purpose']) + i(r['bg'])
    h = hashlib.blake2b(c, digest_size=32).hexdigest()
    out.append({'id': r['id'], 'prev': prev, 'hash': h})
    prev = h
print(json.dumps(out))
`;

test('changing an entry and recomputing the plain hashes is found', () => {
  const q = sql(w.srv.db, 'SELECT id, at, coalesce(actor_id, 0), actor_role, actor_name, actor_org, ' +
    'coalesce(case_id, 0), item, category, action, purpose, break_glass, prev_hash FROM audit_log WHERE id >= 3 ORDER BY id');
  assert.equal(q.status, 0, q.stderr);
  const rows = q.stdout.trim().split('\n').map((l) => {
    const c = l.split('|');
    assert.equal(c.length, 13, l);
    return { id: Number(c[0]), at: c[1], actor_id: c[2], role: c[3], name: c[4], org: c[5], case_id: c[6],
      item: c[7], category: c[8], action: c[9], purpose: c[10], bg: c[11], prev: c[12] };
  });
  rows[0].purpose = 'rewritten';
  const f = spawnSync('python3', ['-c', FORGE], { input: JSON.stringify(rows), encoding: 'utf8' });
  assert.equal(f.status, 0, f.stderr);
  const forged = JSON.parse(f.stdout);
  const upd = forged.map((x) => `UPDATE audit_log SET prev_hash = '${x.prev}', hash = '${x.hash}'` +
    `${x.id === 3 ? ", purpose = 'rewritten'" : ''} WHERE id = ${x.id};`).join(' ');
  const pre = isPg(w.srv.db) ? 'ALTER TABLE audit_log DISABLE TRIGGER USER; ' : 'DROP TRIGGER audit_log_no_update; ';
  const u = sql(w.srv.db, pre + upd);
  assert.equal(u.status, 0, u.stderr);
  const r = verify();
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /^audit chain broken at entry 3 \(2 entries before it intact\)$/m);
});
