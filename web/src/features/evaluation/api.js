// The evaluation index's API calls.
import { api } from '../../lib/api.js'

export const evaluationApi = {
  indexes: () => api.get('/indexes'),
  index: (id) => api.get('/indexes/' + id),
  scores: (period, query) => api.get(`/periods/${period}/scores`, query),
  explain: (period, org) => api.get(`/periods/${period}/scores/${org}/explain`),
  compute: (period) => api.post(`/periods/${period}/compute`),
  job: (id) => api.get('/jobs/' + id),
  seal: (period) => api.post(`/periods/${period}/seal`),
}
