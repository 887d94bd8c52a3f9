// The per-address login throttle: lowered for this test, restored after.
// 00-setup raised it for the rest of the suite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login, tryLogin, password, assertError, sessionCookieOf, request } from './lib.mjs';

let sec, auditor, saved;

before(async () => {
  sec = await login('secadmin');
  auditor = await login('auditor');
  saved = (await sec.get('/api/v1/settings')).json.values.login_ip_per_minute;
});

after(async () => {
  const r = await sec.patch('/api/v1/settings', { login_ip_per_minute: Math.max(saved, 10000) });
  assert.equal(r.status, 200, r.text);
});

test('throttle: too many logins from one address → 429 with Retry-After', async () => {
  const r = await sec.patch('/api/v1/settings', { login_ip_per_minute: 5 });
  assert.equal(r.status, 200, r.text);
  const ghost = `throttle${Date.now()}`;
  let limited = null;
  const statuses = [];
  // at most 5 (+1) per window; the window may roll over once meanwhile
  for (let i = 0; i < 14; i++) {
    const t = await tryLogin(ghost, 'Wrong#Pass1');
    statuses.push(t.status);
    if (t.status === 429) {
      limited = t;
      break;
    }
    assert.equal(t.status, 401, t.text);
  }
  assert.ok(limited, `429 within the limit plus one: ${statuses}`);
  assertError(limited, 429, 'rate_limited');
  const ra = limited.headers.get('retry-after');
  assert.ok(ra && /^\d+$/.test(ra) && Number(ra) > 0 && Number(ra) <= 3600, `Retry-After: ${ra}`);

  // the right password is throttled too, and no cookie is set
  const right = await tryLogin('viewer', password('viewer'));
  assertError(right, 429, 'rate_limited');
  assert.equal(sessionCookieOf(right), null);
  // a forwarded-for header does not buy a new address
  const spoof = await request('POST', '/api/v1/session', {
    body: { username: 'viewer', password: password('viewer') },
    headers: { 'X-Forwarded-For': '10.9.8.7', 'X-Real-IP': '10.9.8.7' },
  });
  assertError(spoof, 429, 'rate_limited');
  // sessions already open keep working
  assert.equal((await sec.get('/api/v1/users?limit=1')).status, 200);
  // the throttled attempt is on the trail
  const a = await auditor.get('/api/v1/audit?action=session.login&limit=20');
  assert.ok(a.json.items.some((e) => e.result === 'throttled'), 'a throttled login is recorded');
});

test('raising the limit again lets logins through', async () => {
  const r = await sec.patch('/api/v1/settings', { login_ip_per_minute: 10000 });
  assert.equal(r.status, 200, r.text);
  const ok = await tryLogin('viewer', password('viewer'));
  assert.equal(ok.status, 200, ok.text);
});
