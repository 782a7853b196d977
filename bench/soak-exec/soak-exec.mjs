// Soak of `agentkit exec`: N sequential task runs of the Cloud Run job pattern, each a real
// task (test/fixtures/exec-task.mjs) that streams DogStatsD counter lines over UDP for a while,
// bursts N lines at the end and exits, wrapped by the built CLI shipping to a real local HTTP
// intake (the test intake, in this process). Reports:
//  - lines lost: sent by the tasks (each prints its count) minus counted at the intake (target 0);
//  - the kernel's UDP drop counters (/proc/net/snmp Udp: RcvbufErrors, InErrors), before/after:
//    system-wide, so another process's drops would show here too;
//  - p50/p99 of the time from the task's exit (it prints its epoch ms last) to the wrapper's exit.
// NODE_EXTRA_CA_CERTS is unset for every child (~150 ms per Node start here).
// Usage: npm run build && node bench/soak-exec/soak-exec.mjs [--runs 200] [--stream-ms 1000] [--burst 20000] [--json]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../../packages/core/dist/testing/index.js';
import { startTestIntake } from '../../packages/testing/dist/index.js';
import { childEnv } from '../support/child-env.mjs';
import { kernelUdp } from '../support/kernel-udp.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    'stream-ms': { type: 'string', default: '1000' },
    burst: { type: 'string', default: '20000' },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/agent/bin/agentkit.js', import.meta.url));
const task = fileURLToPath(new URL('../../test/fixtures/exec-task.mjs', import.meta.url));

const env = childEnv();

/** Counter increments of task.lines at the intake (value × interval per point). */
function linesAtIntake(intake) {
  let total = 0;
  for (const s of intake.series()) if (s.metric === 'task.lines') for (const p of s.points) total += p.value * s.interval;
  return Math.round(total);
}

async function runOnce(intake) {
  // dogstatsd_port 0 turns UDP off (as in the Agent): give exec a port that is free now.
  const port = String(await freeUdpPort());
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'exec', '--', process.execPath, task, '--stream-ms', values['stream-ms'], '--burst', values.burst],
      { cwd: root, env: { ...env, DD_API_KEY: '0123456789abcdef0123456789abcdef', DD_DD_URL: intake.url, DD_DOGSTATSD_PORT: port, DD_CMD_PORT: '-1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    let exitedAt = 0;
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('close', (code) => {
      const sent = /^sent (\d+)$/m.exec(stdout);
      const taskExit = /^exit-at (\d+)$/m.exec(stdout);
      if (code !== 0 || sent === null || taskExit === null) reject(new Error(`run failed (exit ${code})\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      else resolve({ sent: Number(sent[1]), exitLagMs: exitedAt - Number(taskExit[1]) });
    });
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const intake = await startTestIntake();
const kernelBefore = kernelUdp();
const startedAt = performance.now();
let sent = 0;
let lost = 0;
let runsWithLoss = 0;
const lags = [];
try {
  for (let i = 0; i < runs; i++) {
    const before = linesAtIntake(intake);
    const run = await runOnce(intake);
    const received = linesAtIntake(intake) - before;
    sent += run.sent;
    if (received !== run.sent) {
      runsWithLoss++;
      lost += run.sent - received;
    }
    lags.push(run.exitLagMs);
    if (!values.json && (i + 1) % 20 === 0) process.stderr.write(`${i + 1}/${runs} runs, ${lost} lines lost so far\n`);
  }
} finally {
  await intake.close();
}
const kernelAfter = kernelUdp();
const sorted = [...lags].sort((a, b) => a - b);
const result = {
  runs,
  streamMs: Number(values['stream-ms']),
  burst: Number(values.burst),
  linesSent: sent,
  linesLost: lost,
  runsWithLoss,
  kernelUdpRcvbufErrors: kernelAfter === undefined ? null : kernelAfter.RcvbufErrors - kernelBefore.RcvbufErrors,
  kernelUdpInErrors: kernelAfter === undefined ? null : kernelAfter.InErrors - kernelBefore.InErrors,
  exitLagP50Ms: percentile(sorted, 50),
  exitLagP99Ms: percentile(sorted, 99),
  exitLagMaxMs: sorted.at(-1),
  wallSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
  node: process.version,
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`runs=${runs} stream=${result.streamMs} ms burst=${result.burst} lines node=${result.node} (${result.wallSeconds} s)`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| lines sent | ${sent} |`);
  console.log(`| lines lost | ${lost} (${runsWithLoss} runs with a loss) |`);
  console.log(`| kernel UDP RcvbufErrors / InErrors (system-wide) | ${result.kernelUdpRcvbufErrors} / ${result.kernelUdpInErrors} |`);
  console.log(`| task exit → wrapper exit, p50 / p99 / max | ${result.exitLagP50Ms} / ${result.exitLagP99Ms} / ${result.exitLagMaxMs} ms |`);
}
