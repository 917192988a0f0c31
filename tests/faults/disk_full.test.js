'use strict';
// A full disk (issue 14, Faults): the SQLite database lives on a small tmpfs
// (24 MiB); under write load a filler file takes the rest of it. Writes are
// then answered 503 with a plain message and the log says once that the
// disk is full; nothing is corrupted (PRAGMA integrity_check, audit
// verify); reads that need no new audit entry keep working, and a read
// whose audit entry cannot be written is refused (503) within a few
// seconds instead of being held. Once the filler is removed the same
// process writes again and the log says so. SQLite only (PostgreSQL's
// disk is its server's); needs root for the mount (CI runs as root).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { sql } = require('../api/lib/sql');
const {
  BACKEND, keyFile, smallWorld, figure, writeLoad, sessions, auditVerify, sleep,
} = require('./lib');

const SIZE = '24m';
const SLOWEST_MS = 6000;
const FULL_LINE = 'the disk is full, writes are refused until space is freed';
const ROOM_LINE = 'the disk has room again, writes are accepted';

function whySkip() {
  if (BACKEND !== 'sqlite') return 'SQLite only: a PostgreSQL server\'s disk is its own';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'needs root to mount a tmpfs (CI runs as root)';
  }
  return false;
}

// Writes to `file` until the file system has no room left: big chunks
// first, then smaller ones, so the last bytes go too. Returns the bytes.
function fill(file) {
  const fd = fs.openSync(file, 'w');
  let total = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 512]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          total += fs.writeSync(fd, chunk);
        } catch (e) {
          if (e.code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return total;
}

const count = (text, line) => text.split(line).length - 1;

test('a full disk: writes answer 503, nothing is corrupted, writes resume once there is room', { skip: whySkip() }, async (t) => {
  const t0 = Date.now();
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-full-'));
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE}`, 'tmpfs', mnt], { encoding: 'utf8' });
  if (m.status !== 0) {
    fs.rmdirSync(mnt);
    t.skip(`mount -t tmpfs failed: ${(m.stderr || '').trim()}`);
    return;
  }
  let w = null;
  t.after(async () => {
    if (w) await w.srv.stop('SIGKILL');
    spawnSync('umount', [mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });
  const key = keyFile();
  w = await smallWorld({ key, tmpdir: mnt });
  const db = w.srv.db;
  assert.ok(db.startsWith(mnt), `the database is on the tmpfs: ${db}`);
  const id = w.kase.id;
  const notesPath = `/api/v1/cases/${id}/notes`;
  const cm1 = w.s.cm1;
  for (let i = 0; i < 5; i++) {
    const r = await cm1.call('POST', notesPath, { category: 'clinical', text: `before the disk filled ${i}` });
    assert.equal(r.status, 201, r.text);
  }

  const logged = [cm1].concat(await sessions(w.srv, 'cm1', 1));
  const writers = logged.concat(logged);
  const pad = 'x'.repeat(400);
  const load = writeLoad(writers, (c, k, i) => c.call('POST', notesPath,
    { category: 'clinical', text: `full ${k}-${i} ${pad}` }, { opts: { timeout: 20000 } }));
  await sleep(300);

  const filler = path.join(mnt, 'filler');
  const filled = fill(filler);
  const tFull = Date.now();
  // The writes are refused: wait for a few 503s begun after the disk filled.
  let refusedAt = 0;
  while (!refusedAt && Date.now() - tFull < 20000) {
    const r = load.answers.filter((a) => a.start >= tFull && a.status === 503);
    if (r.length >= 3) refusedAt = Date.now();
    else await sleep(20);
  }
  assert.ok(refusedAt, `writes were refused within 20 s of the disk filling (${load.answers.filter((a) => a.start >= tFull).length} answers since)`);

  // While it is full: the log says so once, a read that makes no audit
  // entry works, an audited read is answered (200 or 503) within a few
  // seconds, and the database file is intact.
  await sleep(500);
  const stderrFull = w.srv.stderr();
  assert.ok(stderrFull.includes(FULL_LINE), `the log says the disk is full:\n${stderrFull.slice(-1500)}`);
  const me = await cm1.call('GET', '/api/v1/me');
  assert.equal(me.status, 200, `a read with no audit entry works: ${me.text.slice(0, 200)}`);
  const tRead = Date.now();
  const audited = await cm1.call('GET', notesPath, undefined, { opts: { timeout: 20000 } });
  const auditedMs = Date.now() - tRead;
  assert.ok([200, 503].includes(audited.status), `an audited read: ${audited.status} ${audited.text.slice(0, 200)}`);
  assert.ok(auditedMs <= SLOWEST_MS, `the audited read was answered in ${auditedMs} ms`);
  if (audited.status === 503) {
    assert.match(audited.text, /audit log cannot be written/);
    assert.match(audited.text, /adgangsloggen kan ikke skrives/);
    assert.ok(Number(audited.headers['retry-after']) > 0, 'Retry-After');
  }
  const icFull = sql(db, 'PRAGMA integrity_check;');
  assert.equal(icFull.stdout.trim(), 'ok', `integrity while full: ${icFull.stdout}${icFull.stderr}`);

  // Room again: the same process writes again by itself.
  fs.unlinkSync(filler);
  const tFree = Date.now();
  let tRecovered = 0;
  while (!tRecovered && Date.now() - tFree < 20000) {
    const a = load.answers.find((x) => x.status === 201 && x.start >= tFree);
    if (a) tRecovered = a.start + a.ms;
    else await sleep(20);
  }
  await sleep(500);
  await load.stop();
  assert.ok(tRecovered, 'a write succeeded within 20 s of the filler being removed');

  assert.deepEqual(load.errors.map((e) => e.message), [], 'no connection failed or timed out');
  const odd = load.answers.filter((a) => a.status !== 201 && a.status !== 503);
  assert.deepEqual(odd.map((a) => `${a.status} ${a.text.slice(0, 160)}`), [], 'only 201 and 503');
  const refused = load.answers.filter((a) => a.status === 503);
  const plain = refused.find((a) => a.json && a.json.error);
  assert.ok(plain, 'a refused write says why');
  assert.equal(plain.json.error.code, 'unavailable');
  assert.match(plain.json.error.message, /temporarily unavailable/);
  const slowest = Math.max(...load.answers.map((a) => a.ms));
  assert.ok(slowest <= SLOWEST_MS, `no write took longer than ${SLOWEST_MS} ms (slowest ${slowest} ms)`);
  const stderr = w.srv.stderr();
  assert.ok(stderr.includes(ROOM_LINE), `the log says writes are accepted again:\n${stderr.slice(-1500)}`);

  // Every acknowledged write is there; the after-recovery audited read works.
  const list = await cm1.call('GET', notesPath);
  assert.equal(list.status, 200, list.text.slice(0, 200));
  const have = new Set(list.json.notes.map((n) => n.text));
  const acked = load.answers.filter((a) => a.status === 201);
  const lost = acked.filter((a) => !have.has(`full ${a.client}-${a.i} ${pad}`));
  assert.equal(lost.length, 0, `${lost.length} acknowledged writes missing`);
  for (let i = 0; i < 5; i++) assert.ok(have.has(`before the disk filled ${i}`));

  const stopped = await w.srv.stop();
  assert.equal(stopped.code, 0, stderr.slice(-1500));
  const ic = sql(db, 'PRAGMA integrity_check;');
  assert.equal(ic.stdout.trim(), 'ok', ic.stdout + ic.stderr);
  const v = auditVerify(db, key);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  w = { srv: { stop: async () => {} } };

  figure('full disk', `tmpfs ${SIZE}, filler ${(filled / 1048576).toFixed(1)} MiB; ` +
    `${acked.length} writes acknowledged, ${refused.length} refused with 503, 0 other, lost 0; ` +
    `first refusals ${refusedAt - tFull} ms after the disk filled; "${FULL_LINE}" logged ` +
    `${count(stderr, FULL_LINE)} time(s), "${ROOM_LINE}" ${count(stderr, ROOM_LINE)}; ` +
    `/api/v1/me 200 while full; an audited read ${audited.status} in ${auditedMs} ms; ` +
    `writes again ${tRecovered - tFree} ms after the filler went; slowest write ${slowest} ms; ` +
    `integrity_check ok, audit verify ok; ${Date.now() - t0} ms in all`);
});
