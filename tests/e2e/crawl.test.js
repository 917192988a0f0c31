'use strict';
// A crawl as every role (and as nobody), in English and Danish: from the
// home page, every link on every page the role reaches is followed (GET,
// same site). No link may answer 404 (or 5xx), and no page may show a raw
// message key (`word.word.word`, a catalogue key the page forgot to
// translate) in its text or in the attributes a reader hears. Over HTTP,
// without a browser: it is the links and texts that are checked here; the
// pages' look and axe are tests/e2e/a11y.test.js.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { makeScene } = require('./lib/scene.js');
const { Jar } = require('../api/lib/server.js');

let sc;
before(async () => { sc = await makeScene(); });
after(async () => { if (sc) await sc.cleanup(); });

const MAX_PAGES = 400;
// Addresses that are not pages: leaving, a file, a download.
const SKIP = [/^\/logout/, /^\/static\//, /\.ics(\?|$)/, /^\/api\//, /^\/favicon/,
  /\/export(\?|$)/, /\/calendar\/feed/];

function links(html) {
  const out = [];
  const re = /<a\b[^>]*\bhref="([^"#]*)(#[^"]*)?"/g;
  let m;
  while ((m = re.exec(html))) if (m[1]) out.push(m[1].replace(/&amp;/g, '&'));
  return out;
}

function decode(t) {
  return t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// What a reader sees or hears: text outside tags (not in <style>, <svg>'s
// own markup is text too) and the aria-label, title, alt and placeholder
// attributes.
function readable(html) {
  const body = html.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<style[\s\S]*?<\/style>/g, '');
  const attrs = [];
  const re = /\b(aria-label|title|alt|placeholder)="([^"]*)"/g;
  let m;
  while ((m = re.exec(body))) attrs.push(m[2]);
  return decode(body.replace(/<[^>]*>/g, ' ')) + '\n' + decode(attrs.join('\n'));
}

// A raw key: three or more lower-case words joined by dots, not a domain
// name (was.digst.dk, www.datatilsynet.dk) or an e-mail address.
function rawKeys(text) {
  const found = [];
  const re = /(^|[^\w.@/-])([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*){2,})(?![\w@-])/g;
  let m;
  while ((m = re.exec(text))) {
    const k = m[2];
    if (/\.(dk|org|com|net|eu|gov)$/.test(k) || /^www\./.test(k)) continue;
    found.push(k);
  }
  return found;
}

async function crawl(jar, lang) {
  const seen = new Map(); // path -> status
  const bad = [];
  const keys = [];
  const queue = [['/', '(start)']];
  const headers = { Accept: 'text/html', 'Accept-Language': lang };
  while (queue.length && seen.size < MAX_PAGES) {
    const [p, from] = queue.shift();
    if (seen.has(p)) continue;
    const r = await sc.srv.request('GET', p, { jar, headers });
    seen.set(p, r.status);
    if (r.status === 404 || r.status >= 500) bad.push(`${p} (${r.status}), linked from ${from}`);
    if (r.status === 303 || r.status === 302) {
      const to = r.headers.location;
      if (to && to.startsWith('/') && !seen.has(to)) queue.push([to, p]);
      continue;
    }
    if (!/^text\/html/.test(r.headers['content-type'] || '')) continue;
    for (const k of rawKeys(readable(r.text))) keys.push(`${p}: ${k}`);
    for (const l of links(r.text)) {
      if (!l.startsWith('/') || l.startsWith('//')) continue; // other sites: not ours to check
      if (SKIP.some((re) => re.test(l)) || /[?&]lang=/.test(l)) continue;
      if (!seen.has(l)) queue.push([l, p]);
    }
  }
  return { seen, bad, keys };
}


const ROLES = ['nobody', 'cm1', 'ec1', 'suph', 'res', 'admin', 'person'];

for (const lang of ['en', 'da']) {
  describe(`a crawl as every role (${lang})`, { timeout: 300000 }, () => {
    for (const role of ROLES) {
      it(`${role}: no link answers 404, no page shows a raw message key`, async () => {
        const jar = role === 'nobody' ? new Jar() : sc.s[role].jar;
        // ?lang= is remembered per account: set it, as a user choosing would.
        if (role !== 'nobody') await sc.srv.request('GET', `/?lang=${lang}`, { jar, headers: { Accept: 'text/html' } });
        const { seen, bad, keys } = await crawl(jar, lang);
        console.log(`${role} (${lang}): ${seen.size} pages`);
        assert.ok(seen.size >= (role === 'nobody' ? 3 : 5), `${role} reached ${seen.size} pages`);
        assert.deepEqual(bad, [], `${role}: links answering 404 or 5xx`);
        assert.deepEqual([...new Set(keys)], [], `${role}: raw message keys`);
      });
    }
  });
}

describe('the crawl can fail', () => {
  it('finds a raw key and ignores domain names', () => {
    assert.deepEqual(rawKeys('Type: trust.kind.extension and was.digst.dk, a@b.c.dk'), ['trust.kind.extension']);
    assert.deepEqual(rawKeys(readable('<p>x</p><span aria-label="teams.err.not_found"></span>')), ['teams.err.not_found']);
    assert.deepEqual(links('<a href="/a?b=1&amp;c=2#x">'), ['/a?b=1&c=2']);
  });
});
