// The wrapped program's logs through `agentkit exec` (issue 16). Two measures, each run
// interleaved with its baseline on the same machine in the same run:
//
// 1. Throughput: the task (test/fixtures/log-task.mjs bytes N) writes N bytes of 100-byte lines
//    on stdout, (a) straight to /dev/null, (b) under `agentkit exec` with logs off (the program
//    inherits stdout: /dev/null), (c) under `agentkit exec` with logs_enabled: through the
//    wrapper's pipe, mirrored to /dev/null and sent to a local intake in this process. Wall time
//    and CPU (user + sys of the process tree, /usr/bin/time); the wrapper's own CPU is (c) − (a).
// 2. Tail: the task writes a 20k-line burst and exits at once; the time from its exit (it writes
//    the time to a file as it exits) to the wrapper's exit, logs off and on.
// 3. Spawn delay: `startupMs` of exec's "program started" line (from the wrapper's start to the
//    program's spawn), logs off and on: what loading and starting the logs pipeline adds.
//
// Usage: node bench/exec-logs/exec-logs.mjs [--runs 5] [--mb 20] [--tail 20000]   (npm run build first)
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalIntake } from '../../packages/intake/dist/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, mb: { type: 'string', default: '20' }, tail: { type: 'string', default: '20000' } } });
const RUNS = Number(values.runs);
const BYTES = Number(values.mb) * 1_000_000;
const TAIL = Number(values.tail);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'packages/agent/bin/agentkit.js');
const TASK = join(ROOT, 'test/fixtures/log-task.mjs');
const dir = mkdtempSync(join(tmpdir(), 'exec-logs-'));

const intake = await startLocalIntake({ port: 0 });
const baseEnv = { PATH: process.env.PATH, DD_API_KEY: 'bench', DD_DD_URL: intake.url, DD_CMD_PORT: '-1', DD_LOG_LEVEL: 'off', DD_DOGSTATSD_PORT: '0', DD_ENHANCED_METRICS_ENABLED: 'false' };
const logsOn = { DD_LOGS_ENABLED: 'true', DD_LOGS_CONFIG_LOGS_DD_URL: intake.url };

/** Runs `argv` under /usr/bin/time, stdout to /dev/null; resolves to wall ms, CPU ms, peak RSS and the close time. */
function timed(argv, env) {
  const timeFile = join(dir, `time-${Math.random()}`);
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', ...argv], { env, stdio: ['ignore', devNull, 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const closedAt = Date.now();
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}`));
      const [, user, sys, maxKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
      resolve({ wallMs: performance.now() - started, cpuMs: (user + sys) * 1000, rssMb: maxKb / 1024, closedAt });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

const lines = Math.floor(BYTES / 100);
const throughput = { direct: [], execOff: [], execOn: [] };
for (let i = 0; i < RUNS; i++) {
  throughput.direct.push(await timed(['node', TASK, 'bytes', String(BYTES)], baseEnv));
  throughput.execOff.push(await timed(['node', BIN, 'exec', '--', 'node', TASK, 'bytes', String(BYTES)], baseEnv));
  const before = intake.stats().items.logs ?? 0;
  throughput.execOn.push(await timed(['node', BIN, 'exec', '--', 'node', TASK, 'bytes', String(BYTES)], { ...baseEnv, ...logsOn }));
  const arrived = (intake.stats().items.logs ?? 0) - before;
  if (arrived !== lines) throw new Error(`run ${i}: ${arrived} logs at the intake, ${lines} written`);
}

const tail = { off: [], on: [] };
for (let i = 0; i < RUNS; i++) {
  for (const [name, env] of [['off', baseEnv], ['on', { ...baseEnv, ...logsOn }]]) {
    const exitFile = join(dir, `exit-${name}-${i}`);
    const before = intake.stats().items.logs ?? 0;
    const run = await timed(['node', BIN, 'exec', '--', 'node', TASK, 'lines', '0', String(TAIL)], { ...env, LOG_TASK_EXIT_FILE: exitFile });
    tail[name].push(run.closedAt - Number(readFileSync(exitFile, 'utf8')));
    if (name === 'on' && (intake.stats().items.logs ?? 0) - before !== TAIL) throw new Error(`tail run ${i}: not every line arrived`);
  }
}
/** The wrapper's `startupMs` for `node -e 0` (its debug line "program started"). */
function startupMs(env) {
  const child = spawn('node', [BIN, 'exec', '--', 'node', '-e', '0'], { env: { ...env, DD_LOG_LEVEL: 'debug' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    child.on('close', () => {
      const line = err.split('\n').find((l) => l.includes('"program started"'));
      if (line === undefined) return reject(new Error(`no "program started" line:\n${err}`));
      resolve(JSON.parse(line).startupMs);
    });
  });
}
const spawnDelay = { off: [], on: [] };
for (let i = 0; i < RUNS * 2; i++) {
  spawnDelay.off.push(await startupMs(baseEnv));
  spawnDelay.on.push(await startupMs({ ...baseEnv, ...logsOn }));
}

await intake.onStop(AbortSignal.abort());
rmSync(dir, { recursive: true, force: true });

const row = (name, runs) => {
  const wall = median(runs.map((r) => r.wallMs));
  return { name, wallMs: round(wall), cpuMs: round(median(runs.map((r) => r.cpuMs))), linesPerSec: round(lines / (wall / 1000)), mbPerSec: round(BYTES / 1e6 / (wall / 1000), 1), peakRssMb: round(median(runs.map((r) => r.rssMb)), 1) };
};
const direct = row('task > /dev/null', throughput.direct);
const off = row('agentkit exec, logs off', throughput.execOff);
const on = row('agentkit exec, logs_enabled', throughput.execOn);
console.log(JSON.stringify({ runs: RUNS, bytes: BYTES, lines, throughput: [direct, off, on], wrapperCpuMsWithLogs: round(on.cpuMs - direct.cpuMs), wrapperCpuMsWithoutLogs: round(off.cpuMs - direct.cpuMs), tail: { lines: TAIL, exitToExitMs: { logsOff: round(median(tail.off)), logsOn: round(median(tail.on)), logsOnMax: round(Math.max(...tail.on)) } }, spawnStartupMs: { logsOff: median(spawnDelay.off), logsOn: median(spawnDelay.on) } }, null, 2));
