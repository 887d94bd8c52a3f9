// The audit trail in words: "user:10" as 账号 #10, and a change summary
// ({"skill_level":{"from":3,"to":5}}) as 技能等级：中级工 → 技师. The raw
// JSON stays one hover away for an auditor who needs the exact record.

const KINDS = {
  user: 'user', worker: 'worker', org: 'org', plan: 'plan', node: 'node', report: 'report',
  announcement: 'announcement', notice: 'notice', session: 'session', setting: 'setting',
  code: 'code', job: 'job', period: 'period', token: 'token', grant: 'grant', audit: 'audit',
  calendar: 'calendar', approval: 'approval', import: 'import', export: 'export', rule: 'rule',
  appeal: 'appeal', class: 'class', award: 'award',
}

// t: the console's translator (audit.kind.*, audit.field.*)
export function targetText(target, t) {
  if (!target) return '—'
  if (KINDS[target]) return t('audit.kind.' + target) // the trail itself, an import…
  const m = /^([a-z_]+):(\d+)$/.exec(target)
  if (!m) return target
  const kind = KINDS[m[1]] ? t('audit.kind.' + m[1]) : m[1]
  return `${kind} #${m[2]}`
}

function known(t, key) {
  const k = 'audit.field.' + key
  const v = t(k)
  return v === k ? null : v
}

// a value as officials read it: levels and statuses by name, yes/no
function valueText(key, v, t) {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return v ? t('app.yes') : t('app.no')
  if (key === 'skill_level' && Number.isInteger(v)) return t('level.' + v)
  if (key === 'status' && (v === 'active' || v === 'left')) return t('workers.' + v)
  if (key === 'role' && typeof v === 'string') {
    const r = t('role.' + v)
    return r === 'role.' + v ? v : r
  }
  if (Array.isArray(v)) return v.map((x) => valueText(key, x, t)).join('、')
  if (typeof v === 'object') return pairs(v, t).join('，')
  return String(v)
}

function pairs(obj, t) {
  const out = []
  for (const [key, v] of Object.entries(obj)) {
    const label = known(t, key) || key
    if (v && typeof v === 'object' && !Array.isArray(v) && ('from' in v || 'to' in v)) {
      out.push(`${label}：${valueText(key, v.from, t)} → ${valueText(key, v.to, t)}`)
    } else {
      out.push(`${label}：${valueText(key, v, t)}`)
    }
  }
  return out
}

// the summary as lines of "label：value"; [] for an empty one
export function summaryLines(summary, t) {
  if (summary === null || summary === undefined) return []
  if (typeof summary === 'string') return summary ? [summary] : []
  if (typeof summary !== 'object') return [String(summary)]
  return pairs(summary, t)
}

export function summaryRaw(summary) {
  if (summary === null || summary === undefined) return ''
  return typeof summary === 'string' ? summary : JSON.stringify(summary)
}
