// API tokens: shown once, Bearer without CSRF, revocable, cannot mint more.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, assertError, bearerClient, createUser, uniq, strongPassword, sql,
} from './lib.mjs';

let admin, sec;

before(async () => {
  admin = await login('admin');
  sec = await login('secadmin');
});

test('create a token: shown once; Bearer works without CSRF; never listed; revoked → 401', async () => {
  const name = uniq('script-');
  const r = await admin.post('/api/v1/tokens', { name });
  assert.equal(r.status, 201, r.text);
  assert.equal(typeof r.json.id, 'number');
  assert.equal(typeof r.json.token, 'string');
  assert.match(r.json.token, /^ca_[A-Za-z0-9_-]{20,}$/);
  const { id, token } = r.json;

  // Bearer reads and writes, no cookie, no CSRF header
  const b = bearerClient(token, 'admin');
  const who = await b.get('/api/v1/session');
  assert.equal(who.status, 200, who.text);
  assert.equal(who.json.user.username, 'admin');
  assert.equal((await b.get('/api/v1/orgs?parent=1')).status, 200);
  const created = await b.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name: uniq('令牌区') });
  assert.equal(created.status, 201, created.text);
  // a foreign Origin is refused for tokens as well
  assertError(await b.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name: uniq('令牌区') },
    { headers: { Origin: 'https://evil.example.com' } }), 403, 'forbidden');

  // the list shows the token without its value
  const list = await admin.get('/api/v1/tokens');
  assert.equal(list.status, 200, list.text);
  const row = list.json.items.find((t) => t.id === id);
  assert.ok(row, 'the token is listed');
  assert.equal(row.name, name);
  assert.equal(row.revoked, false);
  assert.ok(!('token' in row), 'no token field');
  assert.ok(!list.text.includes(token), 'the token value never appears again');
  assert.ok(!list.text.includes(token.slice(3)), 'nor its secret part');
  // nor does the token list through the token itself
  const list2 = await b.get('/api/v1/tokens');
  assert.equal(list2.status, 200);
  assert.ok(!list2.text.includes(token));

  // revoke
  const d = await admin.del(`/api/v1/tokens/${id}`);
  assert.equal(d.status, 204, d.text);
  assertError(await b.get('/api/v1/orgs?parent=1'), 401, 'unauthenticated');
  assertError(await b.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name: uniq('令牌区') }),
    401, 'unauthenticated');
  const after = await admin.get('/api/v1/tokens');
  assert.equal(after.json.items.find((t) => t.id === id).revoked, true);
  // revoking twice, or an unknown token → 404
  assertError(await admin.del(`/api/v1/tokens/${id}`), 404, 'not_found');
  assertError(await admin.del('/api/v1/tokens/99999999'), 404, 'not_found');
});

test('a token cannot create tokens, and cannot log out', async () => {
  const r = await admin.post('/api/v1/tokens', { name: uniq('t') });
  assert.equal(r.status, 201, r.text);
  const b = bearerClient(r.json.token, 'admin');
  assertError(await b.post('/api/v1/tokens', { name: 'child' }), 403, 'forbidden');
  const del = await b.del('/api/v1/session');
  assert.ok(del.status === 400 || del.status === 403, `logout with a token: ${del.status}`);
  // still valid afterwards
  assert.equal((await b.get('/api/v1/session')).status, 200);
  // and a token cannot change the password
  assertError(await b.post('/api/v1/session/password', { old_password: 'Old#Pass123', new_password: 'New#Pass123' }),
    403, 'forbidden');
});

test('tokens are personal: another user can neither list nor revoke them', async () => {
  const r = await admin.post('/api/v1/tokens', { name: uniq('mine') });
  assert.equal(r.status, 201);
  const j = await login('jiangbei');
  const list = await j.get('/api/v1/tokens');
  assert.equal(list.status, 200);
  assert.ok(!list.json.items.some((t) => t.id === r.json.id));
  assertError(await j.del(`/api/v1/tokens/${r.json.id}`), 404, 'not_found');
  assert.equal((await bearerClient(r.json.token).get('/api/v1/session')).status, 200, 'still valid');
});

test('token scope and role are the user’s: a viewer token cannot write', async () => {
  const v = await login('viewer');
  const r = await v.post('/api/v1/tokens', { name: uniq('v') });
  assert.equal(r.status, 201, r.text);
  const b = bearerClient(r.json.token);
  assertError(await b.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name: uniq('x') }), 403, 'forbidden');
  // outside the viewer's district → 404
  const hs = await admin.get(`/api/v1/orgs?parent=1&limit=500`);
  const haishu = hs.json.items.find((o) => o.name === '海曙区');
  assertError(await b.get(`/api/v1/orgs/${haishu.id}`), 404, 'not_found');
});

test('bad input: missing name, unknown field, wrong type, bad token strings', async () => {
  assertError(await admin.post('/api/v1/tokens', {}), 422, 'validation_failed', 'name');
  assertError(await admin.post('/api/v1/tokens', { name: 'x', scope: 'all' }), 400, 'bad_request', 'scope');
  assertError(await admin.post('/api/v1/tokens', { name: 5 }), 422, 'validation_failed', 'name');
  assertError(await admin.post('/api/v1/tokens', { name: '' }), 422, 'validation_failed', 'name');
  assertError(await admin.post('/api/v1/tokens', { name: 'x'.repeat(65) }), 422, 'validation_failed', 'name');
  for (const t of ['', 'ca_', 'ca_' + 'A'.repeat(43), 'xx_' + 'A'.repeat(43), 'A'.repeat(500)]) {
    assertError(await request('GET', '/api/v1/orgs', { headers: { Authorization: `Bearer ${t}` } }),
      401, 'unauthenticated');
  }
});

test('a disabled user’s token stops working', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const r = await u.client.post('/api/v1/tokens', { name: 'mine' });
  assert.equal(r.status, 201, r.text);
  const b = bearerClient(r.json.token);
  assert.equal((await b.get('/api/v1/session')).status, 200);
  assert.equal((await sec.patch(`/api/v1/users/${u.id}`, { disabled: true })).status, 200);
  assertError(await b.get('/api/v1/session'), 401, 'unauthenticated');
});

// API.md: a user whose password must change (first login, reset, expired)
// gets 403 password_change_required on every other endpoint. A reset by the
// security admin is how a compromised account is taken back, so the old
// tokens must stop working (revoked: 401, or held: 403).
test('after a password reset by the security admin, the user’s API token no longer works', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const r = await u.client.post('/api/v1/tokens', { name: 'before-reset' });
  assert.equal(r.status, 201, r.text);
  const b = bearerClient(r.json.token);
  assert.equal((await b.get('/api/v1/orgs')).status, 200);
  assert.equal((await sec.patch(`/api/v1/users/${u.id}`, { reset_password: true })).status, 200);
  const after = await b.get('/api/v1/orgs');
  assert.ok(after.status === 401 || (after.status === 403 && after.json.error.code === 'password_change_required'),
    `token after a reset: ${after.status} ${after.text.slice(0, 120)}`);
});

test('a token of a user whose password expired gets password_change_required', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const r = await u.client.post('/api/v1/tokens', { name: 'before-expiry' });
  assert.equal(r.status, 201, r.text);
  const b = bearerClient(r.json.token);
  sql(`UPDATE users SET pw_changed = pw_changed - ${91 * 86400} WHERE id = ${u.id}`);
  // the session says so
  assertError(await u.client.get('/api/v1/orgs'), 403, 'password_change_required');
  const after = await b.get('/api/v1/orgs');
  assert.ok(after.status === 401 || (after.status === 403 && after.json.error.code === 'password_change_required'),
    `token after expiry: ${after.status} ${after.text.slice(0, 120)}`);
});

// Issue 11, point 9: tokens expire, end with their owner's password, and
// are not for the security admin or the auditor.
test('a token expires: at most token_max_days, and not after its expiry', async () => {
  const r = await admin.post('/api/v1/tokens', { name: uniq('exp') });
  assert.equal(r.status, 201, r.text);
  const days = (Date.parse(r.json.expires) - Date.now()) / 86400e3; // real time: tokens keep it
  assert.ok(days > 89.9 && days <= 90.01, `90 days by default (${days})`);
  const short = await admin.post('/api/v1/tokens', { name: uniq('exp'), days: 7 });
  assert.equal(short.status, 201, short.text);
  assertError(await admin.post('/api/v1/tokens', { name: uniq('exp'), days: 91 }), 422, 'validation_failed', 'days');
  const b = bearerClient(short.json.token);
  assert.equal((await b.get('/api/v1/orgs')).status, 200);
  sql(`UPDATE api_tokens SET expires = created - 1 WHERE id = ${short.json.id}`);
  assertError(await b.get('/api/v1/orgs'), 401, 'unauthenticated');
  const list = (await admin.get('/api/v1/tokens')).json.items;
  assert.ok(list.find((t) => t.id === short.json.id).expires, 'the owner sees when each ends');
});

test("the owner's own password change ends its tokens", async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const t = await u.client.post('/api/v1/tokens', { name: 'script' });
  assert.equal(t.status, 201, t.text);
  const b = bearerClient(t.json.token);
  assert.equal((await b.get('/api/v1/orgs')).status, 200);
  const np = strongPassword();
  assert.equal((await u.client.post('/api/v1/session/password', { old_password: u.password, new_password: np })).status, 204);
  assertError(await b.get('/api/v1/orgs'), 401, 'unauthenticated');
});

test('no tokens for the security admin or the auditor', async () => {
  for (const who of ['secadmin', 'auditor']) {
    const c = await login(who);
    assertError(await c.post('/api/v1/tokens', { name: 'x' }), 403, 'forbidden');
  }
});
