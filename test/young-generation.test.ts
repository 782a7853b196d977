import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalIntake } from '@agentkit/intake';
import { watchProcess, type AgentProcess } from './support/agent-process.js';
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
  const LOADER_FLAGS = ['--liftoff-only', '--heap-growing-percent=25'];

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
