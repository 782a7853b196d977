// The wrapper's memory with `logs_enabled` (issue 16, "the wrapped program's logs"): the peak
// resident set of `agentkit exec` itself (not its program), sampled from /proc/<pid>/status
// (VmHWM) every 5 ms, while the program writes N MB of 100-byte lines on stdout as fast as it
// can and the logs go to a local intake in this process. Cases, each run interleaved over the
// trees given (a baseline build and this one, in the same run):
//   fast     the intake answers at once; the lines repeat (as bench/exec-logs/exec-logs.mjs's)
//   random   the intake answers at once; each line carries 32 random hex digits (compresses ~2×)
//   slow     random lines, and the intake answers every request after --delay-ms (a remote
//            intake's round trip): payloads wait for their answers
// Every run counts the lines that did not reach the intake (the wrapper counts and names them). CPU is the wrapper's user + system time
// (/proc/<pid>/stat, last sample before its exit).
//
// Usage: node bench/exec-logs/memory.mjs [--runs 5] [--mb 20] [--delay-ms 50] [--tree <repo root>]...
//        [--agent-node-flags=--import=./bench/support/heap-probe.mjs]  (node flags of the wrapper only)
//        (npm run build first; without --tree, this repository alone)
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FaultPlan, startLocalIntake } from '../../packages/intake/dist/index.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, mb: { type: 'string', default: '20' }, 'delay-ms': { type: 'string', default: '50' }, tree: { type: 'string', multiple: true }, 'agent-node-flags': { type: 'string', default: '' } },
});
const RUNS = Number(values.runs);
// Before the CLI's path: they reach the wrapper's Node, not the program it runs (NODE_OPTIONS would).
const AGENT_NODE_FLAGS = values['agent-node-flags'].split(' ').filter((f) => f !== '');
const BYTES = Number(values.mb) * 1_000_000;
const LINES = BYTES / 100;
const TREES = values.tree ?? [fileURLToPath(new URL('../..', import.meta.url))];
const CLOCK_TICKS = 100;
// 100-byte lines: "<i> <pad>" (repeating) or "<i> <32 random hex digits> <pad>".
const PROGRAM = `
const random = process.argv[1] === 'random';
const { randomBytes } = require('node:crypto');
const lines = ${LINES};
let i = 0;
function write() {
  while (i < lines) {
    let chunk = '';
    for (let j = 0; j < 100 && i < lines; j++, i++) {
      const head = random ? i + ' ' + randomBytes(16).toString('hex') + ' ' : i + ' ';
      chunk += head + 'x'.repeat(99 - head.length) + '\\n';
    }
    if (!process.stdout.write(chunk)) return process.stdout.once('drain', write);
  }
  process.stdout.write('', () => process.exit(0));
}
write();`;

const plan = new FaultPlan();
const intake = await startLocalIntake({ port: 0, faults: plan });
const devNull = openSync('/dev/null', 'w');

async function run(tree, kind) {
  plan.setResponder(kind === 'slow' ? () => ({ delayMs: Number(values['delay-ms']) }) : undefined);
  const env = {
    PATH: process.env.PATH,
    DD_API_KEY: 'bench',
    DD_DD_URL: intake.url,
    DD_CMD_PORT: '-1',
    DD_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'off',
    DD_DOGSTATSD_PORT: '0',
    DD_ENHANCED_METRICS_ENABLED: 'false',
    DD_LOGS_ENABLED: 'true',
    DD_LOGS_CONFIG_LOGS_DD_URL: intake.url,
  };
  const before = intake.stats().items.logs ?? 0;
  const started = performance.now();
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, join(tree, 'packages/agent/bin/agentkit.js'), 'exec', '--', process.execPath, '-e', PROGRAM, kind === 'fast' ? 'repeat' : 'random'], {
    env,
    stdio: ['ignore', devNull, 'inherit'],
  });
  let hwmKb = 0;
  let cpuTicks = 0;
  const sample = () => {
    try {
      hwmKb = Math.max(hwmKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]));
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks = Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited between samples
    }
  };
  const timer = setInterval(sample, 5);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  // Requests a wrapper gave up on at its stop are still answered (and counted) after the
  // delay: let them land before counting, so that they are not the next run's.
  if (kind === 'slow') await new Promise((r) => setTimeout(r, Number(values['delay-ms']) * 2 + 100));
  const arrived = (intake.stats().items.logs ?? 0) - before;
  if (code !== 0) throw new Error(`${tree} ${kind}: exit ${code}`);
  // Logs that did not arrive were counted by the wrapper (its stop names them): reported, not thrown.
  return { peakRssMiB: hwmKb / 1024, cpuMs: (cpuTicks * 1000) / CLOCK_TICKS, wallMs: performance.now() - started, lost: LINES - arrived };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = {};
for (let i = 0; i < RUNS; i++) {
  for (const kind of ['fast', 'random', 'slow']) {
    for (const tree of TREES) ((results[kind] ??= {})[tree] ??= []).push(await run(tree, kind));
  }
}
await intake.onStop(AbortSignal.abort());
const rows = [];
for (const [kind, byTree] of Object.entries(results)) {
  for (const [tree, runs] of Object.entries(byTree)) {
    rows.push({
      kind,
      tree,
      peakRssMiB: Math.round(median(runs.map((r) => r.peakRssMiB)) * 10) / 10,
      peakRssMiBRange: [Math.min(...runs.map((r) => r.peakRssMiB)), Math.max(...runs.map((r) => r.peakRssMiB))].map((x) => Math.round(x * 10) / 10),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      wallMs: Math.round(median(runs.map((r) => r.wallMs))),
      lostLogs: runs.map((r) => r.lost),
    });
  }
}
console.log(JSON.stringify({ runs: RUNS, bytes: BYTES, lines: LINES, delayMs: Number(values['delay-ms']), node: process.version, rows }, null, 2));
