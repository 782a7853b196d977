import { isTelemetrySource, type TelemetrySnapshot } from './telemetry.js';

/**
 * Telemetry entries that measure work still held (gauges), as opposed to totals: queue
 * depths, bytes in the kernel queue, open buckets, requests in flight. Anything a stage
 * names `queued_*` or `pending_*` counts too, so a stage that adds such a gauge is covered.
 */
const PENDING_GAUGE = /^(queued_|pending_|queue\.|queue_depth$|kernel_queue_bytes$|buckets$|inflight$|open_connections$)/;

/**
 * The non-zero gauges of `snapshot` that count work a stage still holds (see the naming
 * convention on {@link TelemetrySource}): what the stop result reports per stage.
 */
export function pendingGauges(snapshot: TelemetrySnapshot | undefined): Record<string, number> {
  const pending: Record<string, number> = {};
  for (const [name, value] of Object.entries(snapshot ?? {})) {
    if (value !== 0 && PENDING_GAUGE.test(name)) pending[name] = value;
  }
  return pending;
}

/**
 * {@link pendingGauges} of a component, read now; empty when it reports no telemetry. A
 * telemetry() that throws reads as nothing pending: a stop report must not fail on it.
 */
export function pendingOf(instance: unknown): Record<string, number> {
  if (!isTelemetrySource(instance)) return {};
  try {
    return pendingGauges(instance.telemetry());
  } catch {
    return {};
  }
}
