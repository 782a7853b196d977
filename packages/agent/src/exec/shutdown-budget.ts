import { aggregatorKeys } from '@agentkit/aggregator/config-keys';
import type { ConfigReader } from '@agentkit/core';
import { dogstatsdKeys } from '@agentkit/dogstatsd/config-keys';
import { forwarderKeys } from '@agentkit/forwarder/config-keys';
import { monotonicNowMs } from '@agentkit/core';

/**
 * The drain never claims more than this share of the budget for itself: a program that
 * ignores SIGTERM still gets the rest to finish on its own before it is killed.
 */
const MAX_DRAIN_RESERVE_SHARE = 0.5;

/**
 * How much of the budget is kept for the drain when the program does not exit on SIGTERM:
 * the stages' own stop limits, one after the other (the listeners' drain, the aggregator's
 * final flush, the forwarder's last sends), but at most half the budget.
 */
export function drainReserveMs(config: ConfigReader, budgetMs: number): number {
  const stagesMs =
    config.get(dogstatsdKeys.drainTimeoutMs) + config.get(aggregatorKeys.stopTimeout) * 1000 + config.get(forwarderKeys.stopTimeout) * 1000;
  return Math.min(stagesMs, budgetMs * MAX_DRAIN_RESERVE_SHARE);
}

/**
 * The shutdown budget, started once: by SIGTERM/SIGINT, or by the program's own exit. Every
 * wait of the shutdown is bounded by what remains of it: the wait for the program on
 * `spentSignal`, the drain by handing what is left to the App's stop.
 */
export class ShutdownBudget {
  public readonly totalMs: number;
  public readonly reserveMs: number;
  readonly #started = new AbortController();
  readonly #spent = new AbortController();
  #startedAt: number | undefined;
  #spentTimer: NodeJS.Timeout | undefined;

  public constructor(totalMs: number, reserveMs: number) {
    this.totalMs = totalMs;
    this.reserveMs = Math.min(reserveMs, totalMs);
  }

  public get started(): boolean {
    return this.#startedAt !== undefined;
  }

  /** Aborts when the budget starts. */
  public get startedSignal(): AbortSignal {
    return this.#started.signal;
  }

  /**
   * Aborts when the budget is spent. Its timer is referenced: the wrapper waiting on it must
   * not exit before; `dispose` clears it.
   */
  public get spentSignal(): AbortSignal {
    return this.#spent.signal;
  }

  /** Starts the clock; later calls change nothing. */
  public start(): void {
    if (this.#startedAt !== undefined) return;
    this.#startedAt = monotonicNowMs();
    this.#spentTimer = setTimeout(() => this.#spent.abort(new Error('serverless_shutdown_timeout ran out')), this.totalMs);
    this.#started.abort();
  }

  /** Clears the budget's timer (the shutdown is over). */
  public dispose(): void {
    clearTimeout(this.#spentTimer);
  }

  /** Milliseconds left; the whole budget before it started, never below 0. */
  public remainingMs(): number {
    if (this.#startedAt === undefined) return this.totalMs;
    return Math.max(0, this.totalMs - (monotonicNowMs() - this.#startedAt));
  }

  /** Milliseconds since the start (0 before it). */
  public elapsedMs(): number {
    return this.#startedAt === undefined ? 0 : Math.round(monotonicNowMs() - this.#startedAt);
  }

  /** How long the program may still take before it must be killed to leave the drain its reserve. */
  public untilKillMs(): number {
    return Math.max(0, this.remainingMs() - this.reserveMs);
  }
}
