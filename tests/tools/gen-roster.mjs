// Writes a roster CSV as Chinese Excel would: N rows with valid, distinct ID
// numbers. Deterministic for a given N and seed.
//   node tests/tools/gen-roster.mjs N ORG_NAME [--gbk] [--seed S] > file.csv
// ORG_NAME fills 所在单位 (empty string: column left out).
import { writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const args = process.argv.slice(2);
const n = Number(args[0] || 1000);
const org = args[1] ?? '';
const gbk = args.includes('--gbk');
const seedAt = args.indexOf('--seed');
let seed = BigInt(seedAt >= 0 ? args[seedAt + 1] : 20231122);

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹';
const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏波斌宇浩凯健俊';
const levels = ['', '学徒工', '初级工', '中级工', '高级工', '技师', '高级技师', '特级技师', '首席技师'];
function rand() {
  seed ^= seed << 13n; seed &= (1n << 64n) - 1n;
  seed ^= seed >> 7n;
  seed ^= seed << 17n; seed &= (1n << 64n) - 1n;
  return Number(seed % 1000000007n);
}
function id(i) {
  // one-to-one in i: 40 years of days × 1,000 sequence numbers
  const day = (i * 7919) % 14600;
  const seq = Math.floor(i / 14600) % 1000;
  const d = new Date(Date.UTC(1965, 0, 1) + day * 86400000);
  const b = d.toISOString().slice(0, 10).replaceAll('-', '');
  const f = `330205${b}${String(seq).padStart(3, '0')}`;
  let s = 0;
  for (let k = 0; k < 17; k++) s += Number(f[k]) * W[k];
  return f + '10X98765432'[s % 11];
}
const head = ['姓名', '身份证号', '技能等级', '是否工会会员', '手机号', '工种', '入职日期'];
if (org) head.splice(2, 0, '所在单位');
const out = [];
out.push(gbk ? '' : '\uFEFF');
out.push(head.join(',') + '\r\n');
let chunk = out.join('');
function flush(force) {
  if (chunk.length > (1 << 20) || force) {
    const buf = gbk ? execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: chunk, maxBuffer: 1 << 30 })
      : Buffer.from(chunk, 'utf8');
    writeSync(1, buf);
    chunk = '';
  }
}
for (let i = 0; i < n; i++) {
  const r = rand();
  const name = surnames[r % surnames.length] + given[(r >> 5) % given.length] + (r % 3 ? given[(r >> 10) % given.length] : '');
  const idno = id(i);
  // hired at twenty, and never later than 2024
  const hired = `${Math.min(Number(idno.slice(6, 10)) + 20, 2024)}-06-01`;
  const row = [name, idno, levels[r % 9], r % 7 ? '是' : '否', r % 4 ? `13${String(r % 1000000000).padStart(9, '0')}` : '', '数控车工', hired];
  if (org) row.splice(2, 0, org);
  chunk += row.join(',') + '\r\n';
  flush(false);
}
flush(true);
