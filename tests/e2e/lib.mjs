// Shared helpers for the end-to-end tests: playwright-core (installed with
// the console, web/node_modules) driving Debian's /usr/bin/chromium against
// the server scripts/e2e.sh started (CHANGAI_E2E_URL, CHANGAI_E2E_CREDS).
import { createRequire } from 'node:module'
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHmac } from 'node:crypto'

const here = dirname(fileURLToPath(import.meta.url))
export const root = join(here, '..', '..')
const require = createRequire(join(root, 'web', 'package.json'))
const { chromium } = require('playwright-core')

export const BASE = process.env.CHANGAI_E2E_URL || 'http://127.0.0.1:8080'
export const SHOTS = join(here, 'screenshots')
mkdirSync(SHOTS, { recursive: true })

// The business date as the server sees it (GET /api/v1/clock): tests never
// take a date from this machine's clock, which a test clock sets apart.
export const CLOCK = await (await fetch(BASE + '/api/v1/clock')).json()
export const TODAY = CLOCK.today
export const YEAR = Number(TODAY.slice(0, 4))
const dayNum = (s) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86400000

// The light of one task as DOMAIN.md "Plans" defines it, written again
// here so a test can say what the console must show on any date.
export function light({ year, deadline, asOf = TODAY, soon = 30, completion = 0, started = false }) {
  if (completion >= 1) return 'green'
  const d = dayNum(deadline), a = dayNum(asOf), s = dayNum(`${year}-01-01`)
  if (a > d) return 'red'
  const expected = d <= s ? 1 : Math.min(1, Math.max(0, (a - s) / (d - s)))
  if (d - a <= soon && completion < expected) return 'yellow'
  return started ? 'green' : 'grey'
}

export function creds() {
  const file = process.env.CHANGAI_E2E_CREDS
  const out = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [role, user, pass] = line.trim().split(/\s+/)
    if (user && pass) out[user] = { role, user, pass }
  }
  return out
}

let dataDir = null
export async function launch() {
  dataDir = mkdtempSync(join(tmpdir(), 'changai-e2e-chromium-'))
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    // playwright gives Chromium a fresh --user-data-dir of its own (it
    // refuses the flag from us); this one holds its downloads and temp files
    downloadsPath: dataDir,
    timeout: 30000,
  })
  return browser
}

export async function close(browser) {
  try {
    await browser.close()
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}

// A fresh context (its own cookies) at 1280×800, with console errors kept.
export async function page(browser, opts = {}) {
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    locale: 'zh-CN',
    ...opts,
  })
  const p = await ctx.newPage()
  p.setDefaultTimeout(15000)
  p.errors = []
  p.on('pageerror', (e) => p.errors.push(String(e)))
  p.on('console', (m) => {
    if (m.type() === 'error') p.errors.push(m.text())
  })
  return p
}

export async function login(p, user, pass, path = '/') {
  await p.goto(BASE + path)
  await p.waitForSelector('[data-testid=username]')
  await p.fill('[data-testid=username]', user)
  await p.fill('[data-testid=password]', pass)
  await p.click('[data-testid=login-submit]')
  await p.waitForSelector('.topbar')
}

export async function shot(p, name) {
  // the server's CSP (script-src 'self'): nothing the console does may be refused
  const refused = (p.errors || []).filter((e) => /Content Security Policy|Refused to/.test(e))
  if (refused.length) throw new Error('CSP violations: ' + refused.join(' | '))
  // let charts and fonts settle
  await p.evaluate(() => document.fonts && document.fonts.ready)
  await p.waitForTimeout(300)
  await p.screenshot({ path: join(SHOTS, name + '.png') })
}

// Clicks a node of the side-panel tree by its label, expanding as needed.
export async function treeClick(p, label) {
  const node = p.locator('[data-testid=org-tree] .el-tree-node__content', { hasText: label }).first()
  await node.waitFor()
  await node.locator('.org-tree__label', { hasText: label }).first().click()
}
export async function treeExpand(p, label) {
  const node = p.locator('[data-testid=org-tree] .el-tree-node__content', { hasText: label }).first()
  await node.waitFor()
  const icon = node.locator('.el-tree-node__expand-icon')
  const cls = (await icon.getAttribute('class')) || ''
  if (!cls.includes('expanded')) await icon.click()
}

// A valid resident ID number (GB 11643) for region, birth date and sequence.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
export function idNo(region, birth, seq) {
  const f = region + birth + String(seq).padStart(3, '0')
  let s = 0
  for (let k = 0; k < 17; k++) s += Number(f[k]) * W[k]
  return f + '10X98765432'[s % 11]
}

// The API as a script would use it (for setting up and checking).
export async function apiLogin(user, pass) {
  const r = await fetch(BASE + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: pass }),
  })
  if (!r.ok) throw new Error('login ' + user + ': ' + r.status)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const body = await r.json()
  const call = async (method, path, json) => {
    const res = await fetch(BASE + '/api/v1' + path, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': body.csrf_token, ...(json ? { 'Content-Type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    })
    const text = await res.text()
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
  }
  return { call, csrf: body.csrf_token, cookie }
}

// An authenticator code (RFC 6238: HMAC-SHA-1, 6 digits, 30 s) for a base32
// secret, at a step the caller names relative to now (0 now, 1 the next).
export function totpCode(secret, offset = 0) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let val = 0
  const key = []
  for (const ch of secret.replace(/[\s=]/g, '').toUpperCase()) {
    val = (val << 5) | abc.indexOf(ch)
    bits += 5
    if (bits >= 8) {
      key.push((val >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  const step = Math.floor(Date.now() / 30000) + offset // real time: TOTP steps follow the real clock
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', Buffer.from(key)).update(msg).digest()
  const bin = mac.readUInt32BE(mac[mac.length - 1] & 15) & 0x7fffffff
  return String(bin % 1e6).padStart(6, '0')
}

// Chooses the audit page's action: a code or a prefix typed into its
// select (which takes what is typed); '' clears every filter.
export async function auditAction(p, text) {
  if (!text) {
    await p.click('[data-testid=audit-reset]')
    return
  }
  const input = p.locator('[data-testid=audit-action] input')
  await input.click()
  await input.fill(text)
  await p.keyboard.press('Enter')
}
