// dates: this file runs at every date of tests/dates.txt
// Sessions: login, logout, CSRF, Origin, Content-Type, lockout, idle
// timeout and the forced password change.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, login, tryLogin, request, sessionCookieOf, assertError, createUser,
  strongPassword, sql, password, Client, tryLoginFrom,
} from './lib.mjs';

let admin, sec;

before(async () => {
  admin = await login('admin');
  sec = await login('secadmin');
});

test('login: body shape and cookie attributes', async () => {
  const r = await tryLogin('jiangbei', password('jiangbei'));
  assert.equal(r.status, 200, r.text);
  const b = r.json;
  assert.equal(typeof b.user.id, 'number');
  assert.equal(b.user.username, 'jiangbei');
  assert.equal(typeof b.user.name, 'string');
  assert.ok(b.user.name.length > 0);
  assert.ok(Array.isArray(b.user.grants));
  assert.equal(b.user.grants.length, 1);
  assert.equal(typeof b.user.grants[0].org_id, 'number');
  assert.equal(b.user.grants[0].role, 'admin');
  assert.equal(typeof b.csrf_token, 'string');
  assert.ok(b.csrf_token.length >= 32);
  assert.equal(b.must_change_password, false);
  assert.ok(!('password' in b.user) && !('pw_hash' in b.user));

  const cookies = r.headers.getSetCookie();
  const c = cookies.find((x) => x.startsWith('changai_session='));
  assert.ok(c, `a changai_session cookie: ${cookies}`);
  const attrs = c.split(';').map((s) => s.trim().toLowerCase());
  assert.ok(attrs.includes('httponly'), c);
  assert.ok(attrs.includes('samesite=strict'), c);
  assert.ok(attrs.includes('path=/'), c);
  const token = sessionCookieOf(r);
  assert.ok(token.length >= 40, 'a long random token');
  // the token is not the CSRF token
  assert.notEqual(token, b.csrf_token);
});

test('login: wrong password and unknown user give identical 401 bodies', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const wrong = await tryLogin(u.username, 'Wrong#Password1');
  const unknown = await tryLogin('nosuchuser' + Date.now(), 'Wrong#Password1');
  assertError(wrong, 401, 'unauthenticated');
  assertError(unknown, 401, 'unauthenticated');
  assert.equal(wrong.text, unknown.text);
  assert.equal(sessionCookieOf(wrong), null);
  assert.equal(sessionCookieOf(unknown), null);
  // both bodies are the same shape as every error
  assert.deepEqual(Object.keys(wrong.json.error).sort(), Object.keys(unknown.json.error).sort());
});

test('login: bad input', async () => {
  assertError(await request('POST', '/api/v1/session', { body: { username: 'admin' } }), 422,
    'validation_failed', 'password');
  assertError(await request('POST', '/api/v1/session', { body: { username: 'admin', password: 'x', remember: true } }),
    400, 'bad_request', 'remember');
  assertError(await request('POST', '/api/v1/session', { body: { username: 1, password: 'x' } }),
    422, 'validation_failed', 'username');
  assertError(await request('POST', '/api/v1/session', { body: '{"username":', contentType: 'application/json' }),
    400, 'bad_request');
  assertError(await request('POST', '/api/v1/session',
    { body: JSON.stringify({ username: 'admin', password: password('admin') }), contentType: 'text/plain' }), 415);
});

test('GET /session returns the login body', async () => {
  const c = await login('viewer');
  const r = await c.get('/api/v1/session');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.user, c.body.user);
  assert.equal(r.json.csrf_token, c.csrf);
  assert.equal(r.json.must_change_password, false);
});

test('the session says what the caller may call, from the route table', async () => {
  const viewer = await login('viewer');
  const can = new Set((await viewer.get('/api/v1/session')).json.can);
  assert.ok(can.has('GET /api/v1/workers'), 'a viewer reads the roster');
  assert.ok(!can.has('POST /api/v1/workers'), 'a viewer registers nobody');
  assert.ok(can.has('GET /api/v1/plans'));
  assert.ok(!can.has('GET /api/v1/users'), 'accounts are the security admin\'s');
  assert.ok(can.has('GET /api/v1/session'), 'routes open to anyone logged in are listed');
  const secCan = new Set(sec.body.can);
  assert.ok(secCan.has('GET /api/v1/users') && secCan.has('POST /api/v1/users'));
  assert.ok(!secCan.has('GET /api/v1/workers'), 'the security admin does not read the roster');
  // every entry is what the server then does: a listed read answers, an
  // unlisted one is refused for the role
  assert.equal((await viewer.get('/api/v1/workers?limit=1')).status, 200);
  assertError(await sec.get('/api/v1/workers?limit=1'), 403, 'forbidden');
});

test('no session → 401 on reads and writes', async () => {
  assertError(await request('GET', '/api/v1/session'), 401, 'unauthenticated');
  assertError(await request('GET', '/api/v1/orgs'), 401, 'unauthenticated');
  assertError(await request('POST', '/api/v1/orgs', { body: { parent_id: 1, kind: 'district', name: 'x' } }),
    401, 'unauthenticated');
  assertError(await request('GET', '/api/v1/orgs', { cookie: 'changai_session=ca_forged000000000000000000000000000000000000' }),
    401, 'unauthenticated');
  assertError(await request('GET', '/api/v1/orgs', { cookie: 'changai_session=garbage' }), 401, 'unauthenticated');
});

test('logout ends the session; the old cookie then gets 401', async () => {
  const c = await login('viewer');
  assert.equal((await c.get('/api/v1/session')).status, 200);
  const old = c.token;
  const r = await c.del('/api/v1/session');
  assert.equal(r.status, 204, r.text);
  // the cookie is cleared
  const cleared = r.headers.getSetCookie().find((x) => x.startsWith('changai_session='));
  assert.ok(cleared && /max-age=0/i.test(cleared), `cookie cleared: ${cleared}`);
  const again = new Client({ username: 'viewer', token: old, csrf: c.csrf });
  assertError(await again.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await again.get('/api/v1/orgs'), 401, 'unauthenticated');
});

test('logout needs the CSRF token', async () => {
  const c = await login('viewer');
  assertError(await c.del('/api/v1/session', { csrf: false }), 403, 'forbidden');
  assert.equal((await c.get('/api/v1/session')).status, 200, 'still logged in');
});

test('writes without or with a wrong X-CSRF-Token → 403', async () => {
  const body = { parent_id: 1, kind: 'district', name: 'csrf-test-district' };
  assertError(await admin.post('/api/v1/orgs', body, { csrf: false }), 403, 'forbidden', 'X-CSRF-Token');
  assertError(await admin.post('/api/v1/orgs', body, { csrf: 'f'.repeat(64) }), 403, 'forbidden', 'X-CSRF-Token');
  // another session's token is wrong for this one
  const other = await login('admin');
  assertError(await admin.post('/api/v1/orgs', body, { csrf: other.csrf }), 403, 'forbidden', 'X-CSRF-Token');
  assertError(await admin.patch('/api/v1/settings', { due_soon_days: 30 }, { csrf: false }), 403, 'forbidden');
  // nothing was created
  const r = await admin.get(`/api/v1/orgs?under=1&q=${encodeURIComponent('csrf-test-district')}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 0);
  // reads need no CSRF token
  assert.equal((await admin.get('/api/v1/orgs?parent=1')).status, 200);
});

test('a foreign Origin on a write → 403; the own origin is accepted', async () => {
  const name = 'origin-' + Date.now();
  assertError(await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name },
    { headers: { Origin: 'https://evil.example.com' } }), 403, 'forbidden');
  assertError(await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name },
    { headers: { Origin: 'null' } }), 403, 'forbidden');
  // same host, other scheme prefix tricks
  const host = new URL(BASE).host;
  assertError(await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name },
    { headers: { Origin: `http://${host}.evil.example.com` } }), 403, 'forbidden');
  const ok = await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name },
    { headers: { Origin: BASE } });
  assert.equal(ok.status, 201, ok.text);
  // login from a foreign page is refused too (login CSRF)
  const r = await request('POST', '/api/v1/session', {
    body: { username: 'viewer', password: password('viewer') },
    headers: { Origin: 'https://evil.example.com' },
  });
  assertError(r, 403, 'forbidden');
  assert.equal(sessionCookieOf(r), null);
});

test('a write with a wrong Content-Type → 415', async () => {
  const json = JSON.stringify({ parent_id: 1, kind: 'district', name: 'ct-' + Date.now() });
  assertError(await admin.post('/api/v1/orgs', json, { contentType: 'text/plain' }), 415);
  assertError(await admin.post('/api/v1/orgs', json, { contentType: 'application/x-www-form-urlencoded' }), 415);
  assertError(await admin.post('/api/v1/orgs', json, { contentType: 'application/jsonp' }), 415);
  // no Content-Type at all (a Buffer body makes fetch send none)
  assertError(await admin.post('/api/v1/orgs', Buffer.from(json), { contentType: false }), 415);
  const ok = await admin.post('/api/v1/orgs', json, { contentType: 'application/json; charset=utf-8' });
  assert.equal(ok.status, 201, ok.text);
});

// Five wrong passwords from an address lock the account for that address.
async function lockFrom(u, address) {
  const statuses = [];
  for (let i = 0; i < 5; i++) {
    const r = address ? await tryLoginFrom(address, u.username, `Wrong#Pass${i}x`)
      : await tryLogin(u.username, `Wrong#Pass${i}x`);
    statuses.push(r.status);
  }
  return statuses;
}

test('lockout: 5 wrong passwords lock the account; wrong passwords still answer 401, the right one 423; the security admin unlocks it', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  // the lock never shows to someone without the password
  assert.deepEqual(await lockFrom(u), [401, 401, 401, 401, 401]);
  const wrong = await tryLogin(u.username, 'Wrong#Again1');
  const unknown = await tryLogin(`nobody${Date.now()}`, 'Wrong#Again1');
  assertError(wrong, 401, 'unauthenticated');
  assert.equal(wrong.text, unknown.text, 'a locked account answers a wrong password as an unknown name does');
  // the owner, with the right password, learns of the lock
  const right = await tryLogin(u.username, u.password);
  assertError(right, 423, 'locked');
  assert.equal(sessionCookieOf(right), null);

  // the security admin sees the lock and clears it
  let g = await sec.get(`/api/v1/users/${u.id}`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.locked, true);
  const p = await sec.patch(`/api/v1/users/${u.id}`, { locked: false });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.locked, false);
  const ok = await tryLogin(u.username, u.password);
  assert.equal(ok.status, 200, ok.text);
  // the count restarted: one wrong password does not lock again
  assertError(await tryLogin(u.username, 'Wrong#Again1'), 401, 'unauthenticated');
  assert.equal((await tryLogin(u.username, u.password)).status, 200);
});

test('lockout is per address: a stranger elsewhere cannot lock the owner out', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  assert.deepEqual(await lockFrom(u, '127.0.0.2'), [401, 401, 401, 401, 401]);
  assertError(await tryLoginFrom('127.0.0.2', u.username, u.password), 423, 'locked');
  // the owner, from its own address, logs in
  const own = await tryLogin(u.username, u.password);
  assert.equal(own.status, 200, own.text);
  assert.equal((await tryLoginFrom('127.0.0.3', u.username, u.password)).status, 200);
  // and its success does not unlock the stranger's address
  assertError(await tryLoginFrom('127.0.0.2', u.username, u.password), 423, 'locked');
  // the demo's city admin too: locked from 127.0.0.4, free from here
  const admin4 = await lockFrom({ username: 'admin' }, '127.0.0.4');
  assert.deepEqual(admin4, [401, 401, 401, 401, 401]);
  assert.equal((await tryLogin('admin', password('admin'))).status, 200);
  const a = await login('auditor');
  const trail = await a.get('/api/v1/audit?action=session.login&limit=50');
  assert.ok(trail.json.items.some((e) => e.ip === '127.0.0.4' && e.summary.reason === 'wrong password; locked from this address'),
    'the lock is on the trail with its address');
  sql(`DELETE FROM login_failures WHERE ip = '127.0.0.4'`);
});

test('lockout grows: each further lock of an address lasts twice as long', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const minutes = (await sec.get('/api/v1/settings')).json.values.lockout_minutes;
  await lockFrom(u, '127.0.0.5');
  const first = sql(`SELECT locked_until - last FROM login_failures WHERE user_id = ${u.id} AND ip = '127.0.0.5'`);
  assert.equal(Number(first), minutes * 60);
  // five more wrong passwords while locked lock it again, for twice as long
  await lockFrom(u, '127.0.0.5');
  const second = sql(`SELECT locked_until - last FROM login_failures WHERE user_id = ${u.id} AND ip = '127.0.0.5'`);
  assert.equal(Number(second), minutes * 120);
  await lockFrom(u, '127.0.0.5');
  const third = sql(`SELECT locked_until - last FROM login_failures WHERE user_id = ${u.id} AND ip = '127.0.0.5'`);
  assert.equal(Number(third), minutes * 240);
});

test('lockout counts concurrent wrong passwords too', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const rs = await Promise.all(Array.from({ length: 5 }, (_, i) => tryLogin(u.username, `Wrong#Par${i}x`)));
  for (const r of rs) assert.equal(r.status, 401);
  assertError(await tryLogin(u.username, u.password), 423, 'locked');
  assert.equal((await sec.patch(`/api/v1/users/${u.id}`, { locked: false })).status, 200);
});

test('a disabled account answers a wrong password with 401, the right one with 423', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  assert.equal((await sec.patch(`/api/v1/users/${u.id}`, { disabled: true })).status, 200);
  const wrong = await tryLogin(u.username, 'Wrong#Again1');
  assertError(wrong, 401, 'unauthenticated');
  assertError(await tryLogin(u.username, u.password), 423, 'locked');
});

test('wrong current passwords in a password change count as failed logins; at the lock the session ends', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const c = await login(u.username, u.password);
  for (let i = 0; i < 4; i++)
    assertError(await c.post('/api/v1/session/password', { old_password: `Wrong#Old${i}x`, new_password: strongPassword() }),
      422, 'validation_failed', 'old_password');
  assert.equal((await c.get('/api/v1/session')).status, 200);
  assertError(await c.post('/api/v1/session/password', { old_password: 'Wrong#Old9x', new_password: strongPassword() }),
    422, 'validation_failed', 'old_password');
  assertError(await c.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await tryLogin(u.username, u.password), 423, 'locked');
});

test('sessions per user are capped: the oldest ends first', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const cap = (await sec.get('/api/v1/settings')).json.values.sessions_per_user;
  const clients = [];
  for (let i = 0; i < cap + 1; i++) clients.push(await login(u.username, u.password));
  assertError(await clients[0].get('/api/v1/session'), 401, 'unauthenticated');
  for (const c of clients.slice(1)) assert.equal((await c.get('/api/v1/session')).status, 200);
  assert.equal(Number(sql(`SELECT count(*) FROM sessions WHERE user_id = ${u.id}`)), cap);
});

test('个人中心: a user lists its own sessions only and ends one elsewhere', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const here = await login(u.username, u.password);
  const there = await login(u.username, u.password);
  const mine = await here.get('/api/v1/session/sessions');
  assert.equal(mine.status, 200, mine.text);
  // these two, and the one that changed the first password
  assert.ok(mine.json.items.length >= 2, mine.text);
  assert.ok(mine.json.items.every((s) => s.user_id === u.id), 'only its own');
  assert.equal(mine.json.items.filter((s) => s.current).length, 1);
  assert.ok(mine.json.items.every((s) => typeof s.user_agent === 'string' && s.ip));
  const others = mine.json.items.filter((s) => !s.current);
  // another user's session is not found, not ended
  const adminSessions = (await admin.get('/api/v1/session/sessions')).json.items;
  assert.ok(adminSessions.length >= 1 && adminSessions.every((s) => s.username === 'admin'));
  assertError(await here.del(`/api/v1/session/sessions/${adminSessions[0].id}`), 404, 'not_found');
  assert.equal((await admin.get('/api/v1/session')).status, 200);
  for (const o of others) {
    const end = await here.del(`/api/v1/session/sessions/${o.id}`);
    assert.equal(end.status, 204, end.text);
  }
  assert.equal((await here.get('/api/v1/session/sessions')).json.items.length, 1);
  assertError(await there.get('/api/v1/session'), 401, 'unauthenticated');
  assert.equal((await here.get('/api/v1/session')).status, 200, 'the current session goes on');
  assertError(await request('GET', '/api/v1/session/sessions'), 401, 'unauthenticated');
});

test('lockout is not unlocked by someone who is not a security admin', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  assertError(await admin.patch(`/api/v1/users/${u.id}`, { locked: false }), 403, 'forbidden');
});

test('idle timeout: a session unused for more than 30 minutes gets 401', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const c = u.client;
  assert.equal((await c.get('/api/v1/session')).status, 200);
  const other = await login(u.username, u.password);
  sql(`UPDATE sessions SET last_seen = last_seen - 4000 WHERE user_id = ${u.id}`);
  assertError(await c.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await other.get('/api/v1/orgs'), 401, 'unauthenticated');
  // a new login works
  const again = await login(u.username, u.password);
  assert.equal((await again.get('/api/v1/session')).status, 200);
});

test('a session past session_max_hours gets 401', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  assert.equal((await u.client.get('/api/v1/session')).status, 200);
  sql(`UPDATE sessions SET expires = created - 1 WHERE user_id = ${u.id}`);
  assertError(await u.client.get('/api/v1/session'), 401, 'unauthenticated');
});

test('an expired password (older than password_expiry_days) must be changed', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  sql(`UPDATE users SET pw_changed = pw_changed - ${91 * 86400} WHERE id = ${u.id}`);
  const c = await login(u.username, u.password);
  assert.equal(c.body.must_change_password, true);
  assertError(await c.get('/api/v1/orgs'), 403, 'password_change_required');
  const np = strongPassword();
  assert.equal((await c.post('/api/v1/session/password', { old_password: u.password, new_password: np })).status, 204);
  await c.refresh();
  assert.equal(c.body.must_change_password, false);
  assert.equal((await c.get('/api/v1/orgs')).status, 200);
});

test('a session used within the idle time stays valid', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  sql(`UPDATE sessions SET last_seen = last_seen - 1200 WHERE user_id = ${u.id}`);
  assert.equal((await u.client.get('/api/v1/session')).status, 200);
});

test('password change: a user created by the security admin must change its password', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1, keepTemporary: true });
  const first = await login(u.username, u.password);
  assert.equal(first.body.must_change_password, true);
  const second = await login(u.username, u.password);

  // every other endpoint answers 403 password_change_required
  assertError(await first.get('/api/v1/orgs'), 403, 'password_change_required');
  assertError(await first.get('/api/v1/orgs/1'), 403, 'password_change_required');
  assertError(await first.get('/api/v1/settings'), 403, 'password_change_required');
  assertError(await first.get('/api/v1/tokens'), 403, 'password_change_required');
  assertError(await first.post('/api/v1/tokens', { name: 'x' }), 403, 'password_change_required');
  // GET /session still answers, with the flag
  const s = await first.get('/api/v1/session');
  assert.equal(s.status, 200);
  assert.equal(s.json.must_change_password, true);

  // weak new password → 422 naming new_password
  for (const weak of ['short1A', 'alllowercaseletters', 'abcdefgh1', `Xx1#${u.username}`]) {
    assertError(await first.post('/api/v1/session/password', { old_password: u.password, new_password: weak }),
      422, 'validation_failed', 'new_password');
  }
  // the same password again is refused
  assertError(await first.post('/api/v1/session/password', { old_password: u.password, new_password: u.password }),
    422, 'validation_failed', 'new_password');
  const np = strongPassword();
  // wrong old password → 422 naming old_password
  assertError(await first.post('/api/v1/session/password', { old_password: 'Not#The0ld1', new_password: np }),
    422, 'validation_failed', 'old_password');
  // missing CSRF → 403
  assertError(await first.post('/api/v1/session/password', { old_password: u.password, new_password: np }, { csrf: false }),
    403, 'forbidden');
  // unknown field → 400
  assertError(await first.post('/api/v1/session/password', { old_password: u.password, new_password: np, confirm: np }),
    400, 'bad_request', 'confirm');

  const oldToken = first.token;
  const ok = await first.post('/api/v1/session/password', { old_password: u.password, new_password: np });
  assert.equal(ok.status, 204, ok.text);
  const fresh = sessionCookieOf(ok);
  assert.ok(fresh, 'a fresh session cookie');
  assert.notEqual(fresh, oldToken);

  // the other sessions of that user are gone
  assertError(await second.get('/api/v1/session'), 401, 'unauthenticated');
  const oldClient = new Client({ username: u.username, token: oldToken, csrf: first.csrf });
  assertError(await oldClient.get('/api/v1/session'), 401, 'unauthenticated');

  // the new cookie works, with a new CSRF token, and the flag is gone
  const s2 = await first.refresh();
  assert.equal(s2.json.must_change_password, false);
  assert.equal((await first.get('/api/v1/orgs')).status, 200);
  const t = await first.post('/api/v1/tokens', { name: 'after-change' });
  assert.equal(t.status, 201, t.text);

  // the old password no longer logs in; the new one does
  assertError(await tryLogin(u.username, u.password), 401, 'unauthenticated');
  const relog = await login(u.username, np);
  assert.equal(relog.body.must_change_password, false);
});

test('password change by a normal user ends its other sessions', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const a = await login(u.username, u.password);
  const b = await login(u.username, u.password);
  const np = strongPassword();
  assert.equal((await a.post('/api/v1/session/password', { old_password: u.password, new_password: np })).status, 204);
  assertError(await b.get('/api/v1/orgs'), 401, 'unauthenticated');
  assertError(await u.client.get('/api/v1/orgs'), 401, 'unauthenticated');
  await a.refresh();
  assert.equal((await a.get('/api/v1/orgs')).status, 200);
});

test('password change: the last 5 own passwords cannot come back; common ones are refused', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  const c = u.client;
  const used = [u.password];
  let cur = u.password;
  for (let i = 0; i < 5; i++) {
    const np = strongPassword();
    const r = await c.post('/api/v1/session/password', { old_password: cur, new_password: np });
    assert.equal(r.status, 204, r.text);
    await c.refresh();
    used.push(np);
    cur = np;
  }
  // the five latest (the current one among them) are refused, the first now forgotten
  for (const old of used.slice(1, 5)) {
    const r = await c.post('/api/v1/session/password', { old_password: cur, new_password: old });
    assertError(r, 422, 'validation_failed', 'new_password');
    assert.match(r.json.error.message_zh, /最近使用过/);
  }
  for (const weak of ['Password1!', 'P@ssw0rd2026', 'Qwerty12345', 'Aa1!Aa1!Aa1!', 'Woaini1314!']) {
    const r = await c.post('/api/v1/session/password', { old_password: cur, new_password: weak });
    assertError(r, 422, 'validation_failed', 'new_password');
    assert.match(r.json.error.message, /common/, weak);
    assert.match(r.json.error.message_zh, /常见/, weak);
  }
  assertError(await c.post('/api/v1/session/password', { old_password: cur, new_password: 'Tiger#7lil' .slice(0, 9) }),
    422, 'validation_failed', 'new_password');
  const back = await c.post('/api/v1/session/password', { old_password: cur, new_password: used[0] });
  assert.equal(back.status, 204, back.text);
});

test('a common password is refused at account creation too', async () => {
  const r = await sec.post('/api/v1/users', { username: `weak${Date.now()}`.slice(0, 30), name: '弱口令', password: 'Password1!' });
  assertError(r, 422, 'validation_failed', 'password');
});

test('a password reset by the security admin forces a change again', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: 1 });
  // nobody chooses another's password: the server makes a one-time one
  assertError(await sec.patch(`/api/v1/users/${u.id}`, { password: strongPassword() }), 400, 'bad_request', 'password');
  const r = await sec.patch(`/api/v1/users/${u.id}`, { reset_password: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.must_change_password, true);
  const temp = r.json.one_time_password;
  assert.match(temp, /^[A-Za-z2-9#%+=@]{12}$/);
  assert.equal((await sec.get(`/api/v1/users/${u.id}`)).json.one_time_password, undefined, 'shown once');
  // the reset ended the user's sessions
  assertError(await u.client.get('/api/v1/session'), 401, 'unauthenticated');
  const c = await login(u.username, temp);
  assert.equal(c.body.must_change_password, true);
  assertError(await c.get('/api/v1/orgs'), 403, 'password_change_required');
});
