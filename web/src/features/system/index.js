// 系统管理: 参数设置 and 字典管理. Anyone may read settings and codes (the
// pages' drop-downs do), so the pages are offered to those who set them.
import messages from './messages.js'

const maySettings = (s) => s.may('PATCH', '/settings')
const mayCodes = (s) => s.may('PUT', '/codes/{list}/{code}')

export default {
  name: 'system',
  messages,
  routes: [
    { path: 'system/settings', name: 'settings', component: () => import('./SettingsView.vue'), meta: { need: maySettings } },
    { path: 'system/codes', name: 'codes', component: () => import('./CodesView.vue'), meta: { need: mayCodes } },
  ],
  nav: [
    { to: '/system/settings', key: 'settings', scoped: false, show: maySettings },
    { to: '/system/codes', key: 'codes', scoped: false, show: mayCodes },
  ],
}
