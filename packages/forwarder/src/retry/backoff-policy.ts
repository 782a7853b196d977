/** How the backoff grows with errors and shrinks with successes (reference §5.4). */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
  /** The jitter: a wait is drawn from `[t / factor, t]`. */
  readonly factor: number;
  /** Errors one success takes off. */
  readonly recoveryInterval: number;
  /** A success resets the errors to zero. */
  readonly recoveryReset: boolean;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  readonly random?: () => number;
}

/**
 * The Datadog Agent's `ExpBackoffPolicy`: after n errors, `t = base × 2^n`; a wait above `max`
 * is exactly `max`, otherwise uniformly random in `[t / factor, t]`, so many agents that failed
 * together do not retry together.
 */
export class ExpBackoffPolicy {
  readonly #options: BackoffOptions;
  readonly #random: () => number;
  /** Errors past this no longer lengthen the wait: `floor(log2(max / base)) + 1`. */
  public readonly maxErrors: number;

  public constructor(options: BackoffOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.maxErrors = Math.max(1, Math.floor(Math.log2(options.maxMs / options.baseMs)) + 1);
  }

  /** The wait after `numErrors` consecutive errors (0 for none). */
  public durationMs(numErrors: number): number {
    if (numErrors <= 0) return 0;
    const t = this.#options.baseMs * 2 ** numErrors;
    if (t > this.#options.maxMs) return this.#options.maxMs;
    const min = t / this.#options.factor;
    return min + this.#random() * (t - min);
  }

  public incError(numErrors: number): number {
    return Math.min(numErrors + 1, this.maxErrors);
  }

  public decError(numErrors: number): number {
    if (this.#options.recoveryReset) return 0;
    return Math.max(0, numErrors - this.#options.recoveryInterval);
  }
}
