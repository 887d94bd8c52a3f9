// dates: this file runs at every date of tests/dates.txt
// The demo plans: 江北区's implementation plan (4 方面 17 条工作目标 53 项
// 重点工作任务) and 甬江街道's reconciliation statement (4 areas, 17 大项,
// 52 分项) with the 8 departments, for the current year up to today and for
// the whole previous year with its sealed statements. The statement's
// numbers are checked against figures recomputed here from the reports.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, orgId, today, dayOffset } from './lib.mjs';
import { YEAR, recompute, assertStatement, allReports } from './plans.mjs';

let admin, jb, yj, rs;
let district, street, lastDistrict, lastStreet;
const DEPTS = ['江北区人力资源和社会保障局', '江北区教育局', '江北区卫生健康局', '江北区委组织部',
  '江北区经济和信息化局', '江北区科学技术局', '江北区财政局', '江北区住房和城乡建设局'];

before(async () => {
  admin = await login('admin');
  jb = await login('jiangbei');
  yj = await login('yongjiang');
  rs = await login('renshe');
  const all = (await admin.get('/api/v1/plans?limit=500')).json.items;
  const plan = (org, year) => all.find((p) => p.title === (org === 'district' ?
    `江北区${year}年深化产业工人队伍建设改革实施方案` : `甬江街道${year}年产业工人队伍建设改革工作对账单`));
  district = plan('district', YEAR);
  street = plan('street', YEAR);
  lastDistrict = plan('district', YEAR - 1);
  lastStreet = plan('street', YEAR - 1);
  assert.ok(district && lastDistrict, 'the district plans of this year and last are in the demo');
  assert.ok(street && lastStreet, 'the street statements of this year and last are in the demo');
});

// Computed actuals, from the registry statistics the test reads itself:
// the lead's subtree, or the plan org's when the lead is a department.
// The 25ths of the plan's year up to today: the demo reports on each.
function reportMonths(year) {
  const out = [];
  for (let m = 1; m <= 12; m++) {
    const d = `${year}-${String(m).padStart(2, '0')}-25`;
    if (d <= today()) out.push(d.slice(0, 7));
  }
  return out;
}

async function metricActual(plan, nodes) {
  const out = new Map();
  for (const s of nodes) {
    if (s.metric === 'manual') continue;
    const lead = (await admin.get(`/api/v1/orgs/${s.owners[0].org_id}`)).json;
    const org = lead.kind === 'department' ? plan.org_id : lead.id;
    const st = (await admin.get(`/api/v1/stats/skills?org=${org}`)).json;
    const scale = s.target.unit === '%' ? 1000000 : 10000;
    const ratio = (n, d) => (d <= 0 ? 0 : Math.floor((2 * n * scale + d) / (2 * d)) / 10000);
    out.set(s.id, {
      workers: st.workers, union_members: st.union_members, high_skilled: st.high_skilled,
      union_rate: ratio(st.union_members, st.workers), high_skill_ratio: ratio(st.high_skilled, st.skilled),
    }[s.metric]);
  }
  return out;
}

async function check(client, plan, asOf) {
  const q = asOf ? `?as_of=${asOf}` : '';
  const tree = (await client.get(`/api/v1/plans/${plan.id}/tree${q}`)).json;
  const st = (await client.get(`/api/v1/plans/${plan.id}/statement${q}`)).json;
  const reports = await allReports(client, plan.id);
  const subs = tree.nodes.flatMap((a) => a.children.flatMap((i) => i.children));
  const metric = await metricActual(plan, subs);
  const exp = recompute({ tree, reports, asOf: asOf || today(), soon: st.due_soon_days, year: plan.year, metricActual: (s) => metric.get(s.id) });
  assertStatement(st, exp);
  return { tree, st, reports };
}

test('the district plan: 4 aspects, 17 items, 53 sub-items across the 8 departments', async () => {
  const p = (await jb.get(`/api/v1/plans/${district.id}`)).json;
  assert.equal(p.aspects, 4);
  assert.equal(p.items, 17);
  assert.equal(p.subitems, 53);
  const { st, reports } = await check(jb, district);
  assert.equal(st.totals.levels.subitem.count, 53);
  assert.equal(st.totals.levels.item.count, 17);
  assert.match(st.totals.summary, /^4 方面 17 大项 53 分项：完成 \d+，进行中 \d+，逾期 \d+$/);
  const leads = new Set(st.rows.map((r) => r.lead.name));
  for (const d of DEPTS) assert.ok(leads.has(d), `${d} leads tasks`);
  // this year's reports: monthly up to today, the older ones reviewed
  const months = [...new Set(reports.map((r) => r.as_of.slice(0, 7)))].sort();
  assert.deepEqual(months, reportMonths(YEAR));
  assert.ok(reports.every((r) => r.as_of <= today()));
  const reviewedBy = dayOffset(-60);
  assert.ok(reports.every((r) => r.as_of > reviewedBy || r.state !== 'submitted'),
    'reports older than two months are reviewed');
  assert.ok(reports.every((r) => r.as_of <= reviewedBy || r.state === 'submitted'),
    'the newer ones await review');
  if (reports.some((r) => r.as_of <= reviewedBy)) {
    assert.ok(reports.some((r) => r.state === 'accepted'));
    assert.ok(reports.some((r) => r.state === 'returned' && r.reason));
  }
});

test('last year, whole: every month reported, every report reviewed, the statements sealed', async () => {
  for (const [plan, rows] of [[lastDistrict, 53], [lastStreet, 52]]) {
    const { st, reports } = await check(plan === lastStreet ? yj : jb, plan);
    assert.equal(st.rows.length, rows);
    const months = [...new Set(reports.map((r) => r.as_of.slice(0, 7)))].sort();
    assert.deepEqual(months, reportMonths(YEAR - 1), 'a report on every 25th of last year');
    assert.ok(reports.every((r) => r.state !== 'submitted'), 'a closed year has nothing awaiting review');
    assert.ok(reports.some((r) => r.state === 'returned' && r.reason));
  }
  // as of mid-year, last year's statement still recomputes from its reports
  await check(yj, lastStreet, `${YEAR - 1}-06-30`);
  const seals = (await yj.get(`/api/v1/plans/${lastStreet.id}/statements`)).json.items;
  assert.deepEqual(seals.map((x) => [x.as_of, x.title]).sort(),
    [[`${YEAR - 1}-06-30`, '上半年对账单'], [`${YEAR - 1}-12-31`, '年度对账单']]);
  const year = (await yj.get(`/api/v1/plans/${lastStreet.id}/statements/${seals.find((x) => x.title === '年度对账单').id}`)).json;
  assert.equal(year.as_of, `${YEAR - 1}-12-31`);
  assert.equal(year.statement.rows.length, 52);
  assert.equal(year.statement.as_of, `${YEAR - 1}-12-31`);
  const own = (await jb.get(`/api/v1/plans/${lastDistrict.id}/statements`)).json.items;
  assert.deepEqual(own.map((x) => x.title), ['年终总结对账单']);
});

test('the street statement: 4 areas, 17 大项, 52 分项 reconciled with the 8 departments', async () => {
  const p = (await yj.get(`/api/v1/plans/${street.id}`)).json;
  assert.equal(p.access, 'manage');
  assert.equal(p.aspects, 4);
  assert.equal(p.items, 17);
  assert.equal(p.subitems, 52);
  const { st, tree } = await check(yj, street);
  assert.deepEqual(tree.nodes.map((a) => a.title), ['产业工人队伍建设', '技能提升', '保障机制', '公共服务']);
  assert.deepEqual(st.totals.areas.map((a) => a.title), ['产业工人队伍建设', '技能提升', '保障机制', '公共服务']);
  assert.equal(st.totals.areas.reduce((n, a) => n + a.subitems, 0), 52);
  const owners = new Set(st.totals.owners.map((o) => o.name));
  for (const d of DEPTS) assert.ok(owners.has(d), `${d} is reconciled`);
  // computed rows are there and follow the registry
  assert.ok(st.rows.some((r) => r.metric === 'union_rate'));
  assert.ok(st.rows.some((r) => r.metric === 'high_skill_ratio'));
  // totals per owner add up to the rows they lead
  for (const o of st.totals.owners) {
    const led = st.rows.filter((r) => r.lead.org_id === o.org_id);
    assert.equal(o.subitems, led.length, `${o.name} leads ${led.length}`);
    assert.equal(o.done, led.filter((r) => r.completion === 1).length);
    assert.equal(o.overdue, led.filter((r) => r.status === 'red' && r.completion < 1).length);
  }
});

test('the demo statements as of an earlier date, and as a department sees them', async () => {
  const mid = `${YEAR}-06-30`;
  if (mid < today()) {
    await check(jb, district, mid);
    await check(yj, street, mid);
  }
  // 人社局 sees its own tasks of both, and the numbers still hold
  const { st } = await check(rs, district);
  assert.equal(st.restricted, true);
  assert.ok(st.rows.length > 0 && st.rows.length < 53);
  const d1 = await orgId(jb, '江北区人力资源和社会保障局');
  assert.ok(st.rows.every((r) => r.lead.org_id === d1 || r.co_owners.some((c) => c.org_id === d1)));
  const s2 = await check(rs, street);
  assert.ok(s2.st.rows.length > 0 && s2.st.rows.length < 52);
  // the street's own statement filtered to one department
  const own = (await yj.get(`/api/v1/plans/${street.id}/statement?owner=${d1}`)).json;
  assert.deepEqual(own.rows.map((r) => r.node_id).sort(), s2.st.rows.map((r) => r.node_id).sort());
  // sealing the demo statement for a meeting keeps it as it was
  const seal = await yj.post(`/api/v1/plans/${street.id}/statements`, { as_of: today(), title: '季度对账会' });
  assert.equal(seal.status, 201, seal.text);
  assert.equal(seal.json.rows, 52);
});
