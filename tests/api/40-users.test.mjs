// Accounts (security admin): users, grants, separation of duties, scope of a
// street-level security admin, and online sessions.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, tryLogin, assertError, orgId, createUser, uname, uniq, strongPassword, Client, approve, grant,
} from './lib.mjs';

let admin, sec, auditor, jiangbei, viewer;
let JB, YJ, ZQ, E_YJ;

before(async () => {
  admin = await login('admin');
  sec = await login('secadmin');
  auditor = await login('auditor');
  jiangbei = await login('jiangbei');
  viewer = await login('viewer');
  JB = await orgId(admin, '江北区');
  YJ = await orgId(admin, '甬江街道');
  ZQ = await orgId(admin, '庄桥街道');
  E_YJ = await orgId(admin, '宁波甬江精密机械有限公司');
});

async function getUser(client, id) {
  const r = await client.get(`/api/v1/users/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('create a user: temporary password, default home org, no grants', async () => {
  const username = uname('new');
  const pw = strongPassword();
  const r = await sec.post('/api/v1/users', { username, name: '新用户', password: pw });
  assert.equal(r.status, 201, r.text);
  const u = r.json;
  assert.equal(typeof u.id, 'number');
  assert.equal(u.username, username);
  assert.equal(u.name, '新用户');
  assert.equal(u.org_id, 1, 'the security admin’s org by default');
  assert.equal(u.must_change_password, true);
  assert.equal(u.disabled, false);
  assert.equal(u.locked, false);
  assert.deepEqual(u.grants, []);
  assert.ok(!r.text.includes(pw), 'the password is not echoed');
  assert.ok(!/pw_hash|argon2/.test(r.text), 'no hash in the body');
  // at a chosen org
  const r2 = await sec.post('/api/v1/users', { username: uname('yj'), name: '甬江用户', password: pw, org_id: YJ });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.json.org_id, YJ);
  assert.equal(r2.json.org_name, '甬江街道');
  // the temporary password logs in, with the flag
  const c = await login(username, pw);
  assert.equal(c.body.must_change_password, true);
});

test('create a user: duplicate username → 409, weak password → 422, bad input', async () => {
  const username = uname('dup');
  const pw = strongPassword();
  assert.equal((await sec.post('/api/v1/users', { username, name: 'a', password: pw })).status, 201);
  assertError(await sec.post('/api/v1/users', { username, name: 'b', password: strongPassword() }), 409, 'conflict', 'username');
  assertError(await sec.post('/api/v1/users', { username: 'admin', name: 'b', password: strongPassword() }), 409, 'conflict', 'username');
  for (const weak of ['short1!', 'alllowercase', 'ALLUPPER123', '12345678901', `Aa1!${'x'}`.padEnd(7, 'y')]) {
    assertError(await sec.post('/api/v1/users', { username: uname('w'), name: 'w', password: weak }),
      422, 'validation_failed', 'password');
  }
  const un = uname('pw');
  assertError(await sec.post('/api/v1/users', { username: un, name: 'w', password: `Xx1#${un}` }),
    422, 'validation_failed', 'password');
  for (const bad of ['Upper', '1abc', 'ab', 'a b c', 'name@x', 'x'.repeat(33), '中文名']) {
    assertError(await sec.post('/api/v1/users', { username: bad, name: 'w', password: strongPassword() }),
      422, 'validation_failed', 'username');
  }
  assertError(await sec.post('/api/v1/users', { username: uname('x'), name: 'w', password: strongPassword(), role: 'admin' }),
    400, 'bad_request', 'role');
  assertError(await sec.post('/api/v1/users', { username: uname('x'), password: strongPassword() }), 422, 'validation_failed', 'name');
  assertError(await sec.post('/api/v1/users', { username: uname('x'), name: 'w' }), 422, 'validation_failed', 'password');
  assertError(await sec.post('/api/v1/users', { username: uname('x'), name: 'w', password: strongPassword(), org_id: 'YJ' }),
    422, 'validation_failed', 'org_id');
  assertError(await sec.post('/api/v1/users', { username: uname('x'), name: 'w', password: strongPassword(), org_id: 99999999 }),
    404, 'not_found', 'org_id');
  assertError(await sec.post('/api/v1/users', { username: uname('x'), name: '', password: strongPassword() }),
    422, 'validation_failed', 'name');
});

test('list, search and paginate users', async () => {
  const marker = uniq('mk').toLowerCase().slice(0, 14);
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const r = await sec.post('/api/v1/users', { username: `${marker}${i}`, name: `名单${i}`, password: strongPassword() });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  const p1 = await sec.get(`/api/v1/users?q=${marker}&limit=2`);
  assert.equal(p1.status, 200, p1.text);
  assert.equal(p1.json.total, 3);
  assert.equal(p1.json.items.length, 2);
  assert.equal(typeof p1.json.next, 'string');
  const p2 = await sec.get(`/api/v1/users?q=${marker}&limit=2&after=${encodeURIComponent(p1.json.next)}`);
  assert.equal(p2.status, 200, p2.text);
  assert.equal(p2.json.items.length, 1);
  assert.equal(p2.json.next, null);
  assert.deepEqual([...p1.json.items, ...p2.json.items].map((u) => u.id), ids);
  for (const u of p1.json.items) {
    assert.ok(u.username.startsWith(marker));
    assert.ok(!('pw_hash' in u) && !('password' in u));
  }
  // search is case-insensitive on the username and matches names
  const up = await sec.get(`/api/v1/users?q=${marker.toUpperCase()}`);
  assert.equal(up.json.total, 3);
  const byName = await sec.get(`/api/v1/users?q=${encodeURIComponent('名单1')}&limit=500`);
  assert.ok(byName.json.items.some((u) => u.id === ids[1]));
  // LIKE wildcards are literal
  const pct = await sec.get(`/api/v1/users?q=${encodeURIComponent('%')}`);
  assert.equal(pct.status, 200);
  assert.equal(pct.json.total, 0);
  const us = await sec.get(`/api/v1/users?q=${encodeURIComponent(marker.slice(0, 3) + '_')}`);
  assert.equal(us.json.total, 0);
  // the demo accounts are there
  const all = await sec.get('/api/v1/users?q=zhuangqiao');
  assert.ok(all.json.items.some((u) => u.username === 'zhuangqiao'));
  // ?org= limits to a subtree
  const yj = await sec.get(`/api/v1/users?org=${YJ}&limit=500`);
  assert.equal(yj.status, 200);
  assert.ok(yj.json.items.some((u) => u.username === 'yongjiang'));
  assert.ok(!yj.json.items.some((u) => u.username === 'zhuangqiao'));
  // bad parameters
  for (const qs of ['?limit=0', '?limit=501', '?after=zzz', '?org=abc', '?role=admin'])
    assertError(await sec.get(`/api/v1/users${qs}`), 400, 'bad_request');
  assertError(await sec.get('/api/v1/users?org=99999999'), 404, 'not_found');
});

test('get a user with grants; grant a role; remove it', async () => {
  const u = await createUser(sec, { keepTemporary: true });
  let g = await getUser(sec, u.id);
  assert.deepEqual(g.grants, []);
  const r = await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: YJ, role: 'operator' });
  assert.equal(r.status, 201, r.text);
  assert.equal(typeof r.json.id, 'number');
  assert.equal(r.json.user_id, u.id);
  assert.equal(r.json.org_id, YJ);
  assert.equal(r.json.role, 'operator');
  assert.equal(r.json.pii, false);
  // pii takes a second person: proposed (202), approved by the system admin
  const p2 = await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: ZQ, role: 'viewer', pii: true });
  assert.equal(p2.status, 202, p2.text);
  assert.equal((await getUser(sec, u.id)).grants.length, 1, 'nothing granted before the approval');
  const a2 = await approve(sec, p2);
  // the account had not chosen its password yet: the approval made a new one
  u.password = a2.password;
  const r2 = { json: (await getUser(sec, u.id)).grants.find((x) => x.org_id === ZQ) };
  assert.equal(r2.json.pii, true);
  g = await getUser(sec, u.id);
  assert.equal(g.grants.length, 2);
  const yjGrant = g.grants.find((x) => x.id === r.json.id);
  assert.equal(yjGrant.org_id, YJ);
  assert.equal(yjGrant.role, 'operator');
  assert.equal(yjGrant.org_name, '甬江街道');
  assert.equal(yjGrant.org_kind, 'street');
  // the same role at the same org again → 409
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: YJ, role: 'operator' }), 409, 'conflict');
  // the grant works: after the password change the user acts at 甬江
  const c = await login(u.username, u.password);
  const np = strongPassword();
  assert.equal((await c.post('/api/v1/session/password', { old_password: u.password, new_password: np })).status, 204);
  await c.refresh();
  assert.ok(c.body.user.grants.some((x) => x.org_id === YJ && x.role === 'operator'));
  const e = await c.post('/api/v1/orgs', { parent_id: YJ, kind: 'enterprise', name: uniq('授权企业') });
  assert.equal(e.status, 201, e.text);

  // remove
  const d = await sec.del(`/api/v1/users/${u.id}/grants/${r.json.id}`);
  assert.equal(d.status, 204, d.text);
  g = await getUser(sec, u.id);
  assert.deepEqual(g.grants.map((x) => x.id), [r2.json.id]);
  assertError(await sec.del(`/api/v1/users/${u.id}/grants/${r.json.id}`), 404, 'not_found');
  // a grant id of another user → 404
  const other = await createUser(sec, { keepTemporary: true, role: 'viewer', org_id: YJ });
  const og = (await getUser(sec, other.id)).grants[0];
  assertError(await sec.del(`/api/v1/users/${u.id}/grants/${og.id}`), 404, 'not_found');
  assert.equal((await getUser(sec, other.id)).grants.length, 1);
  // the removed role no longer applies
  const e2 = await c.post('/api/v1/orgs', { parent_id: YJ, kind: 'enterprise', name: uniq('撤权企业') });
  assert.ok(e2.status === 403 || e2.status === 404, `after removal: ${e2.status}`);
});

test('grants: bad input', async () => {
  const u = await createUser(sec, { keepTemporary: true });
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: YJ, role: 'superuser' }), 422, 'validation_failed', 'role');
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: YJ }), 422, 'validation_failed', 'role');
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { role: 'viewer' }), 422, 'validation_failed', 'org_id');
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: 99999999, role: 'viewer' }), 404, 'not_found', 'org_id');
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: YJ, role: 'viewer', until: '2030-01-01' }),
    400, 'bad_request', 'until');
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: YJ, role: 'viewer', pii: 'yes' }),
    422, 'validation_failed', 'pii');
  assertError(await sec.post('/api/v1/users/99999999/grants', { org_id: YJ, role: 'viewer' }), 404, 'not_found');
  assertError(await sec.get('/api/v1/users/99999999'), 404, 'not_found');
  // security admins and auditors never read personal data
  assertError(await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: 1, role: 'auditor', pii: true }),
    422, 'validation_failed', 'pii');
  assert.deepEqual((await getUser(sec, u.id)).grants, []);
});

test('separation of duties: auditor and security admin are held alone', async () => {
  const a = await createUser(sec, { keepTemporary: true, role: 'admin', org_id: JB });
  assertError(await sec.post(`/api/v1/users/${a.id}/grants`, { org_id: 1, role: 'auditor' }), 409, 'conflict', 'role');
  assertError(await sec.post(`/api/v1/users/${a.id}/grants`, { org_id: JB, role: 'security_admin' }), 409, 'conflict', 'role');
  const au = await createUser(sec, { keepTemporary: true, role: 'auditor', org_id: 1 });
  assertError(await sec.post(`/api/v1/users/${au.id}/grants`, { org_id: JB, role: 'admin' }), 409, 'conflict', 'role');
  assertError(await sec.post(`/api/v1/users/${au.id}/grants`, { org_id: JB, role: 'viewer' }), 409, 'conflict', 'role');
  assertError(await sec.post(`/api/v1/users/${au.id}/grants`, { org_id: JB, role: 'security_admin' }), 409, 'conflict', 'role');
  const sa = await createUser(sec, { keepTemporary: true, role: 'security_admin', org_id: YJ });
  assertError(await sec.post(`/api/v1/users/${sa.id}/grants`, { org_id: YJ, role: 'operator' }), 409, 'conflict', 'role');
  assertError(await sec.post(`/api/v1/users/${sa.id}/grants`, { org_id: YJ, role: 'auditor' }), 409, 'conflict', 'role');
  // business roles combine freely
  const op = await createUser(sec, { keepTemporary: true, role: 'operator', org_id: YJ });
  assert.equal((await sec.post(`/api/v1/users/${op.id}/grants`, { org_id: ZQ, role: 'viewer' })).status, 201);
  // and the refused grants left nothing behind
  assert.deepEqual((await getUser(sec, a.id)).grants.map((g) => g.role), ['admin']);
  assert.deepEqual((await getUser(sec, au.id)).grants.map((g) => g.role), ['auditor']);
});

test('the security admin cannot grant to, or change, itself', async () => {
  const me = sec.user.id;
  assertError(await sec.post(`/api/v1/users/${me}/grants`, { org_id: 1, role: 'admin' }), 403, 'forbidden');
  assertError(await sec.post(`/api/v1/users/${me}/grants`, { org_id: YJ, role: 'security_admin' }), 403, 'forbidden');
  const myGrant = sec.user.grants[0].id;
  assertError(await sec.del(`/api/v1/users/${me}/grants/${myGrant}`), 403, 'forbidden');
  assertError(await sec.patch(`/api/v1/users/${me}`, { disabled: true }), 403, 'forbidden');
  assertError(await sec.patch(`/api/v1/users/${me}`, { reset_password: true }), 403, 'forbidden');
  assertError(await sec.patch(`/api/v1/users/${me}`, { org_id: YJ }), 403, 'forbidden');
  const g = await getUser(sec, me);
  assert.deepEqual(g.grants.map((x) => x.role), ['security_admin']);
  assert.equal(g.disabled, false);
});

test('only security admins manage accounts', async () => {
  const u = await createUser(sec, { keepTemporary: true });
  for (const c of [admin, jiangbei, auditor, viewer]) {
    assertError(await c.get('/api/v1/users'), 403, 'forbidden');
    assertError(await c.get(`/api/v1/users/${u.id}`), 403, 'forbidden');
    assertError(await c.post('/api/v1/users', { username: uname('x'), name: 'x', password: strongPassword() }), 403, 'forbidden');
    assertError(await c.patch(`/api/v1/users/${u.id}`, { name: 'x' }), 403, 'forbidden');
    assertError(await c.post(`/api/v1/users/${u.id}/grants`, { org_id: 1, role: 'admin' }), 403, 'forbidden');
    assertError(await c.get('/api/v1/sessions'), 403, 'forbidden');
    assertError(await c.del(`/api/v1/users/${u.id}/sessions`), 403, 'forbidden');
  }
  // an admin cannot make itself a security admin by any route
  assertError(await admin.post(`/api/v1/users/${admin.user.id}/grants`, { org_id: 1, role: 'security_admin' }), 403, 'forbidden');
});

test('PATCH a user: name, home org; bad input', async () => {
  const u = await createUser(sec, { keepTemporary: true });
  let r = await sec.patch(`/api/v1/users/${u.id}`, { name: '改过的名字', org_id: YJ });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, '改过的名字');
  assert.equal(r.json.org_id, YJ);
  r = await sec.patch(`/api/v1/users/${u.id}`, {});
  assert.equal(r.status, 200, r.text);
  assertError(await sec.patch(`/api/v1/users/${u.id}`, { username: 'renamed' }), 400, 'bad_request', 'username');
  assertError(await sec.patch(`/api/v1/users/${u.id}`, { disabled: 'yes' }), 422, 'validation_failed', 'disabled');
  assertError(await sec.patch(`/api/v1/users/${u.id}`, { locked: 0 }), 422, 'validation_failed', 'locked');
  assertError(await sec.patch(`/api/v1/users/${u.id}`, { password: 'Chosen#Pass99' }), 400, 'bad_request', 'password');
  assertError(await sec.patch(`/api/v1/users/${u.id}`, { reset_password: 'yes' }), 422, 'validation_failed', 'reset_password');
  assertError(await sec.patch(`/api/v1/users/${u.id}`, { org_id: 99999999 }), 404, 'not_found', 'org_id');
  assertError(await sec.patch('/api/v1/users/99999999', { name: 'x' }), 404, 'not_found');
  assert.equal((await getUser(sec, u.id)).name, '改过的名字');
});

test('disabling a user ends its sessions and blocks login; enabling restores it', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: JB });
  const second = await login(u.username, u.password);
  assert.equal((await u.client.get('/api/v1/session')).status, 200);
  const r = await sec.patch(`/api/v1/users/${u.id}`, { disabled: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, true);
  assertError(await u.client.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await second.get('/api/v1/orgs'), 401, 'unauthenticated');
  const l = await tryLogin(u.username, u.password);
  assert.ok(l.status === 423 || l.status === 401 || l.status === 403, `disabled login: ${l.status}`);
  assert.notEqual(l.status, 200);
  const online = await sec.get(`/api/v1/sessions?user=${u.id}`);
  assert.equal(online.json.items.length, 0);
  assert.equal((await sec.patch(`/api/v1/users/${u.id}`, { disabled: false })).status, 200);
  const again = await login(u.username, u.password);
  assert.equal((await again.get('/api/v1/orgs')).status, 200);
});

test('a street-level security admin manages only the accounts of its subtree', async () => {
  // secadmin creates the account at 甬江 and grants security_admin there
  const l = await createUser(sec, { org_id: YJ, role: 'security_admin', grantOrg: YJ });
  const local = l.client;
  assert.ok(local.body.user.grants.some((g) => g.role === 'security_admin' && g.org_id === YJ));

  const inYJ = await createUser(sec, { org_id: YJ, keepTemporary: true });
  const inEnt = await createUser(sec, { org_id: E_YJ, keepTemporary: true });
  const inZQ = await createUser(sec, { org_id: ZQ, keepTemporary: true });
  const inJB = await createUser(sec, { org_id: JB, keepTemporary: true });

  const yjOrgs = (await admin.get(`/api/v1/orgs?under=${YJ}&limit=500`)).json.items.map((o) => o.id);
  const list = await local.get('/api/v1/users?limit=500');
  assert.equal(list.status, 200, list.text);
  const ids = list.json.items.map((u) => u.id);
  assert.ok(ids.includes(inYJ.id));
  assert.ok(ids.includes(inEnt.id));
  assert.ok(ids.includes(l.id));
  assert.ok(!ids.includes(inZQ.id));
  assert.ok(!ids.includes(inJB.id));
  assert.ok(!ids.includes(1));
  assert.ok(list.json.items.every((u) => yjOrgs.includes(u.org_id)), 'every listed user’s home org is in 甬江’s subtree');
  assert.equal(list.json.total, list.json.items.length);
  // a search cannot reach outside
  const q = await local.get('/api/v1/users?q=zhuangqiao');
  assert.equal(q.json.total, 0);

  // outside: 404, exactly like a missing id
  const missing = await local.get('/api/v1/users/99999999');
  assertError(missing, 404, 'not_found');
  for (const id of [inZQ.id, inJB.id, 1, sec.user.id]) {
    const r = await local.get(`/api/v1/users/${id}`);
    assertError(r, 404, 'not_found');
    assert.equal(r.text, missing.text);
    assertError(await local.patch(`/api/v1/users/${id}`, { disabled: true }), 404, 'not_found');
    assertError(await local.post(`/api/v1/users/${id}/grants`, { org_id: YJ, role: 'viewer' }), 404, 'not_found');
    assertError(await local.del(`/api/v1/users/${id}/sessions`), 404, 'not_found');
  }
  assert.equal((await getUser(sec, inZQ.id)).disabled, false, 'the refused PATCH changed nothing');
  assertError(await local.get(`/api/v1/users?org=${ZQ}`), 404, 'not_found');

  // inside: works
  assert.equal((await local.get(`/api/v1/users/${inEnt.id}`)).status, 200);
  const g = await local.post(`/api/v1/users/${inYJ.id}/grants`, { org_id: E_YJ, role: 'operator' });
  assert.equal(g.status, 201, g.text);
  // but not granting at an org outside its subtree, even to its own users
  assertError(await local.post(`/api/v1/users/${inYJ.id}/grants`, { org_id: ZQ, role: 'viewer' }), 404, 'not_found', 'org_id');
  assertError(await local.post(`/api/v1/users/${inYJ.id}/grants`, { org_id: 1, role: 'admin' }), 404, 'not_found', 'org_id');
  // new users land in its subtree by default; elsewhere → 404
  const c = await local.post('/api/v1/users', { username: uname('loc'), name: '本地用户', password: strongPassword() });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.org_id, YJ);
  assertError(await local.post('/api/v1/users', { username: uname('loc'), name: 'x', password: strongPassword(), org_id: ZQ }),
    404, 'not_found', 'org_id');
  // moving its user out of its subtree is refused
  assertError(await local.patch(`/api/v1/users/${inYJ.id}`, { org_id: ZQ }), 404, 'not_found', 'org_id');
  // its sessions view is its subtree only
  const s = await local.get('/api/v1/sessions');
  assert.equal(s.status, 200);
  assert.ok(s.json.items.every((x) => x.username !== 'secadmin' && x.username !== 'admin'));
  const secSessions = await sec.get(`/api/v1/sessions?user=${sec.user.id}`);
  const secSid = secSessions.json.items[0].id;
  assertError(await local.del(`/api/v1/sessions/${secSid}`), 404, 'not_found');
  assert.equal((await sec.get('/api/v1/session')).status, 200, 'the city security admin is still logged in');
});

test('a street-level security admin cannot take over an account that holds grants beyond its subtree', async () => {
  // an account homed at 甬江 that is a city-wide admin
  const l = await createUser(sec, { org_id: YJ, role: 'security_admin', grantOrg: YJ });
  const big = await createUser(sec, { org_id: YJ, role: 'admin', grantOrg: 1 });
  const r = await l.client.patch(`/api/v1/users/${big.id}`, { reset_password: true });
  assert.ok(r.status === 403 || r.status === 404,
    `a street security admin resets the password of a city admin: ${r.status} ${r.text.slice(0, 160)}`);
  // whatever the answer, it must not be able to log in as the city admin
  if (r.json && r.json.one_time_password) {
    const hijack = await tryLogin(big.username, r.json.one_time_password);
    assert.notEqual(hijack.status, 200, 'logged in as a city-wide admin with a password a street security admin got');
  }
  assert.equal((await tryLogin(big.username, big.password)).status, 200, 'the owner’s password still works');
  // nor disable it
  const d = await l.client.patch(`/api/v1/users/${big.id}`, { disabled: true });
  assert.ok(d.status === 403 || d.status === 404, `disable: ${d.status}`);
  assert.equal((await getUser(sec, big.id)).disabled, false);
});

test('user search by the exact name finds the user (names with upper-case letters too)', async () => {
  const tag = uniq('').slice(-6);
  const name = `QA Tester ${tag}`;
  const r = await sec.post('/api/v1/users', { username: uname('qa'), name, password: strongPassword() });
  assert.equal(r.status, 201, r.text);
  for (const q of [name, `Tester ${tag}`, `qa tester ${tag}`]) {
    const l = await sec.get(`/api/v1/users?q=${encodeURIComponent(q)}`);
    assert.equal(l.status, 200);
    assert.deepEqual(l.json.items.map((u) => u.id), [r.json.id], `q=${q}`);
  }
});

test('sessions: list who is online, end one, end all of a user', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: JB });
  const a = u.client;
  const b = await login(u.username, u.password);
  const list = await sec.get(`/api/v1/sessions?user=${u.id}`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 2);
  for (const s of list.json.items) {
    assert.equal(s.user_id, u.id);
    assert.equal(s.username, u.username);
    assert.equal(typeof s.id, 'number');
    assert.equal(s.ip, '127.0.0.1');
    assert.equal(s.current, false);
    for (const k of ['created', 'last_seen', 'expires'])
      assert.match(s[k], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${k} is ISO-8601 UTC`);
    assert.ok(!('token' in s) && !('token_hash' in s));
  }
  assert.ok(!list.text.includes(a.token) && !list.text.includes(b.token), 'no session token is shown');
  const all = await sec.get('/api/v1/sessions');
  assert.ok(all.json.items.some((s) => s.user_id === u.id));
  const mine = all.json.items.filter((s) => s.current);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].user_id, sec.user.id);

  // end the session of client b: which one is it? the newest
  const sidB = list.json.items.map((s) => s.id).sort((x, y) => y - x)[0];
  const d = await sec.del(`/api/v1/sessions/${sidB}`);
  assert.equal(d.status, 204, d.text);
  assertError(await b.get('/api/v1/session'), 401, 'unauthenticated');
  assert.equal((await a.get('/api/v1/session')).status, 200, 'the other session lives');
  assertError(await sec.del(`/api/v1/sessions/${sidB}`), 404, 'not_found');
  assertError(await sec.del('/api/v1/sessions/99999999'), 404, 'not_found');

  // end all
  const c = await login(u.username, u.password);
  const all2 = await sec.del(`/api/v1/users/${u.id}/sessions`);
  assert.equal(all2.status, 204, all2.text);
  assertError(await a.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await c.get('/api/v1/session'), 401, 'unauthenticated');
  assert.equal((await sec.get(`/api/v1/sessions?user=${u.id}`)).json.items.length, 0);
  assertError(await sec.del('/api/v1/users/99999999/sessions'), 404, 'not_found');
  // the user can log in again
  assert.equal((await tryLogin(u.username, u.password)).status, 200);
});

test('sessions: non-security-admins get 403', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: JB });
  const sid = (await sec.get(`/api/v1/sessions?user=${u.id}`)).json.items[0].id;
  for (const c of [admin, auditor, jiangbei, viewer, u.client]) {
    assertError(await c.get('/api/v1/sessions'), 403, 'forbidden');
    assertError(await c.del(`/api/v1/sessions/${sid}`), 403, 'forbidden');
    assertError(await c.del(`/api/v1/users/${u.id}/sessions`), 403, 'forbidden');
  }
  assert.equal((await u.client.get('/api/v1/session')).status, 200);
  assertError(await sec.get('/api/v1/sessions?user=abc'), 400, 'bad_request');
  assertError(await sec.get('/api/v1/sessions?limit=5&colour=1'), 400, 'bad_request');
  // the old cookie of an ended session cannot be revived by the CSRF token alone
  const ended = new Client({ username: u.username, token: 'ca_' + 'A'.repeat(43), csrf: u.client.csrf });
  assertError(await ended.get('/api/v1/session'), 401, 'unauthenticated');
});
