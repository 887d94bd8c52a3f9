// The roster: filters, export, the row drawer with the timeline, the
// column chooser, the create form with the API's field errors, and a GBK
// import with bad rows whose progress bar reaches 100 %.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { launch, close, page, login, shot, creds, idNo, BASE } from './lib.mjs'
import { xlsx } from '../api/xlsx.mjs'

let browser
const c = creds()
const tmp = process.env.CHANGAI_E2E_TMP || '/tmp'
before(async () => {
  browser = await launch()
})
after(async () => {
  await close(browser)
})

async function pickOption(p, selectTestId, label) {
  await p.click(`[data-testid=${selectTestId}]`)
  await p.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first().click()
}

test('filter the roster by level, union and status, then export what is shown', async () => {
  const p = await page(browser)
  await login(p, 'admin', c.admin.pass, '/workers?org=2')
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  await pickOption(p, 'level-min', '高级工')
  await pickOption(p, 'union', '会员')
  await pickOption(p, 'status', '在职')
  await p.click('[data-testid=worker-search]')
  await p.waitForURL(/level_min=4/)
  await p.waitForFunction(() => !document.querySelector('[data-testid=workers-table] .el-loading-mask'))
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  const levels = await p.locator('[data-testid=workers-table] .el-table__body .col-level').allInnerTexts()
  assert.ok(levels.length > 0)
  for (const l of levels) assert.ok(['高级工', '技师', '高级技师', '特级技师', '首席技师'].includes(l.trim()), l)
  for (const u of await p.locator('[data-testid=workers-table] .el-table__body .col-union').allInnerTexts()) assert.equal(u.trim(), '是')
  assert.match(p.url(), /union=1/)
  assert.match(p.url(), /status=active/)
  await shot(p, '10-workers-filtered')
  // the next page by cursor
  if (await p.locator('[data-testid=next-page]').isEnabled()) {
    const first = await p.locator('[data-testid=workers-table] .el-table__body .col-name').first().innerText()
    await p.click('[data-testid=next-page]')
    await p.waitForFunction((f) => document.querySelector('[data-testid=workers-table] .el-table__body .col-name')?.innerText !== f, first)
    assert.ok(await p.locator('[data-testid=prev-page]').isEnabled())
  }
  // export with the same filters and the columns shown
  const [req, dl] = await Promise.all([
    p.waitForRequest((r) => r.url().includes('/api/v1/exports/workers.xlsx')),
    p.waitForEvent('download', { timeout: 60000 }),
    p.click('[data-testid=export]'),
  ])
  const href = decodeURIComponent(req.url())
  for (const q of ['org=2', 'level_min=4', 'union=1', 'status=active', 'cols=name,id_no,gender,org']) assert.ok(href.includes(q), href)
  const file = join(tmp, 'export.xlsx')
  await dl.saveAs(file)
  const bytes = readFileSync(file)
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx (zip) file')
  assert.match(dl.suggestedFilename(), /\.xlsx$/)
  await p.context().close()
})

test('the roster sorts by a column, pages by a chosen size and explains an ID prefix it cannot use', async () => {
  const p = await page(browser)
  await login(p, 'jiangbei', c.jiangbei.pass, '/workers?org=2')
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  assert.match(await p.locator('[data-testid=page-of]').innerText(), /第 1 \/ [\d,]+ 页/)
  // level: highest first, as the API keeps it
  await p.locator('[data-testid=workers-table] th.col-level .caret-wrapper').click()
  await p.waitForURL(/sort=level/)
  await p.waitForFunction(() => !document.querySelector('[data-testid=workers-table] .el-loading-mask'))
  const order = ['学徒工', '初级工', '中级工', '高级工', '技师', '高级技师', '特级技师', '首席技师']
  const lv = (await p.locator('[data-testid=workers-table] .el-table__body .col-level').allInnerTexts()).map((x) => order.indexOf(x.trim()))
  assert.ok(lv.length > 1 && lv.every((v, i) => i === 0 || v <= lv[i - 1]), 'levels fall: ' + lv)
  await shot(p, '13-workers-sorted')
  // twenty rows a page, and the count of pages follows
  await p.locator('[data-testid=page-size]').click()
  await p.locator('.el-select-dropdown__item:visible', { hasText: '20 条/页' }).click()
  await p.waitForURL(/size=20/)
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=workers-table] .el-table__body .el-table__row').length === 20)
  assert.match(p.url(), /sort=level/, 'the order stays')
  const total = Number((await p.locator('[data-testid=workers-total]').innerText()).replace(/[^0-9]/g, ''))
  assert.match(await p.locator('[data-testid=page-of]').innerText(), new RegExp(`/ ${Math.ceil(total / 20).toLocaleString('en-US')} 页`))
  // a jump to page 3 shows what two clicks of 下一页 would, and 上一页 goes to 2
  const namesNow = () => p.locator('[data-testid=workers-table] .el-table__body .col-name').allInnerTexts()
  const settle = () => p.waitForFunction(() => !document.querySelector('[data-testid=workers-table] .el-loading-mask'))
  const turned = async (act) => {
    const before = (await namesNow()).join('|')
    await act()
    await p.waitForFunction((b) => [...document.querySelectorAll('[data-testid=workers-table] .el-table__body .col-name')].map((e) => e.innerText).join('|') !== b, before)
    await settle()
    return namesNow()
  }
  await turned(() => p.click('[data-testid=next-page]'))
  const third = await turned(() => p.click('[data-testid=next-page]'))
  await turned(() => p.click('[data-testid=prev-page]'))
  await turned(() => p.click('[data-testid=prev-page]'))
  const jumped = await turned(async () => {
    await p.locator('[data-testid=page-jump] input').fill('3')
    await p.locator('[data-testid=page-jump] input').press('Enter')
  })
  assert.deepEqual(jumped, third)
  assert.match(await p.locator('[data-testid=page-of]').innerText(), /第 3 \//)
  await shot(p, '13-workers-jumped')
  await turned(() => p.click('[data-testid=prev-page]'))
  assert.match(await p.locator('[data-testid=page-of]').innerText(), /第 2 \//)
  // a 4-digit ID prefix is explained, not sent
  await p.fill('[data-testid=worker-q] input, input[data-testid=worker-q]', '3302')
  await p.click('[data-testid=worker-search]')
  await p.locator('.el-popper', { hasText: '前 6、10、14 位' }).waitFor()
  assert.ok(!/q=3302/.test(p.url()))
  await p.context().close()
})

test('a row opens the drawer with the timeline; the column chooser adds a column', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/workers')
  await p.waitForSelector('[data-testid=workers-table] .el-table__row')
  await p.locator('[data-testid=workers-table] .el-table__body .col-org').first().click()
  await p.waitForSelector('[data-testid=timeline] .el-timeline-item')
  assert.match(await p.locator('[data-testid=timeline]').innerText(), /登记/)
  await shot(p, '11-worker-drawer')
  await p.keyboard.press('Escape')
  await p.waitForSelector('[data-testid=worker-drawer]', { state: 'hidden' }).catch(() => {})
  const before = await p.locator('[data-testid=workers-table] .el-table__header th').count()
  await p.click('[data-testid=columns]')
  await p.locator('[data-testid=columns-list] .el-checkbox', { hasText: '手机号' }).click()
  await p.waitForFunction((n) => document.querySelectorAll('[data-testid=workers-table] .el-table__header th').length > n, before)
  await shot(p, '12-workers-columns')
  await p.context().close()
})

test('the create form shows the API field errors next to the fields, then registers the worker', async () => {
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/workers/new?org=13')
  await p.waitForSelector('[data-testid=worker-form]')
  await p.fill('[data-testid=f-name]', '测试工人')
  // the server checks one field at a time: first the phone, then the ID number
  await p.fill('[data-testid=f-id_no]', '330102199001010011') // wrong check character
  await p.fill('[data-testid=f-phone]', '12345')
  await p.click('[data-testid=f-save]')
  const phoneItem = p.locator('.el-form-item', { has: p.locator('[data-testid=f-phone]') })
  await phoneItem.locator('.el-form-item__error').waitFor()
  await p.fill('[data-testid=f-phone]', '13800138000')
  await p.click('[data-testid=f-save]')
  const idItem = p.locator('.el-form-item', { has: p.locator('[data-testid=f-id_no]') })
  await idItem.locator('.el-form-item__error').waitFor()
  assert.match(await idItem.locator('.el-form-item__error').innerText(), /身份证号/)
  // the fixed field is clear again
  await phoneItem.locator('.el-form-item__error').waitFor({ state: 'detached' })
  await shot(p, '13-worker-form-errors')
  await p.fill('[data-testid=f-id_no]', idNo('330102', '19900101', 21))
  await p.click('[data-testid=f-save]')
  await p.waitForURL(/\/workers\/\d+$/)
  await p.waitForSelector('[data-testid=worker-detail] .wd-name')
  assert.match(await p.locator('[data-testid=worker-detail]').innerText(), /测试工人/)
  await shot(p, '14-worker-page')
  await p.context().close()
})

test('a GBK CSV with bad rows: the progress bar reaches 100 %, the rejected rows download', async () => {
  const rows = ['姓名,身份证号,所在单位,技能等级,是否工会会员,手机号,工种,入职日期']
  for (let i = 0; i < 1200; i++) {
    const y = 1965 + (i % 30)
    rows.push(`导入${i % 97}号,${idNo('330102', `${y}0${1 + (i % 9)}1${i % 10}`, 100 + (i % 800))},宁波甬江精密机械有限公司,高级工,是,139${String(10000000 + i)},数控车工,2015-06-01`)
  }
  rows.push('坏身份证,330102199001010011,宁波甬江精密机械有限公司,高级工,是,13900000001,数控车工,2015-06-01')
  rows.push('坏手机,' + idNo('330102', '19850505', 7) + ',宁波甬江精密机械有限公司,技师,否,12345,钳工,2010-01-01')
  rows.push('坏等级,' + idNo('330102', '19850606', 8) + ',宁波甬江精密机械有限公司,九级工,否,13900000002,钳工,2010-01-01')
  const utf8 = join(tmp, 'roster.csv')
  const gbk = join(tmp, 'roster-gbk.csv')
  writeFileSync(utf8, rows.join('\r\n') + '\r\n')
  writeFileSync(gbk, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030', utf8]))

  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/import')
  await p.waitForSelector('[data-testid=drop]')
  assert.match(await p.locator('[data-testid=import-target]').innerText(), /甬江街道/)
  await p.setInputFiles('[data-testid=file]', gbk)
  await p.waitForSelector('[data-testid=chosen]')
  await shot(p, '20-import-chosen')
  // record every percentage the bar shows
  await p.evaluate(() => {
    window.__seen = []
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=import-progress] .el-progress__text, [data-testid=import-progress] .el-progress-bar__innerText')
      if (bar) window.__seen.push(bar.textContent.trim())
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  await p.click('[data-testid=import-start]')
  await p.waitForSelector('[data-testid=import-job]')
  await p.waitForFunction(() => /100%/.test(document.querySelector('[data-testid=import-progress]')?.textContent || ''), null, { timeout: 60000 })
  await p.waitForSelector('[data-testid=errors-csv]')
  const seen = await p.evaluate(() => window.__seen)
  assert.ok(seen.includes('100%'), 'the bar reached 100 %: ' + seen.join(' '))
  const n = (id) => p.locator(`[data-testid=${id}]`).innerText().then((s) => Number(s.replace(/,/g, '')))
  assert.equal(await n('c-total'), 1203)
  assert.equal(await n('c-rejected'), 3)
  assert.equal((await n('c-inserted')) + (await n('c-updated')), 1200)
  await p.waitForSelector('[data-testid=rejects] .el-table__row')
  const fix = await p.locator('[data-testid=rejects]').innerText()
  assert.match(fix, /身份证号/)
  assert.match(fix, /手机号/)
  await p.waitForTimeout(800) // the bar's width transition
  await shot(p, '21-import-done')
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('[data-testid=errors-csv]')])
  const file = join(tmp, 'errors.csv')
  await dl.saveAs(file)
  const text = readFileSync(file, 'utf8')
  assert.match(text, /行号/)
  for (const row of ['1202', '1203', '1204']) assert.ok(text.includes('\n' + row + ','), 'row ' + row + ' rejected')
  await p.context().close()
})

test('a filled .xlsx imports like a CSV; its rejected rows come back as an .xlsx in Chinese', async () => {
  const head = ['姓名', '身份证号', '所在单位', '技能等级', '是否工会会员', '手机号', '工种', '入职日期']
  const file = join(tmp, 'roster.xlsx')
  writeFileSync(
    file,
    xlsx([
      head,
      ['表格一', idNo('330102', '19880303', 31), '宁波甬江精密机械有限公司', '技师', '是', '13900000031', '钳工', '2016-03-01'],
      ['表格二', idNo('330102', '19890404', 32), '宁波甬江精密机械有限公司', '高级工', '否', '13900000032', '焊工', '2017-04-01'],
      ['表格坏', idNo('330102', '19900505', 33), '宁波甬江精密机械有限公司', '九级工', '否', '13900000033', '焊工', '2018-05-01'],
    ]),
  )
  const p = await page(browser)
  await login(p, 'yongjiang', c.yongjiang.pass, '/import')
  await p.waitForSelector('[data-testid=drop]')
  assert.match(await p.locator('[data-testid=drop]').innerText(), /xlsx/)
  await p.setInputFiles('[data-testid=file]', file)
  await p.waitForSelector('[data-testid=chosen]')
  assert.equal(await p.locator('[data-testid=import-error]').count(), 0, 'the .xlsx is not refused')
  await p.click('[data-testid=import-start]')
  await p.waitForSelector('[data-testid=errors-xlsx]', { timeout: 60000 })
  const n = (id) => p.locator(`[data-testid=${id}]`).innerText().then((s) => Number(s.replace(/,/g, '')))
  assert.equal(await n('c-total'), 3)
  assert.equal(await n('c-rejected'), 1)
  await p.waitForSelector('[data-testid=rejects] .el-table__row')
  const reason = await p.locator('[data-testid=rejects] .el-table__row').first().innerText()
  assert.match(reason, /技能等级/)
  assert.ok(!/must be/.test(reason), 'the zh-CN console shows the reason in Chinese only: ' + reason)
  await shot(p, '22-import-xlsx-done')
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('[data-testid=errors-xlsx]')])
  const back = join(tmp, 'rejected.xlsx')
  await dl.saveAs(back)
  assert.equal(readFileSync(back).subarray(0, 2).toString(), 'PK', 'the rejected rows as an .xlsx')
  await p.context().close()
})
