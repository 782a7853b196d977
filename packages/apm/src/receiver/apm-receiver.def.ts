import { token, type TelemetrySource } from '@agentkit/core';

/**
 * The trace agent's receiver: the HTTP port tracers talk to (`apm_config.receiver_port`, 8126,
 * and optionally `apm_config.receiver_socket`). It answers `GET /info`, feeds
 * `/dogstatsd/v2/proxy` lines to the DogStatsD server it injects (so on stop it stops first,
 * and what a tracer posted is drained with the rest), decodes and counts `/v0.x/traces`, and
 * hands the debugger routes to the `DebuggerProxy` when the app has one. Anything else gets the
 * Agent's 404. Everything refused or dropped is counted in `telemetry()` (safe at any time)
 * and logged with its reason.
 */
export interface ApmReceiver extends TelemetrySource {
  /** True between a start that listened on TCP or the socket and the stop. */
  readonly listening: boolean;
  /** The bound TCP port; 0 when not listening on TCP. */
  readonly port: number;
  /** The bound IP address (`::` for every interface); empty when not listening on TCP. */
  readonly address: string;
  /** The Unix socket path listened on; empty when none. */
  readonly socketPath: string;
  /** `http://<address>:<port>` for TCP; empty when not listening on TCP. */
  readonly url: string;
}

export const APM_RECEIVER = token<ApmReceiver>('ApmReceiver');
