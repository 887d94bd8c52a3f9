// Account changes waiting for a second person (三权分立): the security admin
// sees what it proposed, a system admin approves or rejects.
import messages from './messages.js'

const may = (s) => s.may('GET', '/approvals')

export default {
  name: 'approvals',
  messages,
  routes: [
    { path: 'approvals', name: 'approvals', component: () => import('./ApprovalsView.vue'), meta: { need: may } },
  ],
  nav: [{ to: '/approvals', key: 'approvals', show: may }],
}
