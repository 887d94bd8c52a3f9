import { describe, it, expect, beforeEach, afterEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n } from '../../src/i18n/index.js'
import { emptyForm, formFromNode, nodeBody, checkForm, formField, templateType } from '../../src/features/plans/lib/planNode.js'
import { usePlanEditor } from '../../src/features/plans/stores/planEditor.js'
import { setCsrf } from '../../src/lib/api.js'
import NodeForm from '../../src/features/plans/components/NodeForm.vue'
import { mockFetch } from './helpers.js'

const invalid = (field, zh) => ({
  error: { code: 'validation_failed', message: 'invalid ' + field, message_zh: zh, details: [{ field, message: 'invalid ' + field, message_zh: zh }] },
})
const subitem = {
  id: 40,
  kind: 'subitem',
  title: '工会会员入会率',
  weight: 2,
  deadline: '2026-04-30',
  target: { value: 90, unit: '%' },
  metric: 'union_rate',
  lead_org_id: 5,
  owners: [
    { org_id: 5, name: '甬江街道', lead: true },
    { org_id: 26, name: '教育局', lead: false },
  ],
}

describe('plan node form (lib)', () => {
  it('builds the POST body of a sub-item: lead first, then co-owners', () => {
    const f = { ...emptyForm('subitem', { id: 2 }), title: ' 新培养高技能人才 ', lead: 25, co: [26, 25], deadline: '2026-12-31', value: 100, unit: '人' }
    expect(nodeBody(f)).toEqual({
      kind: 'subitem',
      parent_id: 2,
      title: '新培养高技能人才',
      weight: 1,
      owner_org_ids: [25, 26],
      deadline: '2026-12-31',
      target: { value: 100, unit: '人' },
      metric: 'manual',
    })
  })
  it('sends a milestone as manual, and an aspect without parent or sub-item fields', () => {
    const m = nodeBody({ ...emptyForm('subitem', { id: 2 }), title: 'x', lead: 5, deadline: '2026-01-31', targetType: 'milestone', metric: 'union_rate' })
    expect(m.target).toEqual({ milestone: true })
    expect(m.metric).toBe('manual')
    expect(nodeBody({ ...emptyForm('aspect'), title: '方面' })).toEqual({ kind: 'aspect', title: '方面', weight: 1 })
  })
  it('edits without moving the node (PATCH has no kind or parent)', () => {
    const f = formFromNode(subitem, 2)
    expect(f.lead).toBe(5)
    expect(f.co).toEqual([26])
    expect(f.value).toBe(90)
    expect(f.metric).toBe('union_rate')
    const b = nodeBody({ ...f, weight: 3 }, true)
    expect(b.kind).toBeUndefined()
    expect(b.parent_id).toBeUndefined()
    expect(b.weight).toBe(3)
    expect(b.owner_org_ids).toEqual([5, 26])
  })
  it('checks what it can before asking the API', () => {
    expect(checkForm({ ...emptyForm('subitem', { id: 2 }) })).toEqual({
      title: 'planEdit.err.title',
      owner_org_ids: 'planEdit.err.lead',
      deadline: 'planEdit.err.deadline',
      target: 'planEdit.err.value',
    })
    expect(checkForm({ ...emptyForm('subitem', { id: 2 }), title: 'x', lead: 1, deadline: '2026-01-01', value: 3 }).target).toBe('planEdit.err.unit')
    expect(checkForm({ ...emptyForm('aspect'), title: 'x', weight: -1 })).toEqual({ weight: 'planEdit.err.weight' })
    expect(checkForm({ ...emptyForm('aspect'), title: 'x' })).toEqual({})
  })
  it('places API fields under form items and types template files', () => {
    expect(formField('target.value')).toBe('target')
    expect(formField('owner_org_ids[1]')).toBe('owner_org_ids')
    expect(formField('nonsense')).toBe(null)
    expect(templateType('方案.CSV')).toBe('text/csv')
    expect(templateType('a.json')).toBe('application/json')
    expect(templateType('a.xlsx')).toContain('spreadsheetml')
    expect(templateType('a.xls')).toBe(null)
  })
})

describe('plan editor store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    setCsrf('tok')
  })
  it('posts a new node with the CSRF token', async () => {
    const f = mockFetch([['POST', /\/plans\/3\/nodes$/, 201, { id: 50, kind: 'aspect' }]])
    const ed = usePlanEditor()
    const n = await ed.save(3, null, { ...emptyForm('aspect'), title: '新方面' })
    expect(n.id).toBe(50)
    expect(f.calls[0].headers['X-CSRF-Token']).toBe('tok')
    expect(JSON.parse(f.calls[0].body)).toEqual({ kind: 'aspect', title: '新方面', weight: 1 })
  })
  it("puts the API's 422 under the field it names", async () => {
    mockFetch([['PATCH', /\/plans\/3\/nodes\/40$/, 422, invalid('deadline', '完成时限须在方案年度内')]])
    const ed = usePlanEditor()
    const n = await ed.save(3, subitem, { ...formFromNode(subitem), deadline: '2025-06-30' })
    expect(n).toBe(null)
    expect(ed.fieldErrors).toEqual({ deadline: '完成时限须在方案年度内' })
    expect(ed.error).toBe('')
  })
  it('does not call the API when its own checks fail', async () => {
    const f = mockFetch([])
    const ed = usePlanEditor()
    expect(await ed.save(3, null, { ...emptyForm('item', { id: 1 }) }, { msg: (k) => 'M:' + k })).toBe(null)
    expect(ed.fieldErrors.title).toBe('M:planEdit.err.title')
    expect(f.calls).toHaveLength(0)
  })
  it('deletes, and says why a node with reports stays', async () => {
    mockFetch([
      ['DELETE', /\/nodes\/41$/, 204, null],
      ['DELETE', /\/nodes\/40$/, 409, { error: { code: 'conflict', message: 'has reports', message_zh: '已有进展报送的节点不能删除' } }],
    ])
    const ed = usePlanEditor()
    expect(await ed.remove(3, { id: 41 })).toBe(true)
    expect(await ed.remove(3, subitem)).toBe(false)
    expect(ed.error).toBe('已有进展报送的节点不能删除')
  })
  it('imports a template with its type, and lists the rows refused', async () => {
    const f = mockFetch([
      ['POST', /\/plans\/3\/import$/, 422, {
        error: {
          code: 'validation_failed',
          message: 'fix the rows',
          message_zh: '方案未导入：请修改所列行后重新导入',
          details: [{ row: 3, field: '完成时限', message: 'bad date', message_zh: '日期格式不正确' }],
        },
      }],
    ])
    const ed = usePlanEditor()
    const file = { name: '方案.csv', arrayBuffer: async () => new TextEncoder().encode('方面,大项\n').buffer }
    expect(await ed.importFile(3, file)).toBe(null)
    expect(f.calls[0].headers['Content-Type']).toBe('text/csv')
    expect(f.calls[0].headers['X-CSRF-Token']).toBe('tok')
    expect(ed.importErrors).toEqual([{ row: 3, field: '完成时限', message: '日期格式不正确' }])
    expect(ed.error).toBe('方案未导入：请修改所列行后重新导入')
    expect(await ed.importFile(3, { name: 'a.doc', arrayBuffer: async () => new ArrayBuffer(1) }, { msg: (k) => k })).toBe(null)
    expect(ed.error).toBe('planEdit.importType')
    expect(f.calls).toHaveLength(1)
  })
})

describe('NodeForm', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    i18n.global.locale.value = 'zh-CN'
    setCsrf('tok')
  })
  let w = null
  afterEach(() => {
    if (w) w.unmount()
    w = null
    document.body.innerHTML = ''
  })
  const mountForm = (props) =>
    (w = mount(NodeForm, {
      props: { modelValue: true, planId: 3, year: 2026, ...props },
      global: { plugins: [i18n], stubs: { transition: false, 'transition-group': false } },
      attachTo: document.body,
    }))
  // the form item under a label: marked as an error, with the message it got
  // (the message's text is seen in Chromium by tests/e2e/60-plan-edit)
  const item = (label) => [...document.querySelectorAll('.el-form-item')].find((el) => el.querySelector('.el-form-item__label')?.textContent.trim() === label)

  it('shows its own check under the title and asks nothing', async () => {
    const f = mockFetch([])
    mountForm({ kind: 'aspect' })
    await flushPromises()
    document.querySelector('[data-testid=n-save]').click()
    await flushPromises()
    expect(item('名称').classList.contains('is-error')).toBe(true)
    expect(usePlanEditor().fieldErrors).toEqual({ title: '请填写名称' })
    expect(f.calls).toHaveLength(0)
  })

  it("shows the API's field message under the deadline and keeps the dialog open", async () => {
    mockFetch([['PATCH', /\/plans\/3\/nodes\/40$/, 422, invalid('deadline', '完成时限须在方案年度内')]])
    mountForm({ node: subitem, parent: { id: 2, kind: 'item', title: '工会组建' } })
    await flushPromises()
    expect(document.querySelector('input[data-testid=n-title]').value).toBe('工会会员入会率')
    document.querySelector('[data-testid=n-save]').click()
    await flushPromises()
    expect(item('完成时限').classList.contains('is-error')).toBe(true)
    expect(item('名称').classList.contains('is-error')).toBe(false)
    expect(usePlanEditor().fieldErrors).toEqual({ deadline: '完成时限须在方案年度内' })
    expect(w.emitted('saved')).toBeUndefined()
  })

  it('saves and closes when the API accepts', async () => {
    const f = mockFetch([['POST', /\/plans\/3\/nodes$/, 201, { id: 77, kind: 'item' }]])
    mountForm({ kind: 'item', parent: { id: 1, kind: 'aspect', title: '方面一' } })
    await flushPromises()
    const input = document.querySelector('input[data-testid=n-title]')
    input.value = '新大项'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector('[data-testid=n-save]').click()
    await flushPromises()
    expect(JSON.parse(f.calls[0].body)).toEqual({ kind: 'item', parent_id: 1, title: '新大项', weight: 1 })
    expect(w.emitted('saved')[0][0].id).toBe(77)
    expect(w.emitted('update:modelValue').at(-1)).toEqual([false])
  })
})
