// The unread count the top bar shows, shared with the inbox page (which
// updates it when it marks entries read).
import { defineStore } from 'pinia'
import { inboxApi } from './api.js'

export const useInbox = defineStore('inbox', {
  state: () => ({ unread: 0 }),
  actions: {
    async refresh() {
      try {
        this.unread = (await inboxApi.unread()).unread || 0
      } catch {
        /* the page says more; the badge just keeps its count */
      }
    },
  },
})
