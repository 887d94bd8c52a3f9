// The audit trail: what is recorded, filters, pagination, who may read it,
// and the chain verification (tampering is in zz-tamper.test.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, tryLogin, assertError, orgId, createOrg, createUser, uniq, today, dayOffset, strongPassword,
} from './lib.mjs';

let admin, sec, auditor, jiangbei;
let JB, YJ;

before(async () => {
  admin = await login('admin');
  sec = await login('secadmin');
  auditor = await login('auditor');
  jiangbei = await login('jiangbei');
  JB = await orgId(admin, '江北区');
  YJ = await orgId(admin, '甬江街道');
});

async function audit(qs = '') {
  const r = await auditor.get(`/api/v1/audit${qs}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('the auditor lists the trail, newest first, each entry complete', async () => {
  const a = await audit('?limit=50');
  assert.ok(a.items.length > 0);
  assert.equal(typeof a.total, 'number');
  assert.ok(a.total >= a.items.length);
  for (let i = 1; i < a.items.length; i++)
    assert.ok(a.items[i - 1].id > a.items[i].id, 'ids strictly decreasing');
  for (let i = 1; i < a.items.length; i++)
    assert.ok(a.items[i - 1].at >= a.items[i].at, 'times not increasing');
  for (const e of a.items) {
    assert.equal(typeof e.id, 'number');
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const k of ['actor', 'action', 'target', 'result', 'ip', 'hash']) assert.equal(typeof e[k], 'string', k);
    assert.equal(typeof e.summary, 'object');
    // the store's rows are keyed (HMAC-SHA-256 under the audit key)
    assert.match(e.hash, /^k:[0-9a-f]{64}$/);
  }
  // reading the trail is itself on the trail
  const reads = await audit('?action=audit.read&actor=auditor&limit=5');
  assert.ok(reads.items.length >= 1);
});

test('logins are recorded: success, wrong password, unknown user', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: JB });
  assertError(await tryLogin(u.username, 'Wrong#Pass99'), 401, 'unauthenticated');
  const ghost = `ghost${Date.now()}`;
  assertError(await tryLogin(ghost, 'Wrong#Pass99'), 401, 'unauthenticated');

  const mine = await audit(`?actor=${u.username}&action=session.login&limit=50`);
  assert.ok(mine.items.length >= 2, JSON.stringify(mine.items));
  assert.ok(mine.items.every((e) => e.actor === u.username && e.action === 'session.login'));
  const ok = mine.items.find((e) => e.result === 'ok');
  const fail = mine.items.find((e) => e.result === 'fail');
  assert.ok(ok, 'a successful login');
  assert.ok(fail, 'a failed login');
  assert.equal(fail.target, `user:${u.id}`);
  assert.equal(fail.actor_id, u.id);
  assert.equal(fail.ip, '127.0.0.1');
  assert.match(JSON.stringify(fail.summary), /wrong password/);
  assert.ok(fail.id > ok.id, 'the failure came after the first login');
  // the password is never in the trail
  assert.ok(!JSON.stringify(mine).includes('Wrong#Pass99'));
  assert.ok(!JSON.stringify(mine).includes(u.password));

  const unknown = await audit('?action=session.login&actor=-&limit=100');
  const g = unknown.items.find((e) => e.summary && e.summary.username === ghost);
  assert.ok(g, 'the attempt for an unknown user is recorded with the name tried');
  assert.equal(g.result, 'fail');
  assert.equal(g.actor_id, null);
});

test('org.create, org.update and org.move carry from/to summaries', async () => {
  const name = uniq('审计区');
  const d = await createOrg(admin, { parent_id: 1, kind: 'district', name });
  const s = await createOrg(admin, { parent_id: d.id, kind: 'street', name: uniq('审计街道') });
  const r = await admin.patch(`/api/v1/orgs/${d.id}`, { name: name + '改', employees: 5 });
  assert.equal(r.status, 200);
  const m = await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: JB });
  assert.equal(m.status, 200, m.text);

  const created = (await audit('?action=org.create&actor=admin&limit=100')).items.find((e) => e.target === `org:${d.id}`);
  assert.ok(created, 'org.create recorded');
  assert.equal(created.result, 'ok');
  assert.equal(created.org_id, d.id);
  assert.equal(created.summary.to.name, name);
  assert.equal(created.summary.to.kind, 'district');
  assert.ok(!('from' in created.summary), 'a creation has no from');

  const updated = (await audit('?action=org.update&limit=100')).items.find((e) => e.target === `org:${d.id}`);
  assert.ok(updated, 'org.update recorded');
  assert.equal(updated.summary.from.name, name);
  assert.equal(updated.summary.to.name, name + '改');
  assert.equal(updated.summary.from.employees, 0);
  assert.equal(updated.summary.to.employees, 5);

  const moved = (await audit('?action=org.move&limit=100')).items.find((e) => e.target === `org:${s.id}`);
  assert.ok(moved, 'org.move recorded');
  assert.equal(moved.summary.from.parent_id, d.id);
  assert.equal(moved.summary.to.parent_id, JB);
  assert.equal(moved.summary.from.path, `/1/${d.id}/${s.id}/`);
  assert.equal(moved.summary.to.path, `/1/${JB}/${s.id}/`);

  // a refused write leaves no ok entry
  const refused = await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name: name + '改' });
  assert.equal(refused.status, 409);
  const again = (await audit(`?action=org.create&actor=admin&limit=500`)).items.filter(
    (e) => e.summary && e.summary.to && e.summary.to.name === name + '改');
  assert.equal(again.length, 0);
});

test('user.create, grant.add, grant.remove and user.update are recorded', async () => {
  const u = await createUser(sec, { keepTemporary: true, org_id: YJ });
  const g = await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: YJ, role: 'operator' });
  assert.equal(g.status, 201);
  assert.equal((await sec.del(`/api/v1/users/${u.id}/grants/${g.json.id}`)).status, 204);
  assert.equal((await sec.patch(`/api/v1/users/${u.id}`, { disabled: true })).status, 200);

  const entries = (await audit(`?actor=secadmin&limit=100`)).items.filter((e) => e.target === `user:${u.id}`);
  const byAction = Object.fromEntries(entries.map((e) => [e.action, e]));
  assert.ok(byAction['user.create'], 'user.create');
  assert.equal(byAction['user.create'].summary.username, u.username);
  assert.equal(byAction['user.create'].summary.org_id, YJ);
  assert.ok(!JSON.stringify(byAction['user.create']).includes(u.password), 'no password in the trail');
  assert.ok(byAction['grant.add'], 'grant.add');
  assert.equal(byAction['grant.add'].summary.role, 'operator');
  assert.equal(byAction['grant.add'].summary.org_id, YJ);
  assert.equal(byAction['grant.add'].summary.grant_id, g.json.id);
  assert.ok(byAction['grant.remove'], 'grant.remove');
  assert.equal(byAction['grant.remove'].summary.grant_id, g.json.id);
  assert.ok(byAction['user.update'], 'user.update');
  assert.deepEqual(byAction['user.update'].summary.disabled, { from: false, to: true });
});

test('settings.update is recorded with from/to', async () => {
  const before = (await admin.get('/api/v1/settings')).json.values.due_soon_days;
  const to = before === 45 ? 46 : 45;
  assert.equal((await admin.patch('/api/v1/settings', { due_soon_days: to })).status, 200);
  assert.equal((await admin.patch('/api/v1/settings', { due_soon_days: before })).status, 200);
  const e = (await audit('?action=settings.update&actor=admin&limit=10')).items;
  assert.ok(e.length >= 2);
  assert.deepEqual(e[1].summary.due_soon_days, { from: before, to });
  assert.deepEqual(e[0].summary.due_soon_days, { from: to, to: before });
  assert.equal(e[0].target, 'settings');
  // a PATCH that changes nothing adds no entry
  const n = (await audit('?action=settings.update&limit=1')).total;
  assert.equal((await admin.patch('/api/v1/settings', { due_soon_days: before })).status, 200);
  assert.equal((await audit('?action=settings.update&limit=1')).total, n);
});

test('filters: actor, action prefix, from/to dates and times', async () => {
  await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('过滤区') });
  const byActor = await audit('?actor=admin&limit=100');
  assert.ok(byActor.items.length > 0);
  assert.ok(byActor.items.every((e) => e.actor === 'admin'));
  const prefix = await audit('?action=org.&limit=200');
  assert.ok(prefix.items.length > 0);
  assert.ok(prefix.items.every((e) => e.action.startsWith('org.')));
  assert.ok(prefix.items.some((e) => e.action === 'org.create'));
  const both = await audit('?action=org.create&actor=admin&limit=5');
  assert.ok(both.items.every((e) => e.action === 'org.create' && e.actor === 'admin'));
  const none = await audit('?actor=nobody-at-all');
  assert.equal(none.items.length, 0);
  assert.equal(none.total, 0);
  assert.equal(none.next, null);
  // an action prefix is not a substring match
  const sub = await audit('?action=create');
  assert.equal(sub.total, 0);

  // the trail's from/to dates are China's days (as the console and the
  // export show its times) of its real-time stamps: from=D starts at
  // 16:00 UTC the day before
  const t = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // real time: the audit trail keeps it
  const start = new Date(Date.parse(`${t}T00:00:00Z`) - 8 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const fromToday = await audit(`?from=${t}&limit=100`);
  assert.ok(fromToday.items.length > 0);
  assert.ok(fromToday.items.every((e) => e.at >= start), `every entry from ${start}`);
  const dayBefore = new Date(Date.parse(start) - 86400e3).toISOString().slice(0, 10);
  const older = await audit(`?to=${dayBefore}&limit=100`);
  assert.ok(older.items.every((e) => e.at < start), 'to= of the day before ends at China midnight');
  const toToday = await audit(`?to=${t}&action=org.&limit=5`);
  assert.ok(toToday.items.length > 0, 'a date "to" includes that day');
  assert.equal((await audit(`?from=${dayOffset(1)}`)).total, 0);
  assert.equal((await audit('?to=2000-01-01')).total, 0);
  assert.equal((await audit(`?from=${t}&to=${t}&action=org.&limit=1`)).items.length, 1);
  // ISO times
  const future = new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'); // real time: the audit trail keeps it
  assert.equal((await audit(`?from=${future}`)).total, 0);
  const past = new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'); // real time: the audit trail keeps it
  assert.ok((await audit(`?from=${past}&action=org.&limit=1`)).items.length === 1);
  // bad values → 400
  for (const qs of ['?from=yesterday', '?to=2024-13-45', '?from=2024-1-1', '?limit=0', '?limit=501',
    '?after=xyz', '?colour=red', '?actor=']) {
    assertError(await auditor.get(`/api/v1/audit${qs}`), 400, 'bad_request');
  }
});

test('the trail exported for Excel: names, China time, filters; the login log; the export is audited', async () => {
  await tryLogin('admin', 'wrong-password-for-the-log');
  let r = await auditor.get('/api/v1/audit/export.csv?action=session.');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  assert.ok(r.text.startsWith('\uFEFF序号,时间,操作人,IP,操作,操作代码,对象,结果,摘要\r\n'));
  const lines = r.text.slice(1).split('\r\n').filter(Boolean).slice(1);
  assert.ok(lines.length > 0);
  assert.ok(lines.every((l) => l.split(',')[5].startsWith('session.')), 'the login log only');
  assert.ok(lines.some((l) => l.includes(',登录,session.login,') && l.includes(',成功,')), 'a login by name');
  assert.ok(lines.some((l) => l.includes(',session.login,') && l.includes(',失败,')), 'a failed login by name');
  assert.ok(lines.every((l) => /^\d+,\d{4}-\d\d-\d\d \d\d:\d\d,/.test(l)), 'China time to the minute');
  // the whole trail: other actions too
  r = await auditor.get('/api/v1/audit/export.csv');
  assert.ok(r.text.includes(',org.create,'));
  assertError(await auditor.get('/api/v1/audit/export.csv?from=yesterday'), 400, 'bad_request', 'from');
  assertError(await admin.get('/api/v1/audit/export.csv'), 403, 'forbidden');
  const a = await audit('?action=audit.export&limit=5');
  assert.ok(a.items.some((e) => e.actor === 'auditor'), 'the export is on the trail');
  assert.equal(a.items[0].action_zh, '导出审计记录');
});

test('pagination: limit and after walk the trail without overlap', async () => {
  for (let i = 0; i < 3; i++) await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('分页区') });
  const p1 = await audit('?action=org.&limit=3');
  assert.equal(p1.items.length, 3);
  assert.equal(typeof p1.next, 'string');
  const p2 = await audit(`?action=org.&limit=3&after=${encodeURIComponent(p1.next)}`);
  assert.ok(p2.items.length >= 1);
  assert.equal(p2.total, p1.total);
  const minP1 = Math.min(...p1.items.map((e) => e.id));
  assert.ok(p2.items.every((e) => e.id < minP1), 'page 2 continues below page 1');
  // walking everything gives total entries
  let after = null;
  const seen = new Set();
  for (let i = 0; i < 1000; i++) {
    const p = await audit(`?action=org.&limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    for (const e of p.items) {
      assert.ok(!seen.has(e.id));
      seen.add(e.id);
    }
    if (!p.next) break;
    after = p.next;
  }
  assert.equal(seen.size, p1.total);
});

test('only auditors read the trail; auditors write nothing', async () => {
  for (const c of [admin, sec, jiangbei, await login('viewer'), await login('yongjiang')]) {
    assertError(await c.get('/api/v1/audit'), 403, 'forbidden');
    assertError(await c.get('/api/v1/audit/verify'), 403, 'forbidden');
  }
  assertError(await auditor.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name: uniq('审计员区') }), 403, 'forbidden');
  assertError(await auditor.patch(`/api/v1/orgs/${JB}`, { employees: 1 }), 403, 'forbidden');
  assertError(await auditor.post(`/api/v1/orgs/${YJ}/move`, { parent_id: JB }), 403, 'forbidden');
  assertError(await auditor.post('/api/v1/users', { username: 'auditmade', name: 'x', password: strongPassword() }), 403, 'forbidden');
  assertError(await auditor.patch('/api/v1/settings', { due_soon_days: 31 }), 403, 'forbidden');
  assertError(await auditor.put('/api/v1/codes/education/98', { label_zh: '审', label_en: 'Audit' }), 403, 'forbidden');
  assertError(await auditor.get('/api/v1/users'), 403, 'forbidden');
  // nobody changes the trail through the API
  for (const m of ['POST', 'PATCH', 'PUT', 'DELETE']) {
    const r = await auditor.req(m, '/api/v1/audit', m === 'DELETE' ? undefined : {});
    assert.equal(r.status, 405, `${m} /api/v1/audit: ${r.status}`);
  }
  assertError(await auditor.del('/api/v1/audit/1'), 404);
});

test('the city auditor verifies the chain: intact', async () => {
  const r = await auditor.get('/api/v1/audit/verify');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.intact, true);
  assert.ok(r.json.rows > 0);
  const newest = (await audit('?limit=1')).items[0].id;
  assert.ok(r.json.rows <= newest);
  assert.ok(!('broken_row' in r.json));
});

test('a district auditor sees its district’s entries only and cannot verify the whole chain', async () => {
  const da = await createUser(sec, { org_id: JB, role: 'auditor', grantOrg: JB });
  const inside = await createOrg(admin, { parent_id: JB, kind: 'street', name: uniq('区审计街道') });
  const outside = await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('区外区') });
  const r = await da.client.get('/api/v1/audit?action=org.create&limit=500');
  assert.equal(r.status, 200, r.text);
  const targets = r.json.items.map((e) => e.target);
  assert.ok(targets.includes(`org:${inside.id}`));
  assert.ok(!targets.includes(`org:${outside.id}`));
  const all = await da.client.get('/api/v1/audit?limit=500');
  assert.ok(!all.json.items.some((e) => e.action === 'settings.update'), 'city-wide entries stay hidden');
  assertError(await da.client.get('/api/v1/audit/verify'), 403, 'forbidden');
});
