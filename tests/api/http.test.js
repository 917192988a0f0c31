'use strict';
// HTTP behaviour (DESIGN.md sections 3 and 5a): health, errors, limits,
// content negotiation, static files, the access log.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const net = require('node:net');
const { ROOT, PG_DIR, startServer, ibbis, hasJson, hasHtml, sleep } = require('./lib/server.js');

const JSON_ACCEPT = { Accept: 'application/json' };
const BROWSER_ACCEPT = {
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
};

// A JSON error: {"error": {"code", "message", "field"?}}.
function assertJsonError(r, status) {
  assert.equal(r.status, status, `status: ${r.text.slice(0, 300)}`);
  assert.ok(hasJson(r), `content-type ${r.headers['content-type']}`);
  const e = r.parseJson().error;
  assert.ok(e && typeof e === 'object', 'body has an "error" object');
  assert.equal(typeof e.code, 'string');
  assert.ok(e.code.length > 0, 'error.code is set');
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0, 'error.message is set');
  return e;
}

let srv;
before(async () => { srv = await startServer(); });
after(async () => {
  if (srv) { await srv.stop(); srv.cleanup(); }
});

describe('GET /healthz', () => {
  it('answers 200 with status, version and the database', async () => {
    const r = await srv.request('GET', '/healthz');
    assert.equal(r.status, 200);
    assert.ok(hasJson(r), `content-type ${r.headers['content-type']}`);
    const b = r.parseJson();
    assert.equal(b.status, 'ok');
    assert.equal(typeof b.version, 'string');
    assert.ok(b.version.length > 0);
    assert.deepEqual(b.database, { backend: PG_DIR ? 'postgres' : 'sqlite', ok: true });
  });

  it('reports the same version as `ibbis version`', async () => {
    const b = (await srv.request('GET', '/healthz')).parseJson();
    const v = ibbis(['version']);
    assert.ok(v.stdout.includes(b.version), `"${v.stdout.trim()}" should contain "${b.version}"`);
  });
});

describe('security headers', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.stop(); srv.cleanup(); });

  it('every answer forbids framing, sniffing and foreign resources', async () => {
    for (const [p, accept] of [['/login', 'text/html'], ['/healthz', 'application/json'],
      ['/nope', 'text/html'], ['/static/ibbis.css', '*/*']]) {
      const r = await srv.request('GET', p, { headers: { Accept: accept } });
      assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
      assert.equal(r.headers['x-frame-options'], 'DENY', p);
      assert.equal(r.headers['referrer-policy'], 'same-origin', p);
      const csp = r.headers['content-security-policy'] || '';
      assert.match(csp, /frame-ancestors 'none'/, p);
      assert.match(csp, /default-src 'self'/, p);
      assert.match(csp, /script-src 'self'(;|$)/, p);
    }
  });
});

describe('errors', () => {
  it('an unknown path answers 404 (JSON when asked)', async () => {
    const r = await srv.request('GET', '/no/such/page', { headers: JSON_ACCEPT });
    assertJsonError(r, 404);
  });

  it('an unknown /api/v1 path answers 404 JSON even to a browser', async () => {
    const r = await srv.request('GET', '/api/v1/no-such-thing', { headers: BROWSER_ACCEPT });
    assertJsonError(r, 404);
  });

  it('an unknown path answers a 404 HTML page to a browser', async () => {
    const r = await srv.request('GET', '/no/such/page', { headers: BROWSER_ACCEPT });
    assert.equal(r.status, 404);
    assert.ok(hasHtml(r), `content-type ${r.headers['content-type']}`);
    assert.match(r.text, /<html[\s>]/i);
  });

  it('a wrong method on /healthz answers 405 with Allow: GET', async () => {
    const r = await srv.request('POST', '/healthz', { headers: JSON_ACCEPT, body: '' });
    assertJsonError(r, 405);
    assert.ok(r.headers.allow, 'Allow header present');
    const allowed = r.headers.allow.split(',').map((s) => s.trim().toUpperCase());
    assert.ok(allowed.includes('GET'), `Allow: ${r.headers.allow}`);
    assert.ok(!allowed.includes('POST'), `Allow: ${r.headers.allow}`);
  });

  it('a wrong method on /login answers 405 with Allow: GET, POST', async () => {
    const r = await srv.request('DELETE', '/login', { headers: JSON_ACCEPT });
    assert.equal(r.status, 405);
    const allowed = (r.headers.allow || '').split(',').map((s) => s.trim().toUpperCase());
    assert.ok(allowed.includes('GET') && allowed.includes('POST'), `Allow: ${r.headers.allow}`);
  });

  it('a body over 1 MiB answers 413 with a message, before the body is sent', async () => {
    // The server answers a declared length over the limit at once and
    // closes; a client still sending then gets a reset that can swallow
    // the answer, so this client sends the headers and waits, as a
    // browser's 100-continue or a slow upload would.
    const raw = await new Promise((resolve, reject) => {
      const sock = net.connect(srv.port, '127.0.0.1');
      let got = '';
      sock.setEncoding('utf8');
      sock.on('data', (d) => { got += d; });
      sock.on('end', () => resolve(got));
      sock.on('close', () => resolve(got));
      sock.on('error', (e) => (got ? resolve(got) : reject(e)));
      sock.write('POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n`);
      setTimeout(() => sock.destroy(), 5000);
    });
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    const status = Number((/^HTTP\/1\.[01] (\d{3})/.exec(head) || [])[1]);
    assert.equal(status, 413, raw.slice(0, 300));
    const json = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n/i, ''));
    assert.equal(json.error.code, 'too_large');
    assert.match(json.error.message, /\S/);
  });

  it('a body of exactly 1 MiB is not refused as too large', async () => {
    // Broken JSON of exactly the limit: it must get past the size check.
    const body = Buffer.alloc(1024 * 1024, 0x20);
    body[0] = 0x7b; // '{'
    const r = await srv.request('POST', '/login', {
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body,
    });
    assert.notEqual(r.status, 413);
    assert.equal(r.status, 400);
  });

  it('a URL over 8 KiB answers 414', async () => {
    const long = '/healthz?pad=' + 'x'.repeat(9000);
    const r = await srv.request('GET', long, { headers: JSON_ACCEPT });
    assert.equal(r.status, 414, r.text.slice(0, 200));
  });

  it('broken JSON answers 400 naming the line and column', async () => {
    const r = await srv.request('POST', '/login', {
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{"username": ',
    });
    const e = assertJsonError(r, 400);
    assert.match(e.message, /line\s*:?\s*1\b/i, `message: ${e.message}`);
    assert.match(e.message, /(column|col\.?|position)\s*:?\s*\d+/i, `message: ${e.message}`);
  });

  it('broken JSON on line 3 names line 3', async () => {
    const r = await srv.request('POST', '/login', {
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: '{\n  "username": "x",\n  "password": }',
    });
    const e = assertJsonError(r, 400);
    assert.match(e.message, /line\s*:?\s*3\b/i, `message: ${e.message}`);
  });
});

describe('content negotiation', () => {
  it('the same path answers HTML to a browser and JSON to a client preferring JSON', async () => {
    const html = await srv.request('GET', '/login', { headers: BROWSER_ACCEPT });
    assert.equal(html.status, 200);
    assert.ok(hasHtml(html), `content-type ${html.headers['content-type']}`);
    assert.match(html.text, /<html[\s>]/i);
    const json = await srv.request('GET', '/login', {
      headers: { Accept: 'application/json, text/html;q=0.5' },
    });
    assert.equal(json.status, 200);
    assert.ok(hasJson(json), `content-type ${json.headers['content-type']}`);
    json.parseJson();
  });

  it('text/html preferred over application/json gets HTML', async () => {
    const r = await srv.request('GET', '/no/such/page', {
      headers: { Accept: 'application/json;q=0.4, text/html' },
    });
    assert.equal(r.status, 404);
    assert.ok(hasHtml(r), `content-type ${r.headers['content-type']}`);
  });

  it('no Accept header gets HTML outside /api/v1', async () => {
    const r = await srv.request('GET', '/login');
    assert.ok(hasHtml(r), `content-type ${r.headers['content-type']}`);
  });
});

describe('static files', () => {
  const asset = '/static/dkfds/css/dkfds.min.css';
  const file = path.join(ROOT, 'node_modules', 'dkfds', 'dist', 'css', 'dkfds.min.css');

  it('serves DKFDS css from its dist folder with ETag and Cache-Control', async () => {
    const r = await srv.request('GET', asset);
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] || '', /^text\/css/);
    assert.ok(r.headers.etag, 'ETag present');
    assert.ok(r.headers['cache-control'], 'Cache-Control present');
    assert.ok(!r.headers['content-encoding'], 'no encoding unless asked');
    const want = fs.readFileSync(file);
    assert.equal(r.body.length, want.length);
    assert.ok(r.body.equals(want), 'body is the file');
  });

  it('answers 304 with no body to If-None-Match with the ETag', async () => {
    const first = await srv.request('GET', asset);
    const r = await srv.request('GET', asset, { headers: { 'If-None-Match': first.headers.etag } });
    assert.equal(r.status, 304);
    assert.equal(r.rawBody.length, 0);
    assert.equal(r.headers.etag, first.headers.etag);
  });

  it('answers 200 to If-None-Match with another ETag', async () => {
    const r = await srv.request('GET', asset, { headers: { 'If-None-Match': '"not-the-etag"' } });
    assert.equal(r.status, 200);
  });

  it('gzips a text asset when the client accepts gzip', async () => {
    const r = await srv.request('GET', asset, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'gzip');
    const want = fs.readFileSync(file);
    assert.ok(r.rawBody.length < want.length / 2, `gzip ${r.rawBody.length} of ${want.length}`);
    assert.ok(r.body.equals(want), 'gunzipped body is the file');
  });

  it('a missing static file answers 404', async () => {
    const r = await srv.request('GET', '/static/dkfds/css/no-such.css', { headers: JSON_ACCEPT });
    assert.equal(r.status, 404);
  });

  it('a path escaping the static folder is refused', async () => {
    for (const p of ['/static/../Makefile', '/static/%2e%2e/Makefile',
      '/static/dkfds/..%2f..%2f..%2fMakefile']) {
      const r = await srv.request('GET', '/', { rawPath: p, headers: JSON_ACCEPT });
      assert.ok(r.status === 404 || r.status === 400 || r.status === 403, `${p}: ${r.status}`);
      assert.ok(!r.text.includes('IBBIS build'), `${p} leaked the Makefile`);
    }
  });
});

describe('access log', () => {
  it('writes one line per request: time, method, path, status, bytes, microseconds', async () => {
    const probe = '/log-probe-' + crypto.randomBytes(6).toString('hex');
    const r = await srv.request('GET', probe, { headers: JSON_ACCEPT });
    assert.equal(r.status, 404);
    let lines = [];
    for (let i = 0; i < 40; i++) {
      lines = srv.stderr().split('\n').filter((l) => l.includes(probe));
      if (lines.length) break;
      await sleep(50);
    }
    assert.equal(lines.length, 1, `one line for ${probe}:\n${srv.stderr().slice(-2000)}`);
    // Tokens with any key= prefix removed.
    const toks = lines[0].trim().split(/\s+/).map((t) => t.replace(/^[a-z_]+=/i, ''));
    const iMethod = toks.indexOf('GET');
    const iPath = toks.findIndex((t) => t === probe || t.replace(/^"|"$/g, '') === probe);
    assert.ok(iMethod >= 1, `a time before the method: ${lines[0]}`);
    assert.match(toks.slice(0, iMethod).join(' '), /\d{2}:\d{2}:\d{2}|\d{9,}/,
      `time first: ${lines[0]}`);
    assert.equal(iPath, iMethod + 1, `path after method: ${lines[0]}`);
    const rest = toks.slice(iPath + 1).map((t) => t.replace(/(us|µs|b|B)$/, ''));
    assert.equal(rest[0], '404', `status after path: ${lines[0]}`);
    assert.match(rest[1] || '', /^\d+$/, `bytes: ${lines[0]}`);
    assert.match(rest[2] || '', /^\d+$/, `microseconds: ${lines[0]}`);
    assert.ok(Number(rest[1]) >= r.rawBody.length, `bytes ${rest[1]} >= body ${r.rawBody.length}`);
  });
});
