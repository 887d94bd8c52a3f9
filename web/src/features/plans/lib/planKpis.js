// The dashboard's "year's targets": the scope org's own plan for a year and
// the sub-items of it whose actual is computed from the registry (active
// workers, union members and rate, high-skilled workers and ratio). Pure
// helpers; the store (stores/planTargets.js) does the fetching.

// The registry metrics a sub-item can be computed from (src/plans/rules.c).
export const METRICS = ['workers', 'union_members', 'union_rate', 'high_skilled', 'high_skill_ratio']

// The plan an org set for itself for the year: plans of the subtree come
// back from GET /plans?org=&year=, the org's own is the one with its id
// (the oldest when there are several).
export function ownPlan(plans, orgId, year) {
  const mine = (plans || []).filter((p) => p.org_id === Number(orgId) && p.year === Number(year))
  mine.sort((a, b) => a.id - b.id)
  return mine[0] || null
}

// Every sub-item of a tree (GET /plans/{id}/tree) that has a computed
// metric and a numeric target, in tree order, with its aspect and item.
export function metricItems(tree) {
  const out = []
  const walk = (nodes, trail) => {
    for (const n of nodes || []) {
      if (n.kind === 'subitem') {
        if (METRICS.includes(n.metric) && n.target && !n.target.milestone && n.target.value !== undefined)
          out.push({ ...n, aspect: trail[0] || null, item: trail[1] || null })
      } else walk(n.children, [...trail, n])
    }
  }
  walk(tree && tree.nodes, [])
  return out
}

// The worker-list filter behind a metric (lib/stats.js drill()).
export function metricDrill(metric) {
  if (metric === 'union_members' || metric === 'union_rate') return 'union'
  if (metric === 'high_skilled' || metric === 'high_skill_ratio') return 'high'
  return 'all'
}

// The org whose registry figures a metric counts: its lead owner's
// subtree, or the plan's org when the lead is a department (which has no
// workers of its own; src/plans/statement.c load_metrics).
export function metricOrg(node, plan, kindOf) {
  const lead = node.lead_org_id || (node.owners && node.owners[0] && node.owners[0].org_id)
  if (!lead || kindOf(lead) === 'department' || kindOf(lead) === undefined) return plan.org_id
  return lead
}

// "85.1 / 90 %" pieces: a number as the plan shows it (at most two decimals).
export function figure(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  const n = Math.round(Number(v) * 100) / 100
  return n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })
}
