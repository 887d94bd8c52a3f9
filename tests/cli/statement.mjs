// Helpers for the statement check in tests/cli/run.sh.
//   node statement.mjs fetch URL CREDS DIR   the demo street's 对账单: DIR/statement.xlsx
//                                            and DIR/statement.json
//   node statement.mjs compare DIR           DIR/cells.tsv (changai xlsx) against
//                                            DIR/statement.json; exit 1 on a difference
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [cmd, ...args] = process.argv.slice(2);
async function fetchAll(base, creds, dir) {
  // the plan year is the server's, never this machine's
  const YEAR = Number((await (await fetch(`${base}/api/v1/clock`)).json()).today.slice(0, 4));
  const pw = readFileSync(creds, 'utf8').split('\n').map((l) => l.trim().split(/\s+/))
    .find((f) => f[1] === 'admin')[2];
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: pw }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const get = async (path) => {
    const r = await fetch(base + path, { headers: { Cookie: cookie } });
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    return r;
  };
  const plans = (await (await get('/api/v1/plans?limit=500')).json()).items;
  const plan = plans.find((p) => p.title === `甬江街道${YEAR}年产业工人队伍建设改革工作对账单`);
  if (!plan) throw new Error('the demo street statement is missing');
  const st = await (await get(`/api/v1/plans/${plan.id}/statement`)).json();
  writeFileSync(join(dir, 'statement.json'), JSON.stringify({ plan, statement: st }));
  const x = Buffer.from(await (await get(`/api/v1/plans/${plan.id}/statement.xlsx`)).arrayBuffer());
  writeFileSync(join(dir, 'statement.xlsx'), x);
  console.log(`plan ${plan.id}: ${st.rows.length} rows, ${x.length} bytes`);
}

function compare(dir) {
  const { plan, statement } = JSON.parse(readFileSync(join(dir, 'statement.json'), 'utf8'));
  const cells = new Map();
  let sheet = null;
  for (const line of readFileSync(join(dir, 'cells.tsv'), 'utf8').split('\n')) {
    if (!line) continue;
    const [ref, type, ...rest] = line.split('\t');
    if (ref === 'sheet') { sheet = type; continue; }
    const text = rest.join('\t').replace(/\\(.)/g, (_, c) => ({ t: '\t', n: '\n', r: '\r' }[c] ?? c));
    cells.set(ref, { type, text });
  }
  const fails = [];
  const eq = (what, a, b) => { if (a !== b) fails.push(`${what}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`); };
  eq('sheet name', sheet, '对账单');
  eq('title A1', cells.get('A1')?.text, `${plan.title} 对账单`);
  eq('header C3', cells.get('C3')?.text, '分项（重点工作任务）');
  // every statement row: its target, actual and completion as numbers
  const rowOf = new Map();
  for (const [ref, c] of cells) if (ref.startsWith('C') && c.type === 'string') rowOf.set(c.text, ref.slice(1));
  let checked = 0;
  for (const row of statement.rows) {
    const r = rowOf.get(row.title);
    if (!r) { fails.push(`row "${row.title}" not found`); continue; }
    const num = (col) => { const c = cells.get(`${col}${r}`); return c && (c.type === 'number' || c.type === 'percent') ? Number(c.text) : c?.text; };
    // completion is a fraction shown as a percentage (0.8 shows 80.0%)
    if (row.completion !== null && cells.get(`J${r}`)?.type !== 'percent') fails.push(`${row.title} completion is not a percent cell`);
    if (row.target && row.target.milestone) eq(`${row.title} target`, num('G'), '里程碑');
    else eq(`${row.title} target`, num('G'), row.target.value);
    if (typeof row.actual === 'number' && !(row.target && row.target.milestone)) eq(`${row.title} actual`, num('I'), row.actual);
    eq(`${row.title} completion`, num('J'), row.completion);
    checked++;
  }
  if (checked < 10) fails.push(`only ${checked} rows checked`);
  if (fails.length) {
    console.log(fails.slice(0, 20).join('\n'));
    process.exit(1);
  }
  console.log(`${checked} rows match the JSON statement`);
}

if (cmd === 'fetch') await fetchAll(args[0], args[1], args[2]);
else if (cmd === 'compare') compare(args[0]);
else { console.error('usage: node statement.mjs fetch URL CREDS DIR | compare DIR'); process.exit(2); }
