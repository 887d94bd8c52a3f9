import { describe, it, expect, beforeEach } from 'vitest'
import { api, setCsrf, getCsrf, ApiError, qs, onApi } from '../../src/lib/api.js'
import { mockFetch } from './helpers.js'

describe('lib/api', () => {
  beforeEach(() => {
    setCsrf(null)
    onApi('unauthenticated', null)
    onApi('passwordChange', null)
  })

  it('leaves empty filters out of the query string', () => {
    expect(qs({ org: 2, q: '', level_min: 0, union: null, after: undefined })).toBe('?org=2&level_min=0')
    expect(qs({})).toBe('')
  })

  it('sends the CSRF token on writes only', async () => {
    const f = mockFetch([
      ['GET', /\/api\/v1\/orgs/, 200, { items: [] }],
      ['PATCH', /\/api\/v1\/orgs\/2/, 200, { id: 2 }],
    ])
    setCsrf('abc')
    await api.get('/orgs')
    await api.patch('/orgs/2', { name: 'x' })
    expect(f.calls[0].headers['X-CSRF-Token']).toBeUndefined()
    expect(f.calls[1].headers['X-CSRF-Token']).toBe('abc')
    expect(f.calls[1].headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(f.calls[1].body)).toEqual({ name: 'x' })
  })

  it('keeps the token out of localStorage', () => {
    setCsrf('secret-token')
    expect(getCsrf()).toBe('secret-token')
    for (let i = 0; i < localStorage.length; i++) expect(localStorage.getItem(localStorage.key(i))).not.toContain('secret-token')
  })

  it('turns an error body into field messages in either language', async () => {
    mockFetch([
      [
        'POST',
        /workers/,
        422,
        {
          error: {
            code: 'validation_failed',
            message: 'bad',
            message_zh: '不对',
            details: [
              { field: 'id_no', message: 'check character is wrong', message_zh: '校验位不正确' },
              { field: 'phone', message: 'not a mobile', message_zh: '不是手机号' },
            ],
          },
        },
      ],
    ])
    const e = await api.post('/workers', {}).catch((x) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(422)
    expect(e.code).toBe('validation_failed')
    expect(e.text('zh-CN')).toBe('不对')
    expect(e.text('en')).toBe('bad')
    expect(e.fieldErrors('zh-CN')).toEqual({ id_no: '校验位不正确', phone: '不是手机号' })
    expect(e.fieldErrors('en').id_no).toBe('check character is wrong')
  })

  it('calls the 401 and password-change hooks', async () => {
    mockFetch([
      ['GET', /workers/, 401, { error: { code: 'unauthenticated', message: 'please log in' } }],
      ['GET', /orgs/, 403, { error: { code: 'password_change_required', message: 'change it' } }],
      ['GET', /session/, 401, { error: { code: 'unauthenticated', message: 'please log in' } }],
    ])
    const seen = []
    onApi('unauthenticated', () => seen.push('401'))
    onApi('passwordChange', () => seen.push('pw'))
    await api.get('/workers').catch(() => {})
    await api.get('/orgs').catch(() => {})
    await api.get('/session', null, { quiet401: true }).catch(() => {})
    expect(seen).toEqual(['401', 'pw'])
  })

  it('reads Retry-After on 429', async () => {
    mockFetch([['POST', /session/, 429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '60' }]])
    const e = await api.post('/session', {}).catch((x) => x)
    expect(e.status).toBe(429)
    expect(e.retryAfter).toBe(60)
  })

  it('follows next cursors in api.all', async () => {
    mockFetch([
      ['GET', /after=c2/, 200, { items: [{ id: 3 }], next: null }],
      ['GET', /orgs/, 200, { items: [{ id: 1 }, { id: 2 }], next: 'c2' }],
    ])
    const all = await api.all('/orgs', { parent: 1 })
    expect(all.map((o) => o.id)).toEqual([1, 2, 3])
  })
})
