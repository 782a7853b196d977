import { NO_SLOT, type Context } from '../context/context.js';
import type { AgentSketch } from '../sketch/agent-sketch.js';
import type { BucketMetric } from './bucket-metrics.js';

/** No bucket: bucket starts are multiples of 10, never odd. */
export const NO_BUCKET = -1;

/** Entries per slot in `#last`: metric bucket start, metric, sketch bucket start, sketch. */
const STRIDE = 4;
const METRIC_START = 0;
const METRIC = 1;
const SKETCH_START = 2;
const SKETCH = 3;

type LastEntry = number | BucketMetric | AgentSketch | undefined;

/**
 * One time sampler's state for each of its contexts: the bucket each context was last sampled
 * into with that bucket's metric or sketch (most samples land there, so the hot path skips the
 * bucket's map), and when a counter was last sampled (for zero-fill).
 *
 * Kept in arrays indexed by a slot number the context carries (`Context.samplerSlot`), handed
 * out on a context's first sample: no map lookup per sample and no object per context. A slot's
 * bucket starts and metric / sketch sit side by side in one array (one cache line per sample,
 * where separate arrays cost one each); the counter times are apart, in an array of unboxed
 * doubles (a double stored in a field or a mixed array is a heap number of its own).
 * A context belongs to one sampler (its shard). `release` must be called when a context expires,
 * or its slot is never reused. Single threaded, as the sampler.
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
    if (slot === NO_SLOT) return undefined;
    const at = slot * STRIDE;
    return this.#last[at + METRIC_START] === startSec ? (this.#last[at + METRIC] as BucketMetric | undefined) : undefined;
  }

  public setMetric(ctx: Context, startSec: number, metric: BucketMetric): void {
    const at = this.#slotOf(ctx) * STRIDE;
    this.#last[at + METRIC_START] = startSec;
    this.#last[at + METRIC] = metric;
  }

  /** Forgets `metric` as `ctx`'s last one (its bucket was flushed: a late sample opens a new one). */
  public clearMetric(ctx: Context, metric: BucketMetric): void {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT || this.#last[slot * STRIDE + METRIC] !== metric) return;
    this.#last[slot * STRIDE + METRIC_START] = NO_BUCKET;
    this.#last[slot * STRIDE + METRIC] = undefined;
  }

  /** The sketch `ctx` was last sampled into, if its bucket starts at `startSec`. */
  public sketch(ctx: Context, startSec: number): AgentSketch | undefined {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT) return undefined;
    const at = slot * STRIDE;
    return this.#last[at + SKETCH_START] === startSec ? (this.#last[at + SKETCH] as AgentSketch | undefined) : undefined;
  }

  public setSketch(ctx: Context, startSec: number, sketch: AgentSketch): void {
    const at = this.#slotOf(ctx) * STRIDE;
    this.#last[at + SKETCH_START] = startSec;
    this.#last[at + SKETCH] = sketch;
  }

  /** Forgets `sketch` as `ctx`'s last one (its bucket was flushed). */
  public clearSketch(ctx: Context, sketch: AgentSketch): void {
    const slot = ctx.samplerSlot;
    if (slot === NO_SLOT || this.#last[slot * STRIDE + SKETCH] !== sketch) return;
    this.#last[slot * STRIDE + SKETCH_START] = NO_BUCKET;
    this.#last[slot * STRIDE + SKETCH] = undefined;
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
      this.#last.push(NO_BUCKET, undefined, NO_BUCKET, undefined);
      this.counterLastSampledSec.push(0);
    }
    ctx.samplerSlot = claimed;
    return claimed;
  }

  #reset(slot: number): void {
    const at = slot * STRIDE;
    this.#last[at + METRIC_START] = NO_BUCKET;
    this.#last[at + METRIC] = undefined;
    this.#last[at + SKETCH_START] = NO_BUCKET;
    this.#last[at + SKETCH] = undefined;
    this.counterLastSampledSec[slot] = 0;
  }
}
