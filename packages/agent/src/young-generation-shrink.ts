import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { monotonicNowMs } from '@agentkit/core';

/**
 * V8's rule (Node 20's V8 11.3): at a scavenge it shrinks the new space when its estimate of the
 * allocation throughput over the last ~5 s is below 1 000 bytes per ms. The estimate is made of
 * what was allocated between collections, so after a burst it stays high until a collection
 * taken at least that long after the burst's last one.
 */
const V8_LOW_THROUGHPUT_BYTES_PER_MS = 1000;
/** V8's throughput window (5 s), with a margin (both clocks are the process's monotonic one). */
const V8_THROUGHPUT_WINDOW_MS = 5050;
/** Node 20's smallest new space (one 1 MiB semi-space): what V8 shrinks it back to. */
const SMALLEST_NEW_SPACE_BYTES = 1024 * 1024;
/**
 * How often the shrink looks at the heap while the new space is larger than that: often enough
 * that the first scavenge follows the burst's end closely (the shrink comes one window after it).
 */
export const YOUNG_SHRINK_CHECK_MS = 100;
/**
 * How often a quiet shrink looks at the new space's size, to arm itself once it has grown. Node
 * 20 tells of V8's collections only through node:perf_hooks (a `PerformanceObserver`), which an
 * idle agent would load for that alone (0.3 MB); one heap-space read per look costs a few
 * microseconds. Often enough that a burst arms it before it ends (its first scavenge then
 * follows the burst's end as closely as V8's own collections would have told).
 */
export const YOUNG_SHRINK_WATCH_MS = 500;
/** Second scavenges that left the new space large before a growth is taken as the new floor. */
const MAX_FRUITLESS_SCAVENGES = 3;

/** What a running shrink reports (tests, benches). */
export interface YoungGenerationShrink {
  /** Scavenges it asked for so far. */
  readonly scavenges: number;
  /** Times it saw the new space back at its floor after it had grown. */
  readonly shrinks: number;
  /** Stops it: no timer left. Idempotent. */
  stop(): void;
}

/** Options for tests: a shorter check or a different window. */
export interface YoungGenerationShrinkOptions {
  readonly checkMs?: number;
  readonly windowMs?: number;
  readonly watchMs?: number;
}

/**
 * Gives V8's young generation back once the process goes quiet after a burst: V8 grows the new
 * space to 2 × 16 MiB under a burst of traffic (which is what makes aggregation fast) and
 * shrinks it again only at a scavenge, which a quiet process does not have; so the 32 MiB
 * stayed resident until the next traffic. Asks for scavenges (`gc({ type: 'minor' })`) only
 * when the allocation is below V8's own threshold: the first once an interval between two looks
 * was, to clear what the burst left; the second once V8's throughput window has passed with the
 * average since the first below it (the heap's growth), so that V8 sees a low rate and shrinks
 * (32 → 1 MiB; each a fraction of a millisecond to a few ms). Asking during traffic would cost a
 * scavenge, promote live objects early and shrink nothing.
 *
 * Costs next to nothing while nothing happens: the 100 ms timer (unref'd) runs only between the
 * new space's growth above its floor and the shrink; a look at its size every
 * {@link YOUNG_SHRINK_WATCH_MS} (unref'd) arms it. `gc` comes from a new
 * V8 context made with `--expose-gc` set for that moment only (the program's own global gets
 * none), when a burst needs it, and dropped after. For `agentkit run`, under `heap_tuning_enabled`
 * (docs/benchmarks.md, "Issue 14 §3, the young generation after a burst and during a flush").
 */
export function startYoungGenerationShrink(options: YoungGenerationShrinkOptions = {}): YoungGenerationShrink {
  const checkMs = options.checkMs ?? YOUNG_SHRINK_CHECK_MS;
  const windowMs = options.windowMs ?? V8_THROUGHPUT_WINDOW_MS;
  const watchMs = options.watchMs ?? YOUNG_SHRINK_WATCH_MS;
  let floor = Math.min(SMALLEST_NEW_SPACE_BYTES, newSpaceBytes());
  let gc: ((options: { type: 'minor' }) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastUsed = 0;
  let lastAt = 0;
  /** When the quiet stretch's first scavenge ran (monotonicNowMs()), undefined before it. */
  let clearedAt: number | undefined;
  /** Heap used right after that scavenge. */
  let usedAtClear = 0;
  let fruitless = 0;
  let stopped = false;
  const state = { scavenges: 0, shrinks: 0 };

  const scavenge = (): void => {
    gc ??= minorGc();
    gc({ type: 'minor' });
    state.scavenges++;
  };
  const disarm = (): void => {
    clearInterval(timer);
    timer = undefined;
    clearedAt = undefined;
    fruitless = 0;
    // Its context (~0.3 MiB of heap) is collectable until the next burst needs one.
    gc = undefined;
  };
  const check = (): void => {
    if (newSpaceBytes() <= floor) {
      state.shrinks++;
      disarm();
      return;
    }
    const used = getHeapStatistics().used_heap_size;
    const now = monotonicNowMs();
    if (clearedAt === undefined) {
      // The burst's end: an interval since the last look below V8's rate (the timer may be late);
      // a drop is a collection of V8's own meanwhile: traffic, not quiet.
      const grew = used - lastUsed;
      if (grew >= 0 && grew < V8_LOW_THROUGHPUT_BYTES_PER_MS * (now - lastAt)) {
        scavenge();
        clearedAt = monotonicNowMs();
        usedAtClear = getHeapStatistics().used_heap_size;
      }
    } else {
      // Since the first scavenge, V8's own average: a short request now and then keeps it low.
      const grew = used - usedAtClear;
      if (grew < 0) {
        // V8 collected meanwhile: its window starts at that collection.
        clearedAt = now;
        usedAtClear = used;
      } else if (grew >= V8_LOW_THROUGHPUT_BYTES_PER_MS * (now - clearedAt)) clearedAt = undefined;
      else if (now - clearedAt >= windowMs) {
        scavenge();
        if (newSpaceBytes() <= floor) {
          state.shrinks++;
          disarm();
          return;
        }
        // V8 keeps it (another rule, another version): take this size as the floor, try again
        // only once it grows past it.
        if (++fruitless >= MAX_FRUITLESS_SCAVENGES) {
          floor = newSpaceBytes();
          disarm();
          return;
        }
        clearedAt = monotonicNowMs();
        usedAtClear = getHeapStatistics().used_heap_size;
      }
    }
    look();
  };
  const look = (): void => {
    lastUsed = getHeapStatistics().used_heap_size;
    lastAt = monotonicNowMs();
  };
  // The start's own growth (2 MiB at an idle agent) is V8's memory reducer's to give back, just
  // after the start-up hold (holdStartFootprint): `agentkit run` starts this once that is done,
  // since making `gc` would cost the idle agent its context.
  const watcher = setInterval(() => {
    if (timer !== undefined || stopped || newSpaceBytes() <= floor) return;
    look();
    timer = setInterval(check, checkMs).unref();
  }, watchMs).unref();
  return {
    get scavenges() {
      return state.scavenges;
    },
    get shrinks() {
      return state.shrinks;
    },
    stop() {
      stopped = true;
      clearInterval(watcher);
      clearInterval(timer);
      timer = undefined;
    },
  };
}

function newSpaceBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_size;
  return 0;
}

/** V8's `gc` from a context of its own: the flag is set only while that context is made. */
function minorGc(): (options: { type: 'minor' }) => void {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as (options: { type: 'minor' }) => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
