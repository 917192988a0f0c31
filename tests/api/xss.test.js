'use strict';
// XSS and CSRF (issue 5): payloads in every text field come out escaped on
// every page; a form POST without the CSRF token is refused; login issues
// a new session id.
const test = require('node:test');
const assert = require('node:assert/strict');

const server = require('./lib/server');
if (!server.startServer.trustShim) {
  // world.js reads `res.json.id`; server.js gives `res.json()` (see trust.test.js).
  const orig = server.startServer;
  const fix = (res) => {
    let parsed;
    try { parsed = JSON.parse(res.text); } catch (e) { return res; }
    if (parsed && typeof parsed === 'object' && typeof res.json === 'function') {
      for (const k of Object.keys(parsed)) {
        Object.defineProperty(res.json, k, { value: parsed[k], writable: true, configurable: true, enumerable: true });
      }
    }
    return res;
  };
  server.startServer = async (opts) => {
    const h = await orig(opts);
    const r = h.request;
    h.request = async (...a) => fix(await r(...a));
    return h;
  };
  server.startServer.trustShim = true;
}
const { makeWorld, today } = require('./lib/world');
const { Jar, loginForm, PASSWORD } = server;

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
];
const P = PAYLOADS.join(' ');
let w;
let id;
const skipped = [];

test.before(async () => {
  w = await makeWorld({ referral: { name: `Sofie ${PAYLOADS[0]}`, contact: `x@example.org ${PAYLOADS[1]} ${PAYLOADS[2]}` } });
  id = w.kase.id;
});
test.after(async () => {
  if (skipped.length) console.log(`xss: writes skipped (route does not exist yet): ${skipped.join(', ')}`);
  if (w) await w.cleanup();
});

function assertEscaped(r, where) {
  for (const p of PAYLOADS) assert.ok(!r.text.includes(p), `${where}: raw payload ${p}`);
  assert.ok(!/<script>alert\(1\)<\/script>/i.test(r.text), `${where}: script tag`);
  assert.ok(!/<img[^>]*onerror=/i.test(r.text), `${where}: onerror attribute`);
}

test('payloads in every text field are escaped on every page', async () => {
  const { cm1, ec1, person } = w.s;
  const writes = [
    [cm1, `/api/v1/cases/${id}/notes`, { category: 'clinical', text: P }],
    [cm1, `/api/v1/cases/${id}/notes`, { category: 'joint', text: P }],
    [person, `/api/v1/cases/${id}/notes`, { category: 'private', text: P }],
    [cm1, `/api/v1/cases/${id}/evidence`, { kind: 'health_summary', supplied_on: today(), text: P }],
    [ec1, `/api/v1/cases/${id}/decisions`, { kind: 'extension', ground: 2, hearing: today(-3), on: today(), reasons: P, legal_basis: P }],
    [person, `/api/v1/cases/${id}/consents`, { direction: 'health_to_jobcentre', granted: true, purpose: 'benefit_case' }],
    [person, `/api/v1/cases/${id}/goals`, { text: P }],
  ];
  for (const [who, p, b] of writes) {
    const r = await who.call('POST', p, b);
    if (r.status === 404) { skipped.push(p); continue; }
    assert.ok(r.status === 201 || r.status === 200, `${p}: ${r.status} ${r.text}`);
  }
  const pages = ['', '/notes', '/evidence', '/decisions', '/consents', '/access-log', '/goals', '/plan', '/meetings'];
  for (const who of [cm1, ec1, person, w.s.suph]) {
    for (const pg of pages) {
      const r = await who.call('GET', `/cases/${id}${pg}`, undefined, { headers: { Accept: 'text/html' } });
      if (r.status === 404) continue;
      assertEscaped(r, `${who.username} /cases/${id}${pg}`);
    }
  }
  const r = await person.call('GET', `/cases/${id}/notes`, undefined, { headers: { Accept: 'text/html' } });
  assert.equal(r.status, 200);
  assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the private note is shown, escaped');
});

test('a form POST without the CSRF token is refused', async () => {
  const { cm1 } = w.s;
  const r = await w.srv.request('POST', `/cases/${id}/notes`, {
    jar: cm1.jar, headers: { Accept: 'text/html' }, form: { category: 'joint', text: 'no token' },
  });
  assert.equal(r.status, 403);
  const bad = await w.srv.request('POST', `/cases/${id}/notes`, {
    jar: cm1.jar, headers: { Accept: 'text/html' }, form: { category: 'joint', text: 'bad token', csrf_token: 'x'.repeat(64) },
  });
  assert.equal(bad.status, 403);
  const list = await cm1.call('GET', `/api/v1/cases/${id}/notes?category=joint`);
  assert.ok(!list.text.includes('no token') && !list.text.includes('bad token'), 'nothing written');
  const ok = await w.srv.request('POST', `/cases/${id}/notes`, {
    jar: cm1.jar, headers: { Accept: 'text/html' }, form: { category: 'joint', text: 'with token', csrf_token: cm1.csrf },
  });
  assert.equal(ok.status, 303, 'the same form with its token is accepted');
});

test('login issues a new session id', async () => {
  const jar = new Jar();
  const first = await loginForm(w.srv, 'cm1', PASSWORD, jar);
  assert.equal(first.res.status, 303);
  const s1 = jar.get('ibbis_session');
  assert.ok(s1, 'a session cookie is set');
  // A planted (unknown) session id is never accepted as a session.
  const planted = new Jar();
  planted.set('ibbis_session', 'a'.repeat(64));
  const me = await w.srv.request('GET', '/api/v1/me', { jar: planted });
  assert.equal(me.status, 401);
  const jar2 = new Jar();
  const again = await loginForm(w.srv, 'cm1', PASSWORD, jar2);
  assert.equal(again.res.status, 303);
  assert.notEqual(jar2.get('ibbis_session'), s1, 'each login gets a fresh id');
});
