// An idle `agentkit run` over minutes, not only at bench/memory's 3 s reading: spawns the built
// CLI of each checkout side by side (embedded intake, nothing received; DogStatsD, APM and
// intake ports 0, no command port) and reads VmRSS, RssAnon and RssFile from /proc/<pid>/status
// at the given seconds after spawn.
// Usage: npm run build && node bench/memory/idle-timeline.mjs [--at 3,30,60,120,180] [--checkout <dir>]...
//        (`--checkout` any number of times; none: this checkout). One line per checkout, MB.
// With `--trace-opt` in --agent-node-flags, V8's optimizing compiles are printed with their second.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childEnv } from '../support/child-env.mjs';

const { values } = parseArgs({ options: { at: { type: 'string', default: '3,30,60,120,180' }, checkout: { type: 'string', multiple: true }, 'agent-node-flags': { type: 'string', default: '' } } });
const times = values.at.split(',').map(Number);
const checkouts = values.checkout ?? [fileURLToPath(new URL('../..', import.meta.url))];
const nodeFlags = values['agent-node-flags'].split(' ').filter((f) => f !== '');
const env = { ...childEnv(), DD_DOGSTATSD_PORT: '0', DD_APM_RECEIVER_PORT: '0', DD_LOCAL_INTAKE_PORT: '0', DD_CMD_PORT: '-1' };
const MB = (kib) => ((kib * 1024) / 1e6).toFixed(1);

async function timeline(checkout) {
  const startedMs = Date.now();
  const child = spawn(process.execPath, [...nodeFlags, resolve(checkout, 'packages/agent/bin/agentkit.js'), 'run'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('[completed optimizing')) console.log(`  ${checkout} ${((Date.now() - startedMs) / 1000).toFixed(1)} s: ${line.slice(0, 120)}`);
  });
  const readings = [];
  for (const at of times) {
    await new Promise((r) => setTimeout(r, Math.max(0, startedMs + at * 1000 - Date.now())));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
    readings.push(`${at} s ${MB(kib('VmRSS'))} (anon ${MB(kib('RssAnon'))}, file ${MB(kib('RssFile'))})`);
  }
  child.kill();
  return `${checkout}: ${readings.join('; ')}`;
}

for (const line of await Promise.all(checkouts.map(timeline))) console.log(line);
