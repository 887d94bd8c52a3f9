// 我的账号: what each user manages of its own account (its password and its
// API tokens), reached from the name in the top bar.
import messages from './messages.js'

export default {
  name: 'me',
  messages,
  routes: [{ path: 'me', name: 'me', component: () => import('./MeView.vue'), meta: { need: () => true } }],
}
