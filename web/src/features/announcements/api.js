// 通知公告's API calls.
import { api } from '../../lib/api.js'

export const announcementsApi = {
  list: (box, after) => api.get('/announcements', { box, after, limit: 50 }),
  get: (id) => api.get('/announcements/' + id),
  read: (id) => api.post('/announcements/' + id + '/read'),
  send: (body) => api.post('/announcements', body),
  withdraw: (id) => api.post('/announcements/' + id + '/withdraw'),
  receipts: (id) => api.get('/announcements/' + id + '/receipts'),
}
