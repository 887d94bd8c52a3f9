// The organisation tree: listing, creating, editing, moving; bad input;
// roles; scope (404 outside the caller's subtree).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, request, assertError, orgId, getOrg, createOrg, uniq, randomUscc,
  badCheckUscc, uscc, rawHttp, HOST, PORT,
} from './lib.mjs';

let admin, jiangbei, yongjiang, zhuangqiao, viewer, sec, auditor, renshe, expert;
let JB, YJ, ZQ, HS, E_YJ, E_ZQ;

before(async () => {
  admin = await login('admin');
  jiangbei = await login('jiangbei');
  yongjiang = await login('yongjiang');
  zhuangqiao = await login('zhuangqiao');
  viewer = await login('viewer');
  sec = await login('secadmin');
  auditor = await login('auditor');
  renshe = await login('renshe');
  expert = await login('expert');
  JB = await orgId(admin, '江北区');
  YJ = await orgId(admin, '甬江街道');
  ZQ = await orgId(admin, '庄桥街道');
  HS = await orgId(admin, '海曙区');
  E_YJ = await orgId(admin, '宁波甬江精密机械有限公司');
  E_ZQ = await orgId(admin, '宁波庄桥汽车零部件有限公司');
});

// every page of a list, checking the page contract on the way
async function allPages(client, path, limit) {
  const items = [];
  let after = null;
  let total;
  for (let i = 0; i < 1000; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await client.get(`${path}${sep}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.json.items));
    assert.ok(r.json.items.length <= limit);
    if (total === undefined) total = r.json.total;
    else assert.equal(r.json.total, total, 'total is the same on every page');
    items.push(...r.json.items);
    if (r.json.next === null) break;
    assert.equal(typeof r.json.next, 'string');
    assert.equal(r.json.items.length, limit, 'a page with a next cursor is full');
    after = r.json.next;
  }
  return { items, total };
}

function district(name = uniq('测试区')) {
  return { parent_id: 1, kind: 'district', name };
}

test('roots: each caller sees the orgs of its grants', async () => {
  let r = await admin.get('/api/v1/orgs');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.next, null);
  assert.equal(r.json.total, 1);
  assert.equal(r.json.items.length, 1);
  const root = r.json.items[0];
  assert.equal(root.id, 1);
  assert.equal(root.kind, 'city');
  assert.equal(root.name, '宁波市');
  assert.equal(root.parent_id, null);
  assert.equal(root.path, '/1/');
  for (const k of ['id', 'parent_id', 'kind', 'name', 'code', 'path', 'uscc', 'industry', 'above_scale',
    'ownership', 'has_union', 'employees']) assert.ok(k in root, `org has ${k}`);

  r = await jiangbei.get('/api/v1/orgs');
  assert.deepEqual(r.json.items.map((o) => o.id), [JB]);
  r = await zhuangqiao.get('/api/v1/orgs');
  assert.deepEqual(r.json.items.map((o) => o.id), [ZQ]);
});

test('children of the root: districts and city departments', async () => {
  const { items, total } = await allPages(admin, '/api/v1/orgs?parent=1', 500);
  assert.equal(items.length, total);
  const names = items.map((o) => o.name);
  for (const n of ['江北区', '海曙区', '鄞州区', '市人力资源和社会保障局']) assert.ok(names.includes(n), n);
  assert.ok(items.every((o) => o.parent_id === 1));
  const deps = await admin.get('/api/v1/orgs?parent=1&kind=department&limit=500');
  assert.equal(deps.status, 200);
  assert.ok(deps.json.items.length >= 1);
  assert.ok(deps.json.items.every((o) => o.kind === 'department'));
  assert.equal(deps.json.total, deps.json.items.length);
});

test('pagination: limit, after cursor, next null at the end, total', async () => {
  const d = await createOrg(admin, district());
  const streets = [];
  for (let i = 0; i < 5; i++)
    streets.push(await createOrg(admin, { parent_id: d.id, kind: 'street', name: `第${i}街道-${uniq()}` }));
  const e = await createOrg(admin, { parent_id: streets[0].id, kind: 'enterprise', name: uniq('企业'), uscc: randomUscc() });

  // children, two at a time
  const p1 = await admin.get(`/api/v1/orgs?parent=${d.id}&limit=2`);
  assert.equal(p1.status, 200, p1.text);
  assert.equal(p1.json.items.length, 2);
  assert.equal(p1.json.total, 5);
  assert.equal(typeof p1.json.next, 'string');
  const p2 = await admin.get(`/api/v1/orgs?parent=${d.id}&limit=2&after=${encodeURIComponent(p1.json.next)}`);
  assert.equal(p2.json.items.length, 2);
  assert.equal(typeof p2.json.next, 'string');
  const p3 = await admin.get(`/api/v1/orgs?parent=${d.id}&limit=2&after=${encodeURIComponent(p2.json.next)}`);
  assert.equal(p3.json.items.length, 1);
  assert.equal(p3.json.next, null);
  const ids = [...p1.json.items, ...p2.json.items, ...p3.json.items].map((o) => o.id);
  assert.deepEqual(ids, streets.map((s) => s.id), 'every street once, in id order');

  // exactly a page: no empty trailing page promised
  const exact = await admin.get(`/api/v1/orgs?parent=${d.id}&limit=5`);
  assert.equal(exact.json.items.length, 5);
  assert.equal(exact.json.next, null);

  // count=false may omit total
  const nc = await admin.get(`/api/v1/orgs?parent=${d.id}&limit=2&count=false`);
  assert.equal(nc.status, 200);
  assert.equal(nc.json.items.length, 2);

  // the subtree: the district, its streets and the enterprise
  const sub = await allPages(admin, `/api/v1/orgs?under=${d.id}`, 2);
  const subIds = sub.items.map((o) => o.id);
  assert.equal(new Set(subIds).size, subIds.length, 'no duplicates across pages');
  assert.equal(sub.items.length, sub.total);
  for (const o of [...streets, e]) assert.ok(subIds.includes(o.id), `subtree has ${o.name}`);
  assert.ok(sub.items.every((o) => o.path.startsWith(d.path)));
  const onlyStreets = await admin.get(`/api/v1/orgs?under=${d.id}&kind=street&limit=500`);
  assert.equal(onlyStreets.json.total, 5);
  assert.ok(onlyStreets.json.items.every((o) => o.kind === 'street'));
  // search by name inside the subtree, and by exact credit code
  const q = await admin.get(`/api/v1/orgs?under=${d.id}&q=${encodeURIComponent('第3街道')}`);
  assert.deepEqual(q.json.items.map((o) => o.id), [streets[3].id]);
  const byCode = await admin.get(`/api/v1/orgs?under=1&q=${e.uscc}`);
  assert.deepEqual(byCode.json.items.map((o) => o.id), [e.id]);
});

test('list: bad query parameters → 400', async () => {
  const bad = [
    '?parent=1&limit=0', '?parent=1&limit=501', '?parent=1&limit=abc', '?parent=abc', '?parent=0',
    '?parent=-1', '?parent=1&after=garbage', '?parent=1&under=1', '?parent=1&kind=planet',
    '?parent=1&colour=red', '?parent=1&parent=2', '?parent=1&count=maybe',
  ];
  for (const qs of bad) {
    const r = await admin.get(`/api/v1/orgs${qs}`);
    assertError(r, 400, 'bad_request');
  }
  assertError(await admin.get('/api/v1/orgs?parent=1&colour=red'), 400, 'bad_request', 'colour');
  assertError(await admin.get('/api/v1/orgs?parent=1&limit=501'), 400, 'bad_request', 'limit');
  assertError(await admin.get('/api/v1/orgs?parent=99999999'), 404, 'not_found');
});

test('create a district, a street and an enterprise with a valid credit code', async () => {
  const d = await createOrg(admin, { ...district(), code: 'D-01' });
  assert.equal(d.kind, 'district');
  assert.equal(d.parent_id, 1);
  assert.equal(d.path, `/1/${d.id}/`);
  assert.equal(d.code, 'D-01');
  const s = await createOrg(admin, { parent_id: d.id, kind: 'street', name: uniq('街道') });
  assert.equal(s.path, `${d.path}${s.id}/`);
  const code = randomUscc();
  const e = await createOrg(admin, {
    parent_id: s.id, kind: 'enterprise', name: uniq('宁波测试有限公司'), uscc: code, industry: 'C',
    ownership: 'private', employees: 321, above_scale: true, has_union: true,
  });
  assert.equal(e.uscc, code);
  assert.equal(e.uscc_note, null);
  assert.equal(e.industry, 'C');
  assert.equal(e.ownership, 'private');
  assert.equal(e.employees, 321);
  assert.equal(e.above_scale, true);
  assert.equal(e.has_union, true);
  assert.equal(e.path, `${s.path}${e.id}/`);
  assert.deepEqual(await getOrg(admin, e.id), e);
  // enterprises may also sit in a park or directly in a district
  const p = await createOrg(admin, { parent_id: d.id, kind: 'park', name: uniq('园区') });
  await createOrg(admin, { parent_id: p.id, kind: 'enterprise', name: uniq('园区企业'), uscc: randomUscc() });
  await createOrg(admin, { parent_id: d.id, kind: 'enterprise', name: uniq('区属企业') });
  await createOrg(admin, { parent_id: s.id, kind: 'department', name: uniq('街道部门') });
});

test('credit code: wrong check character → 422 naming uscc; bad characters and length too', async () => {
  const s = await createOrg(admin, { parent_id: JB, kind: 'street', name: uniq('街道') });
  const base = { parent_id: s.id, kind: 'enterprise', name: uniq('企业') };
  assertError(await admin.post('/api/v1/orgs', { ...base, uscc: badCheckUscc() }), 422, 'validation_failed', 'uscc');
  const good = randomUscc();
  for (const bad of [good.slice(0, 17) + 'I', 'I' + good.slice(1), good.toLowerCase(), 'O'.repeat(18),
    good.slice(0, 17), good + '0', '91330205MA2 00001X']) {
    assertError(await admin.post('/api/v1/orgs', { ...base, uscc: bad }), 422, 'validation_failed', 'uscc');
  }
  assertError(await admin.post('/api/v1/orgs', { ...base, uscc: 123456789012345678 }), 422, 'validation_failed', 'uscc');
  // nothing was created
  const r = await admin.get(`/api/v1/orgs?parent=${s.id}`);
  assert.equal(r.json.total, 0);
});

test('credit code: an admin may accept a failing check character with uscc_override_reason', async () => {
  const s = await createOrg(admin, { parent_id: YJ, kind: 'enterprise', name: uniq('先导企业'), uscc: randomUscc() });
  const bad = badCheckUscc();
  const reason = '2015年试点期间颁发的早期代码';
  const e = await createOrg(admin, {
    parent_id: YJ, kind: 'enterprise', name: uniq('试点企业'), uscc: bad, uscc_override_reason: reason,
  });
  assert.equal(e.uscc, bad);
  assert.equal(e.uscc_note, reason);
  assert.equal((await getOrg(admin, e.id)).uscc_note, reason);
  // an edit of something else keeps the accepted code
  const p = await admin.patch(`/api/v1/orgs/${e.id}`, { employees: 12 });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.uscc, bad);
  assert.equal(p.json.uscc_note, reason);
  // an operator may not override
  assertError(await yongjiang.post('/api/v1/orgs', {
    parent_id: YJ, kind: 'enterprise', name: uniq('企业'), uscc: badCheckUscc(), uscc_override_reason: '早期代码',
  }), 403, 'forbidden', 'uscc_override_reason');
  // a reason for a valid code is refused
  assertError(await admin.post('/api/v1/orgs', {
    parent_id: YJ, kind: 'enterprise', name: uniq('企业'), uscc: randomUscc(), uscc_override_reason: '无需',
  }), 422, 'validation_failed', 'uscc_override_reason');
  // characters outside the alphabet cannot be overridden
  assertError(await admin.post('/api/v1/orgs', {
    parent_id: YJ, kind: 'enterprise', name: uniq('企业'), uscc: 'I'.repeat(18), uscc_override_reason: '早期代码',
  }), 422, 'validation_failed', 'uscc');
  assert.ok(s.id);
});

test('duplicate credit code → 409; duplicate sibling name → 409; same name elsewhere is fine', async () => {
  const code = randomUscc();
  const name = uniq('重名企业');
  const e = await createOrg(admin, { parent_id: YJ, kind: 'enterprise', name, uscc: code });
  assertError(await admin.post('/api/v1/orgs', { parent_id: ZQ, kind: 'enterprise', name: uniq('别的企业'), uscc: code }),
    409, 'conflict', 'uscc');
  assertError(await admin.post('/api/v1/orgs', { parent_id: YJ, kind: 'enterprise', name }), 409, 'conflict', 'name');
  // same name under another parent
  const other = await createOrg(admin, { parent_id: ZQ, kind: 'enterprise', name });
  assert.notEqual(other.id, e.id);
  const dn = uniq('重名区');
  await createOrg(admin, district(dn));
  assertError(await admin.post('/api/v1/orgs', district(dn)), 409, 'conflict', 'name');
});

test('a kind under a wrong parent → 422 naming kind', async () => {
  const cases = [
    { parent_id: 1, kind: 'street' },
    { parent_id: 1, kind: 'park' },
    { parent_id: JB, kind: 'district' },
    { parent_id: YJ, kind: 'street' },
    { parent_id: YJ, kind: 'park' },
    { parent_id: E_YJ, kind: 'enterprise' },
    { parent_id: E_YJ, kind: 'department' },
  ];
  for (const c of cases) {
    const r = await admin.post('/api/v1/orgs', { ...c, name: uniq('错位') });
    assertError(r, 422, 'validation_failed', 'kind');
  }
  // city is not a kind one creates
  assertError(await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'city', name: uniq('市') }), 422,
    'validation_failed', 'kind');
  assertError(await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'galaxy', name: uniq('x') }), 422,
    'validation_failed', 'kind');
});

test('bad input: unknown field, wrong types, missing fields, lengths', async () => {
  assertError(await admin.post('/api/v1/orgs', { ...district(), colour: 'red' }), 400, 'bad_request', 'colour');
  assertError(await admin.post('/api/v1/orgs', { ...district(), path: '/1/' }), 400, 'bad_request', 'path');
  assertError(await admin.post('/api/v1/orgs', { ...district(), id: 5 }), 400, 'bad_request', 'id');
  const wrong = [
    [{ employees: 'many' }, 'employees'],
    [{ employees: 1.5 }, 'employees'],
    [{ employees: -1 }, 'employees'],
    [{ name: 123 }, 'name'],
    [{ name: null }, 'name'],
    [{ name: ['a'] }, 'name'],
    [{ parent_id: '1' }, 'parent_id'],
    [{ parent_id: 0 }, 'parent_id'],
    [{ parent_id: -3 }, 'parent_id'],
    [{ above_scale: 'yes' }, 'above_scale'],
    [{ has_union: 1 }, 'has_union'],
    [{ ownership: 'public' }, 'ownership'],
    [{ kind: 7 }, 'kind'],
    [{ industry: 'TOOLONG' }, 'industry'],
    [{ code: 'x'.repeat(33) }, 'code'],
  ];
  for (const [patch, field] of wrong) {
    const r = await admin.post('/api/v1/orgs', { ...district(), ...patch });
    assertError(r, 422, 'validation_failed', field);
  }
  const d = district();
  delete d.name;
  assertError(await admin.post('/api/v1/orgs', d), 422, 'validation_failed', 'name');
  assertError(await admin.post('/api/v1/orgs', { kind: 'district', name: uniq('x') }), 422, 'validation_failed', 'parent_id');
  assertError(await admin.post('/api/v1/orgs', { parent_id: 1, name: uniq('x') }), 422, 'validation_failed', 'kind');
  // name length: 100 characters is fine, 101 is not (counted in characters:
  // 101 CJK characters are refused too); empty is not. Long multi-byte
  // names that must round-trip are in 90-limits.test.mjs.
  const n100 = uniq('n').slice(0, 20).padEnd(100, 'x');
  assert.equal(n100.length, 100);
  const ok = await admin.post('/api/v1/orgs', district(n100));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.name, n100);
  assertError(await admin.post('/api/v1/orgs', district(n100 + 'x')), 422, 'validation_failed', 'name');
  assertError(await admin.post('/api/v1/orgs', district('长'.repeat(101))), 422, 'validation_failed', 'name');
  assertError(await admin.post('/api/v1/orgs', district('')), 422, 'validation_failed', 'name');
  assertError(await admin.post('/api/v1/orgs', district('a\u0001b')), 422, 'validation_failed', 'name');
  // NUL inside a JSON string is refused by the parser
  assertError(await admin.post('/api/v1/orgs', district('a\u0000b')), 400, 'bad_request');
  // unknown parent → 404 naming parent_id
  assertError(await admin.post('/api/v1/orgs', { parent_id: 99999999, kind: 'district', name: uniq('x') }),
    404, 'not_found', 'parent_id');
});

test('a SQL-looking name is stored verbatim and harmless', async () => {
  const name = `x'; DROP TABLE orgs; -- ${uniq()}`;
  const before = await admin.get('/api/v1/orgs?under=1&count=true&limit=1');
  const d = await createOrg(admin, district(name));
  assert.equal(d.name, name);
  assert.equal((await getOrg(admin, d.id)).name, name);
  const found = await admin.get(`/api/v1/orgs?under=1&q=${encodeURIComponent(name)}`);
  assert.equal(found.status, 200);
  assert.deepEqual(found.json.items.map((o) => o.id), [d.id]);
  const after = await admin.get('/api/v1/orgs?under=1&limit=1');
  assert.equal(after.status, 200);
  assert.equal(after.json.total, before.json.total + 1, 'the table is still there, one row more');
  // other quoting shapes, in names and in searches
  for (const n of [`a"b\\c ${uniq()}`, `1 OR 1=1 ${uniq()}`, `<script>alert(1)</script>${uniq()}`, `${uniq()}%_!`]) {
    const o = await createOrg(admin, district(n));
    assert.equal(o.name, n);
  }
  for (const q of [`' OR '1'='1`, '%', '_', '!', '%%', `"); --`]) {
    const r = await admin.get(`/api/v1/orgs?under=${d.id}&q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    assert.equal(r.json.items.length, 0, `q=${q} matches literally, not as a pattern`);
  }
});

test('bodies: invalid UTF-8 → 400, malformed JSON → 400, over 1 MiB → 413, other shapes → 400', async () => {
  const invalid = Buffer.concat([
    Buffer.from('{"parent_id":1,"kind":"district","name":"bad'),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('"}'),
  ]);
  assertError(await admin.post('/api/v1/orgs', invalid), 400, 'bad_request');
  // an overlong encoding of '/' and a lone surrogate
  assertError(await admin.post('/api/v1/orgs', Buffer.concat([
    Buffer.from('{"parent_id":1,"kind":"district","name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}'),
  ])), 400, 'bad_request');
  assertError(await admin.post('/api/v1/orgs', Buffer.concat([
    Buffer.from('{"parent_id":1,"kind":"district","name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}'),
  ])), 400, 'bad_request');
  for (const bad of ['{"parent_id":1,', '{parent_id:1}', "{'a':1}", '{"a":1}}', 'null', '[]', '"x"', '1', '',
    '{"parent_id":1,"parent_id":2,"kind":"district","name":"dup"}']) {
    assertError(await admin.post('/api/v1/orgs', bad), 400, 'bad_request');
  }
  // deep nesting
  const deep = '{"name":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  assertError(await admin.post('/api/v1/orgs', deep), 400, 'bad_request');
  // over the 1 MiB body limit: sent raw, because the server may answer from
  // Content-Length and close while the client is still sending
  const big = JSON.stringify({ ...district(), code: 'x'.repeat((1 << 20) + 10) });
  const head = `POST /api/v1/orgs HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nContent-Type: application/json\r\n` +
    `Cookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrf}\r\n`;
  let r = await rawHttp(`${head}Content-Length: ${Buffer.byteLength(big)}\r\nConnection: close\r\n\r\n`, { body: big });
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.equal(JSON.parse(r.text).error.code, 'payload_too_large');
  // the same without a Content-Length (chunked): refused once the body passes the limit
  const hex = Buffer.byteLength(big).toString(16);
  r = await rawHttp(`${head}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${hex}\r\n${big}\r\n0\r\n\r\n`);
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.equal(JSON.parse(r.text).error.code, 'payload_too_large');
  // just under the limit is parsed (and refused for its content, not its size)
  const under = JSON.stringify({ ...district(), code: 'x'.repeat((1 << 20) - 200) });
  assert.ok(Buffer.byteLength(under) < (1 << 20));
  assertError(await admin.post('/api/v1/orgs', under), 422, 'validation_failed', 'code');
  // the server is fine afterwards
  assert.equal((await admin.get('/api/v1/orgs')).status, 200);
});

test('PATCH an org: changes, bad input, conflicts, unknown id', async () => {
  const d = await createOrg(admin, district());
  const s = await createOrg(admin, { parent_id: d.id, kind: 'street', name: uniq('街道') });
  const s2 = await createOrg(admin, { parent_id: d.id, kind: 'street', name: uniq('街道') });
  const e = await createOrg(admin, { parent_id: s.id, kind: 'enterprise', name: uniq('企业'), uscc: randomUscc() });
  const e2 = await createOrg(admin, { parent_id: s.id, kind: 'enterprise', name: uniq('企业'), uscc: randomUscc() });
  const newName = uniq('改名企业');
  let r = await admin.patch(`/api/v1/orgs/${e.id}`, { name: newName, employees: 77, code: 'E7', ownership: 'state' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, newName);
  assert.equal(r.json.employees, 77);
  assert.equal(r.json.code, 'E7');
  assert.equal(r.json.ownership, 'state');
  assert.equal(r.json.uscc, e.uscc, 'untouched fields stay');
  assert.equal(r.json.path, e.path);
  assert.deepEqual(await getOrg(admin, e.id), r.json);
  r = await admin.patch(`/api/v1/orgs/${e.id}`, { code: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.code, null);
  // a new valid code replaces the old one
  const c2 = randomUscc();
  r = await admin.patch(`/api/v1/orgs/${e.id}`, { uscc: c2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.uscc, c2);

  assertError(await admin.patch(`/api/v1/orgs/${e.id}`, { colour: 'red' }), 400, 'bad_request', 'colour');
  assertError(await admin.patch(`/api/v1/orgs/${e.id}`, { parent_id: s2.id }), 400, 'bad_request', 'parent_id');
  assertError(await admin.patch(`/api/v1/orgs/${e.id}`, { kind: 'street' }), 400, 'bad_request', 'kind');
  assertError(await admin.patch(`/api/v1/orgs/${e.id}`, { employees: 'x' }), 422, 'validation_failed', 'employees');
  assertError(await admin.patch(`/api/v1/orgs/${e.id}`, { name: '' }), 422, 'validation_failed', 'name');
  assertError(await admin.patch(`/api/v1/orgs/${e.id}`, { uscc: badCheckUscc() }), 422, 'validation_failed', 'uscc');
  assertError(await admin.patch(`/api/v1/orgs/${e.id}`, { uscc: e2.uscc }), 409, 'conflict', 'uscc');
  assertError(await admin.patch(`/api/v1/orgs/${e2.id}`, { name: newName }), 409, 'conflict');
  assertError(await admin.patch(`/api/v1/orgs/${s2.id}`, { name: s.name }), 409, 'conflict', 'name');
  assertError(await admin.patch('/api/v1/orgs/99999999', { name: 'x' }), 404, 'not_found');
  // the failed edits changed nothing
  const now = await getOrg(admin, e.id);
  assert.equal(now.name, newName);
  assert.equal(now.uscc, c2);
  assert.equal((await getOrg(admin, e2.id)).name, e2.name);
});

test('move re-paths the whole subtree; moving into its own subtree → 422 and nothing changes', async () => {
  const a = await createOrg(admin, district(uniq('甲区')));
  const b = await createOrg(admin, district(uniq('乙区')));
  const s = await createOrg(admin, { parent_id: a.id, kind: 'street', name: uniq('移动街道') });
  const e1 = await createOrg(admin, { parent_id: s.id, kind: 'enterprise', name: uniq('企业'), uscc: randomUscc() });
  const e2 = await createOrg(admin, { parent_id: s.id, kind: 'enterprise', name: uniq('企业') });
  const dep = await createOrg(admin, { parent_id: s.id, kind: 'department', name: uniq('部门') });
  assert.equal(e1.path, `/1/${a.id}/${s.id}/${e1.id}/`);

  const r = await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: b.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, s.id);
  assert.equal(r.json.parent_id, b.id);
  assert.equal(r.json.path, `/1/${b.id}/${s.id}/`);
  for (const child of [e1, e2, dep]) {
    const g = await getOrg(admin, child.id);
    assert.equal(g.path, `/1/${b.id}/${s.id}/${child.id}/`, `${child.name} re-pathed`);
    assert.equal(g.parent_id, s.id);
    assert.equal(g.depth, child.depth);
  }
  assert.equal((await admin.get(`/api/v1/orgs?parent=${a.id}`)).json.total, 0);
  assert.deepEqual((await admin.get(`/api/v1/orgs?parent=${b.id}`)).json.items.map((o) => o.id), [s.id]);
  const subB = await admin.get(`/api/v1/orgs?under=${b.id}&limit=500`);
  for (const o of [s, e1, e2, dep]) assert.ok(subB.json.items.some((x) => x.id === o.id));
  const subA = await admin.get(`/api/v1/orgs?under=${a.id}&limit=500`);
  assert.ok(!subA.json.items.some((x) => [s.id, e1.id, e2.id, dep.id].includes(x.id)));

  // into its own subtree, or under itself → 422 naming parent_id
  const snapB = await getOrg(admin, b.id);
  const snapS = await getOrg(admin, s.id);
  const snapE = await getOrg(admin, e1.id);
  assertError(await admin.post(`/api/v1/orgs/${b.id}/move`, { parent_id: s.id }), 422, 'validation_failed', 'parent_id');
  assertError(await admin.post(`/api/v1/orgs/${b.id}/move`, { parent_id: e1.id }), 422, 'validation_failed', 'parent_id');
  assertError(await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: s.id }), 422, 'validation_failed', 'parent_id');
  assertError(await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: e1.id }), 422, 'validation_failed', 'parent_id');
  // a kind that cannot sit there
  assertError(await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: 1 }), 422, 'validation_failed', 'parent_id');
  assertError(await admin.post(`/api/v1/orgs/${b.id}/move`, { parent_id: JB }), 422, 'validation_failed', 'parent_id');
  // the root does not move
  const rm = await admin.post('/api/v1/orgs/1/move', { parent_id: b.id });
  assertError(rm, 422, 'validation_failed', 'parent_id');
  // unknown parent, bad body
  assertError(await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: 99999999 }), 404, 'not_found', 'parent_id');
  assertError(await admin.post(`/api/v1/orgs/${s.id}/move`, {}), 422, 'validation_failed', 'parent_id');
  assertError(await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: 'x' }), 422, 'validation_failed', 'parent_id');
  assertError(await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: b.id, name: 'x' }), 400, 'bad_request', 'name');
  assertError(await admin.post(`/api/v1/orgs/99999999/move`, { parent_id: b.id }), 404, 'not_found');
  // nothing changed
  assert.deepEqual(await getOrg(admin, b.id), snapB);
  assert.deepEqual(await getOrg(admin, s.id), snapS);
  assert.deepEqual(await getOrg(admin, e1.id), snapE);

  // a name clash at the new parent → 409
  const dup = await createOrg(admin, { parent_id: a.id, kind: 'street', name: s.name });
  assertError(await admin.post(`/api/v1/orgs/${dup.id}/move`, { parent_id: b.id }), 409, 'conflict', 'parent_id');
  assert.equal((await getOrg(admin, dup.id)).parent_id, a.id);

  // moving back restores the paths
  const back = await admin.post(`/api/v1/orgs/${s.id}/move`, { parent_id: JB });
  assert.equal(back.status, 200, back.text);
  assert.equal((await getOrg(admin, e2.id)).path, `/1/${JB}/${s.id}/${e2.id}/`);
});

test('move: a district admin cannot move into or out of its district; operators cannot move', async () => {
  const s = await createOrg(jiangbei, { parent_id: JB, kind: 'street', name: uniq('江北新街道') });
  const e = await createOrg(jiangbei, { parent_id: s.id, kind: 'enterprise', name: uniq('企业') });
  assertError(await jiangbei.post(`/api/v1/orgs/${s.id}/move`, { parent_id: HS }), 404, 'not_found', 'parent_id');
  const hsStreet = await createOrg(admin, { parent_id: HS, kind: 'street', name: uniq('海曙新街道') });
  assertError(await jiangbei.post(`/api/v1/orgs/${hsStreet.id}/move`, { parent_id: JB }), 404, 'not_found');
  // within the district it works
  const r = await jiangbei.post(`/api/v1/orgs/${e.id}/move`, { parent_id: YJ });
  assert.equal(r.status, 200, r.text);
  assertError(await yongjiang.post(`/api/v1/orgs/${e.id}/move`, { parent_id: YJ }), 403, 'forbidden');
  assertError(await viewer.post(`/api/v1/orgs/${e.id}/move`, { parent_id: s.id }), 403, 'forbidden');
  assert.equal((await getOrg(admin, e.id)).parent_id, YJ);
});

test('operator: creates and edits enterprises under its street, not streets or the street itself', async () => {
  const e = await createOrg(yongjiang, { parent_id: YJ, kind: 'enterprise', name: uniq('甬江新企业'), uscc: randomUscc() });
  assert.equal(e.parent_id, YJ);
  const p = await yongjiang.patch(`/api/v1/orgs/${e.id}`, { employees: 99, has_union: true });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.employees, 99);
  assert.equal((await yongjiang.patch(`/api/v1/orgs/${E_YJ}`, { employees: 861 })).status, 200);
  // not a street, a park or a department
  assertError(await yongjiang.post('/api/v1/orgs', { parent_id: YJ, kind: 'street', name: uniq('x') }), 403, 'forbidden');
  assertError(await yongjiang.post('/api/v1/orgs', { parent_id: YJ, kind: 'department', name: uniq('x') }), 403, 'forbidden');
  // not outside its street (the district is not visible to it)
  assertError(await yongjiang.post('/api/v1/orgs', { parent_id: JB, kind: 'street', name: uniq('x') }), 404, 'not_found', 'parent_id');
  assertError(await yongjiang.post('/api/v1/orgs', { parent_id: JB, kind: 'enterprise', name: uniq('x') }), 404, 'not_found', 'parent_id');
  // the street itself is not an operator's to edit
  assertError(await yongjiang.patch(`/api/v1/orgs/${YJ}`, { name: '甬江街道（改）' }), 403, 'forbidden');
  assert.equal((await getOrg(admin, YJ)).name, '甬江街道');
});

test('viewer, security admin, auditor, department and expert cannot write orgs', async () => {
  const target = await createOrg(admin, { parent_id: YJ, kind: 'enterprise', name: uniq('只读企业') });
  const body = { parent_id: YJ, kind: 'enterprise', name: uniq('x') };
  for (const c of [viewer, sec, auditor, renshe, expert]) {
    assertError(await c.post('/api/v1/orgs', body), 403, 'forbidden');
    assertError(await c.patch(`/api/v1/orgs/${target.id}`, { employees: 5 }), 403, 'forbidden');
    assertError(await c.post(`/api/v1/orgs/${target.id}/move`, { parent_id: ZQ }), 403, 'forbidden');
  }
  assert.equal((await getOrg(admin, target.id)).employees, 0);
  // the viewer reads its district
  assert.equal((await viewer.get(`/api/v1/orgs/${YJ}`)).status, 200);
  assert.equal((await viewer.get(`/api/v1/orgs?under=${JB}&limit=5`)).status, 200);
});

test('scope: the 庄桥 operator gets 404 for 甬江 and everything in it, and never sees other streets', async () => {
  const notFound = await zhuangqiao.get('/api/v1/orgs/99999999');
  assertError(notFound, 404, 'not_found');
  const hidden = await zhuangqiao.get(`/api/v1/orgs/${YJ}`);
  assertError(hidden, 404, 'not_found');
  assert.equal(hidden.text, notFound.text, 'hidden and missing look the same');
  assertError(await zhuangqiao.get(`/api/v1/orgs/${E_YJ}`), 404, 'not_found');
  assertError(await zhuangqiao.get(`/api/v1/orgs/${JB}`), 404, 'not_found');
  assertError(await zhuangqiao.get('/api/v1/orgs/1'), 404, 'not_found');
  assertError(await zhuangqiao.get(`/api/v1/orgs?parent=${YJ}`), 404, 'not_found');
  assertError(await zhuangqiao.get(`/api/v1/orgs?under=${YJ}`), 404, 'not_found');
  assertError(await zhuangqiao.get(`/api/v1/orgs?parent=${JB}`), 404, 'not_found');
  assertError(await zhuangqiao.get('/api/v1/orgs?under=1&q=%E7%94%AC%E6%B1%9F'), 404, 'not_found');
  assertError(await zhuangqiao.patch(`/api/v1/orgs/${E_YJ}`, { employees: 1 }), 404, 'not_found');
  assertError(await zhuangqiao.post('/api/v1/orgs', { parent_id: YJ, kind: 'enterprise', name: uniq('x') }),
    404, 'not_found', 'parent_id');
  // its own subtree: 庄桥 and its enterprises only
  const own = await zhuangqiao.get(`/api/v1/orgs?under=${ZQ}&limit=500`);
  assert.equal(own.status, 200);
  const zqPath = (await getOrg(zhuangqiao, ZQ)).path;
  assert.ok(own.json.items.length >= 3);
  assert.ok(own.json.items.every((o) => o.path.startsWith(zqPath)), 'only 庄桥’s subtree');
  assert.ok(!own.json.items.some((o) => o.kind === 'street' && o.id !== ZQ));
  assert.ok(own.json.items.some((o) => o.id === E_ZQ));
  const kids = await zhuangqiao.get(`/api/v1/orgs?parent=${ZQ}&limit=500`);
  assert.ok(kids.json.items.every((o) => o.parent_id === ZQ));
  // a search that would match other streets' enterprises finds only its own
  const q = await zhuangqiao.get(`/api/v1/orgs?under=${ZQ}&q=${encodeURIComponent('宁波')}&limit=500`);
  assert.ok(q.json.items.length >= 1);
  assert.ok(q.json.items.every((o) => o.path.startsWith(zqPath)));
});

test('scope: a district admin sees its district, not another district', async () => {
  assert.equal((await jiangbei.get(`/api/v1/orgs/${YJ}`)).status, 200);
  assert.equal((await jiangbei.get(`/api/v1/orgs/${E_ZQ}`)).status, 200);
  assertError(await jiangbei.get(`/api/v1/orgs/${HS}`), 404, 'not_found');
  assertError(await jiangbei.get(`/api/v1/orgs?parent=${HS}`), 404, 'not_found');
  assertError(await jiangbei.patch(`/api/v1/orgs/${HS}`, { name: 'x' }), 404, 'not_found');
  assertError(await jiangbei.post('/api/v1/orgs', { parent_id: HS, kind: 'street', name: uniq('x') }), 404, 'not_found', 'parent_id');
  assertError(await jiangbei.post('/api/v1/orgs', district()), 404, 'not_found', 'parent_id');
  const sub = await jiangbei.get(`/api/v1/orgs?under=${JB}&limit=500`);
  const jbPath = (await getOrg(jiangbei, JB)).path;
  assert.ok(sub.json.items.every((o) => o.path.startsWith(jbPath)));
  // a department user sees its department only
  assertError(await renshe.get(`/api/v1/orgs/${YJ}`), 404, 'not_found');
  assertError(await renshe.get(`/api/v1/orgs/${JB}`), 404, 'not_found');
});

test('path ids: non-numeric, zero and huge ids do not match the route', async () => {
  for (const p of ['/api/v1/orgs/abc', '/api/v1/orgs/0', '/api/v1/orgs/01', '/api/v1/orgs/-1',
    '/api/v1/orgs/99999999999999999999', '/api/v1/orgs/1.5']) {
    const r = await admin.get(p);
    assertError(r, 404);
  }
  // sanity: the known usccCheck vector (GB 32100 example 91350100M000100Y43)
  assert.equal(uscc('91350100M000100Y4'), '91350100M000100Y43');
});
