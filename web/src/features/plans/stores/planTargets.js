import { defineStore } from 'pinia'
import { api } from '../../../lib/api.js'
import { ownPlan, metricItems, metricOrg } from '../lib/planKpis.js'

// The dashboard's targets for the year: the scope org's own plan, its tree
// summary and the sub-items with a registry metric (actual / target,
// completion, light). state.plan null after loading: the org set no plan.
let seq = 0
export const usePlanTargets = defineStore('planTargets', {
  state: () => ({
    orgId: null,
    year: null,
    plan: null,
    tree: null,
    items: [],
    loading: false,
    loaded: false,
    error: null, // an ApiError
  }),
  getters: {
    // no plan, or a plan without a computed target: "本年度方案未设定目标"
    empty: (s) => s.loaded && !s.error && !s.items.length,
  },
  actions: {
    // kindOf(orgId) → the org's kind when known (the scope store's cache);
    // the tree's owners fill in the rest
    async load(orgId, year, kindOf = () => undefined) {
      const mine = ++seq
      this.orgId = orgId
      this.year = year
      this.loading = true
      this.error = null
      try {
        const list = await api.get('/plans', { org: orgId, year, limit: 200 })
        const plan = ownPlan(list.items, orgId, year)
        let tree = null
        let items = []
        if (plan) {
          tree = await api.get('/plans/' + plan.id + '/tree')
          items = metricItems(tree)
          // the lead owners' kinds decide whose workers a figure counts;
          // the tree says which owners are departments (some lie outside
          // the caller's scope, so they are not fetched)
          const dept = new Map()
          for (const n of items) for (const o of n.owners || []) dept.set(o.org_id, o.department ? 'department' : 'unit')
          const kindOfOwner = (id) => kindOf(id) || dept.get(id)
          items = items.map((n) => ({ ...n, drillOrg: metricOrg(n, plan, kindOfOwner) }))
        }
        if (mine !== seq) return
        this.plan = plan
        this.tree = tree
        this.items = items
        this.loaded = true
      } catch (e) {
        if (mine !== seq) return
        this.plan = this.tree = null
        this.items = []
        this.error = e
        this.loaded = true
      } finally {
        if (mine === seq) this.loading = false
      }
    },
  },
})
