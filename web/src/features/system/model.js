// What the two pages decide without the server: who edits which group of
// settings, how a setting reads, and what a code may be.

// The server lets only a grant at the root of the tree change city-wide
// things (scope_root_admin and friends); a district admin holds the same
// role and would be refused, so the console does not offer the buttons.
export function cityRole(roots, grants, role) {
  return (roots || []).some((r) => !r.parent_id && (grants || []).some((g) => g.role === role && g.org_id === r.id))
}

// Each definition with its value, grouped by who sets it, the user's own
// group first.
export function settingGroups(body, mine = () => false) {
  if (!body) return []
  const rows = (body.definitions || []).map((d) => ({ ...d, value: body.values ? body.values[d.key] : undefined }))
  const owners = [...new Set(rows.map((r) => r.owner))]
  const groups = owners.map((owner) => ({ owner, editable: !!mine(owner), rows: rows.filter((r) => r.owner === owner) }))
  return groups.sort((a, b) => Number(b.editable) - Number(a.editable))
}

// 0/1 settings are switches, not numbers.
export const isSwitch = (d) => d.min === 0 && d.max === 1

// Codes travel in the URL path, which the server routes without decoding
// percent escapes: only characters that need none.
export const CODE_RE = /^[A-Za-z0-9_.-]{1,32}$/

// The whole code as PUT wants it: the call replaces every field.
export function codeBody(c, patch = {}) {
  const x = { ...c, ...patch }
  return { label_zh: (x.label_zh || '').trim(), label_en: (x.label_en || '').trim(), sort: Number(x.sort) || 0, active: !!x.active }
}

// The sort a new code gets: after the last one, in the list's own step.
export function nextSort(items) {
  if (!items || !items.length) return 10
  return Math.min(100000, Math.max(...items.map((c) => c.sort || 0)) + 10)
}
