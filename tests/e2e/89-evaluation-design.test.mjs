// The evaluation index's upkeep in the console: 江北区's union sets this
// year's deadline for reported values (one before the period starts is
// refused under the field), reads the units that have not reported, and
// after the sweep finds the reminder in 消息中心 (the top bar's badge),
// which opens the period; it adds and changes an indicator in 指标设计
// (faults shown as it types, the server's refusal under the field it
// names, a node a class names refused with the server's words), creates
// a class and assigns members by rule and by hand, reads the points
// ranking of one class, and the statistics page shows the demonstration
// units 85-evaluation named; the pages on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { launch, close, page, login, shot, creds, apiLogin, TODAY, YEAR } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

const INDEX = '江北区企业产改指数'
const dayNum = (s) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86400000
const iso = (n) => new Date(n * 86400000).toISOString().slice(0, 10)
// a deadline already past but inside this year's period
const DUE = iso(Math.max(dayNum(`${YEAR}-01-01`), dayNum(TODAY) - 3))
const LATE = dayNum(TODAY) - dayNum(DUE)

async function pickOption(p, testid, label) {
  await p.click(`[data-testid=${testid}]`)
  await p.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
}
async function openTab(p, label) {
  await p.locator('[data-testid=ev-tabs] .el-tabs__item', { hasText: label }).click()
}
// the message of a kind saying what is expected (an earlier one may still show)
async function message(p, kind, re) {
  const m = p.locator(`.el-message--${kind}`, { hasText: re }).last()
  await m.waitFor()
  return m.innerText()
}
async function setDue(p, date) {
  const input = p.locator('[data-testid=ev-due-edit] .el-date-editor input')
  await input.fill(date)
  await input.press('Enter')
  await p.locator('[data-testid=ev-due-edit] .el-form-item__label').click() // close the panel
  await p.click('[data-testid=ev-due-save]')
}
// a locator's text, once it matches (the view renders after the input)
async function waitMatch(l, re, timeout = 5000) {
  const end = Date.now() + timeout  // real time: how long to wait
  let text = ''
  while (Date.now() < end) {
    text = await l.innerText()
    if (re.test(text)) return text
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.match(text, re)
}
async function waitNoMatch(l, re, timeout = 5000) {
  const end = Date.now() + timeout  // real time: how long to wait
  let text = ''
  while (Date.now() < end) {
    text = await l.innerText()
    if (!re.test(text)) return text
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.doesNotMatch(text, re)
}
const badge = async (p) => Number((await p.locator('[data-testid=inbox-badge-count]').textContent()).trim())

test('the district sets the deadline for values, reads who has not reported and is reminded through the inbox', async () => {
  const api = await apiLogin('jiangbei', c.jiangbei.pass)
  const idx = (await api.call('GET', '/indexes')).body.items.find((x) => x.title === INDEX)
  const per = (await api.call('GET', `/indexes/${idx.id}`)).body.periods.find((x) => x.label === `${YEAR}年度`)
  assert.equal(per.state, 'open')
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, `/evaluation?index=${idx.id}&period=${per.id}`)
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  assert.match(await p.locator('[data-testid=ev-period]').innerText(), new RegExp(`${YEAR}年度`))
  const before = await badge(p)
  // a deadline before the period starts: the server's words under the field
  await setDue(p, `${YEAR - 1}-12-31`)
  await p.waitForSelector('[data-testid=ev-due-edit] .el-form-item__error')
  assert.match(await p.locator('[data-testid=ev-due-edit] .el-form-item__error').innerText(), /填报截止日期早于周期开始/)
  assert.match(await p.locator('[data-testid=ev-due-date]').innerText(), /未设置/)
  // one past: saved, shown with how late it is
  await setDue(p, DUE)
  assert.match(await message(p, 'success', /填报截止日期已保存/), /填报截止日期已保存/)
  assert.equal((await p.locator('[data-testid=ev-due-date]').innerText()).trim(), DUE)
  if (LATE > 0) assert.equal((await p.locator('[data-testid=ev-due-late]').innerText()).trim(), `已过 ${LATE} 天`)
  assert.equal((await api.call('GET', `/periods/${per.id}`)).body.report_due ?? (await api.call('GET', `/indexes/${idx.id}`)).body.periods.find((x) => x.id === per.id).report_due, DUE)
  // 未填报单位: every unit the server names, with how many are missing
  const un = (await api.call('GET', `/periods/${per.id}/unreported`)).body
  assert.ok(un.total > 0, 'the demo has units that owe values')
  await openTab(p, '未填报单位')
  await p.waitForSelector('[data-testid=ev-unreported-table] .el-table__row')
  assert.equal((await p.locator('[data-testid=ev-unreported-total]').innerText()).trim(), `${un.total} 家单位尚有指标未填报（需填报的指标共 ${un.reported_nodes} 项）`)
  assert.equal(await p.locator('[data-testid=ev-unreported-name]').first().innerText(), un.items[0].org_name)
  assert.equal(await p.locator('[data-testid=ev-unreported-missing]').first().innerText(), `${un.items[0].missing} / ${un.reported_nodes} 项`)
  assert.equal(await p.locator('[data-testid=ev-unreported-name]').count(), un.items.length)
  await shot(p, '89a-evaluation-deadline')

  // the sweep on the business date writes the reminder; the badge counts it on the next navigation
  const env = { ...process.env, CHANGAI_TEST_CLOCK: '1', CHANGAI_TODAY: TODAY }
  delete env.CHANGAI_NOW
  const out = execFileSync(process.env.CHANGAI_E2E_BIN, ['sweep', '--db', process.env.CHANGAI_E2E_DB], { encoding: 'utf8', env, timeout: 60000 })
  assert.match(out, /^evaluation: [1-9]\d* reminders of values not reported$/m)
  const box = (await api.call('GET', '/inbox?source=evaluation')).body
  const entry = box.items.find((x) => x.kind === 'unreported' && x.ref.id === per.id)
  assert.ok(entry && !entry.read, JSON.stringify(box.items[0]))
  await p.click('[data-testid=nav] >> text=消息中心')
  await p.waitForSelector('[data-testid=inbox-item]')
  assert.equal(await badge(p), box.unread)
  assert.ok(box.unread > before)
  assert.equal(await p.locator('[data-testid=inbox-badge] .el-badge__content').innerText(), String(Math.min(99, box.unread)))
  // source filter and unread filter
  await pickOption(p, 'inbox-source', '产改指数')
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=inbox-item]').length > 0)
  const kinds = await p.locator('[data-testid=inbox-kind]').allInnerTexts()
  assert.ok(kinds.length && kinds.every((k) => k === '指标未填报'), kinds.join())
  const item = p.locator(`[data-testid=inbox-item][data-id="${entry.id}"]`)
  assert.match(await item.innerText(), new RegExp(`填报截止日期 ${DUE} 已过`))
  assert.equal(await item.getAttribute('data-read'), '0')
  assert.doesNotMatch(await item.innerText(), /\d{4}-\d\d-\d\dT/)
  await shot(p, '89b-inbox')
  // clicked: read, and the link opens the period
  await item.click()
  await p.waitForURL(/\/evaluation\?index=\d+&period=\d+/)
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  assert.match(await p.locator('[data-testid=ev-period]').innerText(), new RegExp(`${YEAR}年度`))
  assert.equal(await badge(p), box.unread - 1)
  assert.equal((await api.call('GET', '/inbox?source=evaluation')).body.items.find((x) => x.id === entry.id).read, true)
  // 全部标为已读 on the page's entries
  await p.goto(process.env.CHANGAI_E2E_URL + '/inbox')
  await p.waitForSelector('[data-testid=inbox-item]')
  await p.locator('[data-testid=inbox-filter] label', { hasText: '未读' }).click()
  await p.waitForSelector('[data-testid=inbox-page] .el-empty, [data-testid=inbox-item][data-read="0"]')
  const unreadRows = await p.locator('[data-testid=inbox-item][data-read="0"]').count()
  if (unreadRows) {
    await p.click('[data-testid=inbox-mark-all]')
    assert.match(await message(p, 'success', new RegExp(`已将 ${unreadRows} 条消息标为已读`)), new RegExp(`已将 ${unreadRows} 条消息标为已读`))
    const left = (await api.call('GET', '/inbox?unread=1&limit=1')).body.unread
    await p.waitForFunction((n) => document.querySelector('[data-testid=inbox-badge-count]').textContent.trim() === String(n), left)
  }
  await p.close()
})

test('the district designs the index: shares, a node added and changed, faults under their fields', async () => {
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/evaluation')
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  await openTab(p, '指标设计')
  await p.waitForSelector('[data-testid=ev-design-tree] .el-table__row')
  const share = (code) => p.locator(`[data-testid=ev-design-share][data-code="${code}"]`).innerText()
  // the demo's weights: A 40 of 100, A1 3 of 5, B1 alone
  assert.equal(await share('A'), '40%')
  assert.equal(await share('A1'), '60%')
  assert.equal(await share('B1'), '100%')
  assert.equal(await share('X1'), '—')
  // under 创新发展 (C: C1 2, C2 1, C3 2): a new indicator
  await p.click('[data-testid=ev-node-child-C]')
  const d = p.locator('[data-testid=ev-node-dialog]')
  await d.waitFor()
  await p.fill('[data-testid=nf-code]', 'C1')
  await waitMatch(d.locator('.el-form-item', { has: p.locator('[data-testid=nf-code]') }), /编码已在本指标体系中使用/)
  await p.fill('[data-testid=nf-code]', 'C4')
  await waitNoMatch(d, /编码已在本指标体系中使用/)
  await p.fill('[data-testid=nf-title]', '职工技能竞赛获奖数')
  await p.fill('[data-testid=nf-unit]', '项')
  await p.fill('[data-testid=nf-weight]', '-1')
  await waitMatch(d, /权重须为不小于 0 的数/)
  await p.fill('[data-testid=nf-weight]', '5')
  await p.fill('[data-testid=nf-worst]', '3')
  await p.fill('[data-testid=nf-best]', '3')
  await waitMatch(d, /最优值不能等于最差值/)
  // 分档: out of order, then a score the server refuses (0–100), shown under 分档
  await pickOption(p, 'nf-method', '分档计分')
  await p.fill('[data-testid=nf-band-min-1]', '0')
  await waitMatch(d, /各档下限须从小到大递增/)
  await p.fill('[data-testid=nf-band-min-1]', '3')
  await p.fill('[data-testid=nf-band-score-1]', '150')
  await p.click('[data-testid=nf-save]')
  const bandsItem = d.locator('.el-form-item', { has: p.locator('[data-testid=nf-bands]') })
  await bandsItem.locator('.el-form-item__error').waitFor()
  assert.match(await bandsItem.locator('.el-form-item__error').innerText(), /得分在 0 至 100 之间/)
  await shot(p, '89c-design-node-error')
  await p.fill('[data-testid=nf-band-score-1]', '100')
  await bandsItem.locator('.el-form-item__error').waitFor({ state: 'detached' })
  await p.click('[data-testid=nf-save]')
  assert.match(await message(p, 'success', /节点已添加/), /节点已添加/)
  await d.waitFor({ state: 'hidden' })
  // C1 2, C2 1, C3 2, C4 5 → 50%
  await p.waitForSelector('[data-testid=ev-design-share][data-code="C4"]')
  assert.equal(await share('C4'), '50%')
  assert.equal(await share('C1'), '20%')
  // changed: weight 5 → 2, the shares follow
  await p.click('[data-testid=ev-node-edit-C4]')
  await d.waitFor()
  assert.equal(await p.locator('[data-testid=nf-code]').inputValue(), 'C4')
  assert.ok(await p.locator('[data-testid=nf-code]').isDisabled())
  await p.fill('[data-testid=nf-weight]', '2')
  await p.click('[data-testid=nf-save]')
  assert.match(await message(p, 'success', /节点已保存/), /节点已保存/)
  await p.waitForFunction(() => document.querySelector('[data-testid=ev-design-share][data-code="C4"]').textContent.trim() === '28.6%')
  assert.equal(await share('C1'), '28.6%')
  assert.equal(await share('C2'), '14.3%')
  await shot(p, '89d-design-tree')
  // a dimension a class names (中小微企业 weighs A, B, C): refused with the server's words
  await p.click('[data-testid=ev-node-delete-A]')
  await p.locator('.el-message-box .el-button--primary').click()
  const refusal = p.locator('.el-message-box', { hasText: '无法删除' })
  await refusal.waitFor()
  assert.match(await refusal.innerText(), /有分类的权重或计分方法引用该节点，请先修改分类/)
  await refusal.locator('.el-button--primary').click()
  // the new one goes again (no values yet)
  await p.click('[data-testid=ev-node-delete-C4]')
  await p.locator('.el-message-box .el-button--primary').click()
  assert.match(await message(p, 'success', /节点已删除/), /节点已删除/)
  await p.waitForFunction(() => !document.querySelector('[data-testid=ev-design-share][data-code="C4"]'))
  assert.equal(await share('C1'), '40%')
  await p.close()
  // a reader sees the tree, not the buttons
  const v = await page(browser)
  await login(v, 'viewer', c.viewer.pass, '/evaluation')
  await v.waitForSelector('[data-testid=ev-tabs]')
  await v.locator('[data-testid=ev-tabs] .el-tabs__item', { hasText: '指标设计' }).click()
  await v.waitForSelector('[data-testid=ev-design-tree] .el-table__row')
  assert.equal(await v.locator('[data-testid=ev-node-add], [data-testid^=ev-node-edit]').count(), 0)
  assert.match(await v.locator('[data-testid=ev-design]').innerText(), /只读/)
  await v.close()
})

test('the district creates a class, assigns members by rule and by hand, and reads its points ranking', async () => {
  const api = await apiLogin('jiangbei', c.jiangbei.pass)
  const idx = (await api.call('GET', '/indexes')).body.items.find((x) => x.title === INDEX)
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/evaluation')
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  await openTab(p, '分类管理')
  await p.waitForSelector('[data-testid=ev-class-table] .el-table__row')
  const NAME = '小微企业' + String(Date.now()).slice(-4)
  // a name taken: the server's words
  await p.click('[data-testid=ev-class-add]')
  await p.locator('.el-message-box input').fill('规上工业企业')
  await p.locator('.el-message-box .el-button--primary').click()
  assert.match(await message(p, 'error', /本指标体系已有同名分类/), /本指标体系已有同名分类/)
  await p.click('[data-testid=ev-class-add]')
  await p.locator('.el-message-box input').fill(NAME)
  await p.locator('.el-message-box .el-button--primary').click()
  assert.match(await message(p, 'success', new RegExp(`已新建分类“${NAME}”`)), new RegExp(`已新建分类“${NAME}”`))
  const row = p.locator('[data-testid=ev-class-table] .el-table__row', { hasText: NAME })
  await row.waitFor()
  assert.equal((await row.locator('[data-testid=ev-class-members]').innerText()).trim(), '0')
  // by rule: 非规上, what the server counts
  await row.locator('[data-testid=ev-class-members-btn]').click()
  const m = p.locator('[data-testid=ev-class-members-dialog]')
  await m.waitFor()
  await p.click('[data-testid=cm-save]')
  await waitMatch(m, /请至少选择一个条件/)
  await m.locator('[data-testid=cm-scale] label', { hasText: '非规上企业' }).click()
  await p.click('[data-testid=cm-save]')
  const saved = await message(p, 'success', /现有 \d+ 家单位/)
  const n = Number(new RegExp(`“${NAME}”现有 (\\d+) 家单位`).exec(saved)[1])
  const k = (await api.call('GET', `/indexes/${idx.id}/classes`)).body.items.find((x) => x.name === NAME)
  assert.equal(k.members, n)
  assert.ok(n > 0, 'the demo has enterprises below scale')
  await p.waitForFunction(([name, want]) => document.querySelector(`[data-testid=ev-class-members][data-name="${name}"]`)?.textContent.trim() === want, [NAME, String(n)])
  // weights of the class: A 50
  await row.locator('[data-testid=ev-class-weights-btn]').click()
  await p.waitForSelector('[data-testid=cw-A]')
  await p.fill('[data-testid=cw-A]', '50')
  await p.click('[data-testid=cw-save]')
  assert.match(await message(p, 'success', /权重已保存/), /权重已保存/)
  await p.waitForFunction((name) => /技能人才 权重 50/.test([...document.querySelectorAll('[data-testid=ev-class-table] .el-table__row')].find((r) => r.textContent.includes(name))?.textContent || ''), NAME)
  // by hand: two units picked by name
  await row.locator('[data-testid=ev-class-members-btn]').click()
  await m.waitFor()
  await m.locator('[data-testid=cm-mode] label', { hasText: '手工指定' }).click()
  const pick = async (q, name) => {
    await p.locator('[data-testid=cm-orgs] input').fill(q)
    await p.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
  }
  await pick('甬江精密', '宁波甬江精密机械有限公司')
  await pick('北岸智能', '宁波北岸智能装备有限公司')
  await m.locator('.el-dialog__title').click()
  await p.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' })
  await shot(p, '89e-class-members')
  await p.click('[data-testid=cm-save]')
  assert.match(await message(p, 'success', new RegExp(`“${NAME}”现有 2 家单位`)), new RegExp(`“${NAME}”现有 2 家单位`))
  assert.equal((await api.call('GET', `/indexes/${idx.id}/classes`)).body.items.find((x) => x.name === NAME).members, 2)
  // 积分排名 of the class: exactly its two units, in the server's order
  await p.reload()
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  await openTab(p, '积分排名')
  await p.waitForSelector('[data-testid=ev-points-table] .el-table__row')
  await pickOption(p, 'ev-points-class', NAME)
  const want = (await api.call('GET', `/indexes/${idx.id}/points?class=${k.id}&period=${YEAR}`)).body
  assert.equal(want.total, 2)
  await p.waitForFunction(() => document.querySelector('[data-testid=ev-points-total]').textContent.trim() === '共 2 家单位')
  assert.deepEqual(await p.locator('[data-testid=ev-points-name]').allInnerTexts(), want.items.map((x) => x.org_name))
  assert.deepEqual((await p.locator('[data-testid=ev-points-place]').allInnerTexts()).map(Number), want.items.map((x) => x.place))
  assert.deepEqual((await p.locator('[data-testid=ev-points-points]').allInnerTexts()).map(Number), want.items.map((x) => x.points))
  assert.match(await p.locator('[data-testid=ev-points-tie]').innerText(), /积分高者在前/)
  await shot(p, '89f-class-points')
  // gone again: its units are in no class
  await openTab(p, '分类管理')
  const row2 = p.locator('[data-testid=ev-class-table] .el-table__row', { hasText: NAME })
  await row2.locator('[data-testid=ev-class-delete]').click()
  await p.locator('.el-message-box .el-button--primary').click()
  assert.match(await message(p, 'success', /分类已删除/), /分类已删除/)
  await row2.waitFor({ state: 'detached' })
  await p.close()
  // the demo's classes as they were (by scale) for whatever runs next
  const ks = (await api.call('GET', `/indexes/${idx.id}/classes`)).body.items
  const back = [['规上工业企业', true], ['中小微企业', false]]
  for (const [name, above] of back) {
    const r = await api.call('PUT', `/indexes/${idx.id}/classes/${ks.find((x) => x.name === name).id}/members`, { rule: { above_scale: above } })
    assert.equal(r.status, 200, JSON.stringify(r.body))
  }
})

test('the statistics page shows the demonstration units; the pages on a phone', async () => {
  const api = await apiLogin('jiangbei', c.jiangbei.pass)
  const named = (await api.call('GET', '/demonstration-units?org=2')).body.items
  assert.ok(named.length > 0, '85-evaluation named units before this file')
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/dashboard?org=2')
  await p.waitForSelector('[data-testid=demo-units] [data-testid=demo-unit]')
  const names = await p.locator('[data-testid=demo-unit-name]').allInnerTexts()
  assert.deepEqual(new Set(names), new Set(named.slice(0, 8).map((x) => x.org_name)))
  assert.match(await p.locator('[data-testid=demo-units]').innerText(), new RegExp(`${named[0].year} 年度${named[0].honour}`))
  await p.locator('[data-testid=demo-units]').scrollIntoViewIfNeeded()
  await shot(p, '89g-dashboard-demo-units')
  await p.close()
  // a street without named units: no card
  const s = await page(browser)
  await login(s, 'zhuangqiao', c.zhuangqiao.pass, '/dashboard')
  await s.waitForSelector('[data-testid=pyramid]')
  const mine = (await (await apiLogin('zhuangqiao', c.zhuangqiao.pass)).call('GET', '/demonstration-units')).body.items
  await s.waitForTimeout(500)
  assert.equal(await s.locator('[data-testid=demo-units]').count(), mine.length ? 1 : 0)
  await s.close()
  // on a phone: the inbox, the deadline and the designer fit
  const ph = await page(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  await login(ph, 'jiangbei', c.jiangbei.pass, '/inbox')
  await ph.waitForSelector('[data-testid=inbox-item]')
  await shot(ph, '89h-phone-inbox')
  await ph.goto(process.env.CHANGAI_E2E_URL + '/evaluation')
  await ph.waitForSelector('[data-testid=ev-due-edit]')
  await shot(ph, '89i-phone-evaluation')
  await ph.locator('[data-testid=ev-tabs] .el-tabs__item', { hasText: '指标设计' }).click()
  await ph.waitForSelector('[data-testid=ev-design-tree] .el-table__row')
  await ph.click('[data-testid=ev-node-edit-A1]')
  await ph.waitForSelector('[data-testid=ev-node-dialog] [data-testid=nf-title]')
  await shot(ph, '89j-phone-node-dialog')
  const wide = await ph.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(wide <= 390 + 1, `the page is ${wide}px wide on a 390px phone`)
  await ph.close()
})
