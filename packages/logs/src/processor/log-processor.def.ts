import { token } from '@agentkit/core';
import type { LogStream } from '../sender/log-sender.def.js';

/**
 * Turns the program's output into logs: splits each stream into lines, joins a stack trace's
 * lines into one log, reads JSON lines as attributes, cuts and marks what is over 1 MB, and
 * hands each log to the sender. Injected by the source, so it stops after the source has
 * handed over its last bytes; its own stop hands over every line it still holds.
 */
export interface LogProcessor {
  /**
   * Bytes of `stream`, in the order read. The processor keeps only a copy of what it needs
   * (the caller may reuse `chunk`); never blocks, never throws. Callable until its onStop ends.
   */
  write(stream: LogStream, chunk: Buffer): void;
  /** `stream` has ended: its last bytes, even without a newline, are a line. Idempotent. */
  end(stream: LogStream): void;
  /** The sender's backpressure (`LogSender.whenReady`): undefined when the pipeline has room. */
  whenReady(): Promise<void> | undefined;
}

export const LOG_PROCESSOR = token<LogProcessor>('LogProcessor');
