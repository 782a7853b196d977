import type { Clock, ClockTimer } from './clock.def.js';
import { monotonicNowMs } from '@agentkit/core';

/** Real time: `monotonicNowMs()` and unreferenced `setTimeout`s. */
export const systemClock: Clock = {
  now: () => monotonicNowMs(),
  setTimer(fn: () => void, delayMs: number): ClockTimer {
    const timer = setTimeout(fn, delayMs);
    // The retry tick must never be what keeps an agent alive after everything else stopped.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
