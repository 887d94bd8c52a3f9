// The worker page acts: 调动 to another enterprise with a date, and
// 显示完整证件号 for a pii holder (a purpose, the password again, audited).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, apiLogin, TODAY } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

async function openFirstWorker(p) {
  await p.waitForSelector('.el-table__row')
  await p.locator('.el-table__row').first().click()
  await p.waitForSelector('[data-testid=worker-drawer] [data-testid=worker-detail] .wd-name')
}

test('a district admin transfers a worker with a date; the timeline says from where to where', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/workers?status=active')
  await openFirstWorker(p)
  const detail = p.locator('[data-testid=worker-drawer] [data-testid=worker-detail]')
  const name = await detail.locator('.wd-name').innerText()
  await detail.locator('[data-testid=worker-transfer]').click()
  const dialog = p.locator('.el-dialog', { hasText: '调入单位' })
  await dialog.waitFor()
  const fromOrg = (await dialog.locator('.el-form-item').first().locator('.el-form-item__content').innerText()).trim()
  assert.ok(fromOrg.length > 1, 'the current employer is named')
  // saving without a choice says what is missing
  await dialog.locator('[data-testid=transfer-save]').click()
  await dialog.locator('.el-alert--error', { hasText: '请选择调入单位' }).waitFor()
  await dialog.locator('[data-testid=transfer-org]').click()
  const option = p.locator('.el-select-dropdown__item:visible').first()
  await option.waitFor()
  const toOrg = (await option.innerText()).trim()
  assert.notEqual(toOrg, fromOrg, 'the current employer is not offered')
  await option.click()
  assert.equal(await dialog.locator('.el-date-editor input').inputValue(), TODAY, 'the date defaults to the business today')
  await shot(p, '96-transfer-dialog')
  await dialog.locator('[data-testid=transfer-save]').click()
  await p.locator('.el-message--success', { hasText: `已调入 ${toOrg}` }).waitFor()
  await p.waitForFunction(
    (org) => [...document.querySelectorAll('[data-testid=worker-drawer] .el-descriptions__content')].some((c) => c.textContent.trim() === org),
    toOrg,
  )
  const timeline = detail.locator('[data-testid=timeline]')
  await timeline.locator('.el-timeline-item', { hasText: `${fromOrg} → ${toOrg}` }).waitFor()
  assert.match(await timeline.innerText(), new RegExp(`调动[^\\n]*${fromOrg} → ${toOrg}`))
  await shot(p, '96-transferred')
  await p.context().close()

  // the store agrees: the worker is now in the chosen enterprise
  const api = await apiLogin('jiangbei', c.jiangbei.pass)
  const found = await api.call('GET', '/workers?q=' + encodeURIComponent(name) + '&limit=50')
  assert.equal(found.status, 200)
  assert.ok(found.body.items.some((w) => w.name === name && w.org_name === toOrg), 'the roster lists the worker in the new enterprise')
})

test('a viewer without pii sees neither 调动 nor 显示完整证件号', async () => {
  const p = await page(browser)
  await login(p, 'viewer', c.viewer.pass, '/workers')
  await openFirstWorker(p)
  const detail = p.locator('[data-testid=worker-drawer] [data-testid=worker-detail]')
  assert.equal(await detail.locator('[data-testid=worker-transfer]').count(), 0)
  assert.equal(await detail.locator('[data-testid=worker-unmask]').count(), 0)
  await p.context().close()
})

test('a pii holder shows the full ID number after giving a purpose and the password', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/workers')
  await openFirstWorker(p)
  const detail = p.locator('[data-testid=worker-drawer] [data-testid=worker-detail]')
  const idCell = detail.locator('.el-descriptions__content', { hasText: /\*/ }).first()
  assert.match(await idCell.innerText(), /\*{4,}/, 'masked at first')
  await detail.locator('[data-testid=worker-unmask]').click()
  const box = p.locator('.el-message-box')
  const why = box.filter({ hasText: '用途' })
  await why.waitFor()
  await why.locator('input').fill('核实职工身份')
  await why.locator('.el-button--primary').click()
  const pw = box.filter({ hasText: '登录密码' })
  await pw.waitFor()
  await pw.locator('input').fill(c.yongjiang.pass)
  await pw.locator('.el-button--primary').click()
  await p.locator('.el-message--success', { hasText: '已显示完整证件号' }).waitFor()
  await p.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid=worker-drawer] .el-descriptions__content')].some((c) => /^\d{17}[\dX]$/.test(c.textContent.trim())),
  )
  assert.equal(await detail.locator('[data-testid=worker-unmask]').count(), 0, 'nothing left to unmask')
  await shot(p, '96-unmasked')
  await p.context().close()
})

test('a pii holder exports the roster in full after a purpose and the password', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/workers')
  await p.waitForSelector('.el-table__row')
  await p.click('[data-testid=export-full]')
  const box = p.locator('.el-message-box')
  const why = box.filter({ hasText: '用途' })
  await why.waitFor()
  await why.locator('input').fill('报送区总工会核对')
  await why.locator('.el-button--primary').click()
  const pw = box.filter({ hasText: '登录密码' })
  await pw.waitFor()
  await pw.locator('input').fill(c.yongjiang.pass)
  const [req, dl] = await Promise.all([
    p.waitForRequest((r) => r.url().includes('/exports/workers.xlsx') && r.url().includes('unmask=1')),
    p.waitForEvent('download', { timeout: 60000 }),
    pw.locator('.el-button--primary').click(),
  ])
  assert.match(decodeURIComponent(req.url()), /purpose=报送区总工会核对/)
  assert.match(dl.suggestedFilename(), /\.xlsx$/)
  await p.locator('.el-message--success', { hasText: '已导出' }).waitFor()
  await p.context().close()
})

test('a viewer is not offered the full export', async () => {
  const p = await page(browser)
  await login(p, 'viewer', c.viewer.pass, '/workers')
  await p.waitForSelector('.el-table__row')
  assert.equal(await p.locator('[data-testid=export-full]').count(), 0)
  assert.equal(await p.locator('[data-testid=export]').count(), 1)
  await p.context().close()
})

test('批量离职: ticked workers leave on one date; the list and the total follow', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/workers?status=active')
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  const total = async () => Number((await p.locator('[data-testid=workers-total]').innerText()).replace(/[^0-9]/g, ''))
  const before = await total()
  assert.equal(await p.locator('[data-testid=leave-batch]').isDisabled(), true, 'nothing ticked, nothing to do')
  const rows = p.locator('[data-testid=workers-table] .el-table__body .el-table__row')
  const names = []
  for (let i = 0; i < 2; i++) {
    names.push((await rows.nth(i).locator('.col-name').innerText()).trim())
    await rows.nth(i).locator('.col-pick .el-checkbox').click()
  }
  assert.equal(await p.locator('[data-testid=worker-drawer]').isVisible(), false, 'ticking does not open the drawer')
  await p.click('[data-testid=leave-batch]')
  const dialog = p.locator('.leave-dialog')
  await dialog.waitFor()
  assert.match(await dialog.innerText(), new RegExp(`${names[0]}、${names[1]} 等 2 人`))
  await shot(p, '96-leave-dialog')
  await dialog.locator('[data-testid=leave-save]').click()
  await p.locator('.el-message--success', { hasText: '已为 2 名职工办理离职' }).waitFor()
  await p.waitForFunction((n) => Number(document.querySelector('[data-testid=workers-total]')?.textContent.replace(/[^0-9]/g, '')) === n, before - 2)
  const shown = (await p.locator('[data-testid=workers-table] .el-table__body .col-name').allInnerTexts()).map((s) => s.trim())
  for (const n of names) assert.ok(!shown.includes(n), `${n} is no longer among the active`)
  assert.equal(await total(), before - 2)
  await p.context().close()
})
