// 我的账号: a user opens its account from its name in the top bar, makes an
// API token (shown once, working as a Bearer token), sees it listed
// without its value, and revokes it; a security admin is told tokens are
// not for its account.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, BASE, apiLogin } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('a token made on 我的账号 works once shown, and stops when revoked', async () => {
  const p = await page(browser)
  await login(p, 'viewer', c.viewer.pass)
  await p.click('[data-testid=me-link]')
  await p.waitForURL(/\/me/)
  await p.waitForSelector('[data-testid=me-tokens]')
  await p.fill('[data-testid=token-name]', '月报脚本')
  await p.click('[data-testid=token-create]')
  const value = (await p.locator('[data-testid=token-value]').innerText()).trim()
  assert.ok(value.length >= 32, value)
  const row = p.locator('[data-testid=tokens-table] .el-table__row', { hasText: '月报脚本' })
  await row.waitFor()
  assert.match(await row.innerText(), /有效/)
  assert.ok(!(await p.locator('[data-testid=tokens-table]').innerText()).includes(value), 'the list never shows a token')
  await shot(p, '48-my-account-tokens')
  const use = () => fetch(BASE + '/api/v1/orgs', { headers: { Authorization: 'Bearer ' + value } })
  assert.equal((await use()).status, 200)
  await row.locator('[data-testid=token-revoke]').click()
  await p.locator('.el-message-box .el-button--primary').click()
  await p.locator('[data-testid=tokens-table] .el-table__row', { hasText: '已撤销' }).waitFor()
  assert.equal((await use()).status, 401)
  await p.context().close()
})

test('the security admin is told its account holds no tokens', async () => {
  const p = await page(browser)
  await login(p, 'secadmin', c.secadmin.pass)
  await p.goto(BASE + '/me')
  await p.waitForSelector('[data-testid=me-tokens]')
  assert.match(await p.locator('[data-testid=me-tokens]').innerText(), /不使用 API 令牌/)
  assert.equal(await p.locator('[data-testid=token-create]').count(), 0)
  await p.context().close()
})

test('个人中心 lists the signed-in devices in words and ends another one', async () => {
  // a second sign-in elsewhere (a script), then the browser
  const elsewhere = await apiLogin('viewer', c.viewer.pass)
  assert.equal((await elsewhere.call('GET', '/session')).status, 200)
  const p = await page(browser)
  await login(p, 'viewer', c.viewer.pass, '/me')
  const table = p.locator('[data-testid=sessions-table]')
  await table.locator('.el-table__row').first().waitFor()
  const text = await table.innerText()
  assert.match(text, /Chrome \d+ · Linux/, 'the browser and the system, not the raw string')
  assert.doesNotMatch(text, /Mozilla\/5\.0/)
  assert.equal(await table.locator('.el-table__row', { hasText: '本机' }).count(), 1)
  await shot(p, '48-my-sessions')
  // end every other one: the script's session stops working
  while ((await table.locator('[data-testid=session-end]').count()) > 0) {
    const n = await table.locator('[data-testid=session-end]').count()
    await table.locator('[data-testid=session-end]').first().click()
    await p.waitForFunction((k) => document.querySelectorAll('[data-testid=sessions-table] [data-testid=session-end]').length < k, n)
  }
  assert.equal((await elsewhere.call('GET', '/session')).status, 401)
  await p.reload()
  await table.locator('.el-table__row').first().waitFor()
  assert.equal(await table.locator('.el-table__row').count(), 1, 'this browser goes on')
  await p.context().close()
})

