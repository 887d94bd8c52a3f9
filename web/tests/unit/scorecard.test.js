import { describe, it, expect } from 'vitest'
import { i18n } from '../../src/i18n/index.js'
import { methodText, valueText, radarOf, starsText } from '../../src/features/evaluation/lib/scorecard.js'

const t = (k, a) => i18n.global.t(k, a)

describe('the scorecard reads as officials write it', () => {
  it('names each method with its figures', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(methodText({ kind: 'linear', worst: 0, best: 0.8 }, t)).toBe('线性 0 → 0.8')
    expect(methodText({ kind: 'efficacy', worst: 0.6, best: 0.95 }, t)).toBe('功效系数 0.6 → 0.95（60–100）')
    expect(methodText({ kind: 'ratio', benchmark: 0.35 }, t)).toBe('标杆值 0.35')
    expect(methodText({ kind: 'bands', bands: [{ min: 0, score: 40 }, { min: 20, score: 80 }] }, t)).toBe('分档 2 档（≥0→40，≥20→80）')
    expect(methodText({ kind: 'milestone' }, t)).toBe('里程碑（是 100 / 否 0）')
    expect(methodText(null, t)).toBe('')
  })
  it('shows ratios as percentages, milestones and vetoes as yes or no', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(valueText({ kind: 'indicator', value: 0.666667, unit: '%', method: { kind: 'ratio' } }, t)).toBe('66.67%')
    expect(valueText({ kind: 'indicator', value: 3, unit: '项', method: { kind: 'linear' } }, t)).toBe('3 项')
    expect(valueText({ kind: 'indicator', value: 1, unit: '', method: { kind: 'milestone' } }, t)).toBe('是')
    expect(valueText({ kind: 'veto', value: 0, unit: '' }, t)).toBe('否')
    expect(valueText({ kind: 'indicator', value: null, unit: '%' }, t)).toBe('—')
  })
  it('draws the radar from the top dimensions only', () => {
    const r = radarOf([
      { code: 'A', kind: 'dimension', parent: null, title: '技能人才', score: 82.22 },
      { code: 'A1', kind: 'indicator', parent: 'A', title: '高技能人才占比', score: 83.33 },
      { code: 'B', kind: 'dimension', parent: null, title: '组织建设', score: 60 },
      { code: 'X1', kind: 'bonus', parent: null, title: '加分', score: 5 },
    ])
    expect(r.indicator.map((i) => i.name)).toEqual(['技能人才', '组织建设'])
    expect(r.value).toEqual([82.22, 60])
  })
  it('writes stars out of five', () => {
    expect(starsText(4)).toBe('★★★★☆')
    expect(starsText(0)).toBe('☆☆☆☆☆')
  })
})
