'use strict';
// PostgreSQL with a least-privilege user (docs/operations.md): the owner
// role migrates, dist/postgres/grants.sql gives the app role rows but no
// DDL, and `ibbis serve` runs as the app role; the app role cannot rewrite
// or empty the audit log. Skips when PostgreSQL 15 is not installed.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, ibbis, ibbisOk, startServer, loginJson, PASSWORD } =
  require('../api/lib/server.js');

const PGBIN = process.env.PGBIN || '/usr/lib/postgresql/15/bin';
const have = fs.existsSync(path.join(PGBIN, 'initdb'));
let dir;
let port;

function psql(user, db, sql) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db,
    '-v', 'ON_ERROR_STOP=1', '-tAq'];
  const opts = { encoding: 'utf8', cwd: '/' };
  if (sql.file) return spawnSync(path.join(PGBIN, 'psql'), args.concat(['-f', sql.file]), opts);
  return spawnSync(path.join(PGBIN, 'psql'), args.concat(['-c', sql]), opts);
}

function url(user) {
  return `postgres://${user}@127.0.0.1:${port}/ibbis_lp`;
}

before(() => {
  if (!have) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-pgroles-'));
  fs.chmodSync(dir, 0o755);
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/pg.sh'), 'start', dir],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  port = fs.readFileSync(path.join(dir, 'port'), 'utf8').trim();
  for (const sql of ['CREATE ROLE ibbis_owner LOGIN', 'CREATE ROLE ibbis_app LOGIN',
    'CREATE DATABASE ibbis_lp OWNER ibbis_owner']) {
    const p = psql('postgres', 'postgres', sql);
    assert.equal(p.status, 0, `${sql}: ${p.stderr}`);
  }
});

after(() => {
  if (!dir) return;
  spawnSync('bash', [path.join(ROOT, 'scripts/pg.sh'), 'stop', dir]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the owner migrates, the app role serves with row rights only', { skip: !have && 'no PostgreSQL 15' }, async () => {
  const key = path.join(dir, 'ibbis.key');
  ibbisOk(['migrate', '--db', url('ibbis_owner'), '--key-file', key]);
  const g = psql('ibbis_owner', 'ibbis_lp', { file: path.join(ROOT, 'dist/postgres/grants.sql') });
  assert.equal(g.status, 0, g.stderr);

  // The app role has no DDL: it cannot create a table.
  const ddl = psql('ibbis_app', 'ibbis_lp', 'CREATE TABLE x (a int)');
  assert.notEqual(ddl.status, 0, 'the app role must not create tables');

  // Accounts through the CLI as the app role, then the server as the app role.
  // Without its key file a command refuses the keyed log rather than
  // making a new key that would break the chain from the next entry on.
  const nokey = ibbis(['org', 'add', '--kind', 'health', '--db', url('ibbis_app'),
    '--key-file', path.join(dir, 'no-such.key'), 'Test Psykiatri']);
  assert.notEqual(nokey.status, 0, 'a missing key file must be refused');
  assert.match(nokey.stderr, /is missing, and the database was set up with a key/);
  assert.ok(!fs.existsSync(path.join(dir, 'no-such.key')), 'no new key is made');
  ibbisOk(['org', 'add', '--kind', 'health', '--db', url('ibbis_app'), '--key-file', key,
    'Test Psykiatri']);
  ibbisOk(['user', 'add', '--role', 'care_manager', '--org', 'Test Psykiatri', '--db',
    url('ibbis_app'), '--key-file', key, 'cm1'], { input: PASSWORD + '\n' });
  const srv = await startServer({ db: url('ibbis_app'), dir,
    args: ['--key-file', key], env: { IBBIS_TEST_PG_DIR: '' } });
  try {
    const { res, jar } = await loginJson(srv, 'cm1');
    assert.equal(res.status, 200, res.text);
    const me = await srv.request('GET', '/api/v1/me', { jar });
    assert.equal(me.status, 200);
    const health = await srv.request('GET', '/healthz');
    assert.equal(health.json.database.backend, 'postgres');
  } finally {
    await srv.stop();
  }
  // Nothing pending: migrate as the app role is a no-op that succeeds.
  const again = ibbis(['migrate', '--db', url('ibbis_app'), '--key-file', key]);
  assert.equal(again.status, 0, again.stderr);

  // The audit log is append-only for the app role.
  for (const sql of ['DELETE FROM audit_log', 'UPDATE audit_log SET action = action',
    'TRUNCATE audit_log']) {
    const p = psql('ibbis_app', 'ibbis_lp', sql);
    assert.notEqual(p.status, 0, `${sql} must be refused`);
    assert.match(p.stderr, /permission denied/, sql);
  }
  assert.match(ibbisOk(['audit', 'verify', '--db', url('ibbis_app'), '--key-file', key]).stdout,
    /chain intact/);
});
