import { defineStore } from 'pinia'
import { api } from '../lib/api.js'

// The organisation every page works on (the tree in the side panel sets
// it; the URL's ?org= carries it), and a cache of the orgs seen so far.
export const useScope = defineStore('scope', {
  state: () => ({
    orgId: null,
    roots: [],
    orgs: {}, // id → org
    // bumped when units are added or moved: the side tree loads afresh
    treeVersion: 0,
  }),
  getters: {
    org: (s) => (s.orgId ? s.orgs[s.orgId] || null : null),
    // ancestors of the current org that the user may see, root first
    trail(s) {
      const o = this.org
      if (!o || !o.path) return o ? [o] : []
      const ids = o.path.split('/').filter(Boolean).map(Number)
      return ids.map((id) => s.orgs[id]).filter(Boolean)
    },
    defaultOrgId: (s) => (s.roots.length ? s.roots[0].id : null),
  },
  actions: {
    remember(list) {
      for (const o of list) this.orgs[o.id] = { ...this.orgs[o.id], ...o }
    },
    treeChanged() {
      this.treeVersion++
    },
    reset() {
      this.orgId = null
      this.roots = []
      this.orgs = {}
    },
    async loadRoots() {
      const page = await api.get('/orgs', { limit: 500 })
      this.roots = page.items || []
      this.remember(this.roots)
      return this.roots
    },
    async children(id) {
      const items = await api.all('/orgs', { parent: id })
      this.remember(items)
      return items
    },
    async fetch(id) {
      const o = await api.get('/orgs/' + id)
      this.remember([o])
      return this.orgs[o.id]
    },
    // Sets the scope; loads the org and the ancestors within reach for the
    // breadcrumb. A 404 (outside the scope) leaves the scope as it was and
    // rethrows.
    async select(id) {
      id = Number(id)
      if (!id) id = this.defaultOrgId
      if (!id) return null
      if (!this.orgs[id] || !this.orgs[id].path) await this.fetch(id)
      this.orgId = id
      const o = this.orgs[id]
      const ids = (o.path || '').split('/').filter(Boolean).map(Number)
      const rootIds = new Set(this.roots.map((r) => r.id))
      let inside = false
      for (const a of ids) {
        if (rootIds.has(a)) inside = true
        if (!inside || this.orgs[a]) continue
        try {
          await this.fetch(a)
        } catch {
          /* outside the scope: left out of the breadcrumb */
        }
      }
      return o
    },
  },
})
