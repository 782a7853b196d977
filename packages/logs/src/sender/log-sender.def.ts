import { token } from '@agentkit/core';

/** A log's status as the logs intake names them. */
export type LogStatus = 'emergency' | 'alert' | 'critical' | 'error' | 'warn' | 'info' | 'notice' | 'debug' | 'trace' | 'ok';

/** Which of the program's streams a log came from. */
export type LogStream = 'stdout' | 'stderr';

/**
 * One log of the wrapped program, as the processor made it: a whole line (or a joined stack
 * trace), its status, when it was read. The sender adds what every log carries (service,
 * ddsource, ddtags, hostname).
 */
export interface LogEntry {
  /** The text; at most `MAX_LOG_MESSAGE_BYTES` UTF-8 bytes (the processor cuts and marks longer ones). */
  readonly message: string;
  readonly status: LogStatus;
  /** Milliseconds since the epoch: when its first line was read. */
  readonly timestampMs: number;
  readonly stream: LogStream;
  /** A JSON line's other fields, sent as the log's attributes (never `message`/`status`). */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/**
 * Ships logs to the logs intake (`/api/v2/logs`) in batches within the intake's limits.
 * Injected by the processor, so it starts before it and stops after it: on stop it still takes
 * what the processor hands over, then sends everything within its share of the stop budget.
 */
export interface LogSender {
  /**
   * Takes one log and returns at once: never blocks, never throws. A log that cannot be kept
   * (after stop, too much queued) is counted and logged with its reason. Callable from
   * construction until this component's own onStop has finished.
   */
  send(entry: LogEntry): void;
  /**
   * Backpressure: undefined while the sender has room for more payloads; else a promise that
   * resolves once it has room again (or stops). A reader may wait for it before reading on;
   * what it sends meanwhile is still taken (and counted if it cannot be kept).
   */
  whenReady(): Promise<void> | undefined;
}

export const LOG_SENDER = token<LogSender>('LogSender');

/**
 * What every log of this program carries, decided by `agentkit exec` before the app is built
 * (serverless-init's tags, the platform's origin); provided as a value by `logsBundle`.
 */
export interface LogsContext {
  /** `ddtags`: the cloud and configured tags, `key:value`. */
  readonly tags: readonly string[];
  /** `ddsource` when `source` (`DD_SOURCE`) is empty: the platform's origin (`cloudrun`, `local`…). */
  readonly defaultSource: string;
  /** Send here when `logs_config.logs_dd_url` is not set (the local intake); undefined: `https://http-intake.logs.<site>`. */
  readonly intakeUrl?: string;
}

export const LOGS_CONTEXT = token<LogsContext>('LogsContext');
