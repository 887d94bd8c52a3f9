// The points ledger (积分化评估) in the console: 江北区's union reads the
// leaderboard in its published order, opens an enterprise's ledger,
// awards points by hand with evidence and reverses the award; a street
// (甬江街道) sees its own subtree only and appeals two entries; the
// district reviews the one about a rule's entry and may not review the
// one about an award it wrote itself, which the city's admin dismisses; a
// rule is written through the dialog (a bad one names its field), counts
// a worker's level up and is retired; the page on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, close, page, login, shot, creds, apiLogin, YEAR } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

const ENTERPRISE = '宁波甬江精密机械有限公司' // 甬江街道's, with two awards by 江北区 in the demo
const OTHER_STREET = '宁波庄桥汽车零部件有限公司' // 庄桥街道's
let streetBalance = null // 甬江街道's balance when it appealed
let streetEntry = null // the entry of 甬江街道 it appealed

async function pickOption(p, testid, label) {
  await p.click(`[data-testid=${testid}]`)
  await p.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
}
const num = async (p, testid) => Number((await p.locator(`[data-testid=${testid}]`).innerText()).trim())
async function boardRows(p) {
  await p.waitForSelector('[data-testid=pt-board] .el-table__row')
  const names = await p.locator('[data-testid=pt-board-name]').allInnerTexts()
  const points = (await p.locator('[data-testid=pt-board-points]').allInnerTexts()).map(Number)
  const reached = await p.locator('[data-testid=pt-board-reached]').allInnerTexts()
  return names.map((name, i) => ({ name, points: points[i], reached: reached[i] }))
}
// the published order: points down, then who reached them first
function assertOrder(rows) {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1], b = rows[i]
    assert.ok(a.points >= b.points, `${a.name} ${a.points} before ${b.name} ${b.points}`)
    if (a.points === b.points) assert.ok(a.reached <= b.reached, `equal points: ${a.name} reached ${a.reached}, ${b.name} ${b.reached}`)
  }
}
async function openTab(p, label) {
  await p.locator('[data-testid=pt-tabs] .el-tabs__item', { hasText: label }).click()
}
async function prompt(p, text) {
  const box = p.locator('.el-message-box')
  await box.waitFor()
  await box.locator('textarea').fill(text)
  await box.locator('.el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}
// the first row of the ledger a locator finds, loading more pages until it does
async function findRow(p, find) {
  for (;;) {
    const l = find()
    if (await l.count()) return l.first()
    const more = p.locator('[data-testid=pt-ledger-more]')
    assert.ok(await more.count(), 'no such entry in the whole ledger')
    const n = await p.locator('[data-testid=pt-ledger] .el-table__body tr').count()
    await more.click()
    await p.waitForFunction((k) => document.querySelectorAll('[data-testid=pt-ledger] .el-table__body tr').length > k, n)
  }
}
const ledgerRow = (p, text) => p.locator('[data-testid=pt-ledger] .el-table__body tr', { hasText: text })
async function message(p, kind) {
  const m = p.locator(`.el-message--${kind}`).last()
  await m.waitFor()
  return m.innerText()
}

test('the district reads the leaderboard, awards points by hand with evidence and reverses the award', async () => {
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/points')
  const rows = await boardRows(p)
  assert.ok(rows.length >= 5, `a board of the district (${rows.length})`)
  assert.equal(rows[0].points, Math.max(...rows.map((r) => r.points)), 'the first place has the most points')
  assert.equal(await p.locator('[data-testid=pt-board] .place').first().innerText(), '1')
  assertOrder(rows)
  assert.ok(rows.some((r) => r.name === ENTERPRISE) && rows.some((r) => r.name === OTHER_STREET), 'both streets\' enterprises')
  assert.equal(await p.locator('[data-testid=pt-board-scope]').innerText(), `江北区 · ${YEAR} 年`)
  assert.equal(await p.locator('[data-testid=pt-tiebreak]').innerText(), '排名规则：积分高者在前；积分相同，先达到该积分者在前；再相同，编号小者在前')
  // a unit's board has no column of the unit it belongs to (it is itself)
  assert.deepEqual(await p.locator('[data-testid=pt-board] th').allInnerTexts(), ['名次', '名称', '积分', '达到日期'])
  await shot(p, '88-points-board')
  // last year: the rules start this year, nothing counts there
  await pickOption(p, 'pt-period', '上年')
  await p.waitForFunction((y) => document.querySelector('[data-testid=pt-board-scope]').innerText.endsWith(`${y} 年`), YEAR - 1)
  await p.waitForSelector('[data-testid=pt-board] .el-table__empty-text')
  assert.equal(await p.locator('[data-testid=pt-board] .el-table__empty-text').innerText(), '本期间暂无积分')
  await pickOption(p, 'pt-period', '全部')
  await p.waitForFunction(() => document.querySelector('[data-testid=pt-board-scope]').innerText.endsWith('全部'))
  assert.ok((await boardRows(p)).length >= rows.length)
  await pickOption(p, 'pt-period', '本年')
  await p.waitForFunction((y) => document.querySelector('[data-testid=pt-board-scope]').innerText.endsWith(`${y} 年`), YEAR)

  // an enterprise's ledger from its row
  await p.locator('[data-testid=pt-board] .el-table__row', { hasText: ENTERPRISE }).click()
  await p.waitForSelector('[data-testid=pt-ledger] .el-table__row')
  assert.equal(await p.locator('[data-testid=pt-holder-name]').innerText(), ENTERPRISE)
  assert.match(p.url(), /tab=ledger/)
  const before = await num(p, 'pt-balance-now')
  const demo = ledgerRow(p, '甬总工〔2026〕18号')
  assert.match(await demo.innerText(), /手动加减分/)
  assert.match(await demo.innerText(), /\+30/)
  assert.match(await demo.innerText(), /R-AWARD 表彰奖励加分/)
  assert.match(await demo.innerText(), /江北区总工会/)

  // an award by hand: the evidence is asked for, then the balance moves
  await p.click('[data-testid=pt-award]')
  const dlg = p.locator('[data-testid=pt-award-dialog]')
  await dlg.waitFor()
  assert.match(await dlg.innerText(), new RegExp(`${ENTERPRISE}（单位）`))
  assert.match(await p.locator('[data-testid=af-rule]').innerText(), /R-AWARD 表彰奖励加分/)
  assert.match(await dlg.innerText(), /单次最多加 30 分；每年 ≤ 100/)
  await p.fill('[data-testid=af-points] input', '20')
  await p.locator('[data-testid=af-points] input').blur()
  await p.fill('[data-testid=af-text]', '获评区级职工书屋示范点')
  await p.click('[data-testid=af-save]')
  const evErr = dlg.locator('.el-form-item:has([data-testid=af-evidence]) .el-form-item__error')
  await evErr.waitFor()
  assert.equal(await evErr.innerText(), '必填')
  await p.fill('[data-testid=af-evidence]', '江北总工〔2026〕21号')
  await evErr.waitFor({ state: 'detached' }) // filled in: the verdict goes
  await shot(p, '88-points-award')
  await p.click('[data-testid=af-save]')
  assert.equal(await message(p, 'success'), '已记入 +20 分')
  await dlg.waitFor({ state: 'hidden' })
  await p.waitForFunction((b) => Number(document.querySelector('[data-testid=pt-balance-now]').innerText) === b + 20, before)
  const mine = ledgerRow(p, '江北总工〔2026〕21号')
  assert.match(await mine.innerText(), /获评区级职工书屋示范点/)
  assert.match(await mine.innerText(), /\+20/)
  assert.match(await mine.innerText(), /江北区总工会/)
  await shot(p, '88-points-ledger')

  // its reversal: a new entry of -20, the award itself stays
  await mine.locator('[data-testid=pt-reverse]').click()
  assert.match(await p.locator('.el-message-box').innerText(), /冲正将新增一笔 -20 分的记录/)
  await prompt(p, '文号录入错误，应为区级表彰')
  assert.equal(await message(p, 'success'), '已冲正，新增记录 -20 分')
  await p.waitForFunction((b) => Number(document.querySelector('[data-testid=pt-balance-now]').innerText) === b, before)
  const top = p.locator('[data-testid=pt-ledger] .el-table__body tr').first()
  assert.match(await top.innerText(), /冲正/)
  assert.match(await top.innerText(), /-20/)
  assert.match(await top.innerText(), /文号录入错误，应为区级表彰/)
  assert.match(await top.innerText(), /针对第 \d+ 号记录/)
  assert.equal(await top.locator('[data-testid=pt-reverse]').count(), 0, 'a correction is final')
  assert.equal(await mine.locator('[data-testid=pt-reverse]').count(), 0, 'nothing is left of the award to take back')
  assert.match(await mine.innerText(), /尚余 0/)
  await shot(p, '88-points-reversed')
  assert.deepEqual(p.errors.filter((e) => !/401/.test(e)), [])
  await p.close()
})

test('a street sees its own subtree only and appeals two entries', async () => {
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'yongjiang', c.yongjiang.pass, '/points')
  const rows = await boardRows(p)
  const own = await p.evaluate(async () => {
    const kids = (await (await fetch('/api/v1/orgs?parent=' + (await (await fetch('/api/v1/orgs')).json()).items[0].id)).json()).items
    return kids.map((o) => o.name)
  })
  assert.ok(own.includes(ENTERPRISE), own.join())
  for (const r of rows) assert.ok(r.name === '甬江街道' || own.includes(r.name), `${r.name} is not 甬江街道's`)
  assert.ok(rows.some((r) => r.name === ENTERPRISE))
  assert.ok(!rows.some((r) => r.name === OTHER_STREET), 'no enterprise of 庄桥街道')
  assertOrder(rows)
  assert.equal(await p.locator('[data-testid=pt-board-scope]').innerText(), `甬江街道 · ${YEAR} 年`)
  await shot(p, '88-points-street-board')

  // its own ledger: the district's rule gave points up to its cap
  await p.locator('[data-testid=pt-board] .el-table__row', { hasText: '甬江街道' }).first().click()
  await p.waitForSelector('[data-testid=pt-ledger] .el-table__row')
  assert.equal(await p.locator('[data-testid=pt-holder-name]').innerText(), '甬江街道')
  streetBalance = await num(p, 'pt-balance-now')
  const capped = p.locator('[data-testid=pt-ledger] .el-table__body tr', { has: p.locator('[data-testid=pt-capped]') }).first()
  assert.match(await capped.innerText(), /封顶/)
  assert.match(await capped.innerText(), /按规则应计 \+5/)
  assert.match(await capped.innerText(), /系统自动计分/)
  // a unit never scores itself: no award, no reversal on its own ledger
  await p.waitForSelector('[data-testid=pt-ledger-panel][data-rights=loaded]')
  assert.equal(await p.locator('[data-testid=pt-award]').count(), 0)
  assert.equal(await p.locator('[data-testid=pt-reverse]').count(), 0)
  // the newest entries are the ones the cap cut to 0: further down, one that counted
  const counted = await findRow(p, () => p.locator('[data-testid=pt-ledger] .el-table__body tr', { has: p.locator('[data-testid=pt-entry-points]', { hasText: '+5' }) }))
  const entryId = (await counted.locator('td').first().innerText()).trim()
  streetEntry = entryId
  await counted.locator('[data-testid=pt-appeal]').click()
  await prompt(p, '该进展报告已被退回重报，不应计分')
  assert.equal(await message(p, 'success'), '申诉已提交，等待审核')
  const row = p.locator('[data-testid=pt-ledger] .el-table__body tr').filter({ has: p.locator('td:first-child', { hasText: new RegExp(`^${entryId}$`) }) })
  await row.locator('[data-testid=pt-entry-appeal]').waitFor()
  assert.equal(await row.locator('[data-testid=pt-entry-appeal]').innerText(), '待审核')
  assert.equal(await row.locator('[data-testid=pt-appeal]').count(), 0, 'one open appeal per entry')
  await shot(p, '88-points-appeal')

  // and the district's award to its enterprise (written by 江北区总工会)
  await openTab(p, '排行榜')
  await p.locator('[data-testid=pt-board] .el-table__row', { hasText: ENTERPRISE }).click()
  await p.waitForSelector('[data-testid=pt-ledger] .el-table__row')
  await p.waitForSelector('[data-testid=pt-award]') // its enterprise it scores
  // but not the district's award: that rule is the district's
  await p.waitForSelector('[data-testid=pt-ledger-panel][data-rights=loaded]')
  assert.equal(await ledgerRow(p, '甬总工〔2026〕18号').locator('[data-testid=pt-reverse]').count(), 0)
  await ledgerRow(p, '甬总工〔2026〕18号').locator('[data-testid=pt-appeal]').click()
  await prompt(p, '该奖项为市级表彰，请核实分值')
  assert.equal(await message(p, 'success'), '申诉已提交，等待审核')
  await ledgerRow(p, '甬总工〔2026〕18号').locator('[data-testid=pt-entry-appeal]').waitFor()

  // the street's rules tab: the district's rules, none of them its to retire
  await openTab(p, '积分规则')
  await p.waitForSelector('[data-testid=pt-rules] .el-table__row')
  const rules = await p.locator('[data-testid=pt-rules]').innerText()
  for (const code of ['R-REPORT', 'R-LEVEL', 'R-AWARD', 'R-DEDUCT']) assert.match(rules, new RegExp(code))
  assert.match(rules, /单次最多扣 20 分/)
  assert.match(rules, /每年 ≤ 60/)
  assert.equal(await p.locator('[data-testid=pt-rule-retire]').count(), 0)
  assert.deepEqual(p.errors.filter((e) => !/401/.test(e)), [])
  await p.close()
})

test('the district reviews an appeal; one about its own award goes to the city', async () => {
  assert.ok(streetBalance !== null, 'the street appealed')
  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/points?tab=appeals')
  await p.waitForSelector('[data-testid=pt-appeals] .el-table__row')
  const street = p.locator('[data-testid=pt-appeals] .el-table__row', { hasText: '该进展报告已被退回重报' })
  const award = p.locator('[data-testid=pt-appeals] .el-table__row', { hasText: '该奖项为市级表彰' })
  assert.match(await street.innerText(), /甬江街道/)
  assert.match(await street.innerText(), /待审核/)
  assert.match(await street.innerText(), /甬江街道工会/)
  await shot(p, '88-points-appeals')

  // upheld: a correcting entry takes back what the entry gave
  await street.locator('[data-testid=pt-appeal-review]').click()
  const dlg = p.locator('[data-testid=pt-review-dialog]')
  await dlg.waitFor()
  assert.match(await dlg.innerText(), /该进展报告已被退回重报/)
  await p.click('[data-testid=rv-send]')
  const reasonErr = dlg.locator('.el-form-item:has([data-testid=rv-reason]) .el-form-item__error')
  await reasonErr.waitFor()
  assert.equal(await reasonErr.innerText(), '请填写原因（1 至 500 字）')
  await p.click('[data-testid=rv-upheld]')
  await p.fill('[data-testid=rv-reason]', '经核实该报告已退回，撤销此项计分')
  await reasonErr.waitFor({ state: 'detached' })
  await shot(p, '88-points-review')
  await p.click('[data-testid=rv-send]')
  assert.equal(await message(p, 'success'), '审核完成')
  await dlg.waitFor({ state: 'hidden' })
  await street.waitFor({ state: 'detached' }) // the list shows open appeals

  // dismissing the other one: the district wrote that award, someone else decides
  await award.locator('[data-testid=pt-appeal-review]').click()
  await dlg.waitFor()
  await p.click('[data-testid=rv-dismissed]')
  assert.equal(await p.locator('[data-testid=rv-correction]').count(), 0, 'no correction when dismissed')
  await p.fill('[data-testid=rv-reason]', '分值符合规则')
  await p.click('[data-testid=rv-send]')
  await p.waitForSelector('[data-testid=rv-error]')
  assert.equal(await p.locator('[data-testid=rv-error]').innerText(), '申诉须由申诉人和原记录人以外的人审核')
  await shot(p, '88-points-review-refused')
  await p.locator('[data-testid=pt-review-dialog] .el-dialog__footer .el-button').first().click()
  await dlg.waitFor({ state: 'hidden' })

  // every state: the upheld one with its reviewer
  await pickOption(p, 'pt-appeal-state', '全部状态')
  const done = p.locator('[data-testid=pt-appeals] .el-table__row', { hasText: '该进展报告已被退回重报' })
  await done.waitFor()
  assert.match(await done.innerText(), /申诉成立/)
  assert.match(await done.innerText(), /经核实该报告已退回，撤销此项计分/)
  assert.match(await done.innerText(), /江北区总工会 · /)
  // the street's ledger: the correction, the balance 5 lower
  await done.locator('[data-testid=pt-appeal-holder]').click()
  await p.waitForSelector('[data-testid=pt-ledger] .el-table__row')
  assert.equal(await p.locator('[data-testid=pt-holder-name]').innerText(), '甬江街道')
  assert.equal(await num(p, 'pt-balance-now'), streetBalance - 5)
  const fix = p.locator('[data-testid=pt-ledger] .el-table__body tr').first()
  assert.match(await fix.innerText(), /申诉更正/)
  assert.match(await fix.innerText(), /-5/)
  assert.match(await fix.innerText(), /经核实该报告已退回/)
  assert.match(await fix.innerText(), new RegExp(`针对第 ${streetEntry} 号记录`))
  await shot(p, '88-points-corrected')
  const was = await findRow(p, () => p.locator('[data-testid=pt-ledger] .el-table__body tr').filter({ has: p.locator('td:first-child', { hasText: new RegExp(`^${streetEntry}$`) }) }))
  assert.equal(await was.locator('[data-testid=pt-entry-appeal]').innerText(), '申诉成立')
  assert.match(await was.innerText(), /尚余 0/)
  assert.equal(await was.locator('[data-testid=pt-appeal]').count(), 0, 'an upheld appeal corrected it already')
  await p.close()

  // the city's admin dismisses the appeal about the district's award
  const a = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(a, 'admin', c.admin.pass, '/points?tab=appeals')
  const row = a.locator('[data-testid=pt-appeals] .el-table__row', { hasText: '该奖项为市级表彰' })
  await row.waitFor()
  await row.locator('[data-testid=pt-appeal-review]').click()
  await a.locator('[data-testid=pt-review-dialog]').waitFor()
  await a.click('[data-testid=rv-dismissed]')
  await a.fill('[data-testid=rv-reason]', '该奖项为区级表彰，分值符合规则')
  await a.click('[data-testid=rv-send]')
  assert.equal(await message(a, 'success'), '审核完成')
  await pickOption(a, 'pt-appeal-state', '申诉驳回')
  const dismissed = a.locator('[data-testid=pt-appeals] .el-table__row', { hasText: '该奖项为市级表彰' })
  await dismissed.waitFor()
  assert.match(await dismissed.innerText(), /申诉驳回/)
  assert.match(await dismissed.innerText(), /该奖项为区级表彰，分值符合规则/)
  await a.close()
})

test('a rule is written through the dialog, a bad one names its field, and it counts a level up', async () => {
  // a worker of 甬江街道 goes up a skill level (a fact the registry records)
  const admin = await apiLogin('admin', c.admin.pass)
  const org = (await admin.call('GET', '/orgs?parent=2')).body.items.find((o) => o.name === '甬江街道')
  const ent = (await admin.call('GET', `/orgs?parent=${org.id}`)).body.items.find((o) => o.name === ENTERPRISE)
  const w = (await admin.call('GET', `/workers?org=${ent.id}&limit=50`)).body.items.find((x) => x.skill_level < 7)
  assert.ok(w, 'a worker who can go up a level')
  const up = await admin.call('PATCH', `/workers/${w.id}`, { skill_level: w.skill_level + 1 })
  assert.equal(up.status, 200, JSON.stringify(up.body))

  const p = await page(browser, { viewport: { width: 1440, height: 900 } })
  await login(p, 'jiangbei', c.jiangbei.pass, '/points?tab=rules')
  await p.waitForSelector('[data-testid=pt-rules] .el-table__row')
  await p.click('[data-testid=pt-rule-create]')
  const dlg = p.locator('[data-testid=pt-rule-dialog]')
  await dlg.waitFor()
  assert.match(await dlg.innerText(), /制定单位：江北区/)
  await p.fill('[data-testid=rf-code]', 'R-SKILL')
  await p.fill('[data-testid=rf-title]', '职工技能提升加分')
  await p.locator('[data-testid=rf-holder] .el-radio', { hasText: '职工' }).click()
  await pickOption(p, 'rf-source', '职工技能等级晋升')
  assert.match(await dlg.innerText(), /晋升后的等级（1–8）/)
  await p.fill('[data-testid=rf-points] input', '5')
  await p.locator('[data-testid=rf-points] input').blur()
  await p.fill('[data-testid=rf-cap-day] input', '2')
  await p.locator('[data-testid=rf-cap-day] input').blur()
  await p.click('[data-testid=rf-save]')
  const capErr = dlg.locator('.el-form-item:has([data-testid=rf-cap-day]) .el-form-item__error')
  await capErr.waitFor()
  assert.equal(await capErr.innerText(), '上限小于单次积分，每次都会被截断')
  await shot(p, '88-points-rule-error')
  // the same code twice in one org: the code is named
  await p.fill('[data-testid=rf-cap-day] input', '')
  await p.locator('[data-testid=rf-cap-day] input').blur()
  await p.fill('[data-testid=rf-code]', 'R-LEVEL')
  await p.click('[data-testid=rf-save]')
  const codeErr = dlg.locator('.el-form-item:has([data-testid=rf-code]) .el-form-item__error')
  await codeErr.waitFor()
  assert.equal(await codeErr.innerText(), '本单位已有此编码的规则')
  await capErr.waitFor({ state: 'detached' }) // the cap is fine now
  await p.fill('[data-testid=rf-code]', 'R-SKILL')
  await p.click('[data-testid=rf-save]')
  const ok = await message(p, 'success')
  const m = /^规则已创建，已按已有事件计分 (\d+) 笔$/.exec(ok)
  assert.ok(m && Number(m[1]) >= 1, ok)
  await dlg.waitFor({ state: 'hidden' })
  const rule = p.locator('[data-testid=pt-rules] .el-table__row', { hasText: 'R-SKILL' })
  await rule.waitFor()
  const text = await rule.innerText()
  for (const s of ['职工技能提升加分', '职工', '职工技能等级晋升', '+5 / 次', '不设上限', `${YEAR}-01-01 起`, '启用中']) assert.ok(text.includes(s), `${s} in ${text}`)
  await shot(p, '88-points-rules')

  // the worker's board: the level up counted for the worker, under its enterprise
  await openTab(p, '排行榜')
  await p.locator('[data-testid=pt-kind] .el-radio-button', { hasText: '职工' }).click()
  await p.waitForFunction(() => [...document.querySelectorAll('[data-testid=pt-board] th')].some((th) => th.innerText === '所属单位'))
  const wrow = p.locator('[data-testid=pt-board] .el-table__row', { hasText: w.name })
  await wrow.waitFor()
  assert.match(await wrow.innerText(), new RegExp(ENTERPRISE))
  assertOrder(await boardRows(p))
  await shot(p, '88-points-workers')
  await wrow.click()
  await p.waitForSelector('[data-testid=pt-ledger] .el-table__row')
  assert.equal(await p.locator('[data-testid=pt-holder-name]').innerText(), w.name)
  const entry = ledgerRow(p, 'R-SKILL')
  assert.match(await entry.innerText(), /规则计分/)
  assert.match(await entry.innerText(), new RegExp(`技能等级 ${w.skill_level} → ${w.skill_level + 1}`))
  assert.match(await entry.innerText(), /\+5/)

  // retired: no later fact counts
  await openTab(p, '积分规则')
  const again = p.locator('[data-testid=pt-rules] .el-table__row', { hasText: 'R-SKILL' })
  await again.locator('[data-testid=pt-rule-retire]').click()
  await p.locator('.el-message-box').waitFor()
  assert.match(await p.locator('.el-message-box').innerText(), /确定停用“职工技能提升加分”/)
  await p.locator('.el-message-box .el-button--primary').click()
  assert.equal(await message(p, 'success'), '规则已停用')
  await p.waitForSelector('[data-testid=pt-rules] .el-table__row:has-text("R-SKILL") [data-state=retired]')
  assert.equal(await again.locator('[data-testid=pt-rule-retire]').count(), 0)
  // the two refusals above are the only answers that were not 2xx
  assert.deepEqual(p.errors.filter((e) => !/status of 401/.test(e)).map((e) => e.replace(/.*status of (\d+).*/, '$1')), ['422', '409'])
  await p.close()
})

test('on a phone the tables scroll and the dialogs fit', async () => {
  const p = await page(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  await login(p, 'jiangbei', c.jiangbei.pass, '/points')
  await boardRows(p)
  await shot(p, '88-points-phone-board')
  await p.locator('[data-testid=pt-board] .el-table__row', { hasText: ENTERPRISE }).click()
  await p.waitForSelector('[data-testid=pt-ledger] .el-table__row')
  const wide = await p.locator('[data-testid=pt-ledger] .el-table__body-wrapper .el-scrollbar__wrap').evaluate((el) => [el.scrollWidth, el.clientWidth])
  assert.ok(wide[0] > wide[1] && wide[1] <= 390, `the ledger scrolls sideways (${wide})`)
  const page0 = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  assert.ok(page0[0] <= page0[1], `the page itself does not (${page0})`)
  await shot(p, '88-points-phone-ledger')
  await p.click('[data-testid=pt-award]')
  const dlg = p.locator('[data-testid=pt-award-dialog]')
  await dlg.waitFor()
  await p.waitForTimeout(300) // the dialog's opening animation
  const box = await dlg.boundingBox()
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the dialog fits (${JSON.stringify(box)})`)
  const save = await p.locator('[data-testid=af-save]').boundingBox()
  assert.ok(save.x + save.width <= 390, 'its buttons too')
  await shot(p, '88-points-phone-award')
  await p.locator('[data-testid=pt-award-dialog] .el-dialog__footer .el-button').first().click()
  await dlg.waitFor({ state: 'hidden' })
  // the reason an appeal asks for: on the screen too
  await p.locator('[data-testid=pt-appeal]').first().click()
  const ask = p.locator('.el-message-box')
  await ask.waitFor()
  await p.waitForTimeout(300)
  const abox = await ask.boundingBox()
  assert.ok(abox.x >= 0 && abox.x + abox.width <= 390, `the prompt fits (${JSON.stringify(abox)})`)
  await shot(p, '88-points-phone-prompt')
  await ask.locator('.el-button', { hasText: '取消' }).click() // nothing is sent
  await ask.waitFor({ state: 'hidden' })
  await p.close()
})
