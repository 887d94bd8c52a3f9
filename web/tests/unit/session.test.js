import { describe, it, expect, beforeEach } from 'vitest'
import { setActivePinia, createPinia } from 'pinia'
import { useSession } from '../../src/stores/session.js'
import { getCsrf, setCsrf } from '../../src/lib/api.js'
import { idleState } from '../../src/lib/idle.js'
import { mockFetch, sessionBody } from './helpers.js'

describe('session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    setCsrf(null)
  })

  it('logs in, keeps the CSRF token in memory and derives what the user may do', async () => {
    mockFetch([['POST', /\/session$/, 200, sessionBody('operator')]])
    const s = useSession()
    await s.login('u', 'p')
    expect(s.loggedIn).toBe(true)
    expect(getCsrf()).toBe('tok-operator')
    expect(s.canReadWorkers).toBe(true)
    expect(s.canWriteWorkers).toBe(true)
    expect(s.isSecurityAdmin).toBe(false)
    expect(s.home).toBe('/dashboard')
    expect(s.idleMinutes).toBe(30)
  })

  it('sends the security admin to accounts and the auditor to the audit trail', async () => {
    mockFetch([['GET', /\/session$/, 200, sessionBody('security_admin')]])
    const s = useSession()
    await s.load()
    expect(s.home).toBe('/accounts')
    expect(s.canStats).toBe(false)
    mockFetch([['GET', /\/session$/, 200, sessionBody('auditor')]])
    await s.load()
    expect(s.home).toBe('/audit')
    expect(s.isAuditor).toBe(true)
  })

  it('a department lands on its tasks, not on the registry figures', async () => {
    mockFetch([['GET', /\/session$/, 200, sessionBody('department', { can: ['GET /api/v1/plans', 'GET /api/v1/stats/skills'] })]])
    const s = useSession()
    await s.load()
    expect(s.canStats).toBe(true)
    expect(s.home).toBe('/plans')
  })

  it('what the user may do is what the server says, not a copy of the roles', async () => {
    // a viewer the server lets register workers (a route opened to viewers)
    // may; an admin the server lets read nothing may not
    mockFetch([['GET', /\/session$/, 200, sessionBody('viewer', { can: ['POST /api/v1/workers'] })]])
    const s = useSession()
    await s.load()
    expect(s.canWriteWorkers).toBe(true)
    expect(s.canReadWorkers).toBe(false)
    expect(s.may('POST', '/workers')).toBe(true)
    mockFetch([['GET', /\/session$/, 200, sessionBody('admin', { can: [] })]])
    await s.load()
    expect(s.canStats).toBe(false)
    expect(s.canManagePlans).toBe(false)
  })

  it('a department user sees figures but not the roster', async () => {
    mockFetch([['GET', /\/session$/, 200, sessionBody('department')]])
    const s = useSession()
    await s.load()
    expect(s.canStats).toBe(true)
    expect(s.canReadWorkers).toBe(false)
  })

  it('without a session, load() leaves the user out and does not throw', async () => {
    mockFetch([['GET', /\/session$/, 401, { error: { code: 'unauthenticated', message: 'x' } }]])
    const s = useSession()
    expect(await s.load()).toBe(null)
    expect(s.loaded).toBe(true)
    expect(s.loggedIn).toBe(false)
  })

  it('marks a forced password change and fetches the new token after it', async () => {
    let changed = false
    mockFetch([
      ['POST', /\/session$/, 200, sessionBody('viewer', { must_change_password: true })],
      ['POST', /\/session\/password$/, 204, null],
      ['GET', /\/session$/, 200, () => sessionBody('viewer', { csrf_token: changed ? 'new' : 'old' })],
    ])
    const s = useSession()
    await s.login('u', 'p')
    expect(s.mustChange).toBe(true)
    changed = true
    await s.changePassword('old', 'New-pass-1')
    expect(s.mustChange).toBe(false)
    expect(getCsrf()).toBe('new')
  })

  it('logout clears the token and remembers why', async () => {
    mockFetch([
      ['POST', /\/session$/, 200, sessionBody('viewer')],
      ['DELETE', /\/session$/, 204, null],
    ])
    const s = useSession()
    await s.login('u', 'p')
    await s.logout()
    expect(s.loggedIn).toBe(false)
    expect(getCsrf()).toBe(null)
    expect(s.endReason).toBe('logout')
  })
})

describe('idle clock', () => {
  it('warns in the last minute and ends at the timeout', () => {
    const t0 = 1_000_000
    expect(idleState(t0 + 28 * 60000, t0, 30).phase).toBe('ok')
    const w = idleState(t0 + 29 * 60000 + 30000, t0, 30)
    expect(w.phase).toBe('warn')
    expect(w.secondsLeft).toBe(30)
    expect(idleState(t0 + 30 * 60000, t0, 30).phase).toBe('ended')
  })
})
