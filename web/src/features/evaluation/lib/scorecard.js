// Pure helpers of the scorecard: how a node's method, source and value
// read to an official (unit-tested in web/tests/unit).

// "线性 0 → 0.8", "功效系数 0.6 → 0.95", "标杆值 0.35", "分档 3 档", "里程碑".
export function methodText(m, t) {
  if (!m) return ''
  switch (m.kind) {
    case 'linear': return t('evaluation.method.linear', { worst: m.worst, best: m.best })
    case 'efficacy': return t('evaluation.method.efficacy', { worst: m.worst, best: m.best })
    case 'ratio': return t('evaluation.method.ratio', { benchmark: m.benchmark })
    case 'bands': return t('evaluation.method.bands', { n: m.bands.length, list: m.bands.map((b) => `≥${b.min}→${b.score}`).join('，') })
    case 'milestone': return t('evaluation.method.milestone')
    default: return m.kind
  }
}

// A value as the unit reads it: a ratio as a percentage, a milestone or a
// veto as 是/否, no value as "—".
export function valueText(node, t) {
  if (node.value === null || node.value === undefined) return t('evaluation.noValue')
  if (node.kind === 'veto' || (node.method && node.method.kind === 'milestone')) return node.value ? t('evaluation.yes') : t('evaluation.no')
  if (node.unit === '%' && Math.abs(node.value) <= 1) return `${(node.value * 100).toFixed(2)}%`
  return `${node.value}${node.unit && node.unit !== '%' ? ' ' + node.unit : ''}`
}

// The radar of the top dimensions: names and scores in tree order.
export function radarOf(nodes) {
  const dims = nodes.filter((n) => n.kind === 'dimension' && !n.parent)
  return { indicator: dims.map((d) => ({ name: d.title, max: 100 })), value: dims.map((d) => d.score) }
}

// Stars as the ranking shows them: ★★★★☆, or the veto.
export function starsText(stars) {
  return '★'.repeat(stars) + '☆'.repeat(Math.max(0, 5 - stars))
}
