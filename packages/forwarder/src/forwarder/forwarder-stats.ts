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
}
