import { describe, it, expect, beforeEach } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createRouter, createMemoryHistory } from 'vue-router'
import { i18n } from '../../src/i18n/index.js'
import { api, onApi, setCsrf } from '../../src/lib/api.js'
import { installApiHooks } from '../../src/lib/apiHooks.js'
import { useSession } from '../../src/stores/session.js'
import { mockFetch, sessionBody } from './helpers.js'

async function setup() {
  setActivePinia(createPinia())
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: { template: '<div />' }, meta: { public: true } },
      { path: '/password', name: 'password', component: { template: '<div />' } },
      { path: '/:p(.*)*', name: 'page', component: { template: '<div />' } },
    ],
  })
  router.push('/plans?org=5&plan=2&tab=statement')
  await router.isReady()
  const notes = []
  let clock = 0
  installApiHooks({
    router,
    session: useSession,
    notify: (m) => notes.push(m),
    t: i18n.global.t,
    locale: () => i18n.global.locale.value,
    now: () => clock,
  })
  useSession().apply(sessionBody('admin'))
  return { router, notes, tick: (ms) => (clock += ms) }
}

describe('throttled (429) and expired (401) answers', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
    setCsrf(null)
    for (const h of ['unauthenticated', 'passwordChange', 'throttled', 'activity']) onApi(h, null)
  })

  it('says in Chinese how long to wait on a 429, once for a burst', async () => {
    const { notes, tick } = await setup()
    mockFetch([['GET', /\/workers/, 429, { error: { code: 'rate_limited', message: 'too many requests', message_zh: '请求过于频繁，请稍后再试' } }, { 'retry-after': '30' }]])
    const e = await api.get('/workers').catch((x) => x)
    expect(e.status).toBe(429)
    expect(e.text('zh-CN')).toBe('操作过于频繁，请 30 秒后再试')
    expect(e.text('en')).toBe('Too many requests; try again in 30 seconds')
    expect(notes).toEqual(['操作过于频繁，请 30 秒后再试'])
    await api.get('/workers').catch(() => {})
    expect(notes).toHaveLength(1)
    tick(5000)
    await api.get('/workers').catch(() => {})
    expect(notes).toHaveLength(2)
  })

  it('still speaks Chinese when a proxy throttles without a body or Retry-After', async () => {
    const { notes } = await setup()
    mockFetch([['POST', /\/orgs/, 429, null]])
    const e = await api.post('/orgs', {}).catch((x) => x)
    expect(e.text('zh-CN')).toBe('操作过于频繁，请稍后再试')
    expect(notes).toEqual(['操作过于频繁，请稍后再试'])
  })

  it('leaves the login page to say a throttled login itself', async () => {
    const { notes } = await setup()
    mockFetch([['POST', /\/session$/, 429, { error: { code: 'rate_limited', message: 'slow' } }, { 'retry-after': '60' }]])
    await useSession().login('u', 'p').catch(() => {})
    expect(notes).toEqual([])
  })

  it('goes back to the login page on 401, remembering the page and why', async () => {
    const { router } = await setup()
    mockFetch([['GET', /\/plans\/2\/statement/, 401, { error: { code: 'unauthenticated', message: 'please log in', message_zh: '请先登录' } }]])
    await api.get('/plans/2/statement').catch(() => {})
    await new Promise((r) => setTimeout(r, 0))
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/plans?org=5&plan=2&tab=statement')
    const s = useSession()
    expect(s.loggedIn).toBe(false)
    expect(s.endReason).toBe('expired')
  })
})
