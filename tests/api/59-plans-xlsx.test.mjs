// dates: this file runs at every date of tests/dates.txt
// Plans as .xlsx templates: import in the layout officials keep (a title
// above the header, real Excel dates and numbers, shared and inline
// strings, targets in percent-formatted cells), export and import again (round trip), files that are not a
// plan refused with the row and column named and nothing written, and
// scope. The .xlsx files are made here (xlsx.mjs), not by the server.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, orgId, assertError } from './lib.mjs';
import { YEAR, createPlan } from './plans.mjs';
import { xlsx, zip, serial } from './xlsx.mjs';

let admin, jb, yj, zq, viewer;
let jbId, yjId;

const HEAD = ['方面', '大项', '分项', '牵头单位', '配合单位', '完成时限', '目标值', '单位', '权重', '指标'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

before(async () => {
  admin = await login('admin');
  jb = await login('jiangbei');
  yj = await login('yongjiang');
  zq = await login('zhuangqiao');
  viewer = await login('viewer');
  jbId = jb.user.grants[0].org_id;
  yjId = await orgId(jb, '甬江街道');
});

const subitems = (tree) => tree.nodes.flatMap((a) => a.children.flatMap((i) => i.children));

test('xlsx: a plan as officials keep it imports in one go', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `表格导入${Date.now()}` });
  const file = xlsx([
    [`江北区${YEAR}年产改重点任务清单`],
    null,
    HEAD.map((h) => ({ shared: h })),
    ['产业工人队伍建设', '加强思想政治引领', '新建非公企业党组织数', '江北区委组织部', '江北区人力资源和社会保障局、江北区经济和信息化局', { date: serial(`${YEAR}-11-30`) }, 12, '个', 1, null],
    ['产业工人队伍建设', { shared: '加强思想政治引领' }, '工会会员入会率', '甬江街道', null, `${YEAR}/12/31`, '90%', null, 2, null],
    null,
    ['技能提升', '深化技能等级认定', '技能等级认定人数', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, 1250.5, '人', null, 'manual'],
    ['技能提升', '劳模工匠创新', '出台工匠学院建设方案', '江北区教育局', '江北区财政局', `${YEAR}年6月30日`, '里程碑', null, null, null],
    // a note beside the table, outside the template's columns: not a row
    [null, null, null, null, null, null, null, null, null, null, null, '备注：由区总工会汇总'],
  ], { sheet: '任务清单' });
  const r = await jb.post(`/api/v1/plans/${p.id}/import`, file, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.rows, 4);
  assert.equal(r.json.aspects_created, 2);
  assert.equal(r.json.items_created, 3);
  assert.equal(r.json.subitems_created, 4);
  const subs = subitems((await jb.get(`/api/v1/plans/${p.id}/tree`)).json);
  const byTitle = (t) => subs.find((x) => x.title === t);
  assert.equal(byTitle('新建非公企业党组织数').deadline, `${YEAR}-11-30`, 'an Excel date cell');
  assert.deepEqual(byTitle('新建非公企业党组织数').target, { value: 12, unit: '个' });
  assert.equal(byTitle('新建非公企业党组织数').owners.length, 3);
  assert.deepEqual(byTitle('工会会员入会率').target, { value: 90, unit: '%' });
  assert.equal(byTitle('工会会员入会率').weight, 2);
  assert.deepEqual(byTitle('技能等级认定人数').target, { value: 1250.5, unit: '人' });
  assert.equal(byTitle('出台工匠学院建设方案').deadline, `${YEAR}-06-30`);
  assert.deepEqual(byTitle('出台工匠学院建设方案').target, { milestone: true });
  // detected by content, whatever the request says it is
  const p2 = await createPlan(jb, { org_id: jbId, title: `按内容识别${Date.now()}` });
  const r2 = await jb.post(`/api/v1/plans/${p2.id}/import`, file, { contentType: 'text/csv' });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.json.subitems_created, 4);
  // audited as any import
  const a = await (await login('auditor')).get('/api/v1/audit?action=plan.import&actor=jiangbei');
  assert.ok(a.json.items.some((e) => e.target === `plan:${p.id}`));
});

test('xlsx: a target typed as 30% in a percent cell is 30 with the unit %', async () => {
  // Excel keeps a typed 30% as 0.3 in a cell formatted 0%: only the
  // styles part says so
  const p = await createPlan(jb, { org_id: jbId, title: `百分比格式${Date.now()}` });
  const file = xlsx([
    HEAD,
    ['技能提升', '高技能人才', '高技能人才占比', '江北区人力资源和社会保障局', null, { date: serial(`${YEAR}-12-31`) }, { num: 0.3, fmt: '0%' }, null, { num: 0.25, fmt: '0%' }, null],
    ['技能提升', '高技能人才', '技师占比', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, { num: 0.125, fmt: '0.0%' }, '%', 1, null],
    ['技能提升', '高技能人才', '职工之家达标率', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, { num: 0.925, fmt: '0.00%' }, null, 1, null],
    // 0.5 shown as 0.50%: the % is text in the format, the number is 0.5
    ['技能提升', '高技能人才', '字面百分号', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, { num: 0.5, fmt: '0.00"%"' }, '个', 1, null],
    // Excel's binary noise, percent cell or not
    ['技能提升', '高技能人才', '二进制误差', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, { num: '0.57000000000000006', fmt: '0%' }, null, 1, null],
  ]);
  const r = await jb.post(`/api/v1/plans/${p.id}/import`, file, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.subitems_created, 5);
  const subs = subitems((await jb.get(`/api/v1/plans/${p.id}/tree`)).json);
  const byTitle = (t) => subs.find((x) => x.title === t);
  assert.deepEqual(byTitle('高技能人才占比').target, { value: 30, unit: '%' });
  assert.equal(byTitle('高技能人才占比').weight, 25, 'a percent weight is the number shown');
  assert.equal(byTitle('高技能人才占比').deadline, `${YEAR}-12-31`, 'a date cell beside the styles');
  assert.deepEqual(byTitle('技师占比').target, { value: 12.5, unit: '%' });
  assert.deepEqual(byTitle('职工之家达标率').target, { value: 92.5, unit: '%' });
  assert.deepEqual(byTitle('字面百分号').target, { value: 0.5, unit: '个' });
  assert.deepEqual(byTitle('二进制误差').target, { value: 57, unit: '%' });
  // exported as the number with its unit, the percent format gone: the
  // round trip keeps 30
  const csv = (await jb.get(`/api/v1/plans/${p.id}/export.csv`)).text;
  assert.match(csv, /高技能人才占比,江北区人力资源和社会保障局,,\d{4}-12-31,30,%,25,/);
  // a percent cell beside another unit: refused, row and column named,
  // nothing written
  const p2 = await createPlan(jb, { org_id: jbId, title: `百分比单位冲突${Date.now()}` });
  const bad = xlsx([
    HEAD,
    ['技能提升', '高技能人才', '高技能人才数', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, 30, '人', null, null],
    ['技能提升', '高技能人才', '高技能人才占比', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, { num: 0.3, fmt: '0%' }, '人', null, null],
  ]);
  const rb = await jb.post(`/api/v1/plans/${p2.id}/import`, bad, { contentType: XLSX });
  assertError(rb, 422, 'validation_failed');
  assert.deepEqual(rb.json.error.details.map((x) => `${x.row}:${x.field}`), ['3:目标值']);
  assert.match(rb.json.error.details[0].message_zh, /百分数.*单位/);
  assert.equal((await jb.get(`/api/v1/plans/${p2.id}`)).json.subitems, 0);
});

test('xlsx: export, import into a new plan, export again: the same plan', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `表格往返${Date.now()}` });
  const csvIn = '\uFEFF' + [HEAD.join(','),
    `公共服务,职工服务阵地,户外劳动者驿站数,江北区住房和城乡建设局,江北区财政局、江北区教育局,${YEAR}-09-30,6,个,1.5,manual`,
    `公共服务,职工服务阵地,职工之家达标率,江北区人力资源和社会保障局,,${YEAR}-12-31,92.5,%,1,manual`,
    `技能提升,技能等级认定,出台办法,江北区人力资源和社会保障局,,${YEAR}-03-31,里程碑,,1,manual`,
  ].join('\r\n') + '\r\n';
  let r = await jb.post(`/api/v1/plans/${p.id}/import`, csvIn, { contentType: 'text/csv' });
  assert.equal(r.status, 201, r.text);
  const x1 = await jb.get(`/api/v1/plans/${p.id}/export.xlsx`);
  assert.equal(x1.status, 200);
  assert.equal(x1.headers.get('content-type'), XLSX);
  assert.match(x1.headers.get('content-disposition'), /attachment/);
  assert.equal(x1.body.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  const p2 = await createPlan(jb, { org_id: jbId, title: `表格往返二${Date.now()}` });
  r = await jb.post(`/api/v1/plans/${p2.id}/import`, x1.body, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.subitems_created, 3);
  // the same rows, compared through the CSV and JSON exports
  const c1 = (await jb.get(`/api/v1/plans/${p.id}/export.csv`)).text;
  const c2 = (await jb.get(`/api/v1/plans/${p2.id}/export.csv`)).text;
  assert.equal(c2, c1);
  const j1 = (await jb.get(`/api/v1/plans/${p.id}/export.json`)).json.rows;
  const j2 = (await jb.get(`/api/v1/plans/${p2.id}/export.json`)).json.rows;
  assert.deepEqual(j2, j1);
  assert.deepEqual(j1.map((x) => [...x.co_owners].sort()), [['江北区教育局', '江北区财政局'].sort(), [], []]);
  // and once more from the second plan's .xlsx
  const x2 = await jb.get(`/api/v1/plans/${p2.id}/export.xlsx`);
  const p3 = await createPlan(jb, { org_id: jbId, title: `表格往返三${Date.now()}` });
  r = await jb.post(`/api/v1/plans/${p3.id}/import`, x2.body, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal((await jb.get(`/api/v1/plans/${p3.id}/export.csv`)).text, c1);
  // the empty template is an .xlsx with the header the import expects
  const t = await jb.get('/api/v1/plans/template.xlsx');
  assert.equal(t.status, 200);
  assert.equal(t.headers.get('content-type'), XLSX);
  const p4 = await createPlan(jb, { org_id: jbId, title: `模板${Date.now()}` });
  r = await jb.post(`/api/v1/plans/${p4.id}/import`, t.body, { contentType: XLSX });
  // the example rows name the city's own departments and this year's dates
  // only by chance: what matters is that the header was recognised
  if (r.status === 422) assert.ok(r.json.error.details.every((d) => d.row >= 2 && d.field !== 'file'), r.text);
  else assert.equal(r.status, 201, r.text);
  // out of scope: another street sees no export
  assertError(await zq.get(`/api/v1/plans/${p.id}/export.xlsx`), 404, 'not_found');
});

test('xlsx: a file that is not a plan is refused naming row and column; nothing is written', async () => {
  const p = await createPlan(jb, { org_id: jbId, title: `表格错误${Date.now()}` });
  const good = ['技能提升', '技能等级认定', '认定人数', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, 10, '人', null, null];
  const bad = xlsx([
    ['标题行'],
    HEAD,
    good,
    ['技能提升', '技能等级认定', '负目标', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, -5, '人', null, null],
    ['技能提升', '技能等级认定', '未知单位', '不存在的局', null, `${YEAR}-12-31`, 5, '人', null, null],
    null,
    ['技能提升', '技能等级认定', '跨年度', '江北区人力资源和社会保障局', null, { date: serial(`${YEAR + 1}-03-31`) }, 5, '人', null, null],
    ['技能提升', '技能等级认定', '非数字', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, '十个', '人', null, null],
    ['技能提升', null, '缺大项', '江北区人力资源和社会保障局', null, `${YEAR}-12-31`, 5, '人', null, null],
    ['技能提升', '技能等级认定', '坏日期', '江北区人力资源和社会保障局', null, '下个月', 5, '人', null, null],
  ]);
  const r = await jb.post(`/api/v1/plans/${p.id}/import`, bad, { contentType: XLSX });
  assertError(r, 422, 'validation_failed');
  // rows as Excel numbers them: the title is row 1, the header row 2
  assert.deepEqual(r.json.error.details.map((x) => `${x.row}:${x.field}`),
    ['4:目标值', '5:牵头单位', '7:完成时限', '8:目标值', '9:大项', '10:完成时限']);
  for (const d of r.json.error.details) assert.ok(d.message && d.message_zh, JSON.stringify(d));
  let after = (await jb.get(`/api/v1/plans/${p.id}`)).json;
  assert.equal(after.subitems, 0, 'the good row 3 did not go in alone');
  assert.equal(after.aspects, 0);
  // a spreadsheet of something else: the roster template
  const roster = await jb.get('/api/v1/imports/workers/template.xlsx');
  assert.equal(roster.status, 200);
  const rr = await jb.post(`/api/v1/plans/${p.id}/import`, roster.body, { contentType: XLSX });
  assertError(rr, 422, 'validation_failed', 'file');
  assert.match(rr.json.error.message_zh, /缺少必填列“方面”/);
  // a header only, an empty sheet
  assertError(await jb.post(`/api/v1/plans/${p.id}/import`, xlsx([HEAD]), { contentType: XLSX }), 422, 'validation_failed', 'file');
  const empty = await jb.post(`/api/v1/plans/${p.id}/import`, xlsx([]), { contentType: XLSX });
  assertError(empty, 422, 'validation_failed', 'file');
  assert.match(empty.json.error.message_zh, /为空/);
  // a zip that is no spreadsheet, a cut-off file, a DOCTYPE
  const docx = zip([['word/document.xml', '<w:document/>']]);
  const d = await jb.post(`/api/v1/plans/${p.id}/import`, docx, { contentType: XLSX });
  assertError(d, 422, 'validation_failed', 'file');
  assert.match(d.json.error.message_zh, /没有工作表/);
  const cut = await jb.post(`/api/v1/plans/${p.id}/import`, bad.subarray(0, bad.length - 30), { contentType: XLSX });
  assertError(cut, 422, 'validation_failed', 'file');
  assert.match(cut.json.error.message_zh, /损坏/);
  const dtd = zip([['xl/worksheets/sheet1.xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>']]);
  const dt = await jb.post(`/api/v1/plans/${p.id}/import`, dtd, { contentType: XLSX });
  assertError(dt, 422, 'validation_failed', 'file');
  assert.match(dt.json.error.message_zh, /DOCTYPE/);
  // a part that inflates past the cap: refused as too large, quickly
  const bomb = zip([['xl/worksheets/sheet1.xml', Buffer.alloc(40 << 20, 32)]]);
  assert.ok(bomb.length < 100 << 10);
  const b = await jb.post(`/api/v1/plans/${p.id}/import`, bomb, { contentType: XLSX });
  assertError(b, 413, 'payload_too_large', 'file');
  after = (await jb.get(`/api/v1/plans/${p.id}`)).json;
  assert.equal(after.subitems, 0);
  assert.equal(after.aspects, 0);
});

test('xlsx: scope: a street imports into its own plan only', async () => {
  const mine = await createPlan(yj, { org_id: yjId, title: `街道表格${Date.now()}` });
  const file = xlsx([HEAD, ['保障机制', '职工权益', '街道调解室建设', '甬江街道', null, `${YEAR}-12-31`, 11, '个', null, null]]);
  // another street: the plan does not exist for it
  assertError(await zq.post(`/api/v1/plans/${mine.id}/import`, file, { contentType: XLSX }), 404, 'not_found');
  assertError(await viewer.post(`/api/v1/plans/${mine.id}/import`, file, { contentType: XLSX }), 403, 'forbidden');
  assert.equal((await yj.get(`/api/v1/plans/${mine.id}`)).json.subitems, 0);
  // nor may the street write into the district's plan
  const district = await createPlan(jb, { org_id: jbId, title: `区方案${Date.now()}` });
  assertError(await yj.post(`/api/v1/plans/${district.id}/import`, file, { contentType: XLSX }), 404, 'not_found');
  assert.equal((await jb.get(`/api/v1/plans/${district.id}`)).json.subitems, 0);
  // its own plan: imported
  const r = await yj.post(`/api/v1/plans/${mine.id}/import`, file, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal((await yj.get(`/api/v1/plans/${mine.id}`)).json.subitems, 1);
  assertError(await admin.post(`/api/v1/plans/${mine.id}/import`, '', { contentType: XLSX }), 400, 'bad_request', 'file');
});
