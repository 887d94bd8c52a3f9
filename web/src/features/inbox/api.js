// The inbox's API calls.
import { api } from '../../lib/api.js'

export const inboxApi = {
  list: (query) => api.get('/inbox', query),
  // the top bar's count, in the background: a 401 there is left to the
  // page's own request, which sends the user to the login page with the reason
  unread: () => api.get('/inbox', { unread: 1, limit: 1 }, { quiet401: true }),
  read: (id) => api.post(`/inbox/${id}/read`),
}
