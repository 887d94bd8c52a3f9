// dates: this file runs at every date of tests/dates.txt
// The reconciliation statement (对账单): sealed snapshots (SHA-256, exact
// bytes, immutable, audited, compared), the .xlsx read back cell by cell
// (and printed to PDF by LibreOffice), and evidence files
// on reports (types, size, scope).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, orgId, assertError, today, sql, createUser, rawHttp, HOST } from './lib.mjs';
import { YEAR, sha256, createPlan, addNode, report, recompute, assertStatement, allReports } from './plans.mjs';

let admin, jb, yj, zq, rs, viewer, auditor, sec;
let jbId, d1, d2, d3;
let plan, s1, s2, s3;

before(async () => {
  admin = await login('admin');
  jb = await login('jiangbei');
  yj = await login('yongjiang');
  zq = await login('zhuangqiao');
  rs = await login('renshe');
  viewer = await login('viewer');
  auditor = await login('auditor');
  sec = await login('secadmin');
  jbId = jb.user.grants[0].org_id;
  d1 = await orgId(jb, '江北区人力资源和社会保障局');
  d2 = await orgId(jb, '江北区教育局');
  d3 = await orgId(jb, '江北区卫生健康局');
  plan = await createPlan(jb, { org_id: jbId, title: `对账单测试${Date.now()}` });
  const a = await addNode(jb, plan.id, { kind: 'aspect', title: '产业工人队伍建设' });
  const b = await addNode(jb, plan.id, { kind: 'aspect', title: '技能提升' });
  const i1 = await addNode(jb, plan.id, { kind: 'item', title: '加强思想政治引领', parent_id: a.id });
  const i2 = await addNode(jb, plan.id, { kind: 'item', title: '深化技能等级认定', parent_id: b.id });
  s1 = await addNode(jb, plan.id, { kind: 'subitem', title: '新建非公企业党组织数', parent_id: i1.id, owner_org_ids: [d1, d2], deadline: `${YEAR}-12-31`, target: { value: 12, unit: '个' } });
  s2 = await addNode(jb, plan.id, { kind: 'subitem', title: '工会会员入会率', parent_id: i1.id, owner_org_ids: [d2], deadline: `${YEAR}-12-31`, target: { value: 90, unit: '%' } });
  s3 = await addNode(jb, plan.id, { kind: 'subitem', title: '技能等级认定人数', parent_id: i2.id, owner_org_ids: [d1], deadline: `${YEAR}-12-31`, target: { value: 3000, unit: '人' } });
  await report(rs, plan.id, s1.id, { value: 7, note: '已新建 7 个' });
  await report(rs, plan.id, s3.id, { value: 1250.5, note: '含企业自主评价' });
});

test('sealing: a snapshot with its SHA-256, returned exactly as sealed, audited', async () => {
  const live = (await jb.get(`/api/v1/plans/${plan.id}/statement`)).json;
  let r = await jb.post(`/api/v1/plans/${plan.id}/statements`, { as_of: today(), title: '第三季度对账会' });
  assert.equal(r.status, 201, r.text);
  const seal = r.json;
  assert.match(seal.hash, /^[0-9a-f]{64}$/);
  assert.equal(seal.rows, 3);
  assert.equal(seal.sealed_by, 'jiangbei');
  // the content bytes hash to the recorded hash
  const raw = await jb.get(`/api/v1/plans/${plan.id}/statements/${seal.id}/content`);
  assert.equal(raw.status, 200);
  assert.match(raw.headers.get('content-type'), /application\/json/);
  assert.equal(sha256(raw.body), seal.hash);
  assert.equal(raw.body.length, seal.bytes);
  const doc = JSON.parse(raw.text);
  assert.equal(doc.seal.title, '第三季度对账会');
  assert.equal(doc.as_of, today());
  assert.deepEqual(doc.rows.map((x) => [x.node_id, x.actual, x.completion, x.status]),
    live.rows.map((x) => [x.node_id, x.actual, x.completion, x.status]));
  // one sealed statement, as sealed
  r = await jb.get(`/api/v1/plans/${plan.id}/statements/${seal.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.hash, seal.hash);
  assert.equal(r.json.title, '第三季度对账会');
  assert.deepEqual(r.json.statement, doc);
  // listed
  r = await viewer.get(`/api/v1/plans/${plan.id}/statements`);
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((x) => x.id === seal.id && x.hash === seal.hash));
  assert.equal(r.json.restricted, false);
  // a department reads the plan but not its snapshots (they hold every
  // task): the list says so rather than 404
  r = await rs.get(`/api/v1/plans/${plan.id}/statements`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items, []);
  assert.equal(r.json.restricted, true);
  assertError(await rs.get(`/api/v1/plans/${plan.id}/statements/${seal.id}`), 404, 'not_found');
  // later reports change the live statement, never the sealed one
  await report(rs, plan.id, s1.id, { value: 11, note: '又新建 4 个' });
  const live2 = (await jb.get(`/api/v1/plans/${plan.id}/statement`)).json;
  assert.equal(live2.rows.find((x) => x.node_id === s1.id).actual, 11);
  const again = await jb.get(`/api/v1/plans/${plan.id}/statements/${seal.id}/content`);
  assert.equal(sha256(again.body), seal.hash);
  assert.equal(again.text, raw.text);
  // audited with the hash
  const a = await auditor.get('/api/v1/audit?action=plan.statement_seal&actor=jiangbei');
  const e = a.json.items.find((x) => x.target === `plan_statement:${seal.id}`);
  assert.ok(e, 'the seal is on the audit trail');
  assert.ok(JSON.stringify(e).includes(seal.hash));
  // the store refuses to change a sealed statement
  assert.throws(() => sql(`UPDATE plan_statements SET title = 'x' WHERE id = ${seal.id}`));
  assert.throws(() => sql(`DELETE FROM plan_statements WHERE id = ${seal.id}`));
  assert.equal(sha256((await jb.get(`/api/v1/plans/${plan.id}/statements/${seal.id}/content`)).body), seal.hash);
});

test('sealing: comparing two sealed statements shows what moved', async () => {
  let r = await jb.post(`/api/v1/plans/${plan.id}/statements`, { as_of: today(), title: '对账一' });
  assert.equal(r.status, 201, r.text);
  const first = r.json;
  await report(rs, plan.id, s3.id, { value: 2999, note: '接近完成' });
  r = await jb.post(`/api/v1/plans/${plan.id}/statements`, { as_of: today(), title: '对账二' });
  const second = r.json;
  assert.notEqual(first.hash, second.hash);
  r = await jb.get(`/api/v1/plans/${plan.id}/statements/compare?from=${first.id}&to=${second.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.from.id, first.id);
  assert.equal(r.json.to.id, second.id);
  assert.equal(r.json.moved, 1);
  const ch = r.json.changes[0];
  assert.equal(ch.node_id, s3.id);
  assert.equal(ch.to.actual, 2999);
  assert.equal(ch.to.completion, Math.round((2999 / 3000) * 10000) / 10000);
  assert.ok(ch.completion_delta > 0);
  assert.ok(r.json.totals.to.completion > r.json.totals.from.completion);
  // the same statement twice: nothing moved
  r = await jb.get(`/api/v1/plans/${plan.id}/statements/compare?from=${second.id}&to=${second.id}`);
  assert.equal(r.json.moved, 0);
  assertError(await jb.get(`/api/v1/plans/${plan.id}/statements/compare?from=${first.id}`), 400, 'bad_request', 'to');
  assertError(await jb.get(`/api/v1/plans/${plan.id}/statements/compare?from=${first.id}&to=999999999`), 404, 'not_found', 'to');
  // a statement of another plan is not found through this one
  const other = await createPlan(jb, { org_id: jbId, title: '另一方案' });
  assertError(await jb.get(`/api/v1/plans/${other.id}/statements/${first.id}`), 404, 'not_found');
  assertError(await jb.get(`/api/v1/plans/${other.id}/statements/compare?from=${first.id}&to=${second.id}`), 404, 'not_found', 'from');
});

test('sealing: bad input and scope', async () => {
  const url = `/api/v1/plans/${plan.id}/statements`;
  assertError(await jb.post(url, { as_of: '2999-01-01', title: 'x' }), 422, 'validation_failed', 'as_of');
  assertError(await jb.post(url, { as_of: today() }), 422, 'validation_failed', 'title');
  assertError(await jb.post(url, { title: 'x' }), 422, 'validation_failed', 'as_of');
  assertError(await jb.post(url, { as_of: today(), title: 'x', hash: 'y' }), 400, 'bad_request', 'hash');
  assertError(await viewer.post(url, { as_of: today(), title: 'x' }), 403, 'forbidden');
  assertError(await rs.post(url, { as_of: today(), title: 'x' }), 403, 'forbidden');
  assertError(await zq.post(url, { as_of: today(), title: 'x' }), 404, 'not_found');
  assertError(await zq.get(url), 404, 'not_found');
  // a department reads the plan: its snapshot list answers, empty
  const own = await rs.get(url);
  assert.equal(own.status, 200, own.text);
  assert.deepEqual([own.json.restricted, own.json.items], [true, []]);
  assertError(await jb.get(`${url}/999999999`), 404, 'not_found');
});

test('the statement recomputed from its reports; owner and as_of filters', async () => {
  const tree = (await jb.get(`/api/v1/plans/${plan.id}/tree`)).json;
  const reports = await allReports(jb, plan.id);
  const st = (await jb.get(`/api/v1/plans/${plan.id}/statement`)).json;
  assertStatement(st, recompute({ tree, reports, asOf: today(), soon: st.due_soon_days, year: YEAR, metricActual: () => 0 }));
  // per owner: d1 leads two, d2 one (and co-owns one)
  const o1 = st.totals.owners.find((x) => x.org_id === d1);
  const o2 = st.totals.owners.find((x) => x.org_id === d2);
  assert.equal(o1.subitems, 2);
  assert.equal(o2.subitems, 1);
  assert.equal(o2.co_owned, 1);
  // the department's own view recomputes the same way from what it sees
  const rtree = (await rs.get(`/api/v1/plans/${plan.id}/tree`)).json;
  const rreports = await allReports(rs, plan.id);
  const rst = (await rs.get(`/api/v1/plans/${plan.id}/statement`)).json;
  assertStatement(rst, recompute({ tree: rtree, reports: rreports, asOf: today(), soon: rst.due_soon_days, year: YEAR, metricActual: () => 0 }));
  assert.deepEqual(rst.rows.map((x) => x.node_id).sort(), [s1.id, s3.id].sort());
});

// ---- .xlsx read back ----
function unzipText(file, part) {
  return execFileSync('unzip', ['-p', file, part], { encoding: 'utf8' });
}
function decode(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
function readSheet(file, n) {
  const shared = [];
  const ss = unzipText(file, 'xl/sharedStrings.xml');
  for (const m of ss.matchAll(/<si>(.*?)<\/si>/gs)) {
    shared.push(decode([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')));
  }
  const xml = unzipText(file, `xl/worksheets/sheet${n}.xml`);
  const cells = new Map(), style = new Map();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const s = / s="(\d+)"/.exec(m[2]);
    if (s) style.set(m[1], Number(s[1]));
    const v = /<v>(.*?)<\/v>/s.exec(m[3] || '');
    if (!v) continue;
    cells.set(m[1], /t="s"/.test(m[2]) ? shared[Number(v[1])] : Number(v[1]));
  }
  return { xml, cells, style };
}
// The fill colour (ARGB) of a cell style index.
function fillOf(file, xf) {
  const styles = unzipText(file, 'xl/styles.xml');
  const fills = [...styles.match(/<fills[^>]*>(.*?)<\/fills>/s)[1].matchAll(/<fill>(.*?)<\/fill>/gs)].map((m) => {
    const c = /<fgColor rgb="([0-9A-F]{8})"/.exec(m[1]);
    return c ? c[1] : null;
  });
  const xfs = [...styles.match(/<cellXfs[^>]*>(.*?)<\/cellXfs>/s)[1].matchAll(/<xf ([^>]*?)\/?>/g)];
  const id = / fillId="(\d+)"/.exec(xfs[xf][1]);
  return id ? fills[Number(id[1])] : null;
}

test('the statement as .xlsx: title, merged area headers, frozen header, A4 landscape, colours, cells', async (t) => {
  const res = await jb.get(`/api/v1/plans/${plan.id}/statement.xlsx`);
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename\*=UTF-8''/);
  assert.equal(res.body.subarray(0, 2).toString(), 'PK');
  const dir = mkdtempSync(join(tmpdir(), 'caxlsx-'));
  try {
    const file = join(dir, 'statement.xlsx');
    writeFileSync(file, res.body);
    const { xml, cells, style } = readSheet(file, 1);
    assert.equal(cells.get('A1'), `${plan.title} 对账单`);
    assert.match(cells.get('A2'), /2 方面 2 大项 3 分项：完成 \d+，进行中 \d+，逾期 \d+/);
    assert.equal(cells.get('A3'), '序号');
    assert.equal(cells.get('C3'), '分项（重点工作任务）');
    assert.match(xml, /<mergeCell ref="A1:M1"\/>/);
    assert.match(xml, /<pane ySplit="3" topLeftCell="A4"[^>]*state="frozen"/);
    assert.match(xml, /<pageSetup[^>]*paperSize="9"[^>]*orientation="landscape"/);
    const wb = unzipText(file, 'xl/workbook.xml');
    assert.match(decode(wb), /_xlnm\.Print_Titles[^>]*>'对账单'!\$1:\$3</);
    // the area headers, merged across the row
    assert.match(cells.get('A4'), /^一、产业工人队伍建设（1 大项 2 分项/);
    assert.match(xml, /<mergeCell ref="A4:M4"\/>/);
    // rows: numbers stay numbers
    const st = (await jb.get(`/api/v1/plans/${plan.id}/statement`)).json;
    const rowOf = (title) => [...cells.entries()].find(([, v]) => v === title)[0].slice(1);
    const r1 = rowOf('新建非公企业党组织数');
    const s1row = st.rows.find((x) => x.node_id === s1.id);
    assert.equal(cells.get(`A${r1}`), '1.1');
    assert.equal(cells.get(`D${r1}`), '江北区人力资源和社会保障局');
    assert.equal(cells.get(`E${r1}`), '江北区教育局');
    assert.equal(cells.get(`G${r1}`), 12);
    assert.equal(cells.get(`H${r1}`), '个');
    assert.equal(cells.get(`I${r1}`), s1row.actual);
    assert.equal(cells.get(`J${r1}`), s1row.completion);
    assert.equal(cells.get(`K${r1}`), { green: '正常', yellow: '临期滞后', red: '逾期', grey: '未开始' }[s1row.status]);
    assert.match(cells.get(`L${r1}`), /又新建 4 个/);
    // the item merged down its two sub-items
    assert.equal(cells.get(`B${r1}`), '1. 加强思想政治引领');
    assert.match(xml, new RegExp(`<mergeCell ref="B${r1}:B${Number(r1) + 1}"/>`));
    const r3 = rowOf('技能等级认定人数');
    assert.equal(cells.get(`I${r3}`), st.rows.find((x) => x.node_id === s3.id).actual);
    // the status cell is coloured by its light
    const fills = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE', grey: 'FFD9D9D9' };
    for (const row of st.rows) {
      const at = rowOf(row.title);
      assert.equal(fillOf(file, style.get(`K${at}`)), fills[row.status], `colour of ${row.title}`);
    }
    // the totals sheet
    const tot = readSheet(file, 2).cells;
    assert.equal(tot.get('A2'), '全方案');
    assert.equal(tot.get('C2'), 3);
    // LibreOffice opens it and prints it (scripts/deps.sh test installs it),
    // with a throwaway profile so the user's own is never touched
    const lo = ['libreoffice', 'soffice'].find((b) => {
      try { execFileSync('sh', ['-c', `command -v ${b}`]); return true; } catch { return false; }
    });
    assert.ok(lo, 'libreoffice is installed (libreoffice-calc-nogui, scripts/deps.sh test)');
    execFileSync('timeout', ['120', lo, '--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      '--convert-to', 'pdf', '--outdir', dir, file], { timeout: 130000, env: { ...process.env, HOME: dir } });
    const pdf = join(dir, 'statement.pdf');
    assert.ok(existsSync(pdf), 'LibreOffice wrote a PDF');
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
    assert.ok(pages >= 1, `the PDF has ${pages} pages`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // audited as an export; a department gets its own rows only
  const a = await auditor.get('/api/v1/audit?action=plan.statement_export&actor=jiangbei');
  assert.ok(a.json.items.some((e) => e.target === `plan:${plan.id}`));
  const mine = await rs.get(`/api/v1/plans/${plan.id}/statement.xlsx`);
  assert.equal(mine.status, 200);
  assertError(await zq.get(`/api/v1/plans/${plan.id}/statement.xlsx`), 404, 'not_found');
});

// ---- evidence ----
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

test('evidence: attached to a report, served back only within scope', async () => {
  const rep = await report(rs, plan.id, s1.id, { value: 11, note: '附台账' });
  const url = `/api/v1/plans/${plan.id}/reports/${rep.id}/evidence?filename=${encodeURIComponent('党组织台账.pdf')}`;
  let r = await rs.post(url, PDF, { contentType: 'application/pdf' });
  assert.equal(r.status, 201, r.text);
  const ev = r.json;
  assert.equal(ev.filename, '党组织台账.pdf');
  assert.equal(ev.type, 'application/pdf');
  assert.equal(ev.size, PDF.length);
  assert.equal(ev.sha256, sha256(PDF));
  r = await rs.post(`/api/v1/plans/${plan.id}/reports/${rep.id}/evidence?filename=photo.png`, PNG, { contentType: 'image/png' });
  assert.equal(r.status, 201, r.text);
  // listed with the report
  r = await jb.get(`/api/v1/plans/${plan.id}/nodes/${s1.id}/reports`);
  const listed = r.json.items.find((x) => x.id === rep.id);
  assert.deepEqual(listed.evidence.map((x) => x.filename), ['党组织台账.pdf', 'photo.png']);
  // downloaded byte for byte by those who see the task
  for (const who of [rs, jb, viewer, admin]) {
    const d = await who.get(`/api/v1/plans/${plan.id}/evidence/${ev.id}`);
    assert.equal(d.status, 200);
    assert.equal(d.headers.get('content-type'), 'application/pdf');
    assert.match(d.headers.get('content-disposition'), /attachment/);
    assert.ok(d.body.equals(PDF));
  }
  assert.match((await jb.get(`/api/v1/plans/${plan.id}/evidence/${ev.id}`)).headers.get('x-frame-options'), /^DENY$/);
  // inline=1: the console's preview frame, for a PDF or an image only
  const pv = await jb.get(`/api/v1/plans/${plan.id}/evidence/${ev.id}?inline=1`);
  assert.equal(pv.status, 200);
  assert.match(pv.headers.get('content-disposition'), /^inline; /);
  assert.equal(pv.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.match(pv.headers.get('content-security-policy'), /frame-ancestors 'self'/);
  assert.match(pv.headers.get('content-security-policy'), /default-src 'none'/);
  assert.equal(pv.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(pv.body.equals(PDF));
  assertError(await zq.get(`/api/v1/plans/${plan.id}/evidence/${ev.id}?inline=1`), 404, 'not_found');
  // not by another street, nor a department that does not own the task
  assertError(await zq.get(`/api/v1/plans/${plan.id}/evidence/${ev.id}`), 404, 'not_found');
  const wj = await createUser(sec, { org_id: d3, role: 'department' });
  assertError(await wj.client.get(`/api/v1/plans/${plan.id}/evidence/${ev.id}`), 404, 'not_found');
  assertError(await jb.get(`/api/v1/plans/${plan.id}/evidence/999999999`), 404, 'not_found');
  const a = await auditor.get('/api/v1/audit?action=plan.evidence&actor=renshe');
  assert.ok(a.json.items.some((e) => e.target === `plan_evidence:${ev.id}`));
});

test('evidence: type, size, name and owner are checked', async () => {
  const rep = await report(rs, plan.id, s3.id, { value: 2999 });
  const url = (name) => `/api/v1/plans/${plan.id}/reports/${rep.id}/evidence?filename=${encodeURIComponent(name)}`;
  // a program named .pdf, a PDF named .exe, HTML named .docx
  assertError(await rs.post(url('台账.pdf'), Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), { contentType: 'application/pdf' }), 422, 'validation_failed', 'file');
  assertError(await rs.post(url('run.exe'), PDF, { contentType: 'application/octet-stream' }), 422, 'validation_failed', 'file');
  assertError(await rs.post(url('a.docx'), '<html></html>', { contentType: 'text/html' }), 422, 'validation_failed', 'file');
  assertError(await rs.post(url('a.png'), PDF, { contentType: 'image/png' }), 422, 'validation_failed', 'file');
  // over 10 MiB
  const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
  PDF.copy(big);
  // refused from its headers: the 10 MiB and a byte are never read
  const head = await rawHttp(`POST ${url('big.pdf')} HTTP/1.1\r\nHost: ${HOST}\r\nCookie: changai_session=${rs.token}\r\n` +
    `X-CSRF-Token: ${rs.csrf}\r\nContent-Type: application/pdf\r\nContent-Length: ${big.length}\r\n\r\n`, { timeout: 3000 });
  assert.equal(head.status, 413, head.text);
  assert.equal(JSON.parse(head.text).error.code, 'payload_too_large');
  assert.equal(JSON.parse(head.text).error.details[0].field, 'file');
  // exactly 10 MiB is fine
  const max = big.subarray(0, 10 * 1024 * 1024);
  const ok = await rs.post(url('max.pdf'), max, { contentType: 'application/pdf' });
  assert.equal(ok.status, 201, ok.text);
  const back = await rs.get(`/api/v1/plans/${plan.id}/evidence/${ok.json.id}`);
  assert.ok(back.body.equals(max), 'a 10 MiB file comes back whole');
  assertError(await rs.post(url(''), PDF, { contentType: 'application/pdf' }), 400, 'bad_request', 'filename');
  assertError(await rs.post(`/api/v1/plans/${plan.id}/reports/${rep.id}/evidence`, PDF, { contentType: 'application/pdf' }), 400, 'bad_request', 'filename');
  assertError(await rs.post(url('../../etc/passwd.pdf'), PDF, { contentType: 'application/pdf' }), 400, 'bad_request', 'filename');
  assertError(await rs.post(url('empty.pdf'), Buffer.alloc(0), { contentType: 'application/pdf' }), 400, 'bad_request', 'file');
  // only the task's owners attach evidence
  assertError(await jb.post(url('x.pdf'), PDF, { contentType: 'application/pdf' }), 403, 'forbidden');
  assertError(await zq.post(url('x.pdf'), PDF, { contentType: 'application/pdf' }), 404, 'not_found');
  // not to a report already reviewed
  assert.equal((await jb.post(`/api/v1/plans/${plan.id}/reports/${rep.id}/return`, { reason: '请补充材料' })).status, 200);
  assertError(await rs.post(url('late.pdf'), PDF, { contentType: 'application/pdf' }), 409, 'conflict');
});
