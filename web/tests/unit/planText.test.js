import { describe, it, expect } from 'vitest'
import { withUnit, actualText, reportValue, taskName, daysText, previewKind, KeysetPages, loadPage } from '../../src/features/plans/lib/planText.js'

const t = (k, p) => (p ? `${k}:${JSON.stringify(p)}` : k)

describe('plan figures in words', () => {
  it('a value keeps at most two decimals and its unit', () => {
    expect(withUnit(74.9963, '%')).not.toMatch(/74\.996/)
    expect(withUnit(5, '个')).toBe('5 个')
    expect(withUnit(null, '个')).toBe('—')
  })
  it('a figure resting on a report nobody reviewed says so', () => {
    const n = { target: { value: 10, unit: '个' }, actual: 5, actual_state: 'submitted' }
    expect(actualText(n, t)).toBe('5 个 · plans.state.submitted')
    expect(actualText({ ...n, actual_state: 'accepted' }, t)).toBe('5 个')
  })
  it('a report names its task by number and shows its value with the unit', () => {
    expect(taskName({ node_no: '1.1', node_title: '新建非公企业党组织数' })).toBe('1.1 新建非公企业党组织数')
    expect(reportValue({ value: 3, node_unit: '个' }, t)).toBe('3 个')
    expect(reportValue({ value: null, done: true }, t)).toBe('plans.done')
  })
  it('days are left, due today or overdue, never negative', () => {
    expect(daysText(5, t)).toBe('plans.daysLeftN:{"n":5}')
    expect(daysText(0, t)).toBe('plans.dueToday')
    expect(daysText(-217, t)).toBe('plans.overdueN:{"n":217}')
  })
  it('PDFs and images preview, other files download', () => {
    expect(previewKind({ type: 'application/pdf', filename: 'a.pdf' })).toBe('pdf')
    expect(previewKind({ type: 'image/png', filename: 'a.png' })).toBe('image')
    expect(previewKind({ type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', filename: 'a.docx' })).toBe(null)
  })
})

describe('keyset pages', () => {
  // a list of 7 items served 3 a page through cursors
  const fetchFrom = (calls) => async (cursor) => {
    calls.push(cursor)
    const start = cursor ? Number(cursor) : 0
    const items = [0, 1, 2, 3, 4, 5, 6].slice(start, start + 3)
    return { items, next: start + 3 < 7 ? String(start + 3) : null }
  }
  it('a jump past the pages visited walks forward; the end is remembered', async () => {
    const pages = new KeysetPages()
    const calls = []
    const { page, res } = await loadPage(pages, 3, fetchFrom(calls))
    expect(page).toBe(3)
    expect(res.items).toEqual([6])
    expect(calls).toEqual([undefined, '3', '6'])
    expect(pages.hasNext(3)).toBe(false)
    // back to page 2: one request, from its cursor
    calls.length = 0
    const back = await loadPage(pages, 2, fetchFrom(calls))
    expect(back.res.items).toEqual([3, 4, 5])
    expect(calls).toEqual(['3'])
  })
  it('a page beyond the end stops at the last one', async () => {
    const pages = new KeysetPages()
    const { page } = await loadPage(pages, 9, fetchFrom([]))
    expect(page).toBe(3)
  })
})
