// The session ends: after the idle timeout the console warns a minute
// before, then logs out and returns to the login page with the page
// remembered; when the server ends the session (the security admin ends it,
// or it expired there), the next action lands on the login page saying so,
// and logging in again returns to the page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, apiLogin, BASE } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

async function relogin(p, user) {
  await p.fill('[data-testid=username]', user)
  await p.fill('[data-testid=password]', c[user].pass)
  await p.click('[data-testid=login-submit]')
  await p.waitForSelector('.topbar')
}

test('the idle notice, then the idle logout back to the remembered page', async () => {
  const p = await page(browser)
  // the browser's clock is ours: 29 idle minutes pass in a moment
  await p.clock.install()
  await login(p, 'viewer', c.viewer.pass, '/workers?org=2&union=1')
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  const idle = await p.evaluate(() => fetch('/api/v1/session').then((r) => r.json()).then((b) => b.idle_timeout_minutes))
  assert.ok(idle >= 2, 'idle timeout in minutes: ' + idle)
  await p.clock.fastForward((idle - 1) * 60000 + 15000)
  const notice = p.locator('[data-testid=idle-notice]')
  await notice.waitFor()
  assert.match(await notice.innerText(), /空闲超时/)
  await shot(p, '70-idle-notice')
  // staying asks the server, which renews the session
  await notice.locator('.el-button--primary').click()
  await notice.waitFor({ state: 'hidden' })
  assert.equal(new URL(p.url()).pathname, '/workers')
  // then the whole timeout passes without a word
  await p.clock.fastForward(idle * 60000 + 5000)
  await p.waitForURL(/\/login\?/)
  const u = new URL(p.url())
  assert.equal(u.searchParams.get('redirect'), '/workers?org=2&union=1')
  await p.waitForSelector('[data-testid=login-notice]')
  assert.match(await p.locator('[data-testid=login-notice]').innerText(), /长时间未操作/)
  await shot(p, '71-idle-logged-out')
  // the console ended the session on the server too
  const still = await p.evaluate(() => fetch('/api/v1/session').then((r) => r.status))
  assert.equal(still, 401)
  await relogin(p, 'viewer')
  await p.waitForURL(/\/workers\?org=2&union=1$/)
  await p.context().close()
})

test('a session ended on the server sends the next action to the login page, and back', async () => {
  const p = await page(browser)
  await login(p, 'zhuangqiao', c.zhuangqiao.pass, '/orgs')
  await p.waitForSelector('[data-testid=nav]')
  // the security admin ends every session of the user
  const sec = await apiLogin('secadmin', c.secadmin.pass)
  const users = (await sec.call('GET', '/users?q=zhuangqiao')).body.items
  const uid = users.find((x) => x.username === 'zhuangqiao').id
  const r = await sec.call('DELETE', `/users/${uid}/sessions`)
  assert.ok(r.status === 204 || r.status === 200, 'sessions ended: ' + r.status)
  // the next action needs the server: the workers list of the street
  await p.locator('[data-testid=nav] a', { hasText: '花名册' }).first().click()
  await p.waitForURL(/\/login\?/)
  const u = new URL(p.url())
  assert.match(u.searchParams.get('redirect') || '', /^\/workers/)
  await p.waitForSelector('[data-testid=login-notice]')
  assert.equal((await p.locator('[data-testid=login-notice]').innerText()).trim(), '会话已过期，请重新登录')
  await shot(p, '72-session-expired')
  await relogin(p, 'zhuangqiao')
  await p.waitForURL(/\/workers/)
  await p.waitForSelector('[data-testid=workers-table]')
  await p.context().close()
})

test('a deleted cookie is the same as an expired session', async () => {
  const p = await page(browser)
  await login(p, 'zhuangqiao', c.zhuangqiao.pass, '/orgs')
  await p.waitForSelector('[data-testid=nav]')
  await p.context().clearCookies()
  await p.goto(BASE + '/workers?org=6')
  await p.waitForURL(/\/login\?redirect=/)
  assert.equal(new URL(p.url()).searchParams.get('redirect'), '/workers?org=6')
  await relogin(p, 'zhuangqiao')
  await p.waitForURL(/\/workers\?org=6$/)
  await p.context().close()
})
