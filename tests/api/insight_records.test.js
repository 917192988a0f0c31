'use strict';
// The team's records (DESIGN.md section 8): the integration log and the
// glossary (versioned, CSV), and supervision actions that become tasks.
// Category team_record: current members and supervisors of the team.

const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld } = require('./lib/world');

let w;
let A;
test.before(async () => { w = await makeWorld(); A = w.teams.A.id; });
test.after(async () => { if (w) await w.cleanup(); });

const refused = ['suph2', 'admin', 'res', 'person'];

test('integration log: add, refuse bad input by field, group by dimension, version, CSV', async () => {
  const url = `/api/v1/teams/${A}/integration-log`;
  const good = {
    dimension: 'shared_norms', barrier: 'Uncertainty whether health information may be passed on',
    strategy: 'Consent form read aloud at the first roundtable', strategy_type: 'person_based',
    implications: 'The person decides each time',
  };
  const bad = [
    [{ ...good, dimension: 'shared_food' }, 'dimension'],
    [{ ...good, barrier: '   ' }, 'barrier'],
    [{ ...good, barrier: undefined }, 'barrier'],
    [{ ...good, strategy_type: 'magic' }, 'strategy_type'],
    [{ ...good, status: 'closed' }, 'status'],
    [{ ...good, implications: 7 }, 'implications'],
  ];
  for (const [body, field] of bad) {
    const r = await w.s.ec1.call('POST', url, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
  }
  for (const who of refused) {
    assert.equal((await w.s[who].call('POST', url, good)).status, 403, who);
    assert.equal((await w.s[who].call('GET', url)).status, 403, who);
  }
  assert.equal((await w.s.ec1.call('GET', '/api/v1/teams/999999/integration-log')).status, 404);
  const r = await w.s.ec1.call('POST', url, good);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.status, 'open');
  const other = await w.s.supj.call('POST', url, { dimension: 'shared_culture', barrier: 'Two professional languages', status: 'addressed' });
  assert.equal(other.status, 201);
  const list = await w.s.cm2.call('GET', url);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.groups.map((g) => [g.dimension, g.entries.length]),
    [['shared_culture', 1], ['shared_norms', 1], ['shared_goals', 0]]);

  const e = `/api/v1/integration-log/${r.json.id}`;
  const bp = await w.s.cm1.call('PATCH', e, { status: 'solved' });
  assert.equal(bp.status, 400);
  assert.equal(bp.json.error.field, 'status');
  assert.equal((await w.s.suph2.call('PATCH', e, { status: 'addressed' })).status, 403);
  assert.equal((await w.s.cm1.call('PATCH', '/api/v1/integration-log/999999', { status: 'addressed' })).status, 404);
  const p = await w.s.cm1.call('PATCH', e, { status: 'addressed' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.version, 2);
  assert.equal(p.json.barrier, good.barrier, 'fields not given are kept');
  assert.deepEqual(p.json.versions.map((v) => [v.version, v.status]), [[2, 'addressed'], [1, 'open']]);
  const csv = await w.s.ec2.call('GET', `/teams/${A}/integration-log.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /text\/csv/);
  assert.match(csv.text, /Uncertainty whether health information may be passed on/);
  assert.equal((await w.s.suph2.call('GET', `/teams/${A}/integration-log.csv`)).status, 403);
});

test('glossary: the term for the person on sick leave, in both languages, versioned', async () => {
  const url = `/api/v1/teams/${A}/glossary`;
  const good = {
    term_en: 'the person', term_da: 'borgeren', meaning_en: 'The person on sick leave whom the team works with.',
    meaning_da: 'Den sygemeldte, teamet arbejder med.', avoid: 'sygemeldt, patient, bruger',
    decided_by: 'The team with both managers', decided_on: w.today(-7), decided_how: 'negotiated',
  };
  for (const [body, field] of [[{ ...good, term_da: '' }, 'term_da'], [{ ...good, decided_on: '7/7/2026' }, 'decided_on'],
    [{ ...good, decided_how: 'voted' }, 'decided_how'], [{ ...good, term_en: 'x'.repeat(201) }, 'term_en']]) {
    const r = await w.s.cm1.call('POST', url, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
  }
  for (const who of refused) assert.equal((await w.s[who].call('POST', url, good)).status, 403, who);
  const r = await w.s.cm1.call('POST', url, good);
  assert.equal(r.status, 201, r.text);
  const p = await w.s.ec1.call('PATCH', `/api/v1/glossary/${r.json.id}`, { avoid: 'sygemeldt, patient, bruger, klient' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.version, 2);
  assert.equal(p.json.term_da, 'borgeren');
  const list = await w.s.suph.call('GET', url);
  assert.equal(list.json.entries[0].avoid, 'sygemeldt, patient, bruger, klient');
  const g = await w.s.suph.call('GET', `/api/v1/glossary/${r.json.id}`);
  assert.equal(g.json.versions.length, 2);
  assert.equal((await w.s.suph2.call('GET', `/api/v1/glossary/${r.json.id}`)).status, 403);
  assert.equal((await w.s.suph.call('GET', '/api/v1/glossary/999999')).status, 404);
});

test('supervision actions become tasks; cases only by a team reference', async () => {
  const m = await w.s.suph.call('POST', `/api/v1/teams/${A}/meetings`, { start: `${w.today(-1)}T14:00`, duration: 90 });
  assert.equal(m.status, 201, m.text);
  const url = `/api/v1/teams/${A}/supervision-actions`;
  const good = { meeting: m.json.id, case_ref: 'A-12', action: 'Plan a joint call with the employer', assignee: w.s.cm1.id, due: w.today(7) };
  const bad = [
    [{ ...good, case_ref: '0101801234' }, 'case_ref'],
    [{ ...good, case_ref: 'Sofie Service' }, 'case_ref'],
    [{ ...good, meeting: 999999 }, 'meeting'],
    [{ ...good, assignee: w.s.suph2.id }, 'assignee'],
    [{ ...good, action: '' }, 'action'],
    [{ ...good, due: 'next week' }, 'due'],
  ];
  for (const [body, field] of bad) {
    const r = await w.s.supj.call('POST', url, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
  }
  for (const who of refused) assert.equal((await w.s[who].call('POST', url, good)).status, 403, who);
  const r = await w.s.supj.call('POST', url, good);
  assert.equal(r.status, 201, r.text);
  const tasks = await w.s.cm1.call('GET', '/api/v1/tasks');
  assert.equal(tasks.status, 200, tasks.text);
  assert.ok(JSON.stringify(tasks.json).includes('supervision_action'), tasks.text);
  const list = await w.s.ec2.call('GET', url);
  assert.equal(list.json.actions[0].case_ref, 'A-12');
  assert.equal(list.json.actions[0].assignee.id, w.s.cm1.id);

  // Changing it: a PATCH merges; the task moves with the assignee and due day.
  const one = `/api/v1/supervision-actions/${r.json.id}`;
  assert.equal((await w.s.ec2.call('GET', one)).json.action, good.action);
  for (const [body, field] of [[{ case_ref: '010180-1234' }, 'case_ref'], [{ assignee: w.s.suph2.id }, 'assignee'],
    [{ action: ' ' }, 'action'], [{ due: '2026-13-01' }, 'due']]) {
    const b = await w.s.supj.call('PATCH', one, body);
    assert.equal(b.status, 400, JSON.stringify(body));
    assert.equal(b.json.error.field, field);
  }
  for (const who of refused) assert.equal((await w.s[who].call('PATCH', one, { action: 'x' })).status, 403, who);
  assert.equal((await w.s.supj.call('PATCH', '/api/v1/supervision-actions/999999', { action: 'x' })).status, 404);
  const ch = await w.s.supj.call('PATCH', one, { assignee: w.s.ec1.id, due: w.today(14) });
  assert.equal(ch.status, 200, ch.text);
  assert.deepEqual([ch.json.action, ch.json.case_ref, ch.json.assignee.id, ch.json.due],
    [good.action, 'A-12', w.s.ec1.id, w.today(14)]);
  const ecTasks = await w.s.ec1.call('GET', '/api/v1/tasks');
  assert.ok(JSON.stringify(ecTasks.json).includes('supervision_action'), 'the task moved to the new assignee');
  assert.ok(!JSON.stringify((await w.s.cm1.call('GET', '/api/v1/tasks')).json).includes('supervision_action'));
  const csv = await w.srv.request('GET', `/teams/${A}/supervision-actions.csv`, { jar: w.s.ec2.jar });
  assert.equal(csv.status, 200);
  assert.match(csv.text, /^id,meeting_day,case_ref,action,assignee,due,done\r\n/);
  assert.match(csv.text, /A-12,Plan a joint call with the employer/);

  // The pages: the form to add one, and a failed form that keeps what was typed.
  for (const lang of ['en', 'da']) {
    const page = await w.srv.request('GET', `/teams/${A}/supervision-actions`, { jar: w.s.cm2.jar, headers: { Accept: 'text/html', 'Accept-Language': lang } });
    assert.match(page.text, /<select class="form-select" id="sa-meeting" name="meeting"/);
    assert.match(page.text, lang === 'da' ? /Tilføj handlingen/ : /Add the action/);
  }
  const failed = await w.srv.request('POST', `/teams/${A}/supervision-actions`, {
    jar: w.s.cm2.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: w.s.cm2.csrf, meeting: String(m.json.id), case_ref: 'Sofie Hansen', action: 'Ring til arbejdsgiveren', assignee: String(w.s.ec2.id), due: '' },
  });
  assert.equal(failed.status, 400);
  assert.match(failed.text, /class="alert alert-error ibbis-error-summary"/);
  assert.match(failed.text, /href="#sa-case-ref"/, 'the summary links to the field');
  assert.match(failed.text, /id="sa-case-ref" name="case_ref" value="Sofie Hansen"[^>]*aria-invalid="true"/);
  assert.match(failed.text, />Ring til arbejdsgiveren<\/textarea>/);
  assert.match(failed.text, new RegExp(`<option value="${w.s.ec2.id}" selected>`));
  assert.match(failed.text, new RegExp(`<option value="${m.json.id}" selected>`));
  const edit = await w.srv.request('POST', `/supervision-actions/${r.json.id}`, {
    jar: w.s.cm2.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: w.s.cm2.csrf, case_ref: 'B-7', action: 'Ring igen', assignee: String(w.s.ec1.id), due: 'snart' },
  });
  assert.equal(edit.status, 400);
  assert.match(edit.text, /href="#sa-due"/);
  assert.match(edit.text, /id="sa-due" name="due" value="snart"[^>]*aria-invalid="true"/);
  assert.match(edit.text, /value="B-7"/);
  assert.equal((await w.s.ec2.call('GET', one)).json.case_ref, 'A-12', 'nothing was saved');
  const saved = await w.srv.request('POST', `/supervision-actions/${r.json.id}`, {
    jar: w.s.cm2.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: w.s.cm2.csrf, case_ref: 'B-7', action: 'Ring igen', assignee: String(w.s.ec1.id), due: '' },
  });
  assert.equal(saved.status, 303);
  assert.deepEqual([(await w.s.ec2.call('GET', one)).json.case_ref, (await w.s.ec2.call('GET', one)).json.due], ['B-7', null]);
});

test('a failed integration log or glossary form comes back with what was typed and the field marked', async () => {
  const r = await w.srv.request('POST', `/teams/${A}/integration-log`, {
    jar: w.s.cm2.jar, headers: { Accept: 'text/html', 'Accept-Language': 'da' },
    form: { csrf_token: w.s.cm2.csrf, dimension: 'shared_culture', barrier: '', strategy: 'Fælles kaffe om fredagen', strategy_type: 'bottom_up', status: 'open' },
  });
  assert.equal(r.status, 400);
  assert.match(r.text, /ibbis-error-summary/);
  assert.match(r.text, /href="#f-barrier"/);
  assert.match(r.text, /id="f-barrier" name="barrier"[^>]*aria-invalid="true"/);
  assert.match(r.text, /value="Fælles kaffe om fredagen"|>Fælles kaffe om fredagen</);
  assert.match(r.text, /<option value="bottom_up" selected>/);
  assert.match(r.text, /<option value="shared_culture" selected>/);
  const g = await w.srv.request('POST', `/teams/${A}/glossary`, {
    jar: w.s.cm2.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: w.s.cm2.csrf, term_en: 'the person', term_da: 'borgeren', decided_how: 'sometimes' },
  });
  assert.equal(g.status, 400);
  assert.match(g.text, /value="borgeren"/);
  assert.match(g.text, /aria-invalid="true"/);
});

test('pages in both languages; the log form posts like the API', async () => {
  for (const lang of ['en', 'da']) {
    const h = { Accept: 'text/html', 'Accept-Language': lang };
    for (const p of ['integration-log', 'glossary', 'supervision-actions']) {
      const r = await w.srv.request('GET', `/teams/${A}/${p}`, { jar: w.s.ec1.jar, headers: h });
      assert.equal(r.status, 200, p);
    }
    const log = await w.srv.request('GET', `/teams/${A}/integration-log`, { jar: w.s.ec1.jar, headers: h });
    assert.match(log.text, lang === 'da' ? /Fælles normer/ : /Shared norms/);
  }
  const post = await w.srv.request('POST', `/teams/${A}/integration-log`, {
    jar: w.s.cm2.jar, headers: { Accept: 'text/html' },
    form: { csrf_token: w.s.cm2.csrf, dimension: 'shared_goals', barrier: 'Different ideas of when work is possible', strategy_type: '', status: 'open' },
  });
  assert.equal(post.status, 303);
  const list = await w.s.cm2.call('GET', `/api/v1/teams/${A}/integration-log`);
  assert.equal(list.json.groups[2].entries[0].barrier, 'Different ideas of when work is possible');
});

test('home: a supervisor is linked to the overview, the survey and the records; a member to the survey and records', async () => {
  const h = { Accept: 'text/html' };
  const sup = await w.srv.request('GET', '/', { jar: w.s.supj.jar, headers: h });
  assert.match(sup.text, new RegExp(`href="/teams/${A}/dashboard"`));
  assert.match(sup.text, new RegExp(`href="/teams/${A}/integration-log"`));
  const cm = await w.srv.request('GET', '/', { jar: w.s.cm1.jar, headers: h });
  assert.doesNotMatch(cm.text, /\/dashboard"/);
  assert.match(cm.text, new RegExp(`href="/teams/${A}/surveys"`));
  const adm = await w.srv.request('GET', '/', { jar: w.s.admin.jar, headers: h });
  assert.doesNotMatch(adm.text, /integration-log/);
});
