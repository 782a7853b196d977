// `agentkit exec -- node -e 0` of several built checkouts, alternated run by run: each round
// runs every checkout once (the order reversed every other round), so a loaded host's drift
// falls on all of them alike. Each run is under `perf stat -e task-clock` (wrapper and program,
// every thread) at DD_LOG_LEVEL=debug, which also gives the wrapper's CPU when it started the
// program (its "program started" line's cpuMs). The pipeline ships to a real local intake.
// Prints, per checkout, the median CPU of the whole run and at the program's start, and the
// exit path: from the wrapper's "program exited" line to this process seeing the wrapper exit.
// --https: the intake serves HTTPS (a test certificate; exec is told skip_ssl_validation), as
// Datadog's does: the TLS handshakes of exec's connections are then part of the figure.
// --program-ms N: the program lives N ms (a timer) instead of `-e 0`'s ~20: a task that outlives
// the wrapper's start, so the exit path holds only what the wrapper leaves until the exit.
// --env NAME=VALUE (repeatable): more environment for exec, e.g. DD_DOGSTATSD_TCP_PORT=<port>, which
// keeps the listeners from being bound before the pipeline (the program then starts at its ready point).
// Usage: npm run build && node bench/cold-start/alternate.mjs [--rounds 30] [--https] [--program-ms N] [--env NAME=VALUE]... <checkout> [<checkout>...]
//   e.g. node bench/cold-start/alternate.mjs --rounds 30 /work/main .
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeTestCertificate, startTestIntake } from '../../packages/testing/dist/index.js';
import { execToIntakeEnv } from '../support/child-env.mjs';

const { values, positionals } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    https: { type: 'boolean', default: false },
    'program-ms': { type: 'string', default: '0' },
    env: { type: 'string', multiple: true, default: [] },
  },
  allowPositionals: true,
});
const program = Number(values['program-ms']) > 0 ? `setTimeout(() => {}, ${Number(values['program-ms'])})` : '0';
const rounds = Number(values.rounds);
if (positionals.length === 0 || !(rounds > 0)) throw new Error('usage: alternate.mjs [--rounds N] <checkout> [<checkout>...]');
const checkouts = positionals.map((p) => path.resolve(p));

const intake = await startTestIntake(values.https ? { tls: await makeTestCertificate() } : {});
// Runs are sequential: one port serves them all.
const env = await execToIntakeEnv(intake.url, {
  DD_CMD_PORT: '0',
  DD_LOG_LEVEL: 'debug',
  ...(values.https ? { DD_SKIP_SSL_VALIDATION: 'true' } : {}),
  ...Object.fromEntries(values.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
});

/** One `exec -- node -e <program>` of `checkout`: { cpuMs, startCpuMs, exitPathMs }. */
function run(checkout) {
  return new Promise((resolve, reject) => {
    const args = ['stat', '-x,', '-e', 'task-clock', process.execPath, `${checkout}/packages/agent/bin/agentkit.js`, 'exec', '--', process.execPath, '-e', program];
    const child = spawn('perf', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const exitedAtMs = Date.now();
      const cpu = /([\d.]+),msec,task-clock/.exec(stderr);
      if (code !== 0 || cpu === null) return reject(new Error(`${checkout}: exit ${code}\n${stderr}`));
      const lines = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      const started = lines.find((l) => l.msg === 'program started');
      const exited = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('program exited'));
      resolve({ cpuMs: Number(cpu[1]), startCpuMs: started?.cpuMs, exitPathMs: exited === undefined ? undefined : exitedAtMs - exited.time });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(checkouts.map((c) => [c, { cpuMs: [], startCpuMs: [], exitPathMs: [] }]));
try {
  // Round 0 warms the page cache and is not counted.
  for (let round = 0; round <= rounds; round++) {
    for (const checkout of round % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const { cpuMs, startCpuMs, exitPathMs } = await run(checkout);
      if (round === 0) continue;
      results.get(checkout).cpuMs.push(cpuMs);
      if (startCpuMs !== undefined) results.get(checkout).startCpuMs.push(startCpuMs);
      if (exitPathMs !== undefined) results.get(checkout).exitPathMs.push(exitPathMs);
    }
  }
} finally {
  await intake.close();
}
for (const [checkout, r] of results) {
  console.log(
    JSON.stringify({ checkout, rounds: r.cpuMs.length, cpuMedianMs: median(r.cpuMs), programStartCpuMedianMs: median(r.startCpuMs), exitPathMedianMs: median(r.exitPathMs) }),
  );
}
