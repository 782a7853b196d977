// What the trace agent's receiver costs `agentkit exec`: interleaved runs of
//   node packages/agent/bin/agentkit.js exec -- node -e 0
// with the receiver on (DD_APM_ENABLED=true, the default) and off, shipping to a real local
// intake. Reported per side: the median wall time (spawn to exit), the median peak RSS of the
// wrapper (GNU time's %M, the agentkit process only: `node -e 0` runs in its own process), and
// with the receiver on, the median time its onStart took (the app's debug line; it delays the
// program's spawn by that much). The program's own costs (dd-trace's) are not the wrapper's and
// are not measured.
// Usage: npm run build && node bench/apm/receiver-cost.mjs [--runs 15] [--json]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTestIntake } from '../../packages/testing/dist/index.js';
import { execToIntakeEnv } from '../support/child-env.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, json: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../packages/agent/bin/agentkit.js', import.meta.url));

/** One run under GNU time: wall ms, peak RSS of the wrapper in KiB, and the receiver's start ms (or NaN). */
function run(env) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, bin, 'exec', '--', process.execPath, '-e', '0'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - startedAt;
      if (code !== 0) return reject(new Error(`exec exited ${code}\n${stderr}`));
      const rss = Number(/MAXRSS (\d+)/.exec(stderr)?.[1]);
      const start = /"component":"ApmReceiver","phase":"start","durationMs":(\d+(?:\.\d+)?)/.exec(stderr);
      resolve({ ms, rssKiB: rss, receiverStartMs: start === null ? Number.NaN : Number(start[1]) });
    });
  });
}

function median(list) {
  const sorted = [...list].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)];
}

const intake = await startTestIntake();
const base = await execToIntakeEnv(intake.url, { DD_CMD_PORT: '0', DD_LOG_LEVEL: 'debug' });
const sides = { off: [], on: [] };
try {
  // Two warm-up pairs, then interleaved pairs (the order flips each time).
  for (let i = 0; i < runs + 2; i++) {
    const order = i % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
    for (const side of order) {
      const result = await run({ ...base, DD_APM_ENABLED: side === 'on' ? 'true' : 'false' });
      if (i >= 2) sides[side].push(result);
    }
  }
} finally {
  await intake.close();
}

const summary = {};
for (const [side, results] of Object.entries(sides)) {
  summary[side] = {
    wallMs: Math.round(median(results.map((r) => r.ms))),
    peakRssMiB: Math.round((median(results.map((r) => r.rssKiB)) / 1024) * 10) / 10,
    receiverStartMs: median(results.map((r) => r.receiverStartMs)),
  };
}
if (values.json) process.stdout.write(`${JSON.stringify({ runs, ...summary })}\n`);
else {
  process.stdout.write(`agentkit exec -- node -e 0, ${runs} interleaved pairs (medians)\n`);
  for (const [side, s] of Object.entries(summary)) {
    process.stdout.write(`  receiver ${side.padEnd(3)}  wall ${s.wallMs} ms  peak RSS ${s.peakRssMiB} MiB${Number.isNaN(s.receiverStartMs) ? '' : `  receiver onStart ${s.receiverStartMs} ms`}\n`);
  }
}
