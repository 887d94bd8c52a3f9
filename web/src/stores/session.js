import { defineStore } from 'pinia'
import { api, setCsrf } from '../lib/api.js'

const BUSINESS = ['admin', 'operator', 'viewer', 'department', 'expert']

// Who is logged in, what they may do, and the idle clock. The CSRF token
// goes to lib/api.js (memory only).
export const useSession = defineStore('session', {
  state: () => ({
    user: null,
    mustChange: false,
    // the policy wants an authenticator and there is none: 我的账号 first
    mustEnrol: false,
    factorEnrolled: false,
    idleMinutes: 30,
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
    isBusiness() {
      return BUSINESS.some((r) => this.roles.has(r))
    },
    canReadWorkers() {
      return this.hasRole('admin', 'operator', 'viewer')
    },
    canWriteWorkers() {
      return this.hasRole('admin', 'operator')
    },
    canStats() {
      return this.hasRole('admin', 'operator', 'viewer', 'department')
    },
    canPlans() {
      return this.hasRole('admin', 'operator', 'viewer', 'department')
    },
    canEditOrgs() {
      return this.hasRole('admin', 'operator')
    },
    isSecurityAdmin() {
      return this.roles.has('security_admin')
    },
    isAuditor() {
      return this.roles.has('auditor')
    },
    // the page a user lands on after logging in
    home() {
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
