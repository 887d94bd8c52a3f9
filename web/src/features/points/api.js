// The points ledger's API calls.
import { api } from '../../lib/api.js'

export const pointsApi = {
  sources: () => api.get('/points/sources'),
  rules: (org) => api.get('/points/rules', { org }),
  createRule: (body) => api.post('/points/rules', body),
  retireRule: (id, body = {}) => api.post(`/points/rules/${id}/retire`, body),
  award: (body) => api.post('/points/entries', body),
  entry: (id) => api.get('/points/entries/' + id),
  reverse: (id, reason) => api.post(`/points/entries/${id}/reverse`, { reason }),
  ledger: (query) => api.get('/points/ledger', query),
  balance: (kind, holder) => api.get('/points/balances', { holder_kind: kind, holder }),
  board: (query) => api.get('/points/leaderboard', query),
  appeal: (entry, reason) => api.post(`/points/entries/${entry}/appeals`, { reason }),
  appeals: (query) => api.get('/points/appeals', query),
  review: (id, body) => api.post(`/points/appeals/${id}/review`, body),
  job: (id) => api.get('/jobs/' + id),
}

// Polls a job until it is done (resolves with it) or failed (rejects).
export async function waitJob(id, every = 200, times = 900) {
  for (let i = 0; i < times; i++) {
    const j = await pointsApi.job(id)
    if (j.state === 'done') return j
    if (j.state === 'failed') throw new Error(j.error)
    await new Promise((r) => setTimeout(r, every))
  }
  throw new Error('timeout')
}
