// Measures the console's dashboard in Chromium: the first load's transfer
// (every response the page loads, each gzipped at level 6 as a
// compressing proxy would send it, summed) and the time until it is
// interactive (KPI figures filled in and the pyramid drawn, measured from
// navigation start). Each run uses a new browser context: a cold cache.
//   node bench/web.mjs BASE_URL USER PASSWORD RUNS
import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { chromium } = createRequire(join(root, 'web', 'package.json'))('playwright-core')
const [base, user, pass, runsArg] = process.argv.slice(2)
const runs = Number(runsArg || 5)
const dl = mkdtempSync(join(tmpdir(), 'changai-bench-web-'))
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  downloadsPath: dl,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
})
const results = []
try {
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const r = await ctx.request.post(base + '/api/v1/session', { data: { username: user, password: pass } })
    if (!r.ok()) throw new Error('login failed: ' + r.status())
    const page = await ctx.newPage()
    const bodies = []
    page.on('response', async (res) => {
      try {
        const b = await res.body()
        bodies.push({ url: res.url(), raw: b.length, gz: gzipSync(b, { level: 6 }).length })
      } catch {
        /* redirects have no body */
      }
    })
    await page.goto(base + '/dashboard', { waitUntil: 'commit' })
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-kpi=workers] .kpi__value')
      return v && v.textContent.trim() !== '—' && document.querySelector('[data-testid=pyramid] canvas')
    }, null, { polling: 'raf', timeout: 30000 })
    const tti = await page.evaluate(() => performance.now())
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(200)
    const raw = bodies.reduce((a, b) => a + b.raw, 0)
    const gz = bodies.reduce((a, b) => a + b.gz, 0)
    const assets = bodies.filter((b) => !b.url.includes('/api/'))
    results.push({
      tti,
      raw,
      gz,
      requests: bodies.length,
      assetsGz: assets.reduce((a, b) => a + b.gz, 0),
      list: bodies,
    })
    await ctx.close()
  }
} finally {
  await browser.close()
  rmSync(dl, { recursive: true, force: true })
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const out = {
  runs,
  tti_ms: Math.round(med(results.map((r) => r.tti))),
  tti_all: results.map((r) => Math.round(r.tti)),
  transfer_gz_kb: +(med(results.map((r) => r.gz)) / 1024).toFixed(1),
  assets_gz_kb: +(med(results.map((r) => r.assetsGz)) / 1024).toFixed(1),
  raw_kb: +(med(results.map((r) => r.raw)) / 1024).toFixed(1),
  requests: med(results.map((r) => r.requests)),
  largest: results[0].list.sort((a, b) => b.gz - a.gz).slice(0, 5).map((b) => `${b.url.replace(base, '')} ${(b.gz / 1024).toFixed(1)} KB`),
}
console.log(JSON.stringify(out))
