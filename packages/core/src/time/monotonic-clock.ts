/** `process.hrtime()` at the process's start (Node's own start time, process.uptime's origin), in ms. */
const ORIGIN_MS = ((): number => {
  const t = process.hrtime();
  return t[0] * 1000 + t[1] / 1e6 - process.uptime() * 1000;
})();

/**
 * The process's monotonic clock, for durations, deadlines and "how long since": milliseconds
 * since the process started, with sub-millisecond precision (what `performance.now()` gives,
 * within ~0.5 ms of its origin). Not `performance.now()` itself: Node 20's global `performance`
 * loads the whole of node:perf_hooks at its first use (the performance timeline, user timing,
 * the event-loop histograms: ~0.3 MiB an idle agent would hold for a clock). It reads the same
 * source `performance.now()` does (`process.hrtime()`, Node 20's lib/internal/perf/utils.js),
 * at the same cost per call, and optimised callers allocate nothing (V8 removes the pair it
 * returns; bench/clock). `process.hrtime` is looked up at each call so that jest's fake timers,
 * which replace it, drive this clock as they drove `performance.now()`.
 *
 * Callable at any time, from any package; never blocks. Only differences between two readings
 * mean anything (as with `performance.now()`); for the wall clock use `Date.now()`.
 */
export function monotonicNowMs(): number {
  const t = process.hrtime();
  return t[0] * 1000 + t[1] / 1e6 - ORIGIN_MS;
}

/**
 * When the process started, in milliseconds since the epoch (what `performance.timeOrigin` is,
 * without loading node:perf_hooks): the wall clock now less the monotonic time since the start.
 * Read it once and keep it: the wall clock may be stepped later.
 */
export function processStartEpochMs(): number {
  return Date.now() - monotonicNowMs();
}
