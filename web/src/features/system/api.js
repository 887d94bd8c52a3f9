// 系统管理's API calls: settings and code lists.
import { api } from '../../lib/api.js'

export const systemApi = {
  settings: () => api.get('/settings'),
  patchSettings: (body) => api.patch('/settings', body),
  lists: () => api.get('/codes'),
  // inactive codes too: this page is where they are switched back on
  list: (name) => api.get('/codes/' + name, { all: 1 }),
  putCode: (list, code, body) => api.put(`/codes/${list}/${code}`, body),
}
