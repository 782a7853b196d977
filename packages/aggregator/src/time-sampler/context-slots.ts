import { NO_SLOT, type Context } from '../context/context.js';
import type { AgentSketch } from '../sketch/agent-sketch.js';
import type { BucketMetric } from './bucket-metrics.js';

/** No bucket: bucket starts are multiples of 10, never odd. */
export const NO_BUCKET = -1;

/**
 * One time sampler's state for each of its contexts: the bucket each context was last sampled
 * into with that bucket's metric or sketch (most samples land there, so the hot path skips the
 * bucket's map), and when a counter was last sampled (for zero-fill).
 *
 * Kept in parallel arrays indexed by a slot number the context carries (`Context.samplerSlot`),
 * handed out on a context's first sample: no map lookup per sample, no object per context, and
 * numbers stored unboxed in the arrays (a double field on an object is a heap number of its own).
 * A context belongs to one sampler (its shard). `release` must be called when a context expires,
 * or its slot is never reused. Single threaded, as the sampler.
 */
export class ContextSlots {
  readonly #metricBucket: number[] = [];
  readonly #metric: (BucketMetric | undefined)[] = [];
  readonly #sketchBucket: number[] = [];
  readonly #sketch: (AgentSketch | undefined)[] = [];
  readonly #counterLastSampledSec: number[] = [];
  readonly #free: number[] = [];

  /** The metric `ctx` was last sampled into, if its bucket starts at `startSec`. */
  public metric(ctx: Context, startSec: number): BucketMetric | undefined {
    const slot = ctx.samplerSlot;
    return slot !== NO_SLOT && this.#metricBucket[slot] === startSec ? this.#metric[slot] : undefined;
  }

  public setMetric(ctx: Context, startSec: number, metric: BucketMetric): void {
    const slot = this.#slotOf(ctx);
    this.#metricBucket[slot] = startSec;
    this.#metric[slot] = metric;
  }

  /** Forgets `metric` as `ctx`'s last one (its bucket was flushed: a late sample opens a new one). */
  public clearMetric(ctx: Context, metric: BucketMetric): void {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT || this.#metric[slot] !== metric) return;
    this.#metricBucket[slot] = NO_BUCKET;
    this.#metric[slot] = undefined;
  }

  /** The sketch `ctx` was last sampled into, if its bucket starts at `startSec`. */
  public sketch(ctx: Context, startSec: number): AgentSketch | undefined {
    const slot = ctx.samplerSlot;
    return slot !== NO_SLOT && this.#sketchBucket[slot] === startSec ? this.#sketch[slot] : undefined;
  }

  public setSketch(ctx: Context, startSec: number, sketch: AgentSketch): void {
    const slot = this.#slotOf(ctx);
    this.#sketchBucket[slot] = startSec;
    this.#sketch[slot] = sketch;
  }

  /** Forgets `sketch` as `ctx`'s last one (its bucket was flushed). */
  public clearSketch(ctx: Context, sketch: AgentSketch): void {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT || this.#sketch[slot] !== sketch) return;
    this.#sketchBucket[slot] = NO_BUCKET;
    this.#sketch[slot] = undefined;
  }

  public setCounterSampled(ctx: Context, tsSec: number): void {
    this.#counterLastSampledSec[this.#slotOf(ctx)] = tsSec;
  }

  /** Unix seconds of `ctx`'s last counter sample; 0 if it never had one. */
  public counterLastSampledSec(ctx: Context): number {
    const slot = ctx.samplerSlot;
    return slot === NO_SLOT ? 0 : (this.#counterLastSampledSec[slot] as number);
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
    return this.#metric.length - this.#free.length;
  }

  #slotOf(ctx: Context): number {
    const slot = ctx.samplerSlot;
    if (slot !== NO_SLOT) return slot;
    let claimed = this.#free.pop();
    if (claimed === undefined) {
      claimed = this.#metric.length;
      // Appended in step, never written past the end: the arrays stay packed.
      this.#metricBucket.push(NO_BUCKET);
      this.#metric.push(undefined);
      this.#sketchBucket.push(NO_BUCKET);
      this.#sketch.push(undefined);
      this.#counterLastSampledSec.push(0);
    }
    ctx.samplerSlot = claimed;
    return claimed;
  }

  #reset(slot: number): void {
    this.#metricBucket[slot] = NO_BUCKET;
    this.#metric[slot] = undefined;
    this.#sketchBucket[slot] = NO_BUCKET;
    this.#sketch[slot] = undefined;
    this.#counterLastSampledSec[slot] = 0;
  }
}
