import { api } from './api.js'

export function statsOf(orgId) {
  return api.get('/stats/skills', { org: orgId })
}

// Runs fn over items with at most `limit` calls in flight.
export async function pool(items, limit, fn) {
  const out = new Array(items.length)
  let next = 0
  async function worker() {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

// Every child org (departments hold no workers) with its statistics:
// one stats call per child.
export async function childStats(orgId) {
  const kids = (await api.all('/orgs', { parent: orgId })).filter((o) => o.kind !== 'department')
  return pool(kids, 4, async (org) => {
    try {
      return { org, stats: await statsOf(org.id) }
    } catch {
      return { org, stats: null }
    }
  })
}

// Sorts [{org, stats}] by 'name' | 'ratio' | 'union', asc or desc.
export function sortChildren(rows, by = 'ratio', dir = 'desc') {
  const key = {
    name: (r) => r.org.name,
    ratio: (r) => (r.stats ? r.stats.high_skill_ratio : -1),
    union: (r) => (r.stats ? r.stats.union_rate : -1),
  }[by]
  const sign = dir === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = key(a)
    const y = key(b)
    if (typeof x === 'string') return sign * x.localeCompare(y, 'zh-CN')
    if (x !== y) return sign * (x - y)
    return a.org.name.localeCompare(b.org.name, 'zh-CN')
  })
}

// The worker-list query behind a dashboard figure.
export function drill(orgId, what, level) {
  const q = { org: String(orgId), status: 'active' }
  if (what === 'skilled') q.level_min = '2'
  if (what === 'high') q.level_min = '4'
  if (what === 'union') q.union = '1'
  if (what === 'level') {
    q.level_min = String(level)
    q.level_max = String(level)
  }
  return { name: 'workers', query: q }
}

// ECharts options, shared by the dashboard and its print view.
export function pyramidOption(stats, levelName, unit) {
  const levels = [8, 7, 6, 5, 4, 3, 2, 1, 0]
  const vals = levels.map((l) => (stats ? stats.by_level[String(l)] || 0 : 0))
  const max = Math.max(1, ...vals)
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (p) => (p.seriesIndex === 1 ? `${p.name}: ${p.value}${unit}` : ''),
    },
    xAxis: { type: 'value', show: false, max },
    yAxis: { type: 'category', data: levels.map(levelName), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        stack: 'p',
        silent: true,
        itemStyle: { color: 'transparent' },
        data: vals.map((v) => (max - v) / 2),
      },
      {
        type: 'bar',
        stack: 'p',
        barWidth: '70%',
        cursor: 'pointer',
        label: { show: true, position: 'inside', color: '#fff', formatter: (p) => (p.value ? p.value : '') },
        itemStyle: {
          color: (p) => ['#7d241b', '#962d22', '#b03a2e', '#c0392b', '#d35400', '#e67e22', '#f0a04b', '#f5c16c', '#c9ccd1'][p.dataIndex],
          borderRadius: 3,
        },
        // small bars carry their figure outside, where it fits
        data: vals.map((v, i) => ({
          value: v,
          level: levels[i],
          label: v / max < 0.15 ? { position: 'right', color: '#303133' } : undefined,
        })),
      },
    ],
  }
}

export function childOption(rows, labels) {
  const names = rows.map((r) => r.org.name)
  const pctLabel = (p) => (p.value === null || p.value === undefined ? '' : (p.value * 100).toFixed(1) + '%')
  return {
    animation: false,
    legend: { top: 0, data: [labels.ratio, labels.union] },
    grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (v === null || v === undefined ? '—' : (v * 100).toFixed(1) + '%'),
    },
    xAxis: { type: 'value', max: 1, axisLabel: { formatter: (v) => v * 100 + '%' } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: names,
      axisLabel: { width: 170, overflow: 'truncate' },
    },
    series: [
      {
        name: labels.ratio,
        type: 'bar',
        cursor: 'pointer',
        itemStyle: { color: '#c0392b' },
        label: { show: rows.length <= 15, position: 'right', formatter: pctLabel, fontSize: 11 },
        data: rows.map((r) => (r.stats ? r.stats.high_skill_ratio : null)),
      },
      {
        name: labels.union,
        type: 'bar',
        cursor: 'pointer',
        itemStyle: { color: '#2f6fb7' },
        label: { show: rows.length <= 15, position: 'right', formatter: pctLabel, fontSize: 11 },
        data: rows.map((r) => (r.stats ? r.stats.union_rate : null)),
      },
    ],
  }
}
