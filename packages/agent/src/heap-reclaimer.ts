import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How often the reclaimer reads the heap's size: one `v8.getHeapStatistics()` call (~µs). */
export const DEFAULT_RECLAIM_POLL_MS = 250;
/** Growth over the size after the last full collection that is never collected early. */
export const DEFAULT_RECLAIM_FLOOR_BYTES = 24 * 1024 * 1024;
/** Growth, as a fraction of the size after the last full collection, allowed before one. */
export const DEFAULT_RECLAIM_GROWTH = 0.25;
/** At most one early collection per this long, whatever the growth: bounds the CPU spent. */
export const DEFAULT_RECLAIM_MIN_GAP_MS = 2000;
/**
 * Growth between two readings under which the heap counts as quiet. A collection pauses the
 * event loop (100–160 ms at 100k contexts on the loaded 2-core machine, against V8's own
 * incremental ones of a few ms): during a burst the datagrams then wait in the UDP socket's
 * receive buffer (4 MiB here), a few tens of ms of 1M lines/s, so the reclaimer waits for the
 * burst, or the flush, to be over.
 */
export const DEFAULT_RECLAIM_QUIET_BYTES = 2 * 1024 * 1024;

/** What the reclaimer reads and does; the process's own by default (tests pass their own). */
export interface HeapReclaimerProbe {
  /** Bytes the heap holds beyond its young generation: old generation (live and not yet collected) and external (Buffers). */
  heldBytes(): number;
  /** A full, synchronous garbage collection. */
  collect(): void;
  nowMs(): number;
}

/** Tuning of a `HeapReclaimer`; every field has a `DEFAULT_RECLAIM_*`. */
export interface HeapReclaimerOptions {
  readonly pollMs?: number;
  readonly floorBytes?: number;
  readonly growth?: number;
  readonly minGapMs?: number;
  readonly quietBytes?: number;
}

/** What the reclaimer did so far. */
export interface HeapReclaimerCounts {
  /** Full collections it ran. */
  readonly collections: number;
  /** CPU time (user + system) of the process spent in them, in ms. */
  readonly cpuMs: number;
  /** Held bytes measured after the last one (0 before any). */
  readonly heldAfterLastBytes: number;
}

/**
 * Runs a full garbage collection when the heap has grown well past its size after the last
 * one (by `growth` of it, and at least `floorBytes`) and has stopped growing (under
 * `quietBytes` since the reading before). Why: after a full collection V8 lets the old
 * generation grow up to 4× what survived it before the next one when collections are fast (a
 * `--trace-gc` of a growing heap: 55 MB live, next collection at 320 MB), and the flush's
 * Buffers are collected only after ~64 MB of them, so an agent that takes 100k contexts in a
 * burst and flushes them keeps 100+ MB of garbage resident
 * (docs/benchmarks.md, "Issue 14 §3, V8's heap for an agent"). Those are exactly the points
 * where much garbage was just made (after a burst, during and after a flush), and the heap's
 * growth finds them without the pipeline telling it. Not a lifecycle component: it is
 * process-wide, like the V8 flags it sits beside, and its timer is unref'd (never keeps the
 * process up). `start` twice or `stop` before `start` do nothing.
 */
export class HeapReclaimer {
  readonly #probe: HeapReclaimerProbe;
  readonly #pollMs: number;
  readonly #floorBytes: number;
  readonly #growth: number;
  readonly #minGapMs: number;
  readonly #quietBytes: number;
  #timer: NodeJS.Timeout | undefined;
  #baseBytes = -1;
  #lastHeldBytes = 0;
  /** The next reading becomes the base: the collection's freed Buffers leave `external` after it returns. */
  #remeasure = false;
  #lastMs = Number.NEGATIVE_INFINITY;
  #collections = 0;
  #cpuUs = 0;

  public constructor(probe: HeapReclaimerProbe, options: HeapReclaimerOptions = {}) {
    this.#probe = probe;
    this.#pollMs = options.pollMs ?? DEFAULT_RECLAIM_POLL_MS;
    this.#floorBytes = options.floorBytes ?? DEFAULT_RECLAIM_FLOOR_BYTES;
    this.#growth = options.growth ?? DEFAULT_RECLAIM_GROWTH;
    this.#minGapMs = options.minGapMs ?? DEFAULT_RECLAIM_MIN_GAP_MS;
    this.#quietBytes = options.quietBytes ?? DEFAULT_RECLAIM_QUIET_BYTES;
  }

  public start(): void {
    if (this.#timer !== undefined) return;
    this.#baseBytes = this.#lastHeldBytes = this.#probe.heldBytes();
    this.#timer = setInterval(() => this.check(), this.#pollMs).unref();
  }

  public stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One reading; collects when the growth calls for it. Returns whether it collected. Never throws. */
  public check(): boolean {
    const held = this.#probe.heldBytes();
    const sinceLastBytes = held - this.#lastHeldBytes;
    this.#lastHeldBytes = held;
    if (this.#remeasure || this.#baseBytes < 0 || held < this.#baseBytes) {
      // V8 collected by itself, or this is the reading after ours: the new base.
      this.#baseBytes = held;
      this.#remeasure = false;
      return false;
    }
    if (held - this.#baseBytes <= Math.max(this.#floorBytes, this.#baseBytes * this.#growth)) return false;
    if (sinceLastBytes > this.#quietBytes) return false; // still growing: a burst or a flush under way
    const now = this.#probe.nowMs();
    if (now - this.#lastMs < this.#minGapMs) return false;
    const before = process.cpuUsage();
    try {
      this.#probe.collect();
    } catch {
      // A collection that cannot run (no gc function) is no reason to stop the agent.
      this.stop();
      return false;
    }
    const spent = process.cpuUsage(before);
    this.#cpuUs += spent.user + spent.system;
    this.#collections++;
    this.#lastMs = now;
    this.#remeasure = true;
    return true;
  }

  public counts(): HeapReclaimerCounts {
    return { collections: this.#collections, cpuMs: Math.round(this.#cpuUs / 1000), heldAfterLastBytes: this.#collections === 0 ? 0 : this.#baseBytes };
  }
}

/**
 * This process's heap: `used_heap_size + external_memory` less the young generation's use
 * (which swings by its whole size with each scavenge while the agent is busy), and V8's `gc` function, taken once
 * without exposing it to the program's own code (`--expose-gc` is set for one new context,
 * which keeps the function, then reset; a process started with `--expose-gc` keeps its own).
 */
export function processHeapProbe(): HeapReclaimerProbe {
  const gc = exposedGc();
  return {
    heldBytes: () => {
      const stats = getHeapStatistics();
      let youngBytes = 0;
      for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space' || space.space_name === 'new_large_object_space') youngBytes += space.space_used_size;
      return stats.used_heap_size - youngBytes + stats.external_memory;
    },
    collect: () => gc(),
    nowMs: () => performance.now(),
  };
}

function exposedGc(): () => void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (typeof own === 'function') return own;
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
