// 组织: the organisation tree's units, one at a time.
import messages from './messages.js'

export default {
  name: 'orgs',
  messages,
  routes: [
    { path: 'orgs', name: 'orgs', component: () => import('./OrgView.vue') },
    { path: 'orgs/:id(\\d+)', name: 'org', component: () => import('./OrgView.vue') },
  ],
  nav: [{ to: '/orgs', key: 'orgs', show: () => true }],
}
