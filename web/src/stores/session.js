import { defineStore } from 'pinia'
import { api, setCsrf } from '../lib/api.js'

const BUSINESS = ['admin', 'operator', 'viewer', 'department', 'expert']

// Who is logged in, what they may do, and the idle clock. The CSRF token
// goes to lib/api.js (memory only). What they may do comes from the server
// (the session's "can": every "METHOD /api/v1/pattern" the route table
// lets them call), so the console never keeps a copy of the role masks.
export const useSession = defineStore('session', {
  state: () => ({
    user: null,
    mustChange: false,
    // the policy wants an authenticator and there is none: 我的账号 first
    mustEnrol: false,
    factorEnrolled: false,
    idleMinutes: 30,
    allowed: [],
    loaded: false,
    lastActivity: Date.now(),
    endReason: null, // 'idle' | 'expired' | 'logout' — shown on the login page
    // the business date as the server sees it (GET /clock, China time): the
    // console never takes a date from the browser's clock
    today: null,
  }),
  getters: {
    loggedIn: (s) => !!s.user,
    grants: (s) => (s.user && s.user.grants) || [],
    roles() {
      return new Set(this.grants.map((g) => g.role))
    },
    hasRole() {
      return (...rs) => rs.some((r) => this.roles.has(r))
    },
    allowedSet: (s) => new Set(s.allowed),
    // may('POST', '/plans'): the route as the server declares it (path
    // under /api/v1, {id} for ids)
    may() {
      return (method, path) => this.allowedSet.has(`${method} /api/v1${path}`)
    },
    // the business roles (as against security admin and auditor): a
    // category of person, not a permission
    isBusiness() {
      return BUSINESS.some((r) => this.roles.has(r))
    },
    canReadWorkers() {
      return this.may('GET', '/workers')
    },
    canWriteWorkers() {
      return this.may('POST', '/workers')
    },
    canStats() {
      return this.may('GET', '/stats/skills')
    },
    canPlans() {
      return this.may('GET', '/plans')
    },
    canManagePlans() {
      return this.may('POST', '/plans')
    },
    canEditOrgs() {
      return this.may('POST', '/orgs')
    },
    isSecurityAdmin() {
      return this.may('GET', '/users')
    },
    isAuditor() {
      return this.may('GET', '/audit')
    },
    // a government department only: it owns tasks, it holds no workers
    onlyDepartment() {
      return this.grants.length > 0 && this.grants.every((g) => g.role === 'department')
    },
    // the page a user lands on after logging in
    home() {
      // a department works on its tasks: it lands on them, not on the
      // registry's figures it has no part in
      if (this.onlyDepartment && this.may('GET', '/plans')) return '/plans'
      if (this.canStats) return '/dashboard'
      if (this.isSecurityAdmin) return '/accounts'
      if (this.isAuditor) return '/audit'
      return '/orgs'
    },
    idleDeadline: (s) => s.lastActivity + s.idleMinutes * 60000,
    year: (s) => (s.today ? Number(s.today.slice(0, 4)) : null),
  },
  actions: {
    apply(body) {
      this.user = body.user
      this.allowed = body.can || []
      this.mustChange = !!body.must_change_password
      this.mustEnrol = !!(body.second_factor && body.second_factor.must_enrol)
      this.factorEnrolled = !!(body.second_factor && body.second_factor.enrolled)
      if (body.idle_timeout_minutes) this.idleMinutes = body.idle_timeout_minutes
      setCsrf(body.csrf_token)
      this.lastActivity = Date.now()
      this.endReason = null
    },
    async loadClock() {
      try {
        this.today = (await api.get('/clock', null, { quiet401: true })).today
      } catch {
        /* the pages that need it wait for it */
      }
    },
    clear(reason = null) {
      this.user = null
      this.allowed = []
      this.mustChange = false
      this.mustEnrol = false
      this.factorEnrolled = false
      setCsrf(null)
      this.endReason = reason
    },
    // GET /session: after a reload the cookie may still be good.
    async load() {
      try {
        const body = await api.get('/session', null, { quiet401: true })
        this.apply(body)
        await this.loadClock()
      } catch (e) {
        if (e.status !== 401) {
          this.loaded = true
          throw e
        }
        this.clear()
      }
      this.loaded = true
      return this.user
    },
    async login(username, password, code) {
      const body = await api.post('/session', code ? { username, password, code } : { username, password }, {
        quiet401: true,
        quiet429: true,
      })
      this.apply(body)
      await this.loadClock()
      this.loaded = true
      return body
    },
    async logout() {
      try {
        await api.del('/session', { quiet401: true })
      } catch {
        /* the session may already be gone */
      }
      this.clear('logout')
    },
    async changePassword(oldPassword, newPassword) {
      await api.post('/session/password', { old_password: oldPassword, new_password: newPassword })
      // the server replaced the session: fetch the new CSRF token
      await this.load()
    },
    touch() {
      this.lastActivity = Date.now()
    },
  },
})
