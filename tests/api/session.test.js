'use strict';
// Sessions (DESIGN.md sections 4 and 5a): login by form and JSON, cookies,
// CSRF, logout, rate limit, /api/v1/me, the home page behind login.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  startServer, Jar, PASSWORD, hasJson, hasHtml, csrfFromHtml, findSetCookie,
  loginJson, loginForm,
} = require('./lib/server.js');

const JSON_ACCEPT = { Accept: 'application/json' };
const HTML_ACCEPT = { Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' };
const SESSION = 'ibbis_session';

// Accounts of their own, so the rate limit of one test cannot touch another.
const USERS = [
  { username: 'admin', role: 'admin', org: 'Test Psykiatri', name: 'Ada Admin' },
  { username: 'cm1', role: 'care_manager', org: 'Test Psykiatri', name: 'Carla Care' },
  { username: 'ec1', role: 'employment_consultant', org: 'Test Jobcenter', name: 'Erik Employ' },
  { username: 'limited', role: 'care_manager', org: 'Test Psykiatri', name: 'Lise Limit' },
  { username: 'wrongpw', role: 'care_manager', org: 'Test Psykiatri', name: 'Wanda Wrong' },
];

function locationPath(r) {
  const loc = r.headers.location || '';
  return new URL(loc, 'http://x').pathname;
}

let srv;
before(async () => { srv = await startServer({ users: USERS }); });
after(async () => {
  if (srv) { await srv.stop(); srv.cleanup(); }
});

describe('GET /login', () => {
  it('is an HTML form with username, password and a hidden csrf_token', async () => {
    const jar = new Jar();
    const r = await srv.request('GET', '/login', { jar, headers: HTML_ACCEPT });
    assert.equal(r.status, 200);
    assert.ok(hasHtml(r));
    assert.match(r.text, /<form\b[^>]*method\s*=\s*["']?post/i);
    assert.match(r.text, /<input\b[^>]*name\s*=\s*["']?username\b/i);
    assert.match(r.text, /<input\b[^>]*type\s*=\s*["']?password\b/i);
    assert.match(r.text, /<input\b[^>]*name\s*=\s*["']?password\b/i);
    assert.match(r.text, /<input\b[^>]*type\s*=\s*["']?hidden[^>]*name\s*=\s*["']?csrf_token|<input\b[^>]*name\s*=\s*["']?csrf_token[^>]*type\s*=\s*["']?hidden/i);
    const token = csrfFromHtml(r.text);
    assert.ok(token && token.length >= 16, `csrf token: ${token}`);
    assert.ok(r.setCookies.length > 0, 'a pre-session cookie is set');
    assert.equal(findSetCookie(r.setCookies, SESSION), null, 'no session before login');
  });
});

describe('form login', () => {
  it('succeeds with 303 to / and an HttpOnly SameSite=Strict session cookie', async () => {
    const { res } = await loginForm(srv, 'cm1');
    assert.equal(res.status, 303, res.text.slice(0, 300));
    assert.equal(locationPath(res), '/');
    const c = findSetCookie(res.setCookies, SESSION);
    assert.ok(c, `Set-Cookie ${SESSION}: ${res.setCookies}`);
    assert.match(c, /;\s*HttpOnly/i);
    assert.match(c, /;\s*SameSite=Strict/i);
    assert.match(c, /^ibbis_session=[^;]{16,}/, 'a long random token');
  });

  it('the session from the form opens the home page', async () => {
    const { jar } = await loginForm(srv, 'cm1');
    const r = await srv.request('GET', '/', { jar, headers: HTML_ACCEPT });
    assert.equal(r.status, 200);
    assert.ok(hasHtml(r));
  });

  it('a wrong password answers 401 with the login page and its message, no session', async () => {
    const { res } = await loginForm(srv, 'wrongpw', 'not-the-password');
    assert.equal(res.status, 401);
    assert.ok(hasHtml(res));
    assert.match(res.text, /<input\b[^>]*name\s*=\s*["']?password\b/i, 'the login form again');
    assert.equal(findSetCookie(res.setCookies, SESSION), null);
  });

  it('a form login without the pre-session CSRF token is refused with 403', async () => {
    const jar = new Jar();
    await srv.request('GET', '/login', { jar, headers: HTML_ACCEPT });
    const r = await srv.request('POST', '/login', {
      jar, headers: HTML_ACCEPT, form: { username: 'cm1', password: PASSWORD },
    });
    assert.equal(r.status, 403);
    assert.equal(findSetCookie(r.setCookies, SESSION), null);
  });
});

describe('JSON login', () => {
  it('needs no CSRF token and answers 200 with the actor and a session cookie', async () => {
    const { res } = await loginJson(srv, 'cm1');
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.ok(hasJson(res));
    const actor = res.parseJson();
    assert.equal(actor.name, 'Carla Care');
    assert.equal(actor.role, 'care_manager');
    const c = findSetCookie(res.setCookies, SESSION);
    assert.ok(c);
    assert.match(c, /;\s*HttpOnly/i);
    assert.match(c, /;\s*SameSite=Strict/i);
  });

  it('a wrong password answers 401 JSON and sets no session', async () => {
    const { res } = await loginJson(srv, 'wrongpw', 'nope-nope-nope');
    assert.equal(res.status, 401);
    assert.ok(hasJson(res));
    assert.ok(res.parseJson().error.message.length > 0);
    assert.equal(findSetCookie(res.setCookies, SESSION), null);
  });

  it('an unknown user answers 401 like a wrong password', async () => {
    const { res } = await loginJson(srv, 'nobody-here', PASSWORD);
    assert.equal(res.status, 401);
    assert.equal(findSetCookie(res.setCookies, SESSION), null);
  });

  it('issues a new session id at every login, also over an existing session', async () => {
    const a = await loginJson(srv, 'ec1');
    const b = await loginJson(srv, 'ec1');
    const idA = a.jar.get(SESSION);
    const idB = b.jar.get(SESSION);
    assert.ok(idA && idB);
    assert.notEqual(idA, idB);
    // Logging in again with the first session sent along replaces it.
    const c = await loginJson(srv, 'ec1', PASSWORD, a.jar);
    assert.equal(c.res.status, 200);
    assert.notEqual(a.jar.get(SESSION), idA);
  });
});

describe('GET /api/v1/me', () => {
  it('answers 401 JSON without a session', async () => {
    const r = await srv.request('GET', '/api/v1/me', { headers: HTML_ACCEPT });
    assert.equal(r.status, 401);
    assert.ok(hasJson(r));
    assert.equal(typeof r.parseJson().error.code, 'string');
  });

  it('answers 401 to a made-up session cookie', async () => {
    const jar = new Jar();
    jar.set(SESSION, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const r = await srv.request('GET', '/api/v1/me', { jar });
    assert.equal(r.status, 401);
  });

  it('answers the actor with id, name, role, organisation, teams, csrf_token, language', async () => {
    const { jar } = await loginJson(srv, 'ec1');
    const r = await srv.request('GET', '/api/v1/me', { jar });
    assert.equal(r.status, 200);
    const me = r.parseJson();
    for (const k of ['id', 'name', 'role', 'organisation', 'teams', 'csrf_token', 'language']) {
      assert.ok(k in me, `me has ${k}: ${JSON.stringify(me)}`);
    }
    assert.equal(me.name, 'Erik Employ');
    assert.equal(me.role, 'employment_consultant');
    assert.ok(Array.isArray(me.teams));
    assert.equal(me.teams.length, 0, 'no team memberships yet');
    assert.equal(typeof me.csrf_token, 'string');
    assert.ok(me.csrf_token.length >= 16);
    assert.equal(me.language, 'en');
    const org = typeof me.organisation === 'object' && me.organisation !== null
      ? JSON.stringify(me.organisation) : String(me.organisation);
    assert.ok(org.includes('Test Jobcenter') || /\d/.test(org), `organisation: ${org}`);
  });
});

describe('CSRF and logout', () => {
  it('a POST with a session but without the CSRF token is refused with 403', async () => {
    const { jar } = await loginJson(srv, 'cm1');
    const r = await srv.request('POST', '/logout', { jar, headers: JSON_ACCEPT, body: {} });
    assert.equal(r.status, 403);
    const me = await srv.request('GET', '/api/v1/me', { jar });
    assert.equal(me.status, 200, 'the session survives a refused logout');
  });

  it('a POST with a wrong CSRF token is refused with 403', async () => {
    const { jar } = await loginJson(srv, 'cm1');
    const r = await srv.request('POST', '/logout', {
      jar, headers: { Accept: 'application/json', 'X-CSRF-Token': 'wrong-token-0123456789' }, body: {},
    });
    assert.equal(r.status, 403);
  });

  it('JSON logout with X-CSRF-Token ends the session', async () => {
    const { jar } = await loginJson(srv, 'cm1');
    const me = (await srv.request('GET', '/api/v1/me', { jar })).parseJson();
    const old = jar.get(SESSION);
    const r = await srv.request('POST', '/logout', {
      jar, headers: { Accept: 'application/json', 'X-CSRF-Token': me.csrf_token }, body: {},
    });
    assert.ok(r.status >= 200 && r.status < 400, `logout status ${r.status}`);
    const after1 = await srv.request('GET', '/api/v1/me', { jar });
    assert.equal(after1.status, 401);
    // The old token is dead on the server, not only dropped from the jar.
    const replay = new Jar();
    replay.set(SESSION, old);
    const after2 = await srv.request('GET', '/api/v1/me', { jar: replay });
    assert.equal(after2.status, 401);
  });

  it('form logout with the csrf_token field ends the session', async () => {
    const { jar } = await loginForm(srv, 'cm1');
    const old = jar.get(SESSION);
    assert.ok(old, 'logged in');
    const me = (await srv.request('GET', '/api/v1/me', { jar })).parseJson();
    const r = await srv.request('POST', '/logout', {
      jar, headers: HTML_ACCEPT, form: { csrf_token: me.csrf_token },
    });
    assert.ok(r.status >= 200 && r.status < 400, `logout status ${r.status}`);
    const replay = new Jar();
    replay.set(SESSION, old);
    assert.equal((await srv.request('GET', '/api/v1/me', { jar: replay })).status, 401);
  });
});

describe('home page', () => {
  it('redirects a browser without a session to /login with 303', async () => {
    const r = await srv.request('GET', '/', { headers: HTML_ACCEPT });
    assert.equal(r.status, 303);
    assert.equal(locationPath(r), '/login');
  });

  it('answers 401 JSON to a JSON client without a session', async () => {
    const r = await srv.request('GET', '/', { headers: JSON_ACCEPT });
    assert.equal(r.status, 401);
    assert.ok(hasJson(r));
  });

  it('answers JSON and HTML for the same path with a session', async () => {
    const { jar } = await loginJson(srv, 'cm1');
    const h = await srv.request('GET', '/', { jar, headers: HTML_ACCEPT });
    assert.equal(h.status, 200);
    assert.ok(hasHtml(h));
    const j = await srv.request('GET', '/', { jar, headers: JSON_ACCEPT });
    assert.equal(j.status, 200);
    assert.ok(hasJson(j));
    j.parseJson();
  });
});

describe('login rate limit', () => {
  it('after 5 failed logins for one user answers 429, even with the right password', async () => {
    for (let i = 1; i <= 5; i++) {
      const { res } = await loginJson(srv, 'limited', `wrong-password-${i}`);
      assert.equal(res.status, 401, `failed attempt ${i}`);
    }
    const { res } = await loginJson(srv, 'limited', PASSWORD);
    assert.equal(res.status, 429);
    assert.ok(hasJson(res));
    assert.match(res.parseJson().error.message, /\S{3,}/, 'a clear message');
    assert.equal(findSetCookie(res.setCookies, SESSION), null);
    // The form says so too, in HTML.
    const form = await loginForm(srv, 'limited', PASSWORD);
    assert.equal(form.res.status, 429);
  });

  it('the limit is per username: another user still logs in', async () => {
    const { res } = await loginJson(srv, 'admin');
    assert.equal(res.status, 200);
  });
});
