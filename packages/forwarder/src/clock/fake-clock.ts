import type { Clock, ClockTimer } from './clock.def.js';

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told to: `advance(ms)` fires the timers due, in order. */
export class FakeClock implements Clock {
  #nowMs: number;
  #seq = 0;
  #pending: Pending[] = [];

  public constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  public now(): number {
    return this.#nowMs;
  }

  public setTimer(fn: () => void, delayMs: number): ClockTimer {
    const entry: Pending = { at: this.#nowMs + Math.max(0, delayMs), seq: this.#seq++, fn, cancelled: false };
    this.#pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing each due timer at its own instant. */
  public advance(ms: number): void {
    const target = this.#nowMs + ms;
    for (;;) {
      this.#pending = this.#pending.filter((p) => !p.cancelled);
      let next: Pending | undefined;
      for (const p of this.#pending) {
        if (p.at <= target && (next === undefined || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
      }
      if (next === undefined) break;
      next.cancelled = true;
      this.#nowMs = next.at;
      next.fn();
    }
    this.#nowMs = target;
  }

  /** Timers not yet fired or cancelled. */
  public get pendingTimers(): number {
    return this.#pending.filter((p) => !p.cancelled).length;
  }
}
