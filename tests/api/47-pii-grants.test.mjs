// pii is a property of one grant, and only of a grant that reads the
// roster (admin, operator, viewer): a viewer grant without it and a
// department grant with it on the same org list and export masked.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, orgId, createUser, assertError, sql, grant } from './lib.mjs';

let sec, jb, district;
before(async () => {
  sec = await login('secadmin');
  jb = await login('jiangbei');
  district = await orgId(jb, '江北区');
});

test('pii goes only on admin, operator and viewer grants', async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: district });
  for (const role of ['department', 'expert']) {
    const r = await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: district, role, pii: true });
    assertError(r, 422, 'validation_failed', 'pii');
  }
  const ok = await grant(sec, u.id, { org_id: district, role: 'operator', pii: true });
  assert.equal(ok.grant.pii, true);
});

test("one grant's pii does not unmask what another grant reads", async () => {
  const u = await createUser(sec, { role: 'viewer', org_id: district });
  const g = await sec.post(`/api/v1/users/${u.id}/grants`, { org_id: district, role: 'department' });
  assert.equal(g.status, 201, g.text);
  // as a store from before the rule might hold it
  sql(`UPDATE grants SET pii = 1 WHERE user_id = ${u.id} AND role = 'department'`);
  const c = await login(u.username, u.password);
  await c.stepUp(u.password);
  const list = await c.get(`/api/v1/workers?org=${district}&limit=20&unmask=1&purpose=check`);
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.length > 0, 'the district has workers');
  for (const w of list.json.items) assert.match(w.id_no, /\*/, 'masked');
  const one = await c.get(`/api/v1/workers/${list.json.items[0].id}?unmask=1&purpose=check`);
  assert.match(one.json.id_no, /\*/);
});
