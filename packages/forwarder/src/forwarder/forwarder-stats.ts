import { ENDPOINT_PATHS, type EndpointName } from './forwarder.def.js';

function perEndpoint(): Record<EndpointName, number> {
  return Object.fromEntries(Object.keys(ENDPOINT_PATHS).map((name) => [name, 0])) as Record<EndpointName, number>;
}

/** Counters shared by all destination workers; read by `HttpForwarder.telemetry()`. */
export class ForwarderStats {
  /** `submit()` calls accepted (one per payload, whatever the number of destinations). */
  public submitted = 0;
  /** Transactions the intake accepted (2xx/3xx). */
  public sent = 0;
  /** Body bytes of those. */
  public bytesSent = 0;
  /** Attempts that got no acceptable answer (network error, timeout, any status ≥ 400). */
  public failed = 0;
  /** Attempts of a transaction that had failed before. */
  public retried = 0;
  /** Transactions put in a retry queue (after a failure, or while their endpoint is blocked). */
  public requeued = 0;
  /** `sent` by endpoint (every key preset, so counting allocates nothing). */
  public readonly sentByEndpoint = perEndpoint();
  /** `failed` by endpoint. */
  public readonly failedByEndpoint = perEndpoint();
}
