// Element's tables draw their header as a table of its own above the
// body's, so a table that runs over several sheets would print its header
// on the first only. While printing, a copy of each header goes into its
// body's table as a <thead>, which the browser repeats on every sheet; the
// copies go again after. Only at print time: the tables are Vue's, and a
// foreign node kept in them between renders would be in the way.
export function addPrintHeaders(doc = document) {
  for (const table of doc.querySelectorAll('.el-table')) {
    const head = table.querySelector('.el-table__header-wrapper thead')
    const body = table.querySelector('.el-table__body-wrapper table')
    if (!head || !body || body.querySelector(':scope > thead.print-head')) continue
    const copy = head.cloneNode(true)
    copy.classList.add('print-head')
    body.insertBefore(copy, body.querySelector(':scope > tbody'))
    table.classList.add('print-headed')
  }
}

export function removePrintHeaders(doc = document) {
  for (const copy of doc.querySelectorAll('thead.print-head')) copy.remove()
  for (const table of doc.querySelectorAll('.print-headed')) table.classList.remove('print-headed')
}

// start() as the page goes to paper, end() after. The print dialog sends
// beforeprint; a print to PDF may only switch the media, so both are
// heard. Returns what stops listening.
export function onPrint(start, end = () => {}, win = window) {
  const media = win.matchMedia ? win.matchMedia('print') : null
  const change = (e) => (e.matches ? start() : end())
  win.addEventListener('beforeprint', start)
  win.addEventListener('afterprint', end)
  if (media && media.addEventListener) media.addEventListener('change', change)
  return () => {
    win.removeEventListener('beforeprint', start)
    win.removeEventListener('afterprint', end)
    if (media && media.removeEventListener) media.removeEventListener('change', change)
  }
}

export function installPrintHeaders(win = window) {
  return onPrint(() => addPrintHeaders(win.document), () => removePrintHeaders(win.document), win)
}
