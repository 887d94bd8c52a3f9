import { vi } from 'vitest'

// A fetch double: routes is [[method, pathRegex, status, body, headers]];
// calls are recorded with their headers and bodies.
export function mockFetch(routes) {
  const calls = []
  const fn = vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET'
    calls.push({ url, method, headers: init.headers || {}, body: init.body })
    for (const [m, re, status, body, headers] of routes) {
      if (m === method && re.test(url)) {
        const h = new Map(Object.entries({ 'content-type': 'application/json', ...(headers || {}) }))
        return {
          status,
          ok: status >= 200 && status < 300,
          headers: { get: (k) => h.get(k.toLowerCase()) || null },
          json: async () => (typeof body === 'function' ? body(url, init) : body),
          text: async () => JSON.stringify(body),
        }
      }
    }
    return {
      status: 404,
      ok: false,
      headers: { get: () => 'application/json' },
      json: async () => ({ error: { code: 'not_found', message: 'not found', message_zh: '记录不存在' } }),
    }
  })
  fn.calls = calls
  globalThis.fetch = fn
  return fn
}

// What the server's session answer says a role may call (a sample of the
// route table: the routes these tests look at).
const CAN = {
  admin: ['GET /api/v1/workers', 'POST /api/v1/workers', 'GET /api/v1/stats/skills', 'GET /api/v1/plans', 'POST /api/v1/plans', 'POST /api/v1/orgs'],
  operator: ['GET /api/v1/workers', 'POST /api/v1/workers', 'GET /api/v1/stats/skills', 'GET /api/v1/plans', 'POST /api/v1/plans', 'POST /api/v1/orgs'],
  viewer: ['GET /api/v1/workers', 'GET /api/v1/stats/skills', 'GET /api/v1/plans'],
  department: ['GET /api/v1/stats/skills', 'GET /api/v1/plans'],
  expert: [],
  security_admin: ['GET /api/v1/users', 'POST /api/v1/users'],
  auditor: ['GET /api/v1/audit'],
}

export const sessionBody = (role = 'admin', extra = {}) => ({
  user: { id: 1, username: 'u', name: '用户', org_id: 1, grants: [{ id: 1, org_id: 1, role, pii: false }] },
  csrf_token: 'tok-' + role,
  must_change_password: false,
  idle_timeout_minutes: 30,
  can: CAN[role] || [],
  ...extra,
})
