// What the points pages share beyond pure helpers: whether the user writes
// points over an org (its path read from a path known to hold it, else
// fetched once), and whether the screen is a
// phone's (forms put their labels on top).
import { ref, onMounted, onBeforeUnmount } from 'vue'
import { useScope } from '../../stores/scope.js'
import { useSession } from '../../stores/session.js'
import { owns, pathWithin } from './lib/labels.js'

export function useOwner() {
  const scope = useScope()
  const session = useSession()
  const missing = new Set()
  async function pathOf(id) {
    if (!id) return null
    const o = scope.orgs[id]
    if (o && o.path) return o.path
    if (missing.has(id)) return null
    try {
      return (await scope.fetch(id)).path
    } catch {
      missing.add(id) // outside the user's scope: not theirs to write
      return null
    }
  }
  // near: a path known to hold the org if it is above (the scope's, the
  // holder's): no request for an org the user may not read
  async function ownsOrg(id, near) {
    return owns(session.grants, pathWithin(id, near) || (await pathOf(id)))
  }
  return { pathOf, ownsOrg }
}

export function useNarrow(query = '(max-width: 700px)') {
  const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  const narrow = ref(!!(mq && mq.matches))
  const on = () => (narrow.value = !!(mq && mq.matches))
  onMounted(() => mq && mq.addEventListener && mq.addEventListener('change', on))
  onBeforeUnmount(() => mq && mq.removeEventListener && mq.removeEventListener('change', on))
  return narrow
}

// An idempotency key for one award dialog: the same award sent twice (a
// double click, a retry) is written once.
export function newKey() {
  const c = globalThis.crypto
  if (c && c.randomUUID) return c.randomUUID()
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12)
}
