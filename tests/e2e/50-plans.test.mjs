// dates: this file runs at every date of tests/dates.txt
// Plans (实施方案) and the reconciliation statement (对账单): a department
// reports progress on its task and its light changes in the statement;
// the district seals the statement and exports it; the auditor finds both.
// The lights expected are the rule's on the server's date.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { auditAction, launch, close, page, login, shot, creds, apiLogin, YEAR, light } from './lib.mjs'

let browser
const c = creds()
const tmp = process.env.CHANGAI_E2E_TMP || '/tmp'
const year = YEAR
let plan, taskA
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('the district sets up a plan (through the API)', async () => {
  const a = await apiLogin('jiangbei', c.jiangbei.pass)
  const kids = (await a.call('GET', '/orgs?parent=2')).body.items
  const renshe = kids.find((o) => o.name === '江北区人力资源和社会保障局')
  const jiaoyu = kids.find((o) => o.name === '江北区教育局')
  const street = kids.find((o) => o.name === '甬江街道')
  let r = await a.call('POST', '/plans', { org_id: 2, year, title: '江北区产业工人队伍建设改革实施方案' })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  plan = r.body.id
  const node = async (b) => {
    const x = await a.call('POST', `/plans/${plan}/nodes`, b)
    assert.equal(x.status, 201, JSON.stringify(x.body))
    return x.body.id
  }
  const asp = await node({ kind: 'aspect', title: '提升产业工人技能素质' })
  const item = await node({ kind: 'item', title: '高技能人才培养', parent_id: asp })
  taskA = await node({ kind: 'subitem', title: '新培养高技能人才', parent_id: item, owner_org_ids: [renshe.id], deadline: `${year}-12-31`, target: { value: 100, unit: '人' } })
  await node({ kind: 'subitem', title: '建成区级工匠学院', parent_id: item, owner_org_ids: [renshe.id, street.id], deadline: `${year}-01-31`, target: { milestone: true } })
  const asp2 = await node({ kind: 'aspect', title: '健全产业工人发展制度' })
  const item2 = await node({ kind: 'item', title: '职业教育', parent_id: asp2 })
  await node({ kind: 'subitem', title: '校企合作项目', parent_id: item2, owner_org_ids: [jiaoyu.id], deadline: `${year}-12-31`, target: { value: 12, unit: '个' } })
})

test('a department user reports progress; the light changes in the tree and in the statement', async () => {
  assert.ok(plan && taskA)
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, `/plans?org=2&plan=${plan}&tab=statement`)
  await p.waitForSelector('[data-testid=statement] .el-table__row')
  const lightOf = () => p.locator('[data-testid=statement] .el-table__body .el-table__row', { hasText: '新培养高技能人才' }).locator('.status-light').getAttribute('data-status')
  assert.equal(await lightOf(), light({ year, deadline: `${year}-12-31` }), 'not started yet')
  await shot(p, '50-statement-before')

  const d = await page(browser)
  await login(d, 'renshe', c.renshe.pass, `/plans?plan=${plan}`)
  await d.waitForSelector(`[data-testid=report-${taskA}]`)
  await shot(d, '51-plan-tree')
  await d.click(`[data-testid=report-${taskA}]`)
  await d.waitForSelector('[data-testid=report-dialog] [data-testid=r-value]')
  await d.fill('[data-testid=r-value] input', '60')
  await d.fill('[data-testid=r-note]', '第一期培训结业 60 人')
  await shot(d, '52-report-form')
  await d.click('[data-testid=r-save]')
  await d.waitForSelector('[data-testid=report-dialog] .el-dialog', { state: 'hidden' })
  const row = d.locator('[data-testid=plan-tree] .el-table__row', { hasText: '新培养高技能人才' })
  await d.waitForFunction((want) => {
    const r = [...document.querySelectorAll('[data-testid=plan-tree] .el-table__row')].find((x) => x.textContent.includes('新培养高技能人才'))
    // The light may be the same before and after (a date where both are
    // red), so wait for the reported value as well as the light.
    return r && r.textContent.includes('60%') && r.querySelector('.status-light')?.dataset.status === want
  }, light({ year, deadline: `${year}-12-31`, completion: 0.6, started: true }))
  assert.match(await row.innerText(), /60%/)
  const reported = light({ year, deadline: `${year}-12-31`, completion: 0.6, started: true })
  await shot(d, '53-plan-tree-after')
  await d.context().close()

  await p.reload()
  await p.waitForSelector('[data-testid=statement] .el-table__row')
  assert.equal(await lightOf(), reported, 'reported: the rule on this date')
  const overdue = p.locator('[data-testid=statement] .el-table__body .el-table__row', { hasText: '建成区级工匠学院' }).locator('.status-light')
  assert.equal(await overdue.getAttribute('data-status'), light({ year, deadline: `${year}-01-31` }))
  await shot(p, '54-statement-after')
  await p.context().close()
})

test('the district accepts the report, exports the statement and seals it', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, `/plans?org=2&plan=${plan}&tab=review`)
  await p.waitForSelector('[data-testid=reviews] .el-table__row')
  await shot(p, '55-review')
  await p.locator('[data-testid=reviews] .el-table__row').first().locator('.el-button--success').click()
  await p.locator('.el-message-box .el-button--primary').click() // 通过 asks first
  await p.waitForFunction(() => !document.querySelector('[data-testid=reviews] .el-table__row'))
  await p.click('.el-tabs__item:has-text("对账单")')
  await p.waitForSelector('[data-testid=statement] .el-table__row')
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('[data-testid=statement-xlsx]')])
  const file = join(tmp, 'statement.xlsx')
  await dl.saveAs(file)
  assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK')
  await p.click('[data-testid=seal]')
  await p.fill('[data-testid=seal-title]', '十一月联席会议对账单')
  await p.click('[data-testid=seal-save]')
  await p.locator('.el-message-box').waitFor()
  assert.match(await p.locator('.el-message-box').innerText(), /[0-9a-f]{64}/)
  await p.locator('.el-message-box .el-button--primary').click()
  await p.waitForSelector('[data-testid=seals] .el-table__row')
  assert.match(await p.locator('[data-testid=seals]').innerText(), /十一月联席会议对账单/)
  await shot(p, '56-sealed')
  await p.click('.el-tabs__item:has-text("提醒")')
  await p.waitForSelector('[data-testid=reminders-overdue] .el-table__row')
  await shot(p, '57-reminders')
  // the dashboard's plan figures click through to the plan
  await p.goto(p.url().replace(/\/plans\?.*$/, '/dashboard?org=2'))
  await p.waitForSelector('[data-testid=plan-donut] canvas')
  await p.locator('[data-testid=plan-figures]').scrollIntoViewIfNeeded()
  await p.waitForTimeout(300)
  await shot(p, '58-dashboard-plans')
  const box = await p.locator('[data-testid=plan-donut]').boundingBox()
  const r = (Math.min(box.width, box.height) / 2) * 0.575
  await p.mouse.click(box.x + box.width / 2, box.y + box.height * 0.45 - r)
  await p.waitForURL(/\/plans\?.*plan=/)
  await p.context().close()
})

test('the auditor sees the report and the sealing in the audit trail', async () => {
  const p = await page(browser)
  await login(p, 'auditor', c.auditor.pass)
  await p.waitForSelector('[data-testid=audit-table] .el-table__row')
  await auditAction(p, 'plan.')
  await p.click('[data-testid=audit-search]')
  await p.waitForFunction(() => {
    const t = document.querySelector('[data-testid=audit-table] .el-table__body')?.innerText || ''
    return t.includes('plan.statement_seal') && t.includes('plan.report')
  })
  const text = await p.locator('[data-testid=audit-table] .el-table__body').innerText()
  assert.match(text, /renshe/)
  assert.match(text, /jiangbei/)
  await p.context().close()
})
