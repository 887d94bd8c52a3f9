// dates: this file runs at every date of tests/dates.txt
// Handing plans down (分解) with the parent seeing each child's progress;
// plans as templates (CSV and JSON in, out and back in; bad rows named,
// nothing half-imported); computed metrics following a registry import.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { login, orgId, assertError, createOrg, randomUscc } from './lib.mjs';
import { YEAR, createPlan, addNode, report } from './plans.mjs';

let admin, jb, yj, zq, rs, viewer;
let jbId, yjId, zqId, d1, d2, nmId;

before(async () => {
  admin = await login('admin');
  jb = await login('jiangbei');
  yj = await login('yongjiang');
  zq = await login('zhuangqiao');
  rs = await login('renshe');
  viewer = await login('viewer');
  jbId = jb.user.grants[0].org_id;
  yjId = await orgId(jb, '甬江街道');
  zqId = await orgId(jb, '庄桥街道');
  d1 = await orgId(jb, '江北区人力资源和社会保障局');
  d2 = await orgId(jb, '江北区教育局');
  nmId = await orgId(admin, '南门街道', 1);
});

// ---- cascade ----

test('cascade: a district plan handed down to two streets, with their own targets', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `分解测试${Date.now()}` });
  const a = await addNode(jb, p.id, { kind: 'aspect', title: '技能提升' });
  const it = await addNode(jb, p.id, { kind: 'item', title: '师徒结对', parent_id: a.id });
  const s1 = await addNode(jb, p.id, { kind: 'subitem', title: '新增师徒结对数', parent_id: it.id, owner_org_ids: [d1], deadline: `${YEAR}-12-31`, target: { value: 100, unit: '对' } });
  const s2 = await addNode(jb, p.id, { kind: 'subitem', title: '建立结对激励办法', parent_id: it.id, owner_org_ids: [d1], deadline: `${YEAR}-12-31`, target: { milestone: true } });
  let r = await jb.post(`/api/v1/plans/${p.id}/cascade`, { org_ids: [yjId, zqId], targets: { [yjId]: { [s1.id]: 60 } } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.plans.length, 2);
  const kidY = r.json.plans.find((x) => x.org_id === yjId), kidZ = r.json.plans.find((x) => x.org_id === zqId);
  assert.equal(kidY.parent_plan_id, p.id);
  assert.equal(kidY.year, YEAR);
  // the child is the street's own plan, the street its owner
  const ty = (await yj.get(`/api/v1/plans/${kidY.id}/tree`)).json;
  const ys = ty.nodes[0].children[0].children;
  assert.equal(ys.length, 2);
  assert.equal(ys[0].source_node_id, s1.id);
  assert.deepEqual(ys[0].target, { value: 60, unit: '对' });
  assert.deepEqual(ys[0].owners.map((o) => o.org_id), [yjId]);
  assert.deepEqual(ys[1].target, { milestone: true });
  const tz = (await zq.get(`/api/v1/plans/${kidZ.id}/tree`)).json;
  assert.deepEqual(tz.nodes[0].children[0].children[0].target, { value: 100, unit: '对' });
  // streets see their own copy only
  assertError(await zq.get(`/api/v1/plans/${kidY.id}`), 404, 'not_found');
  assertError(await yj.get(`/api/v1/plans/${p.id}`), 404, 'not_found');
  // the streets report; the parent sees each child's progress rolled up
  await report(yj, kidY.id, ys[0].id, { value: 30 });
  await report(yj, kidY.id, ys[1].id, { done: true });
  await report(zq, kidZ.id, tz.nodes[0].children[0].children[0].id, { value: 25 });
  const st = (await jb.get(`/api/v1/plans/${p.id}/statement?children=1`)).json;
  assert.equal(st.children.length, 2);
  const cy = st.children.find((x) => x.org_id === yjId);
  assert.equal(cy.plan_id, kidY.id);
  assert.equal(cy.subitems, 2);
  assert.equal(cy.done, 1);
  // the child's completion: (30/60 + 1) / 2
  assert.equal(cy.completion, 0.75);
  const row = st.rows.find((x) => x.node_id === s1.id);
  assert.equal(row.cascade.length, 2);
  assert.equal(row.cascade.find((x) => x.org_id === yjId).actual, 30);
  assert.equal(row.cascade.find((x) => x.org_id === yjId).completion, 0.5);
  assert.equal(row.cascade.find((x) => x.org_id === zqId).completion, 0.25);
  assert.equal(row.cascade_actual, 55);
  assert.equal(st.rows.find((x) => x.node_id === s2.id).cascade_actual, null);
  // without ?children the rows stay plain; the summary is still there
  const plain = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json;
  assert.equal(plain.rows[0].cascade, undefined);
  assert.equal(plain.children.length, 2);
  // the link holds: the parent's nodes and plan stay while copies exist
  assertError(await jb.del(`/api/v1/plans/${p.id}/nodes/${s1.id}`), 409, 'conflict');
  assertError(await jb.del(`/api/v1/plans/${p.id}`), 409, 'conflict');
  // a second copy for the same street is a conflict, and nothing is half-done
  assertError(await jb.post(`/api/v1/plans/${p.id}/cascade`, { org_ids: [await orgId(jb, '洪塘街道'), yjId] }), 409, 'conflict', 'org_ids');
  const list = (await jb.get(`/api/v1/plans?org=${await orgId(jb, '洪塘街道')}&limit=500`)).json.items;
  assert.ok(list.every((x) => x.parent_plan_id !== p.id), 'no copy left from the failed request');
});

test('cascade: bad input and scope', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `分解错误${Date.now()}` });
  const a = await addNode(jb, p.id, { kind: 'aspect', title: '保障机制' });
  const it = await addNode(jb, p.id, { kind: 'item', title: '能级工资集体协商', parent_id: a.id });
  const s = await addNode(jb, p.id, { kind: 'subitem', title: '签订能级工资协议企业数', parent_id: it.id, owner_org_ids: [d2], deadline: `${YEAR}-10-31`, target: { value: 20, unit: '家' } });
  const m = await addNode(jb, p.id, { kind: 'subitem', title: '出台指导意见', parent_id: it.id, owner_org_ids: [d2], deadline: `${YEAR}-10-31`, target: { milestone: true } });
  const url = `/api/v1/plans/${p.id}/cascade`;
  assertError(await jb.post(url, { org_ids: [] }), 422, 'validation_failed', 'org_ids');
  assertError(await jb.post(url, {}), 422, 'validation_failed', 'org_ids');
  assertError(await jb.post(url, { org_ids: [d1] }), 422, 'validation_failed', 'org_ids');
  assertError(await jb.post(url, { org_ids: [jbId] }), 422, 'validation_failed', 'org_ids');
  assertError(await jb.post(url, { org_ids: [nmId] }), 422, 'validation_failed', 'org_ids');
  assertError(await jb.post(url, { org_ids: [yjId], targets: { [zqId]: { [s.id]: 3 } } }), 422, 'validation_failed', 'targets');
  assertError(await jb.post(url, { org_ids: [yjId], targets: { [yjId]: { [m.id]: 3 } } }), 422, 'validation_failed', 'targets');
  assertError(await jb.post(url, { org_ids: [yjId], targets: { [yjId]: { [s.id]: -3 } } }), 422, 'validation_failed', 'targets');
  assertError(await jb.post(url, { org_ids: [yjId], targets: { [yjId]: { [s.id]: '3' } } }), 422, 'validation_failed', 'targets');
  assertError(await jb.post(url, { org_ids: [yjId], targets: [1] }), 422, 'validation_failed', 'targets');
  assertError(await viewer.post(url, { org_ids: [yjId] }), 403, 'forbidden');
  assertError(await yj.post(url, { org_ids: [yjId] }), 404, 'not_found');
  // a street plan cannot be handed to a sibling street
  const sp = await createPlan(yj, { org_id: yjId, title: '街道方案' });
  assertError(await yj.post(`/api/v1/plans/${sp.id}/cascade`, { org_ids: [zqId] }), 422, 'validation_failed', 'org_ids');
  // nothing was created by the refused requests
  const kids = (await jb.get(`/api/v1/plans/${p.id}`)).json.children;
  assert.equal(kids, 0);
});

// ---- templates ----

const HEAD = ['方面', '大项', '分项', '牵头单位', '配合单位', '完成时限', '目标值', '单位', '权重', '指标'];
function csv(rows) {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

test('templates: the empty template, import CSV, export and import again (round trip), JSON too', async () => {
  const t = await jb.get('/api/v1/plans/template.csv');
  assert.equal(t.status, 200);
  assert.ok(t.text.startsWith('\uFEFF方面,大项,分项,牵头单位'));
  const p = await createPlan(jb, { org_id: jbId, title: `导入测试${Date.now()}` });
  const body = '\uFEFF' + csv([
    HEAD,
    ['产业工人队伍建设', '加强思想政治引领', '新建非公企业党组织数', '江北区委组织部', '江北区人力资源和社会保障局、江北区经济和信息化局', `${YEAR}/11/30`, '12', '个', '1', ''],
    ['产业工人队伍建设', '加强思想政治引领', '工会会员入会率', '甬江街道', '', `${YEAR}年12月31日`, '90%', '', '2', ''],
    ['技能提升', '深化技能等级认定', '技能等级认定人数', '江北区人力资源和社会保障局', '', `${YEAR}-12-31`, '3000', '人', '', 'manual'],
    ['技能提升', '劳模工匠创新', '出台工匠学院建设方案', '江北区教育局', '江北区财政局', `${YEAR}-06-30`, '里程碑', '', '', ''],
  ]);
  let r = await jb.post(`/api/v1/plans/${p.id}/import`, body, { contentType: 'text/csv' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.rows, 4);
  assert.equal(r.json.aspects_created, 2);
  assert.equal(r.json.items_created, 3);
  assert.equal(r.json.subitems_created, 4);
  const tree = (await jb.get(`/api/v1/plans/${p.id}/tree`)).json;
  assert.ok(tree.summary.startsWith('2 方面 3 大项 4 分项：完成'), tree.summary);
  const subs = tree.nodes.flatMap((a) => a.children.flatMap((i) => i.children));
  const rate = subs.find((x) => x.title === '工会会员入会率');
  assert.deepEqual(rate.target, { value: 90, unit: '%' });
  assert.equal(rate.weight, 2);
  assert.equal(rate.owners[0].name, '甬江街道');
  assert.equal(subs.find((x) => x.title === '新建非公企业党组织数').owners.length, 3);
  assert.equal(subs.find((x) => x.title === '新建非公企业党组织数').deadline, `${YEAR}-11-30`);
  assert.deepEqual(subs.find((x) => x.title === '出台工匠学院建设方案').target, { milestone: true });
  // export, import into a new plan, export again: the same file
  const e1 = await jb.get(`/api/v1/plans/${p.id}/export.csv`);
  assert.equal(e1.status, 200);
  assert.ok(e1.text.startsWith('\uFEFF方面,大项,分项'));
  assert.match(e1.headers.get('content-disposition'), /attachment/);
  const p2 = await createPlan(jb, { org_id: jbId, title: '往返' });
  r = await jb.post(`/api/v1/plans/${p2.id}/import`, e1.body, { contentType: 'text/csv' });
  assert.equal(r.status, 201, r.text);
  const e2 = await jb.get(`/api/v1/plans/${p2.id}/export.csv`);
  assert.equal(e2.text, e1.text);
  // JSON: out and back in
  const j1 = await jb.get(`/api/v1/plans/${p.id}/export.json`);
  assert.equal(j1.status, 200);
  assert.equal(j1.json.rows.length, 4);
  const p3 = await createPlan(jb, { org_id: jbId, title: 'JSON 往返' });
  r = await jb.post(`/api/v1/plans/${p3.id}/import`, JSON.stringify(j1.json), { contentType: 'application/json' });
  assert.equal(r.status, 201, r.text);
  const j3 = await jb.get(`/api/v1/plans/${p3.id}/export.json`);
  assert.deepEqual(j3.json.rows, j1.json.rows);
  // importing the same rows again adds sub-items under the same aspects and items
  r = await jb.post(`/api/v1/plans/${p3.id}/import`, JSON.stringify({ rows: j1.json.rows.slice(0, 1) }), { contentType: 'application/json' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.aspects_created, 0);
  assert.equal(r.json.items_created, 0);
  assert.equal(r.json.subitems_created, 1);
});

test('templates: a GBK file as Chinese Excel saves it', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `国标编码${Date.now()}` });
  const text = csv([HEAD.slice(0, 8), ['公共服务', '职工服务阵地', '户外劳动者驿站数', '江北区住房和城乡建设局', '', `${YEAR}-09-30`, '6', '个']]);
  const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
  const r = await jb.post(`/api/v1/plans/${p.id}/import`, gbk, { contentType: 'text/csv' });
  assert.equal(r.status, 201, r.text);
  const tree = (await jb.get(`/api/v1/plans/${p.id}/tree`)).json;
  assert.equal(tree.nodes[0].children[0].children[0].title, '户外劳动者驿站数');
});

test('templates: bad rows are named by row and column; nothing is half-imported', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `导入错误${Date.now()}` });
  const good = ['技能提升', '技能等级认定', '认定人数', '江北区人力资源和社会保障局', '', `${YEAR}-12-31`, '10', '人', '', ''];
  const body = '\uFEFF' + csv([
    HEAD,
    good,
    ['技能提升', '技能等级认定', '负目标', '江北区人力资源和社会保障局', '', `${YEAR}-12-31`, '-5', '人', '', ''],
    ['技能提升', '技能等级认定', '未知单位', '不存在的局', '', `${YEAR}-12-31`, '5', '人', '', ''],
    ['技能提升', '技能等级认定', '跨年度', '江北区人力资源和社会保障局', '', `${YEAR + 1}-03-31`, '5', '人', '', ''],
    ['技能提升', '技能等级认定', '无时限', '江北区人力资源和社会保障局', '', '', '5', '人', '', ''],
    ['技能提升', '技能等级认定', '非数字', '江北区人力资源和社会保障局', '', `${YEAR}-12-31`, '十个', '人', '', ''],
    ['技能提升', '技能等级认定', '未知指标', '江北区人力资源和社会保障局', '', `${YEAR}-12-31`, '5', '人', '', 'salary'],
    ['技能提升', '技能等级认定', '外区街道', '南门街道', '', `${YEAR}-12-31`, '5', '人', '', ''],
  ]);
  const r = await jb.post(`/api/v1/plans/${p.id}/import`, body, { contentType: 'text/csv' });
  assertError(r, 422, 'validation_failed');
  const d = r.json.error.details.map((x) => `${x.row}:${x.field}`);
  assert.deepEqual(d, ['3:目标值', '4:牵头单位', '5:完成时限', '6:完成时限', '7:目标值', '8:指标', '9:牵头单位']);
  // the good row 2 went in with the others: not at all
  const after = (await jb.get(`/api/v1/plans/${p.id}`)).json;
  assert.equal(after.subitems, 0);
  assert.equal(after.aspects, 0);
  // JSON rows: unknown fields and wrong types are named
  const j = await jb.post(`/api/v1/plans/${p.id}/import`, JSON.stringify({ rows: [
    { aspect: 'A', item: 'B', subitem: 'C', lead: '江北区教育局', deadline: `${YEAR}-12-31`, target: 1, salary: 1 },
    { aspect: 'A', item: 'B', subitem: 'C', lead: '江北区教育局', deadline: `${YEAR}-12-31`, target: true },
    { aspect: 'A', item: 'B', subitem: 'C', lead: '江北区教育局', deadline: `${YEAR}-12-31`, target: -2 },
    'not an object',
  ] }), { contentType: 'application/json' });
  assertError(j, 422, 'validation_failed');
  assert.deepEqual(j.json.error.details.map((x) => `${x.row}:${x.field}`), ['1:salary', '2:target', '3:目标值', '4:rows']);
  assertError(await jb.post(`/api/v1/plans/${p.id}/import`, '{"rows": 5}', { contentType: 'application/json' }), 422, 'validation_failed', 'rows');
  assertError(await jb.post(`/api/v1/plans/${p.id}/import`, '{"rows": [', { contentType: 'application/json' }), 422, 'validation_failed', 'file');
  // files that are not a plan
  assertError(await jb.post(`/api/v1/plans/${p.id}/import`, Buffer.from('PK\x03\x04\x14\x00\x06\x00binary', 'latin1'), { contentType: 'application/octet-stream' }), 422, 'validation_failed', 'file');
  const noCol = await jb.post(`/api/v1/plans/${p.id}/import`, '\uFEFF方面,大项,分项\r\nA,B,C\r\n', { contentType: 'text/csv' });
  assertError(noCol, 422, 'validation_failed', 'file');
  assert.match(noCol.json.error.message_zh, /牵头单位/);
  assertError(await jb.post(`/api/v1/plans/${p.id}/import`, '\uFEFF' + csv([HEAD]), { contentType: 'text/csv' }), 422, 'validation_failed', 'file');
  assertError(await jb.post(`/api/v1/plans/${p.id}/import`, '', { contentType: 'text/csv' }), 400, 'bad_request', 'file');
  // scope
  assertError(await zq.post(`/api/v1/plans/${p.id}/import`, body, { contentType: 'text/csv' }), 404, 'not_found');
  assertError(await viewer.post(`/api/v1/plans/${p.id}/import`, body, { contentType: 'text/csv' }), 403, 'forbidden');
  assertError(await rs.post(`/api/v1/plans/${p.id}/import`, body, { contentType: 'text/csv' }), 403, 'forbidden');
  assertError(await zq.get(`/api/v1/plans/${p.id}/export.json`), 404, 'not_found');
});

// ---- computed metrics ----

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function newId() {
  const b = `19${80 + randomInt(0, 15)}${String(1 + randomInt(0, 12)).padStart(2, '0')}${String(1 + randomInt(0, 28)).padStart(2, '0')}`;
  const f17 = `330205${b}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(f17[i]) * W[i];
  return f17 + '10X98765432'[s % 11];
}
async function waitJob(client, id) {
  for (let i = 0; i < 300; i++) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    if (r.json.state === 'done' || r.json.state === 'failed') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

test('computed metrics follow the registry: an import moves the actual without any report', async () => {
  const ent = await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `指标测试${Date.now()}`, uscc: randomUscc() });
  const p = await createPlan(yj, { org_id: yjId, title: `计算指标${Date.now()}` });
  const a = await addNode(yj, p.id, { kind: 'aspect', title: '产业工人队伍建设' });
  const it = await addNode(yj, p.id, { kind: 'item', title: '扩大工会覆盖', parent_id: a.id });
  const members = await addNode(yj, p.id, { kind: 'subitem', title: '工会会员人数', parent_id: it.id, owner_org_ids: [ent.id], deadline: `${YEAR}-12-31`, target: { value: 3, unit: '人' }, metric: 'union_members' });
  const rate = await addNode(yj, p.id, { kind: 'subitem', title: '工会会员入会率', parent_id: it.id, owner_org_ids: [ent.id], deadline: `${YEAR}-12-31`, target: { value: 80, unit: '%' }, metric: 'union_rate' });
  const high = await addNode(yj, p.id, { kind: 'subitem', title: '高技能人才占比', parent_id: it.id, owner_org_ids: [ent.id], deadline: `${YEAR}-12-31`, target: { value: 0.5, unit: '' }, metric: 'high_skill_ratio' });
  // a department lead answers for the street's own figure
  const total = await addNode(yj, p.id, { kind: 'subitem', title: '在职职工人数', parent_id: it.id, owner_org_ids: [d1], deadline: `${YEAR}-12-31`, target: { value: 100000, unit: '人' }, metric: 'workers' });
  const row = (st, n) => st.rows.find((x) => x.node_id === n.id);
  let st = (await yj.get(`/api/v1/plans/${p.id}/statement`)).json;
  assert.equal(row(st, members).actual, 0);
  assert.equal(row(st, members).status === 'grey' || row(st, members).status === 'yellow', true, 'nothing yet: not started');
  // a roster import: three workers, two in the union, one high-skilled of two skilled
  const ids = [newId(), newId(), newId()];
  const csvBody = '\uFEFF姓名,身份证号,所在单位,技能等级,是否工会会员\r\n' +
    `甲,${ids[0]},${ent.name},高级工,是\r\n乙,${ids[1]},${ent.name},初级工,是\r\n丙,${ids[2]},${ent.name},无,否\r\n`;
  const imp = await yj.post(`/api/v1/imports/workers?org=${ent.id}`, csvBody, { contentType: 'text/csv' });
  assert.equal(imp.status, 202, imp.text);
  const job = await waitJob(yj, imp.json.job_id);
  assert.equal(job.inserted, 3, JSON.stringify(job));
  st = (await yj.get(`/api/v1/plans/${p.id}/statement`)).json;
  assert.equal(row(st, members).actual, 2);
  assert.equal(row(st, members).completion, 0.6667);
  assert.equal(row(st, rate).actual, 66.6667);
  assert.equal(row(st, rate).completion, Math.round((666667 / 800000) * 10000) / 10000);
  assert.equal(row(st, high).actual, 0.5);
  assert.equal(row(st, high).completion, 1);
  assert.equal(row(st, high).status, 'green');
  // the department-led figure is the street's whole subtree
  const stats = (await yj.get(`/api/v1/stats/skills?org=${yjId}`)).json;
  assert.equal(row(st, total).actual, stats.workers);
  assert.equal(row(st, total).actual_as_of, st.as_of);
  // computed tasks take no reports
  assertError(await yj.post(`/api/v1/plans/${p.id}/nodes/${members.id}/reports`, { value: 3 }), 422, 'validation_failed', 'metric');
});
