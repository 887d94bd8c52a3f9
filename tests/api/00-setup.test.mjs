// Runs first: every test comes from 127.0.0.1, so the per-address login
// throttle (30/minute by default) is raised for the suite. The throttle
// itself is tested in 85-throttle.test.mjs, which lowers and restores it.
// The throttle is security policy: the security admin sets it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, request } from './lib.mjs';

test('the server is up', async () => {
  const r = await request('GET', '/healthz');
  assert.equal(r.status, 200);
});

test('raise login_ip_per_minute for the suite', async () => {
  const sec = await login('secadmin');
  const r = await sec.patch('/api/v1/settings', { login_ip_per_minute: 10000 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.values.login_ip_per_minute, 10000);
});
