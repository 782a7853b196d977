/**
 * A component's counters and gauges at one instant, flat: `packets`, `dropped.queue_full`,
 * `queue_depth`. Dotted names group related values (the status page and the Prometheus
 * exporter split on the first dot: `dropped.queue_full` → `dropped{reason="queue_full"}`).
 */
export type TelemetrySnapshot = Readonly<Record<string, number>>;

/**
 * Implemented by components that have something to report. The App collects every component
 * that implements it (`app.telemetry()`); nothing needs to be registered.
 *
 * Gauges of work still held are named `queued_*`, `pending_*`, `queue.*`, `queue_depth`,
 * `kernel_queue_bytes`, `buckets`, `inflight` or `open_connections`: the App's stop result
 * reports their non-zero values per stage (`pendingGauges`), so name such a gauge that way.
 */
export interface TelemetrySource {
  /** Cheap and synchronous: read counters, allocate the snapshot object, nothing more. */
  telemetry(): TelemetrySnapshot;
}

export function isTelemetrySource(value: unknown): value is TelemetrySource {
  return typeof value === 'object' && value !== null && typeof (value as TelemetrySource).telemetry === 'function';
}
