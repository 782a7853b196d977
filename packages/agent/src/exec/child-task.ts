import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { TaskCommand } from './command-line.js';
import { exitCodeOf } from './signals.js';
import { monotonicNowMs } from '@agentkit/core';

/** How the wrapped program ended. */
export interface TaskExit {
  /** What the wrapper exits with: the program's code, 128 + signal number, or 126/127 when it could not start. */
  readonly exitCode: number;
  /** The signal that killed it, if one did. */
  readonly signal?: NodeJS.Signals;
  /** Why it could not be started (spawn error), if it could not. */
  readonly spawnError?: Error;
  /** From spawn to exit. */
  readonly durationMs: number;
}

/** Shell conventions: 126 = found but cannot be executed, 127 = not found. */
const EXIT_NOT_EXECUTABLE = 126;
const EXIT_NOT_FOUND = 127;

/**
 * The wrapped program as a child process: stdin, stdout and stderr are the wrapper's own
 * (the program's output stays byte for byte what it wrote), and it gets `env`. With
 * `pipeOutput` (logs_enabled), its stdout and stderr are pipes instead, for the log source to
 * read and show again. It stays in the wrapper's process group, as under serverless-init, so
 * it can read a terminal.
 */
export class ChildTask {
  readonly #child: ChildProcess;
  readonly #startedAt = monotonicNowMs();
  /** Settles once, when the program has exited or could not be started. Never rejects. */
  public readonly exited: Promise<TaskExit>;
  #exit: TaskExit | undefined;

  public constructor(command: TaskCommand, env: Readonly<Record<string, string | undefined>>, pipeOutput = false) {
    this.#child = spawn(command.file, [...command.args], { stdio: pipeOutput ? ['inherit', 'pipe', 'pipe'] : 'inherit', env });
    this.exited = new Promise<TaskExit>((resolve) => {
      const settle = (exit: TaskExit): void => {
        if (this.#exit !== undefined) return;
        this.#exit = exit;
        resolve(exit);
      };
      // 'exit', not 'close': a grandchild holding our stdout open must not delay the drain (with
      // pipes, the log source reads them to their end within its own share of the budget).
      this.#child.once('exit', (code, signal) =>
        settle({ exitCode: exitCodeOf(code, signal), ...(signal === null ? {} : { signal }), durationMs: this.#elapsedMs() }),
      );
      this.#child.on('error', (error: NodeJS.ErrnoException) => {
        // Emitted when spawning failed (then no 'exit' follows), or when a kill failed (ignored: it still runs).
        if (this.#child.pid !== undefined) return;
        const exitCode = error.code === 'ENOENT' ? EXIT_NOT_FOUND : error.code === 'EACCES' ? EXIT_NOT_EXECUTABLE : 1;
        settle({ exitCode, spawnError: error, durationMs: this.#elapsedMs() });
      });
    });
  }

  /** The program's stdout and stderr pipes, with `pipeOutput` (and when it started). */
  public get output(): { readonly stdout: Readable; readonly stderr: Readable } | undefined {
    const { stdout, stderr } = this.#child;
    return stdout === null || stderr === null ? undefined : { stdout, stderr };
  }

  public get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True once the program has exited (or never started). */
  public get done(): boolean {
    return this.#exit !== undefined;
  }

  /** Sends `signal` unless the program has already exited; false when nothing was sent. */
  public signal(signal: NodeJS.Signals): boolean {
    if (this.#exit !== undefined || this.#child.pid === undefined) return false;
    try {
      return this.#child.kill(signal);
    } catch {
      return false; // ESRCH: it exited between the check and the kill
    }
  }

  #elapsedMs(): number {
    return Math.round(monotonicNowMs() - this.#startedAt);
  }
}
