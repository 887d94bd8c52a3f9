// dates: this file runs at every date of tests/dates.txt
// 公示 notices: a street drafts a notice and opens it; the window's end is
// the N-th working day on the calendar; the public reads it without logging
// in (no personal data, no internal id) and objects under a real name; the
// street answers (upheld withdraws the subject, dismissed needs a reason);
// the sweep closes the notice only once the window has ended and every
// objection is answered. Scope: another street never sees it, and nobody
// above the street reads the objectors. The sweep runs here as `changai
// sweep` on chosen business dates (CHANGAI_TODAY, behind CHANGAI_TEST_CLOCK).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { login, request, assertError, orgId, today, dayOffset, sql } from './lib.mjs';

let yj, zq, jb, viewer, auditor, yjId, zqId;
before(async () => {
  yj = await login('yongjiang');
  zq = await login('zhuangqiao');
  jb = await login('jiangbei');
  viewer = await login('viewer');
  auditor = await login('auditor');
  yjId = await orgId(jb, '甬江街道');
  zqId = await orgId(jb, '庄桥街道');
});

function sweepOn(date) {
  const env = { ...process.env, CHANGAI_TEST_CLOCK: '1', CHANGAI_TODAY: date };
  delete env.CHANGAI_NOW;
  const out = execFileSync(process.env.CHANGAI_BIN, ['sweep', '--db', process.env.CHANGAI_DB],
    { encoding: 'utf8', timeout: 60000, env });
  return Number(out.match(/^notices: (\d+) closed$/m)[1]);
}

const subjects = [
  { ref: { kind: 'org', id: 7 }, name: '宁波甬江精密机械有限公司', unit: '甬江街道', text: '拟命名为甬江街道产改示范企业' },
  { name: '王建国', unit: '宁波甬江精密机械有限公司', text: '拟评为“甬江工匠”' },
  { name: '陈丽', unit: '宁波甬江精密机械有限公司', text: '拟评为“甬江工匠”' },
];

async function draft(client, fields = {}) {
  const r = await client.post('/api/v1/notices', {
    org_id: yjId, title: '2026年度甬江工匠及示范企业拟命名名单公示',
    body: '经推荐、评审，现将拟命名名单予以公示。', contact: '甬江街道总工会 0574-87001234',
    days: 5, subjects, ...fields,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

let notice; // the notice the lifecycle tests follow

test('a street drafts a notice; public text may hold no ID or mobile number', async () => {
  const n = await draft(yj);
  assert.equal(n.state, 'draft');
  assert.equal(n.day_kind, 'work');
  assert.equal(n.starts, null);
  assert.equal(n.subjects.length, 3);
  assert.deepEqual(n.subjects.map((s) => s.no), [1, 2, 3]);
  assert.match(n.public_id, /^[A-Za-z0-9_-]{22}$/);
  // a draft is nobody's to read outside
  assertError(await request('GET', `/api/v1/public/notices/${n.public_id}`), 404, 'not_found');
  notice = n;
  // an ID number (with a valid check character) or a mobile in any public text
  for (const text of ['身份证330203199001011236', '联系电话13812345678']) {
    const bad = await yj.post('/api/v1/notices', { org_id: yjId, title: '公示', days: 5,
      subjects: [subjects[1], { name: '李四', text }] });
    assertError(bad, 422, 'validation_failed', 'text');
    assert.equal(bad.json.error.details[0].row, 2);
  }
  // a phone-like run that does not dial, and an ID whose check fails, are text
  const ok = await yj.post('/api/v1/notices', { org_id: yjId, title: '公示', days: 5,
    subjects: [{ name: '李四', text: '编号 33020319900101123X 与 0574-12345678' }] });
  assert.equal(ok.status, 201, ok.text);
  // field checks name the row
  const noName = await yj.post('/api/v1/notices', { org_id: yjId, title: '公示', days: 5,
    subjects: [subjects[0], { text: '缺姓名' }] });
  assertError(noName, 422, 'validation_failed', 'subjects.name');
  assert.equal(noName.json.error.details[0].row, 2);
  assertError(await yj.post('/api/v1/notices', { org_id: yjId, title: '公示', days: 61, subjects }), 422, 'validation_failed', 'days');
  assertError(await yj.post('/api/v1/notices', { org_id: yjId, title: '公示', subjects: [] }), 422, 'validation_failed', 'subjects');
  assertError(await yj.post('/api/v1/notices', { org_id: yjId, title: '公示', subjects, x: 1 }), 400, 'bad_request', 'x');
  assertError(await yj.post('/api/v1/notices', { org_id: yjId, title: '公示', kind: 'nosuch', subjects }), 422, 'validation_failed', 'kind');
});

test('scope: only issuers in scope draft; another street never sees the notice', async () => {
  assertError(await yj.post('/api/v1/notices', { org_id: zqId, title: '公示', subjects }), 404, 'not_found');
  assertError(await viewer.post('/api/v1/notices', { org_id: yjId, title: '公示', subjects }), 403, 'forbidden');
  assertError(await zq.get(`/api/v1/notices/${notice.id}`), 404, 'not_found');
  const list = await zq.get('/api/v1/notices');
  assert.ok(!list.json.items.some((x) => x.id === notice.id));
  assertError(await zq.get(`/api/v1/notices?org=${yjId}`), 404, 'not_found');
  // the district reads its streets' notices, but not who objected
  const d = await jb.get(`/api/v1/notices/${notice.id}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.can_manage, false);
  assert.equal(d.json.objections, undefined);
  assertError(await jb.post(`/api/v1/notices/${notice.id}/open`, {}), 403, 'forbidden');
  const mine = await yj.get(`/api/v1/notices?org=${yjId}&state=draft`);
  assert.ok(mine.json.items.some((x) => x.id === notice.id));
  assert.ok(mine.json.total >= 2);
});

let ends;
test('opening: the window ends on the N-th working day, counting the first as day 1', async () => {
  const r = await yj.post(`/api/v1/notices/${notice.id}/open`, {});
  assert.equal(r.status, 200, r.text);
  // today, or the next working day when today is not one
  const first = (await yj.get(`/api/v1/calendar/workdays?from=${today()}&add=0`)).json.date;
  const last = (await yj.get(`/api/v1/calendar/workdays?from=${first}&add=4`)).json.date;
  assert.equal(r.json.starts, first);
  assert.equal(r.json.ends, last);
  assert.equal((await yj.get(`/api/v1/calendar/workdays?from=${first}&to=${last}`)).json.workdays, 4);
  assert.equal(r.json.state, 'open');
  assert.equal(r.json.phase, first === today() ? 'open' : 'before');
  ends = r.json.ends;
  assertError(await yj.post(`/api/v1/notices/${notice.id}/open`, {}), 409, 'conflict');
  assertError(await yj.patch(`/api/v1/notices/${notice.id}`, { title: '改标题' }), 409, 'conflict');
  const a = await auditor.get('/api/v1/audit?action=notice.open&limit=50');
  assert.ok(a.json.items.some((x) => x.target === `notice:${notice.id}`));
});

test('a working-day window starts on a working day; a calendar window may start any day', async () => {
  // the first Saturday from a week on that the calendar does not work
  let sat = dayOffset(7);
  for (;;) {
    const d = new Date(`${sat}T00:00:00Z`).getUTCDay();
    const worked = (await yj.get(`/api/v1/calendar/workdays?from=${sat}&add=0`)).json.date === sat;
    if (d === 6 && !worked) break;
    sat = new Date(Date.parse(`${sat}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10);
  }
  const w = await draft(yj);
  assertError(await yj.post(`/api/v1/notices/${w.id}/open`, { starts: sat }), 422, 'validation_failed', 'starts');
  assertError(await yj.post(`/api/v1/notices/${w.id}/open`, { starts: dayOffset(-1) }), 422, 'validation_failed', 'starts');
  const c = await draft(yj, { day_kind: 'calendar', days: 7 });
  const r = await yj.post(`/api/v1/notices/${c.id}/open`, { starts: sat });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.ends, new Date(Date.parse(`${sat}T00:00:00Z`) + 6 * 86400e3).toISOString().slice(0, 10));
  assert.equal(r.json.phase, 'before');
  // not open yet: no objections
  const early = await request('POST', `/api/v1/public/notices/${r.json.public_id}/objections`,
    { body: { name: '赵六', phone: '13900001111', text: '尚未开始时提出的异议' } });
  assertError(early, 409, 'conflict');
});

test('the public page: no login, no personal data, no internal id', async () => {
  if ((await yj.get(`/api/v1/notices/${notice.id}`)).json.phase !== 'open') return; // opens on the next working day
  const r = await request('GET', `/api/v1/public/notices/${notice.public_id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['body', 'contact', 'day_kind', 'days', 'ends', 'kind_zh',
    'objections_open', 'org_name', 'phase', 'public_id', 'starts', 'subjects', 'title', 'today'].sort());
  assert.equal(r.json.org_name, '甬江街道');
  for (const s of r.json.subjects) assert.deepEqual(Object.keys(s).sort(), ['name', 'no', 'text', 'unit']);
  assert.ok(!/"id"|org_id|ref/.test(r.text), 'no internal id');
  assert.ok(!/1[3-9]\d{9}/.test(r.text.replace(/0574-\d+/g, '')), 'no mobile number');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assertError(await request('GET', '/api/v1/public/notices/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'not_found');
  assertError(await request('GET', '/api/v1/public/notices/short'), 404, 'not_found');
});

let objections = [];
test('real-name objections from the public, checked field by field', async () => {
  if ((await yj.get(`/api/v1/notices/${notice.id}`)).json.phase !== 'open') return;
  const url = `/api/v1/public/notices/${notice.public_id}/objections`;
  const post = (body) => request('POST', url, { body });
  assertError(await post({ name: '张', phone: '13812345678', text: '名字太短的异议' }), 422, 'validation_failed', 'name');
  assertError(await post({ name: '张三丰', phone: '0574-8700', text: '电话不是手机号' }), 422, 'validation_failed', 'phone');
  assertError(await post({ name: '张三丰', phone: '13812345678', text: '短' }), 422, 'validation_failed', 'text');
  assertError(await post({ name: '张三丰', phone: '13812345678', subject_id: 9, text: '没有这一对象' }), 422, 'validation_failed', 'subject_id');
  assertError(await post({ name: '张三丰', phone: '13812345678', text: '多余字段', id_no: 'x' }), 400, 'bad_request', 'id_no');
  for (const [no, text] of [[2, '王建国去年发生过安全生产事故，不宜评选'], [3, '陈丽的技能等级材料与实际不符'], [0, '公示期过短，建议延长']]) {
    const r = await post({ name: '李建华', phone: '13812345678', unit: '甬江某厂', ...(no ? { subject_id: no } : {}), text });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.received, true);
    assert.ok(!('id' in r.json), 'no internal id');
  }
  // the store keeps the objector's name and phone sealed
  const raw = sql(`SELECT name_enc || phone_enc || ip_hash FROM notice_objections WHERE notice_id = ${notice.id}`);
  assert.ok(!raw.includes('13812345678') && !raw.includes('李建华') && !raw.includes('127.0.0.1'));
  // the issuing org reads them masked, in full only with pii (audited)
  const n = (await yj.get(`/api/v1/notices/${notice.id}`)).json;
  objections = n.objections;
  assert.equal(objections.length, 3);
  assert.equal(n.objections_pending, 3);
  assert.deepEqual(objections.map((o) => [o.name, o.phone, o.subject_no]), [['李**', '138****5678', 2], ['李**', '138****5678', 3], ['李**', '138****5678', null]]);
  assertError(await yj.get(`/api/v1/notices/${notice.id}?unmask=1&purpose=${encodeURIComponent('答复异议')}`), 403, 'step_up_required');
  await yj.stepUp();
  const full = await yj.get(`/api/v1/notices/${notice.id}?unmask=1&purpose=${encodeURIComponent('答复异议')}`);
  assert.equal(full.status, 200, full.text);
  assert.equal(full.json.objections[0].name, '李建华');
  assert.equal(full.json.objections[0].phone, '13812345678');
  const a = await auditor.get('/api/v1/audit?action=notice.objections_unmask&limit=20');
  assert.ok(a.json.items.some((x) => x.target === `notice:${notice.id}` && x.actor === 'yongjiang'));
  // nobody else: not the district above, not a viewer, not another street
  assert.equal((await jb.get(`/api/v1/notices/${notice.id}`)).json.objections, undefined);
  assertError(await jb.get(`/api/v1/notices/${notice.id}?unmask=1`), 403, 'forbidden');
  assert.equal((await viewer.get(`/api/v1/notices/${notice.id}`)).json.objections, undefined);
  assertError(await zq.get(`/api/v1/notices/${notice.id}`), 404, 'not_found');
});

test('answers: upheld withdraws the subject, dismissed needs a reason, once each', async () => {
  if (!objections.length) return;
  const url = (o) => `/api/v1/notices/${notice.id}/objections/${o.id}/response`;
  assertError(await yj.post(url(objections[1]), { decision: 'dismissed' }), 422, 'validation_failed', 'reason');
  assertError(await jb.post(url(objections[0]), { decision: 'upheld' }), 404, 'not_found');
  assertError(await zq.post(url(objections[0]), { decision: 'upheld' }), 404, 'not_found');
  let r = await yj.post(url(objections[0]), { decision: 'upheld', reason: '经核实情况属实' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.subjects.find((s) => s.no === 2).state, 'withdrawn');
  assert.equal(r.json.listed, 2);
  assert.equal(r.json.withdrawn, 1);
  assertError(await yj.post(url(objections[0]), { decision: 'dismissed', reason: '再答一次' }), 409, 'conflict');
  r = await yj.post(url(objections[1]), { decision: 'dismissed', reason: '经核实材料真实有效' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.subjects.find((s) => s.no === 3).state, 'listed');
  assertError(await yj.post(`/api/v1/notices/${notice.id}/objections/999999/response`, { decision: 'upheld' }), 404, 'not_found');
  // the public no longer sees the withdrawn subject, nor objects to it
  const pub = await request('GET', `/api/v1/public/notices/${notice.public_id}`);
  assert.deepEqual(pub.json.subjects.map((s) => s.no), [1, 3]);
  assertError(await request('POST', `/api/v1/public/notices/${notice.public_id}/objections`,
    { body: { name: '李建华', phone: '13812345678', subject_id: 2, text: '对已撤销对象再提异议' } }), 422, 'validation_failed', 'subject_id');
});

test('the sweep closes a notice the day after its window, once every objection is answered', async () => {
  const after = new Date(Date.parse(`${ends}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10);
  const state = async () => (await yj.get(`/api/v1/notices/${notice.id}`)).json;
  assert.equal(sweepOn(ends), 0, 'not on its last day');
  assert.equal((await state()).state, 'open');
  if (objections.length) {
    // one objection still unanswered: the window is over, the outcome waits
    assert.equal(sweepOn(after), 0);
    assert.equal((await state()).state, 'open');
    const r = await yj.post(`/api/v1/notices/${notice.id}/objections/${objections[2].id}/response`,
      { decision: 'dismissed', reason: '公示期符合规定' });
    assert.equal(r.status, 200, r.text);
  }
  assert.equal(sweepOn(after), 1);
  const closed = await state();
  assert.equal(closed.state, 'closed');
  assert.equal(closed.phase, 'closed');
  assert.equal(sweepOn(after), 0, 'closed once');
  // a closed notice takes no more answers
  assertError(await yj.post(`/api/v1/notices/${notice.id}/objections/${objections.length ? objections[0].id : 1}/response`,
    { decision: 'upheld' }), 409, 'conflict');
  const a = await auditor.get('/api/v1/audit?action=notice.close&limit=50');
  const e = a.json.items.find((x) => x.target === `notice:${notice.id}`);
  assert.ok(e, 'the closing is audited');
  const pub = await request('GET', `/api/v1/public/notices/${notice.public_id}`);
  assert.equal(pub.json.phase, 'closed');
  assert.equal(pub.json.objections_open, false);
});

test('objections are limited per address', async () => {
  const n = await draft(yj);
  const open = await yj.post(`/api/v1/notices/${n.id}/open`, {});
  if (open.json.phase !== 'open') return;
  const url = `/api/v1/public/notices/${n.public_id}/objections`;
  const made = Number(sql(`SELECT count(*) FROM notice_objections`));
  let last;
  for (let i = made; i < 6; i++)
    last = await request('POST', url, { body: { name: '周密', phone: '13700001111', text: `第${i + 1}条异议内容` } });
  assertError(last, 429, 'rate_limited');
  assertError(await request('GET', '/api/v1/notices'), 401, 'unauthenticated');
  // the suite's later objections come from the same address: this test's
  // are moved two days back, out of both windows (on a day off the notice
  // is not open and none were made)
  sql(`UPDATE notice_objections SET created = created - 172800`);
  const again = await request('POST', url, { body: { name: '周密', phone: '13700001111', text: '窗口过后的一条异议' } });
  assert.equal(again.status, 201, again.text);
  sql(`UPDATE notice_objections SET created = created - 172800`);
});
