// The calendar feature: its page, nav entry and messages.
import messages from './messages.js'

export default {
  name: 'calendar',
  messages,
  routes: [
    { path: 'calendar', name: 'calendar', component: () => import('./CalendarView.vue'), meta: { need: (s) => s.isBusiness } },
  ],
  nav: [{ to: '/calendar', key: 'calendar', show: (s) => s.may('PUT', '/calendar/{id}') }],
}
