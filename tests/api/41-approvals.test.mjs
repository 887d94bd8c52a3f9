// 三权分立 with a second person: what the security admin alone could use to
// take the city (an admin, security-admin, auditor or pii grant; a password
// reset of an account holding admin or pii; any change of a security
// admin's or an auditor's account) waits for a system admin who is neither
// the proposer nor the account's owner.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, tryLogin, assertError, createUser, uname, strongPassword, sql, approve, orgId,
} from './lib.mjs';

let sec, admin, auditor, jiangbei, JB;

before(async () => {
  sec = await login('secadmin');
  admin = await login('admin');
  auditor = await login('auditor');
  jiangbei = await login('jiangbei');
  JB = await orgId(admin, '江北区');
});

async function newUser() {
  const username = uname('ap');
  const password = strongPassword();
  const r = await sec.post('/api/v1/users', { username, name: '待授权', password, org_id: 1 });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, username, password };
}

const grants = async (id) => (await sec.get(`/api/v1/users/${id}`)).json.grants;

test('an admin grant waits for a system admin; approved, it applies, with a new split one-time password', async () => {
  const u = await newUser();
  const p = await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: 1, role: 'admin', pii: true });
  assert.equal(p.status, 202, p.text);
  const a = p.json.approval;
  assert.equal(a.state, 'pending');
  assert.equal(a.action, 'grant.add');
  assert.deepEqual(a.change, { org_id: 1, pii: true, role: 'admin' });
  assert.equal(a.user.id, u.id);
  assert.equal(a.proposed_by.username, 'secadmin');
  assert.equal(a.can_decide, false, 'the proposer does not decide');
  assert.match(p.json.message_zh, /系统管理员确认/);
  assert.deepEqual(await grants(u.id), [], 'nothing granted yet');
  // the chosen first password no longer matters once the account gets the city
  assert.equal((await tryLogin(u.username, u.password)).status, 200);

  // both see it waiting; only the admin may decide
  const mine = (await sec.get('/api/v1/approvals')).json.items.find((x) => x.id === a.id);
  assert.equal(mine.can_withdraw, true);
  const theirs = (await admin.get('/api/v1/approvals')).json.items.find((x) => x.id === a.id);
  assert.equal(theirs.can_decide, true);
  assertError(await sec.post(`/api/v1/approvals/${a.id}/approve`), 403, 'forbidden');
  // a district admin does not decide for a city account (not its subtree)
  const jb = await jiangbei.post(`/api/v1/approvals/${a.id}/approve`);
  assert.ok(jb.status === 403 || jb.status === 404, `district admin: ${jb.status}`);

  const r = await admin.post(`/api/v1/approvals/${a.id}/approve`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.approval.state, 'approved');
  assert.equal(r.json.approval.decided_by.username, 'admin');
  const second = r.json.one_time_password_half;
  assert.match(second, /^.{6}$/);
  const g = await grants(u.id);
  assert.deepEqual(g.map((x) => [x.role, x.org_id, x.pii]), [['admin', 1, true]]);
  // the old password is gone; the proposer's half and the approver's half log in together
  assertError(await tryLogin(u.username, u.password), 401, 'unauthenticated');
  const h = await sec.post(`/api/v1/approvals/${a.id}/password-half`);
  assert.equal(h.status, 200, h.text);
  const first = h.json.one_time_password_half;
  assert.match(first, /^.{6}$/);
  assertError(await sec.post(`/api/v1/approvals/${a.id}/password-half`), 404, 'not_found');
  assertError(await tryLogin(u.username, second), 401, 'unauthenticated');
  const ok = await tryLogin(u.username, first + second);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.must_change_password, true);

  // the trail names both people
  const trail = (await auditor.get('/api/v1/audit?limit=50')).json.items.filter((e) => e.target === `user:${u.id}`);
  const by = (act) => trail.filter((e) => e.action === act);
  assert.equal(by('approval.propose')[0].actor, 'secadmin');
  assert.equal(by('approval.approve')[0].actor, 'admin');
  const ga = by('grant.add')[0];
  assert.equal(ga.actor, 'admin');
  assert.equal(ga.summary.proposed_by, 'secadmin');
  assert.equal(ga.summary.approval, a.id);
  // and it is decided once
  assertError(await admin.post(`/api/v1/approvals/${a.id}/approve`), 409, 'conflict');
});

test('the review’s takeovers each wait: resetting the admin, disabling the auditor, a new admin with pii', async () => {
  const adminId = admin.user.id;
  const auditorId = auditor.user.id;
  const reset = await sec.patch(`/api/v1/users/${adminId}`, { reset_password: true });
  assert.equal(reset.status, 202, reset.text);
  assert.equal(reset.json.approval.one_time_password, undefined);
  assert.equal((await admin.get('/api/v1/session')).status, 200, 'the admin is still logged in');
  // the admin does not approve a change of its own account
  assertError(await admin.post(`/api/v1/approvals/${reset.json.approval.id}/approve`), 403, 'forbidden');

  const off = await sec.patch(`/api/v1/users/${auditorId}`, { disabled: true });
  assert.equal(off.status, 202, off.text);
  assert.equal((await auditor.get('/api/v1/audit?limit=1')).status, 200, 'the auditor still works');
  const sessions = await sec.del(`/api/v1/users/${auditorId}/sessions`);
  assert.equal(sessions.status, 204, 'ending sessions changes no account');
  const auditor2 = await login('auditor');
  // a rejection with a reason: nothing happens
  const rej = await admin.post(`/api/v1/approvals/${off.json.approval.id}/reject`, { reason: '无正当理由' });
  assert.equal(rej.status, 200, rej.text);
  assert.equal(rej.json.approval.state, 'rejected');
  assert.equal(rej.json.approval.reason, '无正当理由');
  assert.equal((await auditor2.get('/api/v1/audit?limit=1')).status, 200);
  assertError(await admin.post(`/api/v1/approvals/${off.json.approval.id}/approve`), 409, 'conflict');

  // the proposer may withdraw its own
  const w = await sec.post(`/api/v1/approvals/${reset.json.approval.id}/reject`, {});
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.approval.state, 'withdrawn');

  const u = await newUser();
  for (const body of [{ org_id: 1, role: 'admin' }, { org_id: JB, role: 'viewer', pii: true },
    { org_id: 1, role: 'security_admin' }]) {
    const v = await createUser(sec, { keepTemporary: true });
    const g = await sec.post(`/api/v1/users/${v.id}/grants`, body);
    assert.equal(g.status, 202, `${JSON.stringify(body)}: ${g.text}`);
  }
  const g = await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: JB, role: 'viewer' });
  assert.equal(g.status, 201, 'a plain grant needs nobody else');
});

test('any change of a security admin’s or an auditor’s account waits, grants removed too', async () => {
  const sa = await createUser(sec, { role: 'security_admin', org_id: 1 });
  const rename = await sec.patch(`/api/v1/users/${sa.id}`, { name: '改名' });
  assert.equal(rename.status, 202, rename.text);
  const done = await approve(sec, rename, admin);
  assert.equal(done.approval.state, 'approved');
  assert.equal((await sec.get(`/api/v1/users/${sa.id}`)).json.name, '改名');
  const gid = (await grants(sa.id))[0].id;
  const del = await sec.del(`/api/v1/users/${sa.id}/grants/${gid}`);
  assert.equal(del.status, 202, del.text);
  assert.equal((await grants(sa.id)).length, 1);
  await approve(sec, del, admin);
  assert.equal((await grants(sa.id)).length, 0);
  // a reset of an admin, approved: the split password
  const ad = await createUser(sec, { role: 'admin', org_id: JB, grantOrg: JB });
  const rs = await sec.patch(`/api/v1/users/${ad.id}`, { reset_password: true });
  assert.equal(rs.status, 202, rs.text);
  const res = await approve(sec, rs, admin);
  assert.equal((await tryLogin(ad.username, ad.password)).status, 401);
  assert.equal((await tryLogin(ad.username, res.password)).status, 200);
});

test('a proposal lapses after three days; a lapsed one is not decided', async () => {
  const v = await createUser(sec, { keepTemporary: true });
  const p = await sec.post(`/api/v1/users/${v.id}/grants`, { org_id: 1, role: 'admin' });
  assert.equal(p.status, 202);
  const id = p.json.approval.id;
  assert.ok(Date.parse(p.json.approval.expires) - Date.parse(p.json.approval.proposed) === 72 * 3600 * 1000);
  sql(`UPDATE approvals SET expires = proposed - 1 WHERE id = ${id}`);
  assertError(await admin.post(`/api/v1/approvals/${id}/approve`), 409, 'conflict');
  assert.ok(!(await admin.get('/api/v1/approvals')).json.items.some((x) => x.id === id), 'not among the waiting');
  const all = (await admin.get('/api/v1/approvals?state=all')).json.items.find((x) => x.id === id);
  assert.equal(all.state, 'expired');
  assert.deepEqual(await grants(v.id), []);
});

test('two admins approving at once: one applies it', async () => {
  const admin2u = await createUser(sec, { role: 'admin', org_id: 1 });
  const v = await createUser(sec, { keepTemporary: true });
  const p = await sec.post(`/api/v1/users/${v.id}/grants`, { org_id: JB, role: 'operator', pii: true });
  const id = p.json.approval.id;
  const rs = await Promise.all([admin.post(`/api/v1/approvals/${id}/approve`),
    admin2u.client.post(`/api/v1/approvals/${id}/approve`)]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409]);
  assert.equal((await grants(v.id)).length, 1);
});

test('approvals: scope, roles and bad input', async () => {
  const v = await createUser(sec, { keepTemporary: true });
  const p = await sec.post(`/api/v1/users/${v.id}/grants`, { org_id: 1, role: 'admin' });
  const id = p.json.approval.id;
  for (const c of [await login('auditor'), await login('viewer'), await login('yongjiang')]) {
    assertError(await c.get('/api/v1/approvals'), 403, 'forbidden');
    assertError(await c.post(`/api/v1/approvals/${id}/approve`), 403, 'forbidden');
  }
  // a district admin sees nothing of a city account's change
  assert.ok(!(await jiangbei.get('/api/v1/approvals')).json.items.some((x) => x.id === id));
  assertError(await jiangbei.get(`/api/v1/approvals/${id}`), 404, 'not_found');
  assertError(await admin.get('/api/v1/approvals/99999999'), 404, 'not_found');
  assertError(await admin.get('/api/v1/approvals?state=maybe'), 400, 'bad_request');
  assertError(await admin.post(`/api/v1/approvals/${id}/reject`, { reason: 'x'.repeat(501) }), 422, 'validation_failed', 'reason');
  assertError(await admin.post(`/api/v1/approvals/${id}/reject`, { why: 'x' }), 400, 'bad_request', 'why');
  assertError(await admin.post(`/api/v1/approvals/${id}/password-half`), 403, 'forbidden');
  const g = await admin.get(`/api/v1/approvals/${id}`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.state, 'pending');
});
