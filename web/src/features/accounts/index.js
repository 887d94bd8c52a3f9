// 账号管理: the security admin's accounts, grants and online sessions.
import messages from './messages.js'

export default {
  name: 'accounts',
  messages,
  routes: [
    { path: 'accounts', name: 'accounts', component: () => import('./AccountsView.vue'), meta: { need: (s) => s.isSecurityAdmin } },
  ],
  // the city-wide pages take no org scope
  nav: [{ to: '/accounts', key: 'accounts', show: (s) => s.isSecurityAdmin, scoped: false }],
}
