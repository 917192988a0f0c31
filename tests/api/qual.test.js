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

// ---- REFI-QDA import ------------------------------------------------------
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const XSD = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'refi-qda', 'Project-mrt2019.xsd');

// A .qdpx as another tool writes it: files is { name: text }.
function qdpx(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-refi-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const z = spawnSync('zip', ['-q', '-r', 'p.qdpx', ...Object.keys(files)], { cwd: dir, encoding: 'utf8' });
    assert.equal(z.status, 0, z.stderr);
    return fs.readFileSync(path.join(dir, 'p.qdpx'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// project.qde of an export, checked against the standard's schema.
function unpack(buf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ibbis-refi-'));
  try {
    fs.writeFileSync(path.join(dir, 'p.qdpx'), buf);
    const u = spawnSync('unzip', ['-q', 'p.qdpx', '-d', 'x'], { cwd: dir, encoding: 'utf8' });
    assert.equal(u.status, 0, u.stderr);
    const v = spawnSync('xmllint', ['--noout', '--schema', XSD, path.join(dir, 'x', 'project.qde')], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    const out = { qde: fs.readFileSync(path.join(dir, 'x', 'project.qde'), 'utf8'), sources: {} };
    const sd = path.join(dir, 'x', 'sources');
    if (fs.existsSync(sd)) for (const f of fs.readdirSync(sd)) out.sources[f] = fs.readFileSync(path.join(sd, f), 'utf8');
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// What a round trip must keep: codes (guid, name, parent), sources (guid,
// name), selections (guid, source, start, end, code), by regular
// expressions over the writer's own layout (one element a line).
function shape(qde) {
  const codes = [];
  const stack = [];
  const sources = [];
  const sels = [];
  let src = null;
  let sel = null;
  for (const line of qde.split('\n')) {
    let m = line.match(/<Code guid="([^"]+)" name="([^"]*)"[^>]*?(\/?)>/);
    if (m) {
      codes.push({ guid: m[1], name: m[2], parent: stack[stack.length - 1] || null });
      if (!m[3]) stack.push(m[1]);
      continue;
    }
    if (/<\/Code>/.test(line)) { stack.pop(); continue; }
    m = line.match(/<TextSource guid="([^"]+)" name="([^"]*)"/);
    if (m) { src = m[1]; sources.push({ guid: m[1], name: m[2] }); continue; }
    m = line.match(/<PlainTextSelection guid="([^"]+)" startPosition="(\d+)" endPosition="(\d+)"/);
    if (m) { sel = { guid: m[1], source: src, start: +m[2], end: +m[3], codes: [] }; sels.push(sel); continue; }
    m = line.match(/<CodeRef targetGUID="([^"]+)"/);
    if (m) sel.codes.push(m[1]);
  }
  return { codes, sources, sels };
}

const G = (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const FOREIGN_TEXT = 'Borger: Jeg stolede på dem 😀 efter tre møder.\nCM: Vi tog os tid.';
const INLINE_TEXT = 'Observation: the EC explained § 27 calmly.';
const at = (s, part) => Array.from(s.slice(0, s.indexOf(part))).length;
function foreignProject(extra = {}) {
  const a = at(FOREIGN_TEXT, 'stolede');
  const b = a + Array.from('stolede på dem 😀').length;
  const c = at(INLINE_TEXT, 'explained');
  const qde = extra.qde || `<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From another tool" origin="OtherQDA 1.0">
  <CodeBook><Codes>
    <Code guid="{${G(1).toUpperCase()}}" name="Tillid" isCodable="true">
      <Description>Trust, as the participants speak of it</Description>
      <Code guid="${G(2)}" name="Tillid til loven" isCodable="true"/>
    </Code>
    <Code guid="${G(3)}" name="Tid" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="${G(10)}" name="Interview A" plainTextPath="internal://${G(10)}.txt">
      <Description>Recorded in the job centre</Description>
      <PlainTextSelection guid="${G(20)}" startPosition="${a}" endPosition="${b}">
        <Description>memo from the other tool</Description>
        <Coding guid="${G(30)}"><CodeRef targetGUID="${G(2)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="${G(21)}" startPosition="0" endPosition="6">
        <Coding guid="${G(31)}"><CodeRef targetGUID="${G(1)}"/></Coding>
        <Coding guid="${G(32)}"><CodeRef targetGUID="${G(3)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="${G(11)}" name="Observation B">
      <PlainTextContent>${INLINE_TEXT}</PlainTextContent>
      <PlainTextSelection guid="${G(22)}" startPosition="${c}" endPosition="${c + 9}">
        <Coding guid="${G(33)}"><CodeRef targetGUID="${extra.ref || G(3)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    ${extra.sources || ''}
  </Sources>
</Project>`;
  const files = { 'project.qde': qde };
  if (!extra.noSource) files[`sources/${G(10)}.txt`] = FOREIGN_TEXT;
  return qdpx(files);
}

async function importInto(s, id, body, query = '') {
  return s.call('POST', `/api/v1/studies/${id}/import${query}`, body, { headers: { 'Content-Type': 'application/zip' } });
}

test('REFI-QDA import: a project from another tool comes in and goes out the same', async () => {
  const { res } = w.s;
  const spec = { name: 'Imported', teams: [w.teams.A.id], from: today(-30), to: today(), researchers: [res.id] };
  const imp = (await w.s.admin.call('POST', '/api/v1/studies', spec)).json;
  const project = foreignProject();
  const before = shape(unpack(project).qde);
  let r = await importInto(res, imp.id, project, '?kind=observation&stakeholder=supervisor');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.imported, { codes: 3, sources: 2, codings: 4 });
  assert.deepEqual(r.json.kept, { codes: 0, sources: 0, codings: 0 });
  // In IBBIS: the sources with the asked-for kind and stakeholder, the
  // passages by code points.
  const docs = (await res.call('GET', `/api/v1/studies/${imp.id}/documents`)).json.documents;
  assert.deepEqual(docs.map((d) => [d.title, d.kind, d.stakeholder]),
    [['Interview A', 'observation', 'supervisor'], ['Observation B', 'observation', 'supervisor']]);
  const a = (await res.call('GET', `/api/v1/documents/${docs[0].id}`)).json;
  assert.equal(a.text, FOREIGN_TEXT);
  assert.deepEqual(a.segments.map((s) => [s.text, s.code_name, s.memo]).sort(),
    [['Borger', 'Tid', ''], ['Borger', 'Tillid', ''], ['stolede på dem 😀', 'Tillid til loven', 'memo from the other tool']]);
  // Out again: the same codes (GUIDs, names, hierarchy), sources, texts and
  // selections; the selection with two codings keeps its GUID for the first
  // and the second gets its own.
  const out = unpack((await res.call('GET', `/api/v1/studies/${imp.id}/project.qdpx`)).body);
  const after = shape(out.qde);
  for (const c of before.codes) assert.ok(after.codes.some((x) => x.guid === c.guid.replace(/[{}]/g, '').toLowerCase() &&
    x.name === c.name && x.parent === (c.parent && c.parent.replace(/[{}]/g, '').toLowerCase())), c.name);
  assert.deepEqual(after.sources, before.sources);
  assert.equal(out.sources[`${G(10)}.txt`], FOREIGN_TEXT);
  assert.equal(out.sources[`${G(11)}.txt`], INLINE_TEXT);
  for (const s of before.sels) {
    const same = after.sels.filter((x) => x.source === s.source && x.start === s.start && x.end === s.end);
    assert.deepEqual(same.flatMap((x) => x.codes).sort(), s.codes.map((g) => g.toLowerCase()).sort());
    assert.ok(same.some((x) => x.guid === s.guid), `selection ${s.guid} kept its GUID`);
  }
  // In again, into the same study: nothing new, and the export is the same.
  r = await importInto(res, imp.id, (await res.call('GET', `/api/v1/studies/${imp.id}/project.qdpx`)).body);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.imported, { codes: 0, sources: 0, codings: 0 });
  assert.deepEqual(r.json.kept, { codes: 12, sources: 2, codings: 4 });
  const again = unpack((await res.call('GET', `/api/v1/studies/${imp.id}/project.qdpx`)).body);
  const strip = (q) => q.replace(/creationDateTime="[^"]*"/g, '');
  assert.equal(strip(again.qde), strip(out.qde));
  // IBBIS's own export of another study: kind and stakeholder come back
  // from the description; GUIDs held by that study are new here.
  r = await importInto(res, imp.id, (await res.call('GET', `/api/v1/studies/${study.id}/project.qdpx`)).body);
  assert.equal(r.status, 200, r.text);
  const docs2 = (await res.call('GET', `/api/v1/studies/${imp.id}/documents`)).json.documents;
  const i1 = docs2.find((d) => d.title === 'Interview 1');
  assert.deepEqual([i1.kind, i1.stakeholder, i1.time_point], ['interview', 'service_user', '3 months']);
  assert.equal((await res.call('GET', `/api/v1/documents/${i1.id}`)).json.text, TEXT);
  // The import is the study's content: not for the admin or another user.
  assert.equal((await importInto(w.s.admin, imp.id, project)).status, 403);
  assert.equal((await importInto(w.s.cm1, imp.id, project)).status, 403);
});

test('REFI-QDA import: bad input names what is wrong and writes nothing', async () => {
  const { res } = w.s;
  const spec = { name: 'Bad imports', teams: [w.teams.A.id], from: today(-30), to: today(), researchers: [res.id] };
  const bad = (await w.s.admin.call('POST', '/api/v1/studies', spec)).json;
  const count = async () => {
    const c = (await res.call('GET', `/api/v1/studies/${bad.id}/codes`)).json.codes.length;
    const d = (await res.call('GET', `/api/v1/studies/${bad.id}/documents`)).json.documents.length;
    return [c, d];
  };
  const start = await count();
  const cases = [
    [Buffer.from('not a zip at all'), /not a zip archive/],
    [qdpx({ 'readme.txt': 'x' }), /no project\.qde/],
    [qdpx({ 'project.qde': '<Project xmlns="urn:QDA-XML:project:1.0"><CodeBook>' }), /project\.qde line \d+/],
    [foreignProject({ qde: `<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p">\n<CodeBook><Codes>\n<Code guid="${G(1)}" name="x"/>\n</Codes></CodeBook></Project>` }),
      /line 4: Element 'Code': The attribute 'isCodable' is required/],
    // The codes come first and are fine; the failure later undoes them.
    [foreignProject({ ref: G(99) }), /CodeRef: targetGUID 00000000-0000-4000-8000-000000000099 names no code/],
    [foreignProject({ sources: `<TextSource guid="${G(12)}" name="Short"><PlainTextContent>abc</PlainTextContent><PlainTextSelection guid="${G(23)}" startPosition="1" endPosition="9"><Coding guid="${G(34)}"><CodeRef targetGUID="${G(3)}"/></Coding></PlainTextSelection></TextSource>` }),
      /PlainTextSelection: endPosition 1\.\.9 of a text of 3 characters/],
    [foreignProject({ noSource: true }), /the archive has no sources\/00000000-0000-4000-8000-000000000010\.txt/],
  ];
  for (const [body, message] of cases) {
    const r = await importInto(res, bad.id, body);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'file');
    assert.match(r.json.error.message, message);
    assert.deepEqual(await count(), start, `nothing written for ${message}`);
  }
  let r = await importInto(res, bad.id, foreignProject(), '?stakeholder=mayor');
  assert.equal(r.json.error.field, 'stakeholder');
  r = await importInto(res, bad.id, Buffer.alloc(0));
  assert.equal(r.json.error.field, 'file');
});

test('REFI-QDA import without JavaScript: the documents page uploads a .qdpx', async () => {
  const { res } = w.s;
  const spec = { name: 'Form import', teams: [w.teams.A.id], from: today(-30), to: today(), researchers: [res.id] };
  const st = (await w.s.admin.call('POST', '/api/v1/studies', spec)).json;
  const page = await w.srv.request('GET', `/studies/${st.id}/documents?lang=da`, { jar: res.jar, headers: { Accept: 'text/html' } });
  assert.match(page.text, /enctype="multipart\/form-data"/);
  assert.match(page.text, /Importér et projekt/);
  const token = csrfFromHtml(page.text);
  const upload = (file) => {
    const b = `----ibbis${process.pid}`;
    const part = (name, value, filename) => Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${name}"` +
      (filename ? `; filename="${filename}"\r\nContent-Type: application/zip` : '') + '\r\n\r\n'), Buffer.from(value), Buffer.from('\r\n')]);
    const body = Buffer.concat([part('csrf_token', token), part('kind', 'interview'), part('stakeholder', 'care_manager'),
      part('file', file, 'p.qdpx'), Buffer.from(`--${b}--\r\n`)]);
    return w.srv.request('POST', `/studies/${st.id}/import?lang=da`, {
      jar: res.jar, body, headers: { Accept: 'text/html', 'Content-Type': `multipart/form-data; boundary=${b}` },
    });
  };
  let r = await upload(Buffer.from('PK but not really'));
  assert.equal(r.status, 400);
  assert.match(r.text, /id="import-error"[^]*Projektet kunne ikke importeres, og intet er ændret: the file is not a zip archive/);
  assert.match(r.text, /id="import-file" name="file"[^>]*aria-invalid="true"/);
  r = await upload(foreignProject());
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match(r.headers.location, new RegExp(`/studies/${st.id}/documents`));
  const docs = (await res.call('GET', `/api/v1/studies/${st.id}/documents`)).json.documents;
  assert.deepEqual(docs.map((d) => [d.title, d.stakeholder]), [['Interview A', 'care_manager'], ['Observation B', 'care_manager']]);
});

test('the codebook page edits a code without JavaScript; a bad edit names the field', async () => {
  const { res } = w.s;
  const list = (await res.call('GET', `/api/v1/studies/${study.id}/codes`)).json.codes;
  const strat = list.find((c) => c.name === 'Trust-building strategies');
  const caring = list.find((c) => c.name === 'A caring approach');
  const book = await w.srv.request('GET', `/studies/${study.id}/codes?lang=en`, { jar: res.jar, headers: { Accept: 'text/html' } });
  assert.match(book.text, new RegExp(`<a href="/codes/${caring.id}">A caring approach</a>`));
  for (const [lang, h1] of [['en', 'Edit the code: A caring approach'], ['da', 'Ret koden: En omsorgsfuld tilgang']]) {
    const p = await w.srv.request('GET', `/codes/${caring.id}?lang=${lang}`, { jar: res.jar, headers: { Accept: 'text/html' } });
    assert.equal(p.status, 200);
    assert.match(p.text, new RegExp(h1));
    assert.match(p.text, new RegExp(`<option value="${strat.id}" selected>`));
  }
  const page = await w.srv.request('GET', `/codes/${caring.id}?lang=en`, { jar: res.jar, headers: { Accept: 'text/html' } });
  const token = csrfFromHtml(page.text);
  const post = (form) => w.srv.request('POST', `/codes/${caring.id}`, {
    jar: res.jar, headers: { Accept: 'text/html' }, form: Object.assign({ csrf_token: token }, form),
  });
  // Its own child as parent: refused, the page again with parent marked.
  const kid = (await res.call('POST', `/api/v1/studies/${study.id}/codes`, { name: 'Small gestures', parent: caring.id })).json.id;
  assert.ok(kid, 'the child code was made');
  let r = await post({ name: 'Caring', name_da: '', parent: String(kid), description: 'kept' });
  assert.equal(r.status, 400);
  assert.match(r.text, /id="code-parent" name="parent" aria-invalid="true"/);
  assert.match(r.text, new RegExp(`<option value="${kid}" selected>`));
  assert.match(r.text, /id="code-name" name="name" value="Caring"/);
  r = await post({ name: '', parent: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /id="code-name" name="name" value="" required aria-invalid="true"/);
  // A good edit: renamed, moved to the top, the Danish name and description cleared.
  r = await post({ name: 'Caring', name_da: '', parent: '', description: '' });
  assert.equal(r.status, 303);
  const after = (await res.call('GET', `/api/v1/codes/${caring.id}`)).json;
  assert.deepEqual([after.name, after.name_da, after.parent, after.description], ['Caring', null, null, '']);
  assert.equal((await w.s.admin.call('GET', `/api/v1/codes/${caring.id}`)).status, 403);
});
