import type { Clock } from '../clock/clock.def.js';
import type { ExpBackoffPolicy } from './backoff-policy.js';

/** closed: send freely; open: wait until `untilMs`; half-open: one probe is in flight. */
export type BreakerState = 'closed' | 'open' | 'half-open';

interface Entry {
  state: BreakerState;
  errors: number;
  untilMs: number;
}

/**
 * The per-endpoint circuit breaker of the Agent's `blocked_endpoints.go`: an error blocks the
 * endpoint for the backoff of its error count; once that has passed a single request is let
 * through, and its success unblocks the endpoint. Keyed by endpoint within one destination.
 */
export class CircuitBreaker {
  readonly #policy: ExpBackoffPolicy;
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();

  public constructor(policy: ExpBackoffPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
  }

  /** May a request go to `endpoint` now? Letting the probe through of an expired block counts. */
  public tryAcquire(endpoint: string): boolean {
    const entry = this.#entries.get(endpoint);
    if (entry === undefined || entry.state === 'closed') return true;
    if (entry.state === 'half-open' || this.#clock.now() < entry.untilMs) return false;
    entry.state = 'half-open';
    return true;
  }

  /** How many retries `endpoint` may take now: all, one probe, or none. Changes nothing. */
  public retryBudget(endpoint: string): number {
    const entry = this.#entries.get(endpoint);
    if (entry === undefined || entry.state === 'closed') return Number.POSITIVE_INFINITY;
    if (entry.state === 'half-open' || this.#clock.now() < entry.untilMs) return 0;
    return 1;
  }

  /** Records a success; true when the endpoint was blocked until now. */
  public recordSuccess(endpoint: string): boolean {
    const entry = this.#entries.get(endpoint);
    if (entry === undefined) return false;
    const wasBlocked = entry.state !== 'closed';
    entry.errors = this.#policy.decError(entry.errors);
    entry.state = 'closed';
    if (entry.errors === 0) this.#entries.delete(endpoint);
    return wasBlocked;
  }

  /** Records a failure: the endpoint is blocked for the backoff of its new error count. */
  public recordError(endpoint: string): void {
    const entry = this.#entries.get(endpoint) ?? { state: 'closed', errors: 0, untilMs: 0 };
    entry.errors = this.#policy.incError(entry.errors);
    entry.state = 'open';
    entry.untilMs = this.#clock.now() + this.#policy.durationMs(entry.errors);
    this.#entries.set(endpoint, entry);
  }

  public state(endpoint: string): BreakerState {
    return this.#entries.get(endpoint)?.state ?? 'closed';
  }

  public errors(endpoint: string): number {
    return this.#entries.get(endpoint)?.errors ?? 0;
  }
}
