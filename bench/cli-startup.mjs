// Median wall time from spawn to exit of `agentkit version` against `node -e 0`, and of
// importing each package, on this machine. NODE_EXTRA_CA_CERTS is unset for every child:
// on these machines it costs ~150 ms per Node start and would swamp the figure.
// Usage: npm run build && node bench/cli-startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    if (i >= 2) samples.push(performance.now() - t0); // two warm-ups fill the page cache
  }
  return median(samples);
}

const scenarios = [
  ['node -e 0', ['-e', '0']],
  ['import @agentkit/core', ['--input-type=module', '-e', "await import('@agentkit/core')"]],
  ['import @agentkit/config', ['--input-type=module', '-e', "await import('@agentkit/config')"]],
  ['import @agentkit/log', ['--input-type=module', '-e', "await import('@agentkit/log')"]],
  ['agentkit version', ['packages/agent/bin/agentkit.js', 'version']],
  ['agentkit graph', ['packages/agent/bin/agentkit.js', 'graph']],
];
const base = time(scenarios[0][1]);
console.log(`runs=${runs} node=${process.version}`);
console.log('| scenario | median ms | added over node -e 0 |');
console.log('|---|---|---|');
for (const [name, args] of scenarios) {
  const ms = name === 'node -e 0' ? base : time(args);
  console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms - base).toFixed(1)} |`);
}
