// The review loop of 进展审核: a department (renshe, of 江北区) reports on
// its tasks — twice on one of them, the second time with a picture as
// evidence; the district (jiangbei) finds the queue by task number and
// title with the reporter's name, only the newer of the two by default,
// previews the picture, accepts two reports at once and returns another
// with a reason; the department then sees the red 已退回 badge and the
// reason, and the unreviewed figure marked 待审核. The statement names what
// each figure rests on. Screenshots at 1440×900 and 390×844.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { launch, close, page, login, shot, creds, apiLogin, YEAR } from './lib.mjs'

let browser
const c = creds()
const tmp = process.env.CHANGAI_E2E_TMP || '/tmp'
const year = YEAR
const TITLE = '江北区产业工人队伍建设改革重点任务督办方案'
const T = { a: '新建非公企业党组织数', b: '开展职工技能培训', c: '建成职工书屋', d: '职工入会率' }
let plan
const id = {} // sub-item ids by key
const no = {} // their numbers ("1.1.1")
const rep = {} // report ids
const REASON = '培训人次与台账不符，请附签到表后重新填报'

before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

const rowsOf = (p, testid) => p.locator(`[data-testid=${testid}] .el-table__body-wrapper .el-table__row`)
async function messageSays(p, text) {
  await p.locator('.el-message', { hasText: text }).first().waitFor()
}

test('the district sets up a plan with four tasks of renshe (through the API)', async () => {
  const a = await apiLogin('jiangbei', c.jiangbei.pass)
  const kids = (await a.call('GET', '/orgs?parent=2')).body.items
  const renshe = kids.find((o) => o.name === '江北区人力资源和社会保障局')
  assert.ok(renshe, 'the demo has 江北区人社局')
  let r = await a.call('POST', '/plans', { org_id: 2, year, title: TITLE })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  plan = r.body.id
  const node = async (b) => {
    const x = await a.call('POST', `/plans/${plan}/nodes`, b)
    assert.equal(x.status, 201, JSON.stringify(x.body))
    return x.body.id
  }
  const asp = await node({ kind: 'aspect', title: '加强产业工人思想政治引领' })
  const item = await node({ kind: 'item', title: '组织覆盖', parent_id: asp })
  const sub = (title, target, deadline = `${year}-12-31`) => node({ kind: 'subitem', title, parent_id: item, owner_org_ids: [renshe.id], deadline, target })
  id.a = await sub(T.a, { value: 20, unit: '个' })
  id.b = await sub(T.b, { value: 500, unit: '人次' })
  id.c = await sub(T.c, { value: 10, unit: '个' })
  id.d = await sub(T.d, { value: 90, unit: '%' }, `${year}-01-31`)
  const tree = (await a.call('GET', `/plans/${plan}/tree`)).body
  const walk = (ns) => {
    for (const n of ns || []) {
      for (const k of Object.keys(id)) if (n.id === id[k]) no[k] = n.no
      walk(n.children)
    }
  }
  walk(tree.nodes)
  assert.ok(no.a && no.d, JSON.stringify(no))
})

test('the department reports twice on one task (the second time with a picture) and once on the others', async () => {
  assert.ok(plan)
  const d = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(d, 'renshe', c.renshe.pass, `/plans?plan=${plan}`)
  await d.waitForSelector(`[data-testid=report-${id.a}]`)
  // a picture to attach: a piece of this very page
  const png = join(tmp, '签到表.png')
  await d.screenshot({ path: png, clip: { x: 0, y: 0, width: 320, height: 200 } })

  const report = async (value, note, file) => {
    await d.click(`[data-testid=report-${id.a}]`)
    await d.waitForSelector('[data-testid=report-dialog] [data-testid=r-value]')
    await d.fill('[data-testid=r-value] input', String(value))
    await d.fill('[data-testid=r-note]', note)
    if (file) await d.setInputFiles('[data-testid=r-file]', file)
    await d.click('[data-testid=r-save]')
    await d.waitForSelector('[data-testid=report-dialog] .el-dialog', { state: 'hidden' })
    await messageSays(d, '已提交')
  }
  await report(5, '新建 5 个（第一次填报）')
  // the second report: the history of the first shows in the form, 待审核
  await d.waitForSelector(`[data-testid=pending-${id.a}]`)
  await d.click(`[data-testid=report-${id.a}]`)
  await d.waitForSelector('[data-testid=report-dialog] [data-testid=report-history] .el-table__row')
  assert.match(await d.locator('[data-testid=report-dialog] [data-testid=report-history]').innerText(), /待审核/)
  await d.locator('[data-testid=report-dialog] .el-dialog__footer .el-button').first().click()
  await d.waitForSelector('[data-testid=report-dialog] .el-dialog', { state: 'hidden' })
  await report(8, '新建 8 个（含补报 3 个）', png)

  // the tree: the figure waits for review and says so, not as 实际
  const rowA = rowsOf(d, 'plan-tree').filter({ hasText: T.a })
  await d.waitForFunction((t) => [...document.querySelectorAll('[data-testid=plan-tree] .el-table__row')].some((r) => r.textContent.includes(t) && r.textContent.includes('8 个 · 待审核')), T.a)
  assert.match(await rowA.innerText(), /8 个 · 待审核/)
  await d.context().close()

  const r = await apiLogin('renshe', c.renshe.pass)
  const post = async (k, body) => {
    const x = await r.call('POST', `/plans/${plan}/nodes/${id[k]}/reports`, body)
    assert.equal(x.status, 201, JSON.stringify(x.body))
    return x.body.id
  }
  rep.b = await post('b', { value: 320, note: '上半年培训 320 人次' })
  rep.c = await post('c', { value: 4, note: '4 个书屋已挂牌' })
  rep.d = await post('d', { value: 74.9863, note: '按会员台账测算' })
  const all = (await r.call('GET', `/plans/${plan}/nodes/${id.a}/reports`)).body.items
  assert.equal(all.length, 2)
  rep.a2 = all[0].id
  rep.a1 = all[1].id
  assert.equal(all[0].evidence.length, 1, 'the picture is attached to the newer report')
})

test('the district reviews: task number and title, reporter, only the newer report, batch accept, a return with a reason', async () => {
  assert.ok(rep.a2 && rep.b)
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, `/plans?org=2&plan=${plan}&tab=review`)
  await p.waitForSelector('[data-testid=reviews] .el-table__row')
  const rows = rowsOf(p, 'reviews')
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=reviews] .el-table__body-wrapper .el-table__row').length === 4)
  const text = await p.locator('[data-testid=reviews] .el-table__body-wrapper').innerText()
  assert.ok(text.includes(`${no.a} ${T.a}`), 'the task by number and title: ' + text)
  assert.match(text, /江北区人社局/, "the reporter's name")
  assert.match(text, /8 个/)
  assert.doesNotMatch(text, /第一次填报/, 'the superseded report is not in the queue by default')
  assert.doesNotMatch(text, /74\.9863/, 'at most two decimals')
  assert.match(text, /74\.99%/)
  assert.equal(await p.locator('[data-testid=reviews] [data-testid=review-task]').filter({ hasText: /^\d+$/ }).count(), 0, 'no internal ids')

  // the picture previews inside the page
  await rows.filter({ hasText: T.a }).locator('[data-testid=evidence-link]').click()
  const img = p.locator('[data-testid=evidence-preview] [data-testid=evidence-img]')
  await img.waitFor()
  await p.waitForFunction(() => {
    const i = document.querySelector('[data-testid=evidence-img]')
    return i && i.complete && i.naturalWidth > 0
  })
  await shot(p, '92-review-evidence')
  await p.locator('[data-testid=evidence-preview] .el-dialog__footer .el-button--primary').click()
  await p.waitForSelector('[data-testid=evidence-preview]', { state: 'hidden' })

  // the switch shows the superseded one, marked
  await p.click('[data-testid=review-superseded]')
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=reviews] .el-table__body-wrapper .el-table__row').length === 5)
  const old = rows.filter({ hasText: '第一次填报' })
  assert.match(await old.innerText(), /已被新填报取代/)
  await p.click('[data-testid=review-superseded]')
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=reviews] .el-table__body-wrapper .el-table__row').length === 4)

  // select two and accept them together
  for (const t of [T.a, T.c]) await rows.filter({ hasText: t }).locator('.el-checkbox').click()
  await p.waitForFunction(() => /批量通过（2）/.test(document.querySelector('[data-testid=accept-many]')?.textContent || ''))
  await shot(p, '92-review-queue-selected')
  await p.click('[data-testid=accept-many]')
  const box = p.locator('.el-message-box')
  await box.waitFor()
  assert.match(await box.innerText(), /2 条/)
  await box.locator('.el-button--primary').click()
  await messageSays(p, '已通过 2 条')
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=reviews] .el-table__body-wrapper .el-table__row').length === 2)

  // return one with a reason
  await p.click(`[data-testid=return-${rep.b}]`)
  await box.waitFor()
  assert.match(await box.innerText(), new RegExp(T.b))
  await box.locator('textarea').fill(REASON)
  await box.locator('.el-button--primary').click()
  await messageSays(p, '已退回')
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=reviews] .el-table__body-wrapper .el-table__row').length === 1)

  // the returned one under 已退回, with its reason
  await p.click('[data-testid=review-state]')
  await p.locator('.el-select-dropdown__item:visible', { hasText: '已退回' }).click()
  await p.waitForFunction((t) => (document.querySelector('[data-testid=reviews] .el-table__body-wrapper')?.innerText || '').includes(t), REASON)

  // the statement: its legend and a mark per figure
  await p.click('.el-tabs__item:has-text("对账单")')
  await p.waitForSelector('[data-testid=statement-legend]')
  await p.waitForSelector('[data-testid=statement] .el-table__row')
  const legend = await p.locator('[data-testid=statement-legend]').innerText()
  assert.match(legend, /已审核/)
  assert.match(legend, /待审核/)
  const st = p.locator('[data-testid=statement] .el-table__body-wrapper')
  const rowOf = (t) => st.locator('.el-table__row', { hasText: t })
  assert.match(await rowOf(T.a).innerText(), /8 个[\s\S]*已审核/)
  assert.match(await rowOf(T.d).innerText(), /74\.99%[\s\S]*待审核/)
  assert.doesNotMatch(await st.innerText(), /74\.9863/)
  await p.locator('[data-testid=statement-legend]').scrollIntoViewIfNeeded()
  await shot(p, '92-statement-legend')
  await p.context().close()
})

test('on a phone: the queue with a selection and the statement legend', async () => {
  const p = await page(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  await login(p, 'jiangbei', c.jiangbei.pass, `/plans?org=2&plan=${plan}&tab=review`)
  await p.waitForSelector('[data-testid=reviews] .el-table__body-wrapper .el-table__row')
  await rowsOf(p, 'reviews').first().locator('.el-checkbox').click()
  await p.waitForFunction(() => /批量通过（1）/.test(document.querySelector('[data-testid=accept-many]')?.textContent || ''))
  const page0 = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  assert.ok(page0[0] <= page0[1], `the page does not scroll sideways (${page0})`)
  await p.locator('[data-testid=reviews]').scrollIntoViewIfNeeded()
  await shot(p, '92-review-queue-phone')
  await p.click('.el-tabs__item:has-text("对账单")')
  await p.waitForSelector('[data-testid=statement-legend]')
  await p.locator('[data-testid=statement-legend]').scrollIntoViewIfNeeded()
  await shot(p, '92-statement-legend-phone')
  await p.context().close()
})

test('the department sees the red 已退回 badge and the reason', async () => {
  const d = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(d, 'renshe', c.renshe.pass, `/plans?plan=${plan}`)
  const badge = d.locator(`[data-testid=returned-${id.b}]`)
  await badge.waitFor()
  assert.equal(await badge.innerText(), '已退回')
  assert.match((await badge.getAttribute('class')) || '', /el-tag--danger/)
  assert.equal(await d.locator(`[data-testid=returned-${id.a}]`).count(), 0, 'an accepted one has no badge')
  assert.equal(await d.locator(`[data-testid=pending-${id.d}]`).count(), 1, 'the unreviewed one says 待审核')
  assert.equal(await d.locator(`[data-testid=pending-${id.a}]`).count(), 0)
  await shot(d, '92-tree-returned')
  await badge.click()
  const hist = d.locator('[data-testid=history-dialog] [data-testid=report-history]')
  await hist.locator('.el-table__row').first().waitFor()
  assert.match(await hist.locator('[data-testid=return-reason]').innerText(), new RegExp(REASON))
  await shot(d, '92-history-reason')
  await d.locator('[data-testid=history-dialog] .el-dialog__footer .el-button--primary').click()

  // the department's own reports under 进展审核: no review buttons, and
  // without a total (it sees only its own tasks) 上一页 / 下一页
  await d.click('.el-tabs__item:has-text("进展审核")')
  await d.waitForSelector('[data-testid=review-pager] .el-button')
  assert.match(await d.locator('[data-testid=review-pager]').innerText(), /上一页[\s\S]*下一页/)
  assert.equal(await d.locator('[data-testid=accept-many]').count(), 0)
  assert.equal(await d.locator(`[data-testid=accept-${rep.d}]`).count(), 0)
  await d.waitForSelector('[data-testid=reviews] .el-table__body-wrapper .el-table__row')
  assert.match(await d.locator('[data-testid=reviews] .el-table__body-wrapper').innerText(), new RegExp(T.d))
  await shot(d, '92-review-department')

  // reminders: days as words, never a negative number
  await d.click('.el-tabs__item:has-text("提醒")')
  await d.waitForSelector('[data-testid=reminders-overdue], [data-testid=reminders-due_soon], .el-empty')
  const rem = await d.locator('.el-tab-pane:visible').innerText()
  assert.doesNotMatch(rem, /剩余\s*-|-\d+\s*天/, rem)
  await d.context().close()
  // what the API says, to be sure the screen told the truth
  const r = await apiLogin('renshe', c.renshe.pass)
  const b = (await r.call('GET', `/plans/${plan}/nodes/${id.b}/reports`)).body.items[0]
  assert.equal(b.state, 'returned')
  assert.equal(b.reason, REASON)
})
