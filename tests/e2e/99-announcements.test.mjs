// 通知公告: the district sends a notice, a street reads it (its receipt
// reaches the sender), the district withdraws it and the street no longer
// sees it; a viewer may read but not send.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, YEAR } from './lib.mjs'

let browser
const c = creds()
const title = `关于做好${YEAR}年度产业工人技能竞赛报名工作的通知`
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

const row = (p, text) => p.locator('[data-testid=ann-list] .el-table__row', { hasText: text })

test('the district sends a notice; every field is checked before it goes', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/announcements')
  await p.click('[data-testid=ann-send]')
  const dialog = p.locator('.ann-send-dialog')
  await dialog.waitFor()
  assert.match(await dialog.locator('[data-testid=ann-from]').locator('..').innerText(), /江北区/)
  await dialog.locator('[data-testid=ann-send-save]').click()
  await dialog.locator('.el-form-item__error', { hasText: '请填写标题' }).waitFor()
  await dialog.locator('.el-form-item__error', { hasText: '请填写正文' }).waitFor()
  await dialog.locator('[data-testid=ann-title] input, input[data-testid=ann-title]').first().fill(title)
  await dialog.locator('[data-testid=ann-body-input] textarea, textarea[data-testid=ann-body-input]').first().fill('各街道、园区工会：\n请于本月底前报送参赛名单。')
  await shot(p, '99-ann-send')
  await dialog.locator('[data-testid=ann-send-save]').click()
  await p.locator('.el-message--success', { hasText: '已发布' }).waitFor()
  await p.waitForURL(/box=sent/)
  await row(p, title).waitFor()
  assert.match(await row(p, title).innerText(), /江北区/)
  await p.context().close()
})

test('a street reads it; the sender sees the receipt and withdraws it', async () => {
  const s = await page(browser)
  await login(s, 'yongjiang', c.yongjiang.pass, '/announcements')
  await row(s, title).waitFor()
  assert.match(await row(s, title).locator('[data-testid=ann-read-state]').innerText(), /未读/)
  await row(s, title).click()
  await s.locator('[data-testid=ann-body]', { hasText: '请于本月底前报送参赛名单' }).waitFor()
  await shot(s, '99-ann-read')
  await s.keyboard.press('Escape')
  await s.waitForFunction(
    (t) => [...document.querySelectorAll('[data-testid=ann-list] .el-table__row')].some((r) => r.textContent.includes(t) && /已读/.test(r.textContent)),
    title,
  )

  const d = await page(browser)
  await login(d, 'jiangbei', c.jiangbei.pass, '/announcements?box=sent')
  await row(d, title).click()
  const receipts = d.locator('[data-testid=ann-receipts]')
  await receipts.waitFor()
  const text = await receipts.innerText()
  assert.match(text, /甬江街道/, 'the street is among the units')
  const yj = receipts.locator('.el-table__row', { hasText: '甬江街道' })
  const cells = await yj.locator('td').allInnerTexts()
  assert.ok(Number(cells[2]) >= 1, `甬江街道 has read it: ${cells}`)
  await shot(d, '99-ann-receipts')
  await d.click('[data-testid=ann-withdraw]')
  await d.locator('.el-message-box .el-button--primary').click()
  await d.locator('.el-message--success', { hasText: '已撤回' }).waitFor()
  await row(d, title).locator('.el-tag', { hasText: '已撤回' }).waitFor()
  await d.context().close()

  await s.reload()
  await s.waitForSelector('[data-testid=ann-list]')
  await s.waitForTimeout(500)
  assert.equal(await row(s, title).count(), 0, 'a withdrawn notice is gone from the inbox')
  await s.context().close()
})

test('a viewer reads notices but is not offered sending', async () => {
  const p = await page(browser)
  await login(p, 'viewer', c.viewer.pass, '/announcements')
  await p.waitForSelector('[data-testid=ann-list]')
  assert.equal(await p.locator('[data-testid=ann-send]').count(), 0)
  assert.equal(await p.locator('[data-testid=ann-box] label', { hasText: '本单位发出' }).count(), 0)
  await p.context().close()
})
