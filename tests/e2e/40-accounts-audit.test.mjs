// The security admin creates a user with a temporary password and grants
// it a role (the separation-of-duties refusal shown in place); the new user
// must change the password at first login; the auditor finds these
// actions, the import and the export in the audit trail and verifies the
// hash chain.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { auditAction, launch, close, page, login, shot, creds, BASE } from './lib.mjs'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let browser
const c = creds()
let temp = ''
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('the security admin creates a user, grants a role and is refused a second duty', async () => {
  const p = await page(browser)
  await login(p, 'secadmin', c.secadmin.pass)
  await p.waitForURL(/\/accounts/)
  await p.waitForSelector('[data-testid=users-table] .el-table__row')
  await shot(p, '40-accounts')
  await p.click('[data-testid=user-create]')
  await p.fill('[data-testid=nu-username]', 'e2e_viewer')
  await p.fill('[data-testid=nu-name]', '端到端测试员')
  temp = await p.inputValue('[data-testid=nu-password]')
  assert.ok(temp.length >= 12)
  await shot(p, '41-user-create')
  await p.click('[data-testid=nu-save]')
  await p.locator('.el-message-box').waitFor()
  assert.ok((await p.locator('.el-message-box').innerText()).includes(temp), 'the temporary password is shown once')
  await p.locator('.el-message-box .el-button--primary').click()
  await p.waitForSelector('[data-testid=user-drawer] [data-testid=grants-table]')
  // a viewer grant at the current scope (the city)
  await p.click('[data-testid=grant-add]')
  await p.waitForFunction(() => /只读用户/.test(document.querySelector('[data-testid=grants-table]')?.innerText || ''))
  // an auditor grant besides it breaks the separation of duties
  await p.click('[data-testid=grant-role]')
  await p.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '审计员' }).click()
  await p.click('[data-testid=grant-add]')
  const err = p.locator('[data-testid=grant-error]')
  await err.waitFor()
  assert.match(await err.innerText(), /三权分立/)
  await shot(p, '42-user-grants')
  // the online sessions
  await p.keyboard.press('Escape')
  await p.click('.el-tabs__item:has-text("在线会话")')
  await p.waitForSelector('[data-testid=sessions-table] .el-table__row')
  assert.match(await p.locator('[data-testid=sessions-table]').innerText(), /secadmin/)
  // 在线用户 names the browser and the system
  assert.match(await p.locator('[data-testid=session-ua]').first().innerText(), /Chrome \d+ · Linux/)
  await shot(p, '43-sessions')
  await p.context().close()
})

test('the new user must change the temporary password at first login', async () => {
  assert.ok(temp)
  const p = await page(browser)
  await p.goto(BASE + '/workers?org=2')
  await p.fill('[data-testid=username]', 'e2e_viewer')
  await p.fill('[data-testid=password]', temp)
  await p.click('[data-testid=login-submit]')
  await p.waitForURL(/\/password/)
  await p.waitForSelector('[data-testid=new-password]')
  await shot(p, '44-password-forced')
  await p.fill('[data-testid=old-password]', temp)
  await p.fill('[data-testid=new-password]', 'short')
  await p.fill('[data-testid=again-password]', 'short')
  await p.click('[data-testid=password-submit]')
  await p.locator('.el-form-item__error').first().waitFor()
  await p.fill('[data-testid=new-password]', 'Hx7#river-gate-42')
  await p.fill('[data-testid=again-password]', 'Hx7#river-gate-42')
  await p.click('[data-testid=password-submit]')
  await p.waitForURL(/\/workers\?org=2/)
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  await p.context().close()
})

test('the auditor sees these actions in the audit trail and verifies the chain', async () => {
  const p = await page(browser)
  await login(p, 'auditor', c.auditor.pass)
  await p.waitForURL(/\/audit/)
  await p.waitForSelector('[data-testid=audit-table] .el-table__row')
  const find = async (prefix) => {
    await auditAction(p, prefix)
    const done = p.waitForResponse((r) => r.url().includes('/api/v1/audit?') && (!prefix || r.url().includes('action=')))
    await p.click('[data-testid=audit-search]')
    await done
    await p.waitForFunction(() => !document.querySelector('[data-testid=audit-table] .el-loading-mask'))
    return p.locator('[data-testid=audit-table] .el-table__body').innerText()
  }
  let text = await find('user.create')
  assert.match(text, /secadmin/)
  assert.match(text, /e2e_viewer/)
  // targets and summaries in words, not user:10 and raw JSON
  assert.match(text, /账号 #\d+/)
  assert.match(text, /用户名：e2e_viewer/)
  assert.doesNotMatch(text, /user:\d+/)
  assert.doesNotMatch(text, /"username"/)
  text = await find('grant.')
  assert.match(text, /grant\.add/)
  text = await find('workers.import')
  assert.match(text, /yongjiang/)
  text = await find('workers.export')
  assert.match(text, /admin/)
  text = await find('user.password')
  assert.match(text, /e2e_viewer/)
  await find('')
  await p.click('[data-testid=audit-verify]')
  const v = p.locator('[data-testid=audit-verdict]')
  await v.waitFor()
  assert.match(await v.innerText(), /哈希链完整/)
  await shot(p, '45-audit')
  await p.context().close()
})

test('the login log apart, an action chosen by its name, the trail exported for Excel', async () => {
  const p = await page(browser)
  await login(p, 'auditor', c.auditor.pass)
  await p.waitForSelector('[data-testid=audit-table] .el-table__row')
  // 登录日志: the session actions only, by name, results in words
  const done = p.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('action=session.'))
  await p.locator('[data-testid=audit-log] label', { hasText: '登录日志' }).click()
  await done
  await p.waitForFunction(() => !document.querySelector('[data-testid=audit-table] .el-loading-mask'))
  const codes = await p.locator('[data-testid=audit-table] .action-code').allInnerTexts()
  assert.ok(codes.length > 0 && codes.every((x) => x.startsWith('session.')), codes.join(' '))
  const body = await p.locator('[data-testid=audit-table] .el-table__body').innerText()
  assert.match(body, /登录/)
  assert.match(body, /成功/)
  assert.doesNotMatch(body, /\bok\b/)
  await shot(p, '46-login-log')
  // 操作日志 with an action chosen by its Chinese name
  await p.locator('[data-testid=audit-log] label', { hasText: '操作日志' }).click()
  await p.locator('[data-testid=audit-action]').click()
  await p.locator('.el-select-dropdown__item', { hasText: '创建账号' }).first().click()
  const picked = p.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('action=user.create'))
  await p.click('[data-testid=audit-search]')
  await picked
  await p.waitForFunction(() => !document.querySelector('[data-testid=audit-table] .el-loading-mask'))
  const picks = await p.locator('[data-testid=audit-table] .action-code').allInnerTexts()
  assert.ok(picks.length > 0 && picks.every((x) => x === 'user.create'), picks.join(' '))
  // the export carries the same filter, names and China time
  const href = await p.locator('[data-testid=audit-export]').getAttribute('href')
  assert.match(href, /\/api\/v1\/audit\/export\.csv\?.*action=user\.create/)
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('[data-testid=audit-export]')])
  const file = join(tmpdir(), 'e2e-audit.csv')
  await dl.saveAs(file)
  const text = readFileSync(file, 'utf8')
  assert.ok(text.startsWith('\uFEFF序号,时间,操作人'), text.slice(0, 60))
  assert.match(text, /,创建账号,user\.create,/)
  await p.context().close()
})
