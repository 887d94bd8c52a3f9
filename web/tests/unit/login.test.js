import { describe, it, expect, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createRouter, createMemoryHistory } from 'vue-router'
import { i18n } from '../../src/i18n/index.js'
import LoginView from '../../src/views/LoginView.vue'
import { mockFetch, sessionBody } from './helpers.js'

function setup() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: LoginView },
      { path: '/password', name: 'password', component: { template: '<div>pw</div>' } },
      { path: '/:p(.*)*', component: { template: '<div>page</div>' } },
    ],
  })
  return { pinia, router }
}

async function attempt(status, body, headers) {
  mockFetch([['POST', /\/session$/, status, body, headers]])
  const { pinia, router } = setup()
  router.push('/login?redirect=/workers%3Forg%3D5')
  await router.isReady()
  const w = mount(LoginView, { global: { plugins: [pinia, router, i18n] } })
  await w.find('input[name=username]').setValue('admin')
  await w.find('input[name=password]').setValue('pw')
  await w.find('form').trigger('submit')
  await flushPromises()
  return { w, router }
}

describe('LoginView', () => {
  beforeEach(() => {
    i18n.global.locale.value = 'zh-CN'
  })

  it('says wrong password on 401', async () => {
    const { w } = await attempt(401, { error: { code: 'unauthenticated', message: 'wrong', message_zh: '用户名或密码错误' } })
    expect(w.find('[data-testid=login-error]').text()).toContain('用户名或密码错误')
  })

  it('says locked on 423', async () => {
    const { w } = await attempt(423, { error: { code: 'locked', message: 'locked' } })
    expect(w.find('[data-testid=login-error]').text()).toContain('账号已锁定')
  })

  it('says throttled with the wait on 429', async () => {
    const { w } = await attempt(429, { error: { code: 'rate_limited', message: 'slow' } }, { 'retry-after': '60' })
    expect(w.find('[data-testid=login-error]').text()).toContain('60 秒后再试')
  })

  it('goes back to the remembered page after logging in', async () => {
    const { router } = await attempt(200, sessionBody('operator'))
    expect(router.currentRoute.value.fullPath).toBe('/workers?org=5')
  })

  it('goes to the forced password change when the password must change', async () => {
    const { router } = await attempt(200, sessionBody('operator', { must_change_password: true }))
    expect(router.currentRoute.value.name).toBe('password')
    expect(router.currentRoute.value.query.redirect).toBe('/workers?org=5')
  })
})
