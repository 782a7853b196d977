import { NO_SLOT, type Context } from '../context/context.js';
import type { AgentSketch } from '../sketch/agent-sketch.js';
import type { BucketMetric } from './bucket-metrics.js';

/** No bucket: bucket starts are multiples of 10, never odd. */
export const NO_BUCKET = -1;

/** Entries per slot in `#last`: a key (see below) and its metric or sketch. */
const STRIDE = 2;
/** Added to a bucket start to key a sketch: starts are multiples of 10, so no metric key collides. */
const SKETCH_KEY = 1;
/**
 * Added to a key once the context was sampled both as a series and as a sketch: its entry is then
 * only a shortcut, and says nothing about the context's newer buckets.
 */
const MIXED_KEY = 2;
/** A mixed context's slot without an entry: every sample looks in its bucket's index. */
const MIXED_NONE = -2;

/** Which kind of bucket: series (`0`) or sketches (`SKETCH_KEY`). */
export type BucketFamily = 0 | typeof SKETCH_KEY;
export const SERIES_FAMILY: BucketFamily = 0;
export const SKETCH_FAMILY: BucketFamily = SKETCH_KEY;

type LastEntry = number | BucketMetric | AgentSketch | undefined;

/**
 * One time sampler's state for each of its contexts: the metric or sketch of the **newest**
 * bucket the context was sampled into (most samples land there, so the hot path skips the
 * bucket; a context is nearly always of one kind, so one entry is kept), and when a counter was
 * last sampled (for zero-fill). Because the entry is the newest bucket's, a sample for a newer
 * bucket knows the context has nothing there yet, so open buckets keep no index of their
 * contexts (`OpenBucket`); a sample for an older open bucket, or a context sampled both as a
 * series and as a sketch, asks the bucket instead.
 *
 * Kept in arrays indexed by a slot number the context carries (`Context.samplerSlot`), handed
 * out on a context's first sample: no map lookup per sample and no object per context. A slot's
 * key and entry sit side by side in one array (one cache line per sample); the counter times
 * are apart, in an array of unboxed doubles (a double in a field or a mixed array is a heap
 * number of its own). A context belongs to one sampler (its shard). `release` must be called
 * when a context expires, or its slot is never reused. Single threaded, as the sampler.
 *
 * A key is NO_BUCKET (no open entry at all), MIXED_NONE, or a bucket start + the family
 * (+ MIXED_KEY for a context of both families).
 */
export class ContextSlots {
  readonly #last: LastEntry[] = [];
  /**
   * Unix seconds of each slot's last counter sample (0: none). Public so the sampler writes it
   * inline: a call that is not inlined boxes its fractional-seconds argument on every sample.
   * Write only at a claimed slot (after `remember`, or a `metric` hit).
   */
  public readonly counterLastSampledSec: number[] = [];
  readonly #free: number[] = [];

  /** The metric of `ctx` in the bucket starting at `startSec`, if that is the one its slot holds. */
  public metric(ctx: Context, startSec: number): BucketMetric | undefined {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT) return undefined;
    const key = this.#last[slot * STRIDE];
    return key === startSec || key === startSec + MIXED_KEY ? (this.#last[slot * STRIDE + 1] as BucketMetric) : undefined;
  }

  /** The sketch of `ctx` in the bucket starting at `startSec`, if that is the one its slot holds. */
  public sketch(ctx: Context, startSec: number): AgentSketch | undefined {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT) return undefined;
    const key = this.#last[slot * STRIDE];
    return key === startSec + SKETCH_KEY || key === startSec + SKETCH_KEY + MIXED_KEY ? (this.#last[slot * STRIDE + 1] as AgentSketch) : undefined;
  }

  /**
   * True when `ctx` certainly has no entry of `family` in the open bucket starting at `startSec`
   * (a bucket its slot does not hold): it has no open entry at all, or the bucket is newer than
   * its newest one. False means "maybe": ask the bucket.
   */
  public absent(ctx: Context, startSec: number, family: BucketFamily): boolean {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT) return true;
    const key = this.#last[slot * STRIDE] as number;
    if (key === NO_BUCKET) return true;
    return key >= 0 && key % 10 === family && startSec > key - family;
  }

  /**
   * Records `entry` as `ctx`'s aggregate of `family` in the bucket starting at `startSec` (just
   * found or added there): it becomes the slot's entry unless it is older than the newest one.
   */
  public remember(ctx: Context, startSec: number, family: BucketFamily, entry: BucketMetric | AgentSketch): void {
    const slot = this.#slotOf(ctx);
    const key = this.#last[slot * STRIDE] as number;
    if (key === NO_BUCKET) this.#set(slot, startSec + family, entry);
    else if (key >= 0 && key % 10 === family) {
      // A late sample for an older open bucket leaves the newest one in place.
      if (startSec > key - family) this.#set(slot, startSec + family, entry);
    } else this.#set(slot, startSec + family + MIXED_KEY, entry);
  }

  /** Forgets `entry` (a metric or sketch) as `ctx`'s newest one: its bucket was flushed, so a late sample opens a new one. */
  public clear(ctx: Context, entry: BucketMetric | AgentSketch): void {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT || this.#last[slot * STRIDE + 1] !== entry) return;
    // Buckets close oldest first: when the newest goes, nothing of its family is left open.
    const key = this.#last[slot * STRIDE] as number;
    this.#set(slot, key % 10 >= MIXED_KEY ? MIXED_NONE : NO_BUCKET, undefined);
  }

  /** Unix seconds of `ctx`'s last counter sample; 0 if it never had one. */
  public counterLastSampledSecOf(ctx: Context): number {
    const slot = ctx.samplerSlot;
    return slot === NO_SLOT ? 0 : (this.counterLastSampledSec[slot] as number);
  }

  /** Frees `ctx`'s slot (the context expired); a later sample gives it a fresh one. */
  public release(ctx: Context): void {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT) return;
    this.#reset(slot);
    this.#free.push(slot);
    ctx.samplerSlot = NO_SLOT;
  }

  /** Contexts holding a slot. */
  public get size(): number {
    return this.counterLastSampledSec.length - this.#free.length;
  }

  #slotOf(ctx: Context): number {
    const slot = ctx.samplerSlot;
    if (slot !== NO_SLOT) return slot;
    let claimed = this.#free.pop();
    if (claimed === undefined) {
      claimed = this.counterLastSampledSec.length;
      // Appended in step, never written past the end: the arrays stay packed.
      this.#last.push(NO_BUCKET, undefined);
      this.counterLastSampledSec.push(0);
    }
    ctx.samplerSlot = claimed;
    return claimed;
  }

  #set(slot: number, key: number, entry: BucketMetric | AgentSketch | undefined): void {
    this.#last[slot * STRIDE] = key;
    this.#last[slot * STRIDE + 1] = entry;
  }

  #reset(slot: number): void {
    this.#set(slot, NO_BUCKET, undefined);
    this.counterLastSampledSec[slot] = 0;
  }
}
