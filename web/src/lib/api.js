// The one door to /api/v1. The CSRF token lives in this module's memory
// only (never localStorage): after a reload GET /api/v1/session returns it
// again. Every write carries it in X-CSRF-Token.

export const BASE = '/api/v1'

let csrfToken = null
const hooks = {
  unauthenticated: null, // (err) => void: 401 on a call that expects a session
  passwordChange: null, // () => void: 403 password_change_required
  enrolment: null, // () => void: 403 second_factor_enrolment_required
  activity: null, // () => void: any answer from the server
  throttled: null, // (err) => void: 429 on a call that does not handle it itself
}

export function setCsrf(token) {
  csrfToken = token || null
}
export function getCsrf() {
  return csrfToken
}
export function onApi(name, fn) {
  hooks[name] = fn
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && typeof body === 'object' && body.error) || {}
    super(e.message || `HTTP ${status}`)
    this.status = status
    this.code = e.code || (status === 0 ? 'network' : 'http_' + status)
    this.messageZh = e.message_zh || null
    this.details = Array.isArray(e.details) ? e.details : []
    this.retryAfter = null
  }
  // The message in the console's language (the API sends both). A 429
  // says how long to wait, even when a proxy answered without our JSON.
  text(locale) {
    const zh = !!locale && locale.startsWith('zh')
    if (this.status === 429) {
      const s = this.retryAfter
      if (zh) return s ? `操作过于频繁，请 ${s} 秒后再试` : this.messageZh || '操作过于频繁，请稍后再试'
      return s ? `Too many requests; try again in ${s} seconds` : 'Too many requests; try again later'
    }
    if (zh && this.messageZh) return this.messageZh
    return this.message
  }
  // { field: message } from details[] (422 and friends), in the locale.
  fieldErrors(locale) {
    const out = {}
    const zh = locale && locale.startsWith('zh')
    for (const d of this.details) {
      if (!d || !d.field) continue
      const m = (zh && d.message_zh) || d.message || this.text(locale)
      out[d.field] = out[d.field] ? out[d.field] + '；' + m : m
    }
    // a single-field error without details[] still names its field
    return out
  }
}

// Query string from an object, leaving out empty values.
export function qs(params) {
  if (!params) return ''
  const parts = []
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(v)))
  }
  return parts.length ? '?' + parts.join('&') : ''
}

export function url(path, query) {
  return BASE + path + qs(query)
}

export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) }
  let body
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  if (opts.raw !== undefined) {
    body = opts.raw
    if (!headers['Content-Type']) headers['Content-Type'] = 'application/octet-stream'
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res
  try {
    res = await fetch(url(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    })
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    const err = new ApiError(0, {
      error: { code: 'network', message: 'the server cannot be reached', message_zh: '无法连接服务器，请检查网络' },
    })
    throw err
  }
  if (hooks.activity) hooks.activity()
  if (res.status === 204) return null
  const ct = res.headers.get('content-type') || ''
  // a file (opts.blob): its bytes and the name the server gives it
  if (opts.blob && res.ok && !ct.includes('json')) {
    const cd = res.headers.get('content-disposition') || ''
    const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd)
    return { blob: await res.blob(), filename: m ? decodeURIComponent(m[1]) : 'download' }
  }
  let data = null
  if (ct.includes('json')) data = await res.json().catch(() => null)
  else data = await res.text().catch(() => '')
  if (!res.ok) {
    const err = new ApiError(res.status, data)
    const ra = res.headers.get('retry-after')
    if (ra) err.retryAfter = Number(ra) || null
    if (res.status === 401 && !opts.quiet401 && hooks.unauthenticated) hooks.unauthenticated(err)
    if (res.status === 429 && !opts.quiet429 && hooks.throttled) hooks.throttled(err)
    if (res.status === 403 && err.code === 'password_change_required' && hooks.passwordChange)
      hooks.passwordChange(err)
    if (res.status === 403 && err.code === 'second_factor_enrolment_required' && hooks.enrolment)
      hooks.enrolment(err)
    throw err
  }
  return data
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
  // every page of a list (for short lists such as an org's children)
  async all(path, query, max = 5000) {
    const items = []
    let after = null
    do {
      const page = await request('GET', path, { query: { ...query, limit: 500, after } })
      items.push(...(page.items || []))
      after = page.next
    } while (after && items.length < max)
    return items
  },
}
