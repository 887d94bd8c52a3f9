// The calendar's API calls.
import { api, request } from '../../lib/api.js'

export const calendarApi = {
  year: (year) => api.get('/calendar', { year }),
  years: () => api.get('/calendar/years'),
  save: (year, days) => api.put('/calendar/' + year, { days }),
  importFile: async (year, file) =>
    request('PUT', '/calendar/' + year, {
      raw: await file.arrayBuffer(),
      headers: { 'Content-Type': file.name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv' },
    }),
}

// A template file officials fill in Excel: UTF-8 with a BOM so Excel reads
// the Chinese headers.
export function templateCsv(year) {
  return '\uFEFF日期,类型,名称\r\n' + `${year}-01-01,放假,元旦\r\n${year}-10-01,放假,国庆节\r\n`
}
