// Pure helpers of the inbox (unit-tested in web/tests/unit/inbox.test.js):
// an entry's kind and source as words, and its age as an official reads
// it ("刚刚", "3 小时前", "昨天", "5 天前", then the date).

const KINDS = ['returned', 'red', 'unreported']
const SOURCES = ['plans', 'evaluation']

export function kindText(kind, t) {
  return KINDS.includes(kind) ? t('inbox.kind.' + kind) : t('inbox.kind.other')
}
export function sourceText(source, t) {
  return SOURCES.includes(source) ? t('inbox.source.' + source) : '—'
}

// The China business date (UTC+8) of an ISO instant: "2026-12-04T22:40Z" → "2026-12-05".
export function chinaDate(iso) {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return null
  return new Date(ms + 8 * 3600000).toISOString().slice(0, 10)
}
const dayNum = (d) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86400000

// today: the business date (GET /clock); now: the server's instant in ms
// (for "N 分钟前" on the same day); beyond a week the date itself.
export function relativeTime(iso, today, now, t) {
  const d = chinaDate(iso)
  if (!d) return '—'
  const days = today ? dayNum(today) - dayNum(d) : null
  if (days === 0 || days === null) {
    const mins = now ? Math.floor((now - Date.parse(iso)) / 60000) : null
    if (mins === null || mins < 0) return days === 0 ? t('inbox.rel.today') : d
    if (mins < 1) return t('inbox.rel.now')
    if (mins < 60) return t('inbox.rel.minutes', { n: mins })
    if (mins < 24 * 60) return t('inbox.rel.hours', { n: Math.floor(mins / 60) })
    return days === 0 ? t('inbox.rel.today') : d
  }
  if (days === 1) return t('inbox.rel.yesterday')
  if (days > 1 && days <= 7) return t('inbox.rel.days', { n: days })
  return d
}

// The message in the console's language.
export function messageText(item, locale) {
  return locale === 'en' ? item.message : item.message_zh || item.message
}
