// Pure helpers of the points pages: how periods, kinds, states, points
// and caps read to an official, and who may write over an org
// (unit-tested in web/tests/unit/points.test.js).

const KINDS = ['rule', 'manual', 'reversal', 'appeal', 'expiry']
const APPEAL_STATES = ['open', 'upheld', 'dismissed']
const PERIODS = ['year', 'half', 'quarter', 'month']

// The leaderboard's period keys for a business date (YYYY-MM-DD).
export function periodKeys(today) {
  const y = Number(today.slice(0, 4))
  const m = Number(today.slice(5, 7))
  return {
    year: String(y),
    quarter: `${y}-Q${Math.floor((m - 1) / 3) + 1}`,
    month: `${y}-${String(m).padStart(2, '0')}`,
    lastYear: String(y - 1),
    all: 'all',
  }
}

// A period key as words: "2026" → "2026 年", "2026-H2" → "2026 年下半年",
// "2026-Q4" → "2026 年第 4 季度", "2026-12" → "2026 年 12 月", "all" → "全部".
export function periodLabel(key, t) {
  if (!key) return ''
  if (key === 'all') return t('points.period.all')
  const y = key.slice(0, 4)
  if (key.length === 4) return t('points.period.yearOf', { y })
  const rest = key.slice(5)
  if (rest[0] === 'H') return t(rest === 'H1' ? 'points.period.h1Of' : 'points.period.h2Of', { y })
  if (rest[0] === 'Q') return t('points.period.quarterOf', { y, q: Number(rest.slice(1)) })
  return t('points.period.monthOf', { y, m: Number(rest) })
}

// The picker's choices: this year, quarter and month, last year, all time.
export function periodOptions(today, t) {
  if (!today) return []
  const k = periodKeys(today)
  return [
    { key: k.year, label: t('points.period.thisYear', { p: periodLabel(k.year, t) }) },
    { key: k.quarter, label: t('points.period.thisQuarter', { p: periodLabel(k.quarter, t) }) },
    { key: k.month, label: t('points.period.thisMonth', { p: periodLabel(k.month, t) }) },
    { key: k.lastYear, label: t('points.period.lastYear', { p: periodLabel(k.lastYear, t) }) },
    { key: k.all, label: t('points.period.all') },
  ]
}

// An entry's kind, an appeal's state, a rule's cap period: always words,
// never the API's token (an unknown one reads as "—").
export function kindText(kind, t) {
  return KINDS.includes(kind) ? t('points.kind.' + kind) : '—'
}
export function appealText(state, t) {
  return APPEAL_STATES.includes(state) ? t('points.appealState.' + state) : '—'
}
export function capPeriodText(period, t) {
  return PERIODS.includes(period) ? t('points.capPeriod.' + period) : '—'
}

// Points with their sign: +20, -20, 0.
export function signed(n) {
  if (n === null || n === undefined) return '—'
  return n > 0 ? `+${n}` : String(n)
}

// What a rule gives: "+5 / 次" over facts; by hand "单次最多加 30 分" or
// "单次最多扣 20 分".
export function ruleValueText(rule, t) {
  if (rule.source !== 'manual') return t('points.rule.perFact', { p: signed(rule.points) })
  return t(rule.points < 0 ? 'points.rule.perDeduct' : 'points.rule.perAward', { n: Math.abs(rule.points) })
}

// A rule's caps: "每日 ≤ 10；每年 ≤ 60；累计 ≤ 200", or "不设上限".
export function capsText(rule, t) {
  const out = []
  if (rule.cap_day) out.push(t('points.rule.capDay', { n: rule.cap_day }))
  if (rule.cap_period) out.push(t('points.rule.capPeriod', { per: capPeriodText(rule.period, t), n: rule.cap_period }))
  if (rule.cap_lifetime) out.push(t('points.rule.capLifetime', { n: rule.cap_lifetime }))
  return out.length ? out.join(t('points.rule.sep')) : t('points.rule.noCap')
}

// A rule's window: "2026-01-01 起" or "2026-01-01 至 2026-12-31".
export function windowText(rule, t) {
  return rule.ends ? t('points.rule.window', { from: rule.starts, to: rule.ends }) : t('points.rule.from', { from: rule.starts })
}

// Whether one of the grants writes points over the org at path "/1/2/5/"
// (the server's POINTS_OWNERS: admin and operator over it or above).
export function owns(grants, path) {
  if (!path) return false
  const ids = path.split('/').filter(Boolean)
  return (grants || []).some((g) => (g.role === 'admin' || g.role === 'operator') && ids.includes(String(g.org_id)))
}

// The path of the org above: "/1/2/5/" → "/1/2/"; null for a root.
export function parentPath(path) {
  if (!path) return null
  const ids = path.split('/').filter(Boolean)
  return ids.length > 1 ? '/' + ids.slice(0, -1).join('/') + '/' : null
}

// Whether the grants write a holder's points (the server's
// points_may_write): a unit never scores itself, so an org's are written
// from the org above it; a worker's from the worker's own org or above.
export function writesPoints(grants, kind, path) {
  return owns(grants, kind === 'org' ? parentPath(path) : path)
}

// The path of org `id` when it lies on a known path (an ancestor, or the
// org itself): "/1/2/5/13/" holds 2 at "/1/2/"; null when it does not.
export function pathWithin(id, near) {
  if (!near || !id) return null
  const ids = near.split('/').filter(Boolean)
  const i = ids.indexOf(String(id))
  return i < 0 ? null : '/' + ids.slice(0, i + 1).join('/') + '/'
}

// Whether an entry can still be reversed or appealed: a rule's entry or an
// award (a correction is final); reversal needs something left of it, an
// appeal no other one waiting or already upheld (the entry is corrected).
export function correctable(entry) {
  return entry.kind === 'rule' || entry.kind === 'manual'
}
export function reversible(entry) {
  return correctable(entry) && entry.left !== null && entry.left !== 0
}
export function appealable(entry) {
  return correctable(entry) && entry.appeal !== 'open' && entry.appeal !== 'upheld'
}
