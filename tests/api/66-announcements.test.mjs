// 通知公告: a unit's notices reach every account of it and below, never
// beside or above it; readers say they have read one; the sender's
// managers see the receipts unit by unit and may withdraw a notice.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, orgId, assertError, createUser, uniq } from './lib.mjs';

let jb, yj, zq, rs, viewer, auditor, sec, hs;
let JB, YJ, ZQ;

before(async () => {
  jb = await login('jiangbei');
  yj = await login('yongjiang');
  zq = await login('zhuangqiao');
  rs = await login('renshe');
  viewer = await login('viewer');
  auditor = await login('auditor');
  sec = await login('secadmin');
  JB = await orgId(jb, '江北区');
  YJ = await orgId(jb, '甬江街道');
  ZQ = await orgId(jb, '庄桥街道');
  const admin = await login('admin');
  const HS = await orgId(admin, '海曙区');
  hs = (await createUser(sec, { org_id: HS, role: 'viewer' })).client;
});

const inboxIds = async (c, q = '') => (await c.get(`/api/v1/announcements${q}`)).json.items.map((x) => x.id);

test('a district notice reaches its streets and departments, not another district', async () => {
  const title = uniq('关于开展产改工作督查的通知');
  const r = await jb.post('/api/v1/announcements', { org_id: JB, title, body: '各街道、各部门：\n请于月底前报送进展。' });
  assert.equal(r.status, 201, r.text);
  const n = r.json;
  assert.equal(n.title, title);
  assert.equal(n.org_name, '江北区');
  assert.equal(n.read, false);
  for (const c of [yj, zq, rs, viewer]) {
    const list = await c.get('/api/v1/announcements');
    assert.equal(list.status, 200, list.text);
    const item = list.json.items.find((x) => x.id === n.id);
    assert.ok(item, 'it reaches the account');
    assert.equal(item.read, false);
    assert.equal(item.body, undefined, 'the list carries no bodies');
    assert.ok(list.json.unread >= 1);
  }
  assert.ok(!(await inboxIds(hs)).includes(n.id), 'not another district');
  assertError(await hs.get(`/api/v1/announcements/${n.id}`), 404, 'not_found');
  const one = await yj.get(`/api/v1/announcements/${n.id}`);
  assert.equal(one.status, 200);
  assert.match(one.json.body, /月底前报送/);
  // reading: the first reading is kept; unread counts go down
  const before = (await yj.get('/api/v1/announcements')).json.unread;
  assert.equal((await yj.post(`/api/v1/announcements/${n.id}/read`)).status, 204);
  assert.equal((await yj.post(`/api/v1/announcements/${n.id}/read`)).status, 204);
  const after = await yj.get('/api/v1/announcements');
  assert.equal(after.json.unread, before - 1);
  assert.equal(after.json.items.find((x) => x.id === n.id).read, true);
  assert.ok(!(await inboxIds(yj, '?unread=1')).includes(n.id));
  assert.ok((await inboxIds(zq, '?unread=1')).includes(n.id));
  assertError(await hs.post(`/api/v1/announcements/${n.id}/read`), 404, 'not_found');
  // receipts, unit by unit, for the sender
  const rc = await jb.get(`/api/v1/announcements/${n.id}/receipts`);
  assert.equal(rc.status, 200, rc.text);
  assert.equal(rc.json.reads, 1);
  const yjUnit = rc.json.units.find((u) => u.org_id === YJ);
  assert.ok(yjUnit && yjUnit.accounts >= 1 && yjUnit.read === 1 && yjUnit.first_read);
  const zqUnit = rc.json.units.find((u) => u.org_id === ZQ);
  assert.ok(zqUnit && zqUnit.read === 0 && zqUnit.first_read === null);
  assertError(await yj.get(`/api/v1/announcements/${n.id}/receipts`), 404, 'not_found');
  // the sent box
  assert.ok((await inboxIds(jb, '?box=sent')).includes(n.id));
  assertError(await rs.get('/api/v1/announcements?box=sent'), 403, 'forbidden');
});

test('a street notice stays in its street; the district sees it as sent below', async () => {
  const r = await yj.post('/api/v1/announcements', { title: uniq('甬江街道职工书屋开放通知'), body: '每周六开放。' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.org_id, YJ, 'the sender\'s own unit by default');
  assert.ok(!(await inboxIds(zq)).includes(id), 'not a street beside it');
  assert.ok(!(await inboxIds(jb)).includes(id), 'not the district above');
  assert.ok((await inboxIds(jb, '?box=sent')).includes(id), 'but the district manages it');
  assert.equal((await jb.get(`/api/v1/announcements/${id}`)).status, 200);
  assertError(await zq.get(`/api/v1/announcements/${id}`), 404, 'not_found');
});

test('every field that fails is named at once, not one per save', async () => {
  const r = await jb.post('/api/v1/announcements', { title: 'x'.repeat(101), org_id: 'seven' });
  assert.equal(r.status, 422, r.text);
  const fields = r.json.error.details.map((d) => d.field).sort();
  assert.deepEqual(fields, ['body', 'org_id', 'title']);
  assert.ok(r.json.error.details.every((d) => d.message && d.message_zh));
  // an unknown field is a bad request of its own, answered alone
  const u = await jb.post('/api/v1/announcements', { colour: 'red' });
  assert.equal(u.status, 400);
  assert.equal(u.json.error.details.length, 1);
});

test('bad input and who may send', async () => {
  assertError(await jb.post('/api/v1/announcements', { body: 'x' }), 422, 'validation_failed', 'title');
  assertError(await jb.post('/api/v1/announcements', { title: '   ', body: 'x' }), 422, 'validation_failed', 'title');
  assertError(await jb.post('/api/v1/announcements', { title: '标题', body: '\n \n' }), 422, 'validation_failed', 'body');
  assertError(await jb.post('/api/v1/announcements', { title: 'x'.repeat(101), body: 'x' }), 422, 'validation_failed', 'title');
  assertError(await jb.post('/api/v1/announcements', { title: 'x', body: 'x', pinned: true }), 400, 'bad_request', 'pinned');
  assertError(await yj.post('/api/v1/announcements', { org_id: ZQ, title: 'x', body: 'x' }), 404, 'not_found');
  assertError(await jb.post('/api/v1/announcements', { org_id: 999999999, title: 'x', body: 'x' }), 404, 'not_found');
  assertError(await viewer.post('/api/v1/announcements', { title: 'x', body: 'x' }), 403, 'forbidden');
  assertError(await rs.post('/api/v1/announcements', { title: 'x', body: 'x' }), 403, 'forbidden');
  assertError(await auditor.get('/api/v1/announcements'), 403, 'forbidden');
  assertError(await jb.get('/api/v1/announcements/999999999'), 404, 'not_found');
  assertError(await jb.get('/api/v1/announcements?box=outbox'), 400, 'bad_request', 'box');
});

test('a withdrawn notice leaves its readers; withdrawing is audited once', async () => {
  const r = await jb.post('/api/v1/announcements', { title: uniq('误发的通知'), body: '请忽略。' });
  const id = r.json.id;
  assert.ok((await inboxIds(yj)).includes(id));
  assertError(await yj.post(`/api/v1/announcements/${id}/withdraw`), 404, 'not_found');
  const w = await jb.post(`/api/v1/announcements/${id}/withdraw`);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.withdrawn, true);
  assert.ok(!(await inboxIds(yj)).includes(id));
  assertError(await yj.get(`/api/v1/announcements/${id}`), 404, 'not_found');
  assertError(await jb.post(`/api/v1/announcements/${id}/withdraw`), 409, 'conflict');
  const sent = (await jb.get('/api/v1/announcements?box=sent')).json.items.find((x) => x.id === id);
  assert.equal(sent.withdrawn, true);
  const a = await auditor.get('/api/v1/audit?action=announcement.');
  assert.ok(a.json.items.some((e) => e.action === 'announcement.withdraw' && e.target === `announcement:${id}`));
  assert.ok(a.json.items.some((e) => e.action === 'announcement.send' && e.target === `announcement:${id}` && e.action_zh === '发布通知公告'));
});

test('paging walks the inbox without overlap', async () => {
  for (let i = 0; i < 3; i++) await jb.post('/api/v1/announcements', { title: uniq(`分页通知${i}`), body: '内容' });
  const first = await yj.get('/api/v1/announcements?limit=2');
  assert.equal(first.json.items.length, 2);
  assert.ok(first.json.next);
  const second = await yj.get(`/api/v1/announcements?limit=2&after=${first.json.next}`);
  const a = first.json.items.map((x) => x.id), b = second.json.items.map((x) => x.id);
  assert.ok(b.every((x) => !a.includes(x) && x < Math.min(...a)));
});
