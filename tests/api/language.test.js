'use strict';
// Languages (DESIGN.md section 3): the user's setting, then the `lang`
// cookie, then Accept-Language, then English. <html lang="da"> for Danish.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Jar, loginJson } = require('./lib/server.js');

const HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';

function htmlLang(text) {
  const m = text.match(/<html\b[^>]*\blang\s*=\s*["']?([a-zA-Z-]+)/i);
  return m ? m[1].toLowerCase() : null;
}

// The text of the first <h1>, tags stripped.
function h1(text) {
  const m = text.match(/<h1\b[^>]*>([\s\S]*?)<\/h1>/i);
  return m ? m[1].replace(/<[^>]*>/g, '').trim() : null;
}

let srv;
before(async () => { srv = await startServer(); });
after(async () => {
  if (srv) { await srv.stop(); srv.cleanup(); }
});

describe('language of pages', () => {
  it('is English without any preference', async () => {
    const r = await srv.request('GET', '/login', { headers: { Accept: HTML } });
    assert.equal(r.status, 200);
    assert.equal(htmlLang(r.text), 'en');
  });

  it('follows Accept-Language: da', async () => {
    const r = await srv.request('GET', '/login', {
      headers: { Accept: HTML, 'Accept-Language': 'da-DK,da;q=0.9,en;q=0.8' },
    });
    assert.equal(htmlLang(r.text), 'da');
  });

  it('falls back to English for a language it does not have', async () => {
    const r = await srv.request('GET', '/login', {
      headers: { Accept: HTML, 'Accept-Language': 'fr-FR,fr;q=0.9' },
    });
    assert.equal(htmlLang(r.text), 'en');
  });

  it('translates the login page: the Danish heading differs from the English', async () => {
    const en = await srv.request('GET', '/login', { headers: { Accept: HTML, 'Accept-Language': 'en' } });
    const da = await srv.request('GET', '/login', { headers: { Accept: HTML, 'Accept-Language': 'da' } });
    assert.ok(h1(en.text), 'the login page has an h1');
    assert.ok(h1(da.text), 'the Danish login page has an h1');
    assert.notEqual(h1(da.text), h1(en.text));
  });

  it('?lang=da sets the lang cookie and answers in Danish', async () => {
    const jar = new Jar();
    const r = await srv.request('GET', '/login?lang=da', { jar, headers: { Accept: HTML } });
    assert.equal(htmlLang(r.text), 'da');
    assert.equal(jar.get('lang'), 'da');
    const again = await srv.request('GET', '/login', { jar, headers: { Accept: HTML } });
    assert.equal(htmlLang(again.text), 'da', 'the cookie keeps the choice');
  });

  it('the lang cookie wins over Accept-Language', async () => {
    const jar = new Jar();
    jar.set('lang', 'en');
    const r = await srv.request('GET', '/login', {
      jar, headers: { Accept: HTML, 'Accept-Language': 'da' },
    });
    assert.equal(htmlLang(r.text), 'en');
  });

  it('GET /?lang=da with a session answers the home page in Danish', async () => {
    const { jar } = await loginJson(srv, 'cm1');
    const r = await srv.request('GET', '/?lang=da', { jar, headers: { Accept: HTML } });
    assert.equal(r.status, 200);
    assert.equal(htmlLang(r.text), 'da');
    assert.equal(jar.get('lang'), 'da');
    const home = await srv.request('GET', '/', { jar, headers: { Accept: HTML } });
    assert.equal(htmlLang(home.text), 'da');
  });

  it('the layout has a language switch with links to both languages', async () => {
    const { jar } = await loginJson(srv, 'cm1');
    const r = await srv.request('GET', '/', { jar, headers: { Accept: HTML } });
    assert.match(r.text, /<a\b[^>]*href\s*=\s*["'][^"']*[?&](amp;)?lang=da\b/i, 'a link to Danish');
    assert.match(r.text, /<a\b[^>]*href\s*=\s*["'][^"']*[?&](amp;)?lang=en\b/i, 'a link to English');
  });

  it('error pages come in the user\'s language', async () => {
    const en = await srv.request('GET', '/no/such/page', { headers: { Accept: HTML } });
    const da = await srv.request('GET', '/no/such/page', {
      headers: { Accept: HTML, 'Accept-Language': 'da' },
    });
    assert.equal(en.status, 404);
    assert.equal(da.status, 404);
    assert.equal(htmlLang(en.text), 'en');
    assert.equal(htmlLang(da.text), 'da');
    assert.notEqual(da.text, en.text);
  });
});
