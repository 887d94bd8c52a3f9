// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest'
import { addPrintHeaders, removePrintHeaders } from '../../src/lib/printHeaders.js'

const TABLE = `<div class="el-table"><div class="el-table__inner-wrapper">
  <div class="el-table__header-wrapper"><table><thead><tr><th>任务</th><th>目标</th></tr></thead></table></div>
  <div class="el-table__body-wrapper"><table><colgroup></colgroup><tbody><tr><td>1.1</td><td>90%</td></tr></tbody></table></div>
</div></div>`

describe('print headers', () => {
  it('puts a copy of each header into its body table, once, and takes it out', () => {
    document.body.innerHTML = TABLE + TABLE
    addPrintHeaders(document)
    addPrintHeaders(document)
    const bodies = document.querySelectorAll('.el-table__body-wrapper table')
    for (const b of bodies) {
      const heads = b.querySelectorAll(':scope > thead.print-head')
      expect(heads.length).toBe(1)
      expect(heads[0].textContent).toBe('任务目标')
      // before the rows, so the browser repeats it above them
      expect(b.children[1].tagName).toBe('THEAD')
      expect(b.children[2].tagName).toBe('TBODY')
    }
    expect(document.querySelectorAll('.print-headed').length).toBe(2)
    removePrintHeaders(document)
    expect(document.querySelectorAll('thead.print-head').length).toBe(0)
    expect(document.querySelectorAll('.print-headed').length).toBe(0)
    // the screen's own headers are untouched
    expect(document.querySelectorAll('.el-table__header-wrapper thead').length).toBe(2)
  })
})
