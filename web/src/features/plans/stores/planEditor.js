import { defineStore } from 'pinia'
import { api, ApiError } from '../../../lib/api.js'
import { nodeBody, checkForm, formField, templateType } from '../lib/planNode.js'

// Editing a plan's tree: add, edit and delete aspects, items and
// sub-items, and import a template file. Field errors come as
// { field: message } — the console's own checks (message keys, translated
// by the caller through msg()) and the API's 422 answers (its text).
export const usePlanEditor = defineStore('planEditor', {
  state: () => ({
    saving: false,
    fieldErrors: {}, // form field → message
    error: '', // a message not tied to a field
    importResult: null, // { rows, aspects_created, … }
    importErrors: [], // [{ row, field, message }]
  }),
  actions: {
    reset() {
      this.fieldErrors = {}
      this.error = ''
    },
    // The API's error spread over the form: field errors under their
    // fields, anything else in error.
    fail(e, locale) {
      if (!(e instanceof ApiError) && !(e && e.fieldErrors)) {
        this.error = String(e)
        return
      }
      const fe = e.fieldErrors(locale)
      let placed = false
      for (const [k, m] of Object.entries(fe)) {
        const f = formField(k)
        if (f && f !== 'parent_id' && f !== 'kind' && f !== 'order') {
          this.fieldErrors[f] = this.fieldErrors[f] ? this.fieldErrors[f] + '；' + m : m
          placed = true
        }
      }
      if (!placed) this.error = e.text(locale)
    },
    // Creates (node null) or updates a node from the form. msg(key) → text
    // for the console's own checks. The node the API answered, or null.
    async save(planId, node, form, { locale = 'zh-CN', msg = (k) => k } = {}) {
      this.reset()
      const local = checkForm(form)
      if (Object.keys(local).length) {
        for (const [k, v] of Object.entries(local)) this.fieldErrors[k] = msg(v)
        return null
      }
      this.saving = true
      try {
        if (node) return await api.patch('/plans/' + planId + '/nodes/' + node.id, nodeBody(form, true))
        return await api.post('/plans/' + planId + '/nodes', nodeBody(form, false))
      } catch (e) {
        this.fail(e, locale)
        return null
      } finally {
        this.saving = false
      }
    },
    // Deletes a node with what hangs under it; true when gone. A node with
    // progress reports stays (409): error says so.
    async remove(planId, node, locale = 'zh-CN') {
      this.reset()
      this.saving = true
      try {
        await api.del('/plans/' + planId + '/nodes/' + node.id)
        return true
      } catch (e) {
        this.error = e.text ? e.text(locale) : String(e)
        return false
      } finally {
        this.saving = false
      }
    },
    // Imports a template file (.csv, .json, .xlsx) into the plan: all rows
    // or none. The result, or null with importErrors / error set.
    async importFile(planId, file, { locale = 'zh-CN', msg = (k) => k } = {}) {
      this.reset()
      this.importResult = null
      this.importErrors = []
      const type = templateType(file && file.name)
      if (!type) {
        this.error = msg('planEdit.importType')
        return null
      }
      this.saving = true
      try {
        const raw = await file.arrayBuffer()
        this.importResult = await api.post('/plans/' + planId + '/import', undefined, {
          raw,
          headers: { 'Content-Type': type },
        })
        return this.importResult
      } catch (e) {
        const zh = locale.startsWith('zh')
        this.importErrors = (e.details || []).map((d) => ({
          row: d.row || null,
          field: d.field || '',
          message: (zh && d.message_zh) || d.message || '',
        }))
        this.error = e.text ? e.text(locale) : String(e)
        return null
      } finally {
        this.saving = false
      }
    },
  },
})
