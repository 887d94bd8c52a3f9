// 消息中心 (the inbox): every capability's entries for the user — a
// progress report returned, a task gone red, values not reported by the
// deadline — each linking to where to act; the top bar shows the unread
// count (InboxBadge.vue).
import messages from './messages.js'

export const hasInbox = (s) => s.may('GET', '/inbox')

export default {
  name: 'inbox',
  messages,
  routes: [
    { path: 'inbox', name: 'inbox', component: () => import('./InboxView.vue'), meta: { need: hasInbox } },
  ],
  nav: [{ to: '/inbox', key: 'inbox', show: hasInbox }],
}
