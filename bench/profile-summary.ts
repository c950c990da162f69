// Summarises V8 .cpuprofile files (from `npm run bench -- --cpu-prof DIR`):
// self time by function, by file and by package/area, plus inclusive
// ("total") time of Shomei's own functions, all as % of non-idle samples.
//
//   node --import tsx bench/profile-summary.ts DIR|FILE... [--top N] [--json]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values: opts, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' }, json: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const TOP = Number(opts.top);

function profileFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p)) if (f.endsWith('.cpuprofile')) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

const REPO = resolve(import.meta.dirname, '..');

/** Short, stable location: src/… for Shomei's dist/, node_modules/<pkg>/…, node:…. */
function shortUrl(url: string): string {
  if (url === '') return '';
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(REPO + '/')) u = u.slice(REPO.length + 1);
  u = u.replace(/^dist\/(.*)\.js$/, 'src/$1.ts');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) u = u.slice(nm);
  return u;
}

/** Coarse area: Shomei directory, npm package, Node internals, or V8 pseudo-frames. */
function area(url: string, fn: string): string {
  const u = shortUrl(url);
  if (u === '') return fn.startsWith('(') ? fn : '(native)';
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (m) return `npm:${m[1]}`;
  if (u.startsWith('node:')) return `node:${u.slice(5).split('/')[0]}`;
  const s = /^src\/([^/]+)\//.exec(u);
  if (s) return `shomei:src/${s[1]}`;
  return u;
}

const files = profileFiles(positionals.length > 0 ? positionals : ['.']);
if (files.length === 0) {
  process.stderr.write('no .cpuprofile files found\n');
  process.exit(2);
}

const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
const selfByArea = new Map<string, number>();
const totalByFn = new Map<string, number>();
let totalMs = 0;
let idleMs = 0;
const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);

for (const file of files) {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  // Self time per node: each sample's following time delta (V8's own convention).
  const selfUs = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i + 1] ?? 0;
    add(selfUs, prof.samples[i] as number, dt);
  }
  const key = (n: ProfileNode) => {
    const f = n.callFrame;
    const loc = shortUrl(f.url);
    return `${f.functionName || '(anonymous)'}${loc ? ` ${loc}:${f.lineNumber + 1}` : ''}`;
  };
  // DFS from the root carrying the multiset of function keys on the stack (inclusive time without double counting recursion).
  const onStack = new Map<string, number>();
  const root = prof.nodes[0] as ProfileNode;
  const visit = (n: ProfileNode) => {
    const k = key(n);
    const f = n.callFrame;
    const us = selfUs.get(n.id) ?? 0;
    const ms = us / 1000;
    totalMs += ms;
    if (f.functionName === '(idle)') idleMs += ms;
    else {
      add(selfByFn, k, ms);
      add(selfByFile, shortUrl(f.url) || f.functionName, ms);
      add(selfByArea, area(f.url, f.functionName), ms);
    }
    onStack.set(k, (onStack.get(k) ?? 0) + 1);
    if (f.functionName !== '(idle)' && ms > 0) for (const s of onStack.keys()) add(totalByFn, s, ms);
    for (const c of n.children ?? []) {
      const child = byId.get(c);
      if (child) visit(child);
    }
    const left = (onStack.get(k) ?? 1) - 1;
    if (left === 0) onStack.delete(k);
    else onStack.set(k, left);
  };
  visit(root);
}

const busy = totalMs - idleMs;
const top = (m: Map<string, number>, n = TOP, filter: (k: string) => boolean = () => true) =>
  [...m.entries()]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => ({ name: k, ms: Math.round(v), pct: Math.round((1000 * v) / busy) / 10 }));

const summary = {
  files,
  wallMs: Math.round(totalMs),
  busyMs: Math.round(busy),
  idlePct: Math.round((1000 * idleMs) / totalMs) / 10,
  byArea: top(selfByArea, 40),
  byFile: top(selfByFile),
  selfByFunction: top(selfByFn),
  // Inclusive time of Shomei's own functions (where the CPU goes below each of them).
  totalByShomeiFunction: top(totalByFn, TOP, (k) => / src\//.test(k)),
};

if (opts.json) {
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
} else {
  const w = process.stdout.write.bind(process.stdout);
  w(`${files.length} profile(s); ${summary.wallMs} ms sampled, ${summary.busyMs} ms busy (idle ${summary.idlePct}%)\n`);
  const table = (title: string, rows: { name: string; ms: number; pct: number }[]) => {
    w(`\n== ${title} (% of busy) ==\n`);
    for (const r of rows) w(`${r.pct.toFixed(1).padStart(6)}%  ${String(r.ms).padStart(7)} ms  ${r.name}\n`);
  };
  table('self time by area', summary.byArea);
  table('self time by file', summary.byFile);
  table('self time by function', summary.selfByFunction);
  table('total (inclusive) time of Shomei functions', summary.totalByShomeiFunction);
}
