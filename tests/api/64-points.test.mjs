// The points ledger (积分化评估): a district's operator writes rules over
// the registry's facts (a level up) and for awards by hand; each fact
// counts once however often a level is toggled, caps cut what a holder
// gets, a reversal and an upheld appeal are entries of their own, points
// expire, the leaderboard follows its published tie-break, points feed an
// evaluation indicator, and `changai check` adds the entries up again.
// Scope: a street sees its own enterprises' points only.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import {
  login, createOrg, createUser, randomUscc, assertError, uniq, sql, DB, BIN, today, dayOffset,
} from './lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let serial = randomInt(400, 800);
function newId() {
  serial++;
  const b = `19${80 + (serial % 15)}${String(1 + (serial % 12)).padStart(2, '0')}${String(1 + (serial % 27)).padStart(2, '0')}`;
  const f17 = `330206${b}${String((serial * 7) % 1000).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(f17[i]) * W[i];
  return f17 + '10X98765432'[s % 11];
}

const YEAR = today().slice(0, 4);
const LAST_YEAR = String(Number(YEAR) - 1);
let admin, owner, s1op, s1view, s2op, e1op;
let D, S1, S2, E1, E2, E3;
let levelRule, awardRule, W1, W2;
const awards = {};

async function waitJob(client, id) {
  for (let i = 0; i < 300; i++) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    if (r.json.state === 'done' || r.json.state === 'failed') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

// the sweep (rules over new facts, then expiry) on a business date
function sweepOn(date) {
  const env = { ...process.env, CHANGAI_TEST_CLOCK: '1', CHANGAI_TODAY: date };
  delete env.CHANGAI_NOW;
  const r = spawnSync(BIN, ['sweep', '--db', DB], { encoding: 'utf8', timeout: 60000, env });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const m = r.stdout.match(/^points: (\d+) entries from facts, (\d+) expired$/m);
  assert.ok(m, r.stdout);
  return { applied: Number(m[1]), expired: Number(m[2]) };
}

function cli(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function worker(org, level) {
  const r = await owner.post('/api/v1/workers', { org_id: org, name: '积分测试', id_no: newId(), skill_level: level, union_member: false });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function level(id, to) {
  const r = await owner.patch(`/api/v1/workers/${id}`, { skill_level: to });
  assert.equal(r.status, 200, r.text);
}

async function ledger(client, kind, holder) {
  const r = await client.get(`/api/v1/points/ledger?holder_kind=${kind}&holder=${holder}&limit=100`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

async function balance(client, kind, holder) {
  const r = await client.get(`/api/v1/points/balances?holder_kind=${kind}&holder=${holder}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

before(async () => {
  admin = await login('admin');
  const sec = await login('secadmin');
  D = (await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('积分区') })).id;
  S1 = (await createOrg(admin, { parent_id: D, kind: 'street', name: uniq('积一街道') })).id;
  S2 = (await createOrg(admin, { parent_id: D, kind: 'street', name: uniq('积二街道') })).id;
  E1 = (await createOrg(admin, { parent_id: S1, kind: 'enterprise', name: uniq('积甲企业'), uscc: randomUscc() })).id;
  E2 = (await createOrg(admin, { parent_id: S1, kind: 'enterprise', name: uniq('积乙企业'), uscc: randomUscc() })).id;
  E3 = (await createOrg(admin, { parent_id: S2, kind: 'enterprise', name: uniq('积丙企业'), uscc: randomUscc() })).id;
  owner = (await createUser(sec, { org_id: D, role: 'operator' })).client;
  s1op = (await createUser(sec, { org_id: S1, role: 'operator' })).client;
  s1view = (await createUser(sec, { org_id: S1, role: 'viewer' })).client;
  s2op = (await createUser(sec, { org_id: S2, role: 'operator' })).client;
  e1op = (await createUser(sec, { org_id: E1, role: 'operator' })).client;
});

test('the sources catalogue names the facts rules can read and the tie-break', async () => {
  const r = await s1view.get('/api/v1/points/sources');
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.json.items.map((s) => [s.name, s]));
  assert.equal(by['workers.level_up'].holder_kind, 'worker');
  assert.equal(by['plans.report_accepted'].holder_kind, 'org');
  assert.ok(by.manual);
  assert.match(r.json.tie_break_zh, /先达到该积分者在前/);
});

test('bad rules are refused with the field named, and nothing is written', async () => {
  const base = { org_id: D, code: 'X', title: '坏规则', holder_kind: 'worker', source: 'workers.level_up', points: 10, starts: `${YEAR}-01-01` };
  assertError(await owner.post('/api/v1/points/rules', { ...base, source: 'workers.nothing' }), 422, 'validation_failed', 'source');
  assertError(await owner.post('/api/v1/points/rules', { ...base, holder_kind: 'org' }), 422, 'validation_failed', 'holder_kind');
  assertError(await owner.post('/api/v1/points/rules', { ...base, cap_day: 5 }), 422, 'validation_failed', 'cap_day');
  assertError(await owner.post('/api/v1/points/rules', { ...base, cap_period: 50, cap_lifetime: 20 }), 422, 'validation_failed', 'cap_period');
  assertError(await owner.post('/api/v1/points/rules', { ...base, points: 0 }), 422, 'validation_failed', 'points');
  assertError(await owner.post('/api/v1/points/rules', { ...base, ends: `${LAST_YEAR}-12-31` }), 422, 'validation_failed', 'ends');
  assertError(await owner.post('/api/v1/points/rules', { ...base, source: 'manual', holder_kind: 'org', min_amount: 3 }), 422, 'validation_failed', 'min_amount');
  assertError(await owner.post('/api/v1/points/rules', { ...base, period: 'decade' }), 422, 'validation_failed', 'period');
  // a street's operator writes no rule for the district; a viewer none at all
  assertError(await s1op.post('/api/v1/points/rules', base), 404, 'not_found');
  assertError(await s1view.post('/api/v1/points/rules', base), 403, 'forbidden');
  assert.equal(sql(`SELECT count(*) FROM points_rules WHERE org_id = ${D}`), '0');
});

test('a level up counts once, however often the level is toggled, within the caps', async () => {
  // facts before the rule exists: the rule takes them when it is made
  W1 = await worker(E1, 1);
  W2 = await worker(E2, 1);
  await level(W1, 3);
  await level(W2, 2);          // below the rule's minimum level
  let r = await owner.post('/api/v1/points/rules', {
    org_id: D, code: 'LVL', title: '技能等级晋升', holder_kind: 'worker', source: 'workers.level_up',
    points: 10, min_amount: 3, cap_period: 25, period: 'year', expiry_days: 30, starts: `${YEAR}-01-01`,
  });
  assert.equal(r.status, 201, r.text);
  levelRule = r.json;
  assert.equal(levelRule.state, 'active');
  assert.ok(levelRule.job_id);
  const job = await waitJob(owner, levelRule.job_id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  let items = await ledger(owner, 'worker', W1);
  assert.equal(items.length, 1);
  assert.equal(items[0].points, 10);
  assert.equal(items[0].kind, 'rule');
  assert.equal(items[0].rule.code, 'LVL');
  assert.equal(items[0].on_date, today());
  assert.equal(items[0].expires, dayOffset(30));
  assert.match(items[0].text, /1 → 3/);
  assert.deepEqual(await ledger(owner, 'worker', W2), []);
  // the same code again is refused
  assertError(await owner.post('/api/v1/points/rules', { org_id: D, code: 'LVL', title: 'x', holder_kind: 'worker', source: 'workers.level_up', points: 1, starts: `${YEAR}-01-01` }), 409, 'conflict', 'code');

  // up again (+10), then down and up: the cap of 25 a year cuts the third to 5
  await level(W1, 4);
  await level(W1, 2);
  await level(W1, 5);
  let s = sweepOn(today());
  assert.ok(s.applied >= 2, JSON.stringify(s));
  items = await ledger(owner, 'worker', W1);
  assert.deepEqual(items.map((e) => e.points), [5, 10, 10]);
  assert.equal(items[0].asked, 10);
  assert.equal(items[0].capped, true);
  // toggling on farms nothing: a capped fact is an entry of 0, and a second
  // sweep over the same facts writes nothing
  await level(W1, 2);
  await level(W1, 6);
  sweepOn(today());
  const again = sweepOn(today());
  items = await ledger(owner, 'worker', W1);
  assert.deepEqual(items.map((e) => e.points), [0, 5, 10, 10]);
  assert.equal(sql(`SELECT count(*) FROM points_entries WHERE holder_kind = 'worker' AND holder_id = ${W1}`), '4');
  assert.equal(again.applied, 0);
  const b = await balance(owner, 'worker', W1);
  assert.equal(b.balance, 25);
  assert.equal(b.earned, 25);
  assert.equal(b.periods.find((p) => p.period === YEAR).points, 25);
});

test('awards by hand need evidence, keep to the rule, and answer a repeated key with the same entry', async () => {
  let r = await owner.post('/api/v1/points/rules', {
    org_id: D, code: 'AWD', title: '表彰奖励加分', holder_kind: 'org', source: 'manual', points: 30, cap_period: 50, starts: `${YEAR}-01-01`,
  });
  assert.equal(r.status, 201, r.text);
  awardRule = r.json;
  assert.equal(awardRule.job_id, null);
  const body = { holder_kind: 'org', holder: E1, points: 30, rule_id: awardRule.id, text: '市级技能竞赛优秀组织单位', evidence: '甬总工〔2026〕18号', key: uniq('k') };
  r = await owner.post('/api/v1/points/entries', body);
  assert.equal(r.status, 201, r.text);
  awards.first = r.json;
  assert.equal(r.json.points, 30);
  assert.equal(r.json.replayed, false);
  r = await owner.post('/api/v1/points/entries', body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, awards.first.id);
  assert.equal(r.json.replayed, true);
  // the second award of the year is cut to what the cap of 50 leaves
  r = await owner.post('/api/v1/points/entries', { ...body, key: uniq('k') });
  assert.equal(r.status, 201, r.text);
  awards.second = r.json;
  assert.equal(r.json.points, 20);
  assert.equal(r.json.asked, 30);
  assertError(await owner.post('/api/v1/points/entries', { ...body, key: uniq('k') }), 409, 'conflict', 'points');
  // what a rule allows, evidence, a day that has not come, the holder's scope
  assertError(await owner.post('/api/v1/points/entries', { ...body, points: 40, key: uniq('k') }), 422, 'validation_failed', 'points');
  const { evidence, ...noEvidence } = body;
  assert.ok(evidence);
  assertError(await owner.post('/api/v1/points/entries', noEvidence), 422, 'validation_failed', 'evidence');
  assertError(await owner.post('/api/v1/points/entries', { ...body, on_date: dayOffset(1), key: uniq('k') }), 422, 'validation_failed', 'on_date');
  assertError(await owner.post('/api/v1/points/entries', { ...body, rule_id: levelRule.id, key: uniq('k') }), 422, 'validation_failed', 'rule_id');
  assertError(await s1op.post('/api/v1/points/entries', { holder_kind: 'org', holder: E3, points: 5, text: 'x', evidence: 'y' }), 404, 'not_found', 'holder');
  assertError(await s1view.post('/api/v1/points/entries', { holder_kind: 'org', holder: E1, points: 5, text: 'x', evidence: 'y' }), 403, 'forbidden');
  // an award without a rule; free awards dated last year for the tie-break
  r = await owner.post('/api/v1/points/entries', { holder_kind: 'org', holder: E2, points: 7, text: '创新成果', evidence: '江北总工〔2026〕7号' });
  assert.equal(r.status, 201, r.text);
  awards.free = r.json;
  for (const [holder, day] of [[E3, `${LAST_YEAR}-03-01`], [E2, `${LAST_YEAR}-06-01`], [E1, `${LAST_YEAR}-09-01`]]) {
    r = await owner.post('/api/v1/points/entries', { holder_kind: 'org', holder, points: holder === E1 ? 10 : 15, on_date: day, text: '上年度表彰', evidence: '甬总工〔上年〕1号' });
    assert.equal(r.status, 201, r.text);
  }
  const audit = await (await login('auditor')).get('/api/v1/audit?action=points.award&limit=10');
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.some((a) => a.target === `points_entry:${awards.first.id}`), audit.text);
});

test('a reversal is a new entry of the opposite sign, once', async () => {
  let r = await owner.post(`/api/v1/points/entries/${awards.free.id}/reverse`, { reason: '依据文件撤销' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'reversal');
  assert.equal(r.json.points, -7);
  assert.equal(r.json.refers_to, awards.free.id);
  assert.equal(r.json.on_date, awards.free.on_date);
  assertError(await owner.post(`/api/v1/points/entries/${awards.free.id}/reverse`, { reason: 'again' }), 409, 'conflict');
  assertError(await owner.post(`/api/v1/points/entries/${r.json.id}/reverse`, { reason: 'a reversal' }), 409, 'conflict');
  // the original stands in the ledger, with nothing left of it
  const items = await ledger(owner, 'org', E2);
  const orig = items.find((e) => e.id === awards.free.id);
  assert.equal(orig.points, 7);
  assert.equal(orig.left, 0);
  // a unit never scores itself: an enterprise's operator neither awards its
  // enterprise points nor takes back what it was given; its street does
  assertError(await e1op.post('/api/v1/points/entries', { holder_kind: 'org', holder: E1, points: 5, text: '自评', evidence: '无' }), 403, 'forbidden', 'holder');
  assertError(await e1op.post(`/api/v1/points/entries/${awards.first.id}/reverse`, { reason: 'x' }), 403, 'forbidden');
  r = await s1op.post('/api/v1/points/entries', { holder_kind: 'org', holder: E1, points: 2, on_date: `${LAST_YEAR}-12-31`, text: '街道表扬', evidence: '街道〔上年〕2号' });
  assert.equal(r.status, 201, r.text);
  assertError(await s1op.post('/api/v1/points/entries', { holder_kind: 'org', holder: S1, points: 2, text: '自评', evidence: '无' }), 403, 'forbidden', 'holder');
  // but it scores its own workers
  r = await e1op.post('/api/v1/points/entries', { holder_kind: 'worker', holder: W1, points: 3, on_date: `${LAST_YEAR}-12-31`, text: '岗位练兵第一名', evidence: '企业工会〔上年〕5号' });
  assert.equal(r.status, 201, r.text);
  // a street's operator does not correct the district's rule's entries
  assertError(await s1op.post(`/api/v1/points/entries/${awards.first.id}/reverse`, { reason: 'x' }), 403, 'forbidden');
  assertError(await s2op.post(`/api/v1/points/entries/${awards.first.id}/reverse`, { reason: 'x' }), 404, 'not_found');
});

test('申诉: the unit appeals, someone else reviews, an upheld appeal corrects', async () => {
  let r = await s1view.post(`/api/v1/points/entries/${awards.second.id}/appeals`, { reason: '该项目已在首次表彰中计分，系重复计分' });
  assert.equal(r.status, 201, r.text);
  const appeal = r.json;
  assert.equal(appeal.state, 'open');
  assertError(await s1view.post(`/api/v1/points/entries/${awards.second.id}/appeals`, { reason: 'again' }), 409, 'conflict');
  assertError(await s2op.post(`/api/v1/points/entries/${awards.second.id}/appeals`, { reason: 'x' }), 404, 'not_found');
  r = await owner.get(`/api/v1/points/appeals?org=${D}&state=open`);
  assert.equal(r.status, 200, r.text);
  const listed = r.json.items.find((a) => a.id === appeal.id);
  assert.ok(listed);
  assert.match(listed.holder_name, /积甲企业/);
  // the one who wrote the entry does not decide the appeal against it
  assertError(await owner.post(`/api/v1/points/appeals/${appeal.id}/review`, { decision: 'upheld', reason: 'x' }), 403, 'forbidden');
  r = await admin.post(`/api/v1/points/appeals/${appeal.id}/review`, { decision: 'upheld', reason: '核实为重复计分，扣回 10 分', correction: -10 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'upheld');
  assert.ok(r.json.correction_id);
  assertError(await admin.post(`/api/v1/points/appeals/${appeal.id}/review`, { decision: 'dismissed', reason: 'x' }), 409, 'conflict');
  const fix = (await ledger(owner, 'org', E1)).find((e) => e.id === r.json.correction_id);
  assert.equal(fix.kind, 'appeal');
  assert.equal(fix.points, -10);
  // a dismissed appeal writes nothing
  r = await s1view.post(`/api/v1/points/entries/${awards.first.id}/appeals`, { reason: '分值偏低' });
  assert.equal(r.status, 201, r.text);
  const before = (await ledger(owner, 'org', E1)).length;
  r = await admin.post(`/api/v1/points/appeals/${r.json.id}/review`, { decision: 'dismissed', reason: '按规则计分' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.correction_id, null);
  assert.equal((await ledger(owner, 'org', E1)).length, before);
  const b = await balance(owner, 'org', E1);
  assert.equal(b.balance, 30 + 20 - 10 + 10 + 2);
  assert.equal(b.periods.find((p) => p.period === YEAR).points, 40);
});

test('leaderboards follow the published order and the caller\'s scope', async () => {
  let r = await owner.get(`/api/v1/points/leaderboard?holder_kind=org&org=${D}&period=${LAST_YEAR}`);
  assert.equal(r.status, 200, r.text);
  // E3 and E2 have 15 each: E3 reached it first (March), whatever the ids
  assert.deepEqual(r.json.items.map((i) => [i.holder, i.points, i.place]), [[E3, 15, 1], [E2, 15, 2], [E1, 12, 3]]);
  // an org holder's 所属 is the org above it
  assert.match(r.json.items[0].parent_name, /积二街道/);
  assert.match(r.json.tie_break, /earlier/);
  // one page at a time
  r = await owner.get(`/api/v1/points/leaderboard?holder_kind=org&org=${D}&period=${LAST_YEAR}&limit=2`);
  assert.equal(r.json.items.length, 2);
  assert.ok(r.json.next);
  r = await owner.get(`/api/v1/points/leaderboard?holder_kind=org&org=${D}&period=${LAST_YEAR}&limit=2&after=${r.json.next}`);
  assert.deepEqual(r.json.items.map((i) => [i.holder, i.place]), [[E1, 3]]);
  assert.equal(r.json.next, null);
  // a street sees its own enterprises only
  r = await s1op.get(`/api/v1/points/leaderboard?holder_kind=org&period=${LAST_YEAR}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((i) => i.holder).sort(), [E1, E2].sort());
  assertError(await s1op.get(`/api/v1/points/leaderboard?holder_kind=org&org=${S2}`), 404, 'not_found');
  assertError(await s2op.get(`/api/v1/points/ledger?holder_kind=org&holder=${E1}`), 404, 'not_found');
  assertError(await s2op.get(`/api/v1/points/balances?holder_kind=worker&holder=${W1}`), 404, 'not_found');
  // workers by name, this year
  r = await owner.get(`/api/v1/points/leaderboard?holder_kind=worker&org=${D}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((i) => [i.holder, i.points, i.name]), [[W1, 25, '积分测试']]);
  assert.match(r.json.items[0].org_name, /积甲企业/);
  // an appeal about a worker names the worker
  const wa = await s1view.post(`/api/v1/points/entries/${(await ledger(owner, 'worker', W1))[0].id}/appeals`, { reason: '等级晋升时间有误' });
  assert.equal(wa.status, 201, wa.text);
  assert.equal(wa.json.holder_name, '积分测试');
  assert.equal(r.json.period, YEAR);
  // bad queries
  assertError(await owner.get(`/api/v1/points/leaderboard?holder_kind=org&period=2026-Q5`), 400, 'bad_request', 'period');
  assertError(await owner.get('/api/v1/points/leaderboard'), 400, 'bad_request', 'holder_kind');
  assertError(await owner.get('/api/v1/points/ledger?holder_kind=org'), 400, 'bad_request', 'holder');
});

test('points feed an evaluation indicator', async () => {
  let r = await owner.post('/api/v1/indexes', { org_id: D, title: '积分指数', unit_kind: 'enterprise' });
  assert.equal(r.status, 201, r.text);
  const index = r.json;
  r = await owner.post(`/api/v1/indexes/${index.id}/nodes`, { kind: 'dimension', code: 'P', title: '积分', weight: 1 });
  assert.equal(r.status, 201, r.text);
  r = await owner.post(`/api/v1/indexes/${index.id}/nodes`, { parent_id: r.json.id, kind: 'indicator', code: 'P1', title: '期内积分', weight: 1,
    source: { metric: 'points.earned' }, method: { kind: 'linear', worst: 0, best: 100 } });
  assert.equal(r.status, 201, r.text);
  r = await owner.post(`/api/v1/indexes/${index.id}/periods`, { label: YEAR, from: `${YEAR}-01-01`, to: `${YEAR}-12-31` });
  assert.equal(r.status, 201, r.text);
  const period = r.json;
  r = await owner.post(`/api/v1/periods/${period.id}/compute`);
  assert.equal(r.status, 202, r.text);
  assert.equal((await waitJob(owner, r.json.job_id)).state, 'done');
  r = await owner.get(`/api/v1/periods/${period.id}/scores`);
  const byOrg = Object.fromEntries(r.json.items.map((s) => [s.org_id, s]));
  assert.equal(byOrg[E1].total, 40);       // 30 + 20 − 10 this year
  assert.equal(byOrg[E2].total, 0);        // 7 − 7
  r = await owner.get(`/api/v1/periods/${period.id}/scores/${E1}/explain`);
  assert.equal(r.status, 200, r.text);
  assert.match(JSON.stringify(r.json), /points\.earned/);

  // the index's units by points, all and one class's (分类式管理): every
  // unit placed, those without points this year last
  r = await owner.get(`/api/v1/indexes/${index.id}/points?period=${YEAR}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((i) => [i.place, i.org_id, i.points]), [[1, E1, 40], [2, E2, 0], [3, E3, 0]]);
  assert.match(r.json.tie_break_zh, /先达到/);
  r = await owner.post(`/api/v1/indexes/${index.id}/classes`, { name: '乙类', weights: {}, methods: {} });
  assert.equal(r.status, 201, r.text);
  const klass = r.json.id;
  r = await owner.put(`/api/v1/indexes/${index.id}/classes/${klass}/members`, { org_ids: [E2, E3] });
  assert.equal(r.status, 200, r.text);
  r = await owner.get(`/api/v1/indexes/${index.id}/points?period=${LAST_YEAR}&class=${klass}`);
  assert.deepEqual(r.json.items.map((i) => [i.place, i.org_id, i.points]), [[1, E3, 15], [2, E2, 15]]);
  r = await owner.get(`/api/v1/indexes/${index.id}/points?period=${LAST_YEAR}&class=-1&limit=1`);
  assert.deepEqual(r.json.items.map((i) => [i.org_id, i.points]), [[E1, 12]]);
  assert.equal(r.json.next, null);
  // a street sees its own units only; a bad period is named
  r = await s1op.get(`/api/v1/indexes/${index.id}/points?period=${LAST_YEAR}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((i) => i.org_id), [E2, E1]);
  assertError(await owner.get(`/api/v1/indexes/${index.id}/points?period=2026-W1`), 400, 'bad_request', 'period');
});

test('points expire as entries of their own; the period keeps what it earned', async () => {
  const s = sweepOn(dayOffset(31));
  assert.ok(s.expired >= 3, JSON.stringify(s));
  const items = await ledger(owner, 'worker', W1);
  const expiries = items.filter((e) => e.kind === 'expiry');
  assert.deepEqual(expiries.map((e) => e.points).sort(), [-10, -10, -5]);
  assert.ok(expiries.every((e) => e.on_date === dayOffset(30)));
  const b = await balance(owner, 'worker', W1);
  assert.equal(b.balance, 3);            // last year's award by its enterprise does not expire
  assert.equal(b.expired, -25);
  assert.equal(b.periods.find((p) => p.period === YEAR).points, 25);
  // a later sweep expires nothing more
  assert.equal(sweepOn(dayOffset(32)).expired, 0);
});

test('a retired rule takes no later fact', async () => {
  let r = await owner.post(`/api/v1/points/rules/${levelRule.id}/retire`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'retired');
  assert.equal(r.json.ends, today());
  assertError(await owner.post(`/api/v1/points/rules/${levelRule.id}/retire`, {}), 409, 'conflict');
  assertError(await s1op.post(`/api/v1/points/rules/${levelRule.id}/retire`, {}), 403, 'forbidden');
  // a fact dated after the rule's last day does not count
  const n = (await ledger(owner, 'worker', W2)).length;
  await level(W2, 7);
  sql(`UPDATE worker_events SET on_date = '${dayOffset(1)}' WHERE worker_id = ${W2} AND kind = 'level' AND to_value = '7'`);
  sweepOn(today());
  assert.equal((await ledger(owner, 'worker', W2)).length, n);
  // nor does an award under a retired manual rule
  r = await owner.post(`/api/v1/points/rules/${awardRule.id}/retire`, {});
  assert.equal(r.status, 200, r.text);
  assertError(await owner.post('/api/v1/points/entries', { holder_kind: 'org', holder: E2, points: 5, rule_id: awardRule.id, text: 'x', evidence: 'y' }), 422, 'validation_failed', 'on_date');
  // a street's viewer reads the district's rules that reach it
  r = await s1view.get('/api/v1/points/rules');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((x) => x.code === 'AWD'));
});

test('changai check adds the entries up again and names a total edited in the store', async () => {
  let c = cli('check', '--db', DB);
  assert.match(c.out, /^points: \d+ holders, 0 totals differ from their entries$/m);
  sql(`UPDATE points_totals SET points = points + 3 WHERE holder_kind = 'org' AND holder_id = ${E1} AND period = 'all'`);
  c = cli('check', '--db', DB);
  assert.equal(c.status, 1, c.out);
  assert.match(c.out, new RegExp(`points: org ${E1} period all: totals differ from the entries by -3 points`));
  sql(`UPDATE points_totals SET points = points - 3 WHERE holder_kind = 'org' AND holder_id = ${E1} AND period = 'all'`);
  c = cli('check', '--db', DB);
  assert.match(c.out, /^points: \d+ holders, 0 totals differ from their entries$/m);
});

test('two client keys that differ only at their 64th character are two awards', async () => {
  const stem = '积'.repeat(63);
  const body = { holder_kind: 'org', holder: E3, points: 1, text: '长键', evidence: '长键' };
  const a = await owner.post('/api/v1/points/entries', { ...body, key: `${stem}甲` });
  const b = await owner.post('/api/v1/points/entries', { ...body, key: `${stem}乙` });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id);
  const again = await owner.post('/api/v1/points/entries', { ...body, key: `${stem}乙` });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.id, b.json.id);
});
