// dates: this file runs at every date of tests/dates.txt
// The worker registry: records, masking, scope, history, statistics,
// imports (UTF-8 with BOM, GBK, bad rows, duplicates, re-import), exports.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import {
  login, orgId, createOrg, randomUscc, assertError, request, today, dayOffset, sql,
} from './lib.mjs';
import { xlsx, serial as xserial } from './xlsx.mjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// ---- resident ID numbers (GB 11643) ----
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idCheck(first17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i];
  return '10X98765432'[s % 11];
}
let serial = randomInt(0, 400);
// A fresh valid ID: born 1980-1994 (so 16 by 2011), odd sequence = male. Birth date
// and sequence both advance with serial, so IDs never repeat in a run
// (540 dates × 500 sequences before the pair comes round again).
function newId({ male = true, birth } = {}) {
  serial++;
  const b = birth || `19${80 + (serial % 15)}${String(1 + (serial % 12)).padStart(2, '0')}${String(1 + (serial % 27)).padStart(2, '0')}`;
  const seq = String((((serial % 500) * 2) + (male ? 1 : 0)) % 1000).padStart(3, '0');
  const f17 = `330205${b}${seq}`;
  return f17 + idCheck(f17);
}
function birthOf(id) {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}
function masked(id) {
  return `${id.slice(0, 3)}***********${id.slice(14)}`;
}
function gbk(text) {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
}

let yj, zq, jb, admin, auditor; // clients
let yjId, zqId, entA, entB, entZ; // orgs

async function waitJob(client, id) {
  for (let i = 0; i < 300; i++) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    if (r.json.state === 'done' || r.json.state === 'failed') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`job ${id} did not finish`);
}
async function importCsv(client, org, body, contentType = 'text/csv') {
  const r = await client.post(`/api/v1/imports/workers?org=${org}`, body, { contentType });
  return r;
}
async function createWorker(client, fields) {
  const r = await client.post('/api/v1/workers', fields);
  assert.equal(r.status, 201, `create worker: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  yj = await login('yongjiang');
  zq = await login('zhuangqiao');
  jb = await login('jiangbei');
  admin = await login('admin');
  auditor = await login('auditor');
  yjId = await orgId(jb, '甬江街道');
  zqId = await orgId(jb, '庄桥街道');
  // enterprises of our own so counts are exact
  entA = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `花名册测试甲${serial}${Date.now()}`, uscc: randomUscc() })).id;
  entB = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `花名册测试乙${serial}${Date.now()}`, uscc: randomUscc() })).id;
  entZ = (await createOrg(zq, { parent_id: zqId, kind: 'enterprise', name: `花名册测试丙${serial}${Date.now()}`, uscc: randomUscc() })).id;
});

// why personal data is shown in full: asked with every unmask=1
const PURPOSE = '核对入会资料';
const P = encodeURIComponent(PURPOSE);

test('a worker is registered with derived gender and birth date, masked by default', async () => {
  const id = newId({ male: false });
  const w = await createWorker(yj, { org_id: entA, name: '测试女工', id_no: id, phone: '13800138000', skill_level: 4, union_member: true, union_joined: '2015-03-01', hired: '2012-07-01', education: '30', political_status: '13' });
  assert.equal(w.gender, 'F');
  assert.equal(w.birth_date, birthOf(id));
  assert.equal(w.id_no, masked(id));
  assert.equal(w.phone, '138****8000');
  assert.equal(w.skill_level, 4);
  assert.equal(w.masked, true);
  assert.ok(!JSON.stringify(w).includes(id), 'no full ID in the response');
});

test('bad worker input names the field', async () => {
  const id = newId();
  const bad = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  assertError(await yj.post('/api/v1/workers', { org_id: entA, name: '张三', id_no: bad }), 422, 'validation_failed', 'id_no');
  assertError(await yj.post('/api/v1/workers', { org_id: entA, name: '张三', id_no: newId({ male: true }), gender: 'F' }), 422, 'validation_failed', 'gender');
  const feb31 = '33020519900231' + '123';
  assertError(await yj.post('/api/v1/workers', { org_id: entA, name: '张三', id_no: feb31 + idCheck(feb31) }), 422, 'validation_failed', 'id_no');
  const fut = `330205${dayOffset(400).replaceAll('-', '')}123`;
  assertError(await yj.post('/api/v1/workers', { org_id: entA, name: '张三', id_no: fut + idCheck(fut) }), 422, 'validation_failed', 'id_no');
  assertError(await yj.post('/api/v1/workers', { org_id: entA, name: '张三', id_no: newId(), skill_level: 9 }), 422, 'validation_failed', 'skill_level');
  assertError(await yj.post('/api/v1/workers', { org_id: entA, name: '张三', id_no: newId(), phone: '12345' }), 422, 'validation_failed', 'phone');
  assertError(await yj.post('/api/v1/workers', { org_id: entA, name: '张三', id_no: newId(), salary: 1 }), 400, 'bad_request', 'salary');
  assertError(await yj.post('/api/v1/workers', { org_id: entA, id_no: newId() }), 422, 'validation_failed', 'name');
});

test('one person, one record: a second registration is a conflict', async () => {
  // an ID ending in X, so the lower-case spelling below is always tried
  let id = newId();
  for (let i = 0; i < 1000 && !id.endsWith('X'); i++) id = newId();
  assert.ok(id.endsWith('X'));
  await createWorker(yj, { org_id: entA, name: '重复测试', id_no: id });
  assertError(await yj.post('/api/v1/workers', { org_id: entB, name: '重复测试', id_no: id }), 409, 'conflict', 'id_no');
  // lower-case x is the same number
  assertError(await yj.post('/api/v1/workers', { org_id: entB, name: '重复', id_no: id.slice(0, 17) + 'x' }), 409, 'conflict', 'id_no');
  // another street cannot learn where the person is
  const r = await zq.post('/api/v1/workers', { org_id: entZ, name: '重复测试', id_no: id });
  assertError(r, 409, 'conflict', 'id_no');
  assert.ok(!r.text.includes(String(entA)), 'no hint of the other organisation');
});

test('scope: another street sees none of it (404)', async () => {
  const w = await createWorker(yj, { org_id: entA, name: '范围测试', id_no: newId() });
  assertError(await zq.get(`/api/v1/workers/${w.id}`), 404, 'not_found');
  assertError(await zq.patch(`/api/v1/workers/${w.id}`, { skill_level: 3 }), 404, 'not_found');
  assertError(await zq.get(`/api/v1/workers/${w.id}/timeline`), 404, 'not_found');
  assertError(await zq.get(`/api/v1/workers?org=${yjId}`), 404, 'not_found');
  assertError(await zq.get(`/api/v1/exports/workers.xlsx?org=${yjId}`), 404, 'not_found');
  assertError(await zq.get(`/api/v1/stats/skills?org=${yjId}`), 404, 'not_found');
  assertError(await importCsv(zq, yjId, '\uFEFF姓名,身份证号\r\n张三,11010519491231002X\r\n'), 404, 'not_found');
  assertError(await zq.post(`/api/v1/workers/${w.id}/transfer`, { org_id: entZ }), 404, 'not_found');
  // zhuangqiao's own list has none of yongjiang's workers
  const own = await zq.get('/api/v1/workers?limit=500');
  assert.equal(own.status, 200);
  assert.ok(own.json.items.every((x) => x.id !== w.id));
  // the auditor and the security admin have no registry access at all
  assertError(await auditor.get('/api/v1/workers'), 403, 'forbidden');
});

test('unmasking needs the pii permission, a step-up and a purpose, and is audited', async () => {
  const id = newId();
  const w = await createWorker(yj, { org_id: entA, name: '脱敏测试', id_no: id, phone: '13912345678' });
  const m = await yj.get(`/api/v1/workers/${w.id}`);
  assert.equal(m.json.id_no, masked(id));
  // holding pii is not enough: the person proves itself again and says why
  assertError(await yj.get(`/api/v1/workers/${w.id}?unmask=1&purpose=${P}`), 403, 'step_up_required');
  await yj.stepUp();
  assertError(await yj.get(`/api/v1/workers/${w.id}?unmask=1`), 422, 'validation_failed', 'purpose');
  const u = await yj.get(`/api/v1/workers/${w.id}?unmask=1&purpose=${P}`);
  assert.equal(u.status, 200);
  assert.equal(u.json.id_no, id);
  assert.equal(u.json.phone, '13912345678');
  assert.equal(u.json.masked, false);
  // zhuangqiao has no pii: its own worker stays masked even when asked
  const zid = newId();
  const zw = await createWorker(zq, { org_id: entZ, name: '无权脱敏', id_no: zid });
  const z = await zq.get(`/api/v1/workers/${zw.id}?unmask=1&purpose=${P}`);
  assert.equal(z.json.id_no, masked(zid));
  const list = await zq.get(`/api/v1/workers?org=${entZ}&unmask=1&purpose=${P}`);
  assert.ok(!list.text.includes(zid));
  // a list unmasks too, for pii holders who ask, and only then
  const plain = await yj.get(`/api/v1/workers?org=${entA}&q=${encodeURIComponent('脱敏测试')}`);
  assert.equal(plain.json.items.find((x) => x.id === w.id).id_no, masked(id));
  const open = await yj.get(`/api/v1/workers?org=${entA}&q=${encodeURIComponent('脱敏测试')}&unmask=1&purpose=${P}`);
  const row = open.json.items.find((x) => x.id === w.id);
  assert.equal(row.id_no, id);
  assert.equal(row.phone, '13912345678');
  const a = await auditor.get(`/api/v1/audit?action=worker.read_pii&actor=yongjiang`);
  assert.equal(a.status, 200);
  assert.ok(a.json.items.some((e) => e.target === `worker:${w.id}`), 'unmasked read is on the trail');
  assert.ok(a.json.items.some((e) => e.target === `org:${entA}`), 'the unmasked list is on the trail');
  assert.ok(a.json.items.every((e) => e.summary.purpose === PURPOSE), 'each says why');
});

test('edits and transfers are history; statistics follow in the same transaction', async () => {
  const before = (await yj.get(`/api/v1/stats/skills?org=${entB}`)).json;
  const w = await createWorker(yj, { org_id: entA, name: '调动测试', id_no: newId(), skill_level: 3, union_member: false, hired: '2015-01-01' });
  let r = await yj.patch(`/api/v1/workers/${w.id}`, { skill_level: 5, union_member: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.skill_level, 5);
  r = await yj.post(`/api/v1/workers/${w.id}/transfer`, { org_id: entB, date: today() });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.org_id, entB);
  assertError(await yj.post(`/api/v1/workers/${w.id}/transfer`, { org_id: entB }), 422, 'validation_failed', 'org_id');
  assertError(await yj.post(`/api/v1/workers/${w.id}/transfer`, { org_id: entA, date: dayOffset(5) }), 422, 'validation_failed', 'date');
  const t = await yj.get(`/api/v1/workers/${w.id}/timeline`);
  assert.equal(t.status, 200);
  const kinds = t.json.items.map((e) => e.kind);
  assert.deepEqual(kinds.filter((k) => k !== 'edit').sort(), ['level', 'registered', 'transfer', 'union'].sort());
  const lvl = t.json.items.find((e) => e.kind === 'level');
  assert.equal(lvl.from, '3');
  assert.equal(lvl.to, '5');
  assert.equal(t.json.items.find((e) => e.kind === 'registered').date, '2015-01-01');
  // the orgs by name, not by path
  const names = await Promise.all([entA, entB].map(async (id) => (await yj.get(`/api/v1/orgs/${id}`)).json.name));
  assert.equal(t.json.items.find((e) => e.kind === 'registered').to_name, names[0]);
  const move = t.json.items.find((e) => e.kind === 'transfer');
  assert.deepEqual([move.from_name, move.to_name], names);
  assert.equal(lvl.to_name, null);
  const after = (await yj.get(`/api/v1/stats/skills?org=${entB}`)).json;
  assert.equal(after.workers, before.workers + 1);
  assert.equal(after.by_level['5'], before.by_level['5'] + 1);
  assert.equal(after.union_members, before.union_members + 1);
  assert.equal(after.high_skilled, before.high_skilled + 1);
});

test('a page number jump lands where walking the cursors does, for each order and a search', async () => {
  const jbOrg = (await createOrg(jb, { parent_id: yjId, kind: 'enterprise', name: `跳页测试企业${serial}${Date.now()}`, uscc: randomUscc() })).id
  for (let i = 0; i < 9; i++)
    await createWorker(jb, { org_id: jbOrg, name: `跳页测试${'丙甲乙'[i % 3]}${i}`, id_no: newId({ male: i % 2 === 0 }), skill_level: i % 4 })
  for (const extra of ['', '&sort=name', '&sort=level', '&q=跳页']) {
    const base = `/api/v1/workers?org=${jbOrg}&limit=2${extra}`
    // walk four pages by cursor
    const walked = []
    let after = null
    for (let i = 0; i < 4; i++) {
      const r = await jb.get(base + (after ? `&after=${encodeURIComponent(after)}` : ''))
      assert.equal(r.status, 200, r.text)
      walked.push(r.json)
      after = r.json.next
      assert.ok(after, `page ${i + 1} of ${extra || 'the default order'} has a next`)
    }
    for (const n of [1, 3, 4]) {
      const r = await jb.get(`${base}&page=${n}`)
      assert.equal(r.status, 200, r.text)
      assert.deepEqual(r.json.items.map((x) => x.id), walked[n - 1].items.map((x) => x.id), `page ${n} ${extra}`)
      assert.equal(r.json.next, walked[n - 1].next, 'and its cursor goes on from there')
      assert.equal(r.json.total, walked[0].total)
    }
  }
  assertError(await jb.get(`/api/v1/workers?org=${jbOrg}&limit=5&page=2&after=${encodeURIComponent('x')}`), 400, 'bad_request', 'page')
  assertError(await jb.get(`/api/v1/workers?org=${jbOrg}&page=0`), 400, 'bad_request', 'page')
  assertError(await jb.get(`/api/v1/workers?org=${jbOrg}&page=x`), 400, 'bad_request', 'page')
  // past the first 10,000 records a jump is refused in words; up to them it works
  const far = await jb.get(`/api/v1/workers?org=${jbOrg}&limit=50&page=201`)
  assertError(far, 422, 'validation_failed', 'page')
  assert.match(far.json.error.message_zh, /前 10000 条/)
  assert.equal((await jb.get(`/api/v1/workers?org=${jbOrg}&limit=50&page=200`)).status, 200)
})

test('停用 a unit: only with nothing in use below it; nothing new goes in; 启用 again', async () => {
  const sfx = `${serial}${Date.now()}`
  const street = await createOrg(jb, { parent_id: (await orgId(jb, '江北区')), kind: 'street', name: `停用测试街道${sfx}` });
  const ent = await createOrg(jb, { parent_id: street.id, kind: 'enterprise', name: `停用测试企业${sfx}`, uscc: randomUscc() });
  const other = await createOrg(jb, { parent_id: yjId, kind: 'enterprise', name: `停用测试邻居${sfx}`, uscc: randomUscc() });
  const w = await createWorker(jb, { org_id: ent.id, name: '停用测试工', id_no: newId() });
  const w2 = await createWorker(jb, { org_id: other.id, name: '停用测试调入', id_no: newId() });

  // a unit below in use, or a worker on the roster: refused, saying which
  let r = await jb.post(`/api/v1/orgs/${street.id}/disable`, { reason: '街道撤并' });
  assertError(r, 422, 'validation_failed');
  assert.match(r.json.error.message_zh, /在用的下级单位/);
  r = await jb.post(`/api/v1/orgs/${ent.id}/disable`, { reason: '企业注销' });
  assertError(r, 422, 'validation_failed');
  assert.match(r.json.error.message_zh, /在册职工/);
  // the reason is required; the root never; operators, viewers and other districts may not
  assertError(await jb.post(`/api/v1/orgs/${ent.id}/disable`, {}), 422, 'validation_failed', 'reason');
  assertError(await jb.post(`/api/v1/orgs/${ent.id}/disable`, { reason: '企业注销', extra: 1 }), 400, 'bad_request', 'extra');
  assertError(await admin.post('/api/v1/orgs/1/disable', { reason: '测试根组织' }), 422, 'validation_failed');
  assertError(await yj.post(`/api/v1/orgs/${other.id}/disable`, { reason: '企业注销' }), 403, 'forbidden');
  assertError(await zq.post(`/api/v1/orgs/${ent.id}/disable`, { reason: '企业注销' }), 403, 'forbidden');
  // a district admin does not reach another district
  assertError(await jb.post(`/api/v1/orgs/${await orgId(admin, '海曙区')}/disable`, { reason: '测试' }), 404, 'not_found');
  assert.equal((await admin.get(`/api/v1/orgs/${ent.id}`)).json.disabled, false);

  assert.equal((await jb.post('/api/v1/workers/leave', { ids: [w.id], date: today() })).status, 200);
  r = await jb.post(`/api/v1/orgs/${ent.id}/disable`, { reason: '企业注销' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, true);
  assert.match(r.json.disabled_at, /^\d{4}-\d{2}-\d{2}T/);
  // again: nothing changes, nothing more is audited
  assert.equal((await jb.post(`/api/v1/orgs/${ent.id}/disable`, { reason: '企业注销' })).status, 200);
  const audited = async (action) =>
    (await auditor.get(`/api/v1/audit?action=${action}&actor=jiangbei&limit=200`)).json.items.filter((e) => e.target === `org:${ent.id}`);
  const audit = await audited('org.disable');
  assert.equal(audit.length, 1, JSON.stringify(audit));
  assert.equal(audit[0].summary.reason, '企业注销');
  assert.equal(audit[0].org_id, ent.id);
  // its history stays readable: the worker who left is still there
  assert.equal((await jb.get(`/api/v1/workers/${w.id}`)).status, 200);
  const kids = (await jb.get(`/api/v1/orgs?parent=${street.id}`)).json.items;
  assert.equal(kids.find((o) => o.id === ent.id).disabled, true);

  // nobody is placed in it: registration, transfer, import
  assertError(await jb.post('/api/v1/workers', { org_id: ent.id, name: '停用后登记', id_no: newId() }), 422, 'validation_failed', 'org_id');
  assertError(await jb.post(`/api/v1/workers/${w2.id}/transfer`, { org_id: ent.id }), 422, 'validation_failed', 'org_id');
  assertError(await importCsv(jb, ent.id, '\uFEFF' + csvRows([['姓名', '身份证号'], ['停用导入', newId()]])), 422, 'validation_failed', 'org');
  // a row naming it, in an import into the street above, is refused by row
  r = await importCsv(jb, street.id, '\uFEFF' + csvRows([['姓名', '身份证号', '所在单位'], ['停用导入', newId(), ent.name]]));
  assert.equal(r.status, 202, r.text);
  const job = await waitJob(jb, r.json.job_id);
  assert.deepEqual([job.inserted, job.rejected], [0, 1], JSON.stringify(job));
  assert.match((await jb.get(`/api/v1/imports/${job.id}/errors.csv`)).text, /该单位已停用/);

  // with every unit below disabled the street goes too; then nothing new under it
  r = await jb.post(`/api/v1/orgs/${street.id}/disable`, { reason: '街道撤并' });
  assert.equal(r.status, 200, r.text);
  assertError(await jb.post('/api/v1/orgs', { parent_id: street.id, kind: 'enterprise', name: `停用后新增${sfx}`, uscc: randomUscc() }), 422, 'validation_failed', 'parent_id');
  assertError(await jb.post(`/api/v1/orgs/${other.id}/move`, { parent_id: street.id }), 422, 'validation_failed', 'parent_id');
  // the child comes back only after its parent
  r = await jb.post(`/api/v1/orgs/${ent.id}/enable`);
  assertError(r, 422, 'validation_failed');
  assert.match(r.json.error.message_zh, /先启用上级单位/);
  assert.equal((await jb.post(`/api/v1/orgs/${street.id}/enable`)).json.disabled, false);
  r = await jb.post(`/api/v1/orgs/${ent.id}/enable`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, false);
  assert.equal(r.json.disabled_at, undefined);
  await createWorker(jb, { org_id: ent.id, name: '启用后登记', id_no: newId() });
  assert.equal((await audited('org.enable')).length, 1);
});

test('批量离职: the listed workers leave on one date, all or none, each audited', async () => {
  const before = (await yj.get(`/api/v1/stats/skills?org=${entA}`)).json;
  const ws = [];
  for (const name of ['离职甲', '离职乙', '离职丙', '离职丁']) ws.push(await createWorker(yj, { org_id: entA, name, id_no: newId(), skill_level: 4, union_member: true, hired: '2014-01-01' }));
  const zw = await createWorker(zq, { org_id: entZ, name: '别街道', id_no: newId(), skill_level: 2, union_member: false, hired: '2014-01-01' });
  const day = dayOffset(-1);
  let r = await yj.post('/api/v1/workers/leave', { ids: [ws[0].id, ws[1].id], date: day });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { left: 2, already: 0 });
  for (const w of ws.slice(0, 2)) assert.equal((await yj.get(`/api/v1/workers/${w.id}`)).json.status, 'left');
  const ev = (await yj.get(`/api/v1/workers/${ws[0].id}/timeline`)).json.items.find((e) => e.kind === 'status');
  assert.equal(ev.date, day, 'the leaving is dated as asked');
  assert.deepEqual([ev.from, ev.to], ['active', 'left']);
  // those already gone are counted, not changed
  r = await yj.post('/api/v1/workers/leave', { ids: [ws[1].id, ws[2].id] });
  assert.deepEqual(r.json, { left: 1, already: 1 });
  // one worker outside the caller's scope: nobody leaves
  assertError(await yj.post('/api/v1/workers/leave', { ids: [ws[3].id, zw.id] }), 404, 'not_found', 'ids');
  assert.equal((await yj.get(`/api/v1/workers/${ws[3].id}`)).json.status, 'active', 'all or none');
  assert.equal((await zq.get(`/api/v1/workers/${zw.id}`)).json.status, 'active');
  assertError(await yj.post('/api/v1/workers/leave', { ids: [ws[3].id], date: dayOffset(3) }), 422, 'validation_failed', 'date');
  assertError(await yj.post('/api/v1/workers/leave', { ids: [] }), 422, 'validation_failed', 'ids');
  assertError(await yj.post('/api/v1/workers/leave', { ids: 'x' }), 422, 'validation_failed', 'ids');
  // the statistics follow: the four added, three gone
  const after = (await yj.get(`/api/v1/stats/skills?org=${entA}`)).json;
  assert.equal(after.workers, before.workers + 1);
  assert.equal(after.union_members, before.union_members + 1);
  // one audit row per worker who left
  const audit = await auditor.get('/api/v1/audit?action=worker.leave&actor=yongjiang&limit=50');
  assert.equal(audit.status, 200, audit.text);
  const targets = audit.json.items.map((x) => x.target);
  for (const w of ws.slice(0, 3)) assert.ok(targets.includes(`worker:${w.id}`), `audited: worker:${w.id} in ${targets}`);
  assert.ok(!targets.includes(`worker:${ws[3].id}`), 'the refused batch left no audit row');
});

// Lists write each row from its stored card; after every kind of write the
// row must say what the record says (masked), field for field.
test('a list row says what the record says, after create, edit and transfer', async () => {
  const listed = async (client, org, id) => {
    const r = await client.get(`/api/v1/workers?org=${org}&limit=100&count=0`);
    assert.equal(r.status, 200, r.text);
    // '<' goes out escaped, as everywhere else (safe to embed in HTML)
    assert.ok(!r.text.includes('<'), 'no raw < in the JSON text');
    return r.json.items.find((x) => x.id === id);
  };
  const same = async (client, org, id) => {
    const one = (await client.get(`/api/v1/workers/${id}`)).json;
    const row = await listed(client, org, id);
    assert.ok(row, `worker ${id} listed`);
    const { skill_level_name, masked: m, created, updated, ...want } = one;
    assert.deepEqual(row, want);
    return row;
  };
  const w = await createWorker(yj, { org_id: entA, name: '卡片测试', id_no: newId(), phone: '13900139000', occupation: '焊工<高级>', occupation_code: '6-18-02-04', skill_level: 6, union_member: true, union_joined: '2016-05-01', hired: '2014-02-01', education: '30', political_status: '13' });
  let row = await same(yj, entA, w.id);
  assert.equal(row.occupation, '焊工<高级>');
  assert.equal(row.union_member, true);
  let r = await yj.patch(`/api/v1/workers/${w.id}`, { skill_level: 2, union_member: false, union_joined: null, phone: null, occupation: null, occupation_code: null, status: 'left' });
  assert.equal(r.status, 200, r.text);
  row = await same(yj, entA, w.id);
  assert.equal(row.phone, null);
  assert.equal(row.occupation, null);
  assert.equal(row.union_member, false);
  assert.equal(row.status, 'left');
  r = await yj.post(`/api/v1/workers/${w.id}/transfer`, { org_id: entB, date: today() });
  assert.equal(r.status, 200, r.text);
  row = await same(yj, entB, w.id);
  assert.equal(row.org_id, entB);
  assert.equal(await listed(yj, entA, w.id), undefined);
});

test('statistics match the rows for a subtree', async () => {
  const org = entA;
  const rows = [];
  let after = '';
  for (;;) {
    const r = await yj.get(`/api/v1/workers?org=${org}&status=active&limit=3${after}`);
    assert.equal(r.status, 200, r.text);
    rows.push(...r.json.items);
    if (!r.json.next) break;
    after = `&after=${r.json.next}`;
  }
  assert.equal(new Set(rows.map((x) => x.id)).size, rows.length, 'pages do not repeat');
  const s = (await yj.get(`/api/v1/stats/skills?org=${org}`)).json;
  assert.equal(s.workers, rows.length);
  const skilled = rows.filter((x) => x.skill_level >= 2).length;
  const high = rows.filter((x) => x.skill_level >= 4).length;
  assert.equal(s.skilled, skilled);
  assert.equal(s.high_skilled, high);
  assert.equal(s.union_members, rows.filter((x) => x.union_member).length);
  assert.equal(s.high_skill_ratio, skilled ? Math.round((high / skilled) * 10000) / 10000 : 0);
  // the whole city from the admin includes them
  const city = (await admin.get('/api/v1/stats/skills')).json;
  assert.ok(city.workers >= s.workers);
});

test('list filters, sorting and search', async () => {
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `筛选测试${Date.now()}`, uscc: randomUscc() })).id;
  const ids = [];
  for (const [name, level, um] of [['欧阳明远', 2, true], ['欧阳静', 4, false], ['司马光明', 6, true], ['李四', 0, true]]) {
    const id = newId();
    ids.push(id);
    await createWorker(yj, { org_id: ent, name, id_no: id, skill_level: level, union_member: um });
  }
  let r = await yj.get(`/api/v1/workers?org=${ent}&level_min=2&level_max=4`);
  assert.deepEqual(r.json.items.map((x) => x.name).sort(), ['欧阳明远', '欧阳静'].sort());
  assert.equal(r.json.total, 2);
  r = await yj.get(`/api/v1/workers?org=${ent}&union=0`);
  assert.deepEqual(r.json.items.map((x) => x.name), ['欧阳静']);
  r = await yj.get(`/api/v1/workers?org=${ent}&sort=level`);
  assert.deepEqual(r.json.items.map((x) => x.skill_level), [6, 4, 2, 0]);
  r = await yj.get(`/api/v1/workers?org=${ent}&sort=level&limit=2`);
  const r2 = await yj.get(`/api/v1/workers?org=${ent}&sort=level&limit=2&after=${r.json.next}`);
  assert.deepEqual([...r.json.items, ...r2.json.items].map((x) => x.skill_level), [6, 4, 2, 0]);
  assert.equal(r2.json.next, null);
  r = await yj.get(`/api/v1/workers?org=${ent}&sort=name`);
  assert.equal(r.json.items.length, 4);
  // name substrings: three characters (trigram index) and two
  r = await yj.get(`/api/v1/workers?org=${ent}&q=${encodeURIComponent('马光明')}`);
  assert.deepEqual(r.json.items.map((x) => x.name), ['司马光明']);
  r = await yj.get(`/api/v1/workers?org=${ent}&q=${encodeURIComponent('欧阳')}`);
  assert.deepEqual(r.json.items.map((x) => x.name).sort(), ['欧阳明远', '欧阳静'].sort());
  // ID prefixes through the keyed hashes
  r = await yj.get(`/api/v1/workers?org=${ent}&q=${ids[2]}`);
  assert.deepEqual(r.json.items.map((x) => x.name), ['司马光明']);
  r = await yj.get(`/api/v1/workers?org=${ent}&q=${ids[2].slice(0, 14)}`);
  assert.ok(r.json.items.some((x) => x.name === '司马光明'));
  r = await yj.get(`/api/v1/workers?org=${ent}&q=330205`);
  assert.equal(r.json.items.length, 4);
  assertError(await yj.get(`/api/v1/workers?org=${ent}&q=33020`), 422, 'validation_failed', 'q');
  assertError(await yj.get(`/api/v1/workers?level_min=9`), 400, 'bad_request', 'level_min');
  assertError(await yj.get(`/api/v1/workers?after=garbage!`), 400, 'bad_request', 'after');
  assertError(await yj.get(`/api/v1/workers?salary=1`), 400, 'bad_request', 'salary');
});

test('import template: CSV with BOM and .xlsx with instructions', async () => {
  const c = await yj.get('/api/v1/imports/workers/template.csv');
  assert.equal(c.status, 200);
  assert.match(c.headers.get('content-type'), /text\/csv/);
  assert.ok(c.text.startsWith('\uFEFF姓名'), 'BOM then headers');
  assert.ok(c.text.includes('身份证号'));
  const x = await fetch(`${process.env.CHANGAI_URL}/api/v1/imports/workers/template.xlsx`, { headers: { Cookie: yj.cookie } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const buf = Buffer.from(await x.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
});

function csvRows(rows) {
  return rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
}

test('import a UTF-8 CSV with BOM: valid rows in, bad rows reported, re-import changes nothing', async () => {
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `导入测试${Date.now()}`, uscc: randomUscc() }));
  const good = [newId(), newId(), newId()];
  const dupe = newId();
  const body = '\uFEFF' + csvRows([
    ['姓名', '身份证号', '所在单位', '技能等级', '是否工会会员', '手机号', '入职日期'],
    ['王一', good[0], ent.name, '高级工', '是', '13800000001', '2012-01-01'],
    ['王二', good[1], ent.name, '三级', '否', '', '2011/2/3'],
    ['坏行', good[2].slice(0, 17) + (good[2][17] === '1' ? '2' : '1'), ent.name, '初级工', '是', '', ''],
    ['重复甲', dupe, ent.name, '初级工', '是', '', ''],
    ['王三', good[2], ent.name, '特级技师', '是', '', ''],
    ['未知等级', newId(), ent.name, '大师', '是', '', ''],
    ['外单位', newId(), '不存在的公司', '初级工', '是', '', ''],
    ['"=cmd|\' /C calc\'!A0"', newId(), ent.name, '=1+1', '', '', ''],
    ['重复乙', dupe, ent.name, '中级工', '是', '', ''],
  ]);
  let r = await importCsv(yj, yjId, body);
  assert.equal(r.status, 202, r.text);
  let job = await waitJob(yj, r.json.job_id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.total, 9);
  assert.equal(job.inserted, 4, JSON.stringify(job));   // 王一 王二 王三 重复乙
  assert.equal(job.rejected, 5);
  const list = await yj.get(`/api/v1/workers?org=${ent.id}&sort=name`);
  assert.deepEqual(list.json.items.map((x) => x.name).sort(), ['王一', '王三', '王二', '重复乙'].sort());
  assert.equal(list.json.items.find((x) => x.name === '王二').hired, '2011-02-03');
  assert.equal(list.json.items.find((x) => x.name === '王三').skill_level, 7);
  // errors.csv: BOM, row numbers, columns, reasons; formulas neutralised
  const e = await yj.get(`/api/v1/imports/${job.id}/errors.csv`);
  assert.equal(e.status, 200);
  assert.ok(e.text.startsWith('\uFEFF'));
  const lines = e.text.split('\r\n');
  assert.ok(lines.some((l) => l.startsWith('4,身份证号')), 'bad check char on row 4');
  assert.ok(lines.some((l) => l.startsWith('5,身份证号') && l.includes('10')), 'earlier duplicate reported, naming row 10');
  assert.ok(lines.some((l) => l.startsWith('7,技能等级')), 'unknown level');
  assert.ok(lines.some((l) => l.startsWith('8,所在单位')), 'unknown enterprise');
  assert.ok(lines.some((l) => l.startsWith('9,技能等级') && l.endsWith(",'=1+1")), 'formula neutralised');
  assert.ok(!e.text.includes(',=1+1'), 'no raw formula cell');
  // one language per file: Chinese by default, English when asked
  assert.ok(lines[0].endsWith('行号,列,原因,原值'), lines[0]);
  const zh7 = lines.find((l) => l.startsWith('7,')).split(',')[2];
  assert.ok(/[\u4e00-\u9fff]/.test(zh7) && !/[A-Za-z]{4,}/.test(zh7), 'no English copy beside the Chinese reason: ' + zh7);
  const en = (await yj.get(`/api/v1/imports/${job.id}/errors.csv?lang=en`)).text.split('\r\n');
  assert.ok(en[0].endsWith('row,column,reason,value'), en[0]);
  const en7 = en.find((l) => l.startsWith('7,'));
  assert.ok(en7.includes('must be one of'), 'the reason in English: ' + en7);
  assert.ok(!lines.find((l) => l.startsWith('7,')).includes('must be'), 'the Chinese file holds no English reason');
  assertError(await yj.get(`/api/v1/imports/${job.id}/errors.csv?lang=fr`), 400, 'bad_request');
  // ID numbers in the rejected rows are masked unless asked for with pii
  assert.ok(!e.text.includes(good[2].slice(0, 17)), 'the bad ID is masked');
  await yj.stepUp();
  const eu = await yj.get(`/api/v1/imports/${job.id}/errors.csv?unmask=1&purpose=${P}`);
  assert.ok(eu.text.includes(good[2].slice(0, 17)), 'unmasked for a caller with pii');
  assertError(await zq.get(`/api/v1/imports/${job.id}/errors.csv`), 404, 'not_found');
  // the same file again: nothing inserted or changed
  r = await importCsv(yj, yjId, body);
  job = await waitJob(yj, r.json.job_id);
  assert.equal(job.state, 'done');
  assert.equal(job.inserted, 0);
  assert.equal(job.updated, 0);
  assert.equal(job.rejected, 5);
  // a changed level is an update with history
  r = await importCsv(yj, yjId, '\uFEFF' + csvRows([['姓名', '身份证号', '所在单位', '技能等级'], ['王一', good[0], ent.name, '技师']]));
  job = await waitJob(yj, r.json.job_id);
  assert.equal(job.updated, 1);
  const w1 = (await yj.get(`/api/v1/workers?org=${ent.id}&q=${good[0]}`)).json.items[0];
  assert.equal(w1.skill_level, 5);
  assert.equal(w1.union_member, true, 'columns absent from the file keep their values');
  const tl = await yj.get(`/api/v1/workers/${w1.id}/timeline`);
  assert.ok(tl.json.items.some((x) => x.kind === 'level' && x.source === 'import'));
});

test('imports lose nobody: a later row of the same person wins only if it is valid', async () => {
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `重复测试${Date.now()}`, uscc: randomUscc() }));
  const kept = newId();
  const neither = newId();
  const body = '\uFEFF' + csvRows([
    ['姓名', '身份证号', '所在单位', '技能等级', '是否工会会员'],
    ['先到者', kept, ent.name, '中级工', '是'],
    ['坏甲', neither, ent.name, '大师', '是'],
    ['后到者', kept, ent.name, '大师', '是'],
    ['坏乙', neither, '不存在的公司', '初级工', '是'],
  ]);
  const r = await importCsv(yj, yjId, body);
  assert.equal(r.status, 202, r.text);
  const job = await waitJob(yj, r.json.job_id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.inserted, 1, JSON.stringify(job));
  assert.equal(job.rejected, 3);
  const list = await yj.get(`/api/v1/workers?org=${ent.id}`);
  assert.deepEqual(list.json.items.map((x) => [x.name, x.skill_level]), [['先到者', 3]]);
  // each refused row says what is wrong with it, not that another row won
  const lines = (await yj.get(`/api/v1/imports/${job.id}/errors.csv`)).text.split('\r\n');
  assert.ok(lines.some((l) => l.startsWith('4,技能等级')), 'the later row: its own error');
  assert.ok(lines.some((l) => l.startsWith('3,技能等级')), 'neither valid: row 3 its own error');
  assert.ok(lines.some((l) => l.startsWith('5,所在单位')), 'neither valid: row 5 its own error');
  assert.ok(!lines.some((l) => l.includes('较新记录')), lines.join('\n'));
});

test('import an .xlsx roster: the same rules, the rows numbered as Excel shows them', async () => {
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `表格导入${Date.now()}`, uscc: randomUscc() }));
  const a = newId(), b = newId(), c = newId();
  const file = xlsx([
    ['姓名', '身份证号', '所在单位', '技能等级', '入职日期', '手机号'],
    ['钱一', a, { shared: ent.name }, '高级工', { date: xserial('2015-06-01') }, 13800000011],
    null, // an empty row: the next is row 4
    ['孙二', b, ent.name, '大师', '2016-01-01', ''],
    ['李三', c, ent.name, '技师', '2017/3/4', ''],
  ]);
  const r = await importCsv(yj, yjId, file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.total, 3);
  const job = await waitJob(yj, r.json.job_id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.inserted, 2, JSON.stringify(job));
  assert.equal(job.rejected, 1);
  const list = (await yj.get(`/api/v1/workers?org=${ent.id}`)).json.items;
  const qian = list.find((x) => x.name === '钱一');
  assert.equal(qian.hired, '2015-06-01', 'a date cell is a date');
  assert.equal(qian.skill_level, 4);
  assert.equal(list.find((x) => x.name === '李三').hired, '2017-03-04');
  const lines = (await yj.get(`/api/v1/imports/${job.id}/errors.csv`)).text.split('\r\n');
  assert.ok(lines.some((l) => l.startsWith('4,技能等级')), `row 4 as Excel shows it: ${lines.join(' | ')}`);
  // errors.xlsx: the rejected rows as the file had them, the reasons beside them
  const sheetOf = async (client, q = '') => {
    const res = await client.get(`/api/v1/imports/${job.id}/errors.xlsx${q}`);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    const f = join(mkdtempSync(join(tmpdir(), 'carej-')), 'errors.xlsx');
    writeFileSync(f, res.body);
    const cells = new Map();
    for (const line of execFileSync(process.env.CHANGAI_BIN, ['xlsx', f], { encoding: 'utf8' }).split('\n')) {
      const [ref, , text] = line.split('\t');
      if (ref) cells.set(ref, text);
    }
    return cells;
  };
  let cells = await sheetOf(yj);
  assert.deepEqual(['A1', 'B1', 'C1', 'D1', 'E1', 'F1', 'G1', 'H1'].map((k) => cells.get(k)),
    ['原行号', '姓名', '身份证号', '所在单位', '技能等级', '入职日期', '手机号', '错误原因']);
  assert.equal(cells.get('A2'), '4');
  assert.equal(cells.get('B2'), '孙二');
  assert.equal(cells.get('C2'), masked(b), 'masked without unmask');
  assert.equal(cells.get('E2'), '大师');
  assert.match(cells.get('H2'), /^技能等级：/);
  assert.ok(!cells.has('A3'), 'only the rejected row');
  assertError(await zq.get(`/api/v1/imports/${job.id}/errors.xlsx`), 404, 'not_found');
  await yj.stepUp();
  cells = await sheetOf(yj, `?unmask=1&purpose=${P}&lang=en`);
  assert.equal(cells.get('C2'), b, 'in full for a pii holder who asked');
  assert.equal(cells.get('H1'), 'errors');
  assert.match(cells.get('H2'), /^skill_level: .*must be one of/, 'English reasons');
  // fixed and imported again: the person comes in
  const fixed = xlsx([
    ['B1', 'C1', 'D1', 'E1', 'F1', 'G1', 'H1'].map((k) => cells.get(k)),
    ['B2', 'C2', 'D2', 'E2', 'F2', 'G2', 'H2'].map((k) => (k === 'E2' ? '技师' : cells.get(k) ?? '')),
  ]);
  const again = await importCsv(yj, yjId, fixed, 'application/octet-stream');
  assert.equal(again.status, 202, again.text);
  const job2 = await waitJob(yj, again.json.job_id);
  assert.equal(job2.inserted, 1, JSON.stringify(job2));
  assert.equal(job2.rejected, 0);
  // a workbook without the required columns is refused at upload
  assertError(await importCsv(yj, yjId, xlsx([['名字', '电话'], ['张三', '1']]), 'application/octet-stream'), 422, 'validation_failed', 'file');
});

test('import a GBK CSV as Chinese Excel saves it', async () => {
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `国标编码${Date.now()}`, uscc: randomUscc() }));
  const id = newId();
  const body = gbk(csvRows([['姓名', '身份证号', '所在单位', '技能等级', '政治面貌', '学历'], ['诸葛亮', id, ent.name, '高级技师', '中共党员', '大学本科']]));
  const r = await importCsv(yj, yjId, body, 'text/csv');
  assert.equal(r.status, 202, r.text);
  const job = await waitJob(yj, r.json.job_id);
  assert.equal(job.inserted, 1, JSON.stringify(job));
  const w = (await yj.get(`/api/v1/workers?org=${ent.id}`)).json.items[0];
  assert.equal(w.name, '诸葛亮');
  assert.equal(w.skill_level, 6);
  assert.equal(w.political_status, '01');
  assert.equal(w.education, '20');
});

test('files that are not a roster get a clear 4xx', async () => {
  assertError(await importCsv(yj, yjId, ''), 400, 'bad_request', 'file');
  assertError(await importCsv(yj, yjId, Buffer.from('PK\x03\x04\x14\x00\x06\x00binary', 'latin1'), 'application/octet-stream'), 422, 'validation_failed', 'file');
  assertError(await importCsv(yj, yjId, Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00, 0x00])), 422, 'validation_failed', 'file');
  assertError(await importCsv(yj, yjId, '\uFEFF姓名,电话\r\n张三,1\r\n'), 422, 'validation_failed', 'file');
  // a viewer cannot import
  const viewer = await login('viewer');
  assertError(await importCsv(viewer, yjId, '\uFEFF姓名,身份证号\r\n'), 403, 'forbidden');
});

test('a truncated multi-byte character is a row error, not a crash', async () => {
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `截断测试${Date.now()}`, uscc: randomUscc() }));
  const head = gbk(csvRows([['姓名', '身份证号', '所在单位'], ['张飞', newId(), ent.name]]));
  const tail = Buffer.concat([gbk(`关羽,${newId()},`), gbk(ent.name).subarray(0, 3)]);
  const r = await importCsv(yj, yjId, Buffer.concat([head, tail]));
  assert.equal(r.status, 202, r.text);
  const job = await waitJob(yj, r.json.job_id);
  assert.equal(job.state, 'done');
  assert.equal(job.inserted, 1);
  assert.equal(job.rejected, 1);
});

test('export: .xlsx of the filtered roster, audited', async () => {
  const res = await fetch(`${process.env.CHANGAI_URL}/api/v1/exports/workers.xlsx?org=${yjId}&level_min=0`, { headers: { Cookie: yj.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  assert.match(res.headers.get('content-disposition'), /attachment/);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK');
  const a = await auditor.get('/api/v1/audit?action=workers.export&actor=yongjiang');
  assert.ok(a.json.items.length >= 1);
});

test('export: the list\'s search, chosen columns, labels not codes, China time', async () => {
  const ent = (await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `导出测试${Date.now()}`, uscc: randomUscc() }));
  const tag = `导出${serial}`;
  const id1 = newId(), id2 = newId();
  await createWorker(yj, { org_id: ent.id, name: `${tag}甲`, id_no: id1, education: '20', political_status: '01', skill_level: 5 });
  await createWorker(yj, { org_id: ent.id, name: `别人${serial}`, id_no: id2, education: '30', political_status: '13' });
  const sheet = async (q) => {
    const res = await yj.get(`/api/v1/exports/workers.xlsx?org=${ent.id}${q}`);
    assert.equal(res.status, 200, res.text);
    const f = join(mkdtempSync(join(tmpdir(), 'caexp-')), 'export.xlsx');
    writeFileSync(f, res.body);
    const cells = new Map();
    for (const line of execFileSync(process.env.CHANGAI_BIN, ['xlsx', f], { encoding: 'utf8' }).split('\n')) {
      const [ref, , text] = line.split('\t');
      if (ref) cells.set(ref, text);
    }
    return cells;
  };
  let cells = await sheet(`&q=${encodeURIComponent(tag)}`);
  assert.match(cells.get('A1'), new RegExp(`搜索“${tag}”`), 'the title names the search');
  assert.match(cells.get('A1'), / · 导出于 \d{4}-\d\d-\d\d \d\d:\d\d（yongjiang）$/, 'a local time, not ISO UTC');
  const heads = [...cells.entries()].filter(([k]) => /^[A-Z]+2$/.test(k)).map(([, v]) => v);
  assert.equal(heads.length, 16);
  const col = (name) => String.fromCharCode(65 + heads.indexOf(name));
  assert.equal(cells.get(`${col('姓名')}3`), `${tag}甲`);
  assert.ok(!cells.has('A4'), 'only the match');
  assert.equal(cells.get(`${col('学历')}3`), '大学本科', 'a label, not the code 20');
  assert.equal(cells.get(`${col('政治面貌')}3`), '中共党员');
  assert.equal(cells.get(`${col('身份证号')}3`), masked(id1));
  // chosen columns, in the file's order
  cells = await sheet('&cols=education,name');
  assert.equal(cells.get('A2'), '姓名');
  assert.equal(cells.get('B2'), '学历');
  assert.ok(!cells.has('C2'));
  assert.deepEqual(['A3', 'A4'].map((k) => cells.get(k)).sort(), [`${tag}甲`, `别人${serial}`].sort());
  assertError(await yj.get(`/api/v1/exports/workers.xlsx?org=${ent.id}&cols=name,salary`), 422, 'validation_failed', 'cols');
  assertError(await yj.get(`/api/v1/exports/workers.xlsx?org=${ent.id}&q=33020`), 422, 'validation_failed', 'q');
  // an ID prefix finds the person too
  cells = await sheet(`&q=${id2.slice(0, 14)}&cols=name`);
  assert.equal(cells.get('A3'), `别人${serial}`);
});

test('requests without a session or with a bad org', async () => {
  assertError(await request('GET', '/api/v1/workers'), 401, 'unauthenticated');
  assertError(await yj.get('/api/v1/workers?org=999999999'), 404, 'not_found');
  assertError(await yj.get('/api/v1/workers/999999999'), 404, 'not_found');
  assertError(await yj.get('/api/v1/jobs/999999999'), 404, 'not_found');
});

// A roster larger than the reader's window (4 MiB) and than a stored chunk
// (1 MiB): the body goes to the store as it arrives and is read back a chunk
// at a time, and once the job ends nothing of the file stays in the store.
function bigRosterId(i) {
  const d = new Date(Date.UTC(1980, 0, 1) + (i % 5000) * 86400000);
  const b = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  const f17 = `330206${b}${String(Math.floor(i / 5000) * 2 + 1).padStart(3, '0')}`;
  return f17 + idCheck(f17);
}
function uploadsLeft() {
  return Number(sql('SELECT (SELECT count(*) FROM uploads) + (SELECT count(*) FROM upload_chunks)'));
}

test('a large import streams through the store and leaves nothing behind', async () => {
  // a street of its own, so the other tests' counts and caps stay as they were
  const district = jb.user.grants[0].org_id;
  const street = await createOrg(jb, { parent_id: district, kind: 'street', name: `流式导入街道${Date.now()}` });
  const ent = await createOrg(jb, { parent_id: street.id, kind: 'enterprise', name: `流式导入${Date.now()}`, uscc: randomUscc() });
  const n = 5000;
  const note = '备'.repeat(360);      // 1080 bytes a row in a column the import ignores
  const lines = ['姓名,身份证号,所在单位,工种,技能等级,是否工会会员,入职日期,备注'];
  for (let i = 0; i < n; i++) {
    // row 10 and the last row name one person: the later row wins
    const id = bigRosterId(i === n - 1 ? 8 : i);
    lines.push(`职工${i},${id},${ent.name},"数控车工
（多行 ${i}）",高级工,是,2012-01-01,${note}`);
  }
  const body = lines.join('\r\n') + '\r\n';
  assert.ok(Buffer.byteLength(body) > 5 * 1024 * 1024, `${Buffer.byteLength(body)} bytes`);
  const before = uploadsLeft();
  const r = await importCsv(jb, ent.id, body);
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.total, n);
  const job = await waitJob(jb, r.json.job_id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.deepEqual([job.total, job.inserted, job.rejected], [n, n - 1, 1]);
  const list = await jb.get(`/api/v1/workers?org=${ent.id}&limit=1`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.total, n - 1, list.text);
  assert.equal(uploadsLeft(), before, 'the upload is deleted when its job ends');

  // refused from its header: nothing kept (deleted once the answer is sent)
  const bad = await importCsv(jb, ent.id, '姓名,工种\r\n张三,车工\r\n');
  assertError(bad, 422, 'validation_failed');
  for (let i = 0; i < 50 && uploadsLeft() !== before; i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal(uploadsLeft(), before, 'a refused upload is deleted after the request');

  // a client that goes away mid-upload: what it sent is deleted
  await new Promise((resolve, reject) => {
    const u = new URL(process.env.CHANGAI_URL);
    const s = net.connect(Number(u.port), u.hostname, () => {
      s.write(`POST /api/v1/imports/workers?org=${ent.id} HTTP/1.1\r\nHost: ${u.host}\r\n` +
        `Cookie: ${jb.cookie}\r\nX-CSRF-Token: ${jb.csrf}\r\nContent-Type: text/csv\r\n` +
        `Content-Length: ${10 * 1024 * 1024}\r\n\r\n`);
      s.write(body.slice(0, 3 * 1024 * 1024), () => setTimeout(() => { s.destroy(); resolve(); }, 500));
    });
    s.on('error', reject);
  });
  for (let i = 0; i < 50 && uploadsLeft() !== before; i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal(uploadsLeft(), before, 'an unfinished upload is deleted when its connection ends');
});
