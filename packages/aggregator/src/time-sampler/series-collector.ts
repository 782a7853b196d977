import type { Dogsketch, MetricSource, Serie, SeriePoint, SerieType, SketchSeries } from '@agentkit/serializer';
import type { Context } from '../context/context.js';
import { BUCKET_SECONDS, type PointSink } from './bucket-metrics.js';

interface MutableSerie extends Serie {
  readonly points: SeriePoint[];
  source?: MetricSource;
}

interface MutableSketchSeries extends SketchSeries {
  readonly points: Dogsketch[];
  source?: MetricSource;
}

/**
 * Collects one flush's output. Points of the same context and signature (suffix + type) from
 * several flushed buckets go into one serie, as the Agent merges by SerieSignature. The per-context
 * index lives only as long as the flush (not as fields on every Context).
 */
export class SeriesCollector implements PointSink {
  public readonly series: Serie[] = [];
  public readonly sketches: SketchSeries[] = [];
  readonly #byContext = new Map<Context, (MutableSerie | MutableSketchSeries)[]>();
  #ctx: Context | undefined;
  #ts = 0;

  /** Points written next belong to this context and bucket. */
  public at(ctx: Context, bucketStartSec: number): this {
    this.#ctx = ctx;
    this.#ts = bucketStartSec;
    return this;
  }

  public point(suffix: string, type: SerieType, value: number): void {
    const ctx = this.#ctx as Context;
    const point = { timestamp: this.#ts, value };
    const own = this.#own(ctx);
    // Every serie of this context starts with its name, so same length + same ending = same suffix.
    const nameLength = ctx.name.length + suffix.length;
    for (const s of own) {
      if ('type' in s && s.type === type && s.name.length === nameLength && s.name.endsWith(suffix)) {
        s.points.push(point);
        return;
      }
    }
    const serie: MutableSerie = {
      name: suffix === '' ? ctx.name : ctx.name + suffix,
      points: [point],
      tags: ctx.tags,
      host: ctx.host,
      type,
      interval: BUCKET_SECONDS,
    };
    // Only when set: DogStatsD series (nearly all) stay as small as before.
    if (ctx.source !== undefined) serie.source = ctx.source;
    own.push(serie);
    this.series.push(serie);
  }

  /** Adds a bucket's sketch to the context's sketch series. */
  public sketch(ctx: Context, point: Dogsketch): void {
    const own = this.#own(ctx);
    for (const s of own) {
      if (!('type' in s)) {
        s.points.push(point);
        return;
      }
    }
    const series: MutableSketchSeries = { name: ctx.name, host: ctx.host, tags: ctx.tags, interval: BUCKET_SECONDS, points: [point] };
    if (ctx.source !== undefined) series.source = ctx.source;
    own.push(series);
    this.sketches.push(series);
  }

  #own(ctx: Context): (MutableSerie | MutableSketchSeries)[] {
    let own = this.#byContext.get(ctx);
    if (own === undefined) {
      own = [];
      this.#byContext.set(ctx, own);
    }
    return own;
  }
}
