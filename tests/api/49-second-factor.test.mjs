// The second factor (RFC 6238). With second_factor_required (the default
// of a store made by `changai init`; the demo turns it off) an account with
// an admin, security-admin or auditor grant must enrol an authenticator
// before anything else, and logs in with a code after the password; a code
// works once; wrong codes count as wrong passwords; a lost one is reset by
// the security admin with a second person. Others may enrol one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, tryLogin, tryLoginFrom, assertError, createUser, orgId, authenticator, approve, Client,
} from './lib.mjs';

let sec, secFactor, approver, JB, saved;

// Turning the requirement on would stop every unenrolled admin, the
// security admin too: the security admin and a second system admin (the
// approver) enrol first, and the security admin takes its own off again
// after.
before(async () => {
  sec = await login('secadmin');
  JB = await orgId(await login('admin'), '江北区');
  saved = (await sec.get('/api/v1/settings')).json.values.second_factor_required;
  assert.equal(saved, 0, 'the demo starts with the second factor optional');
  secFactor = await enrol(sec);
  const a2 = await createUser(sec, { role: 'admin', org_id: 1 });
  await enrol(a2.client);
  approver = a2.client;
  assert.equal((await sec.patch('/api/v1/settings', { second_factor_required: 1 })).status, 200);
});
after(async () => {
  assert.equal((await sec.patch('/api/v1/settings', { second_factor_required: saved })).status, 200);
  const rm = await sec.post('/api/v1/session/second-factor/remove', { code: await totpAfter(secFactor) });
  assert.equal(rm.status, 204, rm.text);
});

async function enrol(client) {
  const b = await client.post('/api/v1/session/second-factor');
  assert.equal(b.status, 201, b.text);
  assert.match(b.json.secret, /^[A-Z2-7]{32}$/);
  assert.ok(b.json.uri.startsWith('otpauth://totp/'), b.json.uri);
  assert.ok(b.json.uri.includes(`secret=${b.json.secret}`) && b.json.uri.includes('algorithm=SHA1'));
  const a = authenticator(b.json.secret);
  assertError(await client.post('/api/v1/session/second-factor/confirm', { code: '000000' }),
    422, 'validation_failed', 'code');
  const ok = await client.post('/api/v1/session/second-factor/confirm', { code: a.code() });
  assert.equal(ok.status, 204, ok.text);
  return a;
}

test('an admin must enrol first; then logs in with a code, each code once', async () => {
  const u = await createUser(sec, { role: 'admin', org_id: JB, grantOrg: JB, approver });
  const c = u.client;
  assertError(await c.get('/api/v1/orgs'), 403, 'second_factor_enrolment_required');
  const s = await c.get('/api/v1/session');
  assert.equal(s.status, 200);
  assert.deepEqual(s.json.second_factor, { enrolled: false, must_enrol: true });
  assertError(await c.post('/api/v1/tokens', { name: 'x' }), 403, 'second_factor_enrolment_required');
  const a = await enrol(c);
  assert.equal((await c.get('/api/v1/orgs')).status, 200, 'the same session goes on once enrolled');
  assertError(await c.post('/api/v1/session/second-factor'), 409, 'conflict');

  // the password alone no longer logs in
  const pwOnly = await tryLogin(u.username, u.password);
  assertError(pwOnly, 401, 'second_factor_required', 'code');
  assert.match(pwOnly.json.error.message_zh, /动态验证码/);
  // a wrong password still says only that
  assertError(await tryLogin(u.username, 'Wrong#Pass99'), 401, 'unauthenticated');
  const code = a.code();
  const r = await tryLogin(u.username, u.password, { code });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.second_factor, { enrolled: true, must_enrol: false });
  // the same code again: used
  assertError(await tryLogin(u.username, u.password, { code }), 401, 'second_factor_required');
  // its roles keep it: removing is refused
  assertError(await c.post('/api/v1/session/second-factor/remove', { code: a.code() }), 403, 'forbidden');
});

test('wrong codes count as wrong passwords: five lock the address', async () => {
  const u = await createUser(sec, { role: 'admin', org_id: JB, grantOrg: JB, approver });
  const a = await enrol(u.client);
  for (let i = 0; i < 5; i++)
    assertError(await tryLoginFrom('127.0.0.6', u.username, u.password, { code: String(100000 + i) }),
      401, 'second_factor_required');
  assertError(await tryLoginFrom('127.0.0.6', u.username, u.password, { code: a.code() }),
    423, 'locked');
  assert.equal((await tryLogin(u.username, u.password, { code: a.code() })).status, 200, 'the owner’s own address is free');
});

test('a lost authenticator: the security admin resets it, with a second person for an admin', async () => {
  const u = await createUser(sec, { role: 'admin', org_id: JB, grantOrg: JB, approver });
  await enrol(u.client);
  const p = await sec.patch(`/api/v1/users/${u.id}`, { reset_second_factor: true });
  assert.equal(p.status, 202, p.text);
  await approve(sec, p, approver);
  // the sessions ended; the password logs in and enrolment is due again
  assertError(await u.client.get('/api/v1/session'), 401, 'unauthenticated');
  const r = await tryLogin(u.username, u.password);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.second_factor.must_enrol, true);
});

// a fresh viewer that enrolled one and logged in with it
async function enrolledViewer() {
  const u = await createUser(sec, { role: 'viewer', org_id: JB });
  assert.deepEqual((await u.client.get('/api/v1/session')).json.second_factor, { enrolled: false, must_enrol: false });
  assert.equal((await u.client.get('/api/v1/orgs')).status, 200, 'not forced');
  const a = await enrol(u.client);
  assertError(await tryLogin(u.username, u.password), 401, 'second_factor_required');
  const r = await tryLogin(u.username, u.password, { code: a.code() });
  assert.equal(r.status, 200, r.text);
  const c = new Client({ username: u.username, token: r.headers.get('set-cookie').match(/changai_session=([^;]+)/)[1], csrf: r.json.csrf_token, body: r.json });
  return { u, a, c };
}

test('others may enrol one: then it is asked at login, and a code steps up', async () => {
  const { u, a, c } = await enrolledViewer();
  const s = await c.post('/api/v1/session/step-up', { code: a.code() });
  assert.equal(s.status, 200, s.text);
  assertError(await c.post('/api/v1/session/step-up', { code: '123456', password: u.password }), 422, 'validation_failed');
});

test('a user whose roles do not require one removes it with a code', async () => {
  const { u, a, c } = await enrolledViewer();
  assertError(await c.post('/api/v1/session/second-factor/remove', { code: '000000' }), 422, 'validation_failed', 'code');
  const rm = await c.post('/api/v1/session/second-factor/remove', { code: a.code() });
  assert.equal(rm.status, 204, rm.text);
  assert.equal((await tryLogin(u.username, u.password)).status, 200, 'the password alone again');
});

// the window holds one step after now: when used up, wait for the next
function totpAfter(a) {
  try {
    return a.code();
  } catch {
    return new Promise((res) => setTimeout(() => res(a.code()), 30500));
  }
}
