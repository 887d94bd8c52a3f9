// 审计日志: the auditor's trail, its filters, export and verification.
import messages from './messages.js'

export default {
  name: 'audit',
  messages,
  routes: [
    { path: 'audit', name: 'audit', component: () => import('./AuditView.vue'), meta: { need: (s) => s.isAuditor } },
  ],
  nav: [{ to: '/audit', key: 'audit', show: (s) => s.isAuditor, scoped: false }],
}
