import type { Logger } from '@agentkit/core';
import type { TraceVersion } from './endpoints.js';
import type { TraceSummary } from './trace-decoder.js';

/** Distinct service names remembered: a bound on memory whatever the tracers send. */
export const MAX_SERVICES_KEPT = 1000;

/**
 * The traces received and what became of them. Nothing forwards traces to Datadog yet, so
 * every accepted trace is also counted as dropped (`dropped.traces_not_forwarded`,
 * `dropped.spans_not_forwarded`): received, decoded, answered as the Agent answers, and lost
 * where the user can see it. The first such payload is logged at warn (once per receiver, not
 * per payload: a tracer flushes every second), the totals again when the receiver stops.
 */
export class TraceTally {
  readonly #log: Logger;
  readonly #services = new Set<string>();
  readonly #payloadsByVersion = new Map<TraceVersion, number>();
  #payloads = 0;
  #traces = 0;
  #spans = 0;
  #warned = false;

  public constructor(log: Logger) {
    this.#log = log;
  }

  /** Counts one accepted payload. */
  public accepted(version: TraceVersion, summary: TraceSummary): void {
    this.#payloads += 1;
    this.#payloadsByVersion.set(version, (this.#payloadsByVersion.get(version) ?? 0) + 1);
    this.#traces += summary.traces;
    this.#spans += summary.spans;
    for (const service of summary.services) {
      if (this.#services.size >= MAX_SERVICES_KEPT) break;
      this.#services.add(service);
    }
    if (!this.#warned && summary.traces > 0) {
      this.#warned = true;
      this.#log.warn(
        { traces: summary.traces, spans: summary.spans, services: [...summary.services].slice(0, 10), version },
        'traces are received and counted but NOT forwarded to Datadog (agentkit has no trace forwarder yet): counted in dropped.traces_not_forwarded (agentkit status, /telemetry); this is logged once',
      );
    }
  }

  /** Logs the totals, if any trace came; call from the receiver's stop. */
  public logTotals(): void {
    if (this.#traces === 0) return;
    this.#log.warn(
      { traces: this.#traces, spans: this.#spans, services: [...this.#services].slice(0, 20) },
      `dropped ${this.#traces} traces (${this.#spans} spans) received from tracers: not forwarded (traces_not_forwarded)`,
    );
  }

  public telemetry(): Record<string, number> {
    const out: Record<string, number> = {
      'traces.payloads': this.#payloads,
      'traces.received': this.#traces,
      'traces.spans': this.#spans,
      'traces.services': this.#services.size,
    };
    for (const [version, n] of this.#payloadsByVersion) out[`traces.payloads.${version.replace('.', '')}`] = n;
    if (this.#traces > 0 || this.#spans > 0) {
      out['dropped.traces_not_forwarded'] = this.#traces;
      out['dropped.spans_not_forwarded'] = this.#spans;
    }
    return out;
  }

  /** The service names seen, at most {@link MAX_SERVICES_KEPT}. */
  public services(): string[] {
    return [...this.#services];
  }
}
