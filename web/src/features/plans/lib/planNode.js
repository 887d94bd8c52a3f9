// The node form of the plan editor: a form object from a tree node, the
// body POST/PATCH /plans/{id}/nodes… expect from it, and the checks the
// console makes before asking (the API checks the rest: deadline inside the
// plan year, owners allowed, metric rules, and answers 422 with the field).

// A form for a new node of kind under parent (null for an aspect).
export function emptyForm(kind, parent = null) {
  return {
    kind,
    parent_id: parent ? parent.id : null,
    title: '',
    weight: 1,
    lead: null,
    co: [],
    deadline: '',
    targetType: 'value',
    value: null,
    unit: '',
    metric: 'manual',
  }
}

// A form holding an existing node of the tree (GET /plans/{id}/tree).
export function formFromNode(n, parentId = null) {
  const owners = n.owners || []
  const lead = owners.find((o) => o.lead) || owners[0] || null
  const milestone = !!(n.target && n.target.milestone)
  return {
    kind: n.kind,
    parent_id: parentId,
    title: n.title || '',
    weight: n.weight ?? 1,
    lead: lead ? lead.org_id : n.lead_org_id || null,
    co: owners.filter((o) => !lead || o.org_id !== lead.org_id).map((o) => o.org_id),
    deadline: n.deadline || '',
    targetType: milestone ? 'milestone' : 'value',
    value: !milestone && n.target ? n.target.value : null,
    unit: (!milestone && n.target && n.target.unit) || '',
    metric: n.metric || 'manual',
  }
}

// The JSON body: POST (edit false) carries kind and parent_id; PATCH does
// not move the node. Sub-item fields only for sub-items.
export function nodeBody(f, edit = false) {
  const b = { title: f.title.trim(), weight: Number(f.weight) }
  if (!edit) {
    b.kind = f.kind
    if (f.kind !== 'aspect') b.parent_id = f.parent_id
  }
  if (f.kind === 'subitem') {
    const co = (f.co || []).filter((id) => id !== f.lead)
    b.owner_org_ids = f.lead ? [f.lead, ...co] : co
    b.deadline = f.deadline || null
    if (f.targetType === 'milestone') {
      b.target = { milestone: true }
      b.metric = 'manual'
    } else {
      b.target = { value: f.value === null || f.value === '' ? null : Number(f.value), unit: (f.unit || '').trim() }
      b.metric = f.metric || 'manual'
    }
  }
  return b
}

// The console's own checks: { field: message key }. Fields are the API's
// names, so its 422 answers land under the same form items.
export function checkForm(f) {
  const e = {}
  if (!f.title || !f.title.trim()) e.title = 'planEdit.err.title'
  if (f.weight === null || f.weight === '' || !(Number(f.weight) >= 0)) e.weight = 'planEdit.err.weight'
  if (f.kind === 'subitem') {
    if (!f.lead) e.owner_org_ids = 'planEdit.err.lead'
    if (!f.deadline) e.deadline = 'planEdit.err.deadline'
    if (f.targetType !== 'milestone') {
      if (f.value === null || f.value === '' || !(Number(f.value) >= 0)) e.target = 'planEdit.err.value'
      else if (!f.unit || !f.unit.trim()) e.target = 'planEdit.err.unit'
    }
  }
  return e
}

// The form item an API field belongs under ("target.value" → "target").
export function formField(apiField) {
  const f = String(apiField || '').split(/[.[]/)[0]
  if (f === 'owner_org_ids' || f === 'lead' || f === 'owners') return 'owner_org_ids'
  if (['title', 'weight', 'deadline', 'target', 'metric', 'parent_id', 'kind', 'order'].includes(f)) return f
  return null
}

// The Content-Type of a plan template file by its extension (.xlsx is
// accepted by the picker; the server reads what it supports).
export function templateType(name) {
  const ext = String(name || '').toLowerCase().split('.').pop()
  if (ext === 'csv') return 'text/csv'
  if (ext === 'json') return 'application/json'
  if (ext === 'xlsx') return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  return null
}
