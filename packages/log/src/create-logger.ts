import { hostname } from 'node:os';

import { maskSecret } from '@agentkit/config';
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger, LoggerOptions } from 'pino';

import { isTerminalFd } from './is-terminal-fd.js';
import { DEFAULT_LOG_LEVEL, toPinoLevel } from './log-level.js';
import type { LogLevel } from './log-level.js';
import { createPrettyStream } from './pretty-stream.js';
import type { TextSink } from './pretty-stream.js';
import { REDACT_PATHS } from './redact-paths.js';
import { scrubSecrets } from './scrub-secrets.js';

/** stderr: stdout may carry a wrapped program's output (serverless-init `exec`). */
export const DEFAULT_LOG_FD = 2;

export interface CreateLoggerOptions {
  /** The Datadog level name (`log_level`), any case. Defaults to `info`. */
  readonly level?: LogLevel;
  /**
   * `true`: always JSON lines. `false`: human-readable when `isTerminal`, JSON otherwise
   * (`log_format_json`). Defaults to false.
   */
  readonly json?: boolean;
  /**
   * A file descriptor, written with blocking writes, or a stream whose `write` pino calls once
   * per line. Defaults to 2 (stderr).
   */
  readonly destination?: NodeJS.WritableStream | number;
  /**
   * Whether a person reads the output. Defaults to whether the destination is a TTY (for a
   * descriptor: `isatty`, asked without creating `process.stderr`, see `isTerminalFd`).
   */
  readonly isTerminal?: boolean;
  /** Added to every line as `name`. */
  readonly name?: string;
  /** Fields added to every line. Defaults to pino's `{ pid, hostname }` (read when the logger is made); null for none. */
  readonly base?: Record<string, unknown> | null;
}

/** Strings keep Datadog's mask (an empty key stays visibly empty); anything else is hidden whole. */
function censor(value: unknown): string {
  return typeof value === 'string' ? maskSecret(value) : '********';
}

/**
 * Creates a pino logger (it satisfies `Logger` from @agentkit/core) that writes each line
 * synchronously: to a file descriptor with blocking writes, so nothing is lost when the process
 * exits right after logging (serverless: we exit right after the drain), or to the given stream.
 * API keys are hidden twice: pino `redact` on known fields, then `scrubSecrets` over every
 * serialized line, which reaches any depth of any logged object, error stack or message for one
 * linear pass per written line. Disabled levels stay free: pino skips them before either runs.
 *
 * Synchronous; loads pino-pretty only for human-readable output (coloured unless `NO_COLOR` is
 * set). A log call may block while a pipe on the descriptor is full. A given stream stays the
 * caller's: the logger never ends it. Throws `ERR_LOG_INVALID_LEVEL` for an unknown level.
 */
export function createLogger(options: CreateLoggerOptions = {}): PinoLogger {
  const { destination = DEFAULT_LOG_FD } = options;
  const sink: TextSink & DestinationStream =
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  const isTerminal =
    options.isTerminal ??
    (typeof destination === 'number' ? isTerminalFd(destination) : (destination as { isTTY?: boolean }).isTTY === true);
  const stream = options.json !== true && isTerminal ? createPrettyStream(sink, !process.env.NO_COLOR) : sink;

  const pinoOptions: LoggerOptions = {
    level: toPinoLevel(options.level ?? DEFAULT_LOG_LEVEL),
    redact: { paths: [...REDACT_PATHS], censor },
    hooks: { streamWrite: scrubSecrets },
  };
  if (options.name !== undefined) pinoOptions.name = options.name;
  // pino drops `name` along with a null base; an empty base drops pid and hostname only.
  // pino's own default is the same, but read when pino loads: in the single executable's startup
  // snapshot (scripts/binary/snapshot-main.cjs) that would be the build's pid and host.
  pinoOptions.base = options.base === undefined ? { pid: process.pid, hostname: hostname() } : (options.base ?? {});
  return pino(pinoOptions, stream);
}
