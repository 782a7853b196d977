import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestIntake } from '@agentkit/testing';
import { watchProcess, type AgentProcess } from './support/agent-process.js';
import { execEnv } from './support/exec-process.js';
import { REPO_ROOT } from './support/run-cli.js';

// heap_tuning_enabled: V8's old generation may grow 25 % over what survived its last full
// collection (--heap-growing-percent=25, set at run time), so V8 itself collects much more
// often while garbage is promoted; false leaves V8's factor (up to 4×). ./fixtures/heap-growth.mjs
// grows a heap with garbage and counts V8's own full collections: run directly (the built
// applyAgentV8Flags), and preloaded into the built CLI's `run` and `exec`. Run `npm run build` first.
const BIN = fileURLToPath(new URL('../packages/agent/bin/agentkit.js', import.meta.url));
const HEAP_GROWTH = fileURLToPath(new URL('./fixtures/heap-growth.mjs', import.meta.url));
const CASE_TIMEOUT_MS = 60_000;
const MAJORS = /heap-growth: (\{.*\})/;

const running: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

function spawnWithPath(args: readonly string[], env: Record<string, string>): AgentProcess {
  const child = watchProcess(spawn(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  running.push(child);
  return child;
}

/** Asks the preloaded fixture in `agent` to grow the heap; V8's own full collections meanwhile. */
async function majorsIn(agent: AgentProcess): Promise<number> {
  agent.child.kill('SIGUSR2');
  const [, json = ''] = await agent.waitForStderr(MAJORS, 30_000);
  return (JSON.parse(json) as { majors: number }).majors;
}

/** `agentkit run` with the fixture preloaded, once it is running. */
async function startRun(env: Record<string, string>): Promise<AgentProcess> {
  const agent = spawnWithPath(['--import', HEAP_GROWTH, BIN, 'run'], { DD_APM_RECEIVER_PORT: '0', DD_LOCAL_INTAKE_PORT: '0', DD_CMD_PORT: '-1', DD_DOGSTATSD_PORT: '0', ...env });
  await agent.waitForStdout(/agentkit is running/);
  return agent;
}

describe('applyAgentV8Flags: --heap-growing-percent', () => {
  it(
    'makes V8 collect the old generation once it is a quarter over what survived, and not with heap_tuning_enabled false',
    async () => {
      const majorsOf = async (env: Record<string, string>): Promise<number> => {
        const child = spawnWithPath([HEAP_GROWTH], env);
        expect((await child.closed).code).toBe(0);
        return (JSON.parse(child.stdout()) as { majors: number }).majors;
      };
      const tuned = await majorsOf({});
      const untuned = await majorsOf({ DD_HEAP_TUNING_ENABLED: 'false' });
      expect(tuned).toBeGreaterThan(2 * untuned);
      expect(tuned).toBeGreaterThanOrEqual(5);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit run and exec: heap_tuning_enabled', () => {
  it(
    'applies it in agentkit run, and not when DD_HEAP_TUNING_ENABLED is false',
    async () => {
      const tunedAgent = await startRun({});
      const tuned = await majorsIn(tunedAgent);
      expect(await tunedAgent.stop()).toBe(0);
      const untunedAgent = await startRun({ DD_HEAP_TUNING_ENABLED: 'false' });
      const untuned = await majorsIn(untunedAgent);
      expect(await untunedAgent.stop()).toBe(0);
      expect(tuned).toBeGreaterThan(2 * untuned);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "applies it in agentkit exec's wrapper",
    async () => {
      const intake = await startTestIntake();
      try {
        // The program ignores the SIGUSR2 the wrapper forwards, and stays until SIGTERM.
        // 'ready' once its handlers are in place: "program started" is the spawn, not the program's first line.
        const program = "process.on('SIGUSR2', () => {}); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); console.log('ready');";
        const wrapper = spawnWithPath(['--import', HEAP_GROWTH, BIN, 'exec', '--', process.execPath, '-e', program], await execEnv(intake, { DD_LOG_LEVEL: 'debug' }));
        await wrapper.waitForStdout(/^ready$/m);
        expect(await majorsIn(wrapper)).toBeGreaterThanOrEqual(5);
        expect(await wrapper.stop('SIGTERM')).toBe(0);
      } finally {
        await intake.close();
      }
    },
    CASE_TIMEOUT_MS,
  );
});
