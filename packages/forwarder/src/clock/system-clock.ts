import type { Clock, ClockTimer } from './clock.def.js';

/** Real time: `performance.now()` and unreferenced `setTimeout`s. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(fn: () => void, delayMs: number): ClockTimer {
    const timer = setTimeout(fn, delayMs);
    // The retry tick must never be what keeps an agent alive after everything else stopped.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
