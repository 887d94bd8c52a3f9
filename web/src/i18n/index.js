import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'

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
  messages: { 'zh-CN': zhCN, en },
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
