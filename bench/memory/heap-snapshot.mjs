// Where the agent's heap goes after a burst of contexts (issue 14): `agentkit run` (the agent
// alone: a separate `agentkit intake` process, as bench/memory's --intake separate) started with
// Node's --heapsnapshot-signal, bench/memory's 100k contexts (each its own 5-tag set, ¼ c/g/d/h)
// sent over UDP right after a bucket's start, and a heap snapshot written (V8 collects first, so
// it holds what is live) when the agent is idle and after every line of each round is counted,
// before the bucket's flush. Each snapshot is then summarised by owner (bench/memory/heap-owners.mjs).
// A later round is sent right after the next bucket edge, while the previous bucket's flush is
// still being pulled and sent (as in bench/memory): its snapshot holds that flush's unsent part.
// Usage: npm run build && node bench/memory/heap-snapshot.mjs [--rounds 1] [--out DIR]
//          [--contexts 100000] [--checkout <dir>]  (that built checkout's CLI instead of this one's)
//          [--intake embedded]  (the agent as a new user runs it: no api_key, its own local intake)
//          [--modules]  (each snapshot by the one-file bundle's module and package that owns it
//                        instead: heap-owners.mjs --modules; `--rounds 0 --intake embedded
//                        --modules` is the idle agent's, issue 14 §3)
// The snapshots (~100 MB each at 100k contexts) stay in --out (default: a new directory in the OS temp dir).
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeTcpPort, freeUdpPort } from '../../packages/core/dist/testing/index.js';
import { childEnv } from '../support/child-env.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1' },
    out: { type: 'string' },
    contexts: { type: 'string', default: '100000' },
    checkout: { type: 'string' },
    intake: { type: 'string', default: 'separate' },
    modules: { type: 'boolean', default: false },
  },
});
const EMBEDDED = values.intake === 'embedded';
const ROUNDS = Number(values.rounds);
const CONTEXTS = Number(values.contexts);
const root = values.checkout ?? fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'packages/agent/bin/agentkit.js');
const out = values.out ?? mkdtempSync(join(tmpdir(), 'agentkit-heap-'));
mkdirSync(out, { recursive: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const [udpPort, cmdPort, intakePort] = [await freeUdpPort(), await freeTcpPort(), await freeTcpPort()];
const intake = EMBEDDED ? undefined : spawn(process.execPath, [bin, 'intake', '--port', String(intakePort)], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
const env = childEnv({
  DD_DOGSTATSD_PORT: String(udpPort),
  DD_CMD_PORT: String(cmdPort),
  DD_AGGREGATOR_FLUSH_INTERVAL: '1',
  ...(EMBEDDED ? { DD_LOCAL_INTAKE_PORT: String(intakePort) } : { DD_DD_URL: `http://127.0.0.1:${intakePort}`, DD_API_KEY: '0123456789abcdef0123456789abcdef' }),
});
const agent = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', bin, 'run'], { env, cwd: out, stdio: ['ignore', 'pipe', 'ignore'] });
const socket = dgram.createSocket('udp4');
try {
  const waitFor = (child, re) =>
    new Promise((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (c) => {
        text += c;
        if (re.test(text)) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before ${re}`)));
    });
  await Promise.all([intake === undefined ? undefined : waitFor(intake, /agentkit local intake on/), waitFor(agent, /agentkit is running/)]);
  await sleep(3000);
  const status = async () => (await (await fetch(`http://127.0.0.1:${cmdPort}/status`)).json()).components;
  const TYPES = [['counter', 'c'], ['gauge', 'g'], ['distribution', 'd'], ['histogram', 'h']];
  const datagrams = [];
  let current = '';
  for (let i = 0; i < CONTEXTS; i++) {
    const [type, code] = TYPES[i % 4];
    const line = `m.${type}.${i % 100}:1|${code}|#a:${i},b:${i},c:${i},d:${i},e:${i}`;
    if (current.length > 0 && current.length + 1 + line.length > 1432) {
      datagrams.push(Buffer.from(current));
      current = '';
    }
    current = current.length === 0 ? line : `${current}\n${line}`;
  }
  datagrams.push(Buffer.from(current));
  /** Signals the agent and waits until its new snapshot file stops growing. */
  const snapshot = async (label) => {
    const before = new Set(readdirSync(out));
    process.kill(agent.pid, 'SIGUSR2');
    for (;;) {
      await sleep(500);
      const name = readdirSync(out).find((n) => !before.has(n) && n.endsWith('.heapsnapshot'));
      if (name === undefined) continue;
      const size = statSync(join(out, name)).size;
      await sleep(1000);
      if (size === 0 || statSync(join(out, name)).size !== size) continue;
      process.stdout.write(`\n### ${label}\n`);
      const byModules = values.modules ? ['--modules', join(root, 'packages/agent/dist/one-file/agentkit.cjs')] : [];
      spawnSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(new URL('./heap-owners.mjs', import.meta.url)), join(out, name), ...byModules], { stdio: 'inherit' });
      return;
    }
  };
  await snapshot('idle, 3 s after start');
  for (let r = 0; r < ROUNDS; r++) {
    await sleep((Math.floor(Date.now() / 10_000) + 1) * 10_000 - Date.now() + 200);
    const before = (await status()).DogstatsdServer.lines;
    // ~100k lines/s: 70 datagrams per 10 ms.
    for (let i = 0; i < datagrams.length; i += 70) {
      await Promise.all(datagrams.slice(i, i + 70).map((d) => new Promise((resolve) => socket.send(d, udpPort, '127.0.0.1', resolve))));
      await sleep(10);
    }
    let s;
    for (let waited = 0; ((s = await status()).DogstatsdServer.lines - before) < CONTEXTS; waited += 100) {
      if (waited > 5000) throw new Error(`the agent counted ${s.DogstatsdServer.lines - before} of ${CONTEXTS} lines (UDP drops: rerun on a quieter host)`);
      await sleep(100);
    }
    const { cached_tag_strings: cached, tag_cache_sampling: sampling } = s.DogstatsdServer;
    await snapshot(`round ${r + 1}: ${s.Demultiplexer.contexts} contexts, tag cache ${cached} entries (sampling ${sampling})`);
  }
  console.log(`\nsnapshots in ${out}`);
} finally {
  socket.close();
  for (const child of [agent, intake]) if (child !== undefined && child.exitCode === null) child.kill('SIGTERM');
}
