// Shared helpers for the black-box API tests. Only node built-ins.
//
// Environment (set by tests/api/run.sh):
//   CHANGAI_URL    http://127.0.0.1:PORT of the running server
//   CHANGAI_CREDS  the credentials file written by `changai demo`
//   CHANGAI_DB     the store: a SQLite file or a postgresql:// URL
//   CHANGAI_STORE  sqlite | postgres
//   CHANGAI_BIN    the binary under test (absolute path)
//   CHANGAI_PID    the server's pid
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { randomBytes, createHmac } from 'node:crypto';

export const BASE = process.env.CHANGAI_URL;
export const STORE = process.env.CHANGAI_STORE || 'sqlite';
export const DB = process.env.CHANGAI_DB;
export const BIN = process.env.CHANGAI_BIN;
export const SERVER_PID = Number(process.env.CHANGAI_PID || 0);

if (!BASE) throw new Error('CHANGAI_URL is not set; run tests through tests/api/run.sh');

const url = new URL(BASE);
export const HOST = url.hostname;
export const PORT = Number(url.port);

// ---- credentials of the demo accounts ----
const creds = new Map();
for (const line of readFileSync(process.env.CHANGAI_CREDS, 'utf8').split('\n')) {
  const f = line.trim().split(/\s+/);
  if (f.length === 3) creds.set(f[1], { role: f[0], password: f[2] });
}
export function password(username) {
  const c = creds.get(username);
  if (!c) throw new Error(`no credentials for ${username}`);
  return c.password;
}

// ---- unique names ----
let counter = 0;
export function uniq(prefix = 't') {
  counter++;
  return `${prefix}${process.pid.toString(36)}${Date.now().toString(36)}${counter}${randomBytes(2).toString('hex')}`;
}
// lower-case, starts with a letter, at most 32 chars: a valid username
export function uname(prefix = 'u') {
  return uniq(prefix).toLowerCase().slice(0, 32);
}
// a password that passes the policy (three classes, 10+ chars, not common)
export function strongPassword() {
  return `Pw#${randomBytes(6).toString('hex')}Az9`;
}

// ---- the unified social credit code (GB 32100-2015) ----
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function usccCheck(first17) {
  assert.equal(first17.length, 17);
  let s = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    assert.ok(v >= 0, `bad USCC character ${first17[i]}`);
    s += v * USCC_WEIGHTS[i];
  }
  let c = 31 - (s % 31);
  if (c === 31) c = 0;
  return USCC_ALPHABET[c];
}
export function uscc(first17) {
  return first17 + usccCheck(first17);
}
// a fresh valid code: 91 + Jiangbei's region + 9 random characters
export function randomUscc() {
  let body = '91330205';
  const rnd = randomBytes(9);
  for (let i = 0; i < 9; i++) body += USCC_ALPHABET[rnd[i] % 31];
  return uscc(body);
}
// the same code with a wrong check character
export function badCheckUscc(code = randomUscc()) {
  const good = code[17];
  const wrong = USCC_ALPHABET[(USCC_ALPHABET.indexOf(good) + 1) % 31];
  return code.slice(0, 17) + wrong;
}

// ---- HTTP ----
function parseBody(text) {
  try {
    return text.length ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

// One request. opts: body (object → JSON; string/Buffer sent as is), headers,
// cookie, csrf, bearer, contentType (false to omit), origin.
export async function request(method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  let body;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || Buffer.isBuffer(opts.body)) body = opts.body;
    else body = JSON.stringify(opts.body);
    if (opts.contentType !== false)
      headers['Content-Type'] = opts.contentType || 'application/json';
  }
  if (opts.cookie) headers.Cookie = opts.cookie;
  if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  if (opts.origin) headers.Origin = opts.origin;
  const res = await fetch(BASE + path, { method, headers, body, redirect: 'manual' });
  // decoded here, not with res.text(), which would drop a leading BOM
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: res.status, headers: res.headers, text, json: parseBody(text), body: bytes };
}

// The session cookie value a response sets ('' when it clears it, null when none).
export function sessionCookieOf(res) {
  for (const c of res.headers.getSetCookie()) {
    const m = /^changai_session=([^;]*)/.exec(c);
    if (m) return m[1];
  }
  return null;
}

export class Client {
  constructor({ username, token, csrf, body, bearer }) {
    this.username = username;
    this.token = token;       // the session cookie value
    this.csrf = csrf;
    this.body = body;         // the login body
    this.bearer = bearer;     // an API token instead of a session
  }
  get cookie() {
    return this.token ? `changai_session=${this.token}` : undefined;
  }
  get user() {
    return this.body && this.body.user;
  }
  // opts.csrf === false omits the CSRF header; a string sends that value
  async req(method, path, body, opts = {}) {
    const o = { ...opts, body };
    if (this.bearer) o.bearer = this.bearer;
    else o.cookie = this.cookie;
    if (method !== 'GET' && !this.bearer) {
      if (opts.csrf === false) delete o.csrf;
      else o.csrf = typeof opts.csrf === 'string' ? opts.csrf : this.csrf;
    } else if (typeof opts.csrf === 'string') {
      o.csrf = opts.csrf;
    } else {
      delete o.csrf;
    }
    const res = await request(method, path, o);
    // the server may hand out a fresh session (password change)
    const fresh = sessionCookieOf(res);
    if (fresh && !this.bearer && opts.keepCookie !== true) this.token = fresh;
    return res;
  }
  get(path, opts) { return this.req('GET', path, undefined, opts); }
  post(path, body, opts) { return this.req('POST', path, body, opts); }
  patch(path, body, opts) { return this.req('PATCH', path, body, opts); }
  put(path, body, opts) { return this.req('PUT', path, body, opts); }
  del(path, opts) { return this.req('DELETE', path, undefined, opts); }
  // proves the user again (its password; a demo account's when omitted),
  // as showing personal data in full asks
  async stepUp(pw) {
    const r = await this.post('/api/v1/session/step-up', { password: pw ?? password(this.username) });
    assert.equal(r.status, 200, `step-up ${this.username}: ${r.status} ${r.text}`);
    return r;
  }
  // re-reads the CSRF token (after a password change)
  async refresh() {
    const r = await this.get('/api/v1/session');
    assert.equal(r.status, 200, r.text);
    this.csrf = r.json.csrf_token;
    this.body = r.json;
    return r;
  }
}

export async function tryLogin(username, pw, extra = {}) {
  return request('POST', '/api/v1/session', { body: { username, password: pw, ...extra } });
}

// A login attempt sent from another loopback address (127.0.0.2 …): the
// server sees another client. Resolves to {status, json, text, cookie}.
export function tryLoginFrom(address, username, pw, extra = {}) {
  const url = new URL(BASE + '/api/v1/session');
  const body = JSON.stringify({ username, password: pw, ...extra });
  return new Promise((resolve, reject) => {
    const rq = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: address,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        const sc = [].concat(res.headers['set-cookie'] || []).join('; ');
        const m = /changai_session=([^;]+)/.exec(sc);
        resolve({ status: res.statusCode, json, text, cookie: m ? m[1] : null });
      });
    });
    rq.on('error', reject);
    rq.end(body);
  });
}

// ---- authenticator codes (RFC 6238: HMAC-SHA-1, 6 digits, 30 s) ----
function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, val = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    val = (val << 5) | abc.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((val >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
export function totpAt(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 15;
  const bin = mac.readUInt32BE(off) & 0x7fffffff;
  return String(bin % 1e6).padStart(6, '0');
}
// An authenticator for one secret: each code() is for a step the server
// has not seen from it yet (it takes the step before, now and after).
export function authenticator(secret) {
  let last = 0;
  return {
    secret,
    code() {
      const now = Math.floor(Date.now() / 1000 / 30); // real time: TOTP steps follow the real clock
      const step = Math.max(now - 1, last + 1);
      if (step > now + 1) throw new Error('no unused step left in the window');
      last = step;
      return totpAt(secret, step);
    },
  };
}

// Logs in (a demo account when pw is omitted) and returns a Client.
export async function login(username, pw) {
  const res = await tryLogin(username, pw ?? password(username));
  assert.equal(res.status, 200, `login ${username}: ${res.status} ${res.text}`);
  const token = sessionCookieOf(res);
  assert.ok(token, 'login sets the session cookie');
  return new Client({ username, token, csrf: res.json.csrf_token, body: res.json });
}

export function bearerClient(token, username) {
  return new Client({ username, bearer: token });
}

// ---- fixtures through the API ----

// The id of an org found by exact name below `under` (default: the org of
// the caller's first grant, the root for city accounts).
export async function orgId(client, name, under) {
  if (under === undefined) {
    const g = client.user && client.user.grants && client.user.grants[0];
    under = g ? g.org_id : 1;
  }
  const r = await client.get(`/api/v1/orgs?under=${under}&q=${encodeURIComponent(name)}&limit=500`);
  assert.equal(r.status, 200, r.text);
  const hit = r.json.items.filter((o) => o.name === name);
  assert.equal(hit.length, 1, `exactly one org named ${name}`);
  return hit[0].id;
}

export async function getOrg(client, id) {
  const r = await client.get(`/api/v1/orgs/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

export async function createOrg(client, fields) {
  const r = await client.post('/api/v1/orgs', fields);
  assert.equal(r.status, 201, `create org ${JSON.stringify(fields)}: ${r.status} ${r.text}`);
  return r.json;
}

// A change the security admin proposed (202 with an approval) approved by
// a system admin (the demo's city admin unless given). Returns the
// approval's answer; when the approval made a one-time password, its two
// halves joined (the proposer fetches the first, the approver got the
// second) in .password.
// one session of the city admin for every approval a file makes: a user
// holds at most sessions_per_user, so a login each time would end the
// test file's own admin session
let cityAdmin = null;
async function cityAdminClient() {
  if (!cityAdmin || (await cityAdmin.get('/api/v1/session')).status !== 200) cityAdmin = await login('admin');
  return cityAdmin;
}

export async function approve(sec, proposed, approver) {
  assert.equal(proposed.status, 202, `a proposal: ${proposed.status} ${proposed.text}`);
  const id = proposed.json.approval.id;
  const by = approver || await cityAdminClient();
  const r = await by.post(`/api/v1/approvals/${id}/approve`);
  assert.equal(r.status, 200, `approve ${id}: ${r.status} ${r.text}`);
  const out = { approval: r.json.approval, json: r.json };
  if (r.json.one_time_password_half) {
    const h = await sec.post(`/api/v1/approvals/${id}/password-half`);
    assert.equal(h.status, 200, `password half: ${h.status} ${h.text}`);
    out.password = h.json.one_time_password_half + r.json.one_time_password_half;
  }
  return out;
}

// Grants a role, through a second person when the grant needs one. Returns
// {grant (the user's grant row), password (a new one-time password, if
// the approval made one)}.
export async function grant(sec, userId, body, approver) {
  const g = await sec.post(`/api/v1/users/${userId}/grants`, body);
  if (g.status === 201) return { grant: g.json };
  const a = await approve(sec, g, approver);
  const u = await sec.get(`/api/v1/users/${userId}`);
  const row = u.json.grants.find((x) => x.org_id === body.org_id && x.role === body.role);
  assert.ok(row, `the approved grant is there: ${u.text}`);
  return { grant: row, password: a.password };
}

// Creates an account through the security admin `sec`, optionally grants a
// role, and (unless keepTemporary) logs in and changes the temporary
// password. Returns { id, username, password, client? }.
export async function createUser(sec, { org_id, role, grantOrg, keepTemporary = false, name, pii = false, approver } = {}) {
  const username = uname('t');
  let temp = strongPassword();
  const body = { username, name: name || `测试${username}`, password: temp };
  if (org_id) body.org_id = org_id;
  const r = await sec.post('/api/v1/users', body);
  assert.equal(r.status, 201, `create user: ${r.status} ${r.text}`);
  const id = r.json.id;
  if (role) {
    const body = { org_id: grantOrg || org_id || 1, role };
    if (pii) body.pii = true;
    const g = await grant(sec, id, body, approver);
    // an account given admin, pii or a special role got a new one-time password
    if (g.password) temp = g.password;
  }
  const u = { id, username, password: temp };
  if (keepTemporary) return u;
  const c = await login(username, temp);
  const np = strongPassword();
  const p = await c.post('/api/v1/session/password', { old_password: temp, new_password: np });
  assert.equal(p.status, 204, `password change: ${p.status} ${p.text}`);
  await c.refresh();
  u.password = np;
  u.client = c;
  return u;
}

// ---- the store, directly (for idle timeout and tamper tests) ----
export function sql(query) {
  if (STORE === 'postgres') {
    return execFileSync('psql', [DB, '-v', 'ON_ERROR_STOP=1', '-qAtX', '-c', query],
      { encoding: 'utf8', timeout: 30000 }).trim();
  }
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', DB, query],
    { encoding: 'utf8', timeout: 30000 }).trim();
}

// ---- raw HTTP, for what fetch would normalise or refuse to send ----
// text is sent at once; `body` (optional) is sent only if the server has not
// answered within `earlyWait` ms of the head, as a client honouring an early
// answer would (a server may refuse a request from its headers alone).
export function rawHttp(text, { timeout = 10000, body, earlyWait = 300 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(PORT, HOST);
    const chunks = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('raw HTTP request timed out'));
    }, timeout);
    sock.on('connect', () => {
      sock.write(text);
      if (body !== undefined) {
        setTimeout(() => {
          if (!chunks.length && !sock.destroyed) sock.write(body, () => {});
        }, earlyWait);
      }
    });
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => {
      // a reset after the answer arrived still counts as an answer
      if (chunks.length) finish();
      else {
        clearTimeout(timer);
        reject(e);
      }
    });
    sock.on('end', finish);
    sock.on('close', finish);
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const buf = Buffer.concat(chunks);
      const sep = buf.indexOf('\r\n\r\n');
      const head = (sep >= 0 ? buf.subarray(0, sep) : buf).toString('latin1');
      const body = sep >= 0 ? buf.subarray(sep + 4) : Buffer.alloc(0);
      const lines = head.split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] || '');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: m ? Number(m[1]) : 0, headers, body, text: body.toString('utf8'), raw: buf });
    }
  });
}

// GET of a path exactly as written (no normalisation).
export function rawGet(path, extraHeaders = '') {
  return rawHttp(`GET ${path} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n${extraHeaders}Connection: close\r\n\r\n`);
}

// ---- assertions ----
export function assertError(res, status, code, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.json && res.json.error, `error envelope: ${res.text}`);
  if (code) assert.equal(res.json.error.code, code, res.text);
  assert.equal(typeof res.json.error.message, 'string');
  assert.equal(typeof res.json.error.message_zh, 'string');
  if (field) {
    const fields = (res.json.error.details || []).map((d) => d.field);
    assert.ok(fields.includes(field), `error names ${field}: ${res.text}`);
  }
}

// Business dates come from the server's clock (GET /api/v1/clock), never
// from this machine's: under a test clock (CHANGAI_TODAY) the two differ,
// and even without one the server counts in China time.
const clock = await (await fetch(`${BASE}/api/v1/clock`)).json();
export const CLOCK = clock;
export function today() {
  return clock.today;
}
export function dayOffset(n) {
  const [y, m, d] = clock.today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + n * 86400000).toISOString().slice(0, 10);
}
