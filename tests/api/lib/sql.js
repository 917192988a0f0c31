'use strict';
// SQL against a test database of either backend: a SQLite file (the sqlite3
// CLI) or a postgres:// URL (psql). Rows come back one per line, columns
// separated by '|', in both.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const isPg = (db) => /^postgres(ql)?:\/\//.test(db);

function sql(db, query) {
  const r = isPg(db)
    ? spawnSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-Atqc', query], { encoding: 'utf8' })
    : spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Statements that let a test change an audit entry behind the application's
// back (the triggers refuse it), to show `ibbis audit verify` notices.
function tamperAudit(db, id) {
  return isPg(db)
    ? sql(db, `ALTER TABLE audit_log DISABLE TRIGGER USER; ` +
      `UPDATE audit_log SET purpose = 'tampered' WHERE id = ${Number(id)};`)
    : sql(db, 'DROP TRIGGER audit_log_no_update; ' +
      `UPDATE audit_log SET purpose = 'tampered' WHERE id = ${Number(id)};`);
}

// Where marker appears in clear in what the database stores. SQLite: the
// bytes of the database, WAL and shared-memory files after a checkpoint.
// PostgreSQL: every table's rows as text, and the BYTEA columns' bytes.
// Returns a list of places (empty when nowhere).
function foundInClear(db, marker) {
  const found = [];
  if (!isPg(db)) {
    sql(db, 'PRAGMA wal_checkpoint(PASSIVE);');
    let seen = 0;
    for (const f of [db, `${db}-wal`, `${db}-shm`]) {
      if (!fs.existsSync(f)) continue;
      seen++;
      if (fs.readFileSync(f).indexOf(Buffer.from(marker)) !== -1) found.push(path.basename(f));
    }
    if (!seen) throw new Error(`no database file at ${db}`);
    return found;
  }
  const m = marker.replace(/'/g, "''");
  const tables = sql(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
  for (const t of tables.stdout.trim().split('\n').filter(Boolean)) {
    const r = sql(db, `SELECT count(*) FROM "${t}" x WHERE x::text LIKE '%${m}%'`);
    if (Number(r.stdout.trim()) > 0) found.push(t);
  }
  const cols = sql(db, "SELECT table_name, column_name FROM information_schema.columns " +
    "WHERE table_schema = 'public' AND data_type = 'bytea'");
  for (const line of cols.stdout.trim().split('\n').filter(Boolean)) {
    const [t, c] = line.split('|');
    const r = sql(db, `SELECT count(*) FROM "${t}" WHERE position(convert_to('${m}', 'UTF8') in "${c}") > 0`);
    if (Number(r.stdout.trim()) > 0) found.push(`${t}.${c}`);
  }
  return found;
}

module.exports = { sql, isPg, tamperAudit, foundInClear };
