// The evaluation index (产改指数): the ranking of a period's units with
// stars, and each unit's scorecard explained down to its inputs.
import messages from './messages.js'

export default {
  name: 'evaluation',
  messages,
  routes: [
    { path: 'evaluation', name: 'evaluation', component: () => import('./EvaluationView.vue'), meta: { need: (s) => s.may('GET', '/indexes') } },
  ],
  nav: [{ to: '/evaluation', key: 'evaluation', show: (s) => s.may('GET', '/indexes') }],
}
