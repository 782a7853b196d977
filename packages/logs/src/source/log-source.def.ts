import type { Readable, Writable } from 'node:stream';
import { token } from '@agentkit/core';

/** The program's output pipes, and where the wrapper shows each stream again. */
export interface ProgramPipes {
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Gets every chunk of `stdout` unchanged, at once (the wrapper's own stdout). */
  readonly mirrorStdout: Writable;
  readonly mirrorStderr: Writable;
}

/**
 * Reads the program's stdout and stderr to their end: each chunk is written unchanged to its
 * mirror, then handed to the processor. It injects the processor, so its stop runs first: it
 * reads what the program wrote before it exited, to the pipes' end, and hands it over.
 */
export interface LogSource {
  /**
   * Starts reading `pipes`. Call once, after the app started and right after the program was
   * spawned; the source owns the readables from then on (the mirrors stay the caller's).
   */
  attach(pipes: ProgramPipes): void;
}

export const LOG_SOURCE = token<LogSource>('LogSource');
