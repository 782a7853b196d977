import { afterEach } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../packages/agent/bin/agentkit.js', import.meta.url));

/** A running `agentkit <command>` child process, its output collected as it comes. */
export interface AgentProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first or after `timeoutMs`. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the first match of `pattern` in stderr (the agent's logs); same rules. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Once the process has exited and its output is fully read. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) unless it has ended, and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built CLI (`node packages/agent/bin/agentkit.js <args>`) with exactly `env` plus
 * PATH: DD_* variables of the machine running the tests cannot leak in, nor
 * NODE_EXTRA_CA_CERTS (~150 ms per Node start here). The trace agent's receiver is off unless
 * `env` sets DD_APM_RECEIVER_PORT: agents started in parallel would all reach for 8126, and so
 * would a Datadog Agent on the machine.
 */
export function startAgentProcess(args: readonly string[], env: Record<string, string>, cwd: string = REPO_ROOT): AgentProcess {
  const fullEnv = { PATH: process.env['PATH'] ?? '', DD_APM_RECEIVER_PORT: '0', ...env };
  return watchProcess(spawn(process.execPath, [BIN, ...args], { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * A `startAgentProcess` whose processes are SIGKILLed after each test of the file that calls
 * this (at its top level), so a failed test leaves no agent running.
 */
export function startAgentProcessesKilledAfterEach(): (args: readonly string[], env: Record<string, string>) => AgentProcess {
  const running: AgentProcess[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop('SIGKILL')));
  });
  return (args, env) => {
    const started = startAgentProcess(args, env);
    running.push(started);
    return started;
  };
}

/** Collects the output of a child spawned with piped stdout and stderr, as {@link startAgentProcess} does. */
export function watchProcess(child: ChildProcess): AgentProcess {
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
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return (await closed).code;
    },
  };
}

/** GETs a JSON document from a local server. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** Polls `read` until `done` holds; rejects with the last value after `timeoutMs`. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
