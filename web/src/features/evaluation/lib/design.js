// Pure helpers of the index designer (unit-tested in
// web/tests/unit/design.test.js): each node's share of its siblings, the
// tree flattened, a node form checked as the owner types, the body the
// API takes, and how late a period's values are.

// Shares of siblings by weight, as the server computes them: a weighted
// node (dimension, indicator) over the weights of its weighted siblings;
// bonus and veto nodes have none (null). All weights 0: equal shares.
export function shares(siblings) {
  const weighted = siblings.filter((n) => n.kind === 'dimension' || n.kind === 'indicator')
  const sum = weighted.reduce((a, n) => a + (Number(n.weight) || 0), 0)
  const out = new Map()
  for (const n of siblings) {
    if (n.kind !== 'dimension' && n.kind !== 'indicator') out.set(n, null)
    else out.set(n, sum > 0 ? (Number(n.weight) || 0) / sum : 1 / weighted.length)
  }
  return out
}

// The tree with every node's share (recomputed from the weights) and depth.
export function withShares(nodes, depth = 0) {
  const s = shares(nodes)
  return nodes.map((n) => ({ ...n, depth, share: s.get(n), children: n.children && n.children.length ? withShares(n.children, depth + 1) : undefined }))
}

// Every node, parents first.
export function flatten(nodes, out = []) {
  for (const n of nodes || []) {
    out.push(n)
    if (n.children) flatten(n.children, out)
  }
  return out
}

// "40%" with one decimal when it needs one: 0.4 → "40%", 1/3 → "33.3%".
export function shareText(share) {
  if (share === null || share === undefined) return '—'
  const p = Math.round(share * 1000) / 10
  return (Number.isInteger(p) ? String(p) : p.toFixed(1)) + '%'
}

export const KINDS = ['dimension', 'indicator', 'bonus', 'veto']
export const METHODS = ['linear', 'efficacy', 'ratio', 'bands', 'milestone']

// A blank form, or one for an existing node.
export function nodeForm(node, parentId = null) {
  const m = (node && node.method) || {}
  const src = node && node.source
  return {
    parent_id: node ? node.parent_id : parentId,
    kind: node ? node.kind : parentId ? 'indicator' : 'dimension',
    code: node ? node.code : '',
    title: node ? node.title : '',
    unit: node ? node.unit || '' : '',
    weight: node ? node.weight : 1,
    sourceKind: src && src.metric ? 'metric' : 'reported',
    metric: src && src.metric ? src.metric : '',
    methodKind: m.kind || 'linear',
    worst: m.worst ?? 0,
    best: m.best ?? 1,
    benchmark: m.benchmark ?? 1,
    bands: m.bands ? m.bands.map((b) => ({ ...b })) : [{ min: 0, score: 60 }, { min: 1, score: 100 }],
    cap: node && node.cap !== null && node.cap !== undefined ? node.cap : 5,
  }
}

const num = (v) => v !== '' && v !== null && v !== undefined && Number.isFinite(Number(v))

// The form's faults as { field: message key } (the API's field names:
// code, weight, method.best, method.bands, …); codes: every code of the
// tree but the node's own.
export function validateNode(f, codes) {
  const e = {}
  const code = (f.code || '').trim()
  if (!code) e.code = 'evaluation.design.err.codeRequired'
  else if (codes.includes(code)) e.code = 'evaluation.design.err.codeTaken'
  if (!(f.title || '').trim()) e.title = 'evaluation.design.err.titleRequired'
  if (f.kind === 'dimension' || f.kind === 'indicator') {
    if (!num(f.weight)) e.weight = 'evaluation.design.err.weightRequired'
    else if (Number(f.weight) < 0) e.weight = 'evaluation.design.err.weightNegative'
  }
  if (f.kind === 'indicator' && f.sourceKind === 'metric' && !f.metric) e['source'] = 'evaluation.design.err.metricRequired'
  if (f.kind === 'indicator') {
    if (f.methodKind === 'linear' || f.methodKind === 'efficacy') {
      if (!num(f.worst)) e['method.worst'] = 'evaluation.design.err.number'
      if (!num(f.best)) e['method.best'] = 'evaluation.design.err.number'
      else if (num(f.worst) && Number(f.worst) === Number(f.best)) e['method.best'] = 'evaluation.design.err.sameEnds'
    } else if (f.methodKind === 'ratio') {
      if (!num(f.benchmark) || Number(f.benchmark) <= 0) e['method.benchmark'] = 'evaluation.design.err.benchmark'
    } else if (f.methodKind === 'bands') {
      const b = f.bands || []
      if (!b.length) e['method.bands'] = 'evaluation.design.err.bandsEmpty'
      else if (b.some((x) => !num(x.min) || !num(x.score))) e['method.bands'] = 'evaluation.design.err.number'
      else if (b.some((x, i) => i > 0 && Number(x.min) <= Number(b[i - 1].min))) e['method.bands'] = 'evaluation.design.err.bandsOrder'
    }
  }
  if (f.kind === 'bonus' && (!num(f.cap) || Number(f.cap) === 0)) e.cap = 'evaluation.design.err.cap'
  return e
}

// The API's body for the form (POST; a PATCH takes the same fields).
export function nodeBody(f) {
  const b = { kind: f.kind, code: f.code.trim(), title: f.title.trim(), unit: (f.unit || '').trim() }
  if (f.parent_id) b.parent_id = f.parent_id
  if (f.kind === 'dimension' || f.kind === 'indicator') b.weight = Number(f.weight)
  if (f.kind !== 'dimension') b.source = f.kind === 'indicator' && f.sourceKind === 'metric' ? { metric: f.metric } : { reported: true }
  if (f.kind === 'indicator') {
    const k = f.methodKind
    if (k === 'linear' || k === 'efficacy') b.method = { kind: k, worst: Number(f.worst), best: Number(f.best) }
    else if (k === 'ratio') b.method = { kind: k, benchmark: Number(f.benchmark) }
    else if (k === 'bands') b.method = { kind: k, bands: f.bands.map((x) => ({ min: Number(x.min), score: Number(x.score) })) }
    else b.method = { kind: 'milestone' }
  }
  if (f.kind === 'bonus') b.cap = Number(f.cap)
  return b
}

// How many days past the deadline a business date is (0 or less: not past).
export function daysPast(due, today) {
  if (!due || !today) return 0
  const d = (s) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86400000
  return d(today) - d(due)
}
