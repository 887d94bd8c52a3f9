import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createRouter, createMemoryHistory } from 'vue-router'
import { i18n } from '../../src/i18n/index.js'
import { ownPlan, metricItems, metricDrill, metricOrg, figure } from '../../src/features/plans/lib/planKpis.js'
import { usePlanTargets } from '../../src/features/plans/stores/planTargets.js'
import { useScope } from '../../src/stores/scope.js'
import { useSession } from '../../src/stores/session.js'
import TargetKpis from '../../src/features/plans/components/TargetKpis.vue'
import { mockFetch, sessionBody } from './helpers.js'

const year = 2026
const sub = (id, metric, target, extra = {}) => ({
  id,
  kind: 'subitem',
  no: '1.' + id,
  title: '分项' + id,
  metric,
  target,
  deadline: '2026-12-31',
  lead_org_id: 5,
  owners: [{ org_id: 5, name: '甬江街道', lead: true, department: false }],
  completion: 0.5,
  status: 'green',
  actual: 45,
  ...extra,
})
const tree = {
  plan: { id: 7, org_id: 5, year },
  completion: 0.61,
  status: 'yellow',
  nodes: [
    {
      id: 1,
      kind: 'aspect',
      title: '产业工人队伍建设',
      done: 3,
      in_progress: 2,
      overdue: 1,
      not_started: 0,
      children: [
        {
          id: 2,
          kind: 'item',
          title: '工会组建',
          children: [
            sub(3, 'union_rate', { value: 90, unit: '%' }, { actual: 85.1, completion: 0.9456, status: 'yellow' }),
            sub(4, 'manual', { value: 12, unit: '个' }),
            sub(5, 'high_skilled', { milestone: true }),
            sub(6, 'high_skill_ratio', { value: 35, unit: '%' }, { lead_org_id: 25, owners: [{ org_id: 25, name: '人社局', lead: true, department: true }] }),
          ],
        },
      ],
    },
  ],
}

describe('the year targets (lib)', () => {
  it("picks the org's own plan for the year, not a child org's", () => {
    const plans = [
      { id: 9, org_id: 13, year },
      { id: 8, org_id: 5, year: 2025 },
      { id: 7, org_id: 5, year },
      { id: 11, org_id: 5, year },
    ]
    expect(ownPlan(plans, 5, year).id).toBe(7)
    expect(ownPlan(plans, 13, 2025)).toBe(null)
    expect(ownPlan([], 5, year)).toBe(null)
  })
  it('keeps sub-items with a registry metric and a numeric target, with their aspect and item', () => {
    const items = metricItems(tree)
    expect(items.map((n) => n.id)).toEqual([3, 6])
    expect(items[0].aspect.title).toBe('产业工人队伍建设')
    expect(items[0].item.title).toBe('工会组建')
    expect(metricItems(null)).toEqual([])
  })
  it('drills a metric to the workers it counts', () => {
    expect(metricDrill('union_rate')).toBe('union')
    expect(metricDrill('union_members')).toBe('union')
    expect(metricDrill('high_skill_ratio')).toBe('high')
    expect(metricDrill('workers')).toBe('all')
    const kinds = { 5: 'street', 25: 'department' }
    expect(metricOrg(tree.nodes[0].children[0].children[0], tree.plan, (id) => kinds[id])).toBe(5)
    expect(metricOrg(tree.nodes[0].children[0].children[3], tree.plan, (id) => kinds[id])).toBe(5)
    expect(metricOrg({ lead_org_id: 13 }, { org_id: 2 }, () => 'enterprise')).toBe(13)
    expect(metricOrg({ lead_org_id: 13 }, { org_id: 2 }, () => undefined)).toBe(2)
  })
  it('prints figures with at most two decimals', () => {
    expect(figure(85.1234)).toBe('85.12')
    expect(figure(1200)).toBe('1,200')
    expect(figure(null)).toBe('—')
  })
})

function setup(routes) {
  const pinia = createPinia()
  setActivePinia(pinia)
  mockFetch(routes)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/plans', name: 'plans', component: { template: '<div />' } },
      { path: '/workers', name: 'workers', component: { template: '<div />' } },
    ],
  })
  const scope = useScope()
  scope.orgId = 5
  scope.orgs = { 5: { id: 5, kind: 'street', name: '甬江街道', path: '/1/2/5/' } }
  useSession().apply(sessionBody('operator'))
  return { pinia, router }
}

describe('the year targets (store and cards)', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  it('loads the plan for the org and year and finds its computed targets', async () => {
    setup([
      ['GET', /\/plans\?org=5&year=2026/, 200, { items: [{ id: 7, org_id: 5, year, title: '对账单' }, { id: 9, org_id: 13, year }] }],
      ['GET', /\/plans\/7\/tree/, 200, tree],
    ])
    const s = usePlanTargets()
    const scope = useScope()
    await s.load(5, year, (id) => scope.orgs[id] && scope.orgs[id].kind)
    expect(s.plan.id).toBe(7)
    // the district's 人社局 leads a task but lies outside the street's
    // scope: the tree says it is a department, nothing asks for it
    expect(globalThis.fetch.calls.map((c) => c.url).filter((u) => /\/orgs/.test(u))).toEqual([])
    expect(s.items.map((n) => [n.id, n.drillOrg])).toEqual([
      [3, 5],
      [6, 5],
    ])
    expect(s.empty).toBe(false)
  })

  it('waits for the page to give the org before asking for plans', async () => {
    const { pinia, router } = setup([['GET', /\/plans\?/, 200, { items: [] }]])
    const w = mount(TargetKpis, { props: { year, orgId: null }, global: { plugins: [pinia, router, i18n] } })
    await flushPromises()
    expect(globalThis.fetch.calls).toHaveLength(0)
    expect(w.find('[data-testid=targets-empty]').exists()).toBe(false)
    await w.setProps({ orgId: 5 })
    await flushPromises()
    expect(globalThis.fetch.calls.map((c) => c.url)).toEqual(['/api/v1/plans?org=5&year=2026&limit=200'])
    expect(w.find('[data-testid=targets-empty]').exists()).toBe(true)
  })

  it('says the year has no targets when the org has no plan', async () => {
    const { pinia, router } = setup([['GET', /\/plans\?/, 200, { items: [{ id: 9, org_id: 13, year }] }]])
    const w = mount(TargetKpis, { props: { year, orgId: 5 }, global: { plugins: [pinia, router, i18n] } })
    await flushPromises()
    expect(w.find('[data-testid=targets-empty]').text()).toContain('本年度方案未设定目标')
    expect(w.findAll('[data-testid=target-kpi]')).toHaveLength(0)
    // an operator may create the plan from here
    expect(w.find('[data-testid=targets-empty] a').attributes('href')).toContain('create=1')
  })

  it('shows actual / target, completion and light, each linked to its rows', async () => {
    const { pinia, router } = setup([
      ['GET', /\/plans\?org=5&year=2026/, 200, { items: [{ id: 7, org_id: 5, year, title: '对账单' }] }],
      ['GET', /\/plans\/7\/tree/, 200, tree],
    ])
    const w = mount(TargetKpis, { props: { year, orgId: 5 }, global: { plugins: [pinia, router, i18n] } })
    await flushPromises()
    const cards = w.findAll('[data-testid=target-kpi]')
    expect(cards).toHaveLength(2)
    const c = cards[0]
    expect(c.attributes('data-metric')).toBe('union_rate')
    // the actual carries its unit as the target does ("75 / 90%" read as 75 %?)
    expect(c.find('.tkpi__figure').text().replace(/\s+/g, '')).toBe('85.1%/90%')
    // the line under the title names who answers for it, not the title again
    expect(c.find('.tkpi__sub').text()).not.toBe(c.find('.tkpi__title').text())
    expect(c.find('.completion__text').text()).toBe('94.6%')
    expect(c.find('.status-light').attributes('data-status')).toBe('yellow')
    // the actual opens the union members of the street; the title the task
    const actual = c.find('[data-testid=target-actual]').attributes('href')
    expect(actual).toContain('/workers?')
    expect(actual).toContain('org=5')
    expect(actual).toContain('union=1')
    const task = c.find('.tkpi__title').attributes('href')
    expect(task).toContain('plan=7')
    expect(task).toContain('node=3')
    // the plan card: overall completion, and the overdue tasks filtered
    expect(w.find('[data-testid=target-plan] .tkpi__figure').text()).toBe('61.0%')
    expect(w.find('[data-testid=target-overdue]').attributes('href')).toContain('status=red')
    expect(w.find('[data-testid=targets-empty]').exists()).toBe(false)
  })

  it('explains a plan without computed targets instead of showing nothing', async () => {
    const manualOnly = { ...tree, nodes: [{ ...tree.nodes[0], children: [{ ...tree.nodes[0].children[0], children: [sub(4, 'manual', { value: 12, unit: '个' })] }] }] }
    const { pinia, router } = setup([
      ['GET', /\/plans\?/, 200, { items: [{ id: 7, org_id: 5, year, title: '对账单' }] }],
      ['GET', /\/plans\/7\/tree/, 200, manualOnly],
    ])
    const w = mount(TargetKpis, { props: { year, orgId: 5 }, global: { plugins: [pinia, router, i18n] } })
    await flushPromises()
    expect(w.find('[data-testid=targets-no-metric]').text()).toContain('方案中暂无花名册统计目标')
    expect(w.find('[data-testid=targets-no-metric]').text()).not.toContain('本年度方案未设定目标')
    expect(w.find('[data-testid=target-plan]').exists()).toBe(true)
  })
})
