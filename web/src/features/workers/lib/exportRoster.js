// 导出: the roster as .xlsx with the list's filters, search and columns.
// A small export comes back at once; a large one runs as a job whose file
// the creator downloads when it is done (GET /jobs/{id}, /jobs/{id}/file).
import { request } from '../../../lib/api.js'

// the API's export columns for the columns shown (skill level also by name)
export function exportCols(cols) {
  const out = []
  for (const c of cols) {
    out.push(c)
    if (c === 'skill_level') out.push('skill_level_name')
  }
  return out.join(',')
}

export function save({ blob, filename }) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10000)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// onJob(job) reports a queued export's progress; resolves when saved
export async function exportRoster(query, onJob = () => {}) {
  const first = await request('GET', '/exports/workers.xlsx', { query, blob: true })
  if (first && first.blob) return save(first)
  const id = first.job_id
  for (;;) {
    const job = await request('GET', '/jobs/' + id)
    onJob(job)
    if (job.state === 'failed') throw Object.assign(new Error(job.error || 'export failed'), { job })
    if (job.state === 'done') break
    await sleep(700)
  }
  return save(await request('GET', '/jobs/' + id + '/file', { blob: true }))
}
