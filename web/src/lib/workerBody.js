// The body a worker form sends: empty strings become null (and are left
// out on create); an edit sends only the fields that changed.
export const EDITABLE = ['name', 'phone', 'occupation', 'occupation_code', 'skill_level', 'union_member', 'union_joined', 'political_status', 'education', 'hired', 'status']
export const CREATE = ['org_id', 'name', 'id_no', 'gender', 'birth_date', ...EDITABLE.filter((f) => f !== 'name')]

export function buildBody(form, worker) {
  const out = {}
  const keys = worker ? EDITABLE : CREATE
  for (const k of keys) {
    let v = form[k]
    if (v === '' || v === undefined) v = null
    if (worker) {
      const was = worker[k] === undefined || worker[k] === '' ? null : worker[k]
      if (v !== was) out[k] = v
    } else if (v !== null) out[k] = v
  }
  return out
}
