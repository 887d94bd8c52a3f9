// dates: this file runs at every date of tests/dates.txt
// The working-day calendar and 公示 notices in the console: the city admin
// sees the year, is warned of a missing one and imports it from a file (a
// bad file names its rows); a street drafts a notice with two subjects
// pasted from Excel and publishes it; the public page, without logging in,
// shows the list and takes a real-name objection; the street answers it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { launch, close, page, login, shot, creds, BASE, YEAR, TODAY } from './lib.mjs'

let browser
const c = creds()
const tmp = process.env.CHANGAI_E2E_TMP || '/tmp'
const target = YEAR + 2 // no notice of the State Council reaches it yet
let publicPath
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

test('the city admin sees the calendar, is warned of a missing year, and imports it', async () => {
  const p = await page(browser)
  await login(p, 'admin', c.admin.pass, `/calendar?year=${YEAR}`)
  await p.waitForSelector('[data-testid=calendar-summary]')
  const seeded = YEAR >= 2024 && YEAR <= 2026
  assert.match(await p.locator('[data-testid=calendar-summary]').innerText(), seeded ? /系统预置/ : /未录入/)
  if (seeded) assert.ok((await p.locator('[data-testid=calendar-days] .el-table__row').count()) > 20)
  await shot(p, '80-calendar-year')
  // a year two ahead is missing: the page says what that means
  await p.goto(`${BASE}/calendar?year=${target}`)
  await p.waitForSelector('[data-testid=calendar-summary]')
  assert.match(await p.locator('[data-testid=calendar-summary]').innerText(), /未录入/)
  // a bad file: nothing imported, every bad row named
  const bad = join(tmp, 'calendar-bad.csv')
  writeFileSync(bad, `\uFEFF日期,类型,名称\r\n${target}-01-01,放假,元旦\r\n${target}-13-01,放假,春节\r\n${target}-01-02,加班,元旦\r\n`)
  await p.setInputFiles('[data-testid=calendar-file]', bad)
  await p.waitForSelector('[data-testid=calendar-rejected] .el-table__row')
  const rows = await p.locator('[data-testid=calendar-rejected] .el-table__body').innerText()
  assert.match(rows, /3\s+日期/)
  assert.match(rows, /4\s+类型/)
  await shot(p, '81-calendar-rejected')
  const good = join(tmp, 'calendar-good.csv')
  writeFileSync(good, `\uFEFF日期,类型,名称\r\n${target}-01-01,放假,元旦\r\n${target}-10-01,放假,国庆节\r\n${target}-10-02,放假,国庆节\r\n`)
  await p.setInputFiles('[data-testid=calendar-file]', good)
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=calendar-days] .el-table__row').length === 3)
  assert.match(await p.locator('[data-testid=calendar-summary]').innerText(), /管理员导入/)
  assert.equal(await p.locator('[data-testid=calendar-rejected]').count(), 0)
  await shot(p, '82-calendar-imported')
  await p.context().close()
})

test('a street drafts a notice with subjects pasted from Excel and publishes it', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/notices')
  await p.waitForSelector('[data-testid=notice-create]')
  await p.click('[data-testid=notice-create]')
  await p.fill('[data-testid=nf-title]', `${YEAR}年度“甬江工匠”拟命名人选公示`)
  await p.fill('[data-testid=nf-body]', '经企业推荐、街道评审，现将拟命名人选予以公示。如有异议，请在公示期内实名反映。')
  await p.fill('[data-testid=nf-contact]', '甬江街道总工会 0574-87001234')
  await p.fill('[data-testid=nf-paste]', '王建国\t宁波甬江精密机械有限公司\t拟命名为“甬江工匠”\n陈丽\t宁波甬江精密机械有限公司\t拟命名为“甬江工匠”')
  await p.locator('[data-testid=notice-dialog] button', { hasText: '粘贴' }).click()
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=nf-subjects] .el-table__row').length === 2)
  await shot(p, '83-notice-draft')
  await p.click('[data-testid=nf-save]')
  await p.waitForSelector('[data-testid=notice-drawer] [data-testid=notice-open]')
  await p.click('[data-testid=notice-open]')
  await p.locator('.el-message-box').waitFor()
  await p.locator('.el-message-box__btns .el-button--primary').click()
  await p.waitForSelector('[data-testid=notice-link]')
  const phase = await p.locator('[data-testid=notice-phase]').getAttribute('data-phase')
  assert.ok(phase === 'open' || phase === 'before', phase)
  publicPath = await p.locator('[data-testid=notice-link]').getAttribute('href')
  assert.match(publicPath, /^\/notice\/[A-Za-z0-9_-]{22}$/)
  await shot(p, '84-notice-published')
  await p.context().close()
})

test('the public page: no login, the list, and a real-name objection', async () => {
  assert.ok(publicPath)
  for (const [w, h, name] of [[1440, 900, '85-public-notice'], [390, 844, '86-public-notice-phone']]) {
    const p = await page(browser, { viewport: { width: w, height: h } })
    await p.goto(BASE + publicPath)
    await p.waitForSelector('[data-testid=public-title]')
    assert.match(await p.locator('[data-testid=public-title]').innerText(), /甬江工匠/)
    const text = await p.locator('[data-testid=public-notice]').innerText()
    assert.match(text, /甬江街道/)
    assert.match(text, /王建国/)
    assert.ok(!/1[3-9]\d{9}/.test(text), 'no mobile number on the page')
    await shot(p, name)
    await p.context().close()
  }
  const p = await page(browser)
  await p.goto(BASE + publicPath)
  await p.waitForSelector('[data-testid=public-title]')
  if (!(await p.locator('[data-testid=po-submit]').count())) {
    // opens on the next working day: the page says when
    assert.match(await p.locator('[data-testid=public-notice]').innerText(), /公示将于 \d{4}-\d{2}-\d{2} 开始/)
    await p.context().close()
    return
  }
  // the form checks before sending
  await p.click('[data-testid=po-submit]')
  await p.waitForSelector('.el-form-item.is-error')
  assert.ok((await p.locator('.el-form-item.is-error').count()) >= 2)
  await p.fill('[data-testid=po-name]', '李建华')
  await p.fill('[data-testid=po-phone]', '13812345678')
  await p.fill('[data-testid=po-unit]', '甬江某厂')
  await p.click('[data-testid=po-subject]')
  await p.locator('.el-select-dropdown__item', { hasText: '1. 王建国' }).click()
  await p.fill('[data-testid=po-text]', '王建国去年发生过安全生产事故，建议核实后再命名。')
  await shot(p, '87-public-objection-form')
  await p.click('[data-testid=po-submit]')
  await p.waitForSelector('[data-testid=public-received]')
  await shot(p, '88-public-objection-received')
  await p.context().close()
})

test('the street reads the objection masked and answers it', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/notices')
  await p.waitForSelector('[data-testid=notices-table] .el-table__row')
  await p.locator('[data-testid=notices-table] .el-table__row', { hasText: '甬江工匠' }).first().click()
  await p.waitForSelector('[data-testid=notice-subjects] .el-table__row')
  const rows = p.locator('[data-testid=notice-objections] .el-table__row')
  if (!(await rows.count())) {
    assert.equal(await p.locator('[data-testid=notice-phase]').getAttribute('data-phase'), 'before')
    await p.context().close()
    return
  }
  const text = await p.locator('[data-testid=notice-objections]').innerText()
  assert.match(text, /李\*\*/)
  assert.match(text, /138\*\*\*\*5678/)
  assert.ok(!text.includes('13812345678'))
  await p.locator('[data-testid=notice-objections] button', { hasText: '答复' }).first().click()
  await p.waitForSelector('[data-testid=answer-reason]')
  await p.click('[data-testid=answer-send]')
  await p.waitForSelector('[data-testid=answer-dialog] .el-alert--error')
  await p.fill('[data-testid=answer-reason]', `经核实，事故责任不在本人（${TODAY} 街道安监办复函）。`)
  await p.click('[data-testid=answer-send]')
  await p.waitForFunction(() => !document.querySelector('[data-testid^=respond-]'))
  assert.match(await p.locator('[data-testid=notice-objections]').innerText(), /异议不成立/)
  await shot(p, '89-notice-answered')
  // in full: the street says why, then proves itself again with its password
  await p.click('[data-testid=notice-unmask]')
  const box = p.locator('.el-message-box')
  const why = box.filter({ hasText: '用途' })
  await why.waitFor()
  await why.locator('input').fill('核实异议人身份')
  await why.locator('.el-button--primary').click()
  // the password box (the purpose box may still be fading out)
  const pw = box.filter({ hasText: '登录密码' })
  await pw.waitFor()
  await pw.locator('input').fill(c.yongjiang.pass)
  await shot(p, '89b-step-up')
  await pw.locator('.el-button--primary').click()
  await p.waitForFunction(() => /李建华/.test(document.querySelector('[data-testid=notice-objections]')?.innerText || ''))
  assert.match(await p.locator('[data-testid=notice-objections]').innerText(), /13812345678/)
  await p.context().close()
})
