// Runs LAST: it breaks the audit chain on purpose, directly in the store,
// and checks that both `changai audit verify` and GET /audit/verify name
// the changed row.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { login, sql, STORE, DB, BIN, createOrg, uniq, SERVER_PID } from './lib.mjs';

let admin, auditor;

before(async () => {
  admin = await login('admin');
  auditor = await login('auditor');
});

function cli(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 30000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('before tampering: the chain is intact (API and CLI)', async () => {
  const r = await auditor.get('/api/v1/audit/verify');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.intact, true, r.text);
  const c = cli('audit', 'verify', '--db', DB);
  assert.equal(c.status, 0, c.out);
  assert.match(c.out, /intact/);
});

test('the store itself refuses to change or delete audit rows', async () => {
  assert.throws(() => sql("UPDATE audit SET summary = '{}' WHERE id = 1"), 'UPDATE refused by the trigger');
  assert.throws(() => sql('DELETE FROM audit WHERE id = 1'), 'DELETE refused by the trigger');
});

test('tampering with one row is detected and the row named', async () => {
  // a row in the middle of the trail: the creation of a fresh org
  const d = await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('篡改区') });
  await createOrg(admin, { parent_id: d.id, kind: 'street', name: uniq('篡改后街道') });
  const list = await auditor.get('/api/v1/audit?action=org.create&actor=admin&limit=20');
  const row = list.json.items.find((e) => e.target === `org:${d.id}`);
  assert.ok(row, 'the org.create entry');
  const n = row.id;
  const newest = (await auditor.get('/api/v1/audit?limit=1')).json.items[0].id;
  assert.ok(n < newest, 'the changed row is not the last one');

  if (STORE === 'postgres') {
    sql(`ALTER TABLE audit DISABLE TRIGGER audit_no_change; UPDATE audit SET summary = '{"tampered":1}' WHERE id = ${n};`);
  } else {
    sql(`DROP TRIGGER audit_no_update; UPDATE audit SET summary = '{"tampered":1}' WHERE id = ${n};`);
  }
  assert.equal(sql(`SELECT summary FROM audit WHERE id = ${n}`), '{"tampered":1}');

  const c = cli('audit', 'verify', '--db', DB);
  assert.equal(c.status, 1, `changai audit verify exits 1: ${c.out}`);
  assert.match(c.out, new RegExp(`\\brow ${n}\\b`), `names row ${n}: ${c.out}`);

  const r = await auditor.get('/api/v1/audit/verify');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.intact, false, r.text);
  assert.equal(r.json.broken_row, n, r.text);
  assert.equal(typeof r.json.reason, 'string');

  const chk = cli('check', '--db', DB);
  assert.equal(chk.status, 1, `changai check exits 1: ${chk.out}`);
  assert.match(chk.out, new RegExp(`row ${n}\\b`));

  // the trail still reads, showing the changed summary
  const again = await auditor.get(`/api/v1/audit?action=org.create&actor=admin&limit=20`);
  assert.equal(again.status, 200);
  assert.deepEqual(again.json.items.find((e) => e.id === n).summary, { tampered: 1 });
});

test('the server is still running', () => {
  if (SERVER_PID) assert.doesNotThrow(() => process.kill(SERVER_PID, 0));
});

test('a sealed statement edited in the store is never served as sealed; check names it', async () => {
  const [id, plan] = sql('SELECT id, plan_id FROM plan_statements ORDER BY id LIMIT 1').trim().split('|').map(Number);
  assert.ok(id && plan, 'the demo has sealed statements');
  const before = await admin.get(`/api/v1/plans/${plan}/statements/${id}`);
  assert.equal(before.status, 200, before.text);
  const c0 = cli('check', '--db', DB);
  assert.match(c0.out, /^seals: \d+ sealed statements, 0 differ from their seals$/m);
  sql(STORE === 'postgres' ? 'DROP TRIGGER plan_statements_no_change ON plan_statements'
    : 'DROP TRIGGER plan_statements_no_update');
  // an edit that keeps the JSON valid: a space at the end
  sql(`UPDATE plan_statements SET content = content || ' ' WHERE id = ${id}`);
  const after = await admin.get(`/api/v1/plans/${plan}/statements/${id}`);
  assert.equal(after.status, 500, after.text);
  assert.equal(after.json.error.code, 'integrity_failed');
  assert.match(after.json.error.message_zh, /篡改/);
  const c = cli('check', '--db', DB);
  assert.equal(c.status, 1, c.out);
  assert.match(c.out, new RegExp(`statement ${id} of plan ${plan}: its content does not match its seal`));
});
