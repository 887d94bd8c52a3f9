import { describe, it, expect } from 'vitest'
import { cityRole, settingGroups, isSwitch, CODE_RE, codeBody, nextSort } from '../../src/features/system/model.js'

describe('系统管理 rules the console applies', () => {
  const roots = [{ id: 1, parent_id: null }]
  it('only a grant at the root of the tree sets city-wide things', () => {
    expect(cityRole(roots, [{ role: 'admin', org_id: 1 }], 'admin')).toBe(true)
    expect(cityRole(roots, [{ role: 'admin', org_id: 1 }], 'security_admin')).toBe(false)
    // a district admin's roots are its district, which has a parent
    expect(cityRole([{ id: 2, parent_id: 1 }], [{ role: 'admin', org_id: 2 }], 'admin')).toBe(false)
    expect(cityRole(roots, [{ role: 'viewer', org_id: 1 }], 'admin')).toBe(false)
    expect(cityRole(null, null, 'admin')).toBe(false)
  })

  it('groups settings by owner, the editable group first, with values', () => {
    const body = {
      values: { a: 5, b: 1 },
      definitions: [
        { key: 'a', owner: 'admin', min: 1, max: 9, default: 3 },
        { key: 'b', owner: 'security_admin', min: 0, max: 1, default: 0 },
      ],
    }
    const g = settingGroups(body, (o) => o === 'security_admin')
    expect(g.map((x) => [x.owner, x.editable])).toEqual([['security_admin', true], ['admin', false]])
    expect(g[1].rows[0].value).toBe(5)
    expect(settingGroups(null)).toEqual([])
    expect(isSwitch(body.definitions[1])).toBe(true)
    expect(isSwitch(body.definitions[0])).toBe(false)
  })

  it('codes are what the URL path carries without escapes', () => {
    expect(CODE_RE.test('21')).toBe(true)
    expect(CODE_RE.test('a.b-c_d')).toBe(true)
    expect(CODE_RE.test('')).toBe(false)
    expect(CODE_RE.test('a/b')).toBe(false)
    expect(CODE_RE.test('中专')).toBe(false)
    expect(CODE_RE.test('x'.repeat(33))).toBe(false)
  })

  it('a PUT body carries every field, trimmed, and a new code sorts last', () => {
    expect(codeBody({ code: '9', label_zh: ' 其他 ', label_en: 'Other ', sort: '30', active: 1 }, { active: false })).toEqual({
      label_zh: '其他',
      label_en: 'Other',
      sort: 30,
      active: false,
    })
    expect(nextSort([])).toBe(10)
    expect(nextSort([{ sort: 10 }, { sort: 70 }])).toBe(80)
    expect(nextSort([{ sort: 100000 }])).toBe(100000)
  })
})
