import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { makeRouter } from './router.js'
import { i18n } from './i18n/index.js'
import { onApi } from './lib/api.js'
import { useSession } from './stores/session.js'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = makeRouter()
app.use(router)

// 401 anywhere: back to the login page, remembering where we were.
onApi('unauthenticated', () => {
  const s = useSession()
  const wasIn = s.loggedIn
  s.clear(wasIn ? 'expired' : null)
  const cur = router.currentRoute.value
  if (cur.name !== 'login') router.replace({ name: 'login', query: { redirect: cur.fullPath } })
})
// 403 password_change_required: to the forced change.
onApi('passwordChange', () => {
  const s = useSession()
  s.mustChange = true
  const cur = router.currentRoute.value
  if (cur.name !== 'password') router.replace({ name: 'password', query: { redirect: cur.fullPath } })
})
onApi('activity', () => useSession().touch())

document.documentElement.lang = i18n.global.locale.value
app.mount('#app')
