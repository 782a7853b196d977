import type { Logger } from '../built-ins.js';
import { monotonicNowMs } from '../time/monotonic-clock.js';

export const DEFAULT_DROP_LOG_INTERVAL_MS = 1000;

/**
 * Counts what a stage drops, by reason, and logs it at most once per interval per reason:
 * "Nothing lost, nothing silent" without flooding the log during a burst. The first drop of a
 * reason is logged at once; later ones are summed and reported with the next log line.
 */
export class DropCounter {
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #verb: string;
  readonly #totals = new Map<string, number>();
  readonly #unlogged = new Map<string, number>();
  readonly #lastLoggedAt = new Map<string, number>();

  /** `verb` words the log line (`refused 3 (host)`); default `dropped`. */
  public constructor(logger: Logger, options: { intervalMs?: number; verb?: string } = {}) {
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? DEFAULT_DROP_LOG_INTERVAL_MS;
    this.#verb = options.verb ?? 'dropped';
  }

  /** Records `count` items dropped for `reason`. `detail` (an error, a sample) is logged, never kept. */
  public drop(reason: string, count = 1, detail?: Record<string, unknown>): void {
    this.#totals.set(reason, (this.#totals.get(reason) ?? 0) + count);
    this.#unlogged.set(reason, (this.#unlogged.get(reason) ?? 0) + count);
    const now = monotonicNowMs();
    const last = this.#lastLoggedAt.get(reason);
    if (last !== undefined && now - last < this.#intervalMs) return;
    this.#flushReason(reason, now, detail);
  }

  /** Total dropped for one reason, or for all reasons when none is given. */
  public count(reason?: string): number {
    if (reason !== undefined) return this.#totals.get(reason) ?? 0;
    let sum = 0;
    for (const n of this.#totals.values()) sum += n;
    return sum;
  }

  /** `{ 'dropped.<reason>': n }` for a component's telemetry snapshot. */
  public snapshot(prefix = 'dropped'): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [reason, n] of this.#totals) out[`${prefix}.${reason}`] = n;
    return out;
  }

  /** Logs every count not yet reported (call from onStop so the last drops are not silent). */
  public flushLog(): void {
    const now = monotonicNowMs();
    for (const reason of [...this.#unlogged.keys()]) this.#flushReason(reason, now);
  }

  #flushReason(reason: string, now: number, detail?: Record<string, unknown>): void {
    const pending = this.#unlogged.get(reason) ?? 0;
    if (pending === 0) return;
    this.#unlogged.set(reason, 0);
    this.#lastLoggedAt.set(reason, now);
    this.#logger.warn({ reason, [this.#verb]: pending, total: this.#totals.get(reason), ...detail }, `${this.#verb} ${pending} (${reason})`);
  }
}
