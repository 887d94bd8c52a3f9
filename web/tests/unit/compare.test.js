import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../src/i18n/index.js'
import { compareRows, totalLines, deltaText, changeKind } from '../../src/features/plans/lib/compare.js'
import StatementCompare from '../../src/features/plans/components/StatementCompare.vue'
import { mockFetch } from './helpers.js'

const seal = (id, as_of, title) => ({ id, as_of, title, hash: 'h' + id })
const diff = {
  from: seal(1, '2026-06-30', '六月'),
  to: seal(2, '2026-10-31', '十月'),
  moved: 4,
  changes: [
    { node_id: 4, no: '1.2', title: '非公企业党组织覆盖率', from: { actual: 44.2, completion: 0.52, status: 'green' }, to: { actual: 88.4, completion: 1, status: 'green' }, completion_delta: 0.48, status_changed: false },
    { node_id: 9, no: '2.1', title: '建成区级工匠学院', from: { actual: null, completion: 0, status: 'yellow' }, to: { actual: null, completion: 0, status: 'red' }, completion_delta: 0, status_changed: true },
    { node_id: 12, no: '3.3', title: '新增的分项', from: null, to: { actual: 2, completion: 0.2, status: 'green' }, completion_delta: null, status_changed: true },
    { node_id: 13, no: '3.4', title: '删去的分项', from: { actual: 5, completion: 0.5, status: 'green' }, to: null, completion_delta: null, status_changed: true },
  ],
  totals: {
    from: { completion: 0.6672, status: 'red', subitems: 54, done: 13, in_progress: 34, overdue: 7, not_started: 0 },
    to: { completion: 0.9115, status: 'red', subitems: 54, done: 34, in_progress: 10, overdue: 10, not_started: 0 },
  },
}

describe('comparing sealed statements (lib)', () => {
  it('classifies rows: moved, light changed, added, removed', () => {
    expect(diff.changes.map(changeKind)).toEqual(['moved', 'status', 'added', 'removed'])
    expect(compareRows(diff).map((r) => r.node_id)).toEqual([4, 9, 12, 13])
    expect(compareRows(diff, 'status').map((r) => r.node_id)).toEqual([9, 12, 13])
    expect(compareRows(null)).toEqual([])
  })
  it('lines up the totals before and after', () => {
    const t = totalLines(diff)
    expect(t[0]).toEqual({ key: 'completion', from: 0.6672, to: 0.9115, delta: 0.2443 })
    expect(t.find((l) => l.key === 'done')).toEqual({ key: 'done', from: 13, to: 34, delta: 21 })
    expect(t.find((l) => l.key === 'overdue').delta).toBe(3)
  })
  it('signs completion changes', () => {
    expect(deltaText(0.48)).toBe('+48%')
    expect(deltaText(-0.125)).toBe('−12.5%')
    expect(deltaText(0)).toBe('0')
    expect(deltaText(null)).toBe('—')
  })
})

describe('StatementCompare', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    i18n.global.locale.value = 'zh-CN'
  })
  it('asks for the two latest seals and shows a table of what moved, not JSON', async () => {
    const f = mockFetch([['GET', /\/plans\/1\/statements\/compare\?from=1&to=2$/, 200, diff]])
    const w = mount(StatementCompare, {
      props: { planId: 1, seals: [seal(2, '2026-10-31', '十月'), seal(1, '2026-06-30', '六月'), seal(0, '2026-03-31', '三月')], units: { 4: '%', 12: '个' } },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    await w.find('[data-testid=compare-go]').trigger('click')
    await flushPromises()
    expect(f.calls[0].url).toContain('from=1&to=2')
    expect(w.text()).not.toContain('"changes"')
    expect(w.find('[data-testid=compare-head]').text()).toBe('从 六月（2026-06-30） 到 十月（2026-10-31）：4 项有变化')
    const rows = w.findAll('[data-testid=compare-table] .el-table__body tr')
    expect(rows).toHaveLength(4)
    const cells = (r) => r.findAll('td').map((td) => td.text().replace(/\s+/g, ''))
    expect(cells(rows[0])).toEqual(['1.2', '非公企业党组织覆盖率', '正常→正常', '44.2%→88.4%', '52%→100%', '+48%'])
    expect(cells(rows[1]).slice(2, 4)).toEqual(['预警→逾期', '—→—'])
    expect(cells(rows[2]).slice(1, 4)).toEqual(['新增的分项新增', '—→正常', '—→2个'])
    expect(cells(rows[3]).slice(1, 3)).toEqual(['删去的分项已移除', '正常→—'])
    const totals = w.findAll('[data-testid=compare-totals] .el-table__body tr').map(cells)
    expect(totals[0]).toEqual(['总体完成度', '66.7%', '91.2%', '+24.4%'])
    expect(totals[2]).toEqual(['已完成', '13', '34', '+21'])
    // only the lights that changed, and rows added or removed
    await w.find('[data-testid=compare-only] input[value=status]').setValue(true)
    await flushPromises()
    expect(w.findAll('[data-testid=compare-table] .el-table__body tr')).toHaveLength(3)
    w.unmount()
  })
  it('shows the API error instead of a table', async () => {
    mockFetch([['GET', /compare/, 404, { error: { code: 'not_found', message: 'no such statement', message_zh: '对账单不存在' } }]])
    const w = mount(StatementCompare, { props: { planId: 1, seals: [seal(2, '2026-10-31', '十月'), seal(1, '2026-06-30', '六月')] }, global: { plugins: [i18n] } })
    await flushPromises()
    await w.find('[data-testid=compare-go]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=compare-error]').text()).toContain('对账单不存在')
    expect(w.find('[data-testid=compare-table]').exists()).toBe(false)
  })
})
