// The evaluation index's API calls.
import { api } from '../../lib/api.js'

export const evaluationApi = {
  indexes: () => api.get('/indexes'),
  index: (id) => api.get('/indexes/' + id),
  tree: (id) => api.get(`/indexes/${id}/tree`),
  whatIf: (period, body) => api.post(`/periods/${period}/what-if`, body),
  importValues: (period, file) => file.arrayBuffer().then((raw) => api.post(`/periods/${period}/values.xlsx`, undefined, {
    raw, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  })),
  scores: (period, query) => api.get(`/periods/${period}/scores`, query),
  explain: (period, org) => api.get(`/periods/${period}/scores/${org}/explain`),
  compute: (period) => api.post(`/periods/${period}/compute`),
  job: (id) => api.get('/jobs/' + id),
  seal: (period) => api.post(`/periods/${period}/seal`),
  robustness: (period, query) => api.get(`/periods/${period}/robustness`, query),
  testRobustness: (period, body) => api.post(`/periods/${period}/robustness`, body),
  candidates: (period, query) => api.get(`/periods/${period}/candidates`, query),
  proposals: (period) => api.get(`/periods/${period}/proposals`),
  propose: (period, body) => api.post(`/periods/${period}/proposals`, body),
  proposal: (id) => api.get('/proposals/' + id),
  proposeAgain: (id, body) => api.put('/proposals/' + id, body),
  review: (id, body) => api.post(`/proposals/${id}/review`, body),
  notice: (id, body) => api.post(`/proposals/${id}/notice`, body),
  named: (query) => api.get('/demonstration-units', query),
  setDue: (period, due) => api.patch('/periods/' + period, { report_due: due }),
  unreported: (period) => api.get(`/periods/${period}/unreported`),
  metrics: () => api.get('/metrics'),
  addNode: (index, body) => api.post(`/indexes/${index}/nodes`, body),
  editNode: (index, node, body) => api.patch(`/indexes/${index}/nodes/${node}`, body),
  deleteNode: (index, node) => api.del(`/indexes/${index}/nodes/${node}`),
  classes: (index) => api.get(`/indexes/${index}/classes`),
  addClass: (index, body) => api.post(`/indexes/${index}/classes`, body),
  editClass: (index, id, body) => api.patch(`/indexes/${index}/classes/${id}`, body),
  deleteClass: (index, id) => api.del(`/indexes/${index}/classes/${id}`),
  members: (index, id, body) => api.put(`/indexes/${index}/classes/${id}/members`, body),
  points: (index, query) => api.get(`/indexes/${index}/points`, query),
}

// Polls a job until it is done (resolves) or failed (rejects with its reason).
export async function waitJob(id, every = 200, times = 900) {
  for (let i = 0; i < times; i++) {
    const j = await evaluationApi.job(id)
    if (j.state === 'done') return j
    if (j.state === 'failed') throw new Error(j.error)
    await new Promise((r) => setTimeout(r, every))
  }
  throw new Error('timeout')
}
