// Print: the dashboard and the 对账单 on A4, as Chromium prints them (the
// console's print stylesheet): no bars, tree, buttons or pagers, tables
// with every column, charts on the paper. The PDFs are turned into PNGs
// (pdftoppm) beside the screenshots, to be looked at.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { launch, close, page, login, creds, apiLogin, SHOTS, YEAR } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

// the PDF's text and its first page as PNG
function readPdf(file, png) {
  execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '2', file, join(SHOTS, png)])
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

test('the dashboard prints on A4 without the console around it', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/dashboard')
  await p.waitForFunction(() => document.querySelector('[data-kpi=workers] .kpi__value')?.textContent.trim() !== '—')
  await p.waitForSelector('[data-testid=child-bars] canvas')
  await p.waitForTimeout(800) // the charts' first animation
  const file = join(SHOTS, '94-dashboard.pdf')
  await p.pdf({ path: file, format: 'A4', printBackground: true })
  const text = readPdf(file, '94-dashboard-print')
  assert.ok(!text.includes('退出登录'), 'no top bar')
  assert.ok(!/查找组织/.test(text), 'no org tree')
  // on paper every chart fits the page's width (A4 less its margins)
  await p.emulateMedia({ media: 'print' })
  await p.setViewportSize({ width: 718, height: 1000 })
  await p.waitForTimeout(300)
  const wide = await p.evaluate(() => [...document.querySelectorAll('.chart canvas')]
    .filter((x) => x.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length)
  assert.equal(wide, 0, 'no chart runs off the paper')
  await p.context().close()
})

test('the 对账单 prints every column, without buttons or pagers', async () => {
  const jb = await apiLogin('jiangbei', c.jiangbei.pass)
  const plans = (await jb.call('GET', `/plans?year=${YEAR}`)).body.items
  const plan = plans.find((x) => x.org_name === '江北区' || /江北区/.test(x.title)) || plans[0]
  assert.ok(plan, 'a plan of the year')
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, `/plans?plan=${plan.id}&tab=statement`)
  await p.waitForSelector('[data-testid=statement] .el-table__row')
  // nothing still loading (its mask would grey the paper)
  await p.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some((m) => getComputedStyle(m).display !== 'none'))
  const heads = await p.locator('[data-testid=statement] .el-table__header th').allInnerTexts()
  const file = join(SHOTS, '94-statement.pdf')
  await p.pdf({ path: file, format: 'A4', landscape: true, printBackground: true })
  const text = readPdf(file, '94-statement-print')
  for (const h of heads.map((x) => x.trim()).filter((x) => x && x.length >= 2 && x !== '操作')) {
    assert.ok(text.replace(/\s+/g, '').includes(h.replace(/\s+/g, '')), `the column ${h} is on the paper`)
  }
  assert.ok(!text.includes('退出登录'), 'no top bar')
  assert.ok(!text.includes('导出 Excel'), 'no buttons')
  // a statement over several sheets repeats its header on each
  const sheets = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1])
  assert.ok(sheets >= 2, `the statement runs over ${sheets} sheets`)
  const named = heads.map((x) => x.trim()).filter((x) => x.length >= 2 && x !== '操作')
  let withTasks = 0
  for (let n = 2; n <= sheets; n++) {
    const raw = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', file, '-'], { encoding: 'utf8' })
    // the summaries after the task table have headers of their own
    if (!/^\s*\d+\.\d+\s/m.test(raw)) continue
    withTasks++
    const sheet = raw.replace(/\s+/g, '')
    const missing = named.filter((h) => !sheet.includes(h.replace(/\s+/g, '')))
    assert.deepEqual(missing, [], `sheet ${n} carries the header`)
  }
  assert.ok(withTasks >= 1, 'the task table runs onto a second sheet')
  // and the screen gets its table back as it was
  await p.emulateMedia({ media: 'screen' })
  assert.equal(await p.locator('thead.print-head').count(), 0)
  await p.emulateMedia({ media: 'print' })
  assert.equal(await p.locator('[data-testid=seal]').isVisible(), false, 'no seal button on paper')
  assert.equal(await p.locator('.el-pagination:visible').count(), 0, 'no pager on paper')
  await p.context().close()
})

test('a worker page prints on A4 portrait: the record and its history, no buttons', async () => {
  const jb = await apiLogin('jiangbei', c.jiangbei.pass)
  const w = (await jb.call('GET', '/workers?org=2&limit=1')).body.items[0]
  assert.ok(w, 'a worker of 江北区')
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, `/workers/${w.id}`)
  await p.waitForSelector('[data-testid=timeline]')
  await p.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some((m) => getComputedStyle(m).display !== 'none'))
  const file = join(SHOTS, '94-worker.pdf')
  await p.pdf({ path: file, format: 'A4', printBackground: true })
  const text = readPdf(file, '94-worker-print')
  assert.ok(text.includes(w.name), 'the name is on the paper')
  assert.ok(text.includes(w.id_no), 'the masked ID number as the screen shows it')
  assert.ok(!text.includes('退出登录'), 'no top bar')
  assert.ok(!/返回|编辑|调动/.test(text), 'no buttons: ' + text.slice(0, 200))
  assert.equal(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1]), 1, 'one sheet')
  // the paper says who printed it and when; the screen does not
  assert.match(text.replace(/\s+/g, ''), /江北区总工会（jiangbei）打印于\d{4}-\d{2}-\d{2}\d{2}:\d{2}/)
  assert.equal(await p.locator('[data-testid=print-stamp]').isVisible(), false)
  await p.context().close()
})
