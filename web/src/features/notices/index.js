// The notices feature: its pages (one public, without login), nav entry
// and messages.
import messages from './messages.js'

export default {
  name: 'notices',
  messages,
  routes: [
    { path: 'notices', name: 'notices', component: () => import('./NoticesView.vue'), meta: { need: (s) => s.may('GET', '/notices') } },
  ],
  publicRoutes: [
    { path: '/notice/:pid([A-Za-z0-9_-]{22})', name: 'public-notice', component: () => import('./PublicNotice.vue'), meta: { public: true } },
  ],
  nav: [{ to: '/notices', key: 'notices', show: (s) => s.may('GET', '/notices') }],
}
