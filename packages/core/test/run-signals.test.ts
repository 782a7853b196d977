import { describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundle, createApp, provide, token } from '../src/index.js';
import { SIGNAL_ECHO_WINDOW_MS } from '../src/lifecycle/signals.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/signal-app.mjs', import.meta.url));

interface Child {
  proc: ChildProcess;
  output: () => string;
  waitFor: (line: string) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the fixture against the built @agentkit/core (npm test builds before jest runs). */
function runFixture(mode: string, env: Record<string, string> = {}): Child {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv['NODE_EXTRA_CA_CERTS']; // costs ~150 ms per Node start on these machines
  delete childEnv['NODE_OPTIONS'];
  const proc = spawn(process.execPath, [FIXTURE, mode], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  proc.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) if (out.split('\n').includes(w.line)) w.resolve();
  });
  proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    output: () => out,
    exited,
    waitFor: (line) =>
      new Promise((resolve, reject) => {
        if (out.split('\n').includes(line)) return resolve();
        waiters.push({ line, resolve });
        void exited.then(() => reject(new Error(`exited before "${line}":\n${out}`)));
      }),
  };
}

describe('App.run({ onStarted })', () => {
  it('calls onStarted once every component has started, before waiting for the stop', async () => {
    const events: string[] = [];
    const A = token<object>('A');
    const app = createApp([bundle('x', [provide(A, { useValue: { onStart: () => void events.push('start A'), onStop: () => void events.push('stop A') } })])]);
    const code = await app.run({
      onStarted: (started) => {
        events.push(`started ${started.state}`);
        started.shutdown(0);
      },
    });
    expect(code).toBe(0);
    expect(events).toEqual(['start A', 'started started', 'stop A']);
  });

  it('stops the app and resolves to 1 when onStarted throws', async () => {
    const app = createApp([]);
    const code = await app.run({
      onStarted: () => {
        throw new Error('cannot print');
      },
    });
    expect(code).toBe(1);
    expect(app.state).toBe('stopped');
  });
});

describe('App.run() in a real process', () => {
  it('waits for a signal with no socket open, then stops gracefully on the first SIGTERM and resolves to 0', async () => {
    const child = runFixture('run', { STOP_MS: '100' });
    await child.waitFor('started');
    child.proc.kill('SIGTERM');
    const { code } = await child.exited;
    expect(child.output().trim().split('\n')).toEqual(['started', 'worker stopping', 'worker stopped', 'store stopped', 'exit 0']);
    expect(code).toBe(0);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('exits at once with %s on a second signal during the stop (code %i)', async (second, expected) => {
    const child = runFixture('run', { STOP_MS: '30000' });
    await child.waitFor('started');
    child.proc.kill('SIGTERM');
    await child.waitFor('worker stopping');
    // The same signal again counts as a second request only once the echo window is over.
    if (second === 'SIGTERM') await new Promise((resolve) => setTimeout(resolve, SIGNAL_ECHO_WINDOW_MS + 100));
    child.proc.kill(second);
    const { code } = await child.exited;
    expect(code).toBe(expected);
    expect(child.output()).not.toContain('worker stopped');
  });

  // A Ctrl-C under `npm start`: the terminal signals the process group, then npm forwards its own.
  it.each(['SIGINT', 'SIGTERM'] as const)('takes %s sent again right after the first as the same stop request: stops gracefully and resolves to 0', async (signal) => {
    const child = runFixture('run', { STOP_MS: '500' });
    await child.waitFor('started');
    child.proc.kill(signal);
    // Once the first is handled (two sent back to back would merge in the kernel, as pending signals do).
    await child.waitFor('worker stopping');
    child.proc.kill(signal);
    const { code } = await child.exited;
    expect(child.output().trim().split('\n')).toEqual(['started', 'worker stopping', 'worker stopped', 'store stopped', 'exit 0']);
    expect(code).toBe(0);
  });

  it('times out a hook awaiting a promise with no I/O behind it instead of exiting mid-stop', async () => {
    const child = runFixture('hang');
    const { code } = await child.exited;
    // Without a referenced timer Node would see an empty event loop and exit with 13 here.
    expect(code).toBe(0);
    expect(child.output()).toMatch(/stop rejected ERR_CORE_STOP_FAILED: onStop of "Worker" timed out \(its stopTimeoutMs of 300 ms\)/);
    expect(child.output()).toContain('store stopped');
  });
});
