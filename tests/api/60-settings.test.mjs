// Settings and code lists.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertError, request } from './lib.mjs';

let admin, jiangbei, viewer, auditor, sec;

before(async () => {
  admin = await login('admin');
  jiangbei = await login('jiangbei');
  viewer = await login('viewer');
  auditor = await login('auditor');
  sec = await login('secadmin');
});

const KEYS = ['lockout_threshold', 'lockout_minutes', 'session_idle_minutes', 'session_max_hours',
  'password_expiry_days', 'password_min_length', 'login_ip_per_minute', 'due_soon_days', 'audit_retention_days', 'export_file_hours', 'token_max_days',
  'password_history', 'sessions_per_user'];
// 三权分立: the security policy belongs to the security admin, the rest to the city admin
const PRODUCT = ['due_soon_days'];

test('GET /settings: values and definitions, for any role', async () => {
  for (const c of [admin, viewer, auditor, sec]) {
    const r = await c.get('/api/v1/settings');
    assert.equal(r.status, 200, r.text);
    for (const k of KEYS) assert.equal(typeof r.json.values[k], 'number', k);
    assert.ok(Array.isArray(r.json.definitions));
    for (const k of KEYS) {
      const d = r.json.definitions.find((x) => x.key === k);
      assert.ok(d, `definition of ${k}`);
      for (const f of ['default', 'min', 'max']) assert.equal(typeof d[f], 'number', `${k}.${f}`);
      assert.ok(d.min <= d.default && d.default <= d.max, k);
      assert.equal(typeof d.description, 'string');
      assert.equal(typeof d.description_zh, 'string');
      assert.equal(d.owner, PRODUCT.includes(k) ? 'admin' : 'security_admin', `${k}.owner`);
      assert.ok(r.json.values[k] >= d.min && r.json.values[k] <= d.max);
    }
  }
  const r = await admin.get('/api/v1/settings');
  const def = Object.fromEntries(r.json.definitions.map((d) => [d.key, d]));
  assert.equal(def.lockout_threshold.default, 5);
  assert.equal(def.session_idle_minutes.default, 30);
  assert.equal(def.login_ip_per_minute.default, 30);
  assert.ok(def.audit_retention_days.min >= 180);
  assert.equal(def.password_min_length.default, 10);
  assert.equal(def.password_min_length.min, 10);
  assert.equal(def.password_history.default, 5);
  assertError(await request('GET', '/api/v1/settings'), 401, 'unauthenticated');
});

test('PATCH /settings: the city admin changes a product setting, the security admin the policy (each audited)', async () => {
  const before = (await admin.get('/api/v1/settings')).json.values;
  const r = await admin.patch('/api/v1/settings', { due_soon_days: 14 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.values.due_soon_days, 14);
  const s = await sec.patch('/api/v1/settings', { lockout_minutes: before.lockout_minutes + 1 });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.values.lockout_minutes, before.lockout_minutes + 1);
  // everyone sees the new value
  assert.equal((await viewer.get('/api/v1/settings')).json.values.due_soon_days, 14);
  const a = await auditor.get('/api/v1/audit?action=settings.update&limit=2');
  assert.deepEqual(a.json.items[0].summary.lockout_minutes, { from: before.lockout_minutes, to: before.lockout_minutes + 1 });
  assert.equal(a.json.items[0].actor, 'secadmin');
  assert.deepEqual(a.json.items[1].summary.due_soon_days, { from: before.due_soon_days, to: 14 });
  assert.equal(a.json.items[1].actor, 'admin');
  // restore
  assert.equal((await admin.patch('/api/v1/settings', { due_soon_days: before.due_soon_days })).status, 200);
  const back = await sec.patch('/api/v1/settings', { lockout_minutes: before.lockout_minutes });
  assert.equal(back.status, 200);
  assert.equal(back.json.values.due_soon_days, before.due_soon_days);
  assert.equal(back.json.values.lockout_minutes, before.lockout_minutes);
});

test('PATCH /settings: the city admin cannot loosen the security policy, nor the security admin the product', async () => {
  const before = (await admin.get('/api/v1/settings')).json.values;
  for (const [k, v] of [['lockout_threshold', 20], ['password_expiry_days', 0], ['password_min_length', 10],
    ['session_idle_minutes', 240], ['login_ip_per_minute', 10000], ['password_history', 0], ['token_max_days', 365]])
    assertError(await admin.patch('/api/v1/settings', { [k]: v }), 403, 'forbidden', k);
  // one policy key in a mixed body refuses all of it
  assertError(await admin.patch('/api/v1/settings', { due_soon_days: 20, lockout_threshold: 20 }), 403, 'forbidden',
    'lockout_threshold');
  assertError(await sec.patch('/api/v1/settings', { due_soon_days: 20 }), 403, 'forbidden', 'due_soon_days');
  assert.deepEqual((await admin.get('/api/v1/settings')).json.values, before, 'nothing changed');
});

test('PATCH /settings: out of range → 422 naming the key; unknown key → 400; wrong type → 422', async () => {
  const before = (await admin.get('/api/v1/settings')).json.values;
  const cases = [
    ['session_idle_minutes', 0], ['session_idle_minutes', 241], ['lockout_threshold', 2], ['lockout_threshold', 21],
    ['audit_retention_days', 179], ['password_min_length', 9], ['password_min_length', 65],
    ['login_ip_per_minute', 4], ['password_expiry_days', -1], ['session_max_hours', 25],
    ['password_history', -1], ['password_history', 25], ['sessions_per_user', 0], ['sessions_per_user', 51],
  ];
  for (const [k, v] of cases)
    assertError(await sec.patch('/api/v1/settings', { [k]: v }), 422, 'validation_failed', k);
  assertError(await admin.patch('/api/v1/settings', { due_soon_days: 2 ** 40 }), 422, 'validation_failed', 'due_soon_days');
  assertError(await admin.patch('/api/v1/settings', { telemetry: 1 }), 400, 'bad_request', 'telemetry');
  assertError(await admin.patch('/api/v1/settings', { due_soon_days: '20' }), 422, 'validation_failed', 'due_soon_days');
  assertError(await admin.patch('/api/v1/settings', { due_soon_days: 20.5 }), 422, 'validation_failed', 'due_soon_days');
  assertError(await admin.patch('/api/v1/settings', { due_soon_days: null }), 422, 'validation_failed', 'due_soon_days');
  assertError(await admin.patch('/api/v1/settings', '[1]'), 400, 'bad_request');
  // one bad key refuses the whole request
  assertError(await sec.patch('/api/v1/settings', { lockout_minutes: 20, session_idle_minutes: 0 }), 422,
    'validation_failed', 'session_idle_minutes');
  assert.deepEqual((await admin.get('/api/v1/settings')).json.values, before, 'nothing changed');
});

test('PATCH /settings: only a city admin, or for the policy a city security admin', async () => {
  assertError(await jiangbei.patch('/api/v1/settings', { due_soon_days: 20 }), 403, 'forbidden');
  for (const c of [viewer, auditor, sec, await login('yongjiang')])
    assertError(await c.patch('/api/v1/settings', { due_soon_days: 20 }), 403, 'forbidden');
  for (const c of [viewer, auditor, admin, jiangbei])
    assertError(await c.patch('/api/v1/settings', { lockout_minutes: 20 }), 403, 'forbidden');
  assert.notEqual((await admin.get('/api/v1/settings')).json.values.due_soon_days, 20);
});

test('code lists: GET /codes, GET /codes/education, unknown list → 404', async () => {
  const r = await viewer.get('/api/v1/codes');
  assert.equal(r.status, 200, r.text);
  const lists = Object.fromEntries(r.json.items.map((x) => [x.list, x.count]));
  for (const l of ['education', 'political_status', 'industry']) assert.ok(lists[l] > 0, l);
  const e = await viewer.get('/api/v1/codes/education');
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.list, 'education');
  const bachelor = e.json.items.find((x) => x.code === '20');
  assert.deepEqual(bachelor, { code: '20', label_zh: '大学本科', label_en: 'Bachelor', sort: 30, active: true });
  const sorts = e.json.items.map((x) => x.sort);
  assert.deepEqual(sorts, [...sorts].sort((a, b) => a - b), 'in display order');
  assertError(await viewer.get('/api/v1/codes/nosuchlist'), 404, 'not_found');
  assertError(await viewer.get('/api/v1/codes/Education'), 404, 'not_found');
  assertError(await viewer.get('/api/v1/codes/education?lang=zh'), 400, 'bad_request', 'lang');
  assertError(await request('GET', '/api/v1/codes/education'), 401, 'unauthenticated');
});

test('PUT /codes/education/99 creates (201) then updates (200), audited', async () => {
  const body = { label_zh: '测试学历', label_en: 'Test level', sort: 990 };
  const c = await admin.put('/api/v1/codes/education/99', body);
  assert.equal(c.status, 201, c.text);
  assert.deepEqual(c.json, { list: 'education', code: '99', ...body, active: true });
  let e = await viewer.get('/api/v1/codes/education');
  assert.deepEqual(e.json.items.find((x) => x.code === '99'), { code: '99', ...body, active: true });
  const u = await admin.put('/api/v1/codes/education/99', { ...body, label_en: 'Test level 2', active: false });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.label_en, 'Test level 2');
  assert.equal(u.json.active, false);
  // inactive codes are hidden unless ?all=1
  e = await viewer.get('/api/v1/codes/education');
  assert.ok(!e.json.items.some((x) => x.code === '99'));
  e = await viewer.get('/api/v1/codes/education?all=1');
  assert.equal(e.json.items.find((x) => x.code === '99').label_en, 'Test level 2');
  const a = await auditor.get('/api/v1/audit?action=code.&limit=5');
  const mine = a.json.items.filter((x) => x.target === 'code:education/99');
  assert.deepEqual(mine.map((x) => x.action), ['code.update', 'code.create']);
  assert.equal(mine[0].summary.from.label_en, 'Test level');
  assert.equal(mine[0].summary.to.label_en, 'Test level 2');
  // a new list can be started by its first code
  const nl = await admin.put('/api/v1/codes/honour_type/H1', { label_zh: '劳动模范', label_en: 'Model worker' });
  assert.equal(nl.status, 201, nl.text);
  assert.equal((await viewer.get('/api/v1/codes/honour_type')).status, 200);
});

test('PUT /codes: bad list or code, bad body, wrong role', async () => {
  const body = { label_zh: '坏', label_en: 'Bad' };
  assertError(await admin.put('/api/v1/codes/Education/98', body), 422, 'validation_failed', 'list');
  assertError(await admin.put('/api/v1/codes/edu-cation/98', body), 422, 'validation_failed', 'list');
  assertError(await admin.put('/api/v1/codes/edu1/98', body), 422, 'validation_failed', 'list');
  // characters the route does not take: no such endpoint
  for (const code of ['a%20b', '%E4%B8%AD', 'a%2Fb', 'x'.repeat(64)])
    assertError(await admin.put(`/api/v1/codes/education/${code}`, body), 404);
  assertError(await admin.put('/api/v1/codes/education/98', { label_zh: '坏' }), 422, 'validation_failed', 'label_en');
  assertError(await admin.put('/api/v1/codes/education/98', { ...body, sort: -1 }), 422, 'validation_failed', 'sort');
  assertError(await admin.put('/api/v1/codes/education/98', { ...body, colour: 1 }), 400, 'bad_request', 'colour');
  assertError(await admin.put('/api/v1/codes/education/98', { ...body, active: 'no' }), 422, 'validation_failed', 'active');
  assertError(await admin.put('/api/v1/codes/education/98', { ...body, label_zh: 'x'.repeat(65) }), 422, 'validation_failed', 'label_zh');
  assertError(await admin.put('/api/v1/codes/education/98', JSON.stringify(body), { contentType: 'text/plain' }), 415);
  assertError(await jiangbei.put('/api/v1/codes/education/98', body), 403, 'forbidden');
  assertError(await viewer.put('/api/v1/codes/education/98', body), 403, 'forbidden');
  assertError(await sec.put('/api/v1/codes/education/98', body), 403, 'forbidden');
  assertError(await admin.put('/api/v1/codes/education/98', body, { csrf: false }), 403, 'forbidden');
  const e = await viewer.get('/api/v1/codes/education?all=1');
  assert.ok(!e.json.items.some((x) => x.code === '98'), 'nothing was created');
});
