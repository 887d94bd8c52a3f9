// dates: this file runs at every date of tests/dates.txt
// The clock and the working-day calendar (工作日历): the seeded years as the
// State Council's notices publish them, working-day arithmetic across
// holidays, 调休 weekends and year ends, and the city admin's import of a
// year (JSON, CSV, .xlsx; all rows or none, each error with its row and
// column), audited. Year 2031 is the one imported here: no date of
// tests/dates.txt reaches it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, request, assertError, CLOCK, today } from './lib.mjs';
import { xlsx, serial } from './xlsx.mjs';

let admin, jb, yj, viewer, auditor;
before(async () => {
  admin = await login('admin');
  jb = await login('jiangbei');
  yj = await login('yongjiang');
  viewer = await login('viewer');
  auditor = await login('auditor');
});

test('the clock: the business date, in China time, set only in tests', async () => {
  const r = await request('GET', '/api/v1/clock');
  assert.equal(r.status, 200);
  assert.match(r.json.today, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(r.json.zone, '+08:00');
  assert.equal(r.json.set, !!process.env.CHANGAI_TODAY, 'set exactly when the run sets it');
  if (process.env.CHANGAI_TODAY) assert.equal(r.json.today, process.env.CHANGAI_TODAY);
  // now is that date in China: its UTC time plus eight hours falls on today
  const china = new Date(Date.parse(r.json.now) + 8 * 3600e3).toISOString().slice(0, 10);
  assert.equal(china, r.json.today);
  assert.equal(CLOCK.today, today());
});

test('2025 as its notice has it: 28 Jan–4 Feb off, Sunday 26 Jan and Saturday 8 Feb worked', async () => {
  const r = await viewer.get('/api/v1/calendar?year=2025');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.source, 'seeded');
  assert.match(r.json.reference, /国办发明电〔2024〕12号/);
  const day = (d) => r.json.days.find((x) => x.date === d);
  assert.deepEqual(day('2025-01-26'), { date: '2025-01-26', kind: 'workday', name: '春节', weekday: 7 });
  assert.equal(day('2025-02-08').kind, 'workday');
  for (const d of ['2025-01-28', '2025-01-31', '2025-02-03', '2025-02-04']) assert.equal(day(d).kind, 'holiday', d);
  assert.equal(day('2025-02-05'), undefined, 'a plain working day is no exception');
  // 261 weekdays, 18 of them off, 5 weekend days worked
  assert.equal(r.json.workdays, 248);
  assert.equal(r.json.weekend_workdays, 5);
});

test('working-day arithmetic across holidays, 调休 weekends and year ends', async () => {
  const add = async (from, n) => (await yj.get(`/api/v1/calendar/workdays?from=${from}&add=${n}`)).json;
  assert.equal((await add('2025-01-27', 1)).date, '2025-02-05');
  assert.equal((await add('2025-01-24', 1)).date, '2025-01-26');
  assert.equal((await add('2025-01-30', 0)).date, '2025-02-05');
  assert.equal((await add('2025-12-31', 1)).date, '2026-01-04', '2026 begins with three days off and a Sunday worked');
  assert.equal((await add('2026-09-30', 1)).date, '2026-10-08');
  assert.deepEqual((await add('2024-12-31', 1)).missing_years, []);
  const between = await yj.get('/api/v1/calendar/workdays?from=2025-01-24&to=2025-02-08');
  assert.equal(between.json.workdays, 6);
  const back = await yj.get('/api/v1/calendar/workdays?from=2025-02-08&to=2025-01-24');
  assert.equal(back.json.workdays, -6);
  // a year without data counts Monday to Friday, and says so
  const far = await add('2030-12-31', 1);
  assert.equal(far.date, '2031-01-01');
  assert.ok(far.missing_years.includes(2031) || far.missing_years.length === 0);
  const leap = await add('2032-02-27', 1);
  assert.equal(leap.date, '2032-03-01', 'Friday 27 February to Monday 1 March, over the leap day');
  assert.ok(leap.missing_years.includes(2032));
});

test('working-day arithmetic refuses what it cannot count', async () => {
  assertError(await yj.get('/api/v1/calendar/workdays?from=2025-01-24&add=1&to=2025-02-01'), 422, 'validation_failed');
  assertError(await yj.get('/api/v1/calendar/workdays?add=1'), 422, 'validation_failed', 'from');
  assertError(await yj.get('/api/v1/calendar/workdays?from=2025-02-30&add=1'), 400, 'bad_request', 'from');
  assertError(await yj.get('/api/v1/calendar/workdays?from=2025-01-24&add=1001'), 400, 'bad_request', 'add');
  assertError(await yj.get('/api/v1/calendar/workdays?from=2020-01-01&to=2030-01-01'), 422, 'validation_failed', 'to');
  assertError(await request('GET', '/api/v1/calendar/workdays?from=2025-01-24&add=1'), 401, 'unauthenticated');
});

test('the years held, and the ones the admin is warned of', async () => {
  const r = await admin.get('/api/v1/calendar/years');
  assert.equal(r.status, 200, r.text);
  const years = r.json.items.map((y) => y.year);
  for (const y of [2024, 2025, 2026]) assert.ok(years.includes(y), `${y} is seeded`);
  const year = Number(today().slice(0, 4));
  assert.equal(r.json.this_year, year);
  assert.equal(r.json.missing.includes(year), !years.includes(year));
  const late = today().slice(5) >= '11-01';
  assert.equal(r.json.missing.includes(year + 1), late && !years.includes(year + 1), 'next year is asked for from November');
});

const CSV_HEAD = '日期,类型,名称\r\n';

test('the city admin imports a year as CSV; it counts at once and is audited', async () => {
  const csv = '\uFEFF' + CSV_HEAD + '2031-01-01,放假,元旦\r\n2031/1/4,上班,元旦\r\n2031-10-01,放假,国庆节\r\n';
  const r = await admin.put('/api/v1/calendar/2031', csv, { contentType: 'text/csv' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.source, 'imported');
  assert.deepEqual(r.json.days.map((d) => [d.date, d.kind]), [['2031-01-01', 'holiday'], ['2031-01-04', 'workday'], ['2031-10-01', 'holiday']]);
  // Saturday 4 January 2031 is now a working day
  const w = await yj.get('/api/v1/calendar/workdays?from=2031-01-03&add=1');
  assert.equal(w.json.date, '2031-01-04');
  assert.deepEqual(w.json.missing_years, []);
  const a = await auditor.get('/api/v1/audit?action=calendar.replace&limit=10');
  assert.equal(a.status, 200, a.text);
  const e = a.json.items.find((x) => x.target === 'calendar:2031');
  assert.ok(e, 'the import is in the audit trail');
  assert.equal(e.actor, 'admin');
  assert.equal((typeof e.summary === 'string' ? JSON.parse(e.summary) : e.summary).days, 3);
});

test('an .xlsx and a JSON body replace the year the same way', async () => {
  const book = xlsx([
    ['日期', '类型', '名称'],
    [{ date: serial('2031-02-01') }, '放假', '春节'],
    ['2031-02-02', '放假', '春节'],
    [{ date: serial('2031-02-08') }, '上班', '春节'],
  ]);
  let r = await admin.put('/api/v1/calendar/2031', book, { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.days.map((d) => d.date), ['2031-02-01', '2031-02-02', '2031-02-08']);
  r = await admin.put('/api/v1/calendar/2031', {
    days: [{ date: '2031-01-01', kind: 'holiday', name: '元旦' }],
    reference: '国务院办公厅关于2031年部分节假日安排的通知',
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.days.length, 1);
  assert.equal(r.json.reference, '国务院办公厅关于2031年部分节假日安排的通知');
});

test('a bad file changes nothing and names every bad row and column', async () => {
  const before = (await admin.get('/api/v1/calendar?year=2031')).json;
  const csv = CSV_HEAD +
    '2031-05-01,放假,劳动节\r\n' +       // row 2: fine
    '2031-05-06,上班,劳动节\r\n' +       // row 3: a Tuesday is worked anyway
    '2031-02-30,放假,春节\r\n' +         // row 4: no such day
    '2030-12-31,放假,元旦\r\n' +         // row 5: another year
    '2031-05-02,加班,劳动节\r\n' +       // row 6: no such kind
    '2031-05-01,放假,劳动节\r\n';        // row 7: twice
  const r = await admin.put('/api/v1/calendar/2031', csv, { contentType: 'text/csv' });
  assertError(r, 422, 'validation_failed');
  const got = r.json.error.details.map((d) => [d.row, d.field]).sort((x, y) => x[0] - y[0]);
  assert.deepEqual(got, [[3, '类型'], [4, '日期'], [5, '日期'], [6, '类型'], [7, '日期']]);
  const after = (await admin.get('/api/v1/calendar?year=2031')).json;
  assert.deepEqual(after.days, before.days, 'nothing written');
  // not a calendar at all
  assertError(await admin.put('/api/v1/calendar/2031', 'a,b\r\n1,2\r\n', { contentType: 'text/csv' }), 422, 'validation_failed', 'file');
  assertError(await admin.put('/api/v1/calendar/2031', { days: [{ date: '2031-01-01', kind: 'holiday', name: '元旦', x: 1 }] }), 422, 'validation_failed');
  assertError(await admin.put('/api/v1/calendar/2031', { days: 'none' }), 422, 'validation_failed', 'days');
});

test('only the city admin changes the calendar; everyone signed in reads it', async () => {
  const body = { days: [{ date: '2031-01-01', kind: 'holiday', name: '元旦' }] };
  assertError(await jb.put('/api/v1/calendar/2031', body), 403, 'forbidden');
  assertError(await yj.put('/api/v1/calendar/2031', body), 403, 'forbidden');
  assertError(await viewer.put('/api/v1/calendar/2031', body), 403, 'forbidden');
  assertError(await request('PUT', '/api/v1/calendar/2031', { body }), 401, 'unauthenticated');
  assert.equal((await auditor.get('/api/v1/calendar?year=2026')).status, 200);
  assert.equal((await yj.get('/api/v1/calendar?year=2031')).json.days.length, 1);
  // a year with no data is reported missing, not empty and silent
  const none = await yj.get('/api/v1/calendar?year=2199');
  assert.equal(none.json.source, 'missing');
  assert.deepEqual(none.json.days, []);
});
