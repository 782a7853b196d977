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
import { ContextSlots, NO_BUCKET } from './context-slots.js';
import type { SeriesCollector } from './series-collector.js';

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
 * per context, and on flush turns closed buckets (all of them when forced) into series and sketch
 * series, zero-filling counters for `dogstatsd_expiry_seconds` after their last sample. Its
 * per-context state is its own (`ContextSlots`); call `forget` when a context expires. Single
 * threaded: `sample` and `flush` never interleave.
 */
export class TimeSampler {
  readonly #counterExpirySec: number;
  readonly #histograms: HistogramConfig;
  readonly #metricBuckets = new Map<number, Map<Context, BucketMetric>>();
  readonly #sketchBuckets = new Map<number, Map<Context, AgentSketch>>();
  readonly #slots = new ContextSlots();
  /** Counter contexts still zero-filled; an array compacted after each flush (cheaper than a Set). */
  #counters: Context[] = [];
  #lastCutoffSec = 0;
  // One-entry caches: nearly every sample lands in the current bucket.
  #metricBucketStart = NO_BUCKET;
  #metricBucket: Map<Context, BucketMetric> | undefined;
  #sketchBucketStart = NO_BUCKET;
  #sketchBucket: Map<Context, AgentSketch> | undefined;

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
    if (tsSec > ctx.lastSeenSec) ctx.lastSeenSec = tsSec;
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
   * Moves every bucket closed at `nowSec` (every bucket when `forceAll`) into `out`, and
   * forgets it. Buckets with start + 10 ≤ floor10(now) are closed.
   */
  public flush(nowSec: number, forceAll: boolean, out: SeriesCollector): void {
    const cutoff = bucketStart(nowSec);
    this.#flushSeries(cutoff, forceAll, out);
    this.#flushSketches(cutoff, forceAll, out);
    this.#lastCutoffSec = cutoff;
  }

  #flushSeries(cutoff: number, forceAll: boolean, out: SeriesCollector): void {
    if (this.#metricBuckets.size > 0) {
      const starts = [...this.#metricBuckets.keys()].filter((s) => forceAll || s + BUCKET_SECONDS <= cutoff).sort((a, b) => a - b);
      for (const start of starts) {
        const bucket = this.#metricBuckets.get(start) as Map<Context, BucketMetric>;
        this.#metricBuckets.delete(start);
        if (this.#metricBucketStart === start) {
          this.#metricBucketStart = NO_BUCKET;
          this.#metricBucket = undefined;
        }
        this.#zeroFillCounters(start, bucket);
        for (const [ctx, metric] of bucket) {
          // A late sample for this bucket must open a new one, not write into a flushed metric.
          this.#slots.clear(ctx, metric);
          metric.flush(out.at(ctx, start), this.#histograms);
        }
      }
    } else if (this.#lastCutoffSec + BUCKET_SECONDS <= cutoff) {
      // No bucket at all: counters still get their zero, at the last closed bucket.
      const bucket = new Map<Context, BucketMetric>();
      this.#zeroFillCounters(cutoff - BUCKET_SECONDS, bucket);
      for (const [ctx, metric] of bucket) metric.flush(out.at(ctx, cutoff - BUCKET_SECONDS), this.#histograms);
    }
    this.#counters = this.#counters.filter((ctx) => ctx.counterTracked);
  }

  /** A 0 for every counter sampled within `dogstatsd_expiry_seconds` before the bucket; stop tracking the others. */
  #zeroFillCounters(start: number, bucket: Map<Context, BucketMetric>): void {
    for (const ctx of this.#counters) {
      if (!ctx.counterTracked) continue;
      if (this.#counterExpirySec + this.#slots.counterLastSampledSecOf(ctx) > start) {
        // An existing counter gets +0 (no change); another kind sharing the context is left alone.
        if (!bucket.has(ctx)) bucket.set(ctx, new CounterMetric());
        if (start > ctx.lastSeenSec) ctx.lastSeenSec = start;
      } else {
        ctx.counterTracked = false;
      }
    }
  }

  #flushSketches(cutoff: number, forceAll: boolean, out: SeriesCollector): void {
    if (this.#sketchBuckets.size === 0) return;
    const starts = [...this.#sketchBuckets.keys()].filter((s) => forceAll || s < cutoff).sort((a, b) => a - b);
    for (const start of starts) {
      const bucket = this.#sketchBuckets.get(start) as Map<Context, AgentSketch>;
      this.#sketchBuckets.delete(start);
      if (this.#sketchBucketStart === start) {
        this.#sketchBucketStart = NO_BUCKET;
        this.#sketchBucket = undefined;
      }
      for (const [ctx, sketch] of bucket) {
        this.#slots.clear(ctx, sketch);
        const point = sketch.finish(start);
        if (point !== undefined) out.sketch(ctx, point);
      }
    }
  }

  #metricFor(ctx: Context, type: Exclude<MetricType, 'distribution'>, start: number): BucketMetric {
    let bucket = this.#metricBucketStart === start ? this.#metricBucket : this.#metricBuckets.get(start);
    if (bucket === undefined) {
      bucket = new Map();
      this.#metricBuckets.set(start, bucket);
    }
    this.#metricBucketStart = start;
    this.#metricBucket = bucket;
    let metric = bucket.get(ctx);
    if (metric === undefined) {
      metric = newMetric(type);
      bucket.set(ctx, metric);
    }
    this.#slots.setMetric(ctx, start, metric);
    return metric;
  }

  #sketchFor(ctx: Context, start: number): AgentSketch {
    let bucket = this.#sketchBucketStart === start ? this.#sketchBucket : this.#sketchBuckets.get(start);
    if (bucket === undefined) {
      bucket = new Map();
      this.#sketchBuckets.set(start, bucket);
    }
    this.#sketchBucketStart = start;
    this.#sketchBucket = bucket;
    let sketch = bucket.get(ctx);
    if (sketch === undefined) {
      sketch = new AgentSketch();
      bucket.set(ctx, sketch);
    }
    this.#slots.setSketch(ctx, start, sketch);
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
