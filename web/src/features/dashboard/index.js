// 一图读懂: the registry's figures for the scope (cards, the skill pyramid,
// units compared), the year's targets and demonstration units, and its
// print view (outside the layout).
import messages from './messages.js'

export default {
  name: 'dashboard',
  messages,
  outerRoutes: [
    { path: '/dashboard/print', name: 'dashboard-print', component: () => import('./DashboardPrint.vue'), meta: { need: (s) => s.canStats } },
  ],
  routes: [
    { path: 'dashboard', name: 'dashboard', component: () => import('./DashboardView.vue'), meta: { need: (s) => s.canStats } },
  ],
  // a department's own figures are all zero (it holds no workers): its
  // menu starts at its tasks
  nav: [{ to: '/dashboard', key: 'dashboard', show: (s) => s.canStats && !s.onlyDepartment }],
}
