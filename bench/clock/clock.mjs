// The monotonic clock's cost per call (part perfclock, issue 14 §3): @agentkit/core's
// monotonicNowMs() (packages/core/src/time/monotonic-clock.ts, from the build) against
// `performance.now()` and the other clocks Node offers. Each clock runs in a child process of its
// own (so none loads what another needs: `performance` loads node:perf_hooks), a hot loop of
// --calls readings summed, as a hot path calls it (the caller optimised by V8):
//   - CPU per call (user + system of the loop, after a warm-up of the same length), ns;
//   - V8's scavenges during the loop (`--trace-gc`, the new space held at 1 MiB), and so about
//     what the loop allocates per call (a scavenge per MiB; a few in all means nothing per call:
//     the pair process.hrtime() returns is removed by V8's escape analysis);
//   - the precision: the smallest non-zero step between two readings seen in the loop, ns.
// Medians over --runs (runs of all clocks alternated).
// Usage: npm run build && node bench/clock/clock.mjs [--calls 20000000] [--runs 3]
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monotonicNowMs } from '../../packages/core/dist/time/monotonic-clock.js';
import { childEnv } from '../support/child-env.mjs';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000000' }, runs: { type: 'string', default: '3' }, child: { type: 'string' } } });
const calls = Number(values.calls);

const CLOCKS = {
  'monotonicNowMs() (core)': monotonicNowMs,
  'performance.now()': () => performance.now(),
  'process.uptime() * 1000': () => process.uptime() * 1000,
  'Number(process.hrtime.bigint()) / 1e6': () => Number(process.hrtime.bigint()) / 1e6,
  'Date.now()': () => Date.now(),
};

if (values.child !== undefined) {
  const clock = CLOCKS[values.child];
  // The sum kept in a Float64Array: a plain `let` would be boxed at each addition in some runs.
  const acc = new Float64Array(1);
  const loop = () => {
    for (let i = 0; i < calls; i++) acc[0] += clock();
    return acc[0];
  };
  // The smallest step: consecutive readings, a short loop of its own (its doubles are boxed).
  let step = Infinity;
  for (let i = 0, last = clock(); i < 100_000; i++) {
    const t = clock();
    if (t > last && t - last < step) step = t - last;
    last = t;
  }
  loop(); // warm-up: the loop and the clock optimised
  process.stdout.write('--- measured\n');
  const before = process.cpuUsage();
  const sum = loop();
  const cpu = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ nsPerCall: ((cpu.user + cpu.system) * 1000) / calls, stepNs: step * 1e6, sum })}\n`);
} else {
  const runs = Number(values.runs);
  const results = Object.fromEntries(Object.keys(CLOCKS).map((name) => [name, []]));
  for (let r = 0; r < runs; r++) {
    for (const name of Object.keys(CLOCKS)) {
      const out = spawnSync(process.execPath, ['--trace-gc', '--max-semi-space-size=1', fileURLToPath(import.meta.url), '--child', name, '--calls', String(calls)], { env: childEnv(), encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
      const measured = out.stdout.slice(out.stdout.indexOf('--- measured\n'));
      const scavenges = (measured.match(/Scavenge/g) ?? []).length;
      const json = JSON.parse(measured.split('\n').filter((l) => l.startsWith('{')).pop());
      results[name].push({ ...json, scavenges });
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? ''}); ${new Date().toISOString()}; ${calls} calls a run, ${runs} runs each, medians`);
  console.log('\n| clock | CPU per call, ns | scavenges in the loop | ≈ bytes allocated per call | smallest step seen, ns |\n|---|---|---|---|---|');
  for (const [name, rs] of Object.entries(results)) {
    console.log(`| ${name} | ${median(rs.map((x) => x.nsPerCall)).toFixed(1)} (${rs.map((x) => x.nsPerCall.toFixed(1)).join(', ')}) | ${median(rs.map((x) => x.scavenges))} | ${((median(rs.map((x) => x.scavenges)) * 2 ** 20) / calls).toFixed(1)} | ${median(rs.map((x) => x.stepNs)).toFixed(0)} |`);
  }
}
