import type { Dogsketch, Serie, SerieType, SketchSeries } from '@agentkit/serializer';
import type { Context } from '../context/context.js';
import type { AgentSketch } from '../sketch/agent-sketch.js';
import type { BucketMetric, HistogramConfig, PointSink } from './bucket-metrics.js';
import { FlushedSerie, FlushedSketchSeries } from './flushed-series.js';
import { SeriesCursor, SketchCursor } from './flush-cursor.js';
import { indexesOf, takeLater, type BucketIndexes, type ClosedBucket } from './closed-bucket.js';

export type { ClosedBucket } from './closed-bucket.js';

/**
 * The buckets one time sampler closed in one flush, detached from it (a late sample opens a new
 * bucket), turned into series and sketch series lazily, context by context, as the serializer
 * pulls them: no array of all series is ever built. Points of one context and signature
 * (suffix + type) from several closed buckets go into one serie, as the Agent merges by
 * SerieSignature: a context's entries in later buckets are taken with it, in bucket order.
 *
 * Each context's entries are deleted as it is visited, so the flush frees the buckets' state as
 * it goes. Each generator may be iterated once; the sampler may go on sampling meanwhile.
 */
export class ClosedBuckets {
  readonly #metrics: readonly ClosedBucket<BucketMetric>[];
  readonly #sketches: readonly ClosedBucket<AgentSketch>[];
  readonly #histograms: HistogramConfig;
  readonly #metricIndexes: BucketIndexes;
  readonly #sketchIndexes: BucketIndexes;
  /** How many series `series()` yields, known before any is built (a stop that times out counts them). */
  public readonly seriesCount: number;
  /** How many sketch series `sketches()` yields. */
  public readonly sketchCount: number;

  /** Buckets in ascending start order; the caller hands them over and no longer touches them. */
  public constructor(metrics: readonly ClosedBucket<BucketMetric>[], sketches: readonly ClosedBucket<AgentSketch>[], histograms: HistogramConfig) {
    this.#metrics = metrics;
    this.#sketches = sketches;
    this.#histograms = histograms;
    this.#metricIndexes = indexesOf(metrics);
    this.#sketchIndexes = indexesOf(sketches);
    this.seriesCount = countSeries(metrics, this.#metricIndexes, histograms.aggregates.length + histograms.percentiles.length);
    this.sketchCount = countSketches(sketches, this.#sketchIndexes);
  }

  /**
   * The series of {@link series}, in the same order, written into reused objects: each is valid
   * only until the next is pulled (a serializer's contract: encode when pulled, keep nothing).
   * What the demultiplexer hands the serializer. Iterate only one of `series` and `seriesCursor`.
   */
  public seriesCursor(): Iterable<Serie> {
    return new SeriesCursor(this.#metrics, this.#metricIndexes, this.#histograms);
  }

  /** The sketch series of {@link sketches} in reused objects (see {@link seriesCursor}). */
  public sketchCursor(): Iterable<SketchSeries> {
    return new SketchCursor(this.#sketches, this.#sketchIndexes);
  }

  /** The series of every context, one context's series after another. */
  public *series(): Generator<Serie, void, undefined> {
    const buckets = this.#metrics;
    const indexes = this.#metricIndexes;
    const sink = new ContextSeries();
    for (let i = 0; i < buckets.length; i++) {
      const { startSec, contexts, entries } = buckets[i] as ClosedBucket<BucketMetric>;
      for (let p = 0; p < contexts.length; p++) {
        const ctx = contexts[p];
        const metric = entries[p];
        if (ctx === undefined || metric === undefined) continue;
        sink.begin(ctx, startSec);
        metric.flush(sink, this.#histograms);
        for (let j = i + 1; j < buckets.length; j++) {
          const later = buckets[j] as ClosedBucket<BucketMetric>;
          const next = takeLater(later, indexes, j, ctx);
          if (next === undefined) continue;
          sink.timestamp = later.startSec;
          next.flush(sink, this.#histograms);
        }
        contexts[p] = entries[p] = undefined;
        yield* sink.take();
      }
      contexts.length = entries.length = 0;
    }
  }

  /** The sketch series of every context: one per context, a `Dogsketch` per bucket. */
  public *sketches(): Generator<SketchSeries, void, undefined> {
    const buckets = this.#sketches;
    const indexes = this.#sketchIndexes;
    for (let i = 0; i < buckets.length; i++) {
      const { startSec, contexts, entries } = buckets[i] as ClosedBucket<AgentSketch>;
      for (let p = 0; p < contexts.length; p++) {
        const ctx = contexts[p];
        const sketch = entries[p];
        if (ctx === undefined || sketch === undefined) continue;
        const points: Dogsketch[] = [];
        const first = sketch.finish(startSec);
        if (first !== undefined) points.push(first);
        for (let j = i + 1; j < buckets.length; j++) {
          const later = buckets[j] as ClosedBucket<AgentSketch>;
          const next = takeLater(later, indexes, j, ctx);
          if (next === undefined) continue;
          const point = next.finish(later.startSec);
          if (point !== undefined) points.push(point);
        }
        contexts[p] = entries[p] = undefined;
        if (points.length === 0) continue;
        yield new FlushedSketchSeries(ctx, points);
      }
      contexts.length = entries.length = 0;
    }
  }
}

/**
 * The series the buckets make, without building them. A bucket's metric always has a point (a
 * zero-filled counter too, a histogram has a value from its first sample), and the kinds' series
 * never share a signature: counter ('' rate), gauge and set ('' gauge), histogram (its suffixes).
 * So a context counts once per kind class, however many buckets it is in.
 */
function countSeries(buckets: readonly ClosedBucket<BucketMetric>[], indexes: BucketIndexes, histogramSeries: number): number {
  let n = 0;
  for (let i = 0; i < buckets.length; i++) {
    const { contexts, entries } = buckets[i] as ClosedBucket<BucketMetric>;
    for (let p = 0; p < contexts.length; p++) {
      const kind = classOf(entries[p] as BucketMetric);
      let seen = false;
      for (let j = 0; j < i && !seen; j++) {
        const at = indexes?.[j]?.get(contexts[p] as Context);
        const earlier = at === undefined ? undefined : (buckets[j] as ClosedBucket<BucketMetric>).entries[at];
        seen = earlier !== undefined && classOf(earlier) === kind;
      }
      if (!seen) n += kind === 'histogram' ? histogramSeries : 1;
    }
  }
  return n;
}

function classOf(metric: BucketMetric): 'counter' | 'gauge' | 'histogram' {
  return metric.kind === 'set' ? 'gauge' : metric.kind;
}

/** One sketch series per context (a bucket's sketch is never empty: it is made by a sample). */
function countSketches(buckets: readonly ClosedBucket<AgentSketch>[], indexes: BucketIndexes): number {
  let n = 0;
  for (let i = 0; i < buckets.length; i++) {
    const { contexts } = buckets[i] as ClosedBucket<AgentSketch>;
    for (let p = 0; p < contexts.length; p++) {
      let seen = false;
      for (let j = 0; j < i && !seen; j++) seen = indexes?.[j]?.has(contexts[p] as Context) === true;
      if (!seen) n++;
    }
  }
  return n;
}

/** The series of one context being visited; reused from one context to the next. */
class ContextSeries implements PointSink {
  public timestamp = 0;
  #ctx: Context | undefined;
  #series: FlushedSerie[] = [];
  readonly #suffixes: string[] = [];

  public begin(ctx: Context, timestamp: number): void {
    this.#ctx = ctx;
    this.timestamp = timestamp;
  }

  public point(suffix: string, type: SerieType, value: number): void {
    const point = { timestamp: this.timestamp, value };
    const series = this.#series;
    for (let i = 0; i < series.length; i++) {
      const s = series[i] as FlushedSerie;
      if (s.type === type && this.#suffixes[i] === suffix) {
        s.points.push(point);
        return;
      }
    }
    const ctx = this.#ctx as Context;
    // The context's joined tags, not split: every serie of it shares the one string.
    series.push(new FlushedSerie(ctx, suffix === '' ? ctx.name : ctx.name + suffix, type, point));
    this.#suffixes.push(suffix);
  }

  /** The context's series, in the order their first point came; forgets them. */
  public take(): FlushedSerie[] {
    const series = this.#series;
    this.#series = [];
    this.#suffixes.length = 0;
    return series;
  }
}
