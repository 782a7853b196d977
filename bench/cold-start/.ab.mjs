// temporary A/B harness (not committed)
import { spawn } from 'node:child_process';
import { freeTcpPort, freeUdpPort } from '../../packages/core/dist/testing/index.js';
import { startTestIntake } from '../../packages/testing/dist/index.js';
import { childEnv } from '../support/child-env.mjs';
const repos = process.argv.slice(3);
const iterations = Number(process.argv[2]);
const intake = await startTestIntake();
const env = { ...childEnv(), DD_API_KEY: '0123456789abcdef0123456789abcdef', DD_DD_URL: intake.url, DD_DOGSTATSD_PORT: String(await freeUdpPort()), DD_APM_RECEIVER_PORT: String(await freeTcpPort()), DD_CMD_PORT: '0', DD_LOG_LEVEL: 'debug' };
function run(repo) {
  return new Promise((resolve, reject) => {
    const child = spawn('perf', ['stat', '-x,', '-e', 'task-clock', process.execPath, `${repo}/packages/agent/bin/agentkit.js`, 'exec', '--', process.execPath, '-e', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = ''; child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(err));
      const cpu = Number(/([\d.]+),msec,task-clock/.exec(err)[1]);
      const started = err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.msg === 'program started');
      resolve({ cpu, startCpu: started?.cpuMs });
    });
  });
}
const res = Object.fromEntries(repos.map((r) => [r, { cpu: [], startCpu: [] }]));
for (let i = 0; i < iterations + 1; i++) {
  const order = i % 2 === 0 ? repos : [...repos].reverse();
  for (const r of order) { const x = await run(r); if (i > 0) { res[r].cpu.push(x.cpu); res[r].startCpu.push(x.startCpu); } }
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
for (const r of repos) console.log(JSON.stringify({ repo: r, n: res[r].cpu.length, cpuMedianMs: med(res[r].cpu), programStartCpuMedianMs: med(res[r].startCpu) }));
await intake.close();
