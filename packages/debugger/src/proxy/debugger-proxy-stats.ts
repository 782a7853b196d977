import { DropCounter, type Logger, type TelemetrySnapshot } from '@agentkit/core';
import type { DebuggerRouteName } from './debugger-routes.js';

/**
 * The proxy's counters. `refused.*`: the proxy said no (body too large, unknown path);
 * `failed.*`: the intake said no, or could not be reached, after the retries; `dropped.*`:
 * the tracer went away, or a copy for an additional endpoint could not be made. Each is
 * logged with its reason (at most once per second per reason), never with a header.
 */
export class DebuggerProxyStats {
  public requests = 0;
  public forwardedBytes = 0;
  public retries = 0;
  public additionalForwarded = 0;
  public inflight = 0;
  readonly #forwarded = new Map<DebuggerRouteName, number>();
  public readonly refused: DropCounter;
  public readonly failed: DropCounter;
  public readonly dropped: DropCounter;

  public constructor(logger: Logger) {
    this.refused = new DropCounter(logger, { verb: 'refused' });
    this.failed = new DropCounter(logger, { verb: 'failed' });
    this.dropped = new DropCounter(logger);
  }

  public forwarded(route: DebuggerRouteName, bytes: number): void {
    this.#forwarded.set(route, (this.#forwarded.get(route) ?? 0) + 1);
    this.forwardedBytes += bytes;
  }

  /** Uploads forwarded to the main intake, all routes together or of one route. */
  public forwardedCount(route?: DebuggerRouteName): number {
    if (route !== undefined) return this.#forwarded.get(route) ?? 0;
    let n = 0;
    for (const v of this.#forwarded.values()) n += v;
    return n;
  }

  public snapshot(): TelemetrySnapshot {
    const out: Record<string, number> = {
      requests: this.requests,
      forwarded: this.forwardedCount(),
      forwarded_bytes: this.forwardedBytes,
      retries: this.retries,
      additional_forwarded: this.additionalForwarded,
      inflight: this.inflight,
    };
    for (const [route, n] of this.#forwarded) out[`forwarded_by_route.${route}`] = n;
    return { ...out, ...this.refused.snapshot('refused'), ...this.failed.snapshot('failed'), ...this.dropped.snapshot('dropped') };
  }

  public flushLogs(): void {
    this.refused.flushLog();
    this.failed.flushLog();
    this.dropped.flushLog();
  }
}
