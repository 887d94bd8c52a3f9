import { describe, it, expect } from 'vitest'
import { i18n } from '../../src/i18n/index.js'
import {
  periodKeys, periodLabel, periodOptions, kindText, appealText, capPeriodText, signed,
  ruleValueText, capsText, windowText, owns, pathWithin, parentPath, writesPoints, reversible, appealable,
} from '../../src/features/points/lib/labels.js'

const t = (k, a) => i18n.global.t(k, a)
const zh = () => (i18n.global.locale.value = 'zh-CN')

describe('the points pages read as officials write them', () => {
  it('keys the leaderboard periods from the business date', () => {
    expect(periodKeys('2026-12-05')).toEqual({ year: '2026', quarter: '2026-Q4', month: '2026-12', lastYear: '2025', all: 'all' })
    expect(periodKeys('2027-01-01')).toEqual({ year: '2027', quarter: '2027-Q1', month: '2027-01', lastYear: '2026', all: 'all' })
    expect(periodKeys('2026-06-30').quarter).toBe('2026-Q2')
    expect(periodKeys('2026-07-01').quarter).toBe('2026-Q3')
  })
  it('names every period key in words', () => {
    zh()
    expect(periodLabel('2026', t)).toBe('2026 年')
    expect(periodLabel('2026-H1', t)).toBe('2026 年上半年')
    expect(periodLabel('2026-H2', t)).toBe('2026 年下半年')
    expect(periodLabel('2026-Q4', t)).toBe('2026 年第 4 季度')
    expect(periodLabel('2026-03', t)).toBe('2026 年 3 月')
    expect(periodLabel('all', t)).toBe('全部')
  })
  it('offers this year, quarter, month, last year and all time', () => {
    zh()
    expect(periodOptions('2026-12-05', t)).toEqual([
      { key: '2026', label: '本年（2026 年）' },
      { key: '2026-Q4', label: '本季度（2026 年第 4 季度）' },
      { key: '2026-12', label: '本月（2026 年 12 月）' },
      { key: '2025', label: '上年（2025 年）' },
      { key: 'all', label: '全部' },
    ])
    expect(periodOptions(null, t)).toEqual([])
  })
  it('shows kinds and states in Chinese, never the API token', () => {
    zh()
    expect(['rule', 'manual', 'reversal', 'appeal', 'expiry'].map((k) => kindText(k, t))).toEqual(['规则计分', '手动加减分', '冲正', '申诉更正', '到期'])
    expect(['open', 'upheld', 'dismissed'].map((s) => appealText(s, t))).toEqual(['待审核', '申诉成立', '申诉驳回'])
    expect(['year', 'half', 'quarter', 'month'].map((p) => capPeriodText(p, t))).toEqual(['每年', '每半年', '每季度', '每月'])
    expect(kindText('bonus', t)).toBe('—')
    expect(appealText(null, t)).toBe('—')
  })
  it('signs points and reads rules, caps and windows', () => {
    zh()
    expect([signed(20), signed(-20), signed(0), signed(null)]).toEqual(['+20', '-20', '0', '—'])
    const report = { source: 'plans.report_accepted', points: 5, cap_day: null, cap_period: 60, cap_lifetime: null, period: 'year', starts: '2026-01-01', ends: null }
    expect(ruleValueText(report, t)).toBe('+5 / 次')
    expect(ruleValueText({ source: 'manual', points: 30 }, t)).toBe('单次最多加 30 分')
    expect(ruleValueText({ source: 'manual', points: -20 }, t)).toBe('单次最多扣 20 分')
    expect(capsText(report, t)).toBe('每年 ≤ 60')
    expect(capsText({ cap_day: 10, cap_period: 30, cap_lifetime: 200, period: 'quarter' }, t)).toBe('每日 ≤ 10；每季度 ≤ 30；累计 ≤ 200')
    expect(capsText({ cap_day: null, cap_period: null, cap_lifetime: null, period: 'year' }, t)).toBe('不设上限')
    expect(windowText(report, t)).toBe('2026-01-01 起')
    expect(windowText({ starts: '2026-01-01', ends: '2026-12-31' }, t)).toBe('2026-01-01 至 2026-12-31')
  })
  it('knows who writes over an org: an admin or operator at it or above', () => {
    const grants = [{ org_id: 5, role: 'operator' }, { org_id: 2, role: 'viewer' }]
    expect(owns(grants, '/1/2/5/13/')).toBe(true)
    expect(owns(grants, '/1/2/5/')).toBe(true)
    expect(owns(grants, '/1/2/')).toBe(false) // a viewer there, an operator only below
    expect(owns(grants, '/1/2/6/15/')).toBe(false)
    expect(owns([{ org_id: 1, role: 'admin' }], '/1/2/')).toBe(true)
    expect(owns([{ org_id: 1, role: 'department' }], '/1/2/')).toBe(false)
    expect(owns([{ org_id: 5, role: 'operator' }], '/1/2/55/')).toBe(false) // ids, not prefixes
    expect(owns(grants, null)).toBe(false)
  })
  it('never lets a unit score itself: an org from above, a worker from its org', () => {
    expect(parentPath('/1/2/5/')).toBe('/1/2/')
    expect(parentPath('/1/')).toBe(null)
    const street = [{ org_id: 5, role: 'operator' }]
    expect(writesPoints(street, 'org', '/1/2/5/')).toBe(false) // itself
    expect(writesPoints(street, 'org', '/1/2/5/13/')).toBe(true) // its enterprise
    expect(writesPoints([{ org_id: 13, role: 'operator' }], 'org', '/1/2/5/13/')).toBe(false)
    expect(writesPoints([{ org_id: 13, role: 'operator' }], 'worker', '/1/2/5/13/')).toBe(true) // its own workers
    expect(writesPoints([{ org_id: 1, role: 'admin' }], 'org', '/1/')).toBe(false) // the city has no org above
  })
  it('reads the path of an org off a path that holds it', () => {
    expect(pathWithin(2, '/1/2/5/13/')).toBe('/1/2/')
    expect(pathWithin(13, '/1/2/5/13/')).toBe('/1/2/5/13/')
    expect(pathWithin(3, '/1/2/5/13/')).toBe(null)
    expect(pathWithin(1, '/1/12/')).toBe('/1/')
    expect(pathWithin(2, null)).toBe(null)
  })
  it('corrects only what a rule or an award wrote, and what is left of it', () => {
    expect(reversible({ kind: 'manual', left: 20 })).toBe(true)
    expect(reversible({ kind: 'manual', left: 0 })).toBe(false)
    expect(reversible({ kind: 'reversal', left: null })).toBe(false)
    expect(appealable({ kind: 'rule', appeal: null })).toBe(true)
    expect(appealable({ kind: 'rule', appeal: 'open' })).toBe(false)
    expect(appealable({ kind: 'rule', appeal: 'dismissed' })).toBe(true)
    expect(appealable({ kind: 'rule', appeal: 'upheld' })).toBe(false)
    expect(appealable({ kind: 'expiry', appeal: null })).toBe(false)
  })
})
