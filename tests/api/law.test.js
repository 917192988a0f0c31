'use strict';
// The law's pages and the frame around every page (docs/web.md, "The
// frame"): /accessibility and /privacy in both languages with the
// controller's details from serve's flags, linked from every page's footer;
// the favicon; DKFDS's script and ours as files; the error summary at the
// top of a failed form, linked to its field; the success message after a
// save; serve refusing to start without the DKFDS files.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { makeWorld } = require('./lib/world');
const { ibbis } = require('./lib/server');

let w;
let s;
const CONTROLLER = ['--controller-name', 'Region Test & Co', '--controller-email', 'dpo@example.org',
  '--controller-address', 'Testvej 1, 8000 Aarhus C', '--dpo-email', 'dpo-officer@example.org'];

test.before(async () => {
  w = await makeWorld({ server: { args: CONTROLLER } });
  s = w.s;
});
test.after(async () => { if (w) await w.cleanup(); });

const get = (p, jar, lang) => w.srv.request('GET', p, {
  jar, headers: Object.assign({ Accept: 'text/html' }, lang ? { 'Accept-Language': lang } : {}),
});

test('the accessibility statement, logged out, in English and Danish', async () => {
  const en = await get('/accessibility', undefined, 'en');
  assert.strictEqual(en.status, 200);
  for (const want of ['<h1>Accessibility statement</h1>', 'Compliance status', 'partially compliant',
    'WCAG', 'Content that is not accessible', 'Feedback and contact', 'Enforcement',
    'Digitaliseringsstyrelsen', 'mailto:dpo@example.org', 'Region Test &amp; Co']) {
    assert.ok(en.text.includes(want), `English statement lacks ${want}`);
  }
  const da = await get('/accessibility?lang=da');
  assert.strictEqual(da.status, 200);
  for (const want of ['<h1>Tilgængelighedserklæring</h1>', 'Overholdelsesstatus', 'delvist i overensstemmelse',
    'Indhold, der ikke er tilgængeligt', 'Feedback og kontaktoplysninger', 'Håndhævelsesprocedure',
    'Digitaliseringsstyrelsen', '<html lang="da">']) {
    assert.ok(da.text.includes(want), `Danish statement lacks ${want}`);
  }
});

test('the privacy notice names the controller, purposes, bases, recipients, retention, rights, Datatilsynet', async () => {
  const en = await get('/privacy', s.ec1.jar, 'en');
  assert.strictEqual(en.status, 200);
  for (const want of ['Region Test &amp; Co', 'Testvej 1, 8000 Aarhus C', 'mailto:dpo-officer@example.org',
    'Why we process your data', 'Legal basis', 'article 6(1)(e)', 'Who sees your data',
    'How long we keep your data', 'Your rights', 'Datatilsynet', 'Carl Jacobsens Vej 35']) {
    assert.ok(en.text.includes(want), `English notice lacks ${want}`);
  }
  const da = await get('/privacy?lang=da');
  for (const want of ['Dataansvarlig', 'Formål', 'Retsgrundlag', 'Modtagere', 'Opbevaring',
    'Dine rettigheder', 'Klage til Datatilsynet']) {
    assert.ok(da.text.includes(want), `Danish notice lacks ${want}`);
  }
});

test('every page links both from its footer; the footer names the controller', async () => {
  for (const [p, jar] of [['/login', undefined], ['/', s.cm1.jar], ['/my', s.person.jar],
    ['/teams', s.admin.jar], ['/accessibility', undefined]]) {
    const r = await get(p, jar);
    assert.strictEqual(r.status, 200, `${p}: ${r.status}`);
    assert.match(r.text, /<footer>[\s\S]*href="\/accessibility"[\s\S]*href="\/privacy"[\s\S]*<\/footer>/, p);
    assert.ok(r.text.includes('Region Test &amp; Co'), `${p}: footer without the controller`);
    assert.ok(r.text.includes('<link rel="icon" href="/static/favicon.svg"'), `${p}: no favicon`);
    assert.ok(r.text.includes('<script src="/static/ibbis.js"></script>'), `${p}: no ibbis.js`);
    assert.ok(r.text.includes('<script src="/static/dkfds/js/dkfds.min.js" defer></script>'), `${p}: no dkfds.js`);
    assert.ok(!/<script>/.test(r.text), `${p}: inline script`);
  }
});

test('the language switch is in the header\'s portal information', async () => {
  const r = await get('/', s.cm1.jar);
  const portal = r.text.slice(r.text.indexOf('<div class="portal-info">'), r.text.indexOf('<div class="solution-info">'));
  assert.match(portal, /href="\/\?lang=da" lang="da"/);
  assert.match(portal, /href="\/\?lang=en" lang="en"[^>]*aria-current="true"/);
  assert.ok(r.text.includes('class="function-link button-menu-open js-menu-open'), 'DKFDS menu button');
  assert.ok(r.text.includes('<div class="mobile-drawer"'), 'DKFDS mobile drawer');
});

test('the favicon, ibbis.js and DKFDS\'s script are served', async () => {
  const fav = await w.srv.request('GET', '/static/favicon.svg');
  assert.strictEqual(fav.status, 200);
  assert.match(fav.headers['content-type'], /^image\/svg\+xml/);
  const ico = await w.srv.request('GET', '/favicon.ico', { headers: { Accept: 'text/html' } });
  assert.strictEqual(ico.status, 303);
  assert.strictEqual(ico.headers.location, '/static/favicon.svg');
  const js = await w.srv.request('GET', '/static/ibbis.js');
  assert.strictEqual(js.status, 200);
  assert.ok(js.text.includes('DKFDS.init()'));
  const dk = await w.srv.request('GET', '/static/dkfds/js/dkfds.min.js');
  assert.strictEqual(dk.status, 200);
});

test('a failed form leads with the error summary, linked to the field and focused', async () => {
  const r = await w.srv.request('POST', `/cases/${w.kase.id}/notes`, {
    jar: s.cm1.jar, form: { csrf_token: s.cm1.csrf, category: 'clinical', text: '' },
    headers: { Accept: 'text/html' },
  });
  assert.strictEqual(r.status, 400);
  const main = r.text.slice(r.text.indexOf('<main'));
  const first = main.slice(main.indexOf('>') + 1).trimStart();
  assert.ok(first.startsWith('<div class="alert alert-error ibbis-error-summary"'), 'the summary comes first in main');
  const tag = first.slice(0, first.indexOf('>'));
  assert.match(tag, /data-module="error-summary"/);
  assert.match(tag, /tabindex="-1"/);
  assert.match(tag, /autofocus/);
  const href = (first.match(/<a href="#([^"]+)" class="function-link">/) || [])[1];
  assert.ok(href, 'the summary links to the field');
  assert.match(r.text, new RegExp(`<textarea[^>]*id="${href}"[^>]*name="text"|<textarea[^>]*name="text"[^>]*id="${href}"`));
});

test('a save that succeeds says so on the page it lands on', async () => {
  const r = await w.srv.request('POST', `/cases/${w.kase.id}/notes`, {
    jar: s.cm1.jar, form: { csrf_token: s.cm1.csrf, category: 'clinical', text: 'Flash test note' },
    headers: { Accept: 'text/html' },
  });
  assert.strictEqual(r.status, 303);
  assert.match(r.headers.location, /[?&]flash=saved(#|$)/);
  const page = await get(r.headers.location, s.cm1.jar);
  assert.strictEqual(page.status, 200);
  assert.match(page.text, /<div class="alert alert-success ibbis-flash" role="status">[\s\S]*Your changes have been saved\./);
  // Only known messages: a made-up name shows nothing.
  const bad = await get(`/cases/${w.kase.id}/notes?flash=pwned`, s.cm1.jar);
  assert.ok(!bad.text.includes('ibbis-flash'));
  // Logging in is not a save.
  const login = await w.srv.request('POST', '/login', {
    form: { username: 'cm1', password: 'wrong' }, headers: { Accept: 'text/html' },
  });
  assert.ok(!(login.headers.location || '').includes('flash'));
});

test('serve refuses to start without the DKFDS files and says how to fix it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-nodkfds-'));
  try {
    const r = ibbis(['serve', '--listen', '127.0.0.1:1', '--db', path.join(dir, 'x.db'),
      '--dkfds-dir', path.join(dir, 'none')]);
    assert.notStrictEqual(r.status, 0);
    assert.match(r.stderr, /css\/dkfds\.min\.css is missing/);
    assert.match(r.stderr, /npm ci/);
    assert.match(r.stderr, /--dkfds-dir/);
    assert.ok(!fs.existsSync(path.join(dir, 'x.db')), 'nothing was created');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});


test('a CPR number is shown as DDMMYY-XXXX on the case page', async () => {
  const r = await get(`/cases/${w.kase.id}`, s.cm1.jar);
  assert.strictEqual(r.status, 200);
  assert.ok(r.text.includes('010180-1234'), 'the CPR number with its dash');
  assert.ok(!r.text.includes('0101801234'), 'never the ten digits run together');
});
