'use strict';
// IBBIS behind TLS (issue 20, DESIGN.md section 11): nginx with the
// repository's example site (dist/nginx/ibbis.conf) and a self-signed
// certificate in front of `ibbis serve --trusted-proxy --secure-cookies`.
// A person logs in over HTTPS; the cookie is Secure, HSTS is sent, plain
// HTTP is sent to HTTPS, and the client address comes from X-Forwarded-For
// only when the peer is the trusted proxy.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, startServer, freePort, sleep, request, PASSWORD } =
  require('../api/lib/server.js');

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const PROXY_ADDR = '127.0.0.2'; // nginx connects to ibbis from here

let srv;
let nginx;
let dir;
let cert;
let httpsPort;
let httpPort;

// The example site made to run here: loopback ports, the test's
// certificate, no IPv6 listener, and nginx's upstream connections bound
// to PROXY_ADDR so that ibbis can tell the proxy from a direct client.
function siteFromExample(upstreamPort) {
  let s = fs.readFileSync(path.join(ROOT, 'dist/nginx/ibbis.conf'), 'utf8');
  const edits = [
    [/^\s*listen \[::\]:\d+.*\n/gm, ''],
    [/listen 80;/, `listen 127.0.0.1:${httpPort};`],
    [/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`],
    [/ssl_certificate \S+;/, `ssl_certificate ${dir}/cert.pem;`],
    [/ssl_certificate_key \S+;/, `ssl_certificate_key ${dir}/key.pem;`],
    [/proxy_pass http:\/\/127\.0\.0\.1:8080;/,
      `proxy_pass http://127.0.0.1:${upstreamPort};\n\t\tproxy_bind ${PROXY_ADDR};`],
  ];
  for (const [re, to] of edits) {
    const next = s.replace(re, to);
    assert.notEqual(next, s, `the example site has ${re}`);
    s = next;
  }
  return s;
}

function nginxConf(site) {
  const u = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  const g = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
  return `user ${u} ${g};
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
	access_log off;
	client_body_temp_path ${dir}/client_body;
	proxy_temp_path ${dir}/proxy;
	fastcgi_temp_path ${dir}/fastcgi;
	uwsgi_temp_path ${dir}/uwsgi;
	scgi_temp_path ${dir}/scgi;
${site}
}
`;
}

function get(p, opts = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: httpsPort, path: p, method: opts.method || 'GET', ca: cert,
      servername: 'localhost', headers: opts.headers || {},
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

// The access-log line of the request for `probe`, once it is written.
async function logLine(probe) {
  for (let i = 0; i < 60; i++) {
    const line = srv.stderr().split('\n').find((l) => l.includes(probe));
    if (line) return line;
    await sleep(50);
  }
  throw new Error(`no log line for ${probe}:\n${srv.stderr().slice(-1500)}`);
}

before(async () => {
  srv = await startServer({ args: ['--trusted-proxy', PROXY_ADDR, '--secure-cookies'] });
  dir = fs.mkdtempSync(path.join(srv.dir, 'tls-'));
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes',
    '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
  { encoding: 'utf8' });
  assert.equal(ssl.status, 0, ssl.stderr);
  cert = fs.readFileSync(`${dir}/cert.pem`);
  httpsPort = await freePort();
  httpPort = await freePort();
  fs.writeFileSync(`${dir}/nginx.conf`, nginxConf(siteFromExample(srv.port)));
  nginx = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`],
    { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      const r = await get('/healthz');
      if (r.status === 200) break;
    } catch (e) {
      if (i > 100) {
        throw new Error(`nginx did not answer: ${fs.existsSync(`${dir}/error.log`)
          ? fs.readFileSync(`${dir}/error.log`, 'utf8') : e}`);
      }
    }
    await sleep(50);
  }
});

after(async () => {
  if (nginx) nginx.kill('SIGTERM');
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

test('a person logs in over HTTPS: Secure cookie, HSTS, and the session works', async () => {
  const page = await get('/login', { headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.headers['strict-transport-security'] || '', /max-age=31536000/);
  const login = await get('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username: 'cm1', password: PASSWORD }),
  });
  assert.equal(login.status, 200, login.text);
  const cookies = login.headers['set-cookie'] || [];
  const session = cookies.find((c) => /HttpOnly/i.test(c));
  assert.ok(session, `a session cookie: ${cookies}`);
  assert.match(session, /;\s*Secure/i, 'the session cookie is Secure behind TLS');
  const me = await get('/api/v1/me', { headers: { Cookie: session.split(';')[0] } });
  assert.equal(me.status, 200, me.text);
  assert.equal(JSON.parse(me.text).role, 'care_manager');
});

test('plain HTTP is sent to HTTPS', async () => {
  const r = await request(`http://127.0.0.1:${httpPort}`, 'GET', '/login');
  assert.equal(r.status, 301);
  assert.match(r.headers.location, /^https:\/\//);
});

test('the client address comes from X-Forwarded-For only through the trusted proxy', async () => {
  // Through nginx: the address nginx saw, even when the client forges one.
  const probe1 = `/tls-probe-${Date.now()}-a`;
  await get(probe1, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
  const line1 = await logLine(probe1);
  assert.match(line1, /client=127\.0\.0\.1\b/, line1);
  assert.doesNotMatch(line1, /203\.0\.113\.9|client=127\.0\.0\.2/, line1);
  // Straight to ibbis, not from the proxy: the header is not believed.
  const probe2 = `/tls-probe-${Date.now()}-b`;
  await request(srv.url, 'GET', probe2, { headers: { 'X-Forwarded-For': '198.51.100.4' } });
  const line2 = await logLine(probe2);
  assert.match(line2, /client=127\.0\.0\.1\b/, line2);
  assert.doesNotMatch(line2, /198\.51\.100\.4/, line2);
});
