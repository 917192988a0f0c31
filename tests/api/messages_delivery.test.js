'use strict';
// The sender's promises, through a real SMTP server (tests/api/lib/smtp.js):
// nothing is lost while the mail server is down and every message arrives
// exactly once when it is back; a refusal for good is kept with its reason;
// a server killed (-9) between the commit and the send sends after its
// restart; two nodes (and cron passes) on one database never send a
// message twice. Runs on SQLite, and on PostgreSQL with IBBIS_TEST_PG_DIR.

const test = require('node:test');
const assert = require('node:assert');
const {
  startServer, makeDatabase, ibbis, freePort, sleep,
} = require('./lib/server');
const { session } = require('./lib/world');
const { sql } = require('./lib/sql');
const { MailSink, mailArgs, mailSend } = require('./lib/smtp');

const json = { Accept: 'application/json' };

async function addresses(srv) {
  const s = {};
  for (const u of ['admin', 'cm1', 'ec1']) {
    s[u] = await session(srv, u);
    const r = await s[u].call('PATCH', '/api/v1/me/notifications', { email: `${u}@example.org` });
    assert.equal(r.status, 200, r.text);
  }
  return s;
}

const reset = (srv, who) => srv.request('POST', '/password-reset', { body: { username: who }, headers: json });

test('the mail server down for a while, then up: every message arrives, exactly once', async () => {
  const sink = new MailSink();
  sink.port = await freePort(); // nothing listens there yet
  const srv = await startServer({ args: mailArgs(sink) });
  try {
    const s = await addresses(srv);
    for (const who of ['cm1', 'ec1']) assert.equal((await reset(srv, who)).status, 200);
    // The sender tries, fails and keeps both, with the reason.
    const end = Date.now() + 20000;
    let box;
    for (;;) {
      box = (await s.admin.call('GET', '/api/v1/outbox?status=queued')).json;
      if (box.messages.length === 2 && box.messages.every((m) => m.attempts >= 2 && m.last_error)) break;
      assert.ok(Date.now() < end, `no retries seen: ${JSON.stringify(box)}`);
      await sleep(200);
    }
    assert.match(box.messages[0].last_error, /connect|Couldn't|refused/i);
    const page = await srv.request('GET', '/outbox', { jar: s.admin.jar, headers: { Accept: 'text/html' } });
    assert.match(page.text, /Waiting/);
    await sink.start();
    await sink.waitFor((m) => m.length >= 2, 30000, 'both messages after the server came back');
    await sleep(2500); // later passes must not send them again
    assert.equal(sink.messages.length, 2, 'exactly once');
    assert.deepEqual(sink.messages.map((m) => m.envelopeTo[0]).sort(), ['cm1@example.org', 'ec1@example.org']);
    box = (await s.admin.call('GET', '/api/v1/outbox')).json;
    assert.equal(box.counts.sent, 2);
    assert.equal(box.counts.queued, 0);
  } finally {
    await srv.stop();
    srv.cleanup();
    await sink.stop();
  }
});

test('a refusal for good (550) is marked failed with the reason, never retried; without --smtp-url messages wait', async () => {
  const sink = new MailSink();
  await sink.start();
  sink.refuse.add('ec1@example.org');
  const srv = await startServer({ args: mailArgs(sink) });
  try {
    const s = await addresses(srv);
    assert.equal((await reset(srv, 'ec1')).status, 200);
    const end = Date.now() + 20000;
    let box;
    for (;;) {
      box = (await s.admin.call('GET', '/api/v1/outbox?status=failed')).json;
      if (box.messages.length === 1) break;
      assert.ok(Date.now() < end, 'no failure recorded');
      await sleep(200);
    }
    assert.equal(box.messages[0].to, 'ec1@example.org');
    assert.equal(box.messages[0].attempts, 1);
    assert.match(box.messages[0].last_error, /550/);
    await sleep(2000);
    assert.equal((await s.admin.call('GET', '/api/v1/outbox?status=failed')).json.messages[0].attempts, 1);
    const page = await srv.request('GET', '/outbox?status=failed', { jar: s.admin.jar, headers: { Accept: 'text/html' } });
    assert.match(page.text, /Failed/);
    assert.match(page.text, /550/);
  } finally {
    await srv.stop();
    srv.cleanup();
    await sink.stop();
  }
  // The same database without mail: the message waits and the page says so.
  const plain = await startServer();
  try {
    const s = await addresses(plain);
    assert.equal((await reset(plain, 'cm1')).status, 200);
    const box = (await s.admin.call('GET', '/api/v1/outbox')).json;
    assert.equal(box.mail_configured, false);
    assert.equal(box.counts.queued, 1);
    const page = await plain.request('GET', '/outbox', { jar: s.admin.jar, headers: { Accept: 'text/html', 'Accept-Language': 'da' } });
    assert.match(page.text, /Der er ikke sat en mailserver op/);
  } finally {
    await plain.stop();
    plain.cleanup();
  }
});

test('killed (-9) between the commit and the send: the message goes out after the restart', async () => {
  const sink = new MailSink();
  await sink.start();
  const { dir, db } = makeDatabase();
  // One pass at start, then none for an hour: the message waits in the outbox.
  let srv = await startServer({ db, dir, args: mailArgs(sink, ['--mail-interval', '3600']) });
  try {
    await addresses(srv);
    assert.equal((await reset(srv, 'cm1')).status, 200);
    await sleep(500);
    assert.equal(sink.messages.length, 0, 'not sent yet');
    const e = await srv.stop('SIGKILL');
    assert.equal(e.signal, 'SIGKILL');
    srv = await startServer({ db, dir, args: mailArgs(sink) });
    await sink.waitFor((m) => m.length === 1, 20000, 'the message after the restart');
    assert.equal(sink.messages[0].envelopeTo[0], 'cm1@example.org');
    assert.match(sink.messages[0].text, /password-reset\/[0-9a-f]{64}/);
  } finally {
    await srv.stop();
    srv.cleanup();
    await sink.stop();
  }
});

test('two nodes and two cron passes on one database send together: no message twice', async () => {
  const sink = new MailSink();
  await sink.start();
  const { dir, db } = makeDatabase();
  const N = 60;
  const now = Math.floor(Date.now() / 1000);
  const rows = [];
  for (let i = 0; i < N; i++) {
    rows.push(`('n${i}@example.org', 'en', 'password_reset', '{"token": "${'ab'.repeat(32)}"}', ${now}, ${now})`);
  }
  const ins = sql(db, `INSERT INTO outbox (to_addr, lang, kind, params, next_at, created_at) VALUES ${rows.join(', ')};`);
  assert.equal(ins.status, 0, ins.stderr);
  const cron = () => mailSend(db, sink);
  const [a, b] = await Promise.all([
    startServer({ db, dir, args: mailArgs(sink) }),
    startServer({ db, dir, args: mailArgs(sink) }),
    cron(), cron(),
  ]);
  try {
    await sink.waitFor((m) => m.length >= N, 60000, `${N} messages`);
    await sleep(2500);
    const to = sink.messages.map((m) => m.envelopeTo[0]);
    assert.equal(to.length, N, 'no duplicate');
    assert.equal(new Set(to).size, N);
    const left = sql(db, "SELECT count(*) FROM outbox WHERE status <> 'sent'");
    assert.equal(left.stdout.trim(), '0');
  } finally {
    await a.stop();
    await b.stop();
    a.cleanup();
    await sink.stop();
  }
});

test('ibbis mail send: one pass for cron; bad flags are usage errors', async () => {
  const r = ibbis(['mail', 'send', '--db', '/nonexistent/x.db']);
  assert.equal(r.status, 2, 'no --smtp-url');
  assert.match(r.stderr, /smtp-url/);
  const r2 = ibbis(['mail', 'send', '--smtp-url', 'http://x', '--smtp-from', 'a@b.dk']);
  assert.equal(r2.status, 2);
  const r3 = ibbis(['mail', 'send', '--smtp-url', 'smtp://127.0.0.1:1', '--smtp-from', 'a@b.dk', '--at', 'tomorrow']);
  assert.equal(r3.status, 2);
  assert.match(r3.stderr, /--at/);
  const h = ibbis(['help', 'mail']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /mail send/);
});
