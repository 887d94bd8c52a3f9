// Health, metrics, the OpenAPI document, unknown paths and methods, security
// headers, static files (path traversal), and the header/URL limits.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { login, request, rawHttp, rawGet, assertError, HOST, PORT, BIN } from './lib.mjs';

let admin;

before(async () => {
  admin = await login('admin');
});

// every {HTTP_METHOD, "/api/..."} entry of the route tables the server
// links: the server's own (http_routes) and those of every module the
// registry (src/modules.c) lists, each named in its src/NAME/module.c
function sourceRoutes() {
  const src = fileURLToPath(new URL('../../src', import.meta.url));
  const registry = readFileSync(join(src, 'modules.c'), 'utf8');
  const list = /modules\[\]\s*=\s*\{([^}]*)\}/.exec(registry);
  assert.ok(list, 'src/modules.c lists the modules');
  const names = ['http_routes'];
  for (const entry of list[1].split(',').map((x) => x.trim()).filter((x) => x && x !== 'NULL')) {
    const mod = /^&(\w+)_module$/.exec(entry);
    assert.ok(mod, `registry entry ${entry}`);
    const text = readFileSync(join(src, mod[1], 'module.c'), 'utf8');
    const block = /routes\[\]\s*=\s*\{([^}]*)\}/.exec(text);
    if (!block) continue;
    names.push(...block[1].split(',').map((x) => x.trim()).filter((x) => x && x !== 'NULL'));
  }
  const files = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.c')) files.push(p);
    }
  };
  walk(src);
  const routes = [];
  for (const name of names) {
    let found = false;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const start = text.search(new RegExp(`const struct route ${name}\\[\\]\\s*=\\s*\\{`));
      if (start < 0) continue;
      found = true;
      const end = text.indexOf('{0, NULL', start);
      const body = text.slice(start, end > 0 ? end : undefined);
      for (const m of body.matchAll(/\{\s*HTTP_(GET|POST|PATCH|PUT|DELETE),\s*"(\/api\/[^"]+)"/g))
        routes.push({ method: m[1].toLowerCase(), path: m[2], table: name });
    }
    assert.ok(found, `route table ${name} found in src/`);
  }
  return routes;
}

function checkSecurityHeaders(h, what) {
  const get = (k) => (typeof h.get === 'function' ? h.get(k) : h[k.toLowerCase()]);
  const csp = get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: frame-ancestors 'none'`);
  assert.match(csp, /default-src 'self'/, `${what}: default-src`);
  assert.equal(get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.ok(get('referrer-policy'), `${what}: Referrer-Policy`);
  assert.match(get('referrer-policy'), /no-referrer|same-origin|strict-origin/, what);
}

test('/healthz → 200 ok', async () => {
  const r = await request('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.text.trim(), 'ok');
  assert.match(r.headers.get('content-type'), /^text\/plain/);
});

test('/metrics: Prometheus text with request counts and open sessions', async () => {
  await request('GET', '/healthz');
  // only for the monitoring system's token
  assert.equal((await request('GET', '/metrics')).status, 404);
  assert.equal((await request('GET', '/metrics', { bearer: 'wrong-token-wrong-token' })).status, 404);
  const r = await request('GET', '/metrics', { bearer: process.env.CHANGAI_METRICS_TOKEN });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  assert.match(r.text, /^# TYPE changai_requests_total counter$/m);
  assert.match(r.text, /^changai_requests_total\{[^}]*route="\/healthz"[^}]*\} \d+$/m);
  assert.match(r.text, /^# TYPE changai_open_sessions gauge$/m);
  // a server on a set clock says so
  assert.match(r.text, new RegExp(`^changai_clock_set ${process.env.CHANGAI_TODAY ? 1 : 0}$`, 'm'));
  const open = /^changai_open_sessions (\d+)$/m.exec(r.text);
  assert.ok(open, 'changai_open_sessions has a value');
  assert.ok(Number(open[1]) >= 1, 'at least our admin session is open');
  // no secrets or personal data in metrics
  assert.ok(!r.text.includes(admin.token));
});

test('openapi x-roles are the roles the code lets through', async () => {
  const doc = (await request('GET', '/api/v1/openapi.json')).json;
  const roles = (p, m) => doc.paths[p][m]['x-roles'].split(/[ ,|]+/).filter(Boolean);
  // reports and evidence come from the task's owners: never a viewer
  for (const [p, m] of [['/api/v1/plans/{id}/nodes/{node_id}/reports', 'post'],
    ['/api/v1/plans/{id}/reports/{report_id}/evidence', 'post']]) {
    assert.ok(!roles(p, m).includes('viewer'), `${m} ${p}: ${roles(p, m)}`);
    assert.ok(roles(p, m).includes('department'), `${m} ${p}: ${roles(p, m)}`);
  }
  const viewer = await login('viewer');
  assertError(await viewer.post('/api/v1/plans/1/nodes/1/reports', { value: 1 }), 403, 'forbidden');
  // every parameterless GET: a role the document leaves out gets 403, one it lists does not
  const users = { viewer: 'viewer', department: 'renshe', expert: 'expert', auditor: 'auditor', security_admin: 'secadmin', admin: 'admin' };
  const clients = {};
  for (const [role, u] of Object.entries(users)) clients[role] = role === 'viewer' ? viewer : await login(u);
  const checked = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    if (p.includes('{') || !ops.get || ops.get['x-roles'] === 'public' || !p.startsWith('/api/')) continue;
    const listed = roles(p, 'get').includes('any') ? Object.keys(users) : roles(p, 'get');
    for (const [role, c] of Object.entries(clients)) {
      const r = await c.get(p);
      const refusedByRole = r.status === 403 && r.json && r.json.error.code === 'forbidden' &&
        /role/.test(r.json.error.message);
      if (listed.includes(role)) assert.ok(!refusedByRole, `GET ${p} lists ${role} but refuses it: ${r.text}`);
      else assert.equal(r.status, 403, `GET ${p} leaves ${role} out but answers ${r.status}`);
      checked.push(`${role} ${p}`);
    }
  }
  assert.ok(checked.length >= 60, `checked ${checked.length} role × route pairs`);
});

test('/api/v1/openapi.json lists every route of the route tables', async () => {
  const r = await request('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const doc = r.json;
  assert.ok(doc && doc.openapi && doc.paths, 'an OpenAPI document');
  for (const p of ['/api/v1/orgs/{id}', '/api/v1/users/{id}/grants/{grant_id}', '/api/v1/audit'])
    assert.ok(doc.paths[p], `documents ${p}`);
  assert.ok(doc.paths['/api/v1/orgs/{id}'].get && doc.paths['/api/v1/orgs/{id}'].patch);
  assert.ok(doc.paths['/api/v1/users/{id}/grants/{grant_id}'].delete);
  assert.ok(doc.paths['/api/v1/audit'].get);
  const routes = sourceRoutes();
  assert.ok(routes.length >= 25, `found the route tables (${routes.length} routes)`);
  const missing = routes.filter((rt) => !(doc.paths[rt.path] && doc.paths[rt.path][rt.method]));
  let stale = '';
  if (missing.length && BIN) {
    // the source may be ahead of the binary under test
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    let newest = 0;
    const walk = (d) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else newest = Math.max(newest, st.mtimeMs);
      }
    };
    walk(src);
    if (statSync(BIN).mtimeMs < newest) stale = ` (note: ${BIN} is older than src/; rebuild it)`;
  }
  assert.deepEqual(missing.map((m) => `${m.method.toUpperCase()} ${m.path}`), [],
    `every route of the registry is documented${stale}`);
  // and nothing is documented that the server does not route
  const known = new Set(routes.map((rt) => `${rt.method} ${rt.path}`));
  const extra = [];
  for (const [p, ops] of Object.entries(doc.paths))
    for (const m of Object.keys(ops)) if (!known.has(`${m} ${p}`)) extra.push(`${m} ${p}`);
  assert.deepEqual(extra, []);
  // request bodies describe their fields and refuse others
  const create = doc.paths['/api/v1/orgs'].post.requestBody.content['application/json'].schema;
  assert.equal(create.additionalProperties, false);
  assert.ok(create.properties.uscc && create.required.includes('name'));
});

test('unknown API path → 404 JSON; wrong method → 405', async () => {
  for (const p of ['/api/v1/nope', '/api/v2/orgs', '/api/v1/orgs/1/nope', '/api', '/api/', '/api/v1/']) {
    const r = await admin.get(p);
    assertError(r, 404, 'not_found');
    assert.match(r.headers.get('content-type'), /^application\/json/);
  }
  for (const [m, p] of [['DELETE', '/api/v1/orgs'], ['PUT', '/api/v1/orgs/1'], ['POST', '/api/v1/audit'],
    ['PATCH', '/api/v1/session'], ['POST', '/api/v1/settings'], ['DELETE', '/api/v1/codes/education']]) {
    const r = await admin.req(m, p, m === 'DELETE' ? undefined : {});
    assertError(r, 405);
    assert.match(r.headers.get('content-type'), /^application\/json/);
  }
  // unauthenticated callers get the same 404 for unknown paths
  assertError(await request('GET', '/api/v1/nope'), 404, 'not_found');
  // an unknown HTTP method
  const raw = await rawHttp(`BREW /api/v1/orgs HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nConnection: close\r\n\r\n`);
  assert.ok(raw.status === 405 || raw.status === 400 || raw.status === 501, `BREW: ${raw.status}`);
});

test('a GET that carries a body → 400', async () => {
  const body = '{"x":1}';
  const r = await rawHttp(`GET /api/v1/orgs?parent=1 HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nCookie: ${admin.cookie}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  assert.equal(r.status, 400, r.text);
});

test('security headers on API, error, health and static responses', async () => {
  checkSecurityHeaders((await admin.get('/api/v1/orgs')).headers, 'API 200');
  checkSecurityHeaders((await request('GET', '/api/v1/orgs')).headers, 'API 401');
  checkSecurityHeaders((await admin.get('/api/v1/nope')).headers, 'API 404');
  checkSecurityHeaders((await request('GET', '/healthz')).headers, '/healthz');
  const root = await request('GET', '/');
  assert.equal(root.status, 200);
  assert.match(root.headers.get('content-type'), /^text\/html/);
  checkSecurityHeaders(root.headers, 'static /');
  const deep = await request('GET', '/some/console/route');
  assert.equal(deep.status, 200, 'client-side routes get index.html');
  checkSecurityHeaders(deep.headers, 'static route');
  const asset = await request('GET', '/assets/app-0123abcd.js');
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type'), /javascript/);
  checkSecurityHeaders(asset.headers, 'static asset');
  const missing = await request('GET', '/assets/missing.js');
  assert.equal(missing.status, 404);
  checkSecurityHeaders(missing.headers, 'static 404');
  // API answers are not cached
  assert.match((await admin.get('/api/v1/session')).headers.get('cache-control') || '', /no-store/);
});

test('static files: path traversal never returns a file outside the console', async () => {
  const paths = [
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
    '/assets/..%2f..%2fsrc/main.c',
    '/assets/../../../../etc/passwd',
    '/..%2f..%2f..%2f..%2fetc/passwd',
    '/..%2fsecret.txt',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..\\secret.txt',
    '/%2e%2e%5csecret.txt',
    '/.%2e/secret.txt',
    '//etc/passwd',
    '/etc/passwd',
    '/proc/self/environ',
    '/assets/%00../secret.txt',
  ];
  for (const p of paths) {
    const r = await rawGet(p);
    assert.ok(r.status !== 0, `${p}: an answer`);
    const body = r.body.toString('latin1');
    assert.ok(!body.includes('root:'), `${p}: no /etc/passwd (${r.status})`);
    assert.ok(!body.includes('#include'), `${p}: no source (${r.status})`);
    assert.ok(!body.includes('CANARY-OUTSIDE-WEB-ROOT'), `${p}: no file beside the web root (${r.status})`);
    assert.ok(!body.includes('CHANGAI_'), `${p}: no environment (${r.status})`);
    assert.ok([200, 400, 403, 404].includes(r.status), `${p}: ${r.status}`);
    if (r.status === 200)
      assert.match(r.headers['content-type'] || '', /^text\/html/, `${p}: at most the console page`);
  }
  // hidden files in the web root are not served either
  const dot = await rawGet('/.git/config');
  assert.ok(!dot.body.toString().includes('[core]'));
});

test('an overlong header (> 8 KB) → 431 JSON', async () => {
  const big = 'a'.repeat(9000);
  const r = await rawHttp(`GET /api/v1/orgs HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nX-Big: ${big}\r\nConnection: close\r\n\r\n`);
  assert.equal(r.status, 431, r.text.slice(0, 200));
  assert.match(r.headers['content-type'] || '', /^application\/json/);
  const j = JSON.parse(r.text);
  assert.ok(j.error && j.error.code);
  // many medium headers add up
  let many = '';
  for (let i = 0; i < 20; i++) many += `X-H${i}: ${'b'.repeat(500)}\r\n`;
  const r2 = await rawHttp(`GET /healthz HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n${many}Connection: close\r\n\r\n`);
  assert.equal(r2.status, 431);
  // a big cookie too
  const r3 = await request('GET', '/api/v1/orgs', { headers: { Cookie: `changai_session=${'c'.repeat(9000)}` } });
  assert.equal(r3.status, 431);
  // the server still answers
  assert.equal((await request('GET', '/healthz')).status, 200);
});

test('a URL over 2 KB → 414', async () => {
  const r = await admin.get('/api/v1/orgs/' + 'a'.repeat(2100));
  assertError(r, 414);
  const s = await rawGet('/' + 'x'.repeat(2100));
  assert.equal(s.status, 414);
});

test('a URL over 2 KB through its query string → 414', async () => {
  const r = await admin.get(`/api/v1/orgs?under=1&q=${'a'.repeat(2100)}`);
  assertError(r, 414);
  const many = Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&');
  const r2 = await admin.get(`/api/v1/orgs?${many}`);
  assert.equal(r2.status, 414, r2.text);
});

test('too many query parameters → 400', async () => {
  const qs = Array.from({ length: 100 }, (_, i) => `k${i}=1`).join('&');
  assertError(await admin.get(`/api/v1/orgs?${qs}`), 400, 'bad_request');
});

test('invalid UTF-8 in the URL → 400', async () => {
  const r = await rawGet('/api/v1/orgs%ff');
  assert.equal(r.status, 400);
  const q = await rawGet(`/api/v1/orgs?under=1&q=%ff%fe`, `Cookie: ${admin.cookie}\r\n`);
  assert.equal(q.status, 400);
});
