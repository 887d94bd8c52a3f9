import { describe, it, expect } from 'vitest'
import { i18n } from '../../src/i18n/index.js'
import { kindText, sourceText, chinaDate, relativeTime, messageText } from '../../src/features/inbox/lib/labels.js'

i18n.global.locale.value = 'zh-CN'
const t = (k, a) => i18n.global.t(k, a)

describe('the inbox reads as officials write it', () => {
  it('names kinds and sources in Chinese, never the token', () => {
    expect(kindText('returned', t)).toBe('进展报送被退回')
    expect(kindText('red', t)).toBe('任务亮红灯')
    expect(kindText('unreported', t)).toBe('指标未填报')
    expect(kindText('something', t)).toBe('提醒')
    expect(sourceText('plans', t)).toBe('实施方案')
    expect(sourceText('evaluation', t)).toBe('产改指数')
    expect(sourceText('x', t)).toBe('—')
  })
  it('dates an instant in China time', () => {
    expect(chinaDate('2026-12-04T22:40:58Z')).toBe('2026-12-05')
    expect(chinaDate('2026-12-04T10:00:00Z')).toBe('2026-12-04')
    expect(chinaDate('nonsense')).toBeNull()
  })
  it('says how long ago, then the date', () => {
    const now = Date.parse('2026-12-05T02:00:00Z') // 10:00 in China
    expect(relativeTime('2026-12-05T01:59:40Z', '2026-12-05', now, t)).toBe('刚刚')
    expect(relativeTime('2026-12-05T01:35:00Z', '2026-12-05', now, t)).toBe('25 分钟前')
    expect(relativeTime('2026-12-04T22:40:00Z', '2026-12-05', now, t)).toBe('3 小时前')
    expect(relativeTime('2026-12-04T03:00:00Z', '2026-12-05', now, t)).toBe('昨天')
    expect(relativeTime('2026-12-01T03:00:00Z', '2026-12-05', now, t)).toBe('4 天前')
    expect(relativeTime('2026-11-01T03:00:00Z', '2026-12-05', now, t)).toBe('2026-11-01')
    // a test clock ahead of the instant's day: still "today", never negative minutes
    expect(relativeTime('2026-12-05T03:00:00Z', '2026-12-05', now, t)).toBe('今天')
  })
  it('shows the message in the console language', () => {
    const x = { message: 'The task is red', message_zh: '任务亮红灯了' }
    expect(messageText(x, 'zh-CN')).toBe('任务亮红灯了')
    expect(messageText(x, 'en')).toBe('The task is red')
  })
})
