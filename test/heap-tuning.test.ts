import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freeUdpPort } from '@agentkit/core/testing';
import { startTestIntake } from '@agentkit/testing';
import { getJson, pollUntil, watchProcess, type AgentProcess } from './support/agent-process.js';
import { execEnv } from './support/exec-process.js';
import { REPO_ROOT } from './support/run-cli.js';
import { sendLinesFromChild } from './support/send-lines.js';

// heap_tuning_enabled: `agentkit run` collects the garbage of a burst of new contexts itself
// (a requested full collection, which V8 marks FORCED), and leaves V8 alone when told not to.
// The built CLI, real UDP; a preloaded observer reports the collections. Run `npm run build` first.
const BIN = fileURLToPath(new URL('../packages/agent/bin/agentkit.js', import.meta.url));
const OBSERVER = fileURLToPath(new URL('./fixtures/gc-observer.mjs', import.meta.url));
const HEAP_GROWTH = fileURLToPath(new URL('./fixtures/heap-growth.mjs', import.meta.url));
const CONTEXTS = 100_000;
const CASE_TIMEOUT_MS = 60_000;
const FORCED = /gc-observer: forced full collection/;

const running: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

// The program `agentkit exec` wraps: the same burst, then a pause for the wrapper to take it.
const BURST_PROGRAM = `
const socket = require('node:dgram').createSocket('udp4');
const send = (text) => new Promise((resolve, reject) => socket.send(text, Number(process.env.DD_DOGSTATSD_PORT), '127.0.0.1', (e) => (e ? reject(e) : resolve())));
(async () => {
  for (let i = 0; i < ${CONTEXTS}; i += 20) {
    const lines = [];
    for (let j = i; j < i + 20; j++) lines.push('heap.burst.' + (j % 100) + ':1|g|#a:' + j + ',b:' + j + ',c:' + j + ',d:' + j + ',e:' + j);
    await send(lines.join('\\n'));
  }
  socket.close();
  setTimeout(() => {}, 3000);
})();
`;

/** `agentkit <args>` with the observer preloaded into it (not into a program it starts). */
function spawnObserved(args: readonly string[], env: Record<string, string>): AgentProcess {
  const fullEnv = { PATH: process.env['PATH'] ?? '', DD_APM_RECEIVER_PORT: '0', ...env };
  const agent = watchProcess(spawn(process.execPath, ['--import', OBSERVER, BIN, ...args], { cwd: REPO_ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] }));
  running.push(agent);
  return agent;
}

/** `agentkit run` with the observer preloaded; resolves once it is running, with its status URL. */
async function startObserved(env: Record<string, string>): Promise<{ agent: AgentProcess; statusUrl: string }> {
  const agent = spawnObserved(['run'], { DD_LOCAL_INTAKE_PORT: '0', DD_CMD_PORT: '0', ...env });
  const [, statusUrl = ''] = await agent.waitForStdout(/Status\s+(http:\S+)\/status/);
  return { agent, statusUrl };
}

/** 100k contexts, each its own tag set (as bench/memory sends them), and the samples the agent counted once they all arrived or stopped arriving. */
async function sendBurst(port: number, statusUrl: string): Promise<number> {
  const lines = Array.from({ length: CONTEXTS }, (_, i) => `heap.burst.${i % 100}:1|g|#a:${i},b:${i},c:${i},d:${i},e:${i}`);
  expect(await sendLinesFromChild(port, lines)).toBe(CONTEXTS);
  let last = -1;
  const samples = async (): Promise<number> => {
    const status = await getJson<{ components: Record<string, Record<string, number>> }>(`${statusUrl}/status`);
    return status.components['Demultiplexer']?.['samples'] ?? 0;
  };
  // Settled: the count stopped moving (what the kernel dropped never comes).
  return pollUntil(
    samples,
    (n) => {
      const settled = n === last && n > 0;
      last = n;
      return settled || n === CONTEXTS;
    },
    'the burst counted',
  );
}

/** V8's own full collections while ./fixtures/heap-growth.mjs grows its old generation with garbage. */
async function ownMajorCollections(env: Record<string, string>): Promise<number> {
  const child = watchProcess(spawn(process.execPath, [HEAP_GROWTH], { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  running.push(child);
  expect((await child.closed).code).toBe(0);
  return (JSON.parse(child.stdout()) as { majors: number }).majors;
}

describe('applyAgentV8Flags: --heap-growing-percent', () => {
  it(
    'makes V8 collect the old generation once it is a quarter over what survived, and not with heap_tuning_enabled false',
    async () => {
      const tuned = await ownMajorCollections({});
      const untuned = await ownMajorCollections({ DD_HEAP_TUNING_ENABLED: 'false' });
      expect(tuned).toBeGreaterThan(2 * untuned);
      expect(tuned).toBeGreaterThanOrEqual(5);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit run: heap_tuning_enabled', () => {
  it(
    'collects the garbage of a burst of 100k contexts itself, without exposing gc to the program',
    async () => {
      const port = await freeUdpPort();
      const { agent, statusUrl } = await startObserved({ DD_DOGSTATSD_PORT: String(port) });
      expect(agent.stderr()).toContain('gc exposed to the program: false');
      expect(agent.stderr()).not.toMatch(FORCED);
      expect(await sendBurst(port, statusUrl)).toBeGreaterThan(CONTEXTS / 2);
      await agent.waitForStderr(FORCED, 10_000);
      expect(await agent.stop()).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'leaves the collections to V8 with heap_tuning_enabled false',
    async () => {
      const port = await freeUdpPort();
      const { agent, statusUrl } = await startObserved({ DD_DOGSTATSD_PORT: String(port), DD_HEAP_TUNING_ENABLED: 'false' });
      expect(await sendBurst(port, statusUrl)).toBeGreaterThan(CONTEXTS / 2);
      // Four of the reclaimer's readings (one every 250 ms): it would have collected by now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await agent.stop()).toBe(0);
      expect(agent.stderr()).not.toMatch(FORCED);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'collects it in agentkit exec too, while its program runs',
    async () => {
      const intake = await startTestIntake();
      try {
        const wrapper = spawnObserved(['exec', '--', process.execPath, '-e', BURST_PROGRAM], await execEnv(intake));
        await wrapper.waitForStderr(FORCED, 20_000);
        expect((await wrapper.closed).code).toBe(0);
      } finally {
        await intake.close();
      }
    },
    CASE_TIMEOUT_MS,
  );
});
