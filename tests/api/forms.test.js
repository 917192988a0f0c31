'use strict';
// A failed form keeps what was typed (docs/web.md): every form a user fills
// in, posted without JavaScript (a urlencoded body, Accept: text/html) with
// one bad field and the others filled, comes back as the same page with the
// message, the bad field marked invalid, and every typed value in its input.
// One value in each form holds & and < to show that it is escaped.
const test = require('node:test');
const assert = require('node:assert');
const { makeWorld, today } = require('./lib/world');
const { Jar, csrfFromHtml } = require('./lib/server');

let w;
let s;

test.before(async () => { w = await makeWorld(); s = w.s; });
test.after(async () => { if (w) await w.cleanup(); });

const SPECIAL = 'Tom & <Jerry> "quoted"';

// ---- enough HTML to read a form back ----
function decode(t) {
  return t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&#34;/g, '"')
    .replace(/&amp;/g, '&');
}
function attr(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
  return m ? decode(m[1]) : null;
}
function hasAttr(tag, name) {
  return new RegExp(`\\s${name}(\\s|>|=)`).test(tag);
}
// The opening tag of the element with this id.
function tagById(html, id) {
  const re = /<(input|select|textarea|fieldset)\b[^>]*>/g;
  let m;
  while ((m = re.exec(html))) if (attr(m[0], 'id') === id) return { tag: m[0], at: m.index };
  return null;
}
function field(html, id) {
  const t = tagById(html, id);
  assert.ok(t, `no field #${id}`);
  return t;
}
function valueOf(html, id) {
  const t = field(html, id);
  if (t.tag.startsWith('<textarea')) {
    const rest = html.slice(t.at + t.tag.length);
    return decode(rest.slice(0, rest.indexOf('</textarea>')));
  }
  if (t.tag.startsWith('<select')) {
    const rest = html.slice(t.at + t.tag.length);
    const body = rest.slice(0, rest.indexOf('</select>'));
    const sel = (body.match(/<option\b[^>]*>/g) || []).filter((o) => hasAttr(o, 'selected'));
    assert.ok(sel.length <= 1, `#${id}: ${sel.length} options selected`);
    return sel.length ? attr(sel[0], 'value') : null;
  }
  if (/type="(radio|checkbox)"/.test(t.tag)) return hasAttr(t.tag, 'checked');
  return attr(t.tag, 'value');
}
function assertInvalid(html, id, message) {
  const t = field(html, id);
  assert.strictEqual(attr(t.tag, 'aria-invalid'), 'true', `#${id} is not aria-invalid: ${t.tag}`);
  const ids = (attr(t.tag, 'aria-describedby') || '').split(/\s+/);
  const holder = ids.find((d) => {
    const m = html.match(new RegExp(`id="${d}"[^>]*>([\\s\\S]*?)</(p|div|span)>`));
    return m && decode(m[0]).includes(message);
  }) || ids.find((d) => {
    const at = html.indexOf(`id="${d}"`);
    return at >= 0 && decode(html.slice(at, at + 600)).includes(message);
  });
  assert.ok(holder, `#${id} is not described by the message "${message}": ${t.tag}`);
}
// Only the named field is marked invalid.
function assertOnlyInvalid(html, id) {
  const bad = (html.match(/<(input|select|textarea|fieldset)\b[^>]*aria-invalid="true"[^>]*>/g) || [])
    .map((t) => attr(t, 'id'));
  assert.deepStrictEqual(bad, [id]);
}
function assertNoSecrets(html, secrets) {
  for (const x of secrets) assert.ok(!html.includes(x), `the page shows a secret: ${x}`);
}

// Posts the form as a browser without JavaScript does.
async function submit(who, path, form) {
  return w.srv.request('POST', path, {
    jar: who.jar,
    form: Object.assign({ csrf_token: who.csrf }, form),
    headers: { Accept: 'text/html' },
  });
}
// The same form as JSON: the error a page must show (nothing is written).
async function jsonError(who, path, form) {
  const r = await w.srv.request('POST', path, {
    jar: who.jar,
    form: Object.assign({ csrf_token: who.csrf }, form),
    headers: { Accept: 'application/json' },
  });
  assert.ok(r.json && r.json.error, `no JSON error: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json.error;
}
// Posts a failing form and checks the page: status, the message (the same
// as the JSON answer's), the named field invalid, every value back.
async function failOnce(who, path, form, status, values) {
  const e = await jsonError(who, path, form);
  const r = await submit(who, path, form);
  check(r, status, e.message, values, values.__bad || null);
  return { r, e };
}
// The page came back with the message, and the values.
function check(r, status, message, values, badId) {
  assert.strictEqual(r.status, status, r.text.slice(0, 400));
  values = Object.assign({}, values);
  delete values.__bad;
  assert.match(r.headers['content-type'], /^text\/html/);
  assert.ok(decode(r.text).includes(message), `no message "${message}"`);
  for (const [id, v] of Object.entries(values)) {
    assert.deepStrictEqual(valueOf(r.text, id), v, `#${id}`);
  }
  if (badId) {
    assertInvalid(r.text, badId, message);
    assertOnlyInvalid(r.text, badId);
  }
}


// ---- cases ----
test('referral: a bad CPR keeps name, contact, date, employment, team and people', async () => {
  const form = {
    name: SPECIAL, cpr: '12', contact: 'c/o Lise, 12 34', first_absence_day: today(-10),
    employment: 'self_employed', team: String(w.teams.A.id),
    care_manager: String(s.cm2.id), employment_consultant: String(s.ec2.id),
  };
  const e = await jsonError(s.ec1, '/cases', form);
  const r = await submit(s.ec1, '/cases', form);
  assert.strictEqual(e.field, 'cpr');
  check(r, 400, e.message, {
    name: SPECIAL, cpr: '12', contact: 'c/o Lise, 12 34', first_absence_day: today(-10),
    employment: 'self_employed', [`team-${w.teams.A.id}`]: true,
    [`cm-${w.teams.A.id}`]: String(s.cm2.id), [`ec-${w.teams.A.id}`]: String(s.ec2.id),
  }, 'cpr');
  assert.ok(r.text.includes('Tom &amp; &lt;Jerry&gt; &quot;quoted&quot;'), 'escaped');
});

test('referral page: each team has its own lists, and the chosen team\'s pair is used', async () => {
  const A = w.teams.A.id, B = w.teams.B.id;
  const page = await w.srv.request('GET', '/cases/new', { jar: s.ec1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(page.status, 200);
  // The page offers the referrer's own teams (ec1: team A), each with its lists.
  assert.match(page.text, new RegExp(`id="cm-${A}" name="care_manager_${A}"`));
  assert.match(page.text, new RegExp(`id="ec-${A}" name="employment_consultant_${A}"`));
  // As a browser posts a page with two teams: every team's lists, in page
  // order, team A chosen. The other team's lists (first here) name people
  // who are not A's choice, and must not win.
  const body = new URLSearchParams([
    ['csrf_token', s.ec1.csrf], ['name', 'Per Teamvalg'], ['cpr', '0101801239'],
    ['first_absence_day', today(-5)], ['employment', 'employee'], ['team', String(A)],
    [`care_manager_${B}`, String(s.cm1.id)], [`employment_consultant_${B}`, String(s.ec2.id)],
    [`care_manager_${A}`, String(s.cm2.id)], [`employment_consultant_${A}`, String(s.ec1.id)],
  ]).toString();
  const r = await w.srv.request('POST', '/cases', {
    jar: s.ec1.jar, body, headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.strictEqual(r.status, 201, r.text.slice(0, 300));
  const k = JSON.parse(r.text);
  assert.strictEqual(k.team.id, A);
  assert.strictEqual(k.care_manager.id, s.cm2.id);
  assert.strictEqual(k.employment_consultant.id, s.ec1.id);
});

test('handover: a bad date keeps the person, role and reason', async () => {
  const path = `/cases/${w.kase.id}/handover`;
  const { r } = await failOnce(s.supj, path, {
    to: String(s.ec2.id), role: 'employment_consultant', on: '2026-02-30', reason: SPECIAL,
  }, 400, {
    'handover-to': String(s.ec2.id), 'role-ec': true,
    'handover-on': '2026-02-30', 'handover-reason': SPECIAL, __bad: 'handover-on',
  });
  // The jobcentre side hands over only the EC role: no care manager option.
  assert.ok(!r.text.includes('id="role-cm"'));
  // the other form on the page keeps its own defaults
  assert.strictEqual(valueOf(r.text, 'outcome-on'), today());
  assert.strictEqual(valueOf(r.text, 'outcome-note'), '');
});

test('outcome: a bad date keeps the kind and the note', async () => {
  await failOnce(s.supj, `/cases/${w.kase.id}/outcome`, {
    kind: 'education', on: 'not-a-date', note: SPECIAL,
  }, 400, {
    'outcome-kind': 'education', 'outcome-on': 'not-a-date', 'outcome-note': SPECIAL,
    'handover-reason': '', __bad: 'outcome-on',
  });
});

// ---- meetings ----
const caseMeetings = () => `/cases/${w.kase.id}/meetings`;

test('new meeting: a bad remote link keeps kind, start, duration, mode, reason and site', async () => {
  await failOnce(s.ec1, caseMeetings(), {
    kind: 'followup', start: '2031-05-06T13:15', duration: '45', mode: 'video',
    mode_reason: SPECIAL, site: 'Sundhedshuset', remote_link: 'ftp://example.org/x',
  }, 400, {
    kind: 'followup', start: '2031-05-06T13:15', duration: '45', mode: 'video',
    mode_reason: SPECIAL, site: 'Sundhedshuset', remote_link: 'ftp://example.org/x',
    __bad: 'remote_link',
  });
});

test('new meeting: a double booking (409) keeps what was typed', async () => {
  const first = await s.cm1.call('POST', `/api/v1${caseMeetings()}`,
    { kind: 'roundtable', start: '2031-06-02T09:00', duration: 60 });
  assert.strictEqual(first.status, 201, first.text);
  const { e } = await failOnce(s.cm1, caseMeetings(), {
    kind: 'roundtable', start: '2031-06-02T09:30', duration: '30', mode: 'phone',
    mode_reason: 'Sofie prefers the phone', site: '', remote_link: '',
  }, 409, {
    kind: 'roundtable', start: '2031-06-02T09:30', duration: '30', mode: 'phone',
    mode_reason: 'Sofie prefers the phone', __bad: 'start',
  });
  assert.strictEqual(e.field, 'start');
});

let meetingId;
async function meeting() {
  if (meetingId) return meetingId;
  const r = await s.cm1.call('POST', `/api/v1${caseMeetings()}`,
    { kind: 'roundtable', start: '2031-07-01T10:00', duration: 60 });
  assert.strictEqual(r.status, 201, r.text);
  meetingId = r.json.id;
  return meetingId;
}

test('meeting status: a missing reason keeps the status chosen', async () => {
  const id = await meeting();
  const { r } = await failOnce(s.cm1, `/meetings/${id}`, { status: 'late_cancellation', reason: ' ' }, 400, {
    'status-select': 'late_cancellation', reason: ' ', __bad: 'reason',
  });
  assert.strictEqual(valueOf(r.text, 'agenda-text'), '', 'the agenda form keeps nothing');
});

test('agenda: a blank item comes back blank, marked; the minutes form is untouched', async () => {
  const id = await meeting();
  const { r } = await failOnce(s.ec1, `/meetings/${id}/agenda`, { text: ' \n ' }, 400, {
    'agenda-text': ' \n ', __bad: 'agenda-text',
  });
  assert.ok(!/id="minutes-text"[^>]*aria-invalid/.test(r.text));
});

test('minutes: too long keeps the text; agreement: a disagreement without comment keeps the choice', async () => {
  const id = await meeting();
  const long = `${SPECIAL} ${'x'.repeat(20000)}`;
  const { e } = await failOnce(s.cm1, `/meetings/${id}/minutes`, { text: long }, 400, {
    'minutes-text': long, __bad: 'minutes-text',
  });
  assert.strictEqual(e.field, 'text');
  const set = await s.cm1.call('PUT', `/api/v1/meetings/${id}/minutes`, { text: 'We agreed on a plan.' });
  assert.strictEqual(set.status, 200, set.text);
  const { r } = await failOnce(s.ec1, `/meetings/${id}/minutes/agreement`, { agreed: 'false', comment: '  ' }, 400, {
    'agreed-no': true, 'agreed-yes': false, comment: '  ', __bad: 'comment',
  });
  // the minutes form shows the stored minutes, not the failed form's text
  assert.strictEqual(valueOf(r.text, 'minutes-text'), 'We agreed on a plan.');
});

test('supervision meeting: a bad start keeps duration and site', async () => {
  await failOnce(s.suph, `/teams/${w.teams.A.id}/meetings`, {
    start: '2031-13-01T10:00', duration: '90', site: SPECIAL,
  }, 400, { start: '2031-13-01T10:00', duration: '90', site: SPECIAL, __bad: 'start' });
});

// ---- trust: notes, evidence, decisions, consents ----
test('note: a bad category keeps the text', async () => {
  await failOnce(s.cm1, `/cases/${w.kase.id}/notes`, { category: 'gossip', text: SPECIAL }, 400, {
    'note-category': null, 'note-text': SPECIAL, __bad: 'note-category',
  });
  // the choice made is kept when the text is what fails
  await failOnce(s.cm1, `/cases/${w.kase.id}/notes`, { category: 'joint', text: ' ' }, 400, {
    'note-category': 'joint', 'note-text': ' ', __bad: 'note-text',
  });
});

test('evidence: a bad date keeps kind, ground and text', async () => {
  await failOnce(s.ec1, `/cases/${w.kase.id}/evidence`, {
    kind: 'employer_statement', ground: '4', supplied_on: '2024-02-30', text: SPECIAL,
  }, 400, {
    'ev-kind': 'employer_statement', 'ev-ground': '4', 'ev-on': '2024-02-30', 'ev-text': SPECIAL,
    __bad: 'ev-on',
  });
});

test('decision: a bad date keeps every other field, the chosen ground and category included', async () => {
  // The grounds and categories are radio choices in the law's wording (a
  // ground outside § 27's seven cannot be chosen on the page); a bad date
  // comes back with the choices still made.
  const form = {
    kind: 'extension', ground: '3', category: '2', hearing: '2024-02-30', on: today(),
    lapse_from: '', lapse_to: '', legal_basis: 'Sygedagpengeloven § 27', reasons: SPECIAL,
  };
  await failOnce(s.ec1, `/cases/${w.kase.id}/decisions`, form, 400, {
    'd-kind': 'extension', 'd-ground-3': true, 'd-ground-none': false, 'd-category-2': true,
    'd-hearing': '2024-02-30', 'd-on': today(), 'd-from': '', 'd-to': '',
    'd-basis': 'Sygedagpengeloven § 27', 'd-reasons': SPECIAL, __bad: 'd-hearing',
  });
  // A ground outside the seven is refused naming the field.
  const e = await jsonError(s.ec1, `/cases/${w.kase.id}/decisions`,
    Object.assign({}, form, { hearing: today(-3), ground: '9' }));
  assert.equal(e.field, 'ground');
});

test('consent (trust page): a purpose not on the list comes back in its own direction only', async () => {
  const page = await w.srv.request('GET', `/cases/${w.kase.id}/consents`, { jar: s.person.jar, headers: { Accept: 'text/html' } });
  const ids = [...page.text.matchAll(/type="radio" id="(purpose-([a-z_]+)-[a-z_]+)"/g)];
  assert.ok(ids.length >= 2, 'purposes to choose from');
  const dir = ids[0][2];
  const { r } = await failOnce(s.person, `/cases/${w.kase.id}/consents`, {
    direction: dir, granted: 'true', purpose: 'anything typed',
  }, 400, { [ids[0][1]]: false, __bad: ids[0][1] });
  for (const m of ids) assert.strictEqual(valueOf(r.text, m[1]), false, `${m[1]} not chosen`);
});

// ---- the person's own pages ----
const LONG = `${SPECIAL} ${'y'.repeat(6000)}`;

test('my goals: a too long new goal comes back in the new-goal form', async () => {
  const { r } = await failOnce(s.person, '/my/goals', { text: LONG }, 400, {
    'new-goal': LONG, __bad: 'new-goal',
  });
  assert.ok(/id="new-goal-error"/.test(r.text));
});

test('my goals: a failed edit keeps text and status in that goal\'s form, opened', async () => {
  const g = await s.person.call('POST', '/api/v1/my/goals', { text: 'Sleep through the night' });
  assert.strictEqual(g.status, 201, g.text);
  const gid = g.json.goal.id;
  const { r } = await failOnce(s.person, `/my/goals/${gid}`, { text: LONG, status: 'reached' }, 400, {
    [`goal-text-${gid}`]: LONG, [`goal-${gid}-reached`]: true, [`goal-${gid}-active`]: false,
    'new-goal': '', __bad: `goal-text-${gid}`,
  });
  assert.match(r.text, new RegExp(`<article id="goal-${gid}"[\\s\\S]*?<details class="details" open>`));
});

test('my meetings: a too long question comes back under its meeting', async () => {
  const id = await meeting();
  const long = `${SPECIAL} ${'q'.repeat(20000)}`;
  await failOnce(s.person, `/my/meetings/${id}/questions`, { text: long }, 400, {
    [`question-${id}`]: long, __bad: `question-${id}`,
  });
});

test('my data: a purpose not on the list comes back in its direction', async () => {
  const page = await w.srv.request('GET', '/my/data', { jar: s.person.jar, headers: { Accept: 'text/html' } });
  const ids = [...page.text.matchAll(/type="radio" id="(purpose-([a-z_]+)-[a-z_]+)"/g)];
  assert.ok(ids.length >= 2, 'purposes to choose from');
  const dir = ids[0][2];
  await failOnce(s.person, '/my/data/consents', {
    direction: dir, granted: 'true', purpose: ' \t ',
  }, 400, { [ids[0][1]]: false, __bad: ids[0][1] });
});

test('trust pulse: a bad answer keeps every other choice and the text', async () => {
  const m = await s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/meetings`,
    { kind: 'roundtable', start: `${today(-3)}T10:00`, duration: 60 });
  assert.strictEqual(m.status, 201, m.text);
  const held = await s.cm1.call('PATCH', `/api/v1/meetings/${m.json.id}`, { status: 'held' });
  assert.strictEqual(held.status, 200, held.text);
  const { r, e } = await failOnce(s.person, `/meetings/${m.json.id}/pulse`, {
    safe: '4', same_goal: '9', next_steps: '2', listened: '5', text: SPECIAL,
  }, 400, {
    'safe-4': true, 'safe-3': false, 'next_steps-2': true, 'listened-5': true,
    'pulse-text': SPECIAL,
  });
  assert.strictEqual(e.field, 'same_goal');
  for (let v = 1; v <= 5; v++) assert.strictEqual(valueOf(r.text, `same_goal-${v}`), false);
});

// ---- goals and plan (professionals) ----
test('case goal: a too long goal keeps its text', async () => {
  await failOnce(s.cm1, `/cases/${w.kase.id}/goals`, { text: LONG }, 400, {
    'goal-text': LONG, __bad: 'goal-text',
  });
});

test('goal edit: a too long text keeps the text and the status chosen', async () => {
  const g = await s.cm1.call('POST', `/api/v1/cases/${w.kase.id}/goals`, { text: 'Back at work in spring' });
  assert.strictEqual(g.status, 201, g.text);
  const gid = g.json.goal.id;
  await failOnce(s.cm1, `/goals/${gid}`, { text: LONG, status: 'dropped' }, 400, {
    'goal-text': LONG, 'goal-status': 'dropped', __bad: 'goal-text',
  });
});

test('plan: a bad date in one step keeps every row as typed', async () => {
  const page = await w.srv.request('GET', `/cases/${w.kase.id}/plan`, { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(page.status, 200);
  const base = (page.text.match(/name="base_version" value="(\d+)"/) || [])[1];
  const form = {
    base_version: base,
    step_0_key: '', step_0_kind: 'return_to_work', step_0_text: SPECIAL,
    step_0_responsible: String(s.ec1.id), step_0_due: today(9), step_0_status: 'in_progress',
    step_0_hours_per_week: '12.5',
    step_1_key: '', step_1_kind: 'treatment', step_1_text: 'Six sessions',
    step_1_responsible: String(s.cm1.id), step_1_due: '2031-02-30', step_1_status: 'planned',
    step_1_hours_per_week: '',
  };
  const { e } = await failOnce(s.cm1, `/cases/${w.kase.id}/plan`, form, 400, {
    'step-0-kind': 'return_to_work', 'step-0-text': SPECIAL, 'step-0-responsible': String(s.ec1.id),
    'step-0-due': today(9), 'step-0-status': 'in_progress', 'step-0-hours': '12.5',
    'step-1-kind': 'treatment', 'step-1-text': 'Six sessions', 'step-1-responsible': String(s.cm1.id),
    'step-1-due': '2031-02-30', 'step-1-status': 'planned', 'step-1-hours': '',
    __bad: 'step-1-due',
  });
  assert.strictEqual(e.field, 'step_1_due');
});

// ---- secrets are never put back ----
test('activation: the wrong field is marked; no password comes back', async () => {
  const k = await s.ec1.call('POST', '/api/v1/cases', {
    name: 'Bo Berg', cpr: '0202802345', contact: 'bo@example.org', first_absence_day: today(-20),
    employment: 'employee', absences: [{ from: today(-20), to: null }], earlier_benefit: [],
    team: w.teams.A.id, care_manager: s.cm1.id, employment_consultant: s.ec1.id,
  });
  assert.strictEqual(k.status, 201, k.text);
  const link = (await s.ec1.call('POST', `/api/v1/cases/${k.json.id}/activation`, {})).json;
  const jar = new Jar();
  const page = await w.srv.request('GET', `/activate/${link.token}`, { jar, headers: { Accept: 'text/html' } });
  const csrf = csrfFromHtml(page.text);
  const r = await w.srv.request('POST', `/activate/${link.token}`, {
    jar, headers: { Accept: 'text/html' },
    form: { password: 'a-calm-new-password', password_again: 'a-calm-other-password', csrf_token: csrf },
  });
  assert.strictEqual(r.status, 400);
  assertInvalid(r.text, 'password_again', decode(r.text.match(/<p class="alert-text">([^<]*)<\/p>/)[1]));
  assertOnlyInvalid(r.text, 'password_again');
  assertNoSecrets(r.text, ['a-calm-new-password', 'a-calm-other-password']);
  assert.strictEqual(valueOf(r.text, 'password'), null);
});

test('no form page shows a typed CSRF token or password', async () => {
  const r = await submit(s.cm1, `/cases/${w.kase.id}/notes`, {
    category: 'gossip', text: 'x', password: 'hunter2-secret', new_password: 'hunter3-secret',
  });
  assert.strictEqual(r.status, 400);
  assertNoSecrets(r.text, ['hunter2-secret', 'hunter3-secret']);
});

test('tasks filter (a GET form): a bad date stays in its field, marked', async () => {
  const r = await w.srv.request('GET', `/tasks?due_before=${encodeURIComponent('31/12 & <later>')}`,
    { jar: s.cm1.jar, headers: { Accept: 'text/html' } });
  assert.strictEqual(r.status, 400);
  assert.strictEqual(valueOf(r.text, 'due-before'), '31/12 & <later>');
  assert.strictEqual(attr(field(r.text, 'due-before').tag, 'aria-invalid'), 'true');
});
