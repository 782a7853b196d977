import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestIntake } from '@agentkit/testing';
import { REPO_ROOT } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../packages/agent/bin/agentkit.js', import.meta.url));
/** The task `agentkit exec` wraps in tests and benches (see its header for its flags). */
export const EXEC_TASK = fileURLToPath(new URL('../fixtures/exec-task.mjs', import.meta.url));

/** A running `agentkit exec`, its output collected as it comes. */
export interface ExecProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first or after `timeoutMs`. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the first match of `pattern` in stderr (the wrapper's logs); same rules. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Once the process has exited and its output is fully read. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node packages/agent/bin/agentkit.js exec <args>` (the built CLI) with exactly `env`
 * plus PATH: DD_* variables of the machine cannot leak in, nor NODE_EXTRA_CA_CERTS (~150 ms per
 * Node start here, for the wrapper and for the task).
 */
export function startExec(args: readonly string[], env: Record<string, string>, cwd: string = REPO_ROOT): ExecProcess {
  const child = spawn(process.execPath, [BIN, 'exec', ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    text[stream] += chunk.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  let ended = false;
  void closed.then(() => {
    ended = true;
    for (const listener of [...listeners]) listener();
  });
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      const check = (): void => {
        const match = text[stream].match(pattern);
        if (match !== null) {
          done();
          resolve(match);
        } else if (ended) {
          done();
          reject(new Error(`exited before ${pattern} appeared in ${stream}\nstdout:\n${text.stdout}\nstderr:\n${text.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} in ${stream} after ${timeoutMs} ms\nstdout:\n${text.stdout}\nstderr:\n${text.stderr}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return {
    child,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitForStdout: (pattern, timeoutMs) => waitFor('stdout', pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs) => waitFor('stderr', pattern, timeoutMs),
    closed,
  };
}

/** The environment of an `agentkit exec` shipping to `intake`, listening on a free UDP port (the task learns it). */
export function execEnv(intake: TestIntake, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DD_API_KEY: '0123456789abcdef0123456789abcdef',
    DD_DD_URL: intake.url,
    DD_DOGSTATSD_PORT: '0',
    DD_CMD_PORT: '-1',
    ...extra,
  };
}

/**
 * How many `task.lines` counter increments reached the intake (for one `phase` tag, or all).
 * Counters arrive as a rate per bucket: value × interval is the count.
 */
export function linesAtIntake(intake: TestIntake, phase?: string): number {
  let total = 0;
  for (const series of intake.series()) {
    if (series.metric !== 'task.lines') continue;
    if (phase !== undefined && !series.tags.includes(`phase:${phase}`)) continue;
    for (const point of series.points) total += point.value * series.interval;
  }
  return Math.round(total);
}

/** The `sent <n>` line the task prints when it has sent its last datagram. */
export function linesSent(stdout: string): number {
  const match = /^sent (\d+)$/m.exec(stdout);
  if (match === null) throw new Error(`the task printed no "sent <n>" line:\n${stdout}`);
  return Number(match[1]);
}
