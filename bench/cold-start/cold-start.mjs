// Cold start of `agentkit exec`: the median wall time, spawn to exit, of
//   node packages/agent/bin/agentkit.js exec -- node -e 0
// against `node -e 0` alone, in alternating runs, with the pipeline shipping to a real local
// HTTP intake (the test intake, in this process). NODE_EXTRA_CA_CERTS is unset for every child:
// on these machines it costs each Node start ~150 ms and would swamp the figure.
// The added time covers everything exec does around the program: load, config, pipeline start
// (listener bound before the program starts), the program, the drain and the final HTTP send
// (the enhanced metrics give it something to send; a run that delivers nothing fails the bench).
// --cpu also reports the CPU time of each run, wrapper and program together, every thread
// (`perf stat -e task-clock`, which must be installed): on a busy host it holds still where the
// wall time does not.
// --startup runs exec with DD_LOG_LEVEL=debug (which costs a little itself) and also reports when
// the program started (the "program started" line's startupMs: from the wrapper's process start)
// and the exit path: from the wrapper's "program exited" line to this process seeing it exit.
// Usage: npm run build && node bench/cold-start/cold-start.mjs [--runs 21] [--unbundled] [--cpu] [--startup] [--json]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTestIntake } from '../../packages/testing/dist/index.js';
import { childEnv, execToIntakeEnv } from '../support/child-env.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' }, unbundled: { type: 'boolean', default: false }, cpu: { type: 'boolean', default: false }, startup: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/agent/bin/agentkit.js', import.meta.url));

const baseEnv = childEnv();
// --unbundled: the compiled packages (dist/cli.js and ~400 ESM files) instead of the bundle the
// bin loads, to measure what the bundle saves.
const entry = values.unbundled
  ? ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(new URL('../../packages/agent/dist/cli.js', import.meta.url).href)}); process.exitCode = await main(process.argv.slice(1));`, '--']
  : [bin];

// Async spawn, not spawnSync: the intake answers from this process's event loop.
// Resolves to { ms, cpuMs } (cpuMs only with --cpu).
function timeRun(args, env) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const [file, argv] = values.cpu ? ['perf', ['stat', '-x,', '-e', 'task-clock', process.execPath, ...args]] : [process.execPath, args];
    const child = spawn(file, argv, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - startedAt;
      const exitedAtMs = Date.now();
      const cpu = /([\d.]+),msec,task-clock/.exec(stderr);
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}\n${stderr}`));
      else if (values.cpu && cpu === null) reject(new Error(`--cpu: no task-clock in perf's output\n${stderr}`));
      else resolve({ ms, cpuMs: cpu === null ? undefined : Number(cpu[1]), ...(values.startup ? startupOf(stderr, exitedAtMs) : {}) });
    });
  });
}

// From exec's debug lines (pino JSON): the program's start (ms since the wrapper's start) and
// the time from the program's exit (as the wrapper saw it) to the wrapper's exit.
function startupOf(stderr, exitedAtMs) {
  const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const started = lines.find((l) => l.msg === 'program started');
  const exited = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('program exited'));
  if (started === undefined) return {};
  return { programStartMs: started.startupMs, programStartCpuMs: started.cpuMs, exitPathMs: exited === undefined ? undefined : exitedAtMs - exited.time };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const intake = await startTestIntake();
const acceptedPayloads = () => intake.requests.filter((r) => r.accepted).length;
const execEnv = await execToIntakeEnv(intake.url, { DD_CMD_PORT: '0', ...(values.startup ? { DD_LOG_LEVEL: 'debug' } : {}) }); // runs are sequential: one port serves them all
const node = [];
const exec = [];
try {
  for (let i = 0; i < runs + 2; i++) {
    const a = await timeRun(['-e', '0'], baseEnv);
    const accepted = acceptedPayloads();
    const b = await timeRun([...entry, 'exec', '--', process.execPath, '-e', '0'], execEnv);
    // A run that delivered nothing measured a broken pipeline (exec passes the program's 0 on).
    if (acceptedPayloads() === accepted) throw new Error('agentkit exec delivered nothing to the intake: run it by hand to see why');
    if (i >= 2) {
      // two warm-ups fill the page cache
      node.push(a);
      exec.push(b);
    }
  }
} finally {
  await intake.close();
}
const ms = (runs) => runs.map((r) => r.ms);
const cpu = (runs) => runs.map((r) => r.cpuMs);
const round = (x) => Math.round(x * 10) / 10;
const added = exec.map((r, i) => r.ms - node[i].ms);
const result = {
  runs,
  node: process.version,
  nodeMedianMs: round(median(ms(node))),
  execMedianMs: round(median(ms(exec))),
  addedMedianMs: round(median(added)),
  ...(values.cpu ? { nodeCpuMedianMs: round(median(cpu(node))), execCpuMedianMs: round(median(cpu(exec))), addedCpuMedianMs: round(median(exec.map((r, i) => r.cpuMs - node[i].cpuMs))) } : {}),
  ...(values.startup
    ? { programStartMedianMs: round(median(exec.map((r) => r.programStartMs))), programStartCpuMedianMs: round(median(exec.map((r) => r.programStartCpuMs))), exitPathMedianMs: round(median(exec.map((r) => r.exitPathMs))) }
    : {}),
  payloadsReceived: acceptedPayloads(),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`runs=${runs} node=${result.node}`);
  console.log('| scenario | median ms |');
  console.log('|---|---|');
  console.log(`| node -e 0 | ${result.nodeMedianMs} |`);
  console.log(`| agentkit exec -- node -e 0${values.unbundled ? " (unbundled)" : ""} | ${result.execMedianMs} |`);
  console.log(`| added by agentkit exec (median of pairwise differences) | ${result.addedMedianMs} |`);
  if (values.cpu) console.log(`CPU ms (wrapper + program, every thread): node -e 0 ${result.nodeCpuMedianMs}, agentkit exec ${result.execCpuMedianMs}, added ${result.addedCpuMedianMs} (medians)`);
  if (values.startup) console.log(`program started at ${result.programStartMedianMs} ms (${result.programStartCpuMedianMs} ms of CPU) of the wrapper; program's exit to the wrapper's: ${result.exitPathMedianMs} ms (medians)`);
  console.log(`payloads accepted by the intake: ${result.payloadsReceived} (the enhanced metrics of each run)`);
}
