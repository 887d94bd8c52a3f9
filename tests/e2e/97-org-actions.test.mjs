// The org page acts: a district admin adds a unit below a street and
// moves it under another; the page shows the registry's count beside the
// declared headcount; it disables an empty unit and enables it again; a
// viewer is offered none of these.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, apiLogin } from './lib.mjs'

let browser
const c = creds()
let api
const orgNamed = async (name) => {
  const r = await api.call('GET', '/orgs?under=2&q=' + encodeURIComponent(name) + '&limit=5')
  assert.equal(r.status, 200)
  const o = r.body.items.find((x) => x.name === name)
  assert.ok(o, name + ' exists')
  return o
}
before(async () => {
  browser = await launch()
  api = await apiLogin('jiangbei', c.jiangbei.pass)
})
after(async () => {
  await close(browser)
})

test('the org page counts the registry beside the declared headcount', async () => {
  const street = await orgNamed('洪塘街道')
  const st = await api.call('GET', '/stats/skills?org=' + street.id)
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/orgs/' + street.id)
  const cell = p.locator('[data-testid=org-registry]')
  await cell.waitFor()
  assert.equal(Number((await cell.innerText()).replace(/[^0-9]/g, '')), st.body.workers)
  assert.match(await p.locator('[data-testid=org-detail]').innerText(), /职工人数（填报）/)
  await cell.click()
  await p.waitForURL(new RegExp(`/workers\\?.*org=${street.id}`))
  await p.context().close()
})

test('a district admin adds an enterprise below a street, then moves it under another', async () => {
  const from = await orgNamed('洪塘街道')
  const to = await orgNamed('庄桥街道')
  const name = '宁波洪塘测试新材料有限公司'
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/orgs/' + from.id)
  await p.click('[data-testid=org-add]')
  const dialog = p.locator('.org-create-dialog')
  await dialog.waitFor()
  // the kinds a street may hold, enterprise first
  await dialog.locator('[data-testid=org-new-save]').click()
  await dialog.locator('.el-form-item__error', { hasText: '请填写名称' }).waitFor()
  await dialog.locator('[data-testid=org-new-name] input, input[data-testid=org-new-name]').first().fill(name)
  // the server's check of the credit code comes back beside its field
  await dialog.locator('[data-testid=org-new-uscc] input, input[data-testid=org-new-uscc]').first().fill('91330200MA2AAAAAA1')
  await dialog.locator('[data-testid=org-new-save]').click()
  const usccError = dialog.locator('.el-form-item__error').filter({ hasText: /校验位错误/ })
  await usccError.waitFor()
  // in words, not the API's field name; the field it names is offered
  assert.ok(!/uscc_override_reason/.test(await usccError.innerText()), await usccError.innerText())
  await dialog.locator('.el-form-item__label', { hasText: '校验例外说明' }).waitFor()
  await shot(p, '97-org-add-error')
  await dialog.locator('[data-testid=org-new-uscc] input, input[data-testid=org-new-uscc]').first().fill('')
  await dialog.locator('[data-testid=org-new-save]').click()
  await p.locator('.el-message--success', { hasText: `已新增 ${name}` }).waitFor()
  await p.waitForFunction((n) => document.querySelector('[data-testid=org-detail] h1')?.textContent.trim() === n, name)
  // the side tree shows it under its street at once
  await p.locator('[data-testid=org-tree] .el-tree-node', { hasText: name }).first().waitFor()
  const created = await orgNamed(name)
  assert.equal(created.parent_id, from.id)
  assert.equal(created.kind, 'enterprise')

  await p.click('[data-testid=org-move]')
  const move = p.locator('.org-move-dialog')
  await move.waitFor()
  await move.locator('[data-testid=org-move-save]').click()
  await move.locator('.el-alert--error', { hasText: '请选择新的上级单位' }).waitFor()
  await move.locator('[data-testid=org-move-parent]').click()
  await p.keyboard.type('庄桥')
  const option = p.locator('.el-select-dropdown__item:visible', { hasText: '庄桥街道' }).first()
  await option.waitFor()
  await option.click()
  await shot(p, '97-org-move')
  await move.locator('[data-testid=org-move-save]').click()
  await p.locator('.el-message--success', { hasText: '已调整' }).waitFor()
  await p.waitForFunction((n) => /庄桥街道/.test(document.querySelector('[data-testid=scope]')?.textContent || ''), null)
  // and in the tree under the new street
  await p.waitForFunction(
    ([street, n]) => {
      const node = [...document.querySelectorAll('[data-testid=org-tree] .el-tree-node')].find((e) => e.querySelector(':scope > .el-tree-node__content')?.textContent.includes(street))
      return !!node && node.textContent.includes(n)
    },
    ['庄桥街道', name],
  )
  const moved = (await api.call('GET', '/orgs/' + created.id)).body
  assert.equal(moved.parent_id, to.id, 'the enterprise is under its new street')
  await p.context().close()
})

test('a district admin disables the empty enterprise, learns why its street may not go, and enables it', async () => {
  const ent = await orgNamed('宁波洪塘测试新材料有限公司')
  const street = await orgNamed('庄桥街道')
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/orgs/' + ent.id)
  await p.click('[data-testid=org-disable]')
  const dialog = p.locator('.org-disable-dialog')
  await dialog.waitFor()
  await dialog.locator('[data-testid=org-disable-save]').click()
  await dialog.locator('.el-form-item__error', { hasText: '请填写停用原因' }).waitFor()
  await dialog.locator('textarea[data-testid=org-disable-reason], [data-testid=org-disable-reason] textarea').first().fill('企业注销')
  await shot(p, '97-org-disable')
  await dialog.locator('[data-testid=org-disable-save]').click()
  await p.locator('.el-message--success', { hasText: '已停用 宁波洪塘测试新材料有限公司' }).waitFor()
  await p.locator('[data-testid=org-disabled-tag]').waitFor()
  assert.match(await p.locator('[data-testid=org-disabled-note]').innerText(), /不再登记新的职工/)
  assert.equal(await p.locator('[data-testid=org-disable]').count(), 0)
  assert.match(await p.locator('[data-testid=org-detail]').innerText(), /停用时间/)
  // greyed and marked in the side tree, not gone from it
  await p.waitForFunction((n) => [...document.querySelectorAll('[data-testid=org-tree] .org-tree__node.is-disabled')].some((e) => e.textContent.includes(n) && e.textContent.includes('已停用')), ent.name)
  assert.equal((await api.call('GET', '/orgs/' + ent.id)).body.disabled, true)
  await shot(p, '97-org-disabled')

  // the street still holds enterprises in use: the server says so in the dialog
  await p.goto(p.url().replace(/\/orgs\/.*/, '/orgs/' + street.id))
  await p.locator('[data-testid=org-children] .el-table__row', { hasText: ent.name }).locator('.el-tag', { hasText: '已停用' }).waitFor()
  await p.click('[data-testid=org-disable]')
  await dialog.waitFor()
  await dialog.locator('textarea[data-testid=org-disable-reason], [data-testid=org-disable-reason] textarea').first().fill('街道撤并')
  await dialog.locator('[data-testid=org-disable-save]').click()
  await dialog.locator('[data-testid=org-disable-error]', { hasText: '仍有在用的下级单位' }).waitFor()
  await dialog.locator('.el-button', { hasText: '取消' }).click()
  assert.equal((await api.call('GET', '/orgs/' + street.id)).body.disabled, false)

  await p.goto(p.url().replace(/\/orgs\/.*/, '/orgs/' + ent.id))
  await p.click('[data-testid=org-enable]')
  const box = p.locator('.el-message-box', { hasText: '重新启用「宁波洪塘测试新材料有限公司」' })
  await box.waitFor()
  await box.locator('.el-button--primary').click()
  await p.locator('.el-message--success', { hasText: '已启用' }).waitFor()
  await p.locator('[data-testid=org-disabled-tag]').waitFor({ state: 'detached' })
  await p.locator('[data-testid=org-disable]').waitFor()
  assert.equal((await api.call('GET', '/orgs/' + ent.id)).body.disabled, false)
  await p.context().close()
})

test('a viewer is offered neither adding nor moving', async () => {
  const p = await page(browser)
  await login(p, 'viewer', c.viewer.pass, '/orgs')
  await p.waitForSelector('[data-testid=org-detail] h1')
  assert.equal(await p.locator('[data-testid=org-add]').count(), 0)
  assert.equal(await p.locator('[data-testid=org-move]').count(), 0)
  assert.equal(await p.locator('[data-testid=org-disable]').count(), 0)
  assert.equal(await p.locator('[data-testid=org-edit]').count(), 0)
  await p.context().close()
})
