'use strict';
// Helpers for the data-moving and several-node suites: a private
// PostgreSQL (scripts/pg.sh), scripts/multinode.sh, psql, export parsing.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT } = require('./server');

const PGBIN = process.env.PGBIN || '/usr/lib/postgresql/15/bin';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: ROOT, encoding: 'utf8', timeout: opts.timeout || 60000, input: opts.input || '',
    env: Object.assign({}, process.env, opts.env || {}),
  });
  if (r.error) throw r.error;
  return r;
}

function runOk(cmd, args, opts) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

function havePg() { return fs.existsSync(path.join(PGBIN, 'initdb')); }
function haveNginx() { return fs.existsSync(process.env.NGINX || '/usr/sbin/nginx'); }

// A private cluster in dir: { url(name), createdb(name), dropdb(name), stop() }.
// A cluster that was already running there is left running.
function pgCluster(dir) {
  const wasRunning = fs.existsSync(path.join(dir, 'data', 'postmaster.pid'));
  const pg = path.join(ROOT, 'scripts', 'pg.sh');
  runOk(pg, ['start', dir]);
  return {
    createdb: (name) => { run(pg, ['dropdb', dir, name]); return runOk(pg, ['createdb', dir, name]); },
    dropdb: (name) => run(pg, ['dropdb', dir, name]),
    stop: () => { if (!wasRunning) run(pg, ['stop', dir]); },
  };
}

// psql -tA: the rows as arrays of strings.
function psql(url, sql) {
  const out = runOk('psql', [url, '-X', '-q', '-t', '-A', '-F', '\t', '-c', sql]);
  return out === '' ? [] : out.split('\n').map((l) => l.split('\t'));
}

// An export file as { header, rows: {table: [json text of row, ...]}, end }.
function readExport(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length);
  const out = { header: JSON.parse(lines[0]), rows: {}, end: JSON.parse(lines[lines.length - 1]) };
  for (const l of lines.slice(1, -1)) {
    const o = JSON.parse(l);
    (out.rows[o.table] = out.rows[o.table] || []).push(JSON.stringify(o.row));
  }
  return out;
}

// scripts/multinode.sh start dir: { DB_URL, NODE1, NODE2, LB, ... } from dir/env.
function multinodeStart(dir, env = {}) {
  runOk(path.join(ROOT, 'scripts', 'multinode.sh'), ['start', dir], { env, timeout: 120000 });
  const vars = {};
  for (const l of fs.readFileSync(path.join(dir, 'env'), 'utf8').split('\n')) {
    const eq = l.indexOf('=');
    if (eq > 0) vars[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return vars;
}

function multinodeStop(dir) { run(path.join(ROOT, 'scripts', 'multinode.sh'), ['stop', dir]); }
function multinodePgRestart(dir) { runOk(path.join(ROOT, 'scripts', 'multinode.sh'), ['pgrestart', dir]); }

module.exports = {
  PGBIN, run, runOk, havePg, haveNginx, pgCluster, psql, readExport,
  multinodeStart, multinodeStop, multinodePgRestart,
};
