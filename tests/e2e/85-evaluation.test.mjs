// The evaluation index in the console: 江北区's union (the index's owner)
// reads this year's ranking with classes and stars, last year's sealed
// period with its hash, and one enterprise's scorecard down to the source
// of every node; it recomputes the open period. A street (甬江街道) sees
// only its own enterprises and cannot compute.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
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
  await shot(p, '85-evaluation-ranking')
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

test('a street sees its own enterprises only and cannot compute', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/evaluation')
  await p.waitForSelector('[data-testid=ev-table] .el-table__row')
  const n = await p.locator('[data-testid=ev-table] .el-table__row').count()
  assert.ok(n > 0 && n < 50, `a few enterprises of its own (${n})`)
  // the count it reads is its own, with the district's beside it
  assert.match(await p.locator('[data-testid=ev-units]').innerText(), new RegExp(`^本辖区 ${n} 家 · 全区 \\d+ 家$`))
  assert.equal(await p.locator('[data-testid=ev-compute]').count(), 0)
  await shot(p, '87-evaluation-street')
  await p.close()
})
