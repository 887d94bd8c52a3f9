// The evaluation index in the console: 江北区's union (the index's owner)
// reads this year's ranking with classes and stars, last year's sealed
// period with its hash, and one enterprise's scorecard down to the source
// of every node; it recomputes the open period. A street (甬江街道) sees
// only its own enterprises and cannot compute.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { xlsx } from '../api/xlsx.mjs'
import { launch, close, page, login, shot, creds, YEAR } from './lib.mjs'

let browser
const c = creds()
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

async function pickOption(p, testid, label) {
  await p.click(`[data-testid=${testid}]`)
  await p.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
}

test('the district reads the ranking, the seal and a scorecard, and recomputes', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/evaluation')
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  const first = await p.locator('[data-testid=ev-table] .el-table__row').first().innerText()
  assert.match(first, /^1\s/, 'the best unit first')
  assert.match(first, /[★☆]{5}|一票否决/)
  assert.match(await p.locator('[data-testid=ev-period-info]').innerText(), /进行中/)
  assert.equal(await p.locator('[data-testid=ev-table] .el-table__row').count(), 50)
  // beside each unit, how far it moved since last year
  const moves = await p.locator('[data-testid=ev-move]').allInnerTexts()
  assert.equal(moves.length, 50)
  for (const m of moves) assert.match(m, /^(↑\d+|↓\d+|—|新参评|分类变动)$/)
  assert.ok(moves.some((m) => /^[↑↓]/.test(m)), 'some units moved')
  await shot(p, '85-evaluation-ranking')
  // the index itself as an .xlsx, for the officials' files
  const href = await p.getAttribute('[data-testid=ev-tree-xlsx]', 'href')
  assert.match(href, /\/api\/v1\/indexes\/\d+\/tree\.xlsx$/)
  const got = await p.evaluate(async (u) => {
    const r = await fetch(u)
    return [r.status, r.headers.get('content-type'), new Uint8Array(await r.arrayBuffer()).slice(0, 2).join()]
  }, href)
  assert.deepEqual(got, [200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '80,75'])
  // one class only: every row of that class
  await pickOption(p, 'ev-class', '中小微企业')
  await p.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=ev-table] .el-table__row')]
    return rows.length > 0 && rows.every((r) => r.innerText.includes('中小微企业'))
  })
  await pickOption(p, 'ev-class', '全部分类')
  // last year: sealed, with its hash
  await pickOption(p, 'ev-period', `${YEAR - 1}年度`)
  await p.waitForFunction(() => /已封存/.test(document.querySelector('[data-testid=ev-period-info]').innerText))
  assert.match(await p.locator('[data-testid=ev-period-info]').innerText(), /封存校验值：[0-9a-f]{16}/)
  assert.equal(await p.locator('[data-testid=ev-compute]').count(), 0, 'a sealed period is not recomputed')
  // a scorecard: every node, its source and method
  await p.locator('[data-testid=ev-table] .el-table__row').first().click()
  await p.waitForSelector('[data-testid=ev-explain] .el-table__row')
  const card = await p.locator('[data-testid=ev-explain]').innerText()
  assert.match(card, /高技能人才占比/)
  assert.match(card, /系统计算：workers\.high_skill_ratio/)
  assert.match(card, /标杆值 0\.35/)
  assert.match(card, /江北区总工会 填报/)
  assert.match(card, /未发生重大安全生产事故/)
  await p.waitForTimeout(400) // the radar's animation
  await shot(p, '86-evaluation-scorecard')
  await p.keyboard.press('Escape')
  // this year again: the owner recomputes
  await pickOption(p, 'ev-period', `${YEAR}年度`)
  await p.waitForSelector('[data-testid=ev-compute]')
  await p.click('[data-testid=ev-compute]')
  await p.waitForSelector('.el-message--success')
  assert.match(await p.locator('.el-message--success').innerText(), /得分已更新/)
  await p.close()
})

test('the district tests the ranking for robustness and proposes demonstration units', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/evaluation')
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  // this year's open period: a robustness run, each unit's interval and verdict
  await p.locator('[data-testid=ev-tabs] .el-tabs__item', { hasText: '稳健性检验' }).click()
  await p.waitForSelector('[data-testid=ev-robust-run]')
  await p.click('[data-testid=ev-robust-run]')
  await p.waitForSelector('[data-testid=ev-robust-table] .el-table__row', { timeout: 60000 })
  assert.match(await p.locator('[data-testid=ev-robust-run-info]').innerText(), /200 次重算，权重 ±25%，前 10 名/)
  const verdicts = await p.locator('[data-testid=ev-robust-table] [data-verdict]').evaluateAll((els) => els.map((e) => e.dataset.verdict))
  assert.ok(verdicts.length > 0 && verdicts.every((v) => ['in', 'out', 'unstable'].includes(v)), verdicts.join())
  assert.ok(verdicts.includes('in'), 'the best units hold their place')
  await shot(p, '85b-evaluation-robustness')
  // what-if: 技能人才 (A) down from 40 to 10, the ranking again beside the computed one
  await p.locator('[data-testid=ev-tabs] .el-tabs__item', { hasText: '模拟调权' }).click()
  await p.waitForSelector('[data-testid=ev-whatif] [data-code=A] input')
  await p.fill('[data-testid=ev-whatif] [data-code=A] input', '10')
  await p.locator('[data-testid=ev-whatif] [data-code=A] input').blur()
  await p.click('[data-testid=ev-whatif-run]')
  await p.waitForSelector('[data-testid=ev-whatif-result] .el-table__row')
  const moved = await p.locator('[data-testid=ev-whatif-result] p').innerText()
  const m = /^(\d+) 家中有 (\d+) 家名次变化$/.exec(moved)
  assert.ok(m && Number(m[2]) > 0 && Number(m[2]) <= Number(m[1]), moved)
  await shot(p, '85e-evaluation-whatif')
  // last year's sealed period: candidates, a list with a reason for each left out
  await pickOption(p, 'ev-period', `${YEAR - 1}年度`)
  await p.locator('[data-testid=ev-tabs] .el-tabs__item', { hasText: '示范单位' }).click()
  await p.waitForSelector('[data-testid=ev-candidates] .el-table__row')
  const cands = await p.locator('[data-testid=ev-candidates] .el-table__row').count()
  assert.ok(cands >= 2, `candidates (${cands})`)
  const boxes = p.locator('[data-testid=ev-candidates] .el-table__body .el-checkbox')
  await boxes.nth(0).click()
  await boxes.nth(1).click()
  await p.click('[data-testid=ev-propose]')
  await p.waitForSelector('[data-testid=ev-reasons] textarea')
  const reasons = p.locator('[data-testid=ev-reasons] textarea')
  assert.equal(await reasons.count(), cands - 2, 'one reason per candidate left out')
  // a reason left blank is asked for
  await p.click('[data-testid=ev-reasons-ok]')
  await p.waitForSelector('.el-message--warning')
  for (let i = 0; i < cands - 2; i++) await reasons.nth(i).fill('本年度有欠薪投诉，经研究暂不推荐')
  await shot(p, '85c-evaluation-reasons')
  await p.click('[data-testid=ev-reasons-ok]')
  await p.waitForSelector('[data-testid=ev-proposals] [data-state=submitted]')
  assert.match(await p.locator('[data-testid=ev-proposals]').innerText(), /待另一位负责人审核/)
  await p.close()
  // the city's admin reviews it and opens the 公示
  const a = await page(browser)
  await login(a, 'admin', c.admin.pass, '/evaluation')
  await a.waitForSelector('[data-testid=ev-table] .el-table__row')
  await pickOption(a, 'ev-index', '江北区企业产改指数')
  await pickOption(a, 'ev-period', `${YEAR - 1}年度`)
  await a.locator('[data-testid=ev-tabs] .el-tabs__item', { hasText: '示范单位' }).click()
  await a.waitForSelector('[data-testid=ev-approve]')
  await a.click('[data-testid=ev-approve]')
  await a.waitForSelector('[data-testid=ev-to-notice]')
  await a.click('[data-testid=ev-to-notice]')
  await a.waitForSelector('.el-message-box')
  await a.click('.el-message-box .el-button--primary')
  await a.waitForSelector('[data-testid=ev-proposals] [data-state=noticed]')
  assert.match(await a.locator('[data-testid=ev-proposals]').innerText(), /公示中/)
  await shot(a, '85d-evaluation-naming')
  // the window ends; the sweep (on the day after) names the units still listed
  const named = await a.evaluate(async (y) => {
    const get = async (u) => (await fetch('/api/v1' + u)).json()
    const idx = (await get('/indexes')).items.find((x) => x.title === '江北区企业产改指数')
    const per = (await get(`/indexes/${idx.id}`)).periods.find((p) => p.label === `${y}年度`)
    const prop = (await get(`/periods/${per.id}/proposals`)).items.find((p) => p.state === 'noticed')
    const notice = await get(`/notices/${prop.notice_id}`)
    return { ends: notice.ends, prop: prop.id, units: (await get(`/proposals/${prop.id}`)).units.filter((u) => u.state === 'listed').map((u) => u.org_id) }
  }, YEAR - 1)
  const after = new Date(Date.parse(`${named.ends}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10)
  const env = { ...process.env, CHANGAI_TEST_CLOCK: '1', CHANGAI_TODAY: after }
  const out = execFileSync(process.env.CHANGAI_E2E_BIN, ['sweep', '--db', process.env.CHANGAI_E2E_DB], { encoding: 'utf8', env, timeout: 60000 })
  assert.match(out, /^notices: [1-9]\d* closed$/m)
  // the honour shows on the org's page
  await a.goto(`${process.env.CHANGAI_E2E_URL}/orgs/${named.units[0]}`)
  await a.waitForSelector('[data-testid=org-honour]')
  assert.equal(await a.locator('[data-testid=org-honour]').innerText(), `${YEAR - 1} 示范企业`)
  await shot(a, '85f-org-honour')
  await a.close()
})

test('a street sees its own enterprises only and cannot compute', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/evaluation')
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  const n = await p.locator('[data-testid=ev-table] .el-table__row').count()
  assert.ok(n > 0 && n < 50, `a few enterprises of its own (${n})`)
  // the count it reads is its own, with the district's beside it
  assert.match(await p.locator('[data-testid=ev-units]').innerText(), new RegExp(`^本辖区 ${n} 家 · 全区 \\d+ 家$`))
  assert.equal(await p.locator('[data-testid=ev-compute]').count(), 0)
  // robustness and naming are the index's owners' and readers', not a unit's
  assert.equal(await p.locator('[data-testid=ev-tabs]').count(), 0)
  await shot(p, '87-evaluation-street')
  // the street fills in the collection template for one of its enterprises
  const got = await p.evaluate(async () => {
    const href = document.querySelector('[data-testid=ev-collect-xlsx]').getAttribute('href')
    const r = await fetch(href)
    const pid = /periods\/(\d+)\//.exec(href)[1]
    const s = await (await fetch(`/api/v1/periods/${pid}/scores?limit=1`)).json()
    return { status: r.status, org: s.items[0].org_id, name: s.items[0].org_name }
  })
  assert.equal(got.status, 200)
  const head = ['单位编号', '单位名称', '代码', '填报项', '填写要求', '数值', '说明']
  const tmp = process.env.CHANGAI_E2E_TMP || '/tmp'
  writeFileSync(`${tmp}/collect-bad.xlsx`, xlsx([head, [got.org, got.name, 'C2', '建成职工创新工作室', '1=是，0=否', 0.5]]))
  await p.setInputFiles('[data-testid=ev-collect-file]', `${tmp}/collect-bad.xlsx`)
  await p.waitForSelector('[data-testid=ev-collect-errors]')
  assert.match(await p.locator('[data-testid=ev-collect-errors]').innerText(), /第 2 行 · 数值：该项只能填 1（是）或 0（否）/)
  await shot(p, '87b-evaluation-collect-refused')
  writeFileSync(`${tmp}/collect.xlsx`, xlsx([head, [got.org, got.name, 'C1', '职工创新成果', '项', 4, '年度专利 4 项']]))
  await p.setInputFiles('[data-testid=ev-collect-file]', `${tmp}/collect.xlsx`)
  await p.waitForSelector('.el-message--success')
  assert.match(await p.locator('.el-message--success').innerText(), /已导入 1 项数据/)
  await p.close()
})
