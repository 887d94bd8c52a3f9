// Small formatting helpers shared by pages and tests.
export function pct(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  return (Number(v) * 100).toFixed(digits) + '%'
}

export function num(v) {
  if (v === null || v === undefined) return '—'
  return Number(v).toLocaleString('zh-CN')
}

// "2026-01-31T08:00:00Z" → "2026-01-31 16:00" in the browser's time zone
export function dateTime(iso) {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

// A temporary password meeting the policy (three classes, ≥ 12 characters).
export function tempPassword(rand = Math.random) {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '#%+=@']
  const pick = (s) => s[Math.floor(rand() * s.length)]
  let out = ''
  for (let i = 0; i < 12; i++) out += pick(sets[i % 4 === 3 ? 3 : i % 3])
  return out
}

// Parses the API's errors.csv (row, column, reason, value) into objects.
export function parseCsv(text) {
  const rows = []
  let row = []
  let cur = ''
  let q = false
  const s = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (q) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cur += '"'
          i++
        } else q = false
      } else cur += c
    } else if (c === '"') q = true
    else if (c === ',') {
      row.push(cur)
      cur = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++
      row.push(cur)
      rows.push(row)
      row = []
      cur = ''
    } else cur += c
  }
  if (cur !== '' || row.length) {
    row.push(cur)
    rows.push(row)
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '')
}
