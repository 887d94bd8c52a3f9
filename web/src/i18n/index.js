import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'
import { features } from '../features/index.js'

// Each feature brings its own messages; a key of a feature never replaces
// a shared one of the same section.
function merge(into, from) {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) into[k] = merge({ ...(into[k] || {}) }, v)
    else if (!(k in into)) into[k] = v
  }
  return into
}
const zh = features.reduce((m, f) => merge(m, f.messages['zh-CN'] || {}), { ...zhCN })
const english = features.reduce((m, f) => merge(m, f.messages.en || {}), { ...en })

const KEY = 'changai.lang' // a display preference, not a secret

function initial() {
  try {
    const v = globalThis.localStorage && localStorage.getItem(KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch {
    /* storage may be off */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en: english },
})

export function setLocale(l) {
  i18n.global.locale.value = l
  document.documentElement.lang = l
  try {
    localStorage.setItem(KEY, l)
  } catch {
    /* ignore */
  }
}

export function locale() {
  return i18n.global.locale.value
}
