// Logging in (wrong password, locked account, success), the organisation
// tree narrowing the scope to one street, the language switch, logging out.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, treeClick, treeExpand, BASE } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('the login page refuses a wrong password in Chinese', async () => {
  const p = await page(browser)
  await p.goto(BASE + '/')
  await p.waitForSelector('[data-testid=username]')
  await shot(p, '01-login')
  await p.fill('[data-testid=username]', 'admin')
  await p.fill('[data-testid=password]', 'not-the-password')
  await p.click('[data-testid=login-submit]')
  const err = p.locator('[data-testid=login-error]')
  await err.waitFor()
  assert.match(await err.innerText(), /用户名或密码错误/)
  await shot(p, '02-login-wrong')
  await p.context().close()
})

test('five wrong passwords lock the account; only the right password is told so (423)', async () => {
  const p = await page(browser)
  await p.goto(BASE + '/login')
  await p.waitForSelector('[data-testid=username]')
  const attempt = async (pw) => {
    await p.fill('[data-testid=username]', 'expert')
    await p.fill('[data-testid=password]', pw)
    const done = p.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST')
    await p.click('[data-testid=login-submit]')
    await done
    return p.locator('[data-testid=login-error]').innerText()
  }
  // a stranger guessing learns nothing of the lock
  for (let i = 0; i < 6; i++) assert.match(await attempt('wrong-' + i), /用户名或密码错误/)
  const text = await attempt(c.expert.pass)
  assert.match(text, /账号已锁定/)
  await p.waitForTimeout(300)
  await shot(p, '03-login-locked')
  await p.context().close()
})

test('an admin logs in, narrows the tree to one street and sees only its enterprises', async () => {
  const p = await page(browser)
  await login(p, 'admin', c.admin.pass, '/orgs')
  await p.waitForSelector('[data-testid=org-children] .el-table__row')
  // the city: its districts
  assert.match(await p.locator('[data-testid=org-children]').innerText(), /江北区/)
  await treeExpand(p, '江北区')
  await treeClick(p, '庄桥街道')
  await p.waitForFunction(() => /庄桥街道/.test(document.querySelector('[data-testid=org-detail] h1')?.textContent || ''))
  await p.waitForSelector('[data-testid=org-children] .el-table__row')
  const rows = await p.locator('[data-testid=org-children] .el-table__body .el-table__row').allInnerTexts()
  assert.ok(rows.length >= 1, 'the street has enterprises')
  for (const r of rows) assert.match(r, /企业/, 'only enterprises below a street: ' + r)
  assert.ok(!rows.some((r) => /甬江|洪塘/.test(r)), 'no other street')
  assert.match(await p.locator('[data-testid=scope]').innerText(), /宁波市\s*\/\s*江北区\s*\/\s*庄桥街道/)
  assert.match(p.url(), /org=6/)
  await shot(p, '04-org-street')
  // the workers list follows the scope
  await p.click('[data-testid=nav] >> text=花名册')
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  const orgs = await p.locator('[data-testid=workers-table] .el-table__body .col-org').allInnerTexts()
  const kids = rows.map((r) => r.split('\t')[0].trim())
  for (const o of orgs) assert.ok(kids.includes(o.trim()), `worker of ${o} is under 庄桥街道`)
  await p.context().close()
})

test('English is one click away, and logging out returns to the login page', async () => {
  const p = await page(browser)
  await login(p, 'viewer', c.viewer.pass)
  await p.click('[data-testid=lang]')
  await p.waitForSelector('text=Log out')
  await shot(p, '05-english')
  await p.click('[data-testid=lang]')
  await p.click('[data-testid=logout]')
  await p.waitForSelector('[data-testid=login-notice]')
  assert.match(await p.locator('[data-testid=login-notice]').innerText(), /安全退出/)
  // the session is gone: a protected page goes back to the login, remembering it
  await p.goto(BASE + '/workers?org=2')
  await p.waitForSelector('[data-testid=username]')
  assert.match(decodeURIComponent(p.url()), /redirect=\/workers\?org=2/)
  await p.fill('[data-testid=username]', 'viewer')
  await p.fill('[data-testid=password]', c.viewer.pass)
  await p.click('[data-testid=login-submit]')
  await p.waitForURL(/\/workers\?org=2/)
  await p.context().close()
})
