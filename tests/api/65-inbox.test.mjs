// The inbox, every capability's: an entry is about one thing (ref), says
// where to act (link) and arrives once. The evaluation index reminds the
// units that still owe reported values once a period's deadline
// (report_due) has passed, and tells the index's org how many are late;
// a deadline moved and passed again reminds again. Scope: a unit sees
// its own entries, a street sees which of its units owe values.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  login, createOrg, createUser, randomUscc, assertError, uniq, DB, BIN, today, dayOffset,
} from './lib.mjs';

const YEAR = today().slice(0, 4);
let owner, s1op, e2view, e1op;
let D, S1, S2, E1, E2, E3, index, period;

function sweepOn(date) {
  const env = { ...process.env, CHANGAI_TEST_CLOCK: '1', CHANGAI_TODAY: date };
  delete env.CHANGAI_NOW;
  const r = spawnSync(BIN, ['sweep', '--db', DB], { encoding: 'utf8', timeout: 60000, env });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const m = r.stdout.match(/^evaluation: (\d+) reminders of values not reported$/m);
  assert.ok(m, r.stdout);
  return Number(m[1]);
}

async function inbox(client, query = '') {
  const r = await client.get(`/api/v1/inbox${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

before(async () => {
  const admin = await login('admin');
  const sec = await login('secadmin');
  D = (await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('提醒区') })).id;
  S1 = (await createOrg(admin, { parent_id: D, kind: 'street', name: uniq('提一街道') })).id;
  S2 = (await createOrg(admin, { parent_id: D, kind: 'street', name: uniq('提二街道') })).id;
  E1 = (await createOrg(admin, { parent_id: S1, kind: 'enterprise', name: uniq('提甲企业'), uscc: randomUscc() })).id;
  E2 = (await createOrg(admin, { parent_id: S1, kind: 'enterprise', name: uniq('提乙企业'), uscc: randomUscc() })).id;
  E3 = (await createOrg(admin, { parent_id: S2, kind: 'enterprise', name: uniq('提丙企业'), uscc: randomUscc() })).id;
  owner = (await createUser(sec, { org_id: D, role: 'operator' })).client;
  s1op = (await createUser(sec, { org_id: S1, role: 'operator' })).client;
  e1op = (await createUser(sec, { org_id: E1, role: 'operator' })).client;
  e2view = (await createUser(sec, { org_id: E2, role: 'viewer' })).client;
  let r = await owner.post('/api/v1/indexes', { org_id: D, title: uniq('填报提醒指数'), unit_kind: 'enterprise' });
  assert.equal(r.status, 201, r.text);
  index = r.json;
  r = await owner.post(`/api/v1/indexes/${index.id}/nodes`, { kind: 'dimension', code: 'D', title: '创新', weight: 1 });
  r = await owner.post(`/api/v1/indexes/${index.id}/nodes`, { parent_id: r.json.id, kind: 'indicator', code: 'R1', title: '创新成果数', weight: 1,
    source: { reported: true }, method: { kind: 'linear', worst: 0, best: 10 } });
  assert.equal(r.status, 201, r.text);
});

test('a period has a deadline for values; a bad one is refused', async () => {
  assertError(await owner.post(`/api/v1/indexes/${index.id}/periods`, { label: YEAR, from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, report_due: `${Number(YEAR) - 1}-12-31` }), 422, 'validation_failed', 'report_due');
  let r = await owner.post(`/api/v1/indexes/${index.id}/periods`, { label: YEAR, from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, report_due: today() });
  assert.equal(r.status, 201, r.text);
  period = r.json;
  assert.equal(period.report_due, today());
  assertError(await s1op.patch(`/api/v1/periods/${period.id}`, { report_due: null }), 403, 'forbidden');
});

test('the units that owe values, as each caller sees them', async () => {
  // E1 reports (a value waiting for review stands); E2 and E3 do not
  let r = await e1op.post(`/api/v1/periods/${period.id}/values`, { org_id: E1, code: 'R1', value: 3, note: '专利 3 项' });
  assert.equal(r.status, 201, r.text);
  r = await owner.get(`/api/v1/periods/${period.id}/unreported`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reported_nodes, 1);
  assert.deepEqual(r.json.items.map((u) => [u.org_id, u.missing]), [[E2, 1], [E3, 1]]);
  r = await s1op.get(`/api/v1/periods/${period.id}/unreported`);
  assert.deepEqual(r.json.items.map((u) => u.org_id), [E2]);
});

test('after the deadline the sweep reminds each late unit once, and the index\'s org', async () => {
  // not yet: the deadline is today
  assert.equal(sweepOn(today()), 0);
  assert.equal((await inbox(e2view, '?source=evaluation')).items.length, 0);
  assert.equal(sweepOn(dayOffset(1)), 3);
  let box = await inbox(e2view, '?source=evaluation');
  assert.equal(box.items.length, 1);
  const e = box.items[0];
  assert.equal(e.kind, 'unreported');
  assert.equal(e.org_id, E2);
  assert.deepEqual(e.ref, { kind: 'eval_period', id: period.id });
  assert.equal(e.title, index.title);
  assert.equal(e.subject, YEAR);
  assert.equal(e.link, `/evaluation?index=${index.id}&period=${period.id}`);
  assert.match(e.message_zh, /尚有 1 项指标未填报/);
  assert.equal(e.read, false);
  assert.ok(box.unread >= 1);
  // the unit that reported, and a street, hear nothing; the owner hears the count
  assert.equal((await inbox(e1op, '?source=evaluation')).items.length, 0);
  assert.equal((await inbox(s1op, '?source=evaluation')).items.length, 0);
  const mine = (await inbox(owner, '?source=evaluation')).items;
  assert.equal(mine.length, 1);
  assert.match(mine[0].message_zh, /仍有 2 家单位未完成填报/);
  // once: a later sweep adds nothing
  assert.equal(sweepOn(dayOffset(2)), 0);
  // read, and only by whoever sees it
  assertError(await e1op.post(`/api/v1/inbox/${e.id}/read`), 404, 'not_found');
  assert.equal((await e2view.post(`/api/v1/inbox/${e.id}/read`)).status, 204);
  box = await inbox(e2view, '?source=evaluation&unread=1');
  assert.equal(box.items.length, 0);
  // a deadline moved and passed again reminds again
  const r = await owner.patch(`/api/v1/periods/${period.id}`, { report_due: dayOffset(1) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.report_due, dayOffset(1));
  assert.equal(sweepOn(dayOffset(2)), 3);
  assert.equal((await inbox(e2view, '?source=evaluation')).items.length, 2);
  // no deadline, no reminders
  const c = await owner.patch(`/api/v1/periods/${period.id}`, { report_due: null });
  assert.equal(c.json.report_due, null);
  assert.equal(sweepOn(dayOffset(30)), 0);
  assertError(await owner.get('/api/v1/inbox?source=nothing'), 400, 'bad_request', 'source');
});
