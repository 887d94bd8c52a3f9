import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { makeRouter } from './router.js'
import { i18n } from './i18n/index.js'
import { installApiHooks } from './lib/apiHooks.js'
import { installPrintHeaders } from './lib/printHeaders.js'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { useSession } from './stores/session.js'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = makeRouter()
app.use(router)

// 401 anywhere: back to the login page, remembering where we were; 403
// password_change_required: to the forced change; 429: a clear message.
installApiHooks({
  router,
  session: useSession,
  notify: (m) => ElMessage({ type: 'warning', message: m, grouping: true }),
  t: i18n.global.t,
  locale: () => i18n.global.locale.value,
})

installPrintHeaders()

document.documentElement.lang = i18n.global.locale.value
app.mount('#app')
