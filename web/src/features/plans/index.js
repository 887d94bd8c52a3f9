// The plans feature: 实施方案 and 对账单 — the plan tree, progress reports
// and their review, the statement, its seals and comparison, and the
// target cards the dashboard shows (components/TargetKpis.vue).
import messages from './messages.js'

export default {
  name: 'plans',
  messages,
  routes: [
    { path: 'plans', name: 'plans', component: () => import('./PlansView.vue'), meta: { need: (s) => s.canPlans } },
  ],
  nav: [{ to: '/plans', key: 'plans', show: (s) => s.canPlans }],
}
