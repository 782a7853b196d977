import { NO_SLOT, type Context } from '../context/context.js';
import type { AgentSketch } from '../sketch/agent-sketch.js';
import type { BucketMetric } from './bucket-metrics.js';

/** No bucket: bucket starts are multiples of 10, never odd. */
export const NO_BUCKET = -1;

/** Entries per slot in `#last`: a key (bucket start, + 1 for a sketch) and its metric or sketch. */
const STRIDE = 2;
/** Added to a bucket start to key a sketch: starts are multiples of 10, so no metric key collides. */
const SKETCH_KEY = 1;

type LastEntry = number | BucketMetric | AgentSketch | undefined;

/**
 * One time sampler's state for each of its contexts: the metric or sketch of the bucket each
 * context was last sampled into (most samples land there, so the hot path skips the bucket's
 * map; a context is nearly always of one type, so one entry is kept), and when a counter was
 * last sampled (for zero-fill). The entry is only a shortcut: a miss goes through the bucket.
 *
 * Kept in arrays indexed by a slot number the context carries (`Context.samplerSlot`), handed
 * out on a context's first sample: no map lookup per sample and no object per context. A slot's
 * key and entry sit side by side in one array (one cache line per sample); the counter times
 * are apart, in an array of unboxed doubles (a double in a field or a mixed array is a heap
 * number of its own). A context belongs to one sampler (its shard). `release` must be called
 * when a context expires, or its slot is never reused. Single threaded, as the sampler.
 */
export class ContextSlots {
  readonly #last: LastEntry[] = [];
  /**
   * Unix seconds of each slot's last counter sample (0: none). Public so the sampler writes it
   * inline: a call that is not inlined boxes its fractional-seconds argument on every sample.
   * Write only at a claimed slot (after `setMetric`, or a `metric` hit).
   */
  public readonly counterLastSampledSec: number[] = [];
  readonly #free: number[] = [];

  /** The metric `ctx` was last sampled into, if its bucket starts at `startSec`. */
  public metric(ctx: Context, startSec: number): BucketMetric | undefined {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT || this.#last[slot * STRIDE] !== startSec) return undefined;
    return this.#last[slot * STRIDE + 1] as BucketMetric;
  }

  public setMetric(ctx: Context, startSec: number, metric: BucketMetric): void {
    this.#set(this.#slotOf(ctx), startSec, metric);
  }

  /** The sketch `ctx` was last sampled into, if its bucket starts at `startSec`. */
  public sketch(ctx: Context, startSec: number): AgentSketch | undefined {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT || this.#last[slot * STRIDE] !== startSec + SKETCH_KEY) return undefined;
    return this.#last[slot * STRIDE + 1] as AgentSketch;
  }

  public setSketch(ctx: Context, startSec: number, sketch: AgentSketch): void {
    this.#set(this.#slotOf(ctx), startSec + SKETCH_KEY, sketch);
  }

  /** Forgets `entry` (a metric or sketch) as `ctx`'s last one: its bucket was flushed, so a late sample opens a new one. */
  public clear(ctx: Context, entry: BucketMetric | AgentSketch): void {
    const slot = ctx.samplerSlot;
    if (slot !== NO_SLOT && this.#last[slot * STRIDE + 1] === entry) this.#set(slot, NO_BUCKET, undefined);
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
