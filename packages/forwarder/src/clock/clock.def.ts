import { token } from '@agentkit/core';

/** A cancellable timer started by a {@link Clock}. */
export interface ClockTimer {
  cancel(): void;
}

/**
 * The time the forwarder's logic runs on: backoff, the circuit breaker and the retry tick.
 * Injected so tests can drive a long outage with a fake clock while requests still go over
 * real sockets (request timeouts stay with the HTTP client, on real time). Callable at any time;
 * never blocks.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences mean anything). */
  now(): number;
  /** Calls `fn` once after `delayMs`. Never keeps the process alive on its own. */
  setTimer(fn: () => void, delayMs: number): ClockTimer;
}

export const FORWARDER_CLOCK = token<Clock>('ForwarderClock');
