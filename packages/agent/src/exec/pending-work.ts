import type { TelemetrySnapshot } from '@agentkit/core';

/**
 * Telemetry entries that measure work still held (gauges), as opposed to totals: queue
 * depths, bytes in the kernel queue, open buckets, requests in flight. Anything a stage
 * names `queued_*` or `pending_*` counts too, so a stage that adds such a gauge is covered.
 */
const PENDING_GAUGE = /^(queued_|pending_|queue\.|queue_depth$|kernel_queue_bytes$|buckets$|inflight$|open_connections$)/;

/** One stage's share of the work not done yet. */
export interface PendingStage {
  readonly component: string;
  /** Where its stop hook is: not called yet, running, or done. */
  readonly stop: 'not started' | 'running' | 'done';
  /** Its non-zero pending gauges. */
  readonly pending: Readonly<Record<string, number>>;
}

/**
 * Per component of the app, in start order: how far its stop got and which of its pending
 * gauges are not zero. Left out: components that stopped with nothing pending; before the
 * drain began, every component with nothing pending; during it, those that report no
 * telemetry and whose stop was not called yet (values, clocks: not stages).
 */
export function pendingWork(
  components: readonly string[],
  telemetry: Readonly<Record<string, TelemetrySnapshot>>,
  stops: ReadonlyMap<string, 'running' | 'done'>,
): PendingStage[] {
  const out: PendingStage[] = [];
  const draining = stops.size > 0;
  for (const component of components) {
    const pending: Record<string, number> = {};
    for (const [name, value] of Object.entries(telemetry[component] ?? {})) {
      if (value !== 0 && PENDING_GAUGE.test(name)) pending[name] = value;
    }
    const stop = stops.get(component) ?? 'not started';
    // Before the drain began every stop is 'not started': only the gauges say something then.
    const quiet = Object.keys(pending).length === 0 && (stop === 'done' || (stop === 'not started' && (!draining || telemetry[component] === undefined)));
    if (quiet) continue;
    out.push({ component, stop, pending });
  }
  return out;
}

/** `Forwarder (stop running): queue.high=2, inflight=1; Demultiplexer (stop not started)` */
export function formatPendingWork(stages: readonly PendingStage[]): string {
  if (stages.length === 0) return 'nothing';
  return stages
    .map((s) => {
      const gauges = Object.entries(s.pending).map(([name, value]) => `${name}=${value}`);
      return `${s.component} (stop ${s.stop})${gauges.length === 0 ? '' : `: ${gauges.join(', ')}`}`;
    })
    .join('; ');
}
