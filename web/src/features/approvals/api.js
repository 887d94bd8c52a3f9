// The approvals' API calls.
import { api } from '../../lib/api.js'

export const approvalsApi = {
  list: (state) => api.get('/approvals', state === 'all' ? { state } : null),
  approve: (id) => api.post('/approvals/' + id + '/approve'),
  reject: (id, reason) => api.post('/approvals/' + id + '/reject', reason ? { reason } : {}),
  takeHalf: (id) => api.post('/approvals/' + id + '/password-half'),
}

// The change an approval carries, as short readable parts; t is vue-i18n's.
export function describe(a, t) {
  const c = a.change || {}
  if (a.action === 'grant.add')
    return t('approvals.grantAdd', { role: t('role.' + c.role), org: c.org_id }) + (c.pii ? t('approvals.withPii') : '')
  if (a.action === 'grant.remove') return t('approvals.grantRemove', { id: c.grant_id })
  const parts = []
  if (c.reset_password) parts.push(t('approvals.reset'))
  if (c.reset_second_factor) parts.push(t('approvals.resetFactor'))
  if (c.disabled === true) parts.push(t('approvals.disable'))
  if (c.disabled === false) parts.push(t('approvals.enable'))
  if (c.locked === false) parts.push(t('approvals.unlock'))
  if (c.name) parts.push(t('approvals.rename', { name: c.name }))
  if (c.org_id) parts.push(t('approvals.move', { org: c.org_id }))
  return parts.join('；') || t('approvals.noChange')
}
