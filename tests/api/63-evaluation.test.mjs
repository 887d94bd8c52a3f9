// The evaluation index (指数式定标 · 分类式管理): a district's operator
// defines an index for its enterprises, with metrics from the registry,
// values the units report (reviewed) and bonus and veto nodes; computes a
// period as a job; scores, ranks and stars follow API.md to the decimal;
// every score is explained down to its inputs; a class overrides weights
// and ranks on its own; a sealed period never changes and `changai check`
// notices an edit in the store. Scope: a street sees its own enterprises'
// scores only, and reports only for them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { xlsx } from './xlsx.mjs';
import {
  login, createOrg, createUser, grant, randomUscc, assertError, uniq, sql, DB, BIN, request, today,
} from './lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let serial = randomInt(0, 400);
function newId() {
  serial++;
  const b = `19${80 + (serial % 15)}${String(1 + (serial % 12)).padStart(2, '0')}${String(1 + (serial % 27)).padStart(2, '0')}`;
  const f17 = `330206${b}${String((serial * 7) % 1000).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(f17[i]) * W[i];
  return f17 + '10X98765432'[s % 11];
}

let admin, owner, s1op, s2op, outsider, viewer;
let D, S1, S2, E1, E2, E3;
let index, period;
const codes = {};

async function waitJob(client, id) {
  for (let i = 0; i < 300; i++) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    if (r.json.state === 'done' || r.json.state === 'failed') return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

async function worker(org, level, union) {
  const body = { org_id: org, name: '评价测试', id_no: newId(), skill_level: level, union_member: union };
  if (union) body.union_joined = '2015-03-01';
  const r = await owner.post('/api/v1/workers', body);
  assert.equal(r.status, 201, r.text);
}

async function node(fields, client = owner) {
  const r = await client.post(`/api/v1/indexes/${index.id}/nodes`, fields);
  assert.equal(r.status, 201, r.text);
  codes[fields.code] = r.json.id;
  return r.json;
}

async function compute() {
  const r = await owner.post(`/api/v1/periods/${period.id}/compute`);
  assert.equal(r.status, 202, r.text);
  const job = await waitJob(owner, r.json.job_id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  return job;
}

async function scores(client, query = '') {
  const r = await client.get(`/api/v1/periods/${period.id}/scores${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// the notices sweep on a chosen business date (behind CHANGAI_TEST_CLOCK)
function sweepOn(date) {
  const env = { ...process.env, CHANGAI_TEST_CLOCK: '1', CHANGAI_TODAY: date };
  delete env.CHANGAI_NOW;
  const r = spawnSync(BIN, ['sweep', '--db', DB], { encoding: 'utf8', timeout: 60000, env });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  return Number(r.stdout.match(/^notices: (\d+) closed$/m)[1]);
}

function cli(...args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

before(async () => {
  admin = await login('admin');
  const sec = await login('secadmin');
  viewer = await login('viewer');
  outsider = await login('zhuangqiao');
  D = (await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('评价区') })).id;
  S1 = (await createOrg(admin, { parent_id: D, kind: 'street', name: uniq('一街道') })).id;
  S2 = (await createOrg(admin, { parent_id: D, kind: 'street', name: uniq('二街道') })).id;
  E1 = (await createOrg(admin, { parent_id: S1, kind: 'enterprise', name: uniq('甲企业'), uscc: randomUscc() })).id;
  E2 = (await createOrg(admin, { parent_id: S1, kind: 'enterprise', name: uniq('乙企业'), uscc: randomUscc() })).id;
  E3 = (await createOrg(admin, { parent_id: S2, kind: 'enterprise', name: uniq('丙企业'), uscc: randomUscc() })).id;
  owner = (await createUser(sec, { org_id: D, role: 'operator' })).client;
  s1op = (await createUser(sec, { org_id: S1, role: 'operator' })).client;
  s2op = (await createUser(sec, { org_id: S2, role: 'operator' })).client;
  // E1: levels 4, 2, 5, 0 — 3 skilled, 2 highly skilled, 3 of 4 in the union
  await worker(E1, 4, true);
  await worker(E1, 2, true);
  await worker(E1, 5, true);
  await worker(E1, 0, false);
  // E2: levels 1, 4 — 1 skilled, 1 highly skilled, none in the union
  await worker(E2, 1, false);
  await worker(E2, 4, false);
  // E3: nobody, so its ratios have no value
});

test('the metrics catalogue lists the registry and plans metrics', async () => {
  const r = await owner.get('/api/v1/metrics');
  assert.equal(r.status, 200, r.text);
  const names = r.json.items.map((m) => m.name);
  for (const n of ['workers.count', 'workers.skilled', 'workers.high_skilled',
    'workers.high_skill_ratio', 'workers.union_rate', 'plans.completion']) assert.ok(names.includes(n), n);
  const ratio = r.json.items.find((m) => m.name === 'workers.high_skill_ratio');
  assert.equal(ratio.unit, 'ratio');
  assert.equal(ratio.title.zh, '高技能人才占比');
});

test('an owner defines an index; bad nodes are refused and nothing is written', async () => {
  let r = await owner.post('/api/v1/indexes', { org_id: D, title: '2026年度企业产改指数', unit_kind: 'enterprise' });
  assert.equal(r.status, 201, r.text);
  index = r.json;
  assert.deepEqual(index.stars, [90, 80, 70, 60]);
  assertError(await owner.post('/api/v1/indexes', { org_id: D, title: 'x', unit_kind: 'village' }), 422, 'validation_failed', 'unit_kind');
  // a street's operator may not define an index for the district
  assertError(await s1op.post('/api/v1/indexes', { org_id: D, title: 'x', unit_kind: 'enterprise' }), 404, 'not_found');

  const d1 = await node({ kind: 'dimension', code: 'D1', title: '人才结构', weight: 60 });
  await node({ parent_id: d1.id, kind: 'indicator', code: 'I1', title: '高技能人才占比', weight: 2,
    source: { metric: 'workers.high_skill_ratio' }, method: { kind: 'linear', worst: 0, best: 0.8 } });
  await node({ parent_id: d1.id, kind: 'indicator', code: 'I2', title: '职工入会率', weight: 1,
    source: { metric: 'workers.union_rate' }, method: { kind: 'efficacy', worst: 0.5, best: 1 } });
  const d2 = await node({ kind: 'dimension', code: 'D2', title: '创新活动', weight: 40 });
  await node({ parent_id: d2.id, kind: 'indicator', code: 'I3', title: '创新成果数', unit: '项', weight: 1,
    source: { reported: true }, method: { kind: 'bands', bands: [{ min: 0, score: 40 }, { min: 2, score: 80 }, { min: 5, score: 100 }] } });
  await node({ kind: 'bonus', code: 'B1', title: '市级以上荣誉加分', source: { reported: true }, cap: 5 });
  await node({ kind: 'veto', code: 'V1', title: '无重大安全事故', source: { reported: true } });

  const before = await owner.get(`/api/v1/indexes/${index.id}/tree`);
  assert.equal(before.status, 200, before.text);
  assert.equal(before.json.total, 7);
  // nested, with each node's share of its siblings
  assert.deepEqual(before.json.items.map((n) => n.code), ['D1', 'D2', 'B1', 'V1']);
  assert.equal(before.json.items[0].share, 0.6);
  assert.deepEqual(before.json.items[0].children.map((n) => [n.code, n.share]), [['I1', 0.666667], ['I2', 0.333333]]);

  const bad = [
    [{ kind: 'indicator', code: 'X1', title: 't', weight: -1, source: { metric: 'workers.count' }, method: { kind: 'milestone' } }, 422, 'weight'],
    [{ kind: 'indicator', code: 'X2', title: 't', source: { metric: 'workers.nothing' }, method: { kind: 'milestone' } }, 422, 'source.metric'],
    [{ kind: 'indicator', code: 'X3', title: 't', source: { metric: 'workers.count' } }, 422, 'method'],
    [{ kind: 'indicator', code: 'X4', title: 't', method: { kind: 'milestone' } }, 422, 'source'],
    [{ kind: 'indicator', code: 'X5', title: 't', source: { reported: true }, method: { kind: 'linear', worst: 1, best: 1 } }, 422, 'method.best'],
    [{ kind: 'bonus', code: 'X6', title: 't', source: { reported: true } }, 422, 'cap'],
    [{ kind: 'dimension', code: 'X7', title: 't', source: { reported: true } }, 422, 'source'],
    [{ parent_id: codes.I1, kind: 'indicator', code: 'X8', title: 't', source: { reported: true }, method: { kind: 'milestone' } }, 422, 'parent_id'],
    [{ parent_id: 999999999, kind: 'dimension', code: 'X9', title: 't' }, 422, 'parent_id'],
    [{ kind: 'dimension', code: 'D1', title: '重复' }, 409, 'code'],
  ];
  for (const [body, status, field] of bad) {
    r = await owner.post(`/api/v1/indexes/${index.id}/nodes`, body);
    assertError(r, status, status === 409 ? 'conflict' : 'validation_failed', field);
  }
  // a cycle: D2 under D1, then D1 under D2
  r = await owner.patch(`/api/v1/indexes/${index.id}/nodes/${codes.D2}`, { parent_id: codes.D1 });
  assert.equal(r.status, 200, r.text);
  assertError(await owner.patch(`/api/v1/indexes/${index.id}/nodes/${codes.D1}`, { parent_id: codes.D2 }), 422, 'validation_failed', 'parent_id');
  r = await owner.patch(`/api/v1/indexes/${index.id}/nodes/${codes.D2}`, { parent_id: null });
  assert.equal(r.status, 200, r.text);
  const after = await owner.get(`/api/v1/indexes/${index.id}/tree`);
  assert.deepEqual(after.json, before.json, 'the refusals wrote nothing');
  // a unit below the index sees it, but may not change it
  assert.equal((await s1op.get(`/api/v1/indexes/${index.id}`)).status, 200);
  assertError(await s1op.post(`/api/v1/indexes/${index.id}/nodes`, { kind: 'dimension', code: 'Z', title: 'z' }), 403, 'forbidden');
  // outside: not found
  assertError(await outsider.get(`/api/v1/indexes/${index.id}`), 404, 'not_found');
  assertError(await viewer.get(`/api/v1/indexes/${index.id}/tree`), 404, 'not_found');
  const list = await outsider.get('/api/v1/indexes');
  assert.ok(!list.json.items.some((x) => x.id === index.id));
  const mine = await s1op.get('/api/v1/indexes');
  assert.equal(mine.json.items.find((x) => x.id === index.id).access, 'unit');
  // a node with children is not deleted; a leaf is
  assertError(await owner.del(`/api/v1/indexes/${index.id}/nodes/${codes.D1}`), 409, 'conflict');
  const tmp = await node({ kind: 'veto', code: 'TMP', title: '临时', source: { reported: true } });
  assert.equal((await owner.del(`/api/v1/indexes/${index.id}/nodes/${tmp.id}`)).status, 204);
});

test('units report, owners review; a value counts once accepted', async () => {
  let r = await owner.post(`/api/v1/indexes/${index.id}/periods`, { label: '2026', from: '2026-01-01', to: '2026-12-31' });
  assert.equal(r.status, 201, r.text);
  period = r.json;
  assert.equal(period.state, 'open');
  assertError(await owner.post(`/api/v1/indexes/${index.id}/periods`, { label: '2026', from: '2026-01-01', to: '2026-12-31' }), 409, 'conflict', 'label');
  assertError(await owner.post(`/api/v1/indexes/${index.id}/periods`, { label: '2027', from: '2027-12-31', to: '2027-01-01' }), 422, 'validation_failed', 'to');

  const put = (client, body) => client.post(`/api/v1/periods/${period.id}/values`, body);
  // the street reports for its enterprise: waiting for review
  r = await put(s1op, { org_id: E1, code: 'I3', value: 3, note: '专利 3 项' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, 'submitted');
  const i3 = r.json;
  r = await put(s1op, { org_id: E1, code: 'B1', value: 4, note: '省级荣誉' });
  assert.equal(r.json.state, 'submitted');
  const b1 = r.json;
  // not for another street's enterprise; not a computed indicator; not a bad veto
  assertError(await put(s1op, { org_id: E3, code: 'I3', value: 1 }), 404, 'not_found');
  assertError(await put(owner, { org_id: E1, code: 'I1', value: 0.5 }), 422, 'validation_failed', 'code');
  assertError(await put(owner, { org_id: E1, code: 'NOPE', value: 1 }), 422, 'validation_failed', 'code');
  assertError(await put(owner, { org_id: E1, code: 'V1', value: 0.5 }), 422, 'validation_failed', 'value');
  assertError(await put(owner, { org_id: S1, code: 'I3', value: 1 }), 422, 'validation_failed', 'org_id');
  assertError(await put(owner, { org_id: E1, code: 'I3', value: 'many' }), 422, 'validation_failed', 'value');

  // review: accept one, return the other with a reason
  const review = (id, body, client = owner) => client.post(`/api/v1/periods/${period.id}/values/${id}/review`, body);
  assertError(await review(i3.id, { decision: 'accept' }, s1op), 403, 'forbidden');
  r = await review(i3.id, { decision: 'accept' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'accepted');
  assertError(await review(i3.id, { decision: 'accept' }), 409, 'conflict');
  assertError(await review(b1.id, { decision: 'return' }), 422, 'validation_failed', 'reason');
  r = await review(b1.id, { decision: 'return', reason: '请附荣誉证书' });
  assert.equal(r.json.state, 'returned');
  // the street sees why it came back
  r = await s1op.get(`/api/v1/periods/${period.id}/values?state=returned`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.items[0].reason, '请附荣誉证书');
  // the owner's own entries count at once
  assert.equal((await put(owner, { org_id: E1, code: 'B1', value: 8, note: '全国五一劳动奖状' })).json.state, 'accepted');
  assert.equal((await put(owner, { org_id: E2, code: 'V1', value: 0, note: '发生一般事故' })).json.state, 'accepted');
  assert.equal((await put(owner, { org_id: E3, code: 'I3', value: 5 })).json.state, 'accepted');
  // a street lists only its own units' values
  r = await s2op.get(`/api/v1/periods/${period.id}/values`);
  assert.deepEqual([...new Set(r.json.items.map((v) => v.org_id))], [E3]);
});

test('compute: scores, ranks and stars follow API.md to the decimal', async () => {
  assertError(await s1op.post(`/api/v1/periods/${period.id}/compute`), 403, 'forbidden');
  const job = await compute();
  assert.equal(job.total, 3);
  const all = await scores(owner);
  assert.equal(all.total, 3);
  const by = Object.fromEntries(all.items.map((s) => [s.org_id, s]));
  // E1: I1 = 100 × (2/3) / 0.8 = 83.33; I2 = 60 + 40 × 0.5 = 80; D1 = (2 × 83.33 + 80) / 3
  // = 82.22; I3 = 3 → band 2 → 80 = D2; 0.6 × 82.22 + 0.4 × 80 = 81.33; B1 8 capped at 5
  assert.deepEqual(by[E1].scores, { D1: 82.22, I1: 83.33, I2: 80, D2: 80, I3: 80, B1: 5 });
  assert.equal(by[E1].total, 86.33);
  assert.equal(by[E1].stars, 4);
  assert.equal(by[E1].vetoed, false);
  // E2: I1 = 100 (1/1 above 0.8); I2 = 60 (none in the union); D1 = 86.67; no I3 → 0;
  // 0.6 × 86.67 = 52; vetoed: its total stands, no stars
  assert.equal(by[E2].total, 52);
  assert.equal(by[E2].vetoed, true);
  assert.equal(by[E2].stars, 0);
  // E3: no workers, so no ratios (0); I3 = 5 → 100; 0.4 × 100 = 40
  assert.equal(by[E3].total, 40);
  assert.equal(by[E3].stars, 1);
  assert.deepEqual(all.items.map((s) => [s.org_id, s.rank]), [[E1, 1], [E2, 2], [E3, 3]]);
  assert.equal(all.period.units, 3);
  // pages of two: the cursor carries on where the first page stopped
  const first = await scores(owner, '?limit=2');
  assert.deepEqual(first.items.map((s) => s.org_id), [E1, E2]);
  assert.ok(first.next, 'a next page');
  const second = await scores(owner, `?limit=2&after=${first.next}`);
  assert.deepEqual(second.items.map((s) => s.org_id), [E3]);
  assert.equal(second.next, null);
  assert.equal(second.total, 3);
});

test('explain: every node down to its source and who entered it', async () => {
  const r = await owner.get(`/api/v1/periods/${period.id}/scores/${E1}/explain`);
  assert.equal(r.status, 200, r.text);
  const e = r.json;
  assert.equal(e.total, 86.33);
  assert.equal(e.explain.weighted, 81.33);
  assert.equal(e.explain.bonus, 5);
  assert.equal(e.explain.ceiling, 105);
  const n = Object.fromEntries(e.explain.nodes.map((x) => [x.code, x]));
  assert.equal(n.I1.value, 0.666667);
  assert.equal(n.I1.source.metric, 'workers.high_skill_ratio');
  assert.match(n.I1.source.filters, new RegExp(`org ${E1}`));
  assert.deepEqual(n.I1.method, { kind: 'linear', worst: 0, best: 0.8 });
  assert.equal(n.I1.share, 0.4);
  assert.equal(n.I1.contribution, 33.3333);
  assert.equal(n.I3.value, 3);
  assert.equal(n.I3.source.reported.note, '专利 3 项');
  assert.ok(n.I3.source.reported.entered_by, 'who entered it');
  assert.ok(n.I3.source.reported.accepted_by, 'who accepted it');
  assert.notEqual(n.I3.source.reported.entered_by, n.I3.source.reported.accepted_by);
  assert.equal(n.B1.value, 8);
  assert.equal(n.B1.score, 5);
  assert.equal(n.V1.value, null);
  assert.equal(n.V1.vetoes, false);
  const v = await owner.get(`/api/v1/periods/${period.id}/scores/${E2}/explain`);
  assert.equal(v.json.explain.veto, 'V1');
});

test('scope: a street sees its own enterprises only', async () => {
  const s1 = await scores(s1op);
  assert.deepEqual(s1.items.map((s) => s.org_id).sort(), [E1, E2].sort());
  assert.equal(s1.total, 2);
  const s2 = await scores(s2op);
  assert.deepEqual(s2.items.map((s) => s.org_id), [E3]);
  assertError(await s1op.get(`/api/v1/periods/${period.id}/scores/${E3}/explain`), 404, 'not_found');
  assertError(await outsider.get(`/api/v1/periods/${period.id}/scores`), 404, 'not_found');
  assertError(await viewer.get(`/api/v1/periods/${period.id}`), 404, 'not_found');
});

test('a class overrides weights and ranks on its own', async () => {
  let r = await owner.post(`/api/v1/indexes/${index.id}/classes`, { name: '中小微企业', weights: { D2: 0 } });
  assert.equal(r.status, 201, r.text);
  const k = r.json;
  assertError(await owner.post(`/api/v1/indexes/${index.id}/classes`, { name: '坏', weights: { NOPE: 1 } }), 422, 'validation_failed', 'weights');
  assertError(await owner.post(`/api/v1/indexes/${index.id}/classes`, { name: '坏', methods: { D1: { kind: 'milestone' } } }), 422, 'validation_failed', 'methods');
  assertError(await owner.post(`/api/v1/indexes/${index.id}/classes`, { name: '中小微企业' }), 409, 'conflict', 'name');
  // only units of the index
  r = await owner.put(`/api/v1/indexes/${index.id}/classes/${k.id}/members`, { org_ids: [E3, S2] });
  assertError(r, 422, 'validation_failed', 'org_ids');
  assert.equal(r.json.error.details[0].row, 2);
  r = await owner.put(`/api/v1/indexes/${index.id}/classes/${k.id}/members`, { org_ids: [E3] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.members, 1);
  await compute();
  const all = await scores(owner);
  const by = Object.fromEntries(all.items.map((s) => [s.org_id, s]));
  // E3 in its class: D2 weighs nothing, D1 has no values → 0; first in its class
  assert.equal(by[E3].total, 0);
  assert.equal(by[E3].class_id, k.id);
  assert.equal(by[E3].rank, 1);
  assert.equal(by[E1].rank, 1);
  assert.equal(by[E2].rank, 2);
  const only = await scores(owner, `?class=${k.id}`);
  assert.deepEqual(only.items.map((s) => s.org_id), [E3]);
});

test('classes are renamed, changed and deleted; a node a class names stays', async () => {
  const tmp = await node({ kind: 'indicator', code: 'TMPI', title: '临时指标', weight: 0,
    source: { metric: 'workers.count' }, method: { kind: 'milestone' } });
  let r = await owner.post(`/api/v1/indexes/${index.id}/classes`, { name: '临时分类', methods: { TMPI: { kind: 'milestone' } } });
  assert.equal(r.status, 201, r.text);
  const k = r.json;
  const classes = `/api/v1/indexes/${index.id}/classes`;
  assertError(await owner.del(`/api/v1/indexes/${index.id}/nodes/${tmp.id}`), 409, 'conflict');
  assertError(await owner.patch(`${classes}/${k.id}`, { name: '中小微企业' }), 409, 'conflict', 'name');
  assertError(await owner.patch(`${classes}/${k.id}`, { weights: { NOPE: 1 } }), 422, 'validation_failed', 'weights');
  assertError(await s1op.patch(`${classes}/${k.id}`, { methods: {} }), 403, 'forbidden');
  assertError(await owner.patch(`${classes}/999999999`, { methods: {} }), 404, 'not_found');
  r = await owner.patch(`${classes}/${k.id}`, { methods: {}, weights: { D1: 2 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, '临时分类');
  assert.deepEqual([r.json.weights, r.json.methods], [{ D1: 2 }, {}]);
  // the class no longer names the node: it goes
  assert.equal((await owner.del(`/api/v1/indexes/${index.id}/nodes/${tmp.id}`)).status, 204);
  assertError(await s1op.del(`${classes}/${k.id}`), 403, 'forbidden');
  assert.equal((await owner.del(`${classes}/${k.id}`)).status, 204);
  assertError(await owner.del(`${classes}/${k.id}`), 404, 'not_found');
  const list = await owner.get(classes);
  assert.deepEqual(list.json.items.map((x) => x.name), ['中小微企业']);
});

test('robustness: rank intervals under perturbed weights, reproduced from the seed', async () => {
  const base = `/api/v1/periods/${period.id}/robustness`;
  let r = await owner.get(base);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.run, null);
  assert.deepEqual(r.json.items, []);
  assertError(await s1op.post(base, {}), 403, 'forbidden');
  assertError(await outsider.get(base), 404, 'not_found');
  assertError(await owner.post(base, { spread: 1 }), 422, 'validation_failed', 'spread');
  assertError(await owner.post(base, { spread: -0.1 }), 422, 'validation_failed', 'spread');
  assertError(await owner.post(base, { replications: 0 }), 422, 'validation_failed', 'replications');
  assertError(await owner.post(base, { top: 0 }), 422, 'validation_failed', 'top');
  async function run(body) {
    const q = await owner.post(base, body);
    assert.equal(q.status, 202, q.text);
    const job = await waitJob(owner, q.json.job_id);
    assert.equal(job.state, 'done', JSON.stringify(job));
    const a = await owner.get(base);
    assert.equal(a.status, 200, a.text);
    return a.json;
  }
  const one = await run({ replications: 60, spread: 0.25, seed: 7, top: 1, methods: true });
  assert.equal(one.run.replications, 60);
  assert.equal(one.run.seed, 7);
  assert.equal(one.run.top, 1);
  assert.equal(one.run.methods, true);
  assert.equal(one.run.stale, false);
  assert.ok(one.run.done);
  const by = Object.fromEntries(one.items.map((x) => [x.org_id, x]));
  assert.deepEqual(Object.keys(by).map(Number).sort((a, b) => a - b), [E1, E2, E3].sort((a, b) => a - b));
  // E1 leads the units in no class once the vetoed E2 is out; E3 is alone in its class
  assert.deepEqual([by[E1].rank, by[E1].interval.best, by[E1].interval.worst, by[E1].verdict], [1, 1, 1, 'in']);
  assert.equal(by[E1].top_share, 1);
  assert.deepEqual([by[E2].vetoed, by[E2].rank, by[E2].interval, by[E2].verdict], [true, null, null, 'out']);
  assert.equal(by[E3].verdict, 'in');
  // the same parameters give the same answer
  const again = await run({ replications: 60, spread: 0.25, seed: 7, top: 1, methods: true });
  assert.deepEqual(again.items, one.items);
  // a unit's account sees its own units only; a filter by verdict
  r = await s1op.get(base);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((x) => x.org_id).sort((a, b) => a - b), [E1, E2].sort((a, b) => a - b));
  r = await owner.get(`${base}?verdict=out`);
  assert.deepEqual(r.json.items.map((x) => x.org_id), [E2]);
  assertError(await owner.get(`${base}?verdict=maybe`), 400, 'bad_request', 'verdict');
  // computing again leaves the run behind: it says so
  await compute();
  r = await owner.get(base);
  assert.equal(r.json.run.stale, true);
});

test('seal: the scores never change afterwards; check notices an edit', async () => {
  const before = await scores(owner);
  assertError(await s1op.post(`/api/v1/periods/${period.id}/seal`), 403, 'forbidden');
  let r = await owner.post(`/api/v1/periods/${period.id}/seal`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.hash, /^[0-9a-f]{64}$/);
  const hash = r.json.hash;
  assertError(await owner.post(`/api/v1/periods/${period.id}/seal`), 409, 'conflict');
  assertError(await owner.post(`/api/v1/periods/${period.id}/compute`), 409, 'conflict');
  // the sealed ranking names its classes: they stay
  const small = (await owner.get(`/api/v1/indexes/${index.id}/classes`)).json.items[0];
  assertError(await owner.del(`/api/v1/indexes/${index.id}/classes/${small.id}`), 409, 'conflict');
  assertError(await owner.post(`/api/v1/periods/${period.id}/values`, { org_id: E1, code: 'I3', value: 9 }), 409, 'conflict');
  // the registry moves on; the sealed scores do not
  await worker(E3, 6, true);
  const after = await scores(owner);
  assert.deepEqual(after.items, before.items);
  assert.equal(after.period.state, 'sealed');
  assert.equal(after.period.hash, hash);
  let c = cli('check', '--db', DB);
  assert.match(c.out, /^evaluation seals: \d+ sealed periods, 0 differ from their seal$/m);
  // an edit in the store is named, and undone
  sql(`UPDATE eval_scores SET total = total + 1 WHERE period_id = ${period.id} AND org_id = ${E1}`);
  c = cli('check', '--db', DB);
  assert.equal(c.status, 1, c.out);
  assert.match(c.out, new RegExp(`evaluation period ${period.id} \\(2026\\): its scores differ from what was sealed`));
  sql(`UPDATE eval_scores SET total = total - 1 WHERE period_id = ${period.id} AND org_id = ${E1}`);
  c = cli('check', '--db', DB);
  assert.match(c.out, /^evaluation seals: \d+ sealed periods, 0 differ from their seal$/m);
  // so is an edit smaller than the answer's two decimals
  const e1 = before.items.find((s) => s.org_id === E1).total;
  sql(`UPDATE eval_scores SET total = ${e1} + 0.001 WHERE period_id = ${period.id} AND org_id = ${E1}`);
  c = cli('check', '--db', DB);
  assert.equal(c.status, 1, c.out);
  sql(`UPDATE eval_scores SET total = ${e1} WHERE period_id = ${period.id} AND org_id = ${E1}`);
  c = cli('check', '--db', DB);
  assert.match(c.out, /^evaluation seals: \d+ sealed periods, 0 differ from their seal$/m);
});

test('典型式引领: candidates → proposal with reasons → review → 公示 → named', async () => {
  // candidates: the best of each class, never the vetoed E2
  let r = await owner.get(`/api/v1/periods/${period.id}/candidates?top=1`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((x) => [x.org_id, x.rank]), [[E1, 1], [E3, 1]]);
  assert.equal(r.json.robustness.top, 1);
  assert.equal(r.json.items[0].robustness.verdict, 'in');
  r = await owner.get(`/api/v1/periods/${period.id}/candidates?min=0`);
  assert.deepEqual(r.json.items.map((x) => x.org_id).sort((a, b) => a - b), [E1, E3].sort((a, b) => a - b));
  assertError(await s1op.get(`/api/v1/periods/${period.id}/candidates`), 403, 'forbidden');
  // a score line that is no number is refused, not read as 0 (every unit)
  assertError(await owner.get(`/api/v1/periods/${period.id}/candidates?min=abc`), 400, 'bad_request', 'min');
  assertError(await owner.get(`/api/v1/periods/${period.id}/candidates?min=250`), 400, 'bad_request', 'min');
  assertError(await outsider.get(`/api/v1/periods/${period.id}/candidates`), 404, 'not_found');
  // names come from sealed scores only
  const open = await owner.post(`/api/v1/indexes/${index.id}/periods`, { label: '2027', from: '2027-01-01', to: '2027-12-31' });
  assert.equal(open.status, 201, open.text);
  assertError(await owner.post(`/api/v1/periods/${open.json.id}/proposals`, { honour: '示范企业', top: 1, org_ids: [E1] }), 409, 'conflict');
  const base = `/api/v1/periods/${period.id}/proposals`;
  // a candidate left out needs a reason; a vetoed unit is no candidate
  r = await owner.post(base, { honour: '示范企业', top: 1, org_ids: [E1] });
  assertError(r, 422, 'validation_failed', 'left_out');
  assert.equal(r.json.error.details[0].row, 2);
  r = await owner.post(base, { honour: '示范企业', top: 1, org_ids: [E2] });
  assertError(r, 422, 'validation_failed', 'org_ids');
  assertError(await owner.post(base, { honour: '示范企业', org_ids: [E1] }), 422, 'validation_failed', 'top');
  assertError(await owner.post(base, { honour: '示范企业', top: 1, min: 50, org_ids: [E1] }), 422, 'validation_failed', 'top');
  assertError(await s1op.post(base, { honour: '示范企业', top: 1, org_ids: [E1] }), 403, 'forbidden');
  const why = '本年度发生欠薪投诉，经研究暂缓命名';
  r = await owner.post(base, { honour: '示范企业', top: 1, org_ids: [E1], left_out: [{ org_id: E3, reason: why }] });
  assert.equal(r.status, 201, r.text);
  const prop = r.json;
  assert.equal(prop.state, 'submitted');
  assert.equal(prop.listed, 1);
  assert.deepEqual(prop.units.map((u) => [u.org_id, u.state, u.reason]), [[E1, 'listed', ''], [E3, 'left_out', why]]);
  assertError(await owner.post(base, { honour: '示范企业', top: 1, org_ids: [E1, E3] }), 409, 'conflict', 'honour');
  // the proposer never reviews the list; a return says why
  assertError(await owner.post(`/api/v1/proposals/${prop.id}/review`, { decision: 'approve' }), 403, 'forbidden');
  assertError(await admin.post(`/api/v1/proposals/${prop.id}/review`, { decision: 'return' }), 422, 'validation_failed', 'reason');
  r = await admin.post(`/api/v1/proposals/${prop.id}/review`, { decision: 'return', reason: '丙企业欠薪已整改，请重新研究' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'returned');
  assert.equal(r.json.review_reason, '丙企业欠薪已整改，请重新研究');
  assertError(await owner.post(`/api/v1/proposals/${prop.id}/notice`, { contact: '江北区总工会' }), 409, 'conflict');
  r = await owner.put(`/api/v1/proposals/${prop.id}`, { top: 1, org_ids: [E1, E3] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.state, r.json.listed], ['submitted', 2]);
  r = await admin.post(`/api/v1/proposals/${prop.id}/review`, { decision: 'approve' });
  assert.equal(r.json.state, 'approved');
  // 公示: the listed units, no personal data; an upheld objection withdraws one
  assertError(await s1op.post(`/api/v1/proposals/${prop.id}/notice`, { contact: '江北区总工会' }), 403, 'forbidden');
  r = await owner.post(`/api/v1/proposals/${prop.id}/notice`, { contact: '江北区总工会 0574-87000000', days: 5 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'noticed');
  const notice = (await owner.get(`/api/v1/notices/${r.json.notice_id}`)).json;
  assert.equal(notice.kind, 'demonstration');
  assert.equal(notice.state, 'open');
  assert.match(notice.title, /^2026示范企业拟命名名单公示$/);
  assert.equal(notice.subjects.length, 2);
  // on a day off the window opens on the next working day: start it today,
  // so that the public may object now whatever day the suite runs
  if (notice.phase === 'before') sql(`UPDATE notices SET starts = '${today()}' WHERE id = ${notice.id}`);
  const e3 = notice.subjects.find((x) => x.ref && x.ref.id === E3);
  assert.match(e3.text, /^拟命名为示范企业；总分 \d+\.\d{2}，类内第 1 名$/);
  const obj = await request('POST', `/api/v1/public/notices/${notice.public_id}/objections`,
    { body: { name: '李建华', phone: '13812345678', subject_id: e3.no, text: '丙企业仍有欠薪未结清' } });
  assert.equal(obj.status, 201, obj.text);
  const oid = (await owner.get(`/api/v1/notices/${notice.id}`)).json.objections[0].id;
  r = await owner.post(`/api/v1/notices/${notice.id}/objections/${oid}/response`, { decision: 'upheld' });
  assert.equal(r.status, 200, r.text);
  // the window ends; the sweep closes the notice and names who is still listed
  const after = new Date(Date.parse(`${notice.ends}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10);
  assert.ok(sweepOn(after) >= 1);
  r = await owner.get(`/api/v1/proposals/${prop.id}`);
  assert.equal(r.json.state, 'named');
  assert.deepEqual(r.json.units.map((u) => [u.org_id, u.state]).sort((a, b) => a[0] - b[0]),
    [[E1, 'listed'], [E3, 'withdrawn']].sort((a, b) => a[0] - b[0]));
  r = await owner.get(`/api/v1/demonstration-units?org=${D}&year=2026`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((u) => [u.org_id, u.honour, u.year]), [[E1, '示范企业', 2026]]);
  r = await s1op.get('/api/v1/demonstration-units');
  assert.deepEqual(r.json.items.map((u) => u.org_id), [E1]);
  r = await s2op.get('/api/v1/demonstration-units');
  assert.deepEqual(r.json.items, []);
  // an account of two streets sees the units below both, not only its first grant's
  const sec = await login('secadmin');
  const both = await createUser(sec, { org_id: S2, role: 'viewer' });
  await grant(sec, both.id, { org_id: S1, role: 'viewer' });
  r = await both.client.get('/api/v1/demonstration-units');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((u) => u.org_id), [E1]);
  assertError(await outsider.get(`/api/v1/demonstration-units?org=${D}`), 404, 'not_found');
  // a notice of this kind is the evaluation's to make, not anyone's by hand
  assertError(await owner.post('/api/v1/notices', { org_id: D, kind: 'demonstration', title: 't', days: 5, subjects: [] }), 422, 'validation_failed', 'kind');
});

test('compare two periods: each unit carries its rank and total then, and how far it moved', async () => {
  const later = (await owner.get(`/api/v1/indexes/${index.id}/periods`)).json.items.find((p) => p.label === '2027');
  const r0 = await owner.post(`/api/v1/periods/${later.id}/compute`);
  assert.equal(r0.status, 202, r0.text);
  assert.equal((await waitJob(owner, r0.json.job_id)).state, 'done');
  const then = Object.fromEntries((await scores(owner)).items.map((s) => [s.org_id, s]));
  const r = await owner.get(`/api/v1/periods/${later.id}/scores?compare=${period.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 3);
  for (const s of r.json.items) {
    const b = then[s.org_id];
    assert.deepEqual(s.before, { rank: b.rank, total: b.total, class_id: b.class_id, vetoed: b.vetoed });
    assert.equal(s.movement, s.class_id === b.class_id ? b.rank - s.rank : null);
  }
  // without compare the answer has no such keys
  const plain = await owner.get(`/api/v1/periods/${later.id}/scores`);
  assert.equal('before' in plain.json.items[0], false);
  assertError(await owner.get(`/api/v1/periods/${later.id}/scores?compare=999999999`), 400, 'bad_request', 'compare');
  // a unit's account compares its own units only
  const mine = await s1op.get(`/api/v1/periods/${later.id}/scores?compare=${period.id}`);
  assert.deepEqual(mine.json.items.map((s) => s.org_id).sort((a, b) => a - b), [E1, E2].sort((a, b) => a - b));
});

test('what-if: draft weights rank again from the values read, and nothing changes', async () => {
  const url = `/api/v1/periods/${period.id}/what-if`;
  const before = await scores(owner);
  // no draft: the computation itself, reproduced from the values it read
  let r = await owner.post(url, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 3);
  assert.equal(r.json.moved, 0);
  for (const u of r.json.items) {
    const s = before.items.find((x) => x.org_id === u.org_id);
    assert.deepEqual([u.total, u.rank, u.before.total, u.before.rank, u.movement], [s.total, s.rank, s.total, s.rank, 0]);
  }
  // D2 weighs nothing: E1's total is its D1 score plus its bonus
  const ex = (await owner.get(`/api/v1/periods/${period.id}/scores/${E1}/explain`)).json.explain;
  const d1 = ex.nodes.find((n) => n.code === 'D1').score;
  r = await owner.post(url, { weights: { D2: 0 } });
  assert.equal(r.status, 200, r.text);
  const e1 = r.json.items.find((u) => u.org_id === E1);
  assert.ok(Math.abs(e1.total - Math.min(d1 + ex.bonus, ex.ceiling)) <= 0.011, `${e1.total} vs ${d1} + ${ex.bonus}`);
  assert.equal(e1.before.total, before.items.find((x) => x.org_id === E1).total);
  const small = (await owner.get(`/api/v1/indexes/${index.id}/classes`)).json.items[0].id;
  r = await owner.post(url, { weights: { D2: 0 }, class: small });
  assert.deepEqual(r.json.items.map((u) => u.org_id), [E3]);
  assertError(await owner.post(url, { weights: { NOPE: 1 } }), 422, 'validation_failed', 'weights');
  assertError(await owner.post(url, { methods: { D1: { kind: 'milestone' } } }), 422, 'validation_failed', 'methods');
  assertError(await s1op.post(url, {}), 403, 'forbidden');
  // the sealed scores stand
  assert.deepEqual((await scores(owner)).items, before.items);
  const c = cli('check', '--db', DB);
  assert.match(c.out, /^evaluation seals: \d+ sealed periods, 0 differ from their seal$/m);
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TREE_HEAD = ['代码', '上级代码', '类型', '名称', '单位', '权重', '数据来源', '计分方法', '最差值', '最优值', '标杆值', '分档', '上限'];

async function newIndex(title) {
  const r = await owner.post('/api/v1/indexes', { org_id: D, title: uniq(title), unit_kind: 'enterprise' });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
// the tree without ids, for comparing two indexes
function shape(items) {
  return items.map((n) => ({ code: n.code, kind: n.kind, title: n.title, unit: n.unit, weight: n.weight,
    share: n.share, source: n.source, method: n.method, cap: n.cap, children: n.children ? shape(n.children) : undefined }));
}

test('an index from .xlsx as officials write it; exported, it imports again unchanged', async () => {
  const x = await newIndex('表格指标体系');
  const file = xlsx([
    ['江北区企业产改指数（2027年度）'],
    TREE_HEAD,
    ['A', null, '维度', '技能人才', null, { num: 0.6, fmt: '0%' }],
    ['A1', 'A', '指标', '高技能人才占比', '%', 2, '高技能人才占比', '标杆值', null, null, 0.35],
    ['A2', 'A', '指标', '技能劳动者人数', '人', 1, 'workers.skilled', '分档', null, null, null, '0：40；20：60；80：100'],
    ['B', null, '维度', '组织建设', null, 40],
    ['B1', 'B', '指标', '职工入会率', '%', 1, 'workers.union_rate', '功效系数', 0.6, 0.95],
    ['X1', null, '加减分', '市级以上荣誉加分', '分', null, '单位填报', null, null, null, null, null, 5],
    ['V1', null, '否决', '未发生重大安全生产事故', null, null, '单位填报'],
  ]);
  assertError(await s1op.post(`/api/v1/indexes/${x.id}/tree.xlsx`, file, { contentType: XLSX }), 403, 'forbidden');
  let r = await owner.post(`/api/v1/indexes/${x.id}/tree.xlsx`, file, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.nodes, 7);
  const tree = (await owner.get(`/api/v1/indexes/${x.id}/tree`)).json.items;
  assert.deepEqual(tree.map((n) => [n.code, n.share]), [['A', 0.6], ['B', 0.4], ['X1', null], ['V1', null]]);
  const a1 = tree[0].children[0];
  assert.deepEqual([a1.code, a1.source, a1.method], ['A1', { metric: 'workers.high_skill_ratio' }, { kind: 'ratio', benchmark: 0.35 }]);
  assert.deepEqual(tree[0].children[1].method.bands, [{ min: 0, score: 40 }, { min: 20, score: 60 }, { min: 80, score: 100 }]);
  assert.deepEqual(tree[1].children[0].method, { kind: 'efficacy', worst: 0.6, best: 0.95 });
  assert.deepEqual([tree[2].kind, tree[2].cap, tree[2].source], ['bonus', 5, { reported: true }]);
  // a file goes into an empty index only
  r = await owner.post(`/api/v1/indexes/${x.id}/tree.xlsx`, file, { contentType: XLSX });
  assertError(r, 409, 'conflict');
  // exported, imported into another index: the same tree
  const out = await owner.get(`/api/v1/indexes/${x.id}/tree.xlsx`);
  assert.equal(out.status, 200);
  assert.equal(out.headers.get('content-type'), XLSX);
  assert.equal(out.body.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  const y = await newIndex('往返指标体系');
  r = await owner.post(`/api/v1/indexes/${y.id}/tree.xlsx`, out.body, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(shape((await owner.get(`/api/v1/indexes/${y.id}/tree`)).json.items), shape(tree));
  // readers below the index's org read it; others do not see it
  assert.equal((await s1op.get(`/api/v1/indexes/${x.id}/tree.xlsx`)).status, 200);
  assertError(await outsider.get(`/api/v1/indexes/${x.id}/tree.xlsx`), 404, 'not_found');
});

test('an .xlsx index with bad rows: each named by row and column, nothing added', async () => {
  const x = await newIndex('错误指标体系');
  const bad = xlsx([
    TREE_HEAD,
    ['A', null, '维度', '技能人才', null, 60],
    ['A1', 'A', '指标项', '高技能人才占比', '%', 1, 'workers.high_skill_ratio', '标杆值', null, null, 0.35],
    ['A2', 'Z', '指标', '技能劳动者人数', '人', 1, 'workers.skilled', '里程碑'],
    ['A', null, '维度', '重复代码', null, 10],
    ['B', null, '维度', '组织建设', null, '四十'],
    ['B1', 'A', '指标', '职工入会率', '%', 1, 'workers.union_rate', '功效系数', 0.9, 0.9],
    ['B2', 'A', '指标', '分档不对', '%', 1, 'workers.union_rate', '分档', null, null, null, '0-40'],
    ['B3', 'A', '指标', '没有的指标', '%', 1, '不存在的指标', '线性', 0, 1],
  ]);
  const r = await owner.post(`/api/v1/indexes/${x.id}/tree.xlsx`, bad, { contentType: XLSX });
  assertError(r, 422, 'validation_failed');
  assert.deepEqual(r.json.error.details.map((d) => `${d.row}:${d.field}`),
    ['3:类型', '4:上级代码', '5:代码', '6:权重', '7:最优值', '8:分档', '9:数据来源']);
  assert.ok(r.json.error.details.every((d) => d.message_zh && d.message));
  assert.deepEqual((await owner.get(`/api/v1/indexes/${x.id}/tree`)).json.items, []);
  // not a spreadsheet, or not an index template
  assertError(await owner.post(`/api/v1/indexes/${x.id}/tree.xlsx`, 'a,b\n', { contentType: 'text/csv' }), 422, 'validation_failed', 'file');
  const other = await owner.post(`/api/v1/indexes/${x.id}/tree.xlsx`, xlsx([['姓名', '身份证号']]), { contentType: XLSX });
  assertError(other, 422, 'validation_failed', 'file');
  assertError(await owner.post(`/api/v1/indexes/${x.id}/tree.xlsx`, xlsx([TREE_HEAD]), { contentType: XLSX }), 422, 'validation_failed', 'file');
});

const COLLECT_HEAD = ['单位编号', '单位名称', '代码', '填报项', '填写要求', '数值', '说明', '状态', '退回理由'];

test('the collection template: filled in and sent back, every row or none, by who may report', async () => {
  const later = (await owner.get(`/api/v1/indexes/${index.id}/periods`)).json.items.find((p) => p.label === '2027');
  const url = `/api/v1/periods/${later.id}`;
  const t0 = await owner.get(`${url}/collection.xlsx`);
  assert.equal(t0.status, 200, t0.text);
  assert.equal(t0.headers.get('content-type'), XLSX);
  assert.equal(t0.body.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  // the owner's rows count at once
  const good = xlsx([COLLECT_HEAD,
    [E1, '甲', 'I3', '创新成果数', '项', 5, '专利 5 项'],
    [E2, '乙', 'V1', '无重大安全事故', '1=是，0=否', 1, null],
    [E3, '丙', 'B1', '市级以上荣誉加分', '分', 3, '省级荣誉'],
    [E3, '丙', 'I3', '创新成果数', '项', null, null],
  ]);
  let r = await owner.post(`${url}/values.xlsx`, good, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.values, 3);
  const vals = async (client) => Object.fromEntries((await client.get(`${url}/values?limit=100`)).json.items.map((v) => [`${v.org_id}:${v.code}`, v]));
  let v = await vals(owner);
  assert.deepEqual([v[`${E1}:I3`].value, v[`${E1}:I3`].state, v[`${E1}:I3`].note], [5, 'accepted', '专利 5 项']);
  assert.equal(v[`${E3}:B1`].value, 3);
  // a street's operator: its own units only; one row out of its reach and nothing goes in
  r = await s1op.post(`${url}/values.xlsx`, xlsx([COLLECT_HEAD,
    [E1, '甲', 'I3', '创新成果数', '项', 6],
    [E3, '丙', 'B1', '市级以上荣誉加分', '分', 2],
  ]), { contentType: XLSX });
  assertError(r, 422, 'validation_failed');
  assert.deepEqual(r.json.error.details.map((d) => `${d.row}:${d.field}`), ['3:单位编号']);
  assert.equal((await vals(owner))[`${E1}:I3`].value, 5);
  r = await s1op.post(`${url}/values.xlsx`, xlsx([COLLECT_HEAD, [E1, '甲', 'I3', '创新成果数', '项', 7]]), { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  v = await vals(owner);
  assert.deepEqual([v[`${E1}:I3`].value, v[`${E1}:I3`].state], [7, 'submitted']);
  // bad rows, each named
  r = await owner.post(`${url}/values.xlsx`, xlsx([COLLECT_HEAD,
    [E1, '甲', 'NOPE', 'x', null, 1],
    [E2, '乙', 'V1', 'x', null, 0.5],
    [E1, '甲', 'I3', 'x', null, '很多'],
    ['甲', '甲', 'I3', 'x', null, 1],
    [E1, '甲', 'I1', 'x', null, 1],
  ]), { contentType: XLSX });
  assertError(r, 422, 'validation_failed');
  assert.deepEqual(r.json.error.details.map((d) => `${d.row}:${d.field}`), ['2:代码', '3:数值', '4:数值', '5:单位编号', '6:代码']);
  // the template as downloaded now holds the values: sent back as it is, the same values
  const t1 = await owner.get(`${url}/collection.xlsx`);
  r = await owner.post(`${url}/values.xlsx`, t1.body, { contentType: XLSX });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.values, 3);
  v = await vals(owner);
  assert.deepEqual([v[`${E1}:I3`].value, v[`${E2}:V1`].value, v[`${E3}:B1`].value], [7, 1, 3]);
  // a unit's template holds its own units only; a sealed period takes none
  const mine = await s1op.get(`${url}/collection.xlsx`);
  assert.equal(mine.status, 200);
  r = await owner.post(`/api/v1/periods/${period.id}/values.xlsx`, good, { contentType: XLSX });
  assertError(r, 409, 'conflict');
  assertError(await outsider.get(`${url}/collection.xlsx`), 404, 'not_found');
  assertError(await owner.post(`${url}/values.xlsx`, xlsx([COLLECT_HEAD]), { contentType: XLSX }), 422, 'validation_failed');
});
