// The dashboard (一图读懂): figures that click through to the workers behind
// them, sorting, the print view; editing an org; the plans placeholder;
// and scope: a street user typing another street's URL gets not-found.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { launch, close, page, login, shot, creds, apiLogin, BASE, SHOTS } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('the dashboard figures click through to the filtered worker list', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/dashboard')
  await p.waitForFunction(() => document.querySelector('[data-kpi=workers] .kpi__value')?.textContent.trim() !== '—')
  await p.waitForSelector('[data-testid=child-bars] canvas')
  await shot(p, '30-dashboard')
  // a tablet held upright: the tree folds away behind ☰, the figures reflow
  await p.setViewportSize({ width: 820, height: 1180 })
  await p.waitForTimeout(400)
  await p.screenshot({ path: join(SHOTS, '35-dashboard-tablet.png') })
  await p.setViewportSize({ width: 1280, height: 800 })
  const kpiWorkers = Number((await p.locator('[data-kpi=workers] .kpi__value').innerText()).replace(/,/g, ''))
  // the pyramid: a click on a level's bar lists that level. The chart redraws
  // (animated) after the viewport changes back, and a click during the redraw
  // lands on no bar: click again until it answers
  for (let i = 0; i < 5 && !/\/workers\?/.test(p.url()); i++) {
    const box = await p.locator('[data-testid=pyramid]').boundingBox()
    await p.mouse.click(box.x + box.width * 0.6, box.y + 8 + ((box.height - 16) / 9) * 6.5)
    await p.waitForURL(/\/workers\?/, { timeout: 3000 }).catch(() => {})
  }
  await p.waitForURL(/\/workers\?/)
  assert.match(p.url(), /level_min=(\d)&level_max=\1/)
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  await p.goBack()
  await p.waitForSelector('[data-kpi=union]')
  // the union-rate card: union members of the scope
  await p.click('[data-kpi=union]')
  await p.waitForURL(/union=1/)
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  for (const u of await p.locator('[data-testid=workers-table] .el-table__body .col-union').allInnerTexts()) assert.equal(u.trim(), '是')
  await p.goBack()
  await p.click('[data-kpi=workers]')
  await p.waitForURL(/status=active/)
  await p.waitForSelector('[data-testid=workers-total]')
  const total = Number((await p.locator('[data-testid=workers-total]').innerText()).replace(/[^0-9]/g, ''))
  assert.equal(total, kpiWorkers, 'the card and the list count the same workers')
  await p.goBack()
  // sorting the child comparison by name
  await p.click('[data-testid=sort-by]')
  await p.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '按名称' }).click()
  await p.waitForTimeout(300)
  await p.click('[data-testid=print-view]')
  await p.waitForSelector('[data-testid=print-page] .kpis')
  // the year's targets are on paper too
  await p.waitForSelector('[data-testid=print-page] [data-testid=target-plan]')
  await p.waitForTimeout(500)
  await shot(p, '31-dashboard-print')
  await p.context().close()
})

test('an operator edits its street; the plans page says what is pending', async () => {
  const p = await page(browser)
  await login(p, 'zhuangqiao', c.zhuangqiao.pass, '/orgs')
  await p.waitForSelector('[data-testid=org-detail] h1')
  await p.click('[data-testid=org-edit]')
  await p.fill('[data-testid=org-uscc]', '12345')
  await p.click('[data-testid=org-save]')
  const item = p.locator('.el-form-item', { has: p.locator('[data-testid=org-uscc]') })
  await item.locator('.el-form-item__error').waitFor()
  await shot(p, '32-org-edit-error')
  await p.fill('[data-testid=org-uscc]', '')
  await p.fill('[data-testid=org-name]', '庄桥街道')
  await p.click('[data-testid=org-save]')
  await p.waitForSelector('[data-testid=org-edit-dialog] .el-dialog', { state: 'hidden' })
  await p.click('[data-testid=nav] >> text=实施方案')
  await p.waitForSelector('[data-testid=plans-placeholder], [data-testid=plans-page]')
  await shot(p, '33-plans')
  await p.context().close()
})

test('a street user typing another street\'s worker URL gets the not-found page', async () => {
  const admin = await apiLogin('admin', c.admin.pass)
  const other = (await admin.call('GET', '/workers?org=5&limit=1')).body.items[0]
  assert.ok(other, 'a worker of 甬江街道')
  const own = (await admin.call('GET', '/workers?org=6&limit=1')).body.items[0]
  const p = await page(browser)
  await login(p, 'zhuangqiao', c.zhuangqiao.pass, '/workers/' + own.id)
  await p.waitForSelector('[data-testid=worker-detail] .wd-name')
  await p.goto(BASE + '/workers/' + other.id)
  await p.waitForSelector('[data-testid=not-found]')
  assert.match(p.url(), new RegExp('/workers/' + other.id + '$'), 'the URL stays as typed')
  assert.doesNotMatch(await p.locator('main').innerText(), new RegExp(other.name))
  await shot(p, '34-not-found')
  // another street's org page and scope too
  await p.goto(BASE + '/orgs/5')
  await p.waitForSelector('[data-testid=not-found]')
  await p.goto(BASE + '/dashboard?org=5')
  await p.waitForSelector('[data-testid=not-found]')
  await p.context().close()
})
