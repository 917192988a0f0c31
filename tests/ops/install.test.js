'use strict';
// `make install` (issue 20, DESIGN.md section 11): the binary, its static
// files and DKFDS under FHS paths, the systemd units (sandboxed, verified
// by systemd-analyze) and the examples; an installed `ibbis serve` finds
// its files without flags, from any folder.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, freePort, sleep, request } = require('../api/lib/server.js');

let tmp;
let prefix;

function make(args) {
  const r = spawnSync('make', ['-s', '-j2'].concat(args), { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `make ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-install-'));
  prefix = path.join(tmp, 'usr');
  // A build folder of its own: the binary is built with this PREFIX.
  make(['install', `PREFIX=${prefix}`, `BUILD=${tmp}/build`]);
});

after(() => {
  if (tmp && !process.env.IBBIS_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

test('make install lays out the binary, static files, DKFDS, units and docs', () => {
  const want = [
    'bin/ibbis',
    'share/ibbis/web/ibbis.css',
    'share/ibbis/dkfds/css',
    'share/ibbis/dkfds/js',
    'share/ibbis/examples/ibbis.conf',
    'share/ibbis/examples/ibbis.env',
    'lib/systemd/system/ibbis.service',
    'lib/systemd/system/ibbis-sweep.service',
    'lib/systemd/system/ibbis-sweep.timer',
    'lib/systemd/system/ibbis-backup.service',
    'lib/systemd/system/ibbis-backup.timer',
    'lib/sysusers.d/ibbis.conf',
    'share/doc/ibbis/README.md',
    'share/doc/ibbis/docs/operations.md',
  ];
  for (const w of want) assert.ok(fs.existsSync(path.join(prefix, w)), `installed: ${w}`);
  assert.equal(fs.statSync(path.join(prefix, 'bin/ibbis')).mode & 0o777, 0o755);
  const unit = fs.readFileSync(path.join(prefix, 'lib/systemd/system/ibbis.service'), 'utf8');
  assert.ok(unit.includes(`ExecStart=${prefix}/bin/ibbis serve`), 'the unit names the binary');
  assert.doesNotMatch(unit, /@[A-Z]+@/, 'no placeholder is left');
});

test('the units run as a dedicated user in systemd\'s sandbox and pass systemd-analyze verify', () => {
  const dirUnits = path.join(prefix, 'lib/systemd/system');
  for (const f of ['ibbis.service', 'ibbis-sweep.service', 'ibbis-backup.service']) {
    const u = fs.readFileSync(path.join(dirUnits, f), 'utf8');
    for (const line of ['User=ibbis', 'ProtectSystem=strict', 'ProtectHome=yes',
      'PrivateTmp=yes', 'NoNewPrivileges=yes', 'ReadWritePaths=/var/lib/ibbis']) {
      assert.ok(u.split('\n').includes(line), `${f} has ${line}`);
    }
  }
  const files = ['ibbis.service', 'ibbis-sweep.service', 'ibbis-sweep.timer',
    'ibbis-backup.service', 'ibbis-backup.timer']
    .map((f) => path.join(dirUnits, f));
  const r = spawnSync('systemd-analyze', ['verify'].concat(files), { encoding: 'utf8' });
  assert.equal(r.status, 0, `systemd-analyze verify:\n${r.stdout}${r.stderr}`);
  // The check can fail: a broken copy of the unit is refused.
  const bad = path.join(tmp, 'ibbis-broken.service');
  fs.writeFileSync(bad, fs.readFileSync(files[0], 'utf8')
    .replace(/^ExecStart=.*$/m, `ExecStart=${tmp}/no-such-binary serve`));
  const rb = spawnSync('systemd-analyze', ['verify', bad], { encoding: 'utf8' });
  assert.notEqual(rb.status, 0, 'systemd-analyze refuses a unit whose binary is missing');
});

test('DESTDIR stages the same tree for a package', () => {
  const stage = path.join(tmp, 'stage');
  make(['install', `PREFIX=${prefix}`, `BUILD=${tmp}/build`, `DESTDIR=${stage}`]);
  assert.ok(fs.existsSync(path.join(stage, prefix, 'bin/ibbis')));
  assert.ok(fs.existsSync(path.join(stage, prefix, 'share/ibbis/dkfds/css')));
});

test('the installed ibbis serve finds its files without flags, from any folder', async () => {
  const run = path.join(tmp, 'run');
  fs.mkdirSync(run);
  const bin = path.join(prefix, 'bin/ibbis');
  const db = path.join(run, 'x.db');
  const port = await freePort();
  const env = Object.assign({}, process.env);
  for (const k of ['IBBIS_DB', 'IBBIS_STATIC_DIR', 'IBBIS_DKFDS_DIR']) delete env[k];
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
    { cwd: run, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await request(base, 'GET', '/healthz')).status === 200) break;
      } catch (e) { /* not yet */ }
      assert.ok(i < 200, `the installed server did not start:\n${stderr}`);
      await sleep(50);
    }
    const css = await request(base, 'GET', '/static/ibbis.css');
    assert.equal(css.status, 200, 'our own static files');
    const dkfdsCss = fs.readdirSync(path.join(prefix, 'share/ibbis/dkfds/css'))
      .find((f) => f.endsWith('.min.css'));
    const d = await request(base, 'GET', `/static/dkfds/css/${dkfdsCss}`);
    assert.equal(d.status, 200, `DKFDS: /static/dkfds/css/${dkfdsCss}`);
  } finally {
    proc.kill('SIGTERM');
  }
});

test('the backup unit\'s command makes a dated copy; the restore drill ends with audit verify', () => {
  const unit = fs.readFileSync(path.join(prefix, 'lib/systemd/system/ibbis-backup.service'),
    'utf8');
  const m = /^ExecStart=\/bin\/sh -c '(.*)'$/m.exec(unit);
  assert.ok(m, 'the backup unit runs one shell line');
  const line = m[1].replace(/%%/g, '%'); // systemd's escape for %
  const drill = path.join(tmp, 'drill');
  fs.mkdirSync(drill);
  const db = path.join(drill, 'live.db');
  const bin = path.join(prefix, 'bin/ibbis');
  const run = (args) => spawnSync(bin, args, { encoding: 'utf8', cwd: drill });
  assert.equal(run(['migrate', '--db', db]).status, 0);
  assert.equal(run(['org', 'add', '--kind', 'health', '--db', db, 'Region']).status, 0);
  const env = Object.assign({}, process.env, {
    IBBIS_DB: db, IBBIS_BACKUP_DIR: path.join(drill, 'backups'), IBBIS_BACKUP_KEEP_DAYS: '14',
  });
  const b = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8', env, cwd: drill });
  assert.equal(b.status, 0, b.stderr);
  const copies = fs.readdirSync(path.join(drill, 'backups'));
  assert.equal(copies.length, 1);
  assert.match(copies[0], /^ibbis-\d{4}-\d{2}-\d{2}\.backup$/);
  assert.equal(fs.statSync(path.join(drill, 'backups', copies[0])).mode & 0o077, 0,
    'a backup is readable by its owner only');
  // The drill: restore into a new database, with the key kept apart.
  const restored = path.join(drill, 'restored.db');
  const r = run(['restore', '--db', restored, '--in', path.join(drill, 'backups', copies[0])]);
  assert.equal(r.status, 0, r.stderr);
  const v = run(['audit', 'verify', '--db', restored, '--key-file', `${db}.key`]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /chain intact/);
});
