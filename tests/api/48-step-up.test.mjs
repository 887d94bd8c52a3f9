// Personal data in full needs more than the pii permission: a person in a
// session who proved itself again within step_up_minutes, a purpose (kept
// in the audit record), and a daily cap on the records shown; an unmasked
// export carries a watermark of who, when and why.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, orgId, assertError, sql, bearerClient, tryLogin, password } from './lib.mjs';

const PURPOSE = encodeURIComponent('核对职工身份');
let yj, sec, auditor, yjId;

before(async () => {
  yj = await login('yongjiang');
  sec = await login('secadmin');
  auditor = await login('auditor');
  yjId = await orgId(await login('jiangbei'), '甬江街道');
});

test('an API token never unmasks; a session does after a step-up, for step_up_minutes', async () => {
  const t = await yj.post('/api/v1/tokens', { name: 'step-up' });
  assert.equal(t.status, 201, t.text);
  const b = bearerClient(t.json.token);
  assertError(await b.get(`/api/v1/workers?org=${yjId}&unmask=1&purpose=${PURPOSE}`), 403, 'step_up_required');
  assertError(await b.post('/api/v1/session/step-up', { password: password('yongjiang') }), 403, 'forbidden');
  // masked reads need nothing more
  assert.equal((await b.get(`/api/v1/workers?org=${yjId}`)).status, 200);

  const c = await login('yongjiang');
  assertError(await c.get(`/api/v1/workers?org=${yjId}&limit=5&unmask=1&purpose=${PURPOSE}`), 403, 'step_up_required');
  const s = await c.stepUp();
  assert.ok(Date.parse(s.json.until) > 0);
  const r = await c.get(`/api/v1/workers?org=${yjId}&limit=5&unmask=1&purpose=${PURPOSE}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((w) => /^\d{17}[\dX]$/.test(w.id_no)), 'full ID numbers');
  // step_up_minutes later it asks again
  const minutes = (await sec.get('/api/v1/settings')).json.values.step_up_minutes;
  sql(`UPDATE sessions SET stepped_up = stepped_up - ${minutes * 60 + 1} WHERE user_id = ${c.user.id} AND stepped_up > 0`);
  assertError(await c.get(`/api/v1/workers?org=${yjId}&limit=5&unmask=1&purpose=${PURPOSE}`), 403, 'step_up_required');
  const trail = (await auditor.get('/api/v1/audit?action=session.step_up&actor=yongjiang')).json.items;
  assert.ok(trail.some((e) => e.result === 'ok'), 'the step-up is audited');
});

test('a wrong password at the step-up counts as a failed login; at the lock the session ends', async () => {
  const c = await login('zhuangqiao');
  for (let i = 0; i < 4; i++)
    assertError(await c.post('/api/v1/session/step-up', { password: `Wrong#Step${i}x` }), 422, 'validation_failed', 'password');
  assert.equal((await c.get('/api/v1/session')).status, 200);
  assertError(await c.post('/api/v1/session/step-up', { password: 'Wrong#Step9x' }), 422, 'validation_failed', 'password');
  assertError(await c.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await tryLogin('zhuangqiao', password('zhuangqiao')), 423, 'locked');
  sql("DELETE FROM login_failures WHERE user_id = (SELECT id FROM users WHERE username = 'zhuangqiao')");
});

test('a daily cap on records shown unmasked (unmask_rows_per_day, the security admin’s)', async () => {
  const before = (await sec.get('/api/v1/settings')).json.values.unmask_rows_per_day;
  const c = await login('yongjiang');
  await c.stepUp();
  sql(`DELETE FROM unmask_ledger WHERE user_id = ${c.user.id}`);
  assert.equal((await sec.patch('/api/v1/settings', { unmask_rows_per_day: 3 })).status, 200);
  try {
    const list = await c.get(`/api/v1/workers?org=${yjId}&limit=2&unmask=1&purpose=${PURPOSE}`);
    assert.equal(list.status, 200, list.text);
    const id = list.json.items[0].id;
    assert.equal((await c.get(`/api/v1/workers/${id}?unmask=1&purpose=${PURPOSE}`)).status, 200);
    const over = await c.get(`/api/v1/workers/${id}?unmask=1&purpose=${PURPOSE}`);
    assertError(over, 403, 'unmask_limit');
    assert.match(over.json.error.message_zh, /上限/);
    // masked reads go on
    assert.equal((await c.get(`/api/v1/workers/${id}`)).status, 200);
  } finally {
    assert.equal((await sec.patch('/api/v1/settings', { unmask_rows_per_day: before })).status, 200);
  }
});

test('an unmasked export says who, when and why on every page and in its properties', async () => {
  const c = await login('yongjiang');
  await c.stepUp();
  sql(`DELETE FROM unmask_ledger WHERE user_id = ${c.user.id}`);
  const url = `${process.env.CHANGAI_URL}/api/v1/exports/workers.xlsx?org=${yjId}&unmask=1&purpose=${PURPOSE}`;
  const res = await fetch(url, { headers: { Cookie: c.cookie } });
  assert.equal(res.status, 200);
  const dir = mkdtempSync(join(tmpdir(), 'caxlsx-'));
  try {
    const f = join(dir, 'x.xlsx');
    writeFileSync(f, Buffer.from(await res.arrayBuffer()));
    const core = execFileSync('unzip', ['-p', f, 'docProps/core.xml'], { encoding: 'utf8' });
    assert.match(core, /yongjiang/);
    assert.match(core, /核对职工身份/);
    const sheet = execFileSync('unzip', ['-p', f, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.match(sheet, /<oddHeader>[^<]*含个人敏感信息[^<]*yongjiang[^<]*核对职工身份/);
    assert.match(sheet, /<oddFooter>[^<]*含个人敏感信息/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const a = (await auditor.get('/api/v1/audit?action=workers.export_pii&actor=yongjiang&limit=1')).json.items[0];
  assert.equal(a.summary.purpose, '核对职工身份');
  // without a purpose: refused
  const np = await fetch(url.replace(`&purpose=${PURPOSE}`, ''), { headers: { Cookie: c.cookie } });
  assert.equal(np.status, 422);
});
