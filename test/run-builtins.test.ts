import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort } from '@agentkit/core/testing';
import { getJson, pollUntil, watchProcess, type AgentProcess } from './support/agent-process.js';
import { REPO_ROOT } from './support/run-cli.js';

// What the built CLI's idle `agentkit run` (embedded local intake, nothing received) loads of
// Node's own modules, and that what it leaves out still loads at its first use (run `npm run
// build` first). Each one loaded costs the idle agent resident memory (docs/benchmarks.md,
// "Issue 14 §3, what the idle agent's own code holds").

const BIN = fileURLToPath(new URL('../packages/agent/bin/agentkit.js', import.meta.url));
const CASE_TIMEOUT_MS = 60_000;
const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

let dir: string;
const running: AgentProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentkit-run-builtins-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts the built `agentkit run` with a preload that writes, when it exits, the names of
 * Node's public modules loaded so far (process.moduleLoadList; the preload itself loads only
 * node:fs, at the exit), its DogStatsD UDP listener on `udpPort` (off at 0), `env` added. Resolves with
 * the agent and the local intake's URL once it is ready.
 */
async function startRun(udpPort = 0, env: Record<string, string> = {}): Promise<{ agent: AgentProcess; intakeUrl: string; builtins: () => string[] }> {
  const out = join(dir, 'builtins.json');
  const preload = join(dir, 'record-builtins.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice('NativeModule '.length)))));\n`,
  );
  const agent = watchProcess(
    spawn(process.execPath, ['--require', preload, BIN, 'run'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', DD_APM_RECEIVER_PORT: '0', DD_LOCAL_INTAKE_PORT: '0', DD_CMD_PORT: '-1', DD_DOGSTATSD_PORT: String(udpPort), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  running.push(agent);
  const [, intakeUrl = ''] = await agent.waitForStdout(/Local intake (http:\S+)\//);
  await agent.waitForStdout(/agentkit is running/);
  return { agent, intakeUrl, builtins: () => JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

describe('agentkit run, what it loads of Node while idle', () => {
  it(
    "does not load node:fs/promises nor node:module while the intake's page is not asked for",
    async () => {
      const { agent, builtins } = await startRun();
      expect(await agent.stop()).toBe(0);
      // The agent did start its pipeline and its intake: UDP bound, the intake's HTTP server up.
      expect(builtins()).toEqual(expect.arrayContaining(['dgram', 'http']));
      // node:fs/promises brings node:readline's interface and the file watchers; node:module
      // Node's ES module loader (uplot's resolution): both wait for the page's first request.
      expect(builtins()).not.toContain('fs/promises');
      expect(builtins()).not.toContain('module');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'does not load node:perf_hooks for a clock: not by ready, nor idling and flushing a burst without the young-generation shrink',
    async () => {
      // By ready: the App's hooks, the listeners and the forwarder have all read the clock.
      const first = await startRun();
      expect(await first.agent.stop()).toBe(0);
      expect(first.builtins()).not.toContain('perf_hooks');
      // With heap_tuning_enabled false the shrink (whose PerformanceObserver of V8's collections
      // loads it 1 s after ready) never starts: the rest of the run reads the clock only.
      const udpPort = await freeUdpPort();
      const { agent, intakeUrl, builtins } = await startRun(udpPort, { DD_HEAP_TUNING_ENABLED: 'false' });
      // Past the start-up hold's end (1 s after ready) to the bench's idle reading (3 s).
      await new Promise((resolve) => setTimeout(resolve, 3000));
      // 20k contexts of their own, flushed to the intake: the listener's, the serializer's and
      // the forwarder's clocks on their hot paths.
      const socket = dgram.createSocket('udp4');
      try {
        for (let i = 0; i < 20_000; i += 25) {
          const lines = Array.from({ length: 25 }, (_, j) => `builtins.metric:1|c|#a:${i + j},b:${i + j}`);
          await new Promise<void>((resolve, reject) => socket.send(lines.join('\n'), udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
        }
      } finally {
        socket.close();
      }
      await pollUntil(
        () => getJson<{ items?: Record<string, number> }>(`${intakeUrl}/api/local/stats`),
        (s) => Object.entries(s.items ?? {}).some(([kind, n]) => kind.startsWith('series') && n > 0),
        'the flush at the intake',
        30_000,
      );
      expect(await agent.stop()).toBe(0);
      expect(builtins()).toEqual(expect.arrayContaining(['dgram', 'http']));
      // Node 20's global `performance` would load it (and eight internal/perf modules with it).
      expect(builtins()).not.toContain('perf_hooks');
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'serves the page and uPlot at their first request, byte for byte, loading them then',
    async () => {
      const { agent, intakeUrl, builtins } = await startRun();
      const page = await fetch(`${intakeUrl}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('/assets/uPlot.iife.min.js');
      const uplot = await fetch(`${intakeUrl}/assets/uPlot.iife.min.js`);
      expect(uplot.status).toBe(200);
      expect(Buffer.from(await uplot.arrayBuffer())).toEqual(readFileSync(join(uplotDist, 'uPlot.iife.min.js')));
      expect((await fetch(`${intakeUrl}/assets/none.js`)).status).toBe(404);
      expect(await agent.stop()).toBe(0);
      expect(builtins()).toEqual(expect.arrayContaining(['fs/promises', 'module']));
    },
    CASE_TIMEOUT_MS,
  );
});
