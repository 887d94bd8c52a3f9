import { describe, it, expect } from 'vitest'
import { i18n } from '../../src/i18n/index.js'
import { shares, withShares, flatten, shareText, nodeForm, validateNode, nodeBody, daysPast } from '../../src/features/evaluation/lib/design.js'

i18n.global.locale.value = 'zh-CN'
const t = (k, a) => i18n.global.t(k, a)

describe('the index designer', () => {
  it('gives each weighted node its share of its siblings, none to bonus and veto', () => {
    const a = { kind: 'dimension', weight: 40 }, b = { kind: 'dimension', weight: 30 }, c = { kind: 'dimension', weight: 30 }
    const x = { kind: 'bonus', weight: 0 }, v = { kind: 'veto', weight: 0 }
    const s = shares([a, b, c, x, v])
    expect(s.get(a)).toBeCloseTo(0.4)
    expect(s.get(b)).toBeCloseTo(0.3)
    expect(s.get(x)).toBeNull()
    expect(s.get(v)).toBeNull()
    // all weights 0: equal shares
    const z = [{ kind: 'indicator', weight: 0 }, { kind: 'indicator', weight: 0 }]
    expect(shares(z).get(z[0])).toBeCloseTo(0.5)
  })
  it('matches the demo tree: A1 3 of 5 is 60%, B1 alone 100%', () => {
    const tree = [
      { id: 1, kind: 'dimension', code: 'A', weight: 40, children: [{ id: 2, kind: 'indicator', code: 'A1', weight: 3 }, { id: 3, kind: 'indicator', code: 'A2', weight: 2 }] },
      { id: 4, kind: 'dimension', code: 'B', weight: 60, children: [{ id: 5, kind: 'indicator', code: 'B1', weight: 1 }] },
    ]
    const rows = flatten(withShares(tree))
    expect(rows.map((r) => r.code)).toEqual(['A', 'A1', 'A2', 'B', 'B1'])
    expect(rows.map((r) => shareText(r.share))).toEqual(['40%', '60%', '40%', '60%', '100%'])
    expect(rows[1].depth).toBe(1)
    expect(shareText(1 / 3)).toBe('33.3%')
    expect(shareText(null)).toBe('—')
  })
  it('checks a node as the owner types', () => {
    const f = nodeForm(null, 1)
    expect(f.kind).toBe('indicator')
    expect(validateNode(f, [])).toMatchObject({ code: 'evaluation.design.err.codeRequired', title: 'evaluation.design.err.titleRequired' })
    Object.assign(f, { code: 'A1', title: '新指标' })
    expect(validateNode(f, ['A', 'A1']).code).toBe('evaluation.design.err.codeTaken')
    f.code = 'A9'
    expect(validateNode(f, ['A', 'A1'])).toEqual({})
    f.weight = -1
    expect(validateNode(f, []).weight).toBe('evaluation.design.err.weightNegative')
    f.weight = ''
    expect(validateNode(f, []).weight).toBe('evaluation.design.err.weightRequired')
    f.weight = 2
    Object.assign(f, { worst: 5, best: '5' })
    expect(validateNode(f, [])['method.best']).toBe('evaluation.design.err.sameEnds')
    f.best = 8
    f.methodKind = 'bands'
    f.bands = [{ min: 0, score: 40 }, { min: 20, score: 60 }, { min: 20, score: 80 }]
    expect(validateNode(f, [])['method.bands']).toBe('evaluation.design.err.bandsOrder')
    f.bands[2].min = 80
    expect(validateNode(f, [])).toEqual({})
    f.methodKind = 'ratio'
    f.benchmark = 0
    expect(validateNode(f, [])['method.benchmark']).toBe('evaluation.design.err.benchmark')
    f.sourceKind = 'metric'
    f.benchmark = 0.35
    expect(validateNode(f, []).source).toBe('evaluation.design.err.metricRequired')
    // every message key reads in Chinese
    for (const k of ['codeRequired', 'codeTaken', 'weightNegative', 'sameEnds', 'bandsOrder']) expect(t('evaluation.design.err.' + k)).toMatch(/[\u4e00-\u9fa5]/)
  })
  it('sends the body the API takes for each kind', () => {
    const f = { ...nodeForm(null, 6), code: ' C4 ', title: '专利', unit: '项', weight: '2', methodKind: 'bands', bands: [{ min: '0', score: '60' }, { min: '3', score: '100' }] }
    expect(nodeBody(f)).toEqual({ kind: 'indicator', code: 'C4', title: '专利', unit: '项', parent_id: 6, weight: 2, source: { reported: true }, method: { kind: 'bands', bands: [{ min: 0, score: 60 }, { min: 3, score: 100 }] } })
    const d = { ...nodeForm(null), code: 'D', title: '维度', weight: 10 }
    expect(nodeBody(d)).toEqual({ kind: 'dimension', code: 'D', title: '维度', unit: '', weight: 10 })
    const b = { ...nodeForm(null), kind: 'bonus', code: 'X3', title: '加分', cap: '-3' }
    expect(nodeBody(b)).toMatchObject({ kind: 'bonus', source: { reported: true }, cap: -3 })
    expect(nodeBody(b).weight).toBeUndefined()
    const m = { ...nodeForm(null, 1), code: 'A3', title: '入会率', sourceKind: 'metric', metric: 'workers.union_rate', methodKind: 'efficacy', worst: '0.6', best: '0.95' }
    expect(nodeBody(m)).toMatchObject({ source: { metric: 'workers.union_rate' }, method: { kind: 'efficacy', worst: 0.6, best: 0.95 } })
  })
  it('reads an existing node back into the form', () => {
    const n = { id: 3, parent_id: 1, kind: 'indicator', code: 'A2', title: '技能劳动者人数', unit: '人', weight: 2, source: { metric: 'workers.skilled' }, method: { kind: 'ratio', benchmark: 0.35 }, cap: null }
    const f = nodeForm(n)
    expect(f).toMatchObject({ parent_id: 1, code: 'A2', sourceKind: 'metric', metric: 'workers.skilled', methodKind: 'ratio', benchmark: 0.35 })
    expect(nodeBody(f)).toMatchObject({ parent_id: 1, source: { metric: 'workers.skilled' }, method: { kind: 'ratio', benchmark: 0.35 } })
  })
  it('counts the days past a deadline by the business date', () => {
    expect(daysPast('2026-11-30', '2026-12-05')).toBe(5)
    expect(daysPast('2026-12-05', '2026-12-05')).toBe(0)
    expect(daysPast('2027-01-10', '2026-12-05')).toBeLessThan(0)
    expect(daysPast(null, '2026-12-05')).toBe(0)
  })
})
