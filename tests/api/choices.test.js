'use strict';
// The decision form (issue 15, "Fewer steps"): the kinds, the seven
// extension grounds of § 27 and the categories 1-3 are choices in the law's
// own words, never free text, numbers to type or message keys.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');

let w;
test.before(async () => { w = await makeWorld(); });
test.after(async () => { if (w) await w.cleanup(); });

const page = (lang) => w.srv.request('GET', `/cases/${w.kase.id}/decisions`,
  { jar: w.s.ec1.jar, headers: { Accept: 'text/html', 'Accept-Language': lang, Cookie: `lang=${lang}` } });

test('grounds 1-7 and categories 1-3 as radio choices with the law\'s wording', async () => {
  const en = await page('en');
  assert.strictEqual(en.status, 200);
  for (let i = 1; i <= 7; i++) assert.ok(en.text.includes(`name="ground" value="${i}"`), `ground ${i}`);
  for (let i = 1; i <= 3; i++) assert.ok(en.text.includes(`name="category" value="${i}"`), `category ${i}`);
  assert.ok(!en.text.includes('type="number"'), 'nothing to type as a number');
  assert.ok(en.text.includes('work can resume within 134 weeks of the reassessment date'));
  assert.ok(en.text.includes('Complex problems besides the illness.'));
  assert.ok(en.text.includes('>Extension of sickness benefit</option>'));
  assert.ok(!/trust\.[a-z_]+\.[a-z_.0-9]+/.test(en.text), 'no raw message keys');
  const da = await page('da');
  assert.ok(da.text.includes('inden for 134 uger fra revurderingstidspunktet'));
  assert.ok(da.text.includes('Der er rejst en sag om arbejdsskade.'));
  assert.ok(!/trust\.[a-z_]+\.[a-z_.0-9]+/.test(da.text), 'no raw message keys (da)');
});

test('the form records a chosen ground and category; "not relevant" sends none', async () => {
  const post = (form) => w.srv.request('POST', `/cases/${w.kase.id}/decisions`, {
    jar: w.s.ec1.jar, headers: { Accept: 'text/html' },
    form: Object.assign({ csrf_token: w.s.ec1.csrf, hearing: today(-12), on: today(-10),
      reasons: 'Reasons given.' }, form),
  });
  assert.strictEqual((await post({ kind: 'category', category: '2', ground: '' })).status, 303);
  assert.strictEqual((await post({ kind: 'extension', ground: '3', category: '' })).status, 303);
  const list = await w.s.ec1.call('GET', `/api/v1/cases/${w.kase.id}/decisions`);
  assert.deepStrictEqual(list.json.decisions.map((d) => [d.kind, d.ground, d.category]).sort(),
    [['category', null, 2], ['extension', 3, null]]);
  const bad = await post({ kind: 'extension', ground: '8' });
  assert.strictEqual(bad.status, 400);
  assert.ok(bad.text.includes('name="ground" value="3"'), 'the choices are offered again');
});
