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
  const box = await p.locator('.el-drawer:not(.nav-drawer)').boundingBox()
  assert.ok(box.x >= -1 && box.x + box.width <= 391, `the drawer fits: x ${box.x}, width ${box.width}`)
  await shot(p, '95-phone-worker-drawer')
  await p.context().close()
})

test('on a phone every page is reached from the menu drawer', async () => {
  const p = await page(browser, { viewport: { width: 390, height: 844 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/dashboard')
  await p.waitForSelector('[data-testid=nav-menu]', { state: 'visible' })
  assert.equal(await p.locator('[data-testid=nav]').isVisible(), false, 'the top nav that does not fit is gone')
  await p.click('[data-testid=nav-menu]')
  const drawer = p.locator('.nav-drawer')
  await drawer.waitFor({ state: 'visible' })
  await p.waitForTimeout(400) // the drawer slides in
  const items = drawer.locator('.nav-drawer__item')
  const labels = (await items.allInnerTexts()).map((s) => s.trim())
  for (const want of ['一图读懂', '花名册', '组织', '实施方案', '我的账号']) assert.ok(labels.includes(want), `the menu offers ${want}: ${labels}`)
  for (let i = 0; i < (await items.count()); i++) {
    const b = await items.nth(i).boundingBox()
    assert.ok(b && b.x >= 0 && b.x + b.width <= 391 && b.y + b.height <= 844, `item ${labels[i]} is on the screen`)
  }
  await shot(p, '95-phone-menu')
  await items.filter({ hasText: '花名册' }).click()
  await p.waitForURL(/\/workers/)
  await drawer.waitFor({ state: 'hidden' })
  await p.waitForSelector('.el-table__row')
  await p.context().close()

  // a wide screen keeps the top nav and no menu button
  const wide = await page(browser)
  await login(wide, 'jiangbei', c.jiangbei.pass, '/dashboard')
  await wide.waitForSelector('[data-testid=nav]', { state: 'visible' })
  assert.equal(await wide.locator('[data-testid=nav-menu]').isVisible(), false)
  await wide.context().close()
})

// Every page in each role's menu, on the phone and on a 1440×900 desk:
// nothing wider than the screen (a wide table scrolls inside itself, the
// page does not), and a screenshot of each to be looked at.
const SCREENS = [
  ['phone', { width: 390, height: 844 }],
  ['desk', { width: 1440, height: 900 }],
]
for (const [screen, viewport] of SCREENS) {
  for (const user of ['admin', 'jiangbei', 'secadmin', 'renshe', 'auditor']) {
    test(`every page of ${user}'s menu fits a ${screen}`, async () => {
      const p = await page(browser, { viewport })
      await login(p, user, c[user].pass, '/')
      let links
      if (screen === 'phone') {
        await p.click('[data-testid=nav-menu]')
        const drawer = p.locator('.nav-drawer')
        await drawer.waitFor({ state: 'visible' })
        links = await drawer.locator('a.nav-drawer__item').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]))
      } else {
        links = await p.locator('[data-testid=nav] a').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]))
        links.push(['me', '/me'])
      }
      assert.ok(links.length >= 2, JSON.stringify(links))
      // a department holds no workers: its menu has no all-zero dashboard
      if (user === 'renshe') assert.ok(!links.some(([label]) => label === '一图读懂'), JSON.stringify(links))
      if (user === 'jiangbei') assert.ok(links.some(([label]) => label === '一图读懂'), JSON.stringify(links))
      const wide = []
      for (const [label, href] of links) {
        await p.goto(new URL(href, p.url()).href)
        await p.waitForSelector('.main')
        await p.waitForLoadState('networkidle')
        await p.waitForTimeout(300)
        const w = await p.evaluate(() => document.documentElement.scrollWidth)
        if (w > viewport.width + 1) wide.push(`${label} ${href}: ${w}px`)
        await shot(p, `95-${screen}-${user}-${href.replace(/[^a-z]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`)
      }
      assert.deepEqual(wide, [], `pages wider than the ${screen}`)
      await p.context().close()
    })
  }
}
