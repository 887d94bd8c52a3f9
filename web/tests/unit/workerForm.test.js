import { describe, it, expect, beforeEach, vi } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../src/i18n/index.js'
import WorkerForm from '../../src/features/workers/components/WorkerForm.vue'
import { buildBody } from '../../src/lib/workerBody.js'
import { setCsrf } from '../../src/lib/api.js'
import { mockFetch } from './helpers.js'

const codes = { list: 'x', items: [] }

describe('worker form', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    i18n.global.locale.value = 'zh-CN'
    setCsrf('t')
  })

  it('sends only what changed on an edit, with empty strings as null', () => {
    const w = { id: 5, name: '张三', phone: '13800138000', skill_level: 3, union_member: true, occupation: null, status: 'active' }
    const form = { ...w, phone: '', skill_level: 4, occupation: '' }
    expect(buildBody(form, w)).toEqual({ phone: null, skill_level: 4 })
  })

  it('leaves empty fields out of a new worker', () => {
    const b = buildBody({ org_id: 13, name: '李四', id_no: '330102199001010012', gender: '', phone: '', skill_level: 0, union_member: false, status: 'active' }, null)
    expect(b).toEqual({ org_id: 13, name: '李四', id_no: '330102199001010012', skill_level: 0, union_member: false, status: 'active' })
  })

  it('shows the API field errors next to their fields', async () => {
    const f = mockFetch([
      ['GET', /\/codes\//, 200, codes],
      [
        'POST',
        /\/workers$/,
        422,
        {
          error: {
            code: 'validation_failed',
            message: 'check character is wrong',
            message_zh: '身份证号校验位不正确',
            details: [{ field: 'id_no', message: 'check character is wrong', message_zh: '身份证号校验位不正确' }],
          },
        },
      ],
    ])
    const w = mount(WorkerForm, {
      props: { orgId: 13, orgName: '甬江精密' },
      global: { plugins: [i18n], stubs: { transition: false, 'transition-group': false } },
      attachTo: document.body,
    })
    await w.find('[data-testid=f-name]').setValue('王五')
    await w.find('[data-testid=f-id_no]').setValue('330102199001010011')
    await w.find('form').trigger('submit')
    await flushPromises()
    // a loaded machine may take longer than one turn: wait for the answer
    await vi.waitFor(() => expect(w.vm.errs.id_no).toBe('身份证号校验位不正确'), { timeout: 3000 })
    const post = f.calls.find((c) => c.method === 'POST')
    expect(post.headers['X-CSRF-Token']).toBe('t')
    expect(JSON.parse(post.body)).toMatchObject({ org_id: 13, name: '王五', id_no: '330102199001010011' })
    const items = w.findAll('.el-form-item')
    const idItem = items.find((i) => i.find('[data-testid=f-id_no]').exists())
    // the item is marked (the message itself is checked in Chromium by tests/e2e)
    expect(idItem.classes()).toContain('is-error')
    const nameItem = items.find((i) => i.find('[data-testid=f-name]').exists())
    expect(nameItem.classes()).not.toContain('is-error')
    expect(w.emitted('saved')).toBeUndefined()
    w.unmount()
  })

  it('emits saved with the server record', async () => {
    mockFetch([
      ['GET', /\/codes\//, 200, codes],
      ['PATCH', /\/workers\/7$/, 200, { id: 7, name: '赵六', skill_level: 5 }],
    ])
    const w = mount(WorkerForm, {
      props: { worker: { id: 7, name: '赵六', skill_level: 4, status: 'active', union_member: false } },
      global: { plugins: [i18n] },
    })
    w.vm.form.skill_level = 5
    await w.find('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(w.emitted('saved')).toBeTruthy(), { timeout: 3000 })
    expect(w.emitted('saved')[0][0]).toMatchObject({ id: 7, skill_level: 5 })
  })
})
