// Seeds the demo store through the API: the demo city's named streets
// (甬江街道, 庄桥街道) start without workers; these tests register a few
// in their enterprises, as an enterprise union would.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, creds, idNo } from './lib.mjs'

const c = creds()

test('the test run logs in often from one address: raise the per-minute login limit', async () => {
  const sec = await apiLogin('secadmin', c.secadmin.pass)
  const r = await sec.call('PATCH', '/settings', { login_ip_per_minute: 1000 })
  assert.equal(r.status, 200, JSON.stringify(r.body))
})

test('register workers in the enterprises of 庄桥街道 and 甬江街道', async () => {
  const admin = await apiLogin('admin', c.admin.pass)
  const kids = async (id) => (await admin.call('GET', '/orgs?parent=' + id)).body.items
  const streets = (await kids(2)).filter((o) => o.name === '庄桥街道' || o.name === '甬江街道')
  assert.equal(streets.length, 2)
  let seq = 1
  for (const s of streets) {
    for (const e of await kids(s.id)) {
      for (let i = 0; i < 4; i++, seq++) {
        const r = await admin.call('POST', '/workers', {
          org_id: e.id,
          name: s.name.slice(0, 2) + '职工' + seq,
          id_no: idNo('330102', '1980' + String(1 + (seq % 12)).padStart(2, '0') + '15', seq),
          skill_level: seq % 9,
          union_member: seq % 3 !== 0,
          hired: '2010-03-01',
          occupation: '钳工',
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
      }
    }
  }
})
