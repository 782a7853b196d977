import { token, type TelemetrySnapshot } from '@agentkit/core';

/**
 * The agent's local status server on 127.0.0.1:`cmd_port`: `GET /status` answers a
 * {@link StatusDocument} as JSON, `GET /telemetry` the same counters in the Prometheus text
 * format (see `formatPrometheus`). `url` and `port` are meaningful only between start and stop
 * (before start and after stop: `''` and 0). Requests are answered synchronously from the
 * components' `telemetry()`; nothing here blocks the pipeline.
 */
export interface StatusServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** The bound port (the chosen one when `cmd_port` is 0). */
  readonly port: number;
}

/** The JSON body of `GET /status`. */
export interface StatusDocument {
  /** agentkit's version (AGENTKIT_VERSION). */
  readonly version: string;
  readonly pid: number;
  /** When the status server started, with the agent (ISO 8601, UTC). */
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  /** Every component's telemetry, by component name, in start order. */
  readonly components: Readonly<Record<string, TelemetrySnapshot>>;
}

export const STATUS_SERVER = token<StatusServer>('StatusServer');
