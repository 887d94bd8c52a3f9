// dates: this file runs at every date of tests/dates.txt
// Editing a plan in the console: the district adds an aspect, an item and a
// registry-computed sub-item (the API's field message shows under the
// field), edits and deletes nodes with confirmation; the dashboard then
// shows the sub-item against its target and clicks through to the workers
// it counts and to the task; an org without a plan says so; a new plan is
// created and filled from a template file; two sealed statements are
// compared as a table.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { launch, close, page, login, shot, creds, apiLogin, YEAR, TODAY } from './lib.mjs'

let browser
const c = creds()
const tmp = process.env.CHANGAI_E2E_TMP || '/tmp'
const year = YEAR
let plan // the district's own plan for the year (the demo's)
let subId
before(async () => {
  browser = await launch()
  const a = await apiLogin('jiangbei', c.jiangbei.pass)
  const mine = (await a.call('GET', `/plans?org=2&year=${year}`)).body.items.filter((p) => p.org_id === 2)
  mine.sort((x, y) => x.id - y.id)
  plan = mine[0].id
})
after(async () => {
  await close(browser)
})

const row = (p, text) => p.locator('[data-testid=plan-tree] .el-table__body .el-table__row', { hasText: text })
const dialog = (p) => p.locator('[data-testid=node-dialog]')
// the error shown under the form item labelled `label`
const fieldError = (p, label) =>
  dialog(p).locator('.el-form-item', { has: p.locator('.el-form-item__label', { hasText: label }) }).locator('.el-form-item__error')

test('only the managers of a plan see its editing controls', async () => {
  for (const u of ['viewer', 'renshe']) {
    const p = await page(browser)
    await login(p, u, c[u].pass, `/plans?plan=${plan}`)
    await p.waitForSelector('[data-testid=plan-tree] .el-table__row')
    assert.equal(await p.locator('[data-testid=edit-mode]').count(), 0, u + ' may not edit')
    assert.equal(await p.locator('[data-testid=plan-import]').count(), 0, u + ' may not import')
    await p.context().close()
  }
})

test('the district adds, edits and deletes nodes of its plan', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, `/plans?org=2&plan=${plan}`)
  await p.waitForSelector('[data-testid=plan-tree] .el-table__row')
  await p.click('[data-testid=edit-mode]')
  await p.waitForSelector('[data-testid=add-aspect]')
  await shot(p, '60-plan-edit-mode')

  // an aspect, with the keyboard: Enter in the title submits
  await p.click('[data-testid=add-aspect]')
  await p.locator('[data-testid=n-title]').waitFor()
  await p.fill('[data-testid=n-title]', '数字技能提升')
  await p.press('[data-testid=n-title]', 'Enter')
  await dialog(p).locator('.el-dialog').waitFor({ state: 'hidden' })
  await row(p, '数字技能提升').waitFor()
  const aspectId = Number((await row(p, '数字技能提升').locator('[data-testid^=edit-]').first().getAttribute('data-testid')).slice(5))

  // an item under it; the empty title is refused before asking
  await p.click(`[data-testid=add-under-${aspectId}]`)
  await p.locator('[data-testid=n-title]').waitFor()
  await p.click('[data-testid=n-save]')
  await fieldError(p, '名称').waitFor()
  assert.equal((await fieldError(p, '名称').innerText()).trim(), '请填写名称')
  await p.fill('[data-testid=n-title]', '数字工匠培育')
  await p.click('[data-testid=n-save]')
  await dialog(p).locator('.el-dialog').waitFor({ state: 'hidden' })
  await row(p, '数字工匠培育').waitFor()
  const itemId = Number((await row(p, '数字工匠培育').locator('[data-testid^=edit-]').first().getAttribute('data-testid')).slice(5))

  // a sub-item computed from the registry, first with a deadline outside
  // the plan's year: the API's message shows under 完成时限
  await p.click(`[data-testid=add-under-${itemId}]`)
  await p.locator('[data-testid=n-title]').waitFor()
  await p.fill('[data-testid=n-title]', '全区工会会员人数')
  await p.click('[data-testid=n-lead]')
  await p.keyboard.type('人力资源')
  await p.locator('.el-select-dropdown__item:visible', { hasText: '江北区人力资源和社会保障局' }).click()
  await p.locator('[data-testid=n-deadline] input').fill(`${year + 1}-03-31`)
  await p.keyboard.press('Enter')
  await p.fill('[data-testid=n-value] input', '1500')
  await p.fill('[data-testid=n-unit]', '人')
  await p.click('[data-testid=n-metric]')
  await p.locator('.el-select-dropdown__item:visible', { hasText: '工会会员人数' }).click()
  await p.click('[data-testid=n-save]')
  await fieldError(p, '完成时限').waitFor()
  const msg = (await fieldError(p, '完成时限').innerText()).trim()
  assert.match(msg, /年/, 'the API names the rule: ' + msg)
  assert.equal(await dialog(p).locator('.el-form-item.is-error').count(), 1, 'only the deadline is marked')
  await shot(p, '61-node-form-error')
  await p.locator('[data-testid=n-deadline] input').fill(`${year}-12-31`)
  await p.keyboard.press('Enter')
  await p.click('[data-testid=n-save]')
  await dialog(p).locator('.el-dialog').waitFor({ state: 'hidden' })
  await row(p, '全区工会会员人数').waitFor()
  assert.match(await row(p, '全区工会会员人数').innerText(), /工会会员人数/)
  subId = Number((await row(p, '全区工会会员人数').locator('[data-testid^=edit-]').first().getAttribute('data-testid')).slice(5))

  // edit the item's title
  await p.click(`[data-testid=edit-node-${itemId}]`)
  await p.locator('[data-testid=n-title]').waitFor()
  assert.equal(await p.inputValue('[data-testid=n-title]'), '数字工匠培育')
  await p.fill('[data-testid=n-title]', '数字工匠培育工程')
  await p.click('[data-testid=n-save]')
  await dialog(p).locator('.el-dialog').waitFor({ state: 'hidden' })
  await row(p, '数字工匠培育工程').waitFor()

  // deleting asks first: cancel keeps it, confirm removes it
  await p.click('[data-testid=add-aspect]')
  await p.fill('[data-testid=n-title]', '临时方面')
  await p.click('[data-testid=n-save]')
  await row(p, '临时方面').waitFor()
  const tmpId = Number((await row(p, '临时方面').locator('[data-testid^=edit-]').first().getAttribute('data-testid')).slice(5))
  await p.click(`[data-testid=delete-node-${tmpId}]`)
  await p.locator('.el-message-box').waitFor()
  assert.match(await p.locator('.el-message-box').innerText(), /临时方面/)
  await shot(p, '62-node-delete-confirm')
  await p.locator('.el-message-box__btns .el-button', { hasText: '取消' }).click()
  await p.locator('.el-message-box').waitFor({ state: 'hidden' })
  assert.equal(await row(p, '临时方面').count(), 1, 'cancel keeps it')
  await p.click(`[data-testid=delete-node-${tmpId}]`)
  await p.locator('.el-message-box__btns .el-button--danger').click()
  await row(p, '临时方面').waitFor({ state: 'detached' })
  // the closing confirmation must be gone, or the next click can land on it
  await p.locator('.el-message-box').waitFor({ state: 'hidden' })

  // a task with progress reports stays, and the console says why (人社局
  // reports on its task first: early in January the year has none yet)
  const rs = await apiLogin('renshe', c.renshe.pass)
  const tree = (await rs.call('GET', `/plans/${plan}/tree`)).body
  const task = tree.nodes.flatMap((x) => x.children).flatMap((x) => x.children).find((x) => x.title === '劳模工匠进企业宣讲')
  const rep = await rs.call('POST', `/plans/${plan}/nodes/${task.id}/reports`, { value: 3, note: '宣讲 3 场', as_of: TODAY })
  assert.equal(rep.status, 201, JSON.stringify(rep.body))
  await p.reload()
  await p.waitForSelector('[data-testid=plan-tree] .el-table__row')
  await p.click('[data-testid=edit-mode]')
  await p.waitForSelector('[data-testid=add-aspect]')
  const reported = row(p, '劳模工匠进企业宣讲')
  const repId = Number((await reported.locator('[data-testid^=edit-]').first().getAttribute('data-testid')).slice(5))
  await p.click(`[data-testid=delete-node-${repId}]`)
  await p.locator('.el-message-box').waitFor()
  assert.match(await p.locator('.el-message-box').innerText(), /劳模工匠进企业宣讲/)
  await p.locator('.el-message-box__btns .el-button--danger').click()
  await p.locator('.el-message--error').waitFor()
  assert.match(await p.locator('.el-message--error').innerText(), /不能删除/)
  assert.equal(await row(p, '劳模工匠进企业宣讲').count(), 1)
  await p.context().close()
})

test("the dashboard shows the year's targets and clicks through to their rows", async () => {
  assert.ok(subId, 'the sub-item was added')
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/dashboard?org=2')
  const card = p.locator(`[data-testid=target-kpi][data-node="${subId}"]`)
  await card.waitFor()
  await p.waitForFunction(() => document.querySelector('[data-kpi=workers] .kpi__value')?.textContent.trim() !== '—')
  const actual = Number((await card.locator('[data-testid=target-actual]').innerText()).replace(/[^0-9.]/g, ''))
  // the actual and the target each carry the task's unit
  assert.match(await card.locator('.tkpi__figure').innerText(), /^[\d,]+\s*人\s*\/\s*1,500\s*人$/)
  // the union members the registry counts for the district
  const unionCard = await p.locator('[data-kpi=union] .kpi__hint').innerText()
  assert.equal(actual, Number(unionCard.split('/')[0].replace(/[^0-9]/g, '')), 'the target card counts the same members as the union card')
  const pctShown = await card.locator('.completion__text').innerText()
  // completion is actual / target, capped at 100 %
  assert.equal(pctShown, Math.min(100, Math.round((actual / 1500) * 1000) / 10) + '%')
  await p.locator('[data-testid=targets]').scrollIntoViewIfNeeded()
  await shot(p, '63-dashboard-targets')

  // the actual opens the workers it counts
  await card.locator('[data-testid=target-actual]').click()
  await p.waitForURL(/\/workers\?.*union=1/)
  assert.match(p.url(), /org=2/)
  await p.waitForSelector('[data-testid=workers-total]')
  const total = Number((await p.locator('[data-testid=workers-total]').innerText()).replace(/[^0-9]/g, ''))
  assert.equal(total, actual, 'the list has the rows behind the figure')
  await p.goBack()
  // the title opens the task in the plan's tree, alone with its parents
  await card.locator('.tkpi__title').click()
  await p.waitForURL(new RegExp(`node=${subId}`))
  await p.waitForSelector('[data-testid=plan-focus]')
  await row(p, '全区工会会员人数').waitFor()
  assert.equal(await p.locator('[data-testid=plan-tree] .el-table__body .el-table__row').count(), 3, 'aspect, item and the task')
  await shot(p, '64-plan-focus')

  // an org without a plan for the year says so
  await p.goto(p.url().replace(/\/plans\?.*$/, '/dashboard?org=6'))
  await p.waitForSelector('[data-testid=targets-empty]')
  assert.match(await p.locator('[data-testid=targets-empty]').innerText(), /本年度方案未设定目标/)
  await p.locator('[data-testid=targets]').scrollIntoViewIfNeeded()
  await shot(p, '65-dashboard-no-plan')

  // another year: the cards follow the year chosen in the head
  await p.goto(p.url().replace(/\/dashboard\?.*$/, '/dashboard?org=2'))
  await card.waitFor()
  await p.locator('[data-testid=dashboard-year]').click()
  await p.locator('.el-select-dropdown__item:visible', { hasText: `${YEAR - 1} 年度` }).click()
  await p.waitForURL(new RegExp(`year=${YEAR - 1}`))
  await p.waitForFunction((y) => document.querySelector('[data-testid=targets] h2')?.textContent.includes(String(y)), YEAR - 1)
  await card.waitFor({ state: 'detached' })
  await p.locator('[data-testid=dashboard-year]').click()
  await p.locator('.el-select-dropdown__item:visible', { hasText: `${YEAR} 年度` }).click()
  await card.waitFor()
  assert.ok(!/year=/.test(p.url()), 'the business year needs no ?year=')
  await p.context().close()
})

test('a new plan is created and filled from a template file', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/dashboard?org=6')
  await p.waitForSelector('[data-testid=targets-empty] a')
  await p.click('[data-testid=targets-empty] a')
  await p.waitForSelector('[data-testid=np-title]')
  await p.fill('[data-testid=np-title]', `庄桥街道${year}年产改工作对账单`)
  await p.click('[data-testid=np-save]')
  await p.waitForURL(/plan=\d+/)
  await p.waitForSelector('[data-testid=plan-import]')
  await p.click('[data-testid=plan-import]')
  const input = p.locator('[data-testid=import-file]')
  assert.match(await input.getAttribute('accept'), /\.xlsx/)
  // a file with a bad row first: nothing imported, the row named
  const head = '方面,大项,分项,牵头单位,配合单位,完成时限,目标值,单位,权重,指标\r\n'
  const bad = join(tmp, 'plan-bad.csv')
  writeFileSync(bad, '\uFEFF' + head + `产业工人队伍建设,工会组建,新建工会,庄桥街道,,${year}-13-45,5,个,1,manual\r\n`)
  await input.setInputFiles(bad)
  await p.click('[data-testid=import-submit]')
  await p.waitForSelector('[data-testid=import-errors] .el-table__row')
  assert.match(await p.locator('[data-testid=import-errors]').innerText(), /2/)
  await shot(p, '66-import-errors')
  const good = join(tmp, 'plan-good.csv')
  writeFileSync(
    good,
    '\uFEFF' +
      head +
      `产业工人队伍建设,工会组建,新建企业工会,庄桥街道,,${year}-11-30,6,个,1,manual\r\n` +
      `产业工人队伍建设,工会组建,工会会员入会率,庄桥街道,,${year}-12-31,90,%,2,union_rate\r\n` +
      `技能提升,技能等级认定,组织职业技能等级认定,庄桥街道,,${year}-10-31,里程碑,,1,manual\r\n`,
  )
  await input.setInputFiles(good)
  await p.click('[data-testid=import-submit]')
  await p.waitForSelector('[data-testid=import-done]')
  assert.match(await p.locator('[data-testid=import-done]').innerText(), /3 行/)
  await p.locator('[data-testid=import-dialog] .el-dialog__footer .el-button').first().click()
  await row(p, '工会会员入会率').waitFor()
  assert.equal(await row(p, '组织职业技能等级认定').count(), 1)
  await shot(p, '67-imported-plan')
  // the street's dashboard now has a target
  await p.goto(p.url().replace(/\/plans\?.*$/, '/dashboard?org=6'))
  await p.waitForSelector('[data-testid=target-kpi][data-metric=union_rate]')
  await p.context().close()
})

test('two sealed statements compare as a table of what moved', async () => {
  // last year's statement of the street, sealed at mid-year and at the
  // year's end by the demo: on any day of this year both are in the past
  const a = await apiLogin('yongjiang', c.yongjiang.pass)
  const last = (await a.call('GET', `/plans?year=${year - 1}`)).body.items.find((x) => x.title === `甬江街道${year - 1}年产业工人队伍建设改革工作对账单`)
  assert.ok(last, "last year's statement of the street")
  const seals = (await a.call('GET', `/plans/${last.id}/statements`)).body.items
  assert.deepEqual(seals.map((x) => x.title).sort(), ['上半年对账单', '年度对账单'])
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, `/plans?org=${last.org_id}&plan=${last.id}&tab=statement`)
  await p.waitForSelector('[data-testid=compare-go]')
  await p.click('[data-testid=compare-go]')
  await p.waitForSelector('[data-testid=compare-table] .el-table__row')
  assert.match(await p.locator('[data-testid=compare-head]').innerText(), /上半年对账单.*年度对账单.*\d+ 项有变化/)
  const first = await p.locator('[data-testid=compare-table] .el-table__row').first().innerText()
  assert.match(first, /→/)
  assert.match(await p.locator('[data-testid=compare-totals]').innerText(), /总体完成度/)
  assert.equal(await p.locator('pre.json').count(), 0, 'no raw JSON')
  await p.locator('[data-testid=compare]').scrollIntoViewIfNeeded()
  await shot(p, '68-statement-compare')
  await p.context().close()
})
