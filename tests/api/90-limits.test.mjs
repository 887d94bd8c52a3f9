// Text fields at their documented maximum length (counted in characters)
// must be stored and returned whole, also when the characters are
// multi-byte (Chinese names are the normal case here). Runs late: a failure
// here can leave a record that upsets listings (see the last test).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  login, orgId, createOrg, uniq, uname, strongPassword, badCheckUscc, tryLogin, sql, rawHttp,
} from './lib.mjs';

let admin, sec, JB;

before(async () => {
  admin = await login('admin');
  sec = await login('secadmin');
  JB = await orgId(admin, '江北区');
});

// n characters: a unique ASCII head, then CJK. The head is the end of
// uniq(): its counter and random part differ between calls, its start not.
function cjk(n, head = uniq('')) {
  const h = head.slice(-Math.min(head.length, 10));
  return h + '长'.repeat(n - h.length);
}

test('org name of 100 Chinese characters (the maximum) is stored whole', async () => {
  const name = '长'.repeat(94) + uniq('').slice(-6);
  assert.equal([...name].length, 100);
  const r = await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, name);
});

test('org name of 100 characters, ASCII then Chinese, is not truncated', async () => {
  const name = cjk(100);
  assert.equal([...name].length, 100);
  const r = await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name });
  assert.equal(r.status, 201, r.text);
  assert.equal([...r.json.name].length, 100, `stored ${[...r.json.name].length} characters`);
  assert.equal(r.json.name, name);
  const g = await admin.get(`/api/v1/orgs/${r.json.id}`);
  assert.equal(g.json.name, name);
});

test('PATCH an org name to 100 Chinese characters', async () => {
  const d = await createOrg(admin, { parent_id: 1, kind: 'district', name: uniq('短名') });
  const name = cjk(100);
  const r = await admin.patch(`/api/v1/orgs/${d.id}`, { name });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, name, `stored ${[...r.json.name].length} characters`);
});

test('org code of 32 Chinese characters (the maximum) is not truncated', async () => {
  const code = '码'.repeat(32);
  const r = await admin.post('/api/v1/orgs', { parent_id: 1, kind: 'district', name: uniq('码区'), code });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.code, code, `stored ${r.json.code && [...r.json.code].length} characters`);
});

test('uscc_override_reason of 200 Chinese characters (the maximum) is kept whole in uscc_note', async () => {
  const reason = '理'.repeat(200);
  const r = await admin.post('/api/v1/orgs', {
    parent_id: JB, kind: 'enterprise', name: uniq('理由企业'), uscc: badCheckUscc(), uscc_override_reason: reason,
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.uscc_note, reason, `stored ${r.json.uscc_note && [...r.json.uscc_note].length} characters`);
});

test('an industry value within its 4 characters is stored, or refused naming industry', async () => {
  const r = await admin.post('/api/v1/orgs', { parent_id: JB, kind: 'enterprise', name: uniq('行业企业'), industry: '制造业' });
  if (r.status === 201) {
    assert.equal(r.json.industry, '制造业');
  } else {
    assert.equal(r.status, 422, r.text);
    const fields = (r.json.error.details || []).map((d) => d.field);
    assert.ok(fields.includes('industry'), `the error names industry: ${r.text}`);
  }
});

test('a code label of 64 Chinese characters (the maximum) is stored whole', async () => {
  const label = '标'.repeat(64);
  const r = await admin.put('/api/v1/codes/honour_type/LIM64', { label_zh: label, label_en: 'Limit' });
  assert.ok(r.status === 201 || r.status === 200, r.text);
  assert.equal(r.json.label_zh, label);
  const l = await admin.get('/api/v1/codes/honour_type');
  assert.equal(l.json.items.find((x) => x.code === 'LIM64').label_zh, label);
});

test('a user name of 64 characters, ASCII then Chinese, is not truncated', async () => {
  const name = 'a' + '名'.repeat(63);
  const r = await sec.post('/api/v1/users', { username: uname('lim'), name, password: strongPassword() });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, name, `stored ${[...r.json.name].length} characters`);
});

// Last: with the server at fault this user breaks every listing that
// includes it, so the test renames it afterwards.
test('a user name of 64 Chinese characters (the maximum): created, listed, and able to log in', async () => {
  const name = '名'.repeat(64);
  const username = uname('cjk');
  const pw = strongPassword();
  const r = await sec.post('/api/v1/users', { username, name, password: pw });
  let id = r.json && r.json.id;
  try {
    assert.equal(r.status, 201, `create: ${r.status} ${r.text}`);
    assert.equal(r.json.name, name);
    const list = await sec.get(`/api/v1/users?q=${username}`);
    assert.equal(list.status, 200, `list: ${list.status} ${list.text}`);
    assert.equal(list.json.items[0].name, name);
    const l = await tryLogin(username, pw);
    assert.equal(l.status, 200, `login: ${l.status} ${l.text}`);
    assert.equal(l.json.user.name, name);
  } finally {
    // repair: find the account even when the create answer was an error
    if (!id) id = Number(sql(`SELECT id FROM users WHERE username = '${username}'`)) || 0;
    if (id) await sec.patch(`/api/v1/users/${id}`, { name: '已修复' });
  }
});

// Request smuggling: a message whose end two parsers could see differently
// is refused, and its connection closed, so nothing rides in its body.
test('ambiguous framing is refused with JSON and the connection closes', async () => {
  const body = '{"username":"x","password":"y"}';
  const smuggled = 'GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n';
  const head = 'POST /api/v1/session HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n';
  const cases = [
    `${head}Content-Length: ${body.length}\r\nContent-Length: ${body.length + smuggled.length}\r\n\r\n${body}${smuggled}`,
    `${head}Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n\r\n${body}${smuggled}`,
    `${head}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n${smuggled}`,
    `${head}Content-Length : ${body.length}\r\n\r\n${body}${smuggled}`,
    // a coding we do not speak, and two codings: a proxy may frame either
    // as chunked where we would not
    `${head}Transfer-Encoding: xchunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n${smuggled}`,
    `${head}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n${smuggled}`,
  ];
  for (const text of cases) {
    const r = await rawHttp(text);
    assert.equal(r.status, 400, r.text.slice(0, 200));
    assert.match(r.text, /"code":"bad_request"/);
    assert.equal((r.raw.toString('latin1').match(/HTTP\/1\.1 /g) || []).length, 1, 'one answer: the smuggled request is never read');
    assert.match(r.raw.toString('latin1'), /\r\nConnection: close\r\n/i);
  }
});
