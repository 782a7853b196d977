import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort } from '@agentkit/core/testing';
import { startLocalIntake } from '@agentkit/intake';
import { getJson, pollUntil, watchProcess, type AgentProcess } from './support/agent-process.js';
import { REPO_ROOT } from './support/run-cli.js';

// The symdb upload under `agentkit exec` holds V8's young generation at its size while it runs
// (`--semi-space-growth-factor=1`, back to V8's 2 after; heap_tuning_enabled false: never).
// ./fixtures/young-generation.mjs measures the hold in V8 (run directly) and records the V8
// flags the built CLI sets (preloaded). Run `npm run build` first.
const BIN = fileURLToPath(new URL('../packages/agent/bin/agentkit.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/young-generation.mjs', import.meta.url));
const CASE_TIMEOUT_MS = 60_000;

const running: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
});

function start(args: readonly string[], env: Record<string, string>, cwd = REPO_ROOT): AgentProcess {
  const child = watchProcess(spawn(process.execPath, args, { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  running.push(child);
  return child;
}

describe('holdYoungGeneration', () => {
  it(
    'keeps the new space from growing while held, and lets it grow once released',
    async () => {
      const measure = async (mode: string): Promise<{ start: number; held: number; after: number }> => {
        const child = start([FIXTURE, mode], {});
        expect((await child.closed).code).toBe(0);
        return JSON.parse(child.stdout()) as { start: number; held: number; after: number };
      };
      const free = await measure('none');
      const held = await measure('hold');
      const released = await measure('released');
      // Without a hold the churn grows the new space several times over (to Node 20's 32 MiB).
      expect(free.held).toBeGreaterThanOrEqual(4 * free.start);
      expect(held.held).toBeLessThanOrEqual(held.start);
      expect(released.held).toBeLessThanOrEqual(released.start);
      expect(released.after).toBeGreaterThanOrEqual(4 * released.start);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit exec: the symdb upload holds the young generation', () => {
  /** The V8 flags the wrapper set and its log lines about the upload, in order. */
  async function flagsAndUpload(env: Record<string, string>): Promise<string[]> {
    const local = await startLocalIntake({ port: 0 });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'agentkit-young-'));
      writeFileSync(join(dir, 'app.js'), 'export function handle(request) {\n  return request;\n}\n');
      const wrapper = start(
        ['--import', FIXTURE, BIN, 'exec', '--', process.execPath, '-e', 'setTimeout(() => {}, 1500)'],
        { DD_SYMDB_URL: `${local.url}/symdb/v1/input`, DD_LOCAL_INTAKE_PORT: '0', DD_DOGSTATSD_PORT: '0', DD_APM_RECEIVER_PORT: '0', DD_CMD_PORT: '-1', ...env },
        dir,
      );
      expect((await wrapper.closed).code).toBe(0);
      return [...wrapper.stderr().matchAll(/v8-flag: (\S+)|"msg":"(symbol database uploaded)"/g)].map((m) => m[1] ?? m[2] ?? '');
    } finally {
      await local.onStop();
    }
  }

  // What the bin's loader sets for exec before it compiles the one-file bundle, under which its
  // code cache was recorded (packages/agent/bin/cached-bundle.cjs); the command then sets its own.
  const LOADER_FLAGS = ['--gc-memory-reducer-start-delay-ms=2000', '--liftoff-only', '--heap-growing-percent=25'];

  it(
    'sets the growth factor to 1 for the upload and back to 2 after it, and not with heap_tuning_enabled false or without the upload',
    async () => {
      expect(await flagsAndUpload({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true' })).toEqual([
        ...LOADER_FLAGS,
        '--liftoff-only',
        '--heap-growing-percent=25',
        '--semi-space-growth-factor=1',
        'symbol database uploaded',
        '--semi-space-growth-factor=2',
      ]);
      expect(await flagsAndUpload({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_HEAP_TUNING_ENABLED: 'false' })).toEqual([
        ...LOADER_FLAGS,
        '--liftoff-only',
        '--heap-growing-percent=0',
        'symbol database uploaded',
      ]);
      expect(await flagsAndUpload({})).toEqual([...LOADER_FLAGS, '--liftoff-only', '--heap-growing-percent=25']);
    },
    CASE_TIMEOUT_MS,
  );
});

describe('agentkit run: the young generation after a burst and during a flush', () => {
  /**
   * `agentkit run` (embedded intake, 1 s flushes) receives a burst of contexts and flushes them;
   * the V8 flags it set by the time the agent had been quiet long enough for the quiet-time shrink
   * (or as long, with `untilShrink` false), and the intake's series.
   */
  async function burstAndFlush(env: Record<string, string>, untilShrink: boolean): Promise<{ flags: string[]; series: number }> {
    const port = await freeUdpPort();
    const agent = start(['--import', FIXTURE, BIN, 'run'], {
      DD_APM_RECEIVER_PORT: '0',
      DD_LOCAL_INTAKE_PORT: '0',
      DD_CMD_PORT: '-1',
      DD_DOGSTATSD_PORT: String(port),
      DD_AGGREGATOR_FLUSH_INTERVAL: '1',
      ...env,
    });
    const [, intake = ''] = await agent.waitForStdout(/Local intake (http:\/\/\S+)\//);
    // After the start-up hold: the flags until then are start-hold.test.ts's.
    await agent.waitForStderr(/v8-flag: --semi-space-growth-factor=2/, 20_000);
    const socket = dgram.createSocket('udp4');
    try {
      // 20k contexts of their own, in datagrams of ~1.4 kB: enough garbage to grow the new space.
      for (let i = 0; i < 20_000; i += 25) {
        const lines = Array.from({ length: 25 }, (_, j) => `young.metric:1|g|#a:${i + j},b:${i + j}`);
        await new Promise<void>((resolve, reject) => socket.send(lines.join('\n'), port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
      }
    } finally {
      socket.close();
    }
    const stats = await pollUntil(
      () => getJson<{ items?: Record<string, number> }>(`${intake}/api/local/stats`),
      (s) => Object.entries(s.items ?? {}).some(([kind, n]) => kind.startsWith('series') && n > 0),
      'the flush at the intake',
      30_000,
    );
    const series = Object.entries(stats.items ?? {}).reduce((n, [kind, count]) => (kind.startsWith('series') ? n + count : n), 0);
    if (untilShrink) await agent.waitForStderr(/v8-flag: --no-expose-gc/, 30_000);
    else await new Promise((resolve) => setTimeout(resolve, 8000));
    const flags = [...agent.stderr().matchAll(/v8-flag: (\S+)/g)].map((m) => m[1] ?? '');
    expect(await agent.stop()).toBe(0);
    return { flags, series };
  }

  // The bin's loader sets when V8's memory reducer first looks, then the CLI takes the hold.
  const START_HOLD = ['--gc-memory-reducer-start-delay-ms=2000', '--no-opt', '--no-sparkplug', '--semi-space-growth-factor=1', '--liftoff-only'];
  const RELEASE = ['--opt', '--sparkplug', '--semi-space-growth-factor=2'];

  it(
    'holds the young generation while a flush is encoded and asks V8 to shrink it once quiet',
    async () => {
      const { flags, series } = await burstAndFlush({}, true);
      expect(series).toBeGreaterThan(0);
      // The hold's end also has V8 favour memory for a while (the memory reducer's look).
      expect(flags.slice(0, 10)).toEqual([...START_HOLD, '--heap-growing-percent=25', ...RELEASE, '--optimize-for-size']);
      const after = flags.slice(10);
      // Each flush of series is a hold: the growth factor 1 at its start, V8's 2 once handed on.
      const holds = after.filter((f) => f === '--semi-space-growth-factor=1').length;
      expect(holds).toBeGreaterThanOrEqual(1);
      expect(after.filter((f) => f === '--semi-space-growth-factor=2').length).toBe(holds);
      // The shrink's scavenges: gc from a context made with --expose-gc set only for that moment
      // (a context per shrink).
      const gc = after.filter((f) => f.endsWith('expose-gc'));
      expect(gc.length).toBeGreaterThanOrEqual(2);
      expect(gc).toEqual(gc.map((_, i) => (i % 2 === 0 ? '--expose-gc' : '--no-expose-gc')));
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'does neither with heap_tuning_enabled false',
    async () => {
      const { flags, series } = await burstAndFlush({ DD_HEAP_TUNING_ENABLED: 'false' }, false);
      expect(series).toBeGreaterThan(0);
      expect(flags).toEqual([...START_HOLD, '--heap-growing-percent=0', ...RELEASE]);
    },
    CASE_TIMEOUT_MS,
  );
});
