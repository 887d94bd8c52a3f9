// 双因素认证 in the console: a street operator enrols an authenticator on
// 我的账号 by its QR code (read back from the screenshot with zbarimg, as a
// phone would), confirms with a code, is then asked for a code at login,
// and removes it again with a code.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { launch, close, page, login, shot, creds, totpCode, SHOTS, BASE } from './lib.mjs'

let browser
const c = creds()
let secret = ''
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('enrol by the QR code and confirm with a code', async () => {
  const p = await page(browser)
  await login(p, 'zhuangqiao', c.zhuangqiao.pass)
  await p.click('[data-testid=me-link]')
  await p.waitForSelector('[data-testid=me-factor]')
  assert.match(await p.locator('[data-testid=factor-state]').innerText(), /未开启/)
  await p.click('[data-testid=factor-begin]')
  const qr = p.locator('[data-testid=factor-qr]')
  await qr.waitFor()
  await shot(p, '49-second-factor-enrol')
  const file = join(SHOTS, '49-qr.png')
  await qr.screenshot({ path: file })
  const uri = execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' }).trim()
  assert.match(uri, /^otpauth:\/\/totp\/.*zhuangqiao\?secret=[A-Z2-7]{32}&issuer=.*&algorithm=SHA1&digits=6&period=30$/)
  secret = /secret=([A-Z2-7]+)/.exec(uri)[1]
  assert.equal((await p.locator('[data-testid=factor-secret]').innerText()).replace(/ /g, ''), secret)
  await p.fill('[data-testid=factor-code]', '000000')
  await p.click('[data-testid=factor-confirm]')
  await p.locator('[data-testid=factor-error]').waitFor()
  await p.fill('[data-testid=factor-code]', totpCode(secret, -1))
  await p.click('[data-testid=factor-confirm]')
  await p.waitForFunction(() => /已开启/.test(document.querySelector('[data-testid=factor-state]')?.innerText || ''))
  await p.context().close()
})

test('the login asks for the code after the password; then it is removed with a code', async () => {
  assert.ok(secret)
  const p = await page(browser)
  await p.goto(BASE + '/')
  await p.fill('[data-testid=username]', 'zhuangqiao')
  await p.fill('[data-testid=password]', c.zhuangqiao.pass)
  await p.click('[data-testid=login-submit]')
  await p.waitForSelector('[data-testid=login-code]')
  await shot(p, '49b-login-code')
  await p.fill('[data-testid=login-code]', totpCode(secret, 0))
  await p.click('[data-testid=login-submit]')
  await p.waitForSelector('.topbar')
  await p.goto(BASE + '/me')
  await p.waitForSelector('[data-testid=me-factor]')
  await p.locator('[data-testid=me-factor] button', { hasText: '解除绑定' }).click()
  await p.fill('.el-message-box__input input', totpCode(secret, 1))
  await p.locator('.el-message-box .el-button--primary').click()
  await p.waitForFunction(() => /未开启/.test(document.querySelector('[data-testid=factor-state]')?.innerText || ''))
  await p.context().close()
})
