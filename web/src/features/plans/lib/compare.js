// Comparing two sealed statements (GET /plans/{id}/statements/compare):
// the rows that moved, classified for the table, and the plan totals side
// by side. Pure; tests/unit/compare.test.js.

// 'added' (only in the later), 'removed' (only in the earlier), 'status'
// (the light changed), 'moved' (actual or completion changed).
export function changeKind(c) {
  if (!c.from) return 'added'
  if (!c.to) return 'removed'
  if (c.status_changed) return 'status'
  return 'moved'
}

// Rows for the table, in the server's order (later statement's rows, then
// the removed ones); only: 'all' | 'status' (light changed, added, removed).
export function compareRows(diff, only = 'all') {
  const rows = ((diff && diff.changes) || []).map((c) => ({ ...c, kind: changeKind(c) }))
  return only === 'status' ? rows.filter((r) => r.kind !== 'moved') : rows
}

// The totals lines: [{ key, from, to, delta }] for completion and the
// counts of tasks by outcome.
export function totalLines(diff) {
  const a = (diff && diff.totals && diff.totals.from) || {}
  const b = (diff && diff.totals && diff.totals.to) || {}
  const keys = ['completion', 'subitems', 'done', 'in_progress', 'overdue', 'not_started']
  return keys.map((key) => {
    const x = a[key] ?? null
    const y = b[key] ?? null
    const delta = x === null || y === null ? null : Math.round((y - x) * 10000) / 10000
    return { key, from: x, to: y, delta }
  })
}

// "+12.5%" / "−3%" / "0" for a completion delta (0..1 scale).
export function deltaText(d) {
  if (d === null || d === undefined) return '—'
  const p = Math.round(d * 1000) / 10
  if (p === 0) return '0'
  return (p > 0 ? '+' : '−') + Math.abs(p) + '%'
}
