// dates: this file runs at every date of tests/dates.txt
// Plans (实施方案): plans and nodes with their rules, scope (managers,
// readers, department owners, other streets), progress reports and their
// review, reminders and the inbox.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { login, orgId, assertError, request, today, createOrg, randomUscc, sql } from './lib.mjs';
import { YEAR, inYear, createPlan, addNode, report, recompute, assertStatement, allReports } from './plans.mjs';

let admin, jb, yj, zq, rs, viewer, auditor;
let jbId, yjId, zqId, d1, d2, d3;

before(async () => {
  admin = await login('admin');
  jb = await login('jiangbei');
  yj = await login('yongjiang');
  zq = await login('zhuangqiao');
  rs = await login('renshe');
  viewer = await login('viewer');
  auditor = await login('auditor');
  jbId = jb.user.grants[0].org_id;
  yjId = await orgId(jb, '甬江街道');
  zqId = await orgId(jb, '庄桥街道');
  d1 = await orgId(jb, '江北区人力资源和社会保障局');
  d2 = await orgId(jb, '江北区教育局');
  d3 = await orgId(jb, '江北区卫生健康局');
});

// A small district plan: one aspect, one item, tasks for d1 and d2.
async function districtPlan(title = `测试方案${Date.now()}`) {
  const p = await createPlan(jb, { org_id: jbId, title });
  const a = await addNode(jb, p.id, { kind: 'aspect', title: '产业工人队伍建设' });
  const it = await addNode(jb, p.id, { kind: 'item', title: '加强思想政治引领', parent_id: a.id });
  const s1 = await addNode(jb, p.id, { kind: 'subitem', title: '新建非公企业党组织数', parent_id: it.id, owner_org_ids: [d1, d2], deadline: `${YEAR}-12-31`, target: { value: 12, unit: '个' } });
  const s2 = await addNode(jb, p.id, { kind: 'subitem', title: '出台技能人才评价办法', parent_id: it.id, owner_org_ids: [d2], deadline: `${YEAR}-12-31`, target: { milestone: true }, weight: 2 });
  return { p, a, it, s1, s2 };
}

test('plans: create, read, list, edit, delete', async () => {
  const title = `江北区${YEAR}年产改实施方案${Date.now()}`;
  const p = await createPlan(jb, { org_id: jbId, title, due_soon_days: 20 });
  assert.equal(p.org_id, jbId);
  assert.equal(p.year, YEAR);
  assert.equal(p.access, 'manage');
  assert.equal(p.due_soon_days, 20);
  let r = await jb.get(`/api/v1/plans/${p.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.title, title);
  assert.equal(r.json.subitems, 0);
  r = await jb.get(`/api/v1/plans?year=${YEAR}&limit=500`);
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((x) => x.id === p.id));
  r = await jb.patch(`/api/v1/plans/${p.id}`, { title: `${title}（修订）`, due_soon_days: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, `${title}（修订）`);
  assert.equal(r.json.due_soon_days, null);
  // the city sees it, the viewer reads it
  r = await admin.get(`/api/v1/plans/${p.id}`);
  assert.equal(r.json.access, 'manage');
  r = await viewer.get(`/api/v1/plans/${p.id}`);
  assert.equal(r.json.access, 'read');
  r = await jb.del(`/api/v1/plans/${p.id}`);
  assert.equal(r.status, 204);
  assertError(await jb.get(`/api/v1/plans/${p.id}`), 404, 'not_found');
  // audited
  const a = await auditor.get('/api/v1/audit?action=plan.create&actor=jiangbei');
  assert.ok(a.json.items.some((e) => e.target === `plan:${p.id}`));
});

test('plans: paging with a cursor', async () => {
  const made = [];
  for (let i = 0; i < 3; i++) made.push((await createPlan(yj, { org_id: yjId, title: `分页${i}` })).id);
  const seen = [];
  let after = '';
  for (let k = 0; k < 100; k++) {
    const r = await yj.get(`/api/v1/plans?limit=2${after}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2);
    seen.push(...r.json.items.map((x) => x.id));
    if (!r.json.next) break;
    after = `&after=${r.json.next}`;
  }
  assert.equal(new Set(seen).size, seen.length, 'no repeats');
  for (const id of made) assert.ok(seen.includes(id));
  assertError(await yj.get('/api/v1/plans?after=nonsense'), 400, 'bad_request', 'after');
  for (const id of made) assert.equal((await yj.del(`/api/v1/plans/${id}`)).status, 204);
});

test('plans: bad input', async () => {
  assertError(await jb.post('/api/v1/plans', { org_id: jbId, year: 1999, title: 'x' }), 422, 'validation_failed', 'year');
  assertError(await jb.post('/api/v1/plans', { org_id: jbId, year: YEAR }), 422, 'validation_failed', 'title');
  assertError(await jb.post('/api/v1/plans', { org_id: jbId, year: YEAR, title: 'x', owner: 1 }), 400, 'bad_request', 'owner');
  assertError(await jb.post('/api/v1/plans', { org_id: jbId, year: `${YEAR}`, title: 'x' }), 422, 'validation_failed', 'year');
  assertError(await jb.post('/api/v1/plans', { org_id: d1, year: YEAR, title: 'x' }), 422, 'validation_failed', 'org_id');
  // another street's org is not one zhuangqiao manages
  assertError(await zq.post('/api/v1/plans', { org_id: yjId, year: YEAR, title: 'x' }), 404, 'not_found', 'org_id');
  // viewers and departments do not create plans
  assertError(await viewer.post('/api/v1/plans', { org_id: jbId, year: YEAR, title: 'x' }), 403, 'forbidden');
  assertError(await rs.post('/api/v1/plans', { org_id: jbId, year: YEAR, title: 'x' }), 403, 'forbidden');
  assertError(await request('GET', '/api/v1/plans'), 401, 'unauthenticated');
  // a year that would leave deadlines outside
  const { p } = await districtPlan();
  assertError(await jb.patch(`/api/v1/plans/${p.id}`, { year: YEAR + 1 }), 422, 'validation_failed', 'year');
  assertError(await viewer.patch(`/api/v1/plans/${p.id}`, { title: 'y' }), 403, 'forbidden');
  assertError(await jb.get('/api/v1/plans/999999999'), 404, 'not_found');
});

test('nodes: a three-level tree with owners, deadlines and targets', async () => {
  const { p, a, it, s1, s2 } = await districtPlan();
  assert.equal(s1.kind, 'subitem');
  assert.equal(s1.lead_org_id, d1);
  assert.deepEqual(s1.owner_org_ids, [d1, d2]);
  assert.deepEqual(s1.owners.map((o) => o.lead), [true, false]);
  assert.deepEqual(s1.target, { value: 12, unit: '个' });
  assert.deepEqual(s2.target, { milestone: true });
  assert.equal(s2.weight, 2);
  assert.equal(s2.order, 2);
  const t = await jb.get(`/api/v1/plans/${p.id}/tree`);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.nodes.length, 1);
  assert.equal(t.json.nodes[0].id, a.id);
  assert.equal(t.json.nodes[0].no, '一');
  assert.equal(t.json.nodes[0].children[0].id, it.id);
  assert.deepEqual(t.json.nodes[0].children[0].children.map((x) => x.no), ['1.1', '1.2']);
  assert.equal(t.json.summary, '1 方面 1 大项 2 分项：完成 0，进行中 2，逾期 0');
  // edit a target and the order
  let r = await jb.patch(`/api/v1/plans/${p.id}/nodes/${s1.id}`, { target: { value: 15.5, unit: '个' }, order: 9, owner_org_ids: [d1] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.target.value, 15.5);
  assert.deepEqual(r.json.owner_org_ids, [d1]);
  r = await jb.get(`/api/v1/plans/${p.id}/nodes/${s1.id}`);
  assert.equal(r.json.order, 9);
  const t2 = await jb.get(`/api/v1/plans/${p.id}/tree`);
  assert.deepEqual(t2.json.nodes[0].children[0].children.map((x) => x.id), [s2.id, s1.id]);
  // delete without reports; then the plan
  r = await jb.del(`/api/v1/plans/${p.id}/nodes/${s2.id}`);
  assert.equal(r.status, 204);
  assertError(await jb.get(`/api/v1/plans/${p.id}/nodes/${s2.id}`), 404, 'not_found');
  r = await jb.del(`/api/v1/plans/${p.id}/nodes/${a.id}`);
  assert.equal(r.status, 204, 'an aspect goes with its items and sub-items');
  assertError(await jb.get(`/api/v1/plans/${p.id}/nodes/${s1.id}`), 404, 'not_found');
  assert.equal((await jb.del(`/api/v1/plans/${p.id}`)).status, 204);
});

test('nodes: bad input names the field', async () => {
  const { p, a, it, s1 } = await districtPlan();
  const sub = { kind: 'subitem', title: '任务', parent_id: it.id, owner_org_ids: [d1], deadline: `${YEAR}-06-30`, target: { value: 3, unit: '项' } };
  const post = (b) => jb.post(`/api/v1/plans/${p.id}/nodes`, b);
  assertError(await post({ ...sub, owner_org_ids: [] }), 422, 'validation_failed', 'owner_org_ids');
  const { owner_org_ids: _o, ...noOwner } = sub;
  assertError(await post(noOwner), 422, 'validation_failed', 'owner_org_ids');
  const { deadline: _d, ...noDeadline } = sub;
  assertError(await post(noDeadline), 422, 'validation_failed', 'deadline');
  assertError(await post({ ...sub, deadline: `${YEAR + 1}-01-01` }), 422, 'validation_failed', 'deadline');
  assertError(await post({ ...sub, deadline: `${YEAR - 1}-12-31` }), 422, 'validation_failed', 'deadline');
  assertError(await post({ ...sub, deadline: `${YEAR}-02-30` }), 422, 'validation_failed', 'deadline');
  assertError(await post({ ...sub, target: { value: -1, unit: '项' } }), 422, 'validation_failed', 'target');
  assertError(await post({ ...sub, target: { value: '12', unit: '项' } }), 422, 'validation_failed', 'target');
  assertError(await post({ ...sub, target: { unit: '项' } }), 422, 'validation_failed', 'target');
  assertError(await post({ ...sub, target: { value: 3, milestone: true } }), 422, 'validation_failed', 'target');
  assertError(await post({ ...sub, target: { value: 3, max: 4 } }), 422, 'validation_failed', 'target');
  assertError(await post({ ...sub, target: 12 }), 422, 'validation_failed', 'target');
  const { target: _t, ...noTarget } = sub;
  assertError(await post(noTarget), 422, 'validation_failed', 'target');
  assertError(await post({ ...sub, metric: 'salary' }), 422, 'validation_failed', 'metric');
  assertError(await post({ ...sub, target: { milestone: true }, metric: 'union_rate' }), 422, 'validation_failed', 'metric');
  assertError(await post({ ...sub, weight: -1 }), 422, 'validation_failed', 'weight');
  assertError(await post({ ...sub, title: '' }), 422, 'validation_failed', 'title');
  assertError(await post({ ...sub, kind: 'task' }), 422, 'validation_failed', 'kind');
  // parents of the wrong kind: the tree stays aspect → item → sub-item
  assertError(await post({ ...sub, parent_id: a.id }), 422, 'validation_failed', 'parent_id');
  assertError(await post({ ...sub, parent_id: s1.id }), 422, 'validation_failed', 'parent_id');
  assertError(await post({ kind: 'item', title: 'x', parent_id: it.id }), 422, 'validation_failed', 'parent_id');
  assertError(await post({ kind: 'item', title: 'x' }), 422, 'validation_failed', 'parent_id');
  assertError(await post({ kind: 'aspect', title: 'x', parent_id: a.id }), 422, 'validation_failed', 'parent_id');
  assertError(await post({ kind: 'aspect', title: 'x', deadline: `${YEAR}-05-01` }), 422, 'validation_failed', 'deadline');
  assertError(await post({ kind: 'item', title: 'x', parent_id: a.id, owner_org_ids: [d1] }), 422, 'validation_failed', 'owner_org_ids');
  // a parent from another plan
  const other = await districtPlan();
  assertError(await post({ ...sub, parent_id: other.it.id }), 422, 'validation_failed', 'parent_id');
  // moving an item under a sub-item, or a node under itself
  assertError(await jb.patch(`/api/v1/plans/${p.id}/nodes/${it.id}`, { parent_id: s1.id }), 422, 'validation_failed', 'parent_id');
  assertError(await jb.patch(`/api/v1/plans/${p.id}/nodes/${it.id}`, { parent_id: it.id }), 422, 'validation_failed', 'parent_id');
  // owners: a department or an org under the plan's org; not another district's street
  const nm = await orgId(admin, '南门街道', 1);
  assertError(await post({ ...sub, owner_org_ids: [nm] }), 422, 'validation_failed', 'owner_org_ids');
  assertError(await post({ ...sub, owner_org_ids: [d1, d1] }), 422, 'validation_failed', 'owner_org_ids');
  assertError(await post({ ...sub, owner_org_ids: [999999999] }), 422, 'validation_failed', 'owner_org_ids');
  // a street may be an owner of a district task
  await addNode(jb, p.id, { ...sub, owner_org_ids: [yjId, d1] });
  // wrong types
  assertError(await post({ ...sub, owner_org_ids: 'd1' }), 422, 'validation_failed', 'owner_org_ids');
  assertError(await post({ ...sub, deadline: 'soon' }), 422, 'validation_failed', 'deadline');
  // only managers edit
  assertError(await viewer.post(`/api/v1/plans/${p.id}/nodes`, sub), 403, 'forbidden');
  assertError(await rs.patch(`/api/v1/plans/${p.id}/nodes/${s1.id}`, { title: 'x' }), 403, 'forbidden');
  assertError(await zq.post(`/api/v1/plans/${p.id}/nodes`, sub), 404, 'not_found');
});

test('scope: a department sees the outline and its own sub-items only', async () => {
  const { p, s1, s2 } = await districtPlan();
  const s3 = await addNode(jb, p.id, { kind: 'subitem', title: '卫生健康任务', parent_id: s1.parent_id, owner_org_ids: [d3], deadline: `${YEAR}-12-31`, target: { value: 1, unit: '项' } });
  let r = await rs.get(`/api/v1/plans/${p.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.access, 'owner');
  r = await rs.get(`/api/v1/plans/${p.id}/tree`);
  assert.equal(r.status, 200);
  const subs = r.json.nodes[0].children[0].children;
  assert.deepEqual(subs.map((x) => x.id), [s1.id], 'only its own sub-item');
  assert.equal(r.json.nodes[0].title, '产业工人队伍建设', 'the outline is there');
  r = await rs.get(`/api/v1/plans/${p.id}/statement`);
  assert.deepEqual(r.json.rows.map((x) => x.node_id), [s1.id]);
  assert.equal(r.json.restricted, true);
  assertError(await rs.get(`/api/v1/plans/${p.id}/nodes/${s2.id}`), 404, 'not_found');
  assertError(await rs.get(`/api/v1/plans/${p.id}/nodes/${s3.id}/reports`), 404, 'not_found');
  // a department cannot report on another's task
  assertError(await rs.post(`/api/v1/plans/${p.id}/nodes/${s3.id}/reports`, { value: 1 }), 404, 'not_found');
  assertError(await rs.post(`/api/v1/plans/${p.id}/nodes/${s2.id}/reports`, { done: true }), 404, 'not_found');
  // a manager who owns no task does not report on it either
  assertError(await jb.post(`/api/v1/plans/${p.id}/nodes/${s1.id}/reports`, { value: 1 }), 403, 'forbidden');
  assertError(await viewer.post(`/api/v1/plans/${p.id}/nodes/${s1.id}/reports`, { value: 1 }), 403, 'forbidden');
  // its reports list shows only its own
  await report(rs, p.id, s1.id, { value: 2, as_of: today() });
  r = await jb.get(`/api/v1/plans/${p.id}/reports`);
  assert.ok(r.json.items.length >= 1);
  r = await rs.get(`/api/v1/plans/${p.id}/reports`);
  assert.ok(r.json.items.every((x) => x.node_id === s1.id));
  // sealed statements hold every task: none for a department, and the
  // list says why rather than 404
  r = await rs.get(`/api/v1/plans/${p.id}/statements`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.restricted, r.json.items], [true, []]);
  // the plan list shows the plan as owned
  r = await rs.get('/api/v1/plans?limit=500');
  assert.ok(r.json.items.some((x) => x.id === p.id && x.access === 'owner'));
});

test('scope: a street cannot read another street\'s plan (404), the district and city can', async () => {
  const p = await createPlan(yj, { org_id: yjId, title: `甬江街道对账${Date.now()}` });
  const a = await addNode(yj, p.id, { kind: 'aspect', title: '公共服务' });
  const it = await addNode(yj, p.id, { kind: 'item', title: '职工服务阵地', parent_id: a.id });
  // a street's tasks may be owned by the district's departments
  const s = await addNode(yj, p.id, { kind: 'subitem', title: '户外劳动者驿站数', parent_id: it.id, owner_org_ids: [d1], deadline: `${YEAR}-12-31`, target: { value: 4, unit: '个' } });
  for (const path of [`/api/v1/plans/${p.id}`, `/api/v1/plans/${p.id}/tree`, `/api/v1/plans/${p.id}/statement`,
    `/api/v1/plans/${p.id}/statement.xlsx`, `/api/v1/plans/${p.id}/reports`, `/api/v1/plans/${p.id}/statements`,
    `/api/v1/plans/${p.id}/nodes/${s.id}`, `/api/v1/plans/${p.id}/export.csv`]) {
    assertError(await zq.get(path), 404, 'not_found');
  }
  assertError(await zq.patch(`/api/v1/plans/${p.id}`, { title: 'x' }), 404, 'not_found');
  assertError(await zq.del(`/api/v1/plans/${p.id}`), 404, 'not_found');
  assertError(await zq.post(`/api/v1/plans/${p.id}/nodes/${s.id}/reports`, { value: 1 }), 404, 'not_found');
  assertError(await zq.post(`/api/v1/plans/${p.id}/statements`, { as_of: today(), title: 'x' }), 404, 'not_found');
  let r = await zq.get('/api/v1/plans?limit=500');
  assert.ok(r.json.items.every((x) => x.id !== p.id));
  assertError(await zq.get(`/api/v1/plans?org=${yjId}`), 404, 'not_found', 'org');
  r = await jb.get(`/api/v1/plans?org=${yjId}&limit=500`);
  assert.ok(r.json.items.some((x) => x.id === p.id && x.access === 'manage'));
  r = await admin.get(`/api/v1/plans/${p.id}/statement`);
  assert.equal(r.status, 200);
  // the owning department sees the street's plan and reports on its task
  r = await rs.get(`/api/v1/plans/${p.id}/tree`);
  assert.equal(r.status, 200);
  await report(rs, p.id, s.id, { value: 1, note: '已建成 1 个', as_of: today() });
});

test('scope: a street sees its enterprises\' plans; the district sees the street\'s', async () => {
  const ent = await createOrg(yj, { parent_id: yjId, kind: 'enterprise', name: `方案企业${Date.now()}`, uscc: randomUscc() });
  const p = await createPlan(yj, { org_id: ent.id, title: '企业产改工作计划' });
  assert.equal(p.org_kind, 'enterprise');
  let r = await yj.get(`/api/v1/plans?org=${yjId}&limit=500`);
  assert.ok(r.json.items.some((x) => x.id === p.id));
  r = await jb.get(`/api/v1/plans/${p.id}`);
  assert.equal(r.json.access, 'manage');
  r = await admin.get(`/api/v1/plans/${p.id}`);
  assert.equal(r.status, 200);
  assertError(await zq.get(`/api/v1/plans/${p.id}`), 404, 'not_found');
  assertError(await rs.get(`/api/v1/plans/${p.id}`), 404, 'not_found');
});

test('reports: values, milestones, history, review; a returned report stops counting', async () => {
  const { p, s1, s2 } = await districtPlan();
  const jy = s2.owners[0].org_id;
  assert.equal(jy, d2);
  const r1 = await report(rs, p.id, s1.id, { value: 4, note: '一季度', as_of: `${YEAR}-01-01` });
  assert.equal(r1.state, 'submitted');
  assert.equal(r1.org_id, d1);
  assert.equal(r1.value, 4);
  assert.equal(r1.done, null);
  const r2 = await report(rs, p.id, s1.id, { value: 9.5, note: '截至目前', as_of: today() });
  let st = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json;
  let row = st.rows.find((x) => x.node_id === s1.id);
  assert.equal(row.actual, 9.5);
  assert.equal(row.completion, Math.round((9.5 / 12) * 10000) / 10000);
  assert.equal(row.last_report.id, r2.id);
  // as_of filters: before the second report only the first counts
  if (today() > `${YEAR}-01-01`) {
    st = (await jb.get(`/api/v1/plans/${p.id}/statement?as_of=${YEAR}-01-01`)).json;
    assert.equal(st.rows.find((x) => x.node_id === s1.id).actual, 4);
  }
  // review: return with a reason, then the earlier report counts again
  let r = await jb.post(`/api/v1/plans/${p.id}/reports/${r2.id}/return`, { reason: '数据与台账不符，请核实' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'returned');
  assert.equal(r.json.reason, '数据与台账不符，请核实');
  assert.equal(r.json.reviewer, 'jiangbei');
  st = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json;
  row = st.rows.find((x) => x.node_id === s1.id);
  assert.equal(row.actual, 4, 'a returned report does not count');
  assert.equal(row.last_report.state, 'returned', 'but it is still the latest report');
  assertError(await jb.post(`/api/v1/plans/${p.id}/reports/${r2.id}/accept`), 409, 'conflict');
  assertError(await jb.post(`/api/v1/plans/${p.id}/reports/${r2.id}/return`, { reason: '再次退回' }), 409, 'conflict');
  r = await jb.post(`/api/v1/plans/${p.id}/reports/${r1.id}/accept`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'accepted');
  assertError(await jb.post(`/api/v1/plans/${p.id}/reports/${r1.id}/return`, {}), 422, 'validation_failed', 'reason');
  assertError(await rs.post(`/api/v1/plans/${p.id}/reports/${r1.id}/accept`), 403, 'forbidden');
  assertError(await jb.post(`/api/v1/plans/${p.id}/reports/999999999/accept`), 404, 'not_found');
  // history: both reports, newest first
  r = await rs.get(`/api/v1/plans/${p.id}/nodes/${s1.id}/reports`);
  assert.deepEqual(r.json.items.map((x) => x.id), [r2.id, r1.id]);
  r = await jb.get(`/api/v1/plans/${p.id}/reports?state=returned`);
  assert.deepEqual(r.json.items.map((x) => x.id), [r2.id]);
  // the reporter's inbox has the return
  r = await rs.get('/api/v1/inbox');
  assert.equal(r.status, 200, r.text);
  const entry = r.json.items.find((x) => x.ref.kind === 'plan_report' && x.ref.id === r2.id);
  assert.ok(entry, 'an inbox entry for the returned report');
  assert.equal(entry.kind, 'returned');
  assert.equal(entry.source, 'plans');
  assert.equal(entry.title, p.title);
  assert.match(entry.link, new RegExp(`^/plans\\?plan=${p.id}$`));
  assert.equal(entry.read, false);
  assert.ok(entry.message_zh.includes('数据与台账不符'));
  assert.ok(r.json.unread >= 1);
  assert.equal((await rs.post(`/api/v1/inbox/${entry.id}/read`)).status, 204);
  r = await rs.get('/api/v1/inbox?unread=1');
  assert.ok(r.json.items.every((x) => x.id !== entry.id));
  assertError(await zq.post(`/api/v1/inbox/${entry.id}/read`), 404, 'not_found');
  // the audit trail has the reports and the review
  const a = await auditor.get('/api/v1/audit?action=plan.report_return');
  assert.ok(a.json.items.some((e) => e.target === `plan_report:${r2.id}`));
  // a node with reports stays
  assertError(await jb.del(`/api/v1/plans/${p.id}/nodes/${s1.id}`), 409, 'conflict');
  assertError(await jb.del(`/api/v1/plans/${p.id}`), 409, 'conflict');
});

test('the review queue: sub-items named, reporters by name, superseded reports, filters, total, batch accept', async () => {
  const { p, s1, s2 } = await districtPlan();
  // 江北区人社局 reports s1 twice (the later supersedes the earlier); 教育局 reports s1 and s2
  const rs1 = await report(rs, p.id, s1.id, { value: 3, as_of: inYear(-20) });
  const rs2 = await report(rs, p.id, s1.id, { value: 5, as_of: inYear(-20) });
  let queue = await jb.get(`/api/v1/plans/${p.id}/reports?state=submitted`);
  assert.equal(queue.status, 200, queue.text);
  assert.equal(queue.json.total, 2);
  const first = queue.json.items.find((x) => x.id === rs2.id);
  assert.equal(first.node_no, '1.1');
  assert.equal(first.node_title, '新建非公企业党组织数');
  assert.equal(first.node_unit, '个');
  assert.equal(first.org_name, '江北区人力资源和社会保障局');
  const me = (await rs.get('/api/v1/session')).json.user;
  assert.equal(first.reporter_name, me.name, 'the reporter by name');
  assert.equal(first.superseded, false);
  assert.equal(queue.json.items.find((x) => x.id === rs1.id).superseded, true, 'the same unit reported the same day again');
  // current=1 leaves the superseded one out; org= and node= filter
  queue = await jb.get(`/api/v1/plans/${p.id}/reports?state=submitted&current=1`);
  assert.deepEqual(queue.json.items.map((x) => x.id), [rs2.id]);
  assert.equal(queue.json.total, 1);
  assert.equal((await jb.get(`/api/v1/plans/${p.id}/reports?org=${d2}`)).json.total, 0);
  assert.equal((await jb.get(`/api/v1/plans/${p.id}/reports?org=${d1}&node=${s1.id}`)).json.total, 2);
  assert.equal((await jb.get(`/api/v1/plans/${p.id}/reports?node=${s2.id}`)).json.total, 0);
  assertError(await jb.get(`/api/v1/plans/${p.id}/reports?current=2`), 400, 'bad_request', 'current');
  // the statement says the figure waits for review
  let row = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json.rows.find((x) => x.node_id === s1.id);
  assert.equal(row.actual, 5);
  assert.equal(row.actual_state, 'submitted');
  // batch accept: every one or none
  assertError(await jb.post(`/api/v1/plans/${p.id}/reports/accept`, { ids: [] }), 422, 'validation_failed', 'ids');
  assertError(await rs.post(`/api/v1/plans/${p.id}/reports/accept`, { ids: [rs2.id] }), 403, 'forbidden');
  let r = await jb.post(`/api/v1/plans/${p.id}/reports/accept`, { ids: [rs2.id, 999999999] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.details[0].field, 'ids');
  assert.equal(r.json.error.details[0].row, 2, 'the second id is named');
  assert.equal((await jb.get(`/api/v1/plans/${p.id}/reports?state=submitted`)).json.total, 2, 'nothing accepted');
  r = await jb.post(`/api/v1/plans/${p.id}/reports/accept`, { ids: [rs2.id, rs2.id] });
  assert.equal(r.status, 422, r.text);
  r = await jb.post(`/api/v1/plans/${p.id}/reports/accept`, { ids: [rs2.id, rs1.id] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 2);
  queue = await jb.get(`/api/v1/plans/${p.id}/reports?state=accepted`);
  assert.deepEqual(queue.json.items.map((x) => x.id).sort(), [rs1.id, rs2.id].sort());
  assert.ok(queue.json.items.every((x) => x.reviewer === 'jiangbei' && x.reviewer_name));
  r = await jb.post(`/api/v1/plans/${p.id}/reports/accept`, { ids: [rs1.id] });
  assert.equal(r.status, 409, 'reviewed already');
  row = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json.rows.find((x) => x.node_id === s1.id);
  assert.equal(row.actual_state, 'accepted');
  const a = await auditor.get('/api/v1/audit?action=plan.reports_accept');
  assert.ok(a.json.items.some((e) => e.target === `plan:${p.id}`), 'the batch is audited');
});

test('reports: bad input', async () => {
  const { p, a, s1, s2 } = await districtPlan();
  const post = (node, body, who = rs) => who.post(`/api/v1/plans/${p.id}/nodes/${node}/reports`, body);
  assertError(await post(s1.id, {}), 422, 'validation_failed', 'value');
  assertError(await post(s1.id, { value: -1 }), 422, 'validation_failed', 'value');
  assertError(await post(s1.id, { value: '5' }), 422, 'validation_failed', 'value');
  assertError(await post(s1.id, { done: true }), 422, 'validation_failed', 'done');
  assertError(await post(s1.id, { value: 1, as_of: '2999-01-01' }), 422, 'validation_failed', 'as_of');
  assertError(await post(s1.id, { value: 1, as_of: `${YEAR - 1}-12-31` }), 422, 'validation_failed', 'as_of');
  assertError(await post(s1.id, { value: 1, as_of: 'today' }), 422, 'validation_failed', 'as_of');
  assertError(await post(s1.id, { value: 1, note: 'x'.repeat(1001) }), 422, 'validation_failed', 'note');
  assertError(await post(s1.id, { value: 1, extra: 1 }), 400, 'bad_request', 'extra');
  assertError(await post(a.id, { value: 1 }, jb), 422, 'validation_failed', 'node_id');
  assertError(await post(999999999, { value: 1 }), 404, 'not_found');
  // the milestone belongs to 教育局 (d2): a department user of d2 reports done
  const sec = await login('secadmin');
  const { createUser } = await import('./lib.mjs');
  const u = await createUser(sec, { org_id: d2, role: 'department' });
  assertError(await post(s2.id, { value: 1 }, u.client), 422, 'validation_failed', 'value');
  assertError(await post(s2.id, {}, u.client), 422, 'validation_failed', 'done');
  const m = await report(u.client, p.id, s2.id, { done: true, note: '办法已印发' });
  assert.equal(m.done, true);
  assert.equal(m.value, null);
  const st = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json;
  const row = st.rows.find((x) => x.node_id === s2.id);
  assert.equal(row.done, true);
  assert.equal(row.completion, 1);
  assert.equal(row.status, 'green');
  // as a co-owner of d1's task it reports too, in its own name
  const co = await report(u.client, p.id, s1.id, { value: 1 });
  assert.equal(co.org_id, d2);
  // a task of d3's is not even visible to it
  const s3 = await addNode(jb, p.id, { kind: 'subitem', title: '卫生健康任务', parent_id: s1.parent_id, owner_org_ids: [d3], deadline: `${YEAR}-12-31`, target: { value: 1, unit: '项' } });
  assertError(await post(s3.id, { value: 1 }, u.client), 404, 'not_found');
});

test('status lights and totals follow the rules, recomputed from the reports', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `状态灯${Date.now()}`, due_soon_days: 30 });
  const a = await addNode(jb, p.id, { kind: 'aspect', title: '技能提升' });
  const it = await addNode(jb, p.id, { kind: 'item', title: '技能等级认定', parent_id: a.id, weight: 2 });
  const it2 = await addNode(jb, p.id, { kind: 'item', title: '师徒结对', parent_id: a.id });
  const past = inYear(-1), soon = inYear(10), far = `${YEAR}-12-31`;
  const tasks = [
    { parent_id: it.id, title: '逾期未完成', deadline: past, target: { value: 10, unit: '人' } },
    { parent_id: it.id, title: '逾期已完成', deadline: past, target: { value: 10, unit: '人' }, weight: 3 },
    { parent_id: it.id, title: '临期滞后', deadline: soon, target: { value: 10, unit: '人' } },
    { parent_id: it2.id, title: '未开始', deadline: far, target: { value: 5, unit: '对' } },
    { parent_id: it2.id, title: '里程碑', deadline: soon, target: { milestone: true } },
  ];
  const ids = [];
  for (const t of tasks) ids.push((await addNode(jb, p.id, { kind: 'subitem', owner_org_ids: [d1], ...t })).id);
  await report(rs, p.id, ids[0], { value: 3, as_of: today() < past ? today() : past });
  await report(rs, p.id, ids[1], { value: 12 });
  await report(rs, p.id, ids[2], { value: 1 });
  await report(rs, p.id, ids[4], { done: false });
  const tree = (await jb.get(`/api/v1/plans/${p.id}/tree`)).json;
  const st = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json;
  const reports = await allReports(jb, p.id);
  assertStatement(st, recompute({ tree, reports, asOf: today(), soon: 30, year: YEAR, metricActual: () => 0 }));
  if (past < today()) {
    assert.equal(st.rows.find((x) => x.node_id === ids[0]).status, 'red');
    assert.equal(st.totals.levels.subitem.overdue, 1);
  }
  assert.equal(st.rows.find((x) => x.node_id === ids[1]).status, 'green');
  assert.equal(st.rows.find((x) => x.node_id === ids[1]).completion, 1);
  // owners' totals: d1 leads all five
  const own = st.totals.owners.find((x) => x.org_id === d1);
  assert.equal(own.subitems, 5);
  assert.equal(own.done + own.in_progress + own.overdue, 5);
  // the owner filter keeps only d1's rows; another owner has none
  let r = await jb.get(`/api/v1/plans/${p.id}/statement?owner=${d1}`);
  assert.equal(r.json.rows.length, 5);
  r = await jb.get(`/api/v1/plans/${p.id}/statement?owner=${d2}`);
  assert.equal(r.json.rows.length, 0);
  assert.equal(r.json.totals.summary, '0 方面 0 大项 0 分项：完成 0，进行中 0，逾期 0');
  // the district filter includes its departments
  r = await jb.get(`/api/v1/plans/${p.id}/statement?owner=${jbId}`);
  assert.equal(r.json.rows.length, 5);
  assertError(await jb.get(`/api/v1/plans/${p.id}/statement?owner=999999999`), 404, 'not_found', 'owner');
  assertError(await jb.get(`/api/v1/plans/${p.id}/statement?as_of=2026-13-01`), 400, 'bad_request', 'as_of');
  // a wider due-soon window for this plan changes the light, not the data
  r = await jb.patch(`/api/v1/plans/${p.id}`, { due_soon_days: 365 });
  assert.equal(r.status, 200);
  const st2 = (await jb.get(`/api/v1/plans/${p.id}/statement`)).json;
  assertStatement(st2, recompute({ tree, reports, asOf: today(), soon: 365, year: YEAR, metricActual: () => 0 }));
});

test('reminders: overdue and due soon for the caller\'s tasks; red tasks reach the inbox', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `提醒${Date.now()}` });
  const a = await addNode(jb, p.id, { kind: 'aspect', title: '保障机制' });
  const it = await addNode(jb, p.id, { kind: 'item', title: '职工权益保障', parent_id: a.id });
  const past = inYear(-2), soon = inYear(5);
  const late = await addNode(jb, p.id, { kind: 'subitem', title: `逾期任务${Date.now()}`, parent_id: it.id, owner_org_ids: [d1], deadline: past, target: { value: 3, unit: '次' } });
  const near = await addNode(jb, p.id, { kind: 'subitem', title: `临期任务${Date.now()}`, parent_id: it.id, owner_org_ids: [d1], deadline: soon, target: { value: 3, unit: '次' } });
  const others = await addNode(jb, p.id, { kind: 'subitem', title: '他人任务', parent_id: it.id, owner_org_ids: [d3], deadline: past, target: { value: 3, unit: '次' } });
  let r = await rs.get('/api/v1/reminders');
  assert.equal(r.status, 200, r.text);
  const isOverdue = past < today();
  assert.equal(r.json.overdue.some((x) => x.node_id === late.id), isOverdue);
  assert.ok(r.json.due_soon.some((x) => x.node_id === near.id) || near.deadline < today());
  assert.ok(!r.json.overdue.some((x) => x.node_id === others.id), 'not another department\'s task');
  if (isOverdue) {
    const t = r.json.overdue.find((x) => x.node_id === late.id);
    assert.equal(t.status, 'red');
    assert.ok(t.days_left < 0);
    assert.equal(t.owner.org_id, d1);
  }
  // the district sees every task its departments own; one owner only with ?owner=
  r = await jb.get(`/api/v1/reminders?owner=${d3}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.overdue.some((x) => x.node_id === others.id), isOverdue);
  assert.ok(!r.json.overdue.some((x) => x.node_id === late.id));
  assertError(await zq.get(`/api/v1/reminders?owner=${yjId}`), 404, 'not_found', 'owner');
  // reading the inbox writes nothing: the red entry is the sweep's to make
  const redOf = (res, id) => res.json.items.filter((x) => x.kind === 'red' && x.ref.kind === 'plan_node' && x.ref.id === id);
  const stored = () => Number(sql(`SELECT count(*) FROM inbox WHERE ref_kind = 'plan_node' AND ref_id = ${late.id}`));
  r = await rs.get('/api/v1/inbox?limit=500');
  assert.equal(r.status, 200, r.text);
  assert.equal(redOf(r, late.id).length, 0);
  assert.equal(stored(), 0, 'GET /inbox wrote nothing');
  // the sweep (what the server runs at start and every few minutes) leaves
  // one entry per owner, however often it runs
  for (let i = 0; i < 2; i++) {
    const out = execFileSync(process.env.CHANGAI_BIN, ['sweep', '--db', process.env.CHANGAI_DB],
      { encoding: 'utf8', timeout: 60000 });
    assert.match(out, /^sweep: \d+ inbox entries recorded$/m);
    r = await rs.get('/api/v1/inbox?limit=500');
    const red = redOf(r, late.id);
    assert.equal(red.length, isOverdue ? 1 : 0);
    if (isOverdue) {
      assert.equal(red[0].org_id, d1);
      assert.equal(red[0].read, false);
      assert.match(red[0].message_zh, /逾期且未完成/);
    }
    assert.equal(stored(), isOverdue ? 1 : 0);
    assert.equal(redOf(r, near.id).length, 0, 'a task not yet due is not red');
  }
  assert.ok(!r.json.items.some((x) => x.node_id === others.id), 'not another department\'s entry');
  // a deadline moved and passed again is announced again, once
  const later = inYear(-1);
  r = await jb.patch(`/api/v1/plans/${p.id}/nodes/${late.id}`, { deadline: later });
  assert.equal(r.status, 200, r.text);
  const again = later !== past && later < today();
  for (let i = 0; i < 2; i++) {
    execFileSync(process.env.CHANGAI_BIN, ['sweep', '--db', process.env.CHANGAI_DB],
      { encoding: 'utf8', timeout: 60000 });
    assert.equal(stored(), (isOverdue ? 1 : 0) + (again ? 1 : 0));
  }
  // done tasks are not red
  await report(rs, p.id, late.id, { value: 3 });
  r = await rs.get('/api/v1/reminders');
  assert.ok(!r.json.overdue.some((x) => x.node_id === late.id));
  assertError(await request('GET', '/api/v1/inbox'), 401, 'unauthenticated');
  assertError(await auditor.get('/api/v1/reminders'), 403, 'forbidden');
  assertError(await rs.get('/api/v1/inbox?limit=0'), 400, 'bad_request', 'limit');
});
