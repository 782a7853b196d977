import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import dgram from 'node:dgram';
import { freeUdpPort } from '@agentkit/core/testing';
import { watchProcess, type AgentProcess } from './support/agent-process.js';
import { REPO_ROOT } from './support/run-cli.js';

// `agentkit run`'s start-up hold (packages/agent/src/agent-v8-flags.ts, holdStartFootprint):
// from before the command's modules load until 1 s after the agent is ready, V8 compiles
// nothing with TurboFan or Sparkplug and its young generation does not grow; then both are V8's again.
// heap_tuning_enabled false ends it as soon as the configuration is read. ./fixtures/young-generation.mjs,
// preloaded, records every V8 flag the built CLI sets. Run `npm run build` first.
const BIN = fileURLToPath(new URL('../packages/agent/bin/agentkit.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/young-generation.mjs', import.meta.url));
const MAJOR_GCS = fileURLToPath(new URL('./fixtures/major-gcs.mjs', import.meta.url));
const CASE_TIMEOUT_MS = 60_000;

const running: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

function startRun(env: Record<string, string>, nodeFlags: readonly string[] = []): AgentProcess {
  const agent = watchProcess(
    spawn(process.execPath, [...nodeFlags, '--import', FIXTURE, BIN, 'run'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', DD_APM_RECEIVER_PORT: '0', DD_LOCAL_INTAKE_PORT: '0', DD_CMD_PORT: '-1', DD_DOGSTATSD_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  running.push(agent);
  return agent;
}

/** What the bin's loader sets for every command (packages/agent/bin/cached-bundle.cjs, setCommandV8Flags). */
const REDUCER_LOOK = '--gc-memory-reducer-start-delay-ms=2000';

const flagsOf = (agent: AgentProcess): string[] => [...agent.stderr().matchAll(/v8-flag: (\S+)/g)].map((m) => m[1] ?? '');

describe('agentkit run: the start-up hold', () => {
  it(
    'holds TurboFan, Sparkplug and the young generation from before the start until after the agent is ready, then gives them back',
    async () => {
      const agent = startRun({});
      await agent.waitForStdout(/agentkit is running/);
      await agent.waitForStderr(/v8-flag: --no-optimize-for-size/, 20_000);
      expect(flagsOf(agent)).toEqual([
        // The bin's loader, before it compiles the bundle: when V8's memory reducer first looks.
        REDUCER_LOOK,
        '--no-opt',
        '--no-sparkplug',
        '--semi-space-growth-factor=1',
        '--liftoff-only',
        '--heap-growing-percent=25',
        '--opt',
        '--sparkplug',
        '--semi-space-growth-factor=2',
        // V8 favours memory for a while after the hold, so that the reducer's look collects.
        '--optimize-for-size',
        '--no-optimize-for-size',
      ]);
      expect(await agent.stop()).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "has V8's memory reducer collect right after it ends, while V8 favours memory, not 8 s into the start",
    async () => {
      const agent = startRun({}, ['--import', MAJOR_GCS]);
      await agent.waitForStdout(/agentkit is running/);
      await agent.waitForStderr(/v8-flag: --no-optimize-for-size/, 20_000);
      // The reducer's collections are full ones: an idle agent has none of its own in that time.
      const events = [...agent.stderr().matchAll(/v8-flag: (--(?:no-)?optimize-for-size)|(major-gc)/g)].map((m) => m[1] ?? m[2] ?? '');
      const from = events.indexOf('--optimize-for-size');
      const to = events.indexOf('--no-optimize-for-size');
      expect(from).toBeGreaterThanOrEqual(0);
      expect(events.slice(from + 1, to)).toContain('major-gc');
      expect(await agent.stop()).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'ends as soon as the configuration is read when heap_tuning_enabled is false',
    async () => {
      const agent = startRun({ DD_HEAP_TUNING_ENABLED: 'false' });
      await agent.waitForStdout(/agentkit is running/);
      expect(flagsOf(agent)).toEqual([
        REDUCER_LOOK,
        '--no-opt',
        '--no-sparkplug',
        '--semi-space-growth-factor=1',
        '--liftoff-only',
        '--heap-growing-percent=0',
        '--opt',
        '--sparkplug',
        '--semi-space-growth-factor=2',
      ]);
      expect(await agent.stop()).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );

  it.each([
    ['Node is started with', { NODE_OPTIONS: '' }, ['--no-opt']],
    ['Node is started with', { NODE_OPTIONS: '' }, ['--semi-space-growth-factor=4']],
    ['NODE_OPTIONS sets', { NODE_OPTIONS: '--jitless' }, []],
  ])('is not taken when %s a flag its release would override (%j %j)', async (_, env, nodeFlags) => {
    const agent = startRun(env, nodeFlags);
    await agent.waitForStdout(/agentkit is running/);
    expect(flagsOf(agent)).toEqual([REDUCER_LOOK, '--liftoff-only', '--heap-growing-percent=25']);
    expect(await agent.stop()).toBe(0);
  }, CASE_TIMEOUT_MS);

  it(
    'counts datagrams that arrive while it is held, as any other',
    async () => {
      const port = await freeUdpPort();
      const agent = startRun({ DD_CMD_PORT: '0', DD_DOGSTATSD_PORT: String(port) });
      const [, status = ''] = await agent.waitForStdout(/Status\s+(http:\/\/\S+)\/status/);
      const socket = dgram.createSocket('udp4');
      try {
        const lines = Array.from({ length: 200 }, (_, i) => `held.metric.${i}:1|c|#i:${i}`);
        for (let i = 0; i < lines.length; i += 20) {
          await new Promise<void>((resolve, reject) => socket.send(lines.slice(i, i + 20).join('\n'), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
        }
      } finally {
        socket.close();
      }
      let counted = 0;
      for (let tries = 0; tries < 100 && counted < 200; tries++) {
        const body = (await (await fetch(`${status}/status`)).json()) as { components: { DogstatsdServer?: { lines?: number } } };
        counted = body.components.DogstatsdServer?.lines ?? 0;
        if (counted < 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(counted).toBe(200);
      expect(await agent.stop()).toBe(0);
    },
    CASE_TIMEOUT_MS,
  );
});
