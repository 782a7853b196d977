// Cold start of `agentkit exec`: the median wall time, spawn to exit, of
//   node packages/agent/bin/agentkit.js exec -- node -e 0
// against `node -e 0` alone, in alternating runs, with the pipeline shipping to a real local
// HTTP intake (the test intake, in this process). NODE_EXTRA_CA_CERTS is unset for every child:
// on these machines it costs each Node start ~150 ms and would swamp the figure.
// The added time covers everything exec does around the program: load, config, pipeline start
// (listener bound before the program starts), the program, the drain and the final HTTP send
// (the enhanced metrics give it something to send; a run that delivers nothing fails the bench).
// Usage: npm run build && node bench/cold-start/cold-start.mjs [--runs 21] [--unbundled] [--json]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../../packages/core/dist/testing/index.js';
import { startTestIntake } from '../../packages/testing/dist/index.js';
import { childEnv } from '../support/child-env.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' }, unbundled: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
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
function timeRun(args, env) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - startedAt;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}\n${stderr}`));
      else resolve(ms);
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const intake = await startTestIntake();
const acceptedPayloads = () => intake.requests.filter((r) => r.accepted).length;
const execEnv = { ...baseEnv, DD_API_KEY: '0123456789abcdef0123456789abcdef', DD_DD_URL: intake.url, DD_DOGSTATSD_PORT: String(await freeUdpPort()), DD_CMD_PORT: '0' }; // runs are sequential: one port serves them all
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
const added = exec.map((ms, i) => ms - node[i]);
const result = {
  runs,
  node: process.version,
  nodeMedianMs: Math.round(median(node) * 10) / 10,
  execMedianMs: Math.round(median(exec) * 10) / 10,
  addedMedianMs: Math.round(median(added) * 10) / 10,
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
  console.log(`payloads accepted by the intake: ${result.payloadsReceived} (the enhanced metrics of each run)`);
}
