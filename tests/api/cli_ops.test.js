'use strict';
// The operator's command line (issue 20, DESIGN.md sections 3 and 11):
// help on stdout for every command, --key-file everywhere, no database made
// by accident, accounts listed, disabled, enabled and given a new role (with
// their sessions ended), and `serve --access-log 0`.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ibbis, ibbisOk, startServer, loginJson, request } = require('./lib/server.js');

function tmpDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-ops-'));
}

// The commands `ibbis help` lists, read from its own output.
function listedCommands() {
  const r = ibbis(['help']);
  const names = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^ {2}([a-z][a-z-]*) {2,}/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

test('ibbis help and ibbis --help print to stdout, nothing to stderr, exit 0', () => {
  for (const args of [['help'], ['--help'], ['-h']]) {
    const r = ibbis(args);
    assert.equal(r.status, 0, `${args}: ${r.stderr}`);
    assert.equal(r.stderr, '', `${args} wrote to stderr`);
    assert.match(r.stdout, /usage: ibbis COMMAND/);
  }
  // No command at all is a usage error: the list goes to stderr, exit 2.
  const none = ibbis([]);
  assert.equal(none.status, 2);
  assert.equal(none.stdout, '');
});

test('every command answers --help (and ibbis help COMMAND) on stdout with exit 0', () => {
  const cmds = listedCommands();
  for (const c of ['serve', 'migrate', 'user', 'audit', 'sweep', 'export', 'backup', 'keygen']) {
    assert.ok(cmds.includes(c), `help lists ${c}: ${cmds}`);
  }
  for (const c of cmds) {
    for (const args of [[c, '--help'], ['help', c]]) {
      const r = ibbis(args, { timeout: 10000 });
      assert.equal(r.status, 0, `ibbis ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`usage: ibbis ${c}\\b`), `ibbis ${args.join(' ')}`);
    }
  }
  const bad = ibbis(['help', 'no-such-command']);
  assert.equal(bad.status, 2);
});

test('migrate takes --key-file and makes the key there with mode 0600', () => {
  const dir = tmpDir();
  try {
    const db = path.join(dir, 'x.db');
    const key = path.join(dir, 'elsewhere.key');
    ibbisOk(['migrate', '--db', db, '--key-file', key]);
    assert.ok(fs.existsSync(key), 'the key file is where --key-file said');
    assert.equal(fs.statSync(key).mode & 0o777, 0o600);
    assert.ok(!fs.existsSync(db + '.key'), 'no second key beside the database');
    // The same flag through the environment.
    const db2 = path.join(dir, 'y.db');
    const key2 = path.join(dir, 'env.key');
    ibbisOk(['migrate', '--db', db2], { env: { IBBIS_KEY_FILE: key2 } });
    assert.ok(fs.existsSync(key2));
    // A flag without its value is a usage error.
    assert.equal(ibbis(['migrate', '--db', db, '--key-file']).status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a command given another key, or none, is refused by name and changes nothing', () => {
  const dir = tmpDir();
  try {
    const db = path.join(dir, 'k.db');
    const key = path.join(dir, 'right.key');
    const other = path.join(dir, 'other.key');
    ibbisOk(['migrate', '--db', db, '--key-file', key]);
    ibbisOk(['org', 'add', '--kind', 'health', '--db', db, '--key-file', key, 'Psykiatri']);
    ibbisOk(['keygen', '--key-file', other]);
    const wrong = ibbis(['org', 'add', '--kind', 'health', '--db', db, '--key-file', other, 'Andet']);
    assert.equal(wrong.status, 1, wrong.stderr);
    assert.match(wrong.stderr, /other\.key is not this database's key/);
    assert.match(wrong.stderr, /nothing changed/);
    const none = ibbis(['org', 'add', '--kind', 'health', '--db', db, '--key-file',
      path.join(dir, 'missing.key'), 'Andet']);
    assert.equal(none.status, 1, none.stderr);
    assert.match(none.stderr, /missing\.key is missing, and the database was set up with a key/);
    assert.ok(!fs.existsSync(path.join(dir, 'missing.key')), 'no new key is made');
    // The server refuses the wrong key at start, before it writes an entry.
    const srv = ibbis(['serve', '--listen', '127.0.0.1:0', '--db', db, '--key-file', other]);
    assert.equal(srv.status, 1, srv.stderr);
    assert.match(srv.stderr, /not this database's key/);
    // The chain is whole: every entry was made with the right key.
    assert.match(ibbisOk(['audit', 'verify', '--db', db, '--key-file', key]).stdout, /chain intact/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no command makes a database by accident: a missing file exits 2 naming the path', () => {
  const dir = tmpDir();
  try {
    const db = path.join(dir, 'missing.db');
    const runs = [
      ['audit', 'verify', '--db', db],
      ['export', '--db', db],
      ['backup', '--db', db, '--out', path.join(dir, 'b.db')],
      ['sweep', '--db', db],
      ['user', 'list', '--db', db],
      ['user', 'disable', 'anna', '--db', db],
    ];
    for (const args of runs) {
      const r = ibbis(args);
      assert.equal(r.status, 2, `ibbis ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line: ${r.stderr}`);
      assert.ok(lines[0].includes(db), `the line names the path: ${lines[0]}`);
      assert.deepEqual(fs.readdirSync(dir), [], `ibbis ${args[0]} left a file behind`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('audit verify counts in words: "0 entries", never a cut-off message', () => {
  const dir = tmpDir();
  try {
    const db = path.join(dir, 'v.db');
    ibbisOk(['migrate', '--db', db]);
    const r = ibbisOk(['audit', 'verify', '--db', db]);
    assert.match(r.stdout, /^0 entries, chain intact\b/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('user list, disable, enable and role: each says what it did; disabling ends sessions', async () => {
  const srv = await startServer();
  try {
    const list = ibbisOk(['user', 'list', '--db', srv.db]);
    assert.match(list.stdout, /^id +username +role +organisation +state +sessions$/m);
    const cm = list.stdout.split('\n').find((l) => /\bcare_manager\b/.test(l));
    assert.ok(cm, `a care manager is listed:\n${list.stdout}`);
    const username = cm.trim().split(/ +/)[1];

    const { jar } = await loginJson(srv, username);
    assert.equal((await srv.request('GET', '/api/v1/me', { jar })).status, 200);
    const withSession = ibbisOk(['user', 'list', '--role', 'care_manager', '--db', srv.db]);
    assert.match(withSession.stdout, new RegExp(`\\b${username}\\b.*\\bactive +1$`, 'm'));

    const off = ibbisOk(['user', 'disable', username, '--db', srv.db]);
    assert.match(off.stderr, new RegExp(`user '${username}' disabled; 1 session ended`));
    assert.equal((await srv.request('GET', '/api/v1/me', { jar })).status, 401,
      'the disabled account\'s session has ended');
    const login = await request(srv.url, 'POST', '/login',
      { body: { username, password: 'PASSWORD' } });
    assert.equal(login.status, 401, 'a disabled account cannot log in');

    const on = ibbisOk(['user', 'enable', username, '--db', srv.db]);
    assert.match(on.stderr, new RegExp(`user '${username}' enabled`));
    const { jar: jar2 } = await loginJson(srv, username);

    const role = ibbisOk(['user', 'role', username, 'supervisor', '--db', srv.db]);
    assert.match(role.stderr, new RegExp(`user '${username}' is now supervisor; 1 session ended`));
    assert.equal((await srv.request('GET', '/api/v1/me', { jar: jar2 })).status, 401);
    const { jar: jar3 } = await loginJson(srv, username);
    const me = await srv.request('GET', '/api/v1/me', { jar: jar3 });
    assert.equal(me.json.role, 'supervisor');
  } finally {
    await srv.stop();
    srv.cleanup();
  }
});

test('user commands refuse bad input with exit 2 and one clear line', async () => {
  const srv = await startServer();
  try {
    const cases = [
      { args: ['user', 'disable', 'nobody-here'], want: /no account named 'nobody-here'/ },
      { args: ['user', 'role', 'nobody-here', 'admin'], want: /no account named/ },
      { args: ['user', 'role', 'x', 'wizard'], want: /unknown role 'wizard'/ },
      { args: ['user', 'list', '--role', 'wizard'], want: /unknown role 'wizard'/ },
      { args: ['user', 'disable'], want: /usage: ibbis user disable USERNAME/ },
      { args: ['user', 'role', 'x'], want: /usage: ibbis user role USERNAME ROLE/ },
      { args: ['user', 'frobnicate'], want: /unknown sub-command 'frobnicate'/ },
    ];
    for (const c of cases) {
      const r = ibbis(c.args.concat(['--db', srv.db]));
      assert.equal(r.status, 2, `ibbis ${c.args.join(' ')}: exit ${r.status}: ${r.stderr}`);
      assert.match(r.stderr, c.want, `ibbis ${c.args.join(' ')}`);
    }
    // A service user's account never changes role.
    const list = ibbisOk(['user', 'list', '--role', 'service_user', '--db', srv.db]);
    const su = list.stdout.split('\n').slice(1).find((l) => l.trim());
    if (su) {
      const r = ibbis(['user', 'role', su.trim().split(/ +/)[1], 'admin', '--db', srv.db]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /service user's account belongs to their case/);
    }
  } finally {
    await srv.stop();
    srv.cleanup();
  }
});

test('serve --access-log 0 starts and writes no request lines', async () => {
  const srv = await startServer({ args: ['--access-log', '0'] });
  try {
    assert.equal((await srv.request('GET', '/healthz')).status, 200);
    assert.equal((await srv.request('GET', '/no-such-page')).status, 404);
    await srv.stop();
    assert.doesNotMatch(srv.stderr(), /GET \/no-such-page 404/);
  } finally {
    srv.cleanup();
  }
  const on = await startServer({ args: ['--access-log', '1'] });
  try {
    await on.request('GET', '/no-such-page');
    await on.stop();
    assert.match(on.stderr(), /GET \/no-such-page 404/, 'with 1 the line is there');
  } finally {
    on.cleanup();
  }
});
