// Slow and greedy clients (the server runs with CHANGAI_HEADER_SECONDS=3
// here, 15 in production): who sends a body is known from the headers, so a
// stranger's 200 MiB upload is refused before a byte of it; a route's own
// limit too. Headers dripped a line at a time and a body trickled are cut at
// the deadline; one address cannot hold more than its share of connections,
// and normal requests keep being served meanwhile.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { login, rawHttp, orgId, HOST, PORT, request } from './lib.mjs';

let yj, yjId, plan;

before(async () => {
  yj = await login('yongjiang');
  yjId = await orgId(await login('jiangbei'), '甬江街道');
  const plans = await yj.get('/api/v1/plans?limit=1');
  plan = plans.json.items[0].id;
});

// Sends headers only and says how the server answered within `ms`.
function headersOnly(head, ms = 3000) {
  return rawHttp(head, { timeout: ms });
}

test('an upload without a session is refused from its headers (401), none of its body read', async () => {
  const t0 = process.hrtime.bigint();
  const r = await headersOnly(`POST /api/v1/imports/workers?org=${yjId} HTTP/1.1\r\nHost: ${HOST}\r\n` +
    'Content-Type: text/csv\r\nContent-Length: 209715200\r\n\r\n');
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(r.status, 401, r.text);
  assert.equal(JSON.parse(r.text).error.code, 'unauthenticated');
  assert.ok(ms < 2000, `answered in ${ms} ms, without waiting for the body`);
  assert.equal(r.headers.connection, 'close');
});

test('a session without the CSRF token, or over the route’s limit, is refused from the headers too', async () => {
  const csrfless = await headersOnly(`POST /api/v1/imports/workers?org=${yjId} HTTP/1.1\r\nHost: ${HOST}\r\n` +
    `Cookie: changai_session=${yj.token}\r\nContent-Type: text/csv\r\nContent-Length: 209715200\r\n\r\n`);
  assert.equal(csrfless.status, 403, csrfless.text);
  // a plan template is a document: 10 MiB at most
  const big = await headersOnly(`POST /api/v1/plans/${plan}/import HTTP/1.1\r\nHost: ${HOST}\r\n` +
    `Cookie: changai_session=${yj.token}\r\nX-CSRF-Token: ${yj.csrf}\r\n` +
    'Content-Type: text/csv\r\nContent-Length: 11534336\r\n\r\n');
  assert.equal(big.status, 413, big.text);
});

test('headers dripped a line at a time are cut at the deadline; others are served meanwhile', async () => {
  const sock = net.connect(PORT, HOST);
  await new Promise((res) => sock.on('connect', res));
  sock.write('GET /healthz HTTP/1.1\r\n');
  let closed = false;
  sock.on('close', () => { closed = true; });
  sock.on('error', () => {});
  const drip = setInterval(() => { if (!closed) sock.write('X-Drip: 1\r\n'); }, 700);
  const t0 = process.hrtime.bigint();
  while (!closed && Number(process.hrtime.bigint() - t0) / 1e9 < 9) {
    assert.equal((await request('GET', '/healthz')).status, 200, 'a normal request is served');
    await new Promise((res) => setTimeout(res, 300));
  }
  clearInterval(drip);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  assert.ok(closed, 'the dripping connection was closed');
  assert.ok(s >= 2.5 && s < 7, `closed after ${s.toFixed(1)} s (deadline 3 s)`);
});

test('a body trickled slower than the minimum rate is cut', async () => {
  const sock = net.connect(PORT, HOST);
  await new Promise((res) => sock.on('connect', res));
  let closed = false;
  let answer = '';
  sock.on('data', (d) => { answer += d; });
  sock.on('close', () => { closed = true; });
  sock.on('error', () => {});
  sock.write(`POST /api/v1/imports/workers?org=${yjId} HTTP/1.1\r\nHost: ${HOST}\r\n` +
    `Cookie: changai_session=${yj.token}\r\nX-CSRF-Token: ${yj.csrf}\r\n` +
    'Content-Type: text/csv\r\nContent-Length: 1000000\r\n\r\n');
  const drip = setInterval(() => { if (!closed) sock.write('x'.repeat(20)); }, 500);
  const t0 = process.hrtime.bigint();
  while (!closed && Number(process.hrtime.bigint() - t0) / 1e9 < 10)
    await new Promise((res) => setTimeout(res, 200));
  clearInterval(drip);
  assert.ok(closed, `the trickling upload was cut (${answer.slice(0, 40)})`);
  assert.ok(!answer.startsWith('HTTP/1.1 202'), 'no job was made of it');
});

test('one address holds at most its share of connections; another is still served', async () => {
  const socks = [];
  let refused = 0;
  for (let i = 0; i < 80; i++) {
    const s = net.connect({ port: PORT, host: HOST, localAddress: '127.0.0.9' });
    s.on('error', () => {});
    s.on('close', () => { refused++; });
    socks.push(s);
  }
  await new Promise((res) => setTimeout(res, 800));
  assert.ok(refused >= 80 - 64, `${refused} of 80 closed at once (the cap is 64 an address)`);
  assert.ok(refused < 80, 'the first ones were accepted');
  assert.equal((await request('GET', '/healthz')).status, 200, 'another address is served');
  for (const s of socks) s.destroy();
});
