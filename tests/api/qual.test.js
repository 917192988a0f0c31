'use strict';
// Qualitative material of a study (issue 17, DESIGN.md section 9): the
// preloaded bilingual codebook, documents sealed at rest, codings as ranges
// of Unicode code points checked against the text, coding a paragraph by a
// form without JavaScript, the matrix and the content-analysis table.
const test = require('node:test');
const assert = require('node:assert/strict');

const { makeWorld, today } = require('./lib/world');
const { foundInClear } = require('./lib/sql');
const { csrfFromHtml } = require('./lib/server');

const MARK = `QUAL-SEALED-${process.pid}`;
// Three paragraphs; multi-byte letters and an emoji (two UTF-16 units, one
// code point) so that code points, bytes and UTF-16 all differ.
const TEXT = `Interviewer: Hvordan gik mødet? ${MARK}\n\nBorger: Jeg følte mig tryg 😀 og hørt.\nCare manager: Vi lærte hinanden at kende.`;
const cps = (s) => Array.from(s);
let w;
let study;
let other;
let doc;
let codes;

test.before(async () => {
  w = await makeWorld();
  const spec = (name) => ({ name, teams: [w.teams.A.id], from: today(-30), to: today(), researchers: [w.s.res.id] });
  study = (await w.s.admin.call('POST', '/api/v1/studies', spec('Qual'))).json;
  other = (await w.s.admin.call('POST', '/api/v1/studies', spec('Other'))).json;
});
test.after(async () => { if (w) await w.cleanup(); });

test('the codebook starts with the study concepts in both languages', async () => {
  const r = await w.s.res.call('GET', `/api/v1/studies/${study.id}/codes`);
  assert.equal(r.status, 200, r.text);
  codes = r.json.codes;
  assert.deepEqual(codes.map((c) => c.name), ['Trust', 'Distrust', 'Vulnerability', 'Uncertainty',
    'Trust-building strategies', 'Time to know each other', 'A caring approach', 'Shared interests',
    'Transparency about the law']);
  assert.equal(codes[0].name_da, 'Tillid');
  const strat = codes.find((c) => c.name === 'Trust-building strategies');
  assert.equal(codes.filter((c) => c.parent === strat.id).length, 4);
  const page = await w.srv.request('GET', `/studies/${study.id}/codes?lang=da`, { jar: w.s.res.jar, headers: { Accept: 'text/html' } });
  assert.match(page.text, /Tillidsskabende strategier/);
  // Only the study's researchers.
  assert.equal((await w.s.admin.call('GET', `/api/v1/studies/${study.id}/codes`)).status, 403);
  assert.equal((await w.s.cm1.call('GET', `/api/v1/studies/${study.id}/codes`)).status, 403);
});

test('codes: add, rename, move; a cycle or a foreign parent names the field', async () => {
  const { res } = w.s;
  const trust = codes[0];
  let r = await res.call('POST', `/api/v1/studies/${study.id}/codes`, { name: 'Trust in the law', parent: trust.id, description: 'x' });
  assert.equal(r.status, 201, r.text);
  const child = r.json.id;
  r = await res.call('PATCH', `/api/v1/codes/${trust.id}`, { parent: child });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'parent');
  const foreign = (await res.call('GET', `/api/v1/studies/${other.id}/codes`)).json.codes[0];
  r = await res.call('POST', `/api/v1/studies/${study.id}/codes`, { name: 'y', parent: foreign.id });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'parent');
  r = await res.call('POST', `/api/v1/studies/${study.id}/codes`, { name: '' });
  assert.equal(r.json.error.field, 'name');
  r = await res.call('PATCH', `/api/v1/codes/${child}`, { name: 'Trust in rules', parent: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Trust in rules');
  assert.equal(r.json.parent, null);
});

test('documents are sealed at rest; bad input names the field', async () => {
  const { res } = w.s;
  let r = await res.call('POST', `/api/v1/studies/${study.id}/documents`, {
    title: 'Interview 1', kind: 'interview', stakeholder: 'service_user', time_point: '3 months', site: 'Nord', text: TEXT,
  });
  assert.equal(r.status, 201, r.text);
  doc = r.json.id;
  r = await res.call('GET', `/api/v1/documents/${doc}`);
  assert.equal(r.json.text, TEXT);
  assert.equal(r.json.chars, cps(TEXT).length);
  assert.deepEqual(foundInClear(w.srv.db, MARK), []);
  for (const [patch, field] of [[{ kind: 'memo' }, 'kind'], [{ stakeholder: 'mayor' }, 'stakeholder'], [{ text: '' }, 'text'], [{ title: '' }, 'title']]) {
    r = await res.call('POST', `/api/v1/studies/${study.id}/documents`, Object.assign({ title: 't', kind: 'observation', stakeholder: 'supervisor', text: 'x' }, patch));
    assert.equal(r.status, 400, JSON.stringify(patch));
    assert.equal(r.json.error.field, field);
  }
  assert.equal((await w.s.cm1.call('GET', `/api/v1/documents/${doc}`)).status, 403);
  assert.equal((await w.s.admin.call('GET', `/api/v1/documents/${doc}`)).status, 403);
});

test('segments are code points checked against the text', async () => {
  const { res } = w.s;
  const n = cps(TEXT).length;
  const at = TEXT.indexOf('tryg');
  const start = cps(TEXT.slice(0, at)).length;
  const end = start + cps('tryg 😀 og').length;
  let r = await res.call('POST', `/api/v1/documents/${doc}/segments`, { start, end, code: codes[0].id, memo: 'safe', condensed: 'feels safe' });
  assert.equal(r.status, 201, r.text);
  const seg = r.json.id;
  r = await res.call('GET', `/api/v1/documents/${doc}/segments`);
  assert.equal(r.json.segments[0].text, 'tryg 😀 og');
  const bad = [
    [{ start: n, end: n + 1 }, 'start'],
    [{ start: n - 2, end: n + 1 }, 'end'],
    [{ start: 5, end: 5 }, 'end'],
    [{ start: -1, end: 3 }, 'start'],
    [{ start: 0, end: 3, code: (await res.call('GET', `/api/v1/studies/${other.id}/codes`)).json.codes[0].id }, 'code'],
  ];
  for (const [b, field] of bad) {
    r = await res.call('POST', `/api/v1/documents/${doc}/segments`, Object.assign({ code: codes[0].id }, b));
    assert.equal(r.status, 400, JSON.stringify(b));
    assert.equal(r.json.error.field, field, JSON.stringify(b));
  }
  // The last code point is codable; one past it is not.
  r = await res.call('POST', `/api/v1/documents/${doc}/segments`, { start: n - 1, end: n, code: codes[1].id });
  assert.equal(r.status, 201);
  r = await res.call('DELETE', `/api/v1/segments/${r.json.id}`);
  assert.equal(r.status, 200);
  assert.equal((await res.call('DELETE', `/api/v1/segments/${seg + 1000}`)).status, 404);
});

test('without JavaScript: the coding page codes a paragraph through its form', async () => {
  const { res } = w.s;
  const page = await w.srv.request('GET', `/documents/${doc}`, { jar: res.jar, headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.text, /<ol class="ibbis-paragraphs" id="paragraphs">/);
  assert.equal((page.text.match(/<li id="p-\d+"/g) || []).length, 3);
  assert.match(page.text, /<script src="\/static\/coding.js" defer><\/script>/);
  assert.ok(!/<script>/.test(page.text), 'no inline script');
  const token = csrfFromHtml(page.text);
  const codeId = codes.find((c) => c.name === 'Time to know each other').id;
  const r = await w.srv.request('POST', `/documents/${doc}/segments`, {
    jar: res.jar, headers: { Accept: 'text/html' }, form: { csrf_token: token, code: String(codeId), paragraph: '3', start: '', end: '', memo: '' },
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const segs = (await res.call('GET', `/api/v1/documents/${doc}/segments`)).json.segments;
  const s = segs.find((x) => x.code === codeId);
  assert.equal(s.text, 'Care manager: Vi lærte hinanden at kende.');
  // A paragraph that is not there: the page again with the field marked.
  const bad = await w.srv.request('POST', `/documents/${doc}/segments`, {
    jar: res.jar, headers: { Accept: 'text/html' }, form: { csrf_token: token, code: String(codeId), paragraph: '9' },
  });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="seg-paragraph" name="paragraph" value="9" aria-invalid="true"/);
  const js = await w.srv.request('GET', '/static/coding.js');
  assert.equal(js.status, 200);
});

test('the matrix and the content-analysis table', async () => {
  const { res } = w.s;
  await res.call('POST', `/api/v1/studies/${study.id}/documents`, {
    title: 'Observation', kind: 'observation', stakeholder: 'care_manager', text: 'The CM explained the law.',
  }).then(async (r) => {
    const law = codes.find((c) => c.name === 'Transparency about the law').id;
    assert.equal((await res.call('POST', `/api/v1/documents/${r.json.id}/segments`, { start: 4, end: 25, code: law })).status, 201);
  });
  const r = await res.call('GET', `/api/v1/studies/${study.id}/matrix`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.stakeholders, ['service_user', 'care_manager', 'employment_consultant', 'supervisor']);
  const row = (name) => r.json.rows.find((x) => x.name === name);
  assert.deepEqual(row('Trust').counts, [1, 0, 0, 0]);
  assert.deepEqual(row('Transparency about the law').counts, [0, 1, 0, 0]);
  assert.deepEqual(row('Time to know each other').counts, [1, 0, 0, 0]);
  const ca = r.json.content_analysis;
  const law = ca.find((x) => x.code === 'Transparency about the law');
  assert.equal(law.meaning_unit, 'CM explained the law.');
  assert.equal(law.theme, 'Trust-building strategies');
  assert.equal(ca.find((x) => x.code === 'Trust').condensed, 'feels safe');
  for (const lang of ['en', 'da']) {
    const p = await w.srv.request('GET', `/studies/${study.id}/matrix?lang=${lang}`, { jar: res.jar, headers: { Accept: 'text/html' } });
    assert.equal(p.status, 200);
    assert.match(p.text, lang === 'da' ? /Indholdsanalyse/ : /Content analysis/);
  }
});

test('REFI-QDA: the project validates against the standard schema; codes, sources, codings', async () => {
  const { res } = w.s;
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const { spawnSync } = require('node:child_process');
  const r = await res.call('GET', `/api/v1/studies/${study.id}/project.qdpx`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], 'application/zip');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-qdpx-'));
  try {
    fs.writeFileSync(path.join(dir, 'p.qdpx'), r.body);
    const u = spawnSync('unzip', ['-q', path.join(dir, 'p.qdpx'), '-d', path.join(dir, 'x')], { encoding: 'utf8' });
    assert.equal(u.status, 0, u.stderr);
    const qde = path.join(dir, 'x', 'project.qde');
    // ../shared relative to the repository root, as other tests use it.
    const xsd = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'refi-qda', 'Project-mrt2019.xsd');
    const v = spawnSync('xmllint', ['--noout', '--schema', xsd, qde], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    const xml = fs.readFileSync(qde, 'utf8');
    const docs = (await res.call('GET', `/api/v1/studies/${study.id}/documents`)).json.documents;
    const one = (await res.call('GET', `/api/v1/documents/${doc}`)).json;
    // Each document is a text source with its text under sources/.
    assert.equal((xml.match(/<TextSource /g) || []).length, docs.length);
    assert.equal(fs.readFileSync(path.join(dir, 'x', 'sources', `${one.guid}.txt`), 'utf8'), TEXT);
    // Codings: one PlainTextSelection per segment, offsets in code points,
    // each pointing at a code of the codebook.
    for (const s of one.segments) {
      assert.match(xml, new RegExp(`startPosition="${s.start}" endPosition="${s.end}"`));
      assert.match(xml, new RegExp(`<CodeRef targetGUID="${s.code_guid}"/>`));
      assert.match(xml, new RegExp(`<Code guid="${s.code_guid}"`));
    }
    // The hierarchy: the four strategies nest inside their parent.
    const strat = xml.indexOf('name="Trust-building strategies"');
    const close = xml.indexOf('</Code>', xml.indexOf('name="Transparency about the law"'));
    assert.ok(strat > 0 && xml.indexOf('name="A caring approach"') > strat && close > strat);
    const qdc = await res.call('GET', `/api/v1/studies/${study.id}/codebook.qdc`);
    assert.equal(qdc.status, 200);
    assert.match(qdc.text, /<CodeBook [^>]*xmlns="urn:QDA-XML:codebook:1.0"/);
    assert.match(qdc.text, /name="Time to know each other" isCodable="true"/);
    assert.equal((await w.s.admin.call('GET', `/api/v1/studies/${study.id}/project.qdpx`)).status, 403);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
