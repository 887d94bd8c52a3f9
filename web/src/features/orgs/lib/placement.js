// Which kinds of organisation may sit under which (the server's placement
// rule in src/orgs/orgs.c, which decides; this only narrows the choices
// a form offers).
const PARENTS = {
  district: ['city'],
  street: ['district'],
  park: ['district'],
  enterprise: ['street', 'park', 'district'],
  department: ['city', 'district', 'street'],
}

export function childKinds(parentKind) {
  return Object.keys(PARENTS).filter((k) => PARENTS[k].includes(parentKind))
}

export function parentKinds(kind) {
  return PARENTS[kind] || []
}
