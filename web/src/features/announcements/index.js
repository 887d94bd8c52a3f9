// 通知公告: notices from a union to the units below, with read receipts.
import messages from './messages.js'

const may = (s) => s.may('GET', '/announcements')

export default {
  name: 'announcements',
  messages,
  routes: [
    { path: 'announcements', name: 'announcements', component: () => import('./AnnouncementsView.vue'), meta: { need: may } },
  ],
  nav: [{ to: '/announcements', key: 'announcements', scoped: false, show: may }],
}
