import { describe, it, expect } from 'vitest'
import { i18n } from '../../src/i18n/index.js'
import { targetText, summaryLines, summaryRaw } from '../../src/features/audit/lib/auditText.js'

const t = (k, a) => i18n.global.t(k, a)

describe('the audit trail in words', () => {
  it('names the kind of a target and keeps other targets as they are', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(targetText('user:10', t)).toBe('账号 #10')
    expect(targetText('worker:7', t)).toBe('职工 #7')
    expect(targetText('login_max_failures', t)).toBe('login_max_failures')
    expect(targetText('audit', t)).toBe('审计')
    expect(targetText('', t)).toBe('—')
    i18n.global.locale.value = 'en'
    expect(targetText('org:3', t)).toBe('organisation #3')
  })

  it('writes a change as label：before → after, with levels, statuses and yes/no by name', () => {
    i18n.global.locale.value = 'zh-CN'
    const lines = summaryLines({ skill_level: { from: 3, to: 5 }, status: { from: 'active', to: 'left' }, union_member: { from: false, to: true } }, t)
    expect(lines).toEqual(['技能等级：中级工 → 技师', '状态：在职 → 离职', '工会会员：否 → 是'])
  })

  it('writes plain values, lists and unknown keys readably', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(summaryLines({ username: 'e2e_viewer', ids: [3, 4], colour: 'red' }, t)).toEqual(['用户名：e2e_viewer', '编号：3、4', 'colour：red'])
    expect(summaryLines({}, t)).toEqual([])
    expect(summaryLines(null, t)).toEqual([])
    expect(summaryRaw({ a: 1 })).toBe('{"a":1}')
  })
})
