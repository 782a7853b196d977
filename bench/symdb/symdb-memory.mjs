// SymDB memory: streaming encoder vs a naive one (collect every scope, JSON.stringify, gzip).
//
//   npx tsc -b packages/symdb && node bench/symdb/symdb-memory.mjs [--runs 3] [--modes extract,stream,naive,process]
//
// Inputs: generated trees of 10 MB and 100 MB (bench/symdb/generate-tree.mjs, cached in the
// OS temp dir) and a real code base, node_modules/typescript. Every measurement runs in its own
// child process; "extract" parses and drops (the parser's share, common to both encoders).
// Prints the median of --runs runs of each. Targets (issue 8): stream peak ≥ 60 % below
// naive; stream peak grows ≤ 10 % from 10 MB to 100 MB. "process" is the shipped default (issue
// 14): the same encoder, the parsing in recycled child processes; its peak RSS is this process
// alone, and the parser processes' largest RSS is printed beside it.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate-tree.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const modesArg = process.argv.indexOf('--modes');
const MODES = modesArg > 0 ? process.argv[modesArg + 1].split(',') : ['extract', 'stream', 'naive', 'process'];
const inputsArg = process.argv.indexOf('--inputs');
const ONLY_INPUTS = inputsArg > 0 ? process.argv[inputsArg + 1].split(',') : undefined;
const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..', '..');
const base = join(tmpdir(), 'agentkit-symdb-bench');

const inputs = [
  ['generated 10 MB', () => generateTree(base, 10e6), '10mb'],
  ['generated 100 MB', () => generateTree(base, 100e6), '100mb'],
  ['node_modules/typescript', () => join(repo, 'node_modules', 'typescript'), 'typescript'],
].filter(([, , id]) => ONLY_INPUTS === undefined || ONLY_INPUTS.includes(id));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (b) => (b / 2 ** 20).toFixed(1);

function measure(mode, dir) {
  const out = execFileSync(process.execPath, [join(here, 'measure-child.mjs'), mode, dir], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const results = {};
console.log(`node ${process.version}, ${RUNS} run(s) each, medians; MiB`);
console.log('input                     | mode    | peak RSS | peak heap | time ms | scopes  | batches | gzip MiB | parser processes, their peak RSS');
for (const [name, dirOf] of inputs) {
  const dir = dirOf();
  results[name] = {};
  for (const mode of MODES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(measure(mode, dir));
    const r = {
      rss: median(runs.map((x) => x.peakRssBytes)),
      heap: median(runs.map((x) => x.peakHeapBytes)),
      ms: median(runs.map((x) => x.durationMs)),
      scopes: runs[0].scopes, batches: runs[0].batches, gzip: runs[0].gzipBytes,
      processes: runs[0].parserProcesses, childRss: runs[0].parserPeakRssBytes === undefined ? undefined : median(runs.map((x) => x.parserPeakRssBytes)),
    };
    results[name][mode] = r;
    const child = r.processes === undefined ? '' : `${r.processes}, ${mib(r.childRss)}`;
    console.log(`${name.padEnd(25)} | ${mode.padEnd(7)} | ${mib(r.rss).padStart(8)} | ${mib(r.heap).padStart(9)} | ${String(r.ms).padStart(7)} | ${String(r.scopes).padStart(7)} | ${String(r.batches).padStart(7)} | ${mib(r.gzip).padStart(8)} | ${child}`);
  }
}

console.log('\nstream vs naive (peak RSS / peak heap; "above extract" subtracts the parser-only run):');
for (const [name, r] of Object.entries(results)) {
  if (r.stream === undefined || r.naive === undefined || r.extract === undefined) continue;
  const pct = (a, b) => `${(100 * (1 - a / b)).toFixed(0)} % below`;
  const above = (m, k) => Math.max(0, r[m][k] - r.extract[k]);
  console.log(`  ${name}: RSS ${pct(r.stream.rss, r.naive.rss)}, heap ${pct(r.stream.heap, r.naive.heap)}; above extract: RSS ${mib(above('stream', 'rss'))} vs ${mib(above('naive', 'rss'))} MiB, heap ${mib(above('stream', 'heap'))} vs ${mib(above('naive', 'heap'))} MiB`);
}
for (const mode of ['stream', 'process']) {
  const s10 = results['generated 10 MB']?.[mode];
  const s100 = results['generated 100 MB']?.[mode];
  if (s10 === undefined || s100 === undefined) continue;
  console.log(`\n${mode} growth 10 MB → 100 MB: RSS ${(100 * (s100.rss / s10.rss - 1)).toFixed(1)} %, heap ${(100 * (s100.heap / s10.heap - 1)).toFixed(1)} %`);
}
