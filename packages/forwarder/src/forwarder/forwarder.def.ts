import { token } from '@agentkit/core';

/** The Datadog intake routes agentkit sends to, by the Datadog Agent's endpoint names. */
export const ENDPOINT_PATHS = {
  series_v1: '/api/v1/series',
  series_v2: '/api/v2/series',
  sketches_v2: '/api/beta/sketches',
  intake: '/intake/',
  check_run_v1: '/api/v1/check_run',
  /** The HTTP logs intake (`http-intake.logs.<site>`): @agentkit/logs sends here through its own destination. */
  logs: '/api/v2/logs',
} as const;

export type EndpointName = keyof typeof ENDPOINT_PATHS;

/**
 * One serialized, compressed request body for one endpoint. The forwarder sends a copy to
 * every configured destination (domain × API key) and adds the API key and agent headers.
 */
export interface Payload {
  readonly endpoint: EndpointName;
  /** The exact request body. Owned by the forwarder once submitted: never modify it after. */
  readonly body: Buffer;
  /** Set by the serializer: Content-Type, Content-Encoding, DD-Agent-Payload. */
  readonly headers: Readonly<Record<string, string>>;
  /** Series, sketches, events or checks inside, for telemetry and drop accounting. */
  readonly itemCount: number;
}

/**
 * Delivers payloads to the intake. Injected by the serializer, so it starts before the
 * serializer and stops after it: on stop it still accepts what the serializer hands over,
 * then sends everything queued within `forwarder_stop_timeout`.
 */
export interface Forwarder {
  /**
   * Queues a payload for every destination and returns at once: it never blocks and never
   * throws. A payload that cannot be queued (queue full, after stop) is counted and logged
   * with its reason, never dropped silently. Callable from construction until this
   * component's own onStop has finished.
   */
  submit(payload: Payload): void;
  /**
   * Readies the first send without sending anything: loads the HTTP client and, when a
   * destination is reached over TLS, builds the process's store of root certificates, which
   * the first TLS connection otherwise builds (~16 ms of CPU on Node 20). For `agentkit exec`,
   * called once the program runs, so that a short task's last send does not pay for it after
   * the program's exit. Returns at once (the work runs in the background); callable while
   * running, later calls do nothing. Optional: a forwarder with nothing to ready leaves it out.
   */
  prepare?(): void;
}

export const FORWARDER = token<Forwarder>('Forwarder');
