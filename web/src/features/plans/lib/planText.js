// How the plans pages put figures into words: values with their unit (at
// most two decimals, never "74.9963%"), what a figure rests on (an
// accepted report, one waiting for review, the registry), days left or
// overdue (never a negative number), and the review queue's pages (keyset
// cursors kept for the pages visited). Pure; t is vue-i18n's t.
import { figure } from './planKpis.js'

// "5 个", "85.1%", "—": a value and its unit.
export function withUnit(v, unit) {
  if (v === null || v === undefined || v === '' || Number.isNaN(Number(v))) return '—'
  const u = (unit || '').trim()
  if (!u) return figure(v)
  return figure(v) + (u === '%' || u === '‰' ? u : ' ' + u)
}

// A sub-item's target ("100 人", "里程碑", "—").
export function targetText(node, t) {
  const tg = node && node.target
  if (!tg) return '—'
  if (tg.milestone) return t('plans.milestone')
  return withUnit(tg.value, tg.unit)
}

// A sub-item's figure as the tree and the statement give it: the value
// (or done / not done) and, when it rests on a report nobody has reviewed
// yet, "· 待审核" after it.
export function actualText(node, t) {
  if (!node) return '—'
  const tg = node.target || {}
  let s
  if (tg.milestone) s = node.actual === null || node.actual === undefined ? '—' : node.done ? t('plans.done') : t('plans.notDone')
  else s = withUnit(node.actual, tg.unit)
  if (s !== '—' && node.actual_state === 'submitted') s += ' · ' + t('plans.state.submitted')
  return s
}

// A report's figure in the review queue and the history: its value with
// the sub-item's unit, or done / not done.
export function reportValue(r, t) {
  if (!r) return '—'
  if (r.value !== null && r.value !== undefined) return withUnit(r.value, r.node_unit)
  if (r.done === true) return t('plans.done')
  if (r.done === false) return t('plans.notDone')
  return '—'
}

// "1.1 新建非公企业党组织数": the task a report is about, by its number.
export function taskName(r) {
  if (!r) return ''
  if (r.node_no || r.node_title) return [r.node_no, r.node_title].filter(Boolean).join(' ')
  return ''
}

// "剩余 5 天" / "今天到期" / "已逾期 3 天" for days_left (deadline − today).
export function daysText(n, t) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—'
  const d = Math.trunc(Number(n))
  if (d > 0) return t('plans.daysLeftN', { n: d })
  if (d === 0) return t('plans.dueToday')
  return t('plans.overdueN', { n: -d })
}

// What an evidence file opens as: 'pdf' and 'image' preview inside the
// page, anything else downloads.
export function previewKind(ev) {
  const type = String((ev && ev.type) || '').toLowerCase()
  const name = String((ev && ev.filename) || '').toLowerCase()
  if (type === 'application/pdf' || name.endsWith('.pdf')) return 'pdf'
  if (/^image\/(png|jpeg|gif|webp)$/.test(type) || /\.(png|jpe?g|gif|webp)$/.test(name)) return 'image'
  return null
}

// The review queue's pages over a keyset API: cursors[k] opens page k+1
// (cursors[0] is the start); each page loaded tells where the next begins.
// With a total the pager shows every page number; a jump past the pages
// visited walks forward from the last cursor known.
export class KeysetPages {
  constructor() {
    this.reset()
  }
  reset() {
    this.cursors = [undefined]
    this.ended = false // the last page seen had no next
  }
  // the cursor for page p (1-based), or null when p is not known yet
  cursor(p) {
    return p - 1 < this.cursors.length ? this.cursors[p - 1] : null
  }
  // page p came back with next (null/undefined when it was the last one)
  loaded(p, next) {
    if (next) {
      this.cursors[p] = next
      this.ended = false
    } else {
      // nothing after page p (any cursors kept beyond it are stale now)
      this.cursors.length = Math.min(this.cursors.length, p)
      this.ended = true
    }
  }
  // the furthest page a cursor is known for
  get known() {
    return this.cursors.length
  }
  hasNext(p) {
    return p < this.cursors.length
  }
}

// Loads page p with fetchPage(cursor) → { items, next }, walking forward
// from the furthest page known when p lies beyond it. Returns the page
// reached (smaller than p when the list ends first) and its items.
export async function loadPage(pages, p, fetchPage) {
  let at = Math.min(p, pages.known)
  for (;;) {
    const res = await fetchPage(pages.cursor(at))
    pages.loaded(at, res.next)
    if (at >= p || !res.next) return { page: at, res }
    at++
  }
}
