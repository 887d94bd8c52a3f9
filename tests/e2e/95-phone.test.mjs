// The phone (390×844): the organisation tree opens over the page, and
// drawers and dialogs fit the screen (a 520 px worker drawer on a 390 px
// screen once hid its right half).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('a worker drawer fits a phone, and the tree opens over the page', async () => {
  const p = await page(browser, { viewport: { width: 390, height: 844 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/workers')
  await p.waitForSelector('.el-table__row')
  // the tree starts folded on a phone; ☰ opens it over the page
  assert.equal(await p.locator('.aside').isVisible(), false)
  const mainBefore = await p.locator('.main').boundingBox()
  await p.click('.topbar .icon-btn')
  await p.waitForSelector('.aside', { state: 'visible' })
  const mainAfter = await p.locator('.main').boundingBox()
  assert.equal(Math.round(mainAfter.x), Math.round(mainBefore.x), 'the page is not pushed aside')
  await shot(p, '95-phone-tree')
  await p.click('.topbar .icon-btn')
  await p.locator('.el-table__row').first().click()
  await p.waitForSelector('[data-testid=worker-drawer]', { state: 'visible' })
  await p.waitForTimeout(400) // the drawer slides in
  const box = await p.locator('.el-drawer').boundingBox()
  assert.ok(box.x >= -1 && box.x + box.width <= 391, `the drawer fits: x ${box.x}, width ${box.width}`)
  await shot(p, '95-phone-worker-drawer')
  await p.context().close()
})
