import { describe, it, expect } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { mount } from '@vue/test-utils'
import { i18n } from '../../src/i18n/index.js'
// the messages as the console has them: the shared files and every feature's
const zh = i18n.global.getLocaleMessage('zh-CN')
const en = i18n.global.getLocaleMessage('en')
import StatusLight from '../../src/components/StatusLight.vue'
import CompletionBar from '../../src/components/CompletionBar.vue'
import { sortChildren, drill, pyramidOption } from '../../src/lib/stats.js'
import { parseCsv, tempPassword, pct } from '../../src/lib/format.js'

const g = { global: { plugins: [i18n] } }

describe('status light', () => {
  it('shows the colour and the word for each status', () => {
    i18n.global.locale.value = 'zh-CN'
    const words = { green: '正常', yellow: '预警', red: '逾期', grey: '未开始' }
    for (const [s, w] of Object.entries(words)) {
      const x = mount(StatusLight, { props: { status: s }, ...g })
      expect(x.find('.light').classes()).toContain('light--' + s)
      expect(x.text()).toBe(w)
      expect(x.attributes('data-status')).toBe(s)
      expect(x.attributes('aria-label')).toBe(w)
    }
  })
  it('treats an unknown status as grey and can hide the word', () => {
    const x = mount(StatusLight, { props: { status: 'purple', label: false }, ...g })
    expect(x.attributes('data-status')).toBe('grey')
    expect(x.find('.status-light__text').exists()).toBe(false)
  })
})

describe('completion bar', () => {
  it('fills to the completion and prints it', () => {
    const x = mount(CompletionBar, { props: { value: 0.4, status: 'green' } })
    expect(x.find('.completion__fill').attributes('style')).toContain('width: 40%')
    expect(x.text()).toBe('40%')
    expect(x.attributes('aria-valuenow')).toBe('40')
    expect(x.find('.completion__fill').attributes('style')).toContain('var(--c-green)')
  })
  it('keeps one decimal and clamps to 0..100 %', () => {
    expect(mount(CompletionBar, { props: { value: 0.1234 } }).text()).toBe('12.3%')
    expect(mount(CompletionBar, { props: { value: 1.7 } }).text()).toBe('100%')
    expect(mount(CompletionBar, { props: { value: -1 } }).text()).toBe('0%')
    expect(mount(CompletionBar, { props: { value: NaN } }).text()).toBe('0%')
  })
})

describe('dashboard helpers', () => {
  const rows = [
    { org: { id: 1, name: '乙' }, stats: { high_skill_ratio: 0.2, union_rate: 0.9 } },
    { org: { id: 2, name: '甲' }, stats: { high_skill_ratio: 0.5, union_rate: 0.1 } },
    { org: { id: 3, name: '丙' }, stats: null },
  ]
  it('sorts children by ratio, union rate or name', () => {
    expect(sortChildren(rows, 'ratio', 'desc').map((r) => r.org.id)).toEqual([2, 1, 3])
    expect(sortChildren(rows, 'union', 'desc').map((r) => r.org.id)).toEqual([1, 2, 3])
    expect(sortChildren(rows, 'ratio', 'asc').map((r) => r.org.id)).toEqual([3, 1, 2])
    expect(sortChildren(rows, 'name', 'asc').map((r) => r.org.name)).toHaveLength(3)
  })
  it('links each figure to the workers behind it', () => {
    expect(drill(5, 'high').query).toEqual({ org: '5', status: 'active', level_min: '4' })
    expect(drill(5, 'union').query).toEqual({ org: '5', status: 'active', union: '1' })
    expect(drill(5, 'level', 3).query).toEqual({ org: '5', status: 'active', level_min: '3', level_max: '3' })
  })
  it('draws the pyramid from by_level, top level first', () => {
    const o = pyramidOption({ by_level: { 0: 5, 1: 1, 2: 9, 3: 0, 4: 2, 5: 0, 6: 0, 7: 0, 8: 1 } }, (l) => 'L' + l, '')
    expect(o.yAxis.data[0]).toBe('L8')
    expect(o.series[1].data.map((d) => d.value)).toEqual([1, 0, 0, 0, 2, 0, 9, 1, 5])
    expect(o.series[1].data[6].level).toBe(2)
  })
})

describe('format helpers', () => {
  it('parses the rejected-rows CSV with quotes and a BOM', () => {
    const rows = parseCsv('\uFEFF行号 row,列 column,原因 reason,原值 value\r\n2,身份证号,"校验位不正确, 请核对",***\r\n')
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual(['2', '身份证号', '校验位不正确, 请核对', '***'])
  })
  it('makes temporary passwords with four classes of characters', () => {
    const p = tempPassword()
    expect(p).toHaveLength(12)
    expect(/[A-Z]/.test(p) && /[a-z]/.test(p) && /[0-9]/.test(p) && /[#%+=@]/.test(p)).toBe(true)
  })
  it('prints ratios as percentages', () => {
    expect(pct(0.3071)).toBe('30.7%')
    expect(pct(null)).toBe('—')
  })
})

describe('messages', () => {
  const keys = (o, pre = '') => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, pre + k + '.') : [pre + k]))
  it('Chinese and English have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })
  it('every literal message key the pages use exists', () => {
    const files = []
    const walk = (d) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.(vue|js)$/.test(f)) files.push(p)
      }
    }
    walk(join(__dirname, '../../src'))
    const get = (o, k) => k.split('.').reduce((a, x) => (a && typeof a === 'object' ? a[x] : undefined), o)
    const missing = []
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z.]+)'[,)]/g)) {
        if (typeof get(zh, m[1]) !== 'string') missing.push(f.split('/src/')[1] + ': ' + m[1])
      }
    }
    expect(missing).toEqual([])
  })
})
