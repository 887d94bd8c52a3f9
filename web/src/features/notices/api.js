// The notices' API calls.
import { api } from '../../lib/api.js'

export const noticesApi = {
  list: (query) => api.get('/notices', query),
  get: (id, query) => api.get('/notices/' + id, query),
  create: (body) => api.post('/notices', body),
  open: (id, starts) => api.post('/notices/' + id + '/open', starts ? { starts } : {}),
  respond: (id, oid, decision, reason) =>
    api.post(`/notices/${id}/objections/${oid}/response`, reason ? { decision, reason } : { decision }),
  publicGet: (pid) => api.get('/public/notices/' + pid, null, { quiet401: true }),
  publicObject: (pid, body) => api.post('/public/notices/' + pid + '/objections', body, { quiet401: true }),
}

// Rows pasted from Excel: tab-separated name, unit, proposed.
export function parsePasted(text) {
  return text
    .split(/\r?\n/)
    .map((l) => l.split('\t').map((c) => c.trim()))
    .filter((c) => c.some(Boolean))
    .map(([name = '', unit = '', proposed = '']) => ({ name, unit, text: proposed }))
}
