// What the console does when the API says the session is over or the
// caller is throttled, wherever the call came from:
//   401  the session expired (idle timeout, logged out elsewhere, deleted
//        by the security admin): back to the login page with the page
//        remembered (?redirect=), which then says why
//   403 password_change_required: to the forced password change
//   403 second_factor_enrolment_required: to 我的账号 to enrol an authenticator
//   429  a clear message with the wait (at most one every few seconds)
import { onApi } from './api.js'

export function installApiHooks({ router, session, notify, t, locale, now = () => Date.now() }) {
  onApi('unauthenticated', () => {
    const s = session()
    const wasIn = s.loggedIn
    s.clear(wasIn ? 'expired' : null)
    const cur = router.currentRoute.value
    if (cur.name !== 'login') router.replace({ name: 'login', query: cur.meta && cur.meta.public ? {} : { redirect: cur.fullPath } })
  })
  onApi('passwordChange', () => {
    const s = session()
    s.mustChange = true
    const cur = router.currentRoute.value
    if (cur.name !== 'password') router.replace({ name: 'password', query: { redirect: cur.fullPath } })
  })
  onApi('enrolment', () => {
    const s = session()
    s.mustEnrol = true
    const cur = router.currentRoute.value
    if (cur.name !== 'me') router.replace({ name: 'me', query: { enrol: '1' } })
  })
  let last = -Infinity
  onApi('throttled', (err) => {
    if (now() - last < 3000) return
    last = now()
    notify(err.retryAfter ? t('app.throttled', { s: err.retryAfter }) : err.text(locale()))
  })
  onApi('activity', () => session().touch())
}
