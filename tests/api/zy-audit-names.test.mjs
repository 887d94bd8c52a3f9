// Every audit action has its name for people (中文 and English), from
// each module's descriptor: after every other test file has written its
// actions, each row of the trail carries a name, and the catalogue the
// console's filter reads lists them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, assertError } from './lib.mjs';

let auditor, jiangbei;

before(async () => {
  auditor = await login('auditor');
  jiangbei = await login('jiangbei');
});

test('every action in the trail has its name, and the catalogue lists them', async () => {
  const r = await auditor.get('/api/v1/audit/actions');
  assert.equal(r.status, 200, r.text);
  const names = Object.fromEntries(r.json.items.map((a) => [a.action, a]));
  assert.equal(names['points.award'].zh, '手动加减分');
  assert.equal(names['org.create'].zh, '新增单位');
  assertError(await jiangbei.get('/api/v1/audit/actions'), 403, 'forbidden');
  // what the demo and the tests before this one wrote: each action named
  let after = '';
  const seen = new Set();
  for (let page = 0; page < 20; page++) {
    const t = await auditor.get(`/api/v1/audit?limit=500${after ? `&after=${after}` : ''}`);
    assert.equal(t.status, 200, t.text);
    for (const e of t.json.items) {
      seen.add(e.action);
      assert.ok(names[e.action], `the action ${e.action} has a name`);
      assert.equal(e.action_zh, names[e.action].zh);
    }
    if (!t.json.next) break;
    after = t.json.next;
  }
  assert.ok(seen.size >= 5, [...seen].join(' '));
});
