'use strict';
// The person's one-time activation link: who makes it, setting the password
// by form and by JSON, and dead links that always say what to do next.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');
const { Jar, csrfFromHtml, PASSWORD } = require('./lib/server');

let w;
let kase;
test.before(async () => {
  w = await makeWorld();
  const r = await w.s.ec1.call('POST', '/api/v1/cases', {
    name: 'Åse Ærø', cpr: '010190-4321', contact: '', first_absence_day: today(-10),
    team: w.teams.A.id, care_manager: w.s.cm1.id, employment_consultant: w.s.ec1.id,
  });
  assert.strictEqual(r.status, 201, r.text);
  kase = r.json;
});
test.after(async () => { if (w) await w.cleanup(); });

const html = { Accept: 'text/html' };

test('the assigned CM or EC makes a link; no one else', async () => {
  const r = await w.s.cm1.call('POST', `/api/v1/cases/${kase.id}/activation`, {});
  assert.strictEqual(r.status, 201, r.text);
  assert.match(r.json.token, /^[0-9a-f]{64}$/);
  assert.strictEqual(r.json.url, `/activate/${r.json.token}`);
  assert.strictEqual(r.json.username, kase.person.username);
  assert.match(kase.person.username, /^aase\.\d{4}$/); // Å spelled out
  const days = (Date.parse(r.json.expires_at) - Date.now()) / 86400000;
  assert.ok(days > 13.9 && days <= 14, `valid 14 days, got ${days}`);
  for (const u of ['supj', 'suph', 'admin', 'cm2', 'ec2', 'suph2']) {
    const x = await w.s[u].call('POST', `/api/v1/cases/${kase.id}/activation`, {});
    assert.strictEqual(x.status, 403, u);
  }
  assert.strictEqual((await w.s.ec1.call('POST', '/api/v1/cases/99999/activation', {})).status, 404);
});

test('a new link revokes the older unused one', async () => {
  const a = await w.s.ec1.call('POST', `/api/v1/cases/${kase.id}/activation`, {});
  const b = await w.s.ec1.call('POST', `/api/v1/cases/${kase.id}/activation`, {});
  assert.notStrictEqual(a.json.token, b.json.token);
  const old = await w.srv.request('GET', `/activate/${a.json.token}`, { headers: html });
  assert.strictEqual(old.status, 404);
  assert.ok(old.text.includes('care manager'), 'tells the person whom to ask');
  assert.ok(old.text.includes('href="/login"'), 'never a dead end');
  const cur = await w.srv.request('GET', `/activate/${b.json.token}`, { headers: html });
  assert.strictEqual(cur.status, 200);
});

test('the form: CSRF from a pre-session cookie, passwords twice, then login', async () => {
  const link = (await w.s.ec1.call('POST', `/api/v1/cases/${kase.id}/activation`, {})).json;
  const jar = new Jar();
  const page = await w.srv.request('GET', `/activate/${link.token}?lang=da`, { jar, headers: html });
  assert.strictEqual(page.status, 200);
  assert.ok(page.text.includes('Vælg din adgangskode'));
  assert.match(page.text, /<label class="form-label" for="password">/);
  assert.match(page.text, /<label class="form-label" for="password_again">/);
  const csrf = csrfFromHtml(page.text);
  assert.ok(csrf);
  const noCsrf = await w.srv.request('POST', `/activate/${link.token}`, {
    headers: html, form: { password: PASSWORD, password_again: PASSWORD, csrf_token: 'nope' }, jar,
  });
  assert.strictEqual(noCsrf.status, 403);
  const mismatch = await w.srv.request('POST', `/activate/${link.token}`, {
    jar, headers: html, form: { password: PASSWORD, password_again: 'something-else', csrf_token: csrf },
  });
  assert.strictEqual(mismatch.status, 400);
  assert.match(mismatch.text, /aria-describedby="[^"]*activate-error/);
  const short = await w.srv.request('POST', `/activate/${link.token}`, {
    jar, headers: html, form: { password: 'short', password_again: 'short', csrf_token: csrf },
  });
  assert.strictEqual(short.status, 400);
  const ok = await w.srv.request('POST', `/activate/${link.token}`, {
    jar, headers: html, form: { password: 'a-calm-new-password', password_again: 'a-calm-new-password', csrf_token: csrf },
  });
  assert.strictEqual(ok.status, 303);
  assert.match(ok.headers.location, /^\/login/);
  const login = await w.srv.request('POST', '/login', {
    body: { username: link.username, password: 'a-calm-new-password' }, headers: { Accept: 'application/json' },
  });
  assert.strictEqual(login.status, 200);
  // Used: 410 with the way forward, as a page and as JSON.
  const used = await w.srv.request('GET', `/activate/${link.token}`, { headers: html });
  assert.strictEqual(used.status, 410);
  assert.ok(used.text.includes('href="/login"'));
  const usedJson = await w.srv.request('POST', `/activate/${link.token}`, {
    body: { password: 'another-password' }, headers: { Accept: 'application/json' },
  });
  assert.strictEqual(usedJson.status, 410);
  assert.strictEqual(usedJson.json.error.code, 'gone');
});

test('JSON: password only; bad password names the field; unknown token 404', async () => {
  // Åse chose her password above: a link is only for a person who has not.
  const other = await w.s.ec1.call('POST', '/api/v1/cases', {
    name: 'Bent Berg', cpr: '020290-4321', contact: '', first_absence_day: today(-10),
    team: w.teams.A.id, care_manager: w.s.cm1.id, employment_consultant: w.s.ec1.id,
  });
  assert.strictEqual(other.status, 201, other.text);
  const link = (await w.s.cm1.call('POST', `/api/v1/cases/${other.json.id}/activation`, {})).json;
  const bad = await w.srv.request('POST', `/activate/${link.token}`, {
    body: { password: 'short' }, headers: { Accept: 'application/json' },
  });
  assert.strictEqual(bad.status, 400);
  assert.strictEqual(bad.json.error.field, 'password');
  const ok = await w.srv.request('POST', `/activate/${link.token}`, {
    body: { password: 'yet-another-password' }, headers: { Accept: 'application/json' },
  });
  assert.strictEqual(ok.status, 200, ok.text);
  assert.deepStrictEqual(ok.json, { username: link.username });
  for (const t of ['0'.repeat(64), 'not-a-token']) {
    const r = await w.srv.request('GET', `/activate/${t}`, { headers: { Accept: 'application/json' } });
    assert.strictEqual(r.status, 404);
    assert.strictEqual(r.json.error.code, 'not_found');
  }
});
