'use strict';
// Every message the demo produces, read through a real SMTP server after
// markers were planted in what must never travel by e-mail: the person's
// name, contact and CPR number, note text, decision reasons and staff names.
// The demo gives every account an address under example.org.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { makeDatabase, ibbisOk } = require('./lib/server');
const { sql } = require('./lib/sql');
const { today } = require('./lib/world.js');
const { MailSink, mailSend } = require('./lib/smtp');

// The next n weekdays from the Danish today on.
function weekdaysFrom(n) {
  const out = [];
  for (let k = 0; out.length < n; k++) {
    const day = today(k);
    const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(day);
  }
  return out;
}

test('the demo\'s messages carry no name, CPR number, note text or reasons', async () => {
  const { dir, db } = makeDatabase({ orgs: [], users: [] });
  const sink = new MailSink();
  await sink.start();
  try {
    ibbisOk(['demo-data', '--db', db, '--cases', '30', '--accounts', path.join(dir, 'a.json')]);
    ibbisOk(['sweep', '--db', db]);
    const rows = (q) => sql(db, q).stdout.split('\n').filter(Boolean);
    assert.deepEqual(rows("SELECT count(*) FROM users WHERE email IS NULL OR email NOT LIKE '%@example.org'"), ['0']);
    const cprs = rows('SELECT cpr FROM cases');
    assert.ok(cprs.length >= 30);
    const names = rows('SELECT name FROM cases');
    const plant = sql(db, "UPDATE cases SET name = 'MARKER-NAME-' || CAST(id AS TEXT), contact = 'MARKER-CONTACT'; " +
      "UPDATE notes SET body_plain = 'MARKER-NOTE' WHERE body_plain IS NOT NULL; " +
      "UPDATE decisions SET reasons = 'MARKER-REASONS'; " +
      "UPDATE users SET name = 'MARKER-USER-' || CAST(id AS TEXT);");
    assert.equal(plant.status, 0, plant.stderr);
    for (const day of weekdaysFrom(12)) await mailSend(db, sink, ['--at', `${day}T07:00`]);
    await sink.waitFor((m) => m.length > 0 && m.length === Number(rows("SELECT count(*) FROM outbox WHERE status = 'sent'")[0]), 30000, 'every message');
    const kinds = new Set(rows('SELECT DISTINCT kind FROM outbox'));
    assert.ok(kinds.has('digest') && kinds.has('meeting_reminder') && kinds.has('hearing_due'),
      [...kinds].join(', '));
    for (const m of sink.messages) {
      const all = `${m.raw}\n${m.subject}\n${m.text}`;
      assert.ok(!/MARKER/.test(all), `a marker in: ${m.subject}`);
      for (const c of cprs) {
        assert.ok(!all.includes(c) && !all.includes(`${c.slice(0, 6)}-${c.slice(6)}`), `a CPR number in: ${m.subject}`);
      }
      for (const n of names) assert.ok(!all.includes(n), `a name in: ${m.subject}`);
      assert.match(m.text, /IBBIS/);
    }
    fs.writeFileSync(path.join(dir, 'count'), String(sink.messages.length));
  } finally {
    await sink.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
