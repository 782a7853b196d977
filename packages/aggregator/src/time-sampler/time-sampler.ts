import type { MetricType } from '../demultiplexer/demultiplexer.def.js';
import type { Context } from '../context/context.js';
import { AgentSketch } from '../sketch/agent-sketch.js';
import {
  BUCKET_SECONDS,
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  SetMetric,
  type BucketMetric,
  type HistogramConfig,
} from './bucket-metrics.js';
import { ContextSlots, NO_BUCKET, SERIES_FAMILY, SKETCH_FAMILY } from './context-slots.js';
import { ClosedBuckets, type ClosedBucket } from './closed-buckets.js';
import { OpenBucket } from './open-bucket.js';

export interface TimeSamplerOptions {
  /** `dogstatsd_expiry_seconds`: how long a silent counter keeps getting 0 points. */
  readonly counterExpirySec: number;
  readonly histograms: HistogramConfig;
}

/** `ts − ts % 10` on whole seconds, as the Agent's `calculateBucketStart`. */
export function bucketStart(tsSec: number): number {
  const t = Math.trunc(tsSec);
  return t - (t % BUCKET_SECONDS);
}

/**
 * The Agent's TimeSampler (pkg/aggregator/time_sampler.go): aggregates samples into 10 s buckets
 * per context, and on flush hands over closed buckets (all of them when forced), turned into
 * series and sketch series only as they are pulled, zero-filling counters for
 * `dogstatsd_expiry_seconds` after their last sample. Its per-context state is its own
 * (`ContextSlots`); call `forget` when a context expires. Single threaded: `sample` and `flush`
 * never interleave (the series of a flush may be pulled while later samples arrive).
 */
export class TimeSampler {
  readonly #counterExpirySec: number;
  readonly #histograms: HistogramConfig;
  readonly #metricBuckets = new Map<number, OpenBucket<BucketMetric>>();
  readonly #sketchBuckets = new Map<number, OpenBucket<AgentSketch>>();
  readonly #slots = new ContextSlots();
  /** Counter contexts still zero-filled; an array compacted in place after each flush (cheaper than a Set). */
  readonly #counters: Context[] = [];
  #lastCutoffSec = 0;
  /** Forgets a flushed aggregate as its context's newest (made once, not per flush). */
  readonly #clear = (ctx: Context, entry: BucketMetric | AgentSketch): void => this.#slots.clear(ctx, entry);
  // One-entry caches: nearly every sample lands in the current bucket.
  #metricBucketStart = NO_BUCKET;
  #metricBucket: OpenBucket<BucketMetric> | undefined;
  #sketchBucketStart = NO_BUCKET;
  #sketchBucket: OpenBucket<AgentSketch> | undefined;

  public constructor(options: TimeSamplerOptions) {
    this.#counterExpirySec = options.counterExpirySec;
    this.#histograms = options.histograms;
  }

  /**
   * Adds one value at `tsSec` (arrival time, or the client's timestamp). `sampleRate` outside
   * (0, 1] counts as 1. For sets `value` is ignored and `setValue` is counted. Returns false,
   * sampling nothing, for a NaN or ±Inf value (the Agent refuses them too).
   */
  public sample(ctx: Context, type: MetricType, value: number, setValue: string | undefined, sampleRate: number, tsSec: number): boolean {
    const start = bucketStart(tsSec);
    // Whole seconds, rounded up (never earlier than the sample): see Context.lastSeenSec.
    const seenSec = Math.ceil(tsSec);
    if (seenSec > ctx.lastSeenSec) ctx.lastSeenSec = seenSec;
    if (type === 'distribution') {
      if (!Number.isFinite(value)) return false;
      const sketch = this.#slots.sketch(ctx, start) ?? this.#sketchFor(ctx, start);
      sketch.insert(value, sampleRate);
      return true;
    }
    if (type !== 'set' && !Number.isFinite(value)) return false;
    const metric = this.#slots.metric(ctx, start) ?? this.#metricFor(ctx, type, start);
    metric.add(value, sampleRate > 0 && sampleRate <= 1 ? 1 / sampleRate : 1, setValue);
    if (type === 'counter') {
      // Inline, not a call: see ContextSlots.counterLastSampledSec. The metric above claimed the slot.
      this.#slots.counterLastSampledSec[ctx.samplerSlot] = tsSec;
      if (!ctx.counterTracked) {
        ctx.counterTracked = true;
        this.#counters.push(ctx);
      }
    }
    return true;
  }

  /** Drops this sampler's state for `ctx`, which expired (its slot is reused). */
  public forget(ctx: Context): void {
    this.#slots.release(ctx);
  }

  /** Contexts this sampler holds state for. */
  public get contextCount(): number {
    return this.#slots.size;
  }

  /** Open buckets (series and sketches). */
  public get bucketCount(): number {
    return this.#metricBuckets.size + this.#sketchBuckets.size;
  }

  /** Counter contexts being zero-filled. */
  public get counterCount(): number {
    return this.#counters.length;
  }

  /**
   * Detaches every bucket closed at `nowSec` (every bucket when `forceAll`) and hands them over
   * as {@link ClosedBuckets}, whose series are built only as they are pulled. Buckets with
   * start + 10 ≤ floor10(now) are closed (sketches: start < floor10(now)). Counters are
   * zero-filled here, not when pulled: it moves `lastSeenSec`, which the expiry that follows reads.
   */
  public flush(nowSec: number, forceAll: boolean): ClosedBuckets {
    const cutoff = bucketStart(nowSec);
    const metrics = this.#closeSeries(cutoff, forceAll);
    const sketches = this.#closeSketches(cutoff, forceAll);
    this.#lastCutoffSec = cutoff;
    return new ClosedBuckets(metrics, sketches, this.#histograms);
  }

  #closeSeries(cutoff: number, forceAll: boolean): ClosedBucket<BucketMetric>[] {
    const closed: ClosedBucket<BucketMetric>[] = [];
    if (this.#metricBuckets.size > 0) {
      const starts = [...this.#metricBuckets.keys()].filter((s) => forceAll || s + BUCKET_SECONDS <= cutoff).sort((a, b) => a - b);
      for (const start of starts) {
        const bucket = this.#metricBuckets.get(start) as OpenBucket<BucketMetric>;
        this.#metricBuckets.delete(start);
        if (this.#metricBucketStart === start) {
          this.#metricBucketStart = NO_BUCKET;
          this.#metricBucket = undefined;
        }
        this.#zeroFillCounters(start, bucket);
        // Now, not when pulled: a late sample for this bucket must open a new one, and an expired
        // context's slot may be reused before the series are pulled.
        bucket.forEach(this.#clear);
        closed.push(bucket.close());
      }
    } else if (this.#lastCutoffSec + BUCKET_SECONDS <= cutoff) {
      // No bucket at all: counters still get their zero, at the last closed bucket.
      const bucket = new OpenBucket<BucketMetric>(cutoff - BUCKET_SECONDS);
      this.#zeroFillCounters(cutoff - BUCKET_SECONDS, bucket);
      if (bucket.size > 0) closed.push(bucket.close());
    }
    compactCounters(this.#counters);
    return closed;
  }

  /** A 0 for every counter sampled within `dogstatsd_expiry_seconds` before the bucket; stop tracking the others. */
  #zeroFillCounters(start: number, bucket: OpenBucket<BucketMetric>): void {
    // Which contexts the bucket holds, without an index of it: marked, then unmarked, in this walk.
    const held = bucket.contexts;
    for (let i = 0; i < held.length; i++) (held[i] as Context).marked = true;
    for (const ctx of this.#counters) {
      if (!ctx.counterTracked) continue;
      if (this.#counterExpirySec + this.#slots.counterLastSampledSecOf(ctx) > start) {
        // An existing counter gets +0 (no change); another kind sharing the context is left alone.
        if (!ctx.marked) bucket.add(ctx, new CounterMetric());
        if (start > ctx.lastSeenSec) ctx.lastSeenSec = start;
      } else {
        ctx.counterTracked = false;
      }
    }
    for (let i = 0; i < held.length; i++) (held[i] as Context).marked = false;
  }

  #closeSketches(cutoff: number, forceAll: boolean): ClosedBucket<AgentSketch>[] {
    const closed: ClosedBucket<AgentSketch>[] = [];
    if (this.#sketchBuckets.size === 0) return closed;
    const starts = [...this.#sketchBuckets.keys()].filter((s) => forceAll || s < cutoff).sort((a, b) => a - b);
    for (const start of starts) {
      const bucket = this.#sketchBuckets.get(start) as OpenBucket<AgentSketch>;
      this.#sketchBuckets.delete(start);
      if (this.#sketchBucketStart === start) {
        this.#sketchBucketStart = NO_BUCKET;
        this.#sketchBucket = undefined;
      }
      bucket.forEach(this.#clear);
      closed.push(bucket.close());
    }
    return closed;
  }

  #metricFor(ctx: Context, type: Exclude<MetricType, 'distribution'>, start: number): BucketMetric {
    let bucket = this.#metricBucketStart === start ? this.#metricBucket : this.#metricBuckets.get(start);
    if (bucket === undefined) {
      bucket = new OpenBucket(start);
      this.#metricBuckets.set(start, bucket);
    }
    this.#metricBucketStart = start;
    this.#metricBucket = bucket;
    // Its slot did not hold this bucket: most often it is newer than the context's newest (nothing
    // there yet); else the bucket's index says.
    let metric = this.#slots.absent(ctx, start, SERIES_FAMILY) ? undefined : bucket.find(ctx);
    if (metric === undefined) {
      metric = newMetric(type);
      bucket.add(ctx, metric);
    }
    this.#slots.remember(ctx, start, SERIES_FAMILY, metric);
    return metric;
  }

  #sketchFor(ctx: Context, start: number): AgentSketch {
    let bucket = this.#sketchBucketStart === start ? this.#sketchBucket : this.#sketchBuckets.get(start);
    if (bucket === undefined) {
      bucket = new OpenBucket(start);
      this.#sketchBuckets.set(start, bucket);
    }
    this.#sketchBucketStart = start;
    this.#sketchBucket = bucket;
    let sketch = this.#slots.absent(ctx, start, SKETCH_FAMILY) ? undefined : bucket.find(ctx);
    if (sketch === undefined) {
      sketch = new AgentSketch();
      bucket.add(ctx, sketch);
    }
    this.#slots.remember(ctx, start, SKETCH_FAMILY, sketch);
    return sketch;
  }
}

function newMetric(type: Exclude<MetricType, 'distribution'>): BucketMetric {
  switch (type) {
    case 'counter':
      return new CounterMetric();
    case 'gauge':
      return new GaugeMetric();
    case 'set':
      return new SetMetric();
    case 'histogram':
    case 'timing':
      return new HistogramMetric();
  }
}

/**
 * Keeps the tracked counters, in place. Not `filter`: that made a new array of every counter at
 * every flush tick, traffic or not (~0.8 MB/s with 25k counters and a 1 s flush interval), which
 * kept V8's allocation rate near the point where it shrinks the young generation
 * (docs/benchmarks.md, "Issue 14 §3, the young generation after a burst and during a flush").
 */
function compactCounters(counters: Context[]): void {
  let kept = 0;
  for (let i = 0; i < counters.length; i++) {
    const ctx = counters[i] as Context;
    if (ctx.counterTracked) counters[kept++] = ctx;
  }
  if (kept < counters.length) counters.length = kept;
}
