import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session.js'
import { features } from './features/index.js'

// Each page is its own chunk: the first load carries only the layout and
// the page asked for.
const Layout = () => import('./views/MainLayout.vue')

export const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { bare: true } },
  ...features.flatMap((f) => f.publicRoutes || []),
  ...features.flatMap((f) => f.outerRoutes || []),
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'home', component: () => import('./views/NotFound.vue') }, // the guard sends it on
      ...features.flatMap((f) => f.routes || []),
      { path: ':pathMatch(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue') },
    ],
  },
]

export function makeRouter(history = createWebHistory()) {
  const router = createRouter({ history, routes })
  router.beforeEach(async (to) => {
    const s = useSession()
    if (!s.loaded) {
      try {
        await s.load()
      } catch {
        /* the server is unreachable: the login page says so */
      }
    }
    if (to.meta.public) {
      if (s.loggedIn && !s.mustChange && to.name === 'login') return to.query.redirect || s.home
      return true
    }
    if (!s.loggedIn) return { name: 'login', query: to.name !== 'home' ? { redirect: to.fullPath } : {} }
    if (s.mustChange && to.name !== 'password') return { name: 'password', query: { redirect: to.fullPath } }
    if (s.mustEnrol && to.name !== 'me' && to.name !== 'password') return { name: 'me', query: { enrol: '1' } }
    if (to.name === 'home') return { path: s.home, query: to.query }
    // a page the account may not open says so, at the address typed
    if (to.meta.need && !to.meta.need(s))
      return { name: 'notfound', params: { pathMatch: to.path.slice(1).split('/') }, query: to.query, hash: to.hash, state: { forbidden: true } }
    return true
  })
  return router
}

// Shows the not-found page in place, keeping the URL the user typed.
export function showNotFound(router, route) {
  return router.replace({
    name: 'notfound',
    params: { pathMatch: route.path.slice(1).split('/') },
    query: route.query,
    hash: route.hash,
  })
}
