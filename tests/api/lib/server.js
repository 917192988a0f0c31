'use strict';
// Test harness: runs the real `ibbis` binary with a fresh database on a free
// loopback port, and a small HTTP client with a cookie jar.
// Works on node 18 and 20 (CommonJS, node's http module only).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const zlib = require('node:zlib');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = process.env.IBBIS_BIN || path.join(ROOT, 'build', 'ibbis');
// Sanitized builds start and answer slower, and a loaded machine (several
// suites at once) can take seconds; the wait only costs time on failure.
const SLOW = /address|undefined|sanitize/.test(BIN);
const START_TIMEOUT_MS = Number(process.env.IBBIS_TEST_START_TIMEOUT_MS) || (SLOW ? 60000 : 30000);

const PASSWORD = 'correct-horse-battery';

// IBBIS_TEST_PG_DIR=<cluster dir> (scripts/pg.sh start DIR): every test
// database is a fresh PostgreSQL database in that cluster instead of a
// SQLite file. The key file then cannot sit next to the database: one
// temporary key serves every test database of this process.
const PG_DIR = process.env.IBBIS_TEST_PG_DIR || '';
let pgSeq = 0;
if (PG_DIR && !process.env.IBBIS_KEY_FILE) {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-test-key-'));
  process.env.IBBIS_KEY_FILE = path.join(keyDir, 'ibbis.key');
  process.on('exit', () => fs.rmSync(keyDir, { recursive: true, force: true }));
}

// A fresh database in the cluster; returns its postgres:// URL.
function freshPgDatabase() {
  pgSeq += 1;
  const r = spawnSync(path.join(ROOT, 'scripts', 'pg.sh'),
    ['createdb', PG_DIR, `t_${process.pid}_${pgSeq}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/pg.sh createdb failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

// The default fixture: one organisation of each kind, a few accounts.
const DEFAULT_ORGS = [
  { name: 'Test Psykiatri', kind: 'health' },
  { name: 'Test Jobcenter', kind: 'jobcentre' },
];
const DEFAULT_USERS = [
  { username: 'admin', role: 'admin', org: 'Test Psykiatri', name: 'Ada Admin' },
  { username: 'cm1', role: 'care_manager', org: 'Test Psykiatri', name: 'Carla Care' },
  { username: 'ec1', role: 'employment_consultant', org: 'Test Jobcenter', name: 'Erik Employ' },
];

// Runs the CLI synchronously; returns { status, stdout, stderr }.
function ibbis(args, opts = {}) {
  const r = spawnSync(BIN, args, {
    cwd: ROOT,
    input: opts.input === undefined ? '' : opts.input,
    env: Object.assign({}, process.env, opts.env || {}),
    encoding: 'utf8',
    timeout: opts.timeout || 60000,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function ibbisOk(args, opts) {
  const r = ibbis(args, opts);
  if (r.status !== 0) {
    throw new Error(`ibbis ${args.join(' ')} exited ${r.status} (signal ${r.signal}):\n` +
      `${r.stdout}${r.stderr}`);
  }
  return r;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The value of `promise`, or null after `ms`; the timer never keeps node
// alive once the promise has settled.
function raceTimeout(promise, ms) {
  let timer;
  const t = new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

// The fixture through the real CLI: migrate, the organisations, the users
// (each an argon2id hash: about 6 s for a world's nine users).
function makeFixture(db, opts, key) {
  ibbisOk(['migrate', '--db', db].concat(key));
  for (const o of opts.orgs || DEFAULT_ORGS) {
    ibbisOk(['org', 'add', '--kind', o.kind, '--db', db].concat(key, [o.name]));
  }
  for (const u of opts.users || DEFAULT_USERS) {
    ibbisOk(['user', 'add', '--role', u.role, '--org', u.org, '--name', u.name,
      '--db', db].concat(key, [u.username]), { input: (u.password || PASSWORD) + '\n' });
  }
}

// On SQLite the fixture is made once per binary, fixture and Danish day
// (by the first test process that needs it; the others wait for nothing
// and copy it), and every database is a copy of its files: the same rows,
// audit chain and key as made by the CLI, without making the hashes again.
// Skipped where the test names its own key file, and with
// IBBIS_TEST_FIXTURE_CACHE=0.
const DK_DAY_FMT = new Intl.DateTimeFormat('en-CA',
  { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' });
// The Danish calendar day, YYYY-MM-DD: the server's "today" (clock_dk_day).
function dkToday() { return DK_DAY_FMT.format(new Date()); }
function cachedFixture(opts) {
  const st = fs.statSync(BIN);
  const id = require('node:crypto').createHash('sha256').update(JSON.stringify({
    bin: BIN, mtime: st.mtimeMs, size: st.size, day: dkToday(),
    orgs: opts.orgs || DEFAULT_ORGS, users: opts.users || DEFAULT_USERS,
  })).digest('hex').slice(0, 20);
  const cache = path.join(os.tmpdir(), `ibbis-fixture-${process.getuid()}-${id}`);
  if (fs.existsSync(path.join(cache, 'done'))) return cache;
  const build = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-fixture-build-'));
  makeFixture(path.join(build, 't.db'), opts, []);
  fs.writeFileSync(path.join(build, 'done'), '');
  try {
    fs.renameSync(build, cache); // atomic: one process's fixture wins
  } catch (e) {
    fs.rmSync(build, { recursive: true, force: true });
    if (!fs.existsSync(path.join(cache, 'done'))) throw e;
  }
  return cache;
}

// A fresh temporary directory with a migrated database and the fixture.
function makeDatabase(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-test-'));
  const db = PG_DIR ? freshPgDatabase() : path.join(dir, 't.db');
  // The server's own key file, if the test gives one: the fixture's audit
  // entries are made with the key the server will verify them with.
  const args = opts.args || [];
  const k = args.indexOf('--key-file');
  const key = k >= 0 ? ['--key-file', args[k + 1]] : [];
  if (!PG_DIR && !key.length && !process.env.IBBIS_KEY_FILE &&
      process.env.IBBIS_TEST_FIXTURE_CACHE !== '0') {
    const cache = cachedFixture(opts);
    for (const f of fs.readdirSync(cache)) {
      if (f === 'done' || f.endsWith('-shm')) continue;
      fs.copyFileSync(path.join(cache, f), path.join(dir, f));
      fs.chmodSync(path.join(dir, f), 0o600); // as the CLI made them
    }
    return { dir, db };
  }
  makeFixture(db, opts, key);
  return { dir, db };
}

// Starts `ibbis serve`. Returns a handle: url, port, db, dir, stderr(),
// request(), stop(signal) -> { code, signal }.
async function startServer(opts = {}) {
  const isUrl = opts.db && /^postgres(ql)?:\/\//.test(opts.db);
  const { dir, db } = opts.db
    ? {
      dir: opts.dir || (isUrl ? fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-test-'))
        : path.dirname(opts.db)),
      db: opts.db,
    }
    : makeDatabase(opts);
  // Another suite may run beside this one (scripts/check.sh runs two at
  // once): a port found free can be taken before the server binds it, so a
  // server that cannot listen is started again on another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(opts, dir, db);
    } catch (e) {
      if (!e.portTaken || attempt >= 3) throw e;
    }
  }
}

async function launch(opts, dir, db) {
  const port = await freePort();
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--db', db].concat(opts.args || []);
  // IBBIS_STRICT_ACCESS=1: a handler asking the policy about a category its
  // route does not declare answers 500 (docs/policy.md), so a test fails.
  const env = Object.assign({}, process.env, { IBBIS_STRICT_ACCESS: '1' }, opts.env || {});
  delete env.IBBIS_DB;
  delete env.IBBIS_LISTEN;
  const proc = spawn(BIN, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  proc.stderr.setEncoding('utf8');
  proc.stdout.setEncoding('utf8');
  proc.stderr.on('data', (d) => { stderr += d; });
  proc.stdout.on('data', (d) => { stdout += d; });
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitInfo = null;
  exited.then((e) => { exitInfo = e; });

  const url = `http://127.0.0.1:${port}`;
  const handle = {
    url, port, db, dir, proc, exited,
    stderr: () => stderr,
    stdout: () => stdout,
    request: (method, p, o) => request(url, method, p, o),
    // Waits for the process to exit by itself; kills it after timeoutMs.
    async waitExit(timeoutMs = 15000) {
      const r = await raceTimeout(exited, timeoutMs);
      if (r) return r;
      proc.kill('SIGKILL');
      await exited;
      return { code: null, signal: 'SIGKILL', timedOut: true };
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15000) {
      if (exitInfo) return exitInfo;
      proc.kill(signal);
      const r = await raceTimeout(exited, timeoutMs);
      if (r) return r;
      proc.kill('SIGKILL');
      await exited;
      return { code: null, signal: 'SIGKILL', timedOut: true };
    },
    cleanup() {
      if (!exitInfo) proc.kill('SIGKILL');
      if (!process.env.IBBIS_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exitInfo) {
      const e = new Error(`ibbis serve exited (${JSON.stringify(exitInfo)}) before answering ` +
        `/healthz:\n${stderr}`);
      e.portTaken = /cannot listen on/.test(stderr);
      throw e;
    }
    // Only our own server's answer counts: it says it serves this address
    // before /healthz is asked (another process could hold the port).
    if (stderr.includes(`serving ${url} `)) {
      try {
        const r = await request(url, 'GET', '/healthz', { timeout: 1000 });
        if (r.status === 200) break;
      } catch (e) {
        // not listening yet
      }
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`ibbis serve did not answer /healthz within ${START_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await sleep(50);
  }
  return handle;
}

// A cookie jar: name -> value, for one host.
class Jar {
  constructor() { this.cookies = new Map(); }
  // Takes the Set-Cookie headers of a response.
  take(setCookie) {
    for (const line of setCookie || []) {
      const parts = line.split(';').map((s) => s.trim());
      const eq = parts[0].indexOf('=');
      if (eq <= 0) continue;
      const name = parts[0].slice(0, eq);
      const value = parts[0].slice(eq + 1);
      let gone = value === '';
      for (const a of parts.slice(1)) {
        const [k, v] = a.split('=');
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) gone = true;
        if (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) gone = true;
      }
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get(name) { return this.cookies.get(name); }
  set(name, value) { this.cookies.set(name, value); }
  header() {
    return Array.from(this.cookies, ([k, v]) => `${k}=${v}`).join('; ');
  }
}

// One HTTP request. opts: headers, body (string|Buffer|object as JSON),
// form (object, urlencoded), jar, timeout. Resolves to a response with
// status, headers, body (Buffer, decoded from gzip when asked: raw stays in
// rawBody), text, json (the parsed body or null), parseJson() (throws when
// the body is not JSON), setCookies. A response that arrives while the
// request body is still being sent (413) is still returned.
function request(base, method, p, opts = {}) {
  const u = new URL(p, base);
  const headers = Object.assign({}, opts.headers || {});
  let body = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['Content-Type'] = headers['Content-Type'] || 'application/x-www-form-urlencoded';
  } else if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)) {
    body = JSON.stringify(body);
    headers['Content-Type'] = headers['Content-Type'] || 'application/json';
  }
  if (opts.jar && opts.jar.cookies.size) headers.Cookie = opts.jar.header();
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({
      host: u.hostname, port: u.port, method, path: opts.rawPath || (u.pathname + u.search),
      headers, agent: false,
    }, (res) => {
      answered = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        let decoded = raw;
        if (/gzip/i.test(res.headers['content-encoding'] || '') && raw.length) {
          try { decoded = zlib.gunzipSync(raw); } catch (e) { decoded = raw; }
        }
        const setCookies = res.headers['set-cookie'] || [];
        if (opts.jar) opts.jar.take(setCookies);
        const text = decoded.toString('utf8');
        let parsed = null;
        try { parsed = text.length ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        resolve({
          status: res.statusCode,
          headers: res.headers,
          rawBody: raw,
          body: decoded,
          text,
          setCookies,
          // The parsed body, or null when it is not JSON.
          json: parsed,
          // The parsed body; throws, quoting the body, when it is not JSON.
          parseJson() {
            try { return JSON.parse(text); } catch (e) {
              throw new Error(`not JSON (status ${res.statusCode}, ` +
                `content-type ${res.headers['content-type']}): ${text.slice(0, 300)}`);
            }
          },
        });
      });
    });
    req.setTimeout(opts.timeout || 30000, () => req.destroy(new Error('request timed out')));
    req.on('error', (e) => {
      // The server may answer (413) and close before the body is sent.
      if (!answered) reject(e);
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

function hasJson(r) {
  return /^application\/json/i.test(r.headers['content-type'] || '');
}

function hasHtml(r) {
  return /^text\/html/i.test(r.headers['content-type'] || '');
}

// The value of a hidden csrf_token input in an HTML page.
function csrfFromHtml(html) {
  const inputs = html.match(/<input\b[^>]*>/gi) || [];
  for (const tag of inputs) {
    if (/\bname\s*=\s*["']?csrf_token["'\s>]/i.test(tag)) {
      const m = tag.match(/\bvalue\s*=\s*["']([^"']*)["']/i);
      if (m) return m[1];
    }
  }
  return null;
}

// The attributes of Set-Cookie for one cookie name, or null.
function findSetCookie(setCookies, name) {
  for (const line of setCookies || []) {
    if (line.split('=')[0].trim() === name) return line;
  }
  return null;
}

// Logs in with a JSON body; returns { res, jar }.
async function loginJson(srv, username, password = PASSWORD, jar = new Jar()) {
  const res = await srv.request('POST', '/login', {
    jar, body: { username, password }, headers: { Accept: 'application/json' },
  });
  return { res, jar };
}

// Logs in through the HTML form (GET /login for the token, then POST).
async function loginForm(srv, username, password = PASSWORD, jar = new Jar()) {
  const page = await srv.request('GET', '/login', { jar, headers: { Accept: 'text/html' } });
  const token = csrfFromHtml(page.text);
  const res = await srv.request('POST', '/login', {
    jar, headers: { Accept: 'text/html' },
    form: { username, password, csrf_token: token || '' },
  });
  return { res, jar, page, token };
}

module.exports = {
  ROOT, BIN, PASSWORD, DEFAULT_USERS, DEFAULT_ORGS, PG_DIR, dkToday,
  ibbis, ibbisOk, freePort, sleep, makeDatabase, startServer, request, Jar,
  hasJson, hasHtml, csrfFromHtml, findSetCookie, loginJson, loginForm,
};
