// 花名册: the worker registry (list, one worker, register and edit) and its
// imports.
import messages from './messages.js'

export default {
  name: 'workers',
  messages,
  routes: [
    { path: 'workers', name: 'workers', component: () => import('./WorkersView.vue'), meta: { need: (s) => s.canReadWorkers } },
    { path: 'workers/new', name: 'worker-new', component: () => import('./WorkerEdit.vue'), meta: { need: (s) => s.canWriteWorkers } },
    { path: 'workers/:id(\\d+)', name: 'worker', component: () => import('./WorkerView.vue'), meta: { need: (s) => s.canReadWorkers } },
    { path: 'workers/:id(\\d+)/edit', name: 'worker-edit', component: () => import('./WorkerEdit.vue'), meta: { need: (s) => s.canWriteWorkers } },
    { path: 'import', name: 'import', component: () => import('./ImportView.vue'), meta: { need: (s) => s.canWriteWorkers } },
  ],
  nav: [
    { to: '/workers', key: 'workers', show: (s) => s.canReadWorkers },
    { to: '/import', key: 'import', show: (s) => s.canWriteWorkers },
  ],
}
