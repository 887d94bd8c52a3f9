// The account page's API calls.
import { api } from '../../lib/api.js'

export const meApi = {
  tokens: () => api.get('/tokens'),
  createToken: (name, days) => api.post('/tokens', days ? { name, days } : { name }),
  revokeToken: (id) => api.del('/tokens/' + id),
  settings: () => api.get('/settings'),
  sessions: () => api.get('/session/sessions'),
  endSession: (id) => api.del('/session/sessions/' + id),
  factorBegin: () => api.post('/session/second-factor'),
  factorConfirm: (code) => api.post('/session/second-factor/confirm', { code }),
  factorRemove: (code) => api.post('/session/second-factor/remove', { code }),
}

// 'active' | 'revoked' | 'expired' at `now` (ms; the caller's clock for display only)
export function tokenState(tk, now) {
  if (tk.revoked) return 'revoked'
  if (tk.expires && Date.parse(tk.expires) <= now) return 'expired'
  return 'active'
}
