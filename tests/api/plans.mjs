// Helpers for the plan tests (55-5x): fixtures through the API, and the
// rules of DOMAIN.md "Plans" written again here, independently of the
// server, so a statement can be recomputed from its reports.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { today } from './lib.mjs';

export const YEAR = Number(today().slice(0, 4));

export function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

// ---- dates ----
export function dayNum(s) {
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86400000;
}
export function addDays(s, n) {
  return new Date((dayNum(s) + n) * 86400000).toISOString().slice(0, 10);
}
// A date inside the plan year, n days from today, kept inside the year.
export function inYear(n) {
  const d = addDays(today(), n);
  if (d < `${YEAR}-01-01`) return `${YEAR}-01-01`;
  if (d > `${YEAR}-12-31`) return `${YEAR}-12-31`;
  return d;
}

// ---- the rules ----
export const e4 = (v) => Math.round(v * 10000);
export function completion(target, actual, done, have) {
  if (target.milestone) return have && done ? 1 : 0;
  const t = e4(target.value);
  if (t <= 0) return 1;
  if (!have || actual <= 0) return 0;
  return Math.min(1, e4(actual) / t);
}
export function expected(year, deadline, asOf) {
  const s = dayNum(`${year}-01-01`), d = dayNum(deadline), a = dayNum(asOf);
  if (d <= s) return 1;
  return Math.min(1, Math.max(0, (a - s) / (d - s)));
}
export function status(year, deadline, asOf, soon, c, started) {
  if (c >= 1) return 'green';
  const d = dayNum(deadline), a = dayNum(asOf);
  if (a > d) return 'red';
  if (d - a <= soon && c < expected(year, deadline, asOf)) return 'yellow';
  return started ? 'green' : 'grey';
}
export function outcome(st, c) {
  if (c >= 1) return 'done';
  return st === 'red' ? 'overdue' : 'in_progress';
}
export const round4 = (c) => (c > 0 ? (c >= 1 ? 1 : Math.round(c * 10000) / 10000) : 0);

class Roll {
  constructor() { this.wsum = 0; this.wc = 0; this.n = 0; this.red = 0; this.yellow = 0; this.grey = 0; this.out = { done: 0, in_progress: 0, overdue: 0 }; }
  add(w, c, st) {
    this.wsum += w; this.wc += w * c; this.n++;
    if (st === 'red') this.red++;
    if (st === 'yellow') this.yellow++;
    if (st === 'grey') this.grey++;
    this.out[outcome(st, c)]++;
  }
  get completion() { return this.n === 0 || this.wsum <= 0 ? 0 : Math.min(1, this.wc / this.wsum); }
  get status() {
    if (this.red) return 'red';
    if (this.yellow) return 'yellow';
    if (this.grey === this.n) return 'grey';
    return 'green';
  }
}

// Every report of a plan the client sees (all pages).
export async function allReports(client, planId) {
  const out = [];
  let after = '';
  for (;;) {
    const r = await client.get(`/api/v1/plans/${planId}/reports?limit=500${after}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items);
    if (!r.json.next) break;
    after = `&after=${r.json.next}`;
  }
  return out;
}

// Recomputes what a statement must say from the tree (structure, targets,
// weights) and the reports alone. metricActual(row) gives computed actuals.
export function recompute({ tree, reports, asOf, soon, year, metricActual }) {
  const byNode = new Map();
  for (const r of reports) {
    if (r.as_of > asOf) continue;
    if (!byNode.has(r.node_id)) byNode.set(r.node_id, []);
    byNode.get(r.node_id).push(r);
  }
  const rows = [];
  const plan = new Roll();
  const levels = { aspect: new Roll(), item: new Roll(), subitem: new Roll() };
  const areas = [];
  for (const a of tree.nodes) {
    const ar = new Roll();
    let aSub = 0;
    for (const it of a.children) {
      const ir = new Roll();
      for (const s of it.children) {
        const list = (byNode.get(s.id) || []).slice().sort((x, y) => (x.as_of < y.as_of ? -1 : x.as_of > y.as_of ? 1 : x.id - y.id));
        const counted = list.filter((r) => r.state !== 'returned');
        const last = counted[counted.length - 1];
        let have = !!last, actual = last ? (last.value ?? 0) : 0, done = last ? !!last.done : false;
        let started = have;
        if (s.metric !== 'manual') {
          actual = metricActual(s);
          have = true;
          started = actual > 0;
        }
        const c = completion(s.target, actual, done, have);
        const st = status(year, s.deadline, asOf, soon, c, started);
        rows.push({ node_id: s.id, completion: round4(c), status: st, actual: have ? (s.target.milestone ? (done ? 1 : 0) : actual) : null, last_any: list[list.length - 1] || null, reports: list.length, weight: s.weight });
        ir.add(s.weight, c, st);
        levels.subitem.add(1, c, st);
      }
      if (ir.n === 0) continue;
      ar.add(it.weight, ir.completion, ir.status);
      levels.item.add(1, ir.completion, ir.status);
      aSub += ir.n;
    }
    areas.push({ node_id: a.id, completion: round4(ar.completion), status: ar.status, items: ar.n, subitems: aSub });
    if (ar.n === 0) continue;
    plan.add(a.weight, ar.completion, ar.status);
    levels.aspect.add(1, ar.completion, ar.status);
  }
  return { rows, plan: { completion: round4(plan.completion), status: plan.status }, levels, areas };
}

// Compares a statement from the server with a recomputation.
export function assertStatement(st, exp) {
  assert.equal(st.rows.length, exp.rows.length, 'one row per sub-item');
  const byId = new Map(st.rows.map((r) => [r.node_id, r]));
  for (const e of exp.rows) {
    const r = byId.get(e.node_id);
    assert.ok(r, `row ${e.node_id}`);
    assert.equal(r.completion, e.completion, `completion of ${r.no} ${r.title}`);
    assert.equal(r.status, e.status, `status of ${r.no} ${r.title}`);
    assert.equal(r.actual, e.actual, `actual of ${r.no} ${r.title}`);
    assert.equal(r.reports, e.reports, `report count of ${r.no}`);
    if (e.last_any) {
      assert.equal(r.last_report.id, e.last_any.id, `last report of ${r.no}`);
      assert.equal(r.last_report.as_of, e.last_any.as_of);
      assert.equal(r.last_report.state, e.last_any.state);
    } else {
      assert.equal(r.last_report, null);
    }
  }
  assert.equal(st.totals.plan.completion, exp.plan.completion, 'plan completion');
  assert.equal(st.totals.plan.status, exp.plan.status, 'plan status');
  for (const k of ['aspect', 'item', 'subitem']) {
    const L = st.totals.levels[k], R = exp.levels[k];
    assert.equal(L.count, R.n, `${k} count`);
    assert.equal(L.done, R.out.done, `${k} done`);
    assert.equal(L.in_progress, R.out.in_progress, `${k} in progress`);
    assert.equal(L.overdue, R.out.overdue, `${k} overdue`);
  }
  for (const a of exp.areas) {
    const s = st.totals.areas.find((x) => x.node_id === a.node_id);
    assert.ok(s, `area ${a.node_id}`);
    assert.equal(s.completion, a.completion, `area ${s.title} completion`);
    assert.equal(s.status, a.status, `area ${s.title} status`);
    assert.equal(s.items, a.items);
    assert.equal(s.subitems, a.subitems);
  }
  const sub = st.totals.levels.subitem;
  assert.equal(st.totals.summary,
    `${st.totals.levels.aspect.count} 方面 ${st.totals.levels.item.count} 大项 ${sub.count} 分项：完成 ${sub.done}，进行中 ${sub.in_progress}，逾期 ${sub.overdue}`);
}

// ---- fixtures ----
export async function createPlan(client, fields) {
  const r = await client.post('/api/v1/plans', { year: YEAR, ...fields });
  assert.equal(r.status, 201, `create plan: ${r.status} ${r.text}`);
  return r.json;
}
export async function addNode(client, planId, fields) {
  const r = await client.post(`/api/v1/plans/${planId}/nodes`, fields);
  assert.equal(r.status, 201, `add node ${JSON.stringify(fields)}: ${r.status} ${r.text}`);
  return r.json;
}
export async function report(client, planId, nodeId, body) {
  const r = await client.post(`/api/v1/plans/${planId}/nodes/${nodeId}/reports`, body);
  assert.equal(r.status, 201, `report: ${r.status} ${r.text}`);
  return r.json;
}
