// The points ledger (积分化评估): leaderboards of orgs and workers, a
// holder's ledger with awards by hand, reversals and appeals, the rules
// that turn facts into points, and the review of appeals.
import messages from './messages.js'

export default {
  name: 'points',
  messages,
  routes: [
    { path: 'points', name: 'points', component: () => import('./PointsView.vue'), meta: { need: (s) => s.may('GET', '/points/leaderboard') } },
  ],
  nav: [{ to: '/points', key: 'points', show: (s) => s.may('GET', '/points/leaderboard') }],
}
