// Concurrent edits of one worker: 200 PATCHes, 24 at a time, half changing the
// skill level, half the occupation. Every change starts from the row inside
// its write transaction, so none undoes another: the audit trail, in commit
// order, holds each field's changes as an unbroken chain (every "from" is
// the previous "to"), every acknowledged occupation appears once, the row
// ends at the last "to", and `changai check` finds the rollups equal to the
// rows. On both stores (PostgreSQL locks the row for the change).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { login, orgId, createOrg, randomUscc, sql, createUser } from './lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNo() {
  const f17 = `330206198807${String(randomInt(10, 28))}${String(randomInt(0, 500) * 2 + 1).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(f17[i]) * W[i];
  return f17 + '10X98765432'[s % 11];
}

// Runs the calls with `width` of them in flight at any time: the server
// lets one address hold at most 64 connections.
async function inFlight(calls, width = 24) {
  const out = new Array(calls.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < calls.length) {
      const i = next++;
      out[i] = await calls[i]();
    }
  }));
  return out;
}

let yj, worker;
before(async () => {
  yj = await login('yongjiang');
  const jb = await login('jiangbei');
  const yjId = await orgId(jb, '甬江街道');
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `并发测试${randomInt(1e9)}`, uscc: randomUscc() })).id;
  const r = await yj.post('/api/v1/workers', { org_id: ent, name: '并发测试', id_no: idNo(), skill_level: 2, occupation: '起始工种' });
  assert.equal(r.status, 201, r.text);
  worker = r.json;
});

test('200 simultaneous edits of one worker: none lost, the figures stay true', async () => {
  const N = 200;
  const sent = [];
  for (let i = 0; i < N; i++)
    sent.push(i % 2 ? { occupation: `工种${i}` } : { skill_level: 1 + ((i / 2) % 8) });
  const answers = await inFlight(sent.map((b) => () => yj.patch(`/api/v1/workers/${worker.id}`, b)));
  for (const a of answers) assert.equal(a.status, 200, a.text);

  const rows = sql(`SELECT summary FROM audit WHERE target = 'worker:${worker.id}' AND action = 'worker.update' ORDER BY id`)
    .split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const final = (await yj.get(`/api/v1/workers/${worker.id}`)).json;
  for (const [field, start] of [['skill_level', 2], ['occupation', '起始工种']]) {
    let at = start;
    for (const s of rows) {
      if (!s[field]) continue;
      assert.deepEqual(s[field].from, at, `${field}: a change started from a value another had replaced`);
      at = s[field].to;
    }
    assert.deepEqual(final[field], at, `${field}: the row ends where its last change left it`);
  }
  // every occupation sent was acknowledged, and each is in the trail once
  const occupations = rows.filter((s) => s.occupation).map((s) => s.occupation.to).sort();
  assert.deepEqual(occupations, sent.filter((b) => b.occupation).map((b) => b.occupation).sort());
  const out = execFileSync(process.env.CHANGAI_BIN, ['check', '--db', process.env.CHANGAI_DB],
    { encoding: 'utf8', timeout: 120000 });
  assert.match(out, /^rollups: 0 differences/m);
  assert.match(out, /^cards: 0 /m);
});

test('an edit\'s audit row says what changed, the phone masked', async () => {
  const r = await yj.patch(`/api/v1/workers/${worker.id}`, { phone: '13912345678', name: '并发改名' });
  assert.equal(r.status, 200, r.text);
  const s = JSON.parse(sql(`SELECT summary FROM audit WHERE target = 'worker:${worker.id}' ORDER BY id DESC LIMIT 1`));
  assert.deepEqual(s.phone, { from: '', to: '139****5678' });
  assert.deepEqual(s.name, { from: '并*', to: '并*' });
  assert.ok(!JSON.stringify(s).includes('13912345678'));
});

// The same for organisations and accounts: two edits of different fields of
// one row sent at once both stay (before, each wrote the whole row from a
// copy read outside its transaction, and on PostgreSQL one undid the other).
test('simultaneous edits of different fields of one org or one account: both stay', async () => {
  const jb = await login('jiangbei');
  const yjId = await orgId(jb, '甬江街道');
  const orgs = [];
  for (let i = 0; i < 30; i++)
    orgs.push((await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `并发单位${randomInt(1e9)}`, uscc: randomUscc() })).id);
  const a = await inFlight(orgs.flatMap((id, i) => [
    () => yj.patch(`/api/v1/orgs/${id}`, { employees: 100 + i }),
    () => yj.patch(`/api/v1/orgs/${id}`, { has_union: true }),
  ]));
  for (const r of a) assert.equal(r.status, 200, r.text);
  for (const [i, id] of orgs.entries()) {
    const o = (await yj.get(`/api/v1/orgs/${id}`)).json;
    assert.equal(o.employees, 100 + i, `org ${id}: employees lost`);
    assert.equal(o.has_union, true, `org ${id}: has_union lost`);
  }
  const sec = await login('secadmin');
  const users = [];
  for (let i = 0; i < 20; i++) users.push((await createUser(sec, { keepTemporary: true })).id);
  const b = await inFlight(users.flatMap((id, i) => [
    () => sec.patch(`/api/v1/users/${id}`, { name: `并发用户${i}` }),
    () => sec.patch(`/api/v1/users/${id}`, { disabled: true }),
  ]));
  for (const r of b) assert.equal(r.status, 200, r.text);
  for (const [i, id] of users.entries()) {
    const u = (await sec.get(`/api/v1/users/${id}`)).json;
    assert.equal(u.name, `并发用户${i}`, `user ${id}: name lost`);
    assert.equal(u.disabled, true, `user ${id}: disabled lost`);
  }
});
