// 三权分立 in the console: the security admin grants a new account the
// admin role, which waits; the city admin approves it on 待确认变更 and is
// shown the second half of the new one-time password; the security admin
// fetches the first half; the owner logs in with both halves and must
// change the password.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, apiLogin, BASE } from './lib.mjs'

let browser
const c = creds()
const username = 'e2e_admin2'
let first = ''
let second = ''

before(async () => {
  browser = await launch()
  const sec = await apiLogin('secadmin', c.secadmin.pass)
  const r = await sec.call('POST', '/users', { username, name: '端到端管理员', password: 'Qm7#kettle-Run4', org_id: 1 })
  assert.equal(r.status, 201, JSON.stringify(r.body))
})
after(async () => {
  await close(browser)
})

test('the security admin grants admin: it waits for the system admin', async () => {
  const p = await page(browser)
  await login(p, 'secadmin', c.secadmin.pass)
  await p.waitForURL(/\/accounts/)
  await p.fill('[data-testid=user-q]', username)
  await p.click('[data-testid=user-search]')
  await p.locator('[data-testid=users-table] .el-table__row', { hasText: username }).click()
  await p.waitForSelector('[data-testid=user-drawer] [data-testid=grants-table]')
  await p.click('[data-testid=grant-role]')
  await p.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '系统管理员' }).click()
  await p.click('[data-testid=grant-add]')
  const msg = p.locator('.el-message--warning')
  await msg.waitFor()
  assert.match(await msg.innerText(), /须经系统管理员确认/)
  assert.doesNotMatch(await p.locator('[data-testid=grants-table]').innerText(), /系统管理员/, 'not granted yet')
  await p.keyboard.press('Escape')
  await p.click('[data-testid=nav] >> text=待确认变更')
  await p.waitForURL(/\/approvals/)
  const row = p.locator('[data-testid=approvals-table] .el-table__row', { hasText: username })
  await row.waitFor()
  assert.match(await row.innerText(), /授予 系统管理员/)
  assert.equal(await row.locator('[data-testid=approval-approve]').count(), 0, 'the proposer does not approve')
  assert.equal(await row.locator('[data-testid=approval-withdraw]').count(), 1)
  await shot(p, '46-approval-proposed')
  await p.context().close()
})

test('the system admin approves and is shown its half of the one-time password', async () => {
  const p = await page(browser)
  await login(p, 'admin', c.admin.pass)
  await p.goto(BASE + '/approvals')
  const row = p.locator('[data-testid=approvals-table] .el-table__row', { hasText: username })
  await row.waitFor()
  await row.locator('[data-testid=approval-approve]').click()
  await p.locator('.el-message-box .el-button--primary').click()
  const box = p.locator('.el-message-box', { hasText: '后半段' })
  await box.waitFor()
  const m = /后半段：(\S{6})。/.exec(await box.innerText())
  assert.ok(m, await box.innerText())
  second = m[1]
  await shot(p, '47-approval-approved')
  await box.locator('.el-button--primary').click()
  await p.click('[data-testid=approvals-state] >> text=全部')
  await p.locator('[data-testid=approvals-table] .el-table__row', { hasText: '已确认' }).first().waitFor()
  await p.context().close()
})

test('the security admin fetches the first half once; the owner logs in with both and must change it', async () => {
  const p = await page(browser)
  await login(p, 'secadmin', c.secadmin.pass)
  await p.goto(BASE + '/approvals')
  await p.click('[data-testid=approvals-state] >> text=全部')
  const row = p.locator('[data-testid=approvals-table] .el-table__row', { hasText: username })
  await row.locator('[data-testid=approval-half]').click()
  const box = p.locator('.el-message-box', { hasText: '前半段' })
  await box.waitFor()
  const m = /前半段：(\S{6})。/.exec(await box.innerText())
  assert.ok(m, await box.innerText())
  first = m[1]
  await box.locator('.el-button--primary').click()
  await p.waitForFunction(() => !document.querySelector('[data-testid=approval-half]'))
  await p.context().close()

  const q = await page(browser)
  await q.goto(BASE + '/')
  await q.fill('[data-testid=username]', username)
  await q.fill('[data-testid=password]', first + second)
  await q.click('[data-testid=login-submit]')
  await q.waitForURL(/\/password/)
  await q.context().close()
})
