// 系统管理: the city admin changes a product setting in place (the server's
// bound stands beside the field, 恢复默认 puts it back) and manages a code
// list; the security admin edits only the security policy; a district admin
// reads both pages without a button; a viewer is told the page is not theirs.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, apiLogin } from './lib.mjs'

let browser
const c = creds()
// a code no earlier run left behind, within the 32 characters a code may have
const code = 'e2e' + Date.now().toString(36)
let restore = null
before(async () => {
  browser = await launch()
})
after(async () => {
  // whatever happened above, the demo keeps its due-soon window
  if (restore !== null) {
    const a = await apiLogin('admin', c.admin.pass)
    await a.call('PATCH', '/settings', { due_soon_days: restore })
  }
  await close(browser)
})

const inputOf = (p, id) => p.locator(`[data-testid=${id}] input, input[data-testid=${id}]`).first()

test('the city admin changes a setting, meets its bound, and resets it', async () => {
  const p = await page(browser)
  await login(p, 'admin', c.admin.pass, '/')
  await p.locator('[data-testid=nav] a', { hasText: '参数设置' }).first().click()
  await p.waitForURL(/\/system\/settings/)
  const mine = p.locator('[data-testid=settings-group-admin]')
  const theirs = p.locator('[data-testid=settings-group-security_admin]')
  await mine.waitFor()
  // the admin's own group comes first; the security policy is read-only here
  const groups = await p.locator('[data-testid^=settings-group-]').evaluateAll((els) => els.map((e) => e.dataset.testid))
  assert.deepEqual(groups, ['settings-group-admin', 'settings-group-security_admin'])
  assert.equal(await theirs.locator('[data-testid^=setting-edit-]').count(), 0)
  assert.match(await theirs.innerText(), /您的角色只能查看本组参数/)
  assert.match(await theirs.locator('[data-testid=setting-label-audit_retention_days]').innerText(), /审计记录保留天数/)

  const key = 'due_soon_days'
  const value = p.locator(`[data-testid=setting-value-${key}]`)
  const before = Number((await value.innerText()).replace(/\D/g, ''))
  restore = before
  await p.click(`[data-testid=setting-edit-${key}]`)
  await inputOf(p, `setting-input-${key}`).fill('400')
  await p.click(`[data-testid=setting-save-${key}]`)
  // past its bound of 365 days: the server's answer, beside the field
  const err = p.locator(`[data-testid=setting-error-${key}]`)
  await err.waitFor()
  assert.match(await err.innerText(), /超出允许范围/)
  await inputOf(p, `setting-input-${key}`).fill('12.5')
  await p.click(`[data-testid=setting-save-${key}]`)
  await p.locator(`[data-testid=setting-error-${key}]`, { hasText: '请输入整数' }).waitFor()

  const want = before === 45 ? 46 : 45
  await inputOf(p, `setting-input-${key}`).fill(String(want))
  await p.click(`[data-testid=setting-save-${key}]`)
  await p.locator('.el-message--success', { hasText: '临近截止提醒天数' }).waitFor()
  await p.waitForFunction(([k, w]) => document.querySelector(`[data-testid=setting-value-${k}]`)?.textContent.trim() === `${w} 天`, [key, want])
  const row = mine.locator('.el-table__row', { has: p.locator(`[data-testid=setting-value-${key}]`) })
  assert.match(await row.innerText(), /已修改/)
  // the store has it, not just the page
  const a = await apiLogin('admin', c.admin.pass)
  assert.equal((await a.call('GET', '/settings')).body.values[key], want)
  await shot(p, '98-settings')

  await p.click(`[data-testid=setting-reset-${key}]`)
  const box = p.locator('.el-message-box', { hasText: '恢复为默认值 30 天' })
  await box.waitFor()
  await box.locator('.el-button--primary').click()
  await p.waitForFunction((k) => document.querySelector(`[data-testid=setting-value-${k}]`)?.textContent.trim() === '30 天', key)
  assert.equal((await a.call('GET', '/settings')).body.values[key], 30)
  // the tag leaves with its zoom transition
  await row.locator('.el-tag', { hasText: '已修改' }).waitFor({ state: 'detached' })
  await p.context().close()
})

test('the security admin edits only the security policy', async () => {
  const p = await page(browser)
  await login(p, 'secadmin', c.secadmin.pass, '/system/settings')
  const mine = p.locator('[data-testid=settings-group-security_admin]')
  await mine.waitFor()
  const groups = await p.locator('[data-testid^=settings-group-]').evaluateAll((els) => els.map((e) => e.dataset.testid))
  assert.deepEqual(groups, ['settings-group-security_admin', 'settings-group-admin'])
  assert.ok((await mine.locator('[data-testid^=setting-edit-]').count()) > 5)
  assert.equal(await p.locator('[data-testid=settings-group-admin] [data-testid^=setting-edit-]').count(), 0)
  // a 0/1 policy reads as a switch, not a number
  assert.match(await p.locator('[data-testid=setting-value-second_factor_everyone]').innerText(), /^(开启|关闭)$/)
  // the 等保 floor of 180 days for audit records holds, said beside the field
  await p.click('[data-testid=setting-edit-audit_retention_days]')
  await inputOf(p, 'setting-input-audit_retention_days').fill('90')
  await p.click('[data-testid=setting-save-audit_retention_days]')
  await p.locator('[data-testid=setting-error-audit_retention_days]', { hasText: '超出允许范围' }).waitFor()
  await p.click('[data-testid=setting-cancel-audit_retention_days]')
  assert.equal(await p.locator('[data-testid=setting-error-audit_retention_days]').count(), 0)
  // code lists are the city admin's
  assert.equal(await p.locator('[data-testid=nav] a', { hasText: '字典管理' }).count(), 0)
  await p.context().close()
})

test('the city admin adds a code, changes its label and switches it off', async () => {
  const p = await page(browser)
  await login(p, 'admin', c.admin.pass, '/system/codes')
  await p.locator('[data-testid=code-list-education]').click()
  await p.waitForURL(/list=education/)
  const table = p.locator('[data-testid=codes-table]')
  await table.locator('.el-table__row', { hasText: '大学本科' }).waitFor()
  assert.match(await p.locator('[data-testid=code-list-education]').innerText(), /学历\s*\d+ 项/)

  await p.click('[data-testid=code-add]')
  const dialog = p.locator('[data-testid=code-dialog]').last()
  await dialog.locator('[data-testid=code-save]').click()
  // every field the console can judge, at once
  await dialog.locator('.el-form-item__error', { hasText: '代码为 1 至 32 位' }).waitFor()
  assert.equal(await dialog.locator('.el-form-item__error', { hasText: '必填' }).count(), 2)
  await inputOf(dialog, 'code-form-code').fill('10')
  await dialog.locator('[data-testid=code-save]').click()
  await dialog.locator('.el-form-item__error', { hasText: '本代码表已有此代码' }).waitFor()
  await inputOf(dialog, 'code-form-code').fill(code)
  await inputOf(dialog, 'code-form-zh').fill('职业培训结业')
  await inputOf(dialog, 'code-form-en').fill('Vocational course')
  await shot(p, '98-code-new')
  await dialog.locator('[data-testid=code-save]').click()
  await p.locator('.el-message--success', { hasText: '已新增代码 ' + code }).waitFor()
  const mine = table.locator('.el-table__row', { hasText: code })
  await mine.waitFor()
  assert.match(await mine.innerText(), /职业培训结业[\s\S]*启用/)

  await p.click(`[data-testid=code-edit-${code}]`)
  await dialog.waitFor()
  assert.equal(await inputOf(dialog, 'code-form-code').isDisabled(), true)
  await inputOf(dialog, 'code-form-zh').fill('职业技能培训结业')
  await dialog.locator('[data-testid=code-save]').click()
  await p.locator('.el-message--success', { hasText: '已保存代码 ' + code }).waitFor()
  await table.locator('.el-table__row', { hasText: '职业技能培训结业' }).waitFor()

  await p.click(`[data-testid=code-toggle-${code}]`)
  const box = p.locator('.el-message-box', { hasText: '停用“职业技能培训结业”' })
  await box.waitFor()
  await box.locator('.el-button--primary').click()
  await p.locator('.el-message--success', { hasText: '已停用代码 ' + code }).waitFor()
  assert.equal((await p.locator(`[data-testid=code-status-${code}]`).innerText()).trim(), '停用')
  // the drop-downs no longer offer it; the list with inactive codes keeps it
  const a = await apiLogin('admin', c.admin.pass)
  assert.equal((await a.call('GET', '/codes/education')).body.items.some((x) => x.code === code), false)
  const all = (await a.call('GET', '/codes/education?all=1')).body.items.find((x) => x.code === code)
  assert.deepEqual([all.label_zh, all.label_en, all.active], ['职业技能培训结业', 'Vocational course', false])

  await inputOf(p, 'code-filter').fill('本科')
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=codes-table] .el-table__body .el-table__row').length === 1)
  await shot(p, '98-codes')
  await p.context().close()
})

test('a district admin reads both pages without buttons; a viewer is told', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/system/settings')
  await p.locator('[data-testid=settings-group-admin]').waitFor()
  assert.equal(await p.locator('[data-testid^=setting-edit-]').count(), 0)
  await p.goto(p.url().replace(/\/system\/settings.*/, '/system/codes?list=gender'))
  await p.locator('[data-testid=codes-table] .el-table__row').first().waitFor()
  assert.match(await p.locator('[data-testid=codes-page]').innerText(), /只有市级系统管理员可以修改代码表/)
  assert.equal(await p.locator('[data-testid=code-add], [data-testid^=code-edit-]').count(), 0)
  await p.context().close()

  const v = await page(browser)
  await login(v, 'viewer', c.viewer.pass, '/system/codes')
  await v.locator('[data-testid=forbidden]').waitFor()
  assert.match(await v.locator('[data-testid=forbidden]').innerText(), /无权访问[\s\S]*没有打开此页面的权限/)
  // the address typed stays in the bar
  assert.match(v.url(), /\/system\/codes$/)
  assert.equal(await v.locator('[data-testid=nav] a', { hasText: '参数设置' }).count(), 0)
  await shot(v, '98-forbidden')
  await v.context().close()
})
