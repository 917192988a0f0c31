'use strict';
// The command line (DESIGN.md section 3): help, version, exit codes.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ibbis, ibbisOk } = require('./lib/server.js');

function tmpDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-cli-'));
  return { dir, db: path.join(dir, 't.db') };
}

test('ibbis version prints the version and exits 0', () => {
  const r = ibbis(['version']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\S/);
});

test('ibbis help lists the commands and exits 0', () => {
  const r = ibbis(['help']);
  assert.equal(r.status, 0);
  const out = r.stdout + r.stderr;
  for (const cmd of ['serve', 'migrate', 'org', 'user', 'version', 'help']) {
    assert.match(out, new RegExp(`\\b${cmd}\\b`), `help should list ${cmd}`);
  }
});

test('ibbis serve --help lists its flags', () => {
  const r = ibbis(['serve', '--help'], { timeout: 10000 });
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  const out = r.stdout + r.stderr;
  for (const flag of ['--listen', '--db', '--workers', '--lang']) {
    assert.ok(out.includes(flag), `serve --help should list ${flag}:\n${out}`);
  }
});

test('an unknown command is a usage error (exit 2)', () => {
  const r = ibbis(['no-such-command']);
  assert.equal(r.status, 2);
});

test('an unknown flag to serve is a usage error (exit 2)', () => {
  const r = ibbis(['serve', '--no-such-flag'], { timeout: 10000 });
  assert.equal(r.status, 2);
});

test('migrate creates a database and is idempotent', () => {
  const { dir, db } = tmpDb();
  try {
    ibbisOk(['migrate', '--db', db]);
    assert.ok(fs.existsSync(db), 'database file exists after migrate');
    ibbisOk(['migrate', '--db', db]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('org add and user add with the password on stdin', () => {
  const { dir, db } = tmpDb();
  try {
    ibbisOk(['migrate', '--db', db]);
    ibbisOk(['org', 'add', '--kind', 'health', '--db', db, 'Psykiatrien Test']);
    ibbisOk(['user', 'add', '--role', 'care_manager', '--org', 'Psykiatrien Test',
      '--name', 'Cecilie Test', '--db', db, 'cecilie'], { input: 'long-enough-pw\n' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('org add with an unknown kind is refused (exit 2)', () => {
  const { dir, db } = tmpDb();
  try {
    ibbisOk(['migrate', '--db', db]);
    const r = ibbis(['org', 'add', '--kind', 'bakery', '--db', db, 'Bageriet']);
    assert.equal(r.status, 2, r.stdout + r.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('user add refuses a password under 8 characters (exit 2) and a missing org', () => {
  const { dir, db } = tmpDb();
  try {
    ibbisOk(['migrate', '--db', db]);
    ibbisOk(['org', 'add', '--kind', 'jobcentre', '--db', db, 'Jobcenter Test']);
    const short = ibbis(['user', 'add', '--role', 'employment_consultant', '--org',
      'Jobcenter Test', '--name', 'Kort Kode', '--db', db, 'kort'], { input: 'short7!\n' });
    assert.equal(short.status, 2, `short password: ${short.stdout}${short.stderr}`);
    assert.match(short.stderr + short.stdout, /password/i);
    const noOrg = ibbis(['user', 'add', '--role', 'employment_consultant', '--org',
      'No Such Org', '--name', 'Ingen Org', '--db', db, 'ingen'], { input: 'long-enough-pw\n' });
    assert.notEqual(noOrg.status, 0, 'an unknown organisation must fail');
    const badRole = ibbis(['user', 'add', '--role', 'wizard', '--org',
      'Jobcenter Test', '--name', 'Troldmand', '--db', db, 'trold'], { input: 'long-enough-pw\n' });
    assert.equal(badRole.status, 2, 'an unknown role is bad input');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
