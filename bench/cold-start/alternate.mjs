// `agentkit exec -- node -e 0` of several built checkouts, alternated run by run: each round
// runs every checkout once (the order reversed every other round), so a loaded host's drift
// falls on all of them alike. Each run is under `perf stat -e task-clock` (wrapper and program,
// every thread) at DD_LOG_LEVEL=debug, which also gives the wrapper's CPU when it started the
// program (its "program started" line's cpuMs). The pipeline ships to a real local intake.
// Prints, per checkout, the median CPU of the whole run and at the program's start.
// Usage: npm run build && node bench/cold-start/alternate.mjs [--rounds 30] <checkout> [<checkout>...]
//   e.g. node bench/cold-start/alternate.mjs --rounds 30 /work/main .
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTestIntake } from '../../packages/testing/dist/index.js';
import { execToIntakeEnv } from '../support/child-env.mjs';

const { values, positionals } = parseArgs({ options: { rounds: { type: 'string', default: '30' } }, allowPositionals: true });
const rounds = Number(values.rounds);
if (positionals.length === 0 || !(rounds > 0)) throw new Error('usage: alternate.mjs [--rounds N] <checkout> [<checkout>...]');
const checkouts = positionals.map((p) => path.resolve(p));

const intake = await startTestIntake();
// Runs are sequential: one port serves them all.
const env = await execToIntakeEnv(intake.url, { DD_CMD_PORT: '0', DD_LOG_LEVEL: 'debug' });

/** One `exec -- node -e 0` of `checkout`: { cpuMs, startCpuMs }. */
function run(checkout) {
  return new Promise((resolve, reject) => {
    const args = ['stat', '-x,', '-e', 'task-clock', process.execPath, `${checkout}/packages/agent/bin/agentkit.js`, 'exec', '--', process.execPath, '-e', '0'];
    const child = spawn('perf', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const cpu = /([\d.]+),msec,task-clock/.exec(stderr);
      if (code !== 0 || cpu === null) return reject(new Error(`${checkout}: exit ${code}\n${stderr}`));
      const started = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'program started');
      resolve({ cpuMs: Number(cpu[1]), startCpuMs: started?.cpuMs });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(checkouts.map((c) => [c, { cpuMs: [], startCpuMs: [] }]));
try {
  // Round 0 warms the page cache and is not counted.
  for (let round = 0; round <= rounds; round++) {
    for (const checkout of round % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const { cpuMs, startCpuMs } = await run(checkout);
      if (round === 0) continue;
      results.get(checkout).cpuMs.push(cpuMs);
      if (startCpuMs !== undefined) results.get(checkout).startCpuMs.push(startCpuMs);
    }
  }
} finally {
  await intake.close();
}
for (const [checkout, r] of results) {
  console.log(JSON.stringify({ checkout, rounds: r.cpuMs.length, cpuMedianMs: median(r.cpuMs), programStartCpuMedianMs: median(r.startCpuMs) }));
}
