import { reactive } from 'vue'
import { api } from './api.js'

// Code lists (education, political_status, …), fetched once each.
const lists = reactive({})
const pending = {}

export function loadCodes(name) {
  if (lists[name]) return Promise.resolve(lists[name])
  if (!pending[name])
    pending[name] = api
      .get('/codes/' + name)
      .then((r) => (lists[name] = r.items || []))
      .catch(() => {
        delete pending[name]
        return []
      })
  return pending[name]
}

export function codeLabel(name, code, locale) {
  if (code === null || code === undefined || code === '') return '—'
  const items = lists[name]
  if (!items) {
    loadCodes(name)
    return code
  }
  const c = items.find((x) => x.code === code)
  if (!c) return code
  return locale === 'en' ? c.label_en : c.label_zh
}

export function codeItems(name) {
  loadCodes(name)
  return lists[name] || []
}
