import type { SerieType } from '@agentkit/serializer';

/** Where a flushed bucket metric writes its points: (suffix, type, value) for one context and bucket. */
export interface PointSink {
  point(suffix: string, type: SerieType, value: number): void;
}

/** What `histogram_aggregates` and `histogram_percentiles` resolve to. */
export interface HistogramConfig {
  /** Known aggregates in configured order: max, min, median, avg, sum, count. */
  readonly aggregates: readonly HistogramAggregate[];
  /** Percentiles as integers 0..100, ascending (the Agent sorts them). */
  readonly percentiles: readonly number[];
  /** `.95percentile` for each percentile, precomputed. */
  readonly percentileSuffixes: readonly string[];
}

export type HistogramAggregate = 'max' | 'min' | 'median' | 'avg' | 'sum' | 'count';

/** The bucket interval, seconds: counters and histogram counts are per-second rates over it. */
export const BUCKET_SECONDS = 10;

/**
 * One context's aggregate within one 10 s bucket. The object's kind is set by the first sample
 * of the bucket; later samples of another type are added with this kind's rule, as the Agent's
 * ContextMetrics does. `weight` is 1/sampleRate with the rate already sanitized to (0, 1].
 */
export interface BucketMetric {
  readonly kind: 'counter' | 'gauge' | 'set' | 'histogram';
  add(value: number, weight: number, setValue: string | undefined): void;
  flush(sink: PointSink, histograms: HistogramConfig): void;
}

/** `c`: sum of value / rate, sent as a RATE of sum / 10. */
export class CounterMetric implements BucketMetric {
  // On the prototype: an own field would cost 8 bytes per bucket metric.
  public get kind(): 'counter' {
    return 'counter';
  }
  public value = 0;

  public add(value: number, weight: number): void {
    this.value += value * weight;
  }

  public flush(sink: PointSink): void {
    sink.point('', 'rate', this.value / BUCKET_SECONDS);
  }
}

/** `g`: the last value; the sample rate is ignored. */
export class GaugeMetric implements BucketMetric {
  // On the prototype: an own field would cost 8 bytes per bucket metric.
  public get kind(): 'gauge' {
    return 'gauge';
  }
  public value = 0;

  public add(value: number): void {
    this.value = value;
  }

  public flush(sink: PointSink): void {
    sink.point('', 'gauge', this.value);
  }
}

/** `s`: a GAUGE of the number of distinct raw values. */
export class SetMetric implements BucketMetric {
  // On the prototype: an own field would cost 8 bytes per bucket metric.
  public get kind(): 'set' {
    return 'set';
  }
  readonly #members = new Set<string>();

  public add(value: number, _weight: number, setValue: string | undefined): void {
    // A numeric sample added to a set counts its text, as the Agent's Set uses RawValue.
    this.#members.add(setValue ?? String(value));
  }

  public flush(sink: PointSink): void {
    sink.point('', 'gauge', this.#members.size);
  }
}

/**
 * `h` and `ms`: the Agent's Histogram (pkg/metrics/histogram.go): values with integer weights
 * trunc(1/rate); aggregates and percentiles from the sorted values by weighted walk.
 */
export class HistogramMetric implements BucketMetric {
  // On the prototype: an own field would cost 8 bytes per bucket metric.
  public get kind(): 'histogram' {
    return 'histogram';
  }
  /**
   * The value while there is one (most contexts get one sample per bucket: no array, where a
   * one-slot array costs ~56 bytes), then every value. Empty while `#count` is 0.
   */
  #values: number | number[] = 0;
  /** Only allocated once a sample has a weight other than 1. */
  #weights: number[] | undefined;
  #sum = 0;
  #count = 0;

  public add(value: number, weight: number): void {
    const w = Math.trunc(weight);
    const values = this.#values;
    if (this.#count === 0) {
      this.#values = value;
      if (w !== 1) this.#weights = [w];
    } else {
      if (w !== 1 && this.#weights === undefined) this.#weights = new Array<number>(typeof values === 'number' ? 1 : values.length).fill(1);
      if (typeof values === 'number') this.#values = [values, value];
      else values.push(value);
      this.#weights?.push(w);
    }
    this.#sum += value * weight;
    this.#count += w;
  }

  public flush(sink: PointSink, config: HistogramConfig): void {
    if (this.#count === 0) return;
    const count = this.#count;
    let values: readonly number[] | undefined;
    let single = 0;
    if (typeof this.#values === 'number') single = this.#values;
    else {
      this.#sort();
      values = this.#values;
    }
    const weights = this.#weights;
    for (const aggregate of config.aggregates) {
      switch (aggregate) {
        case 'max':
          sink.point('.max', 'gauge', values === undefined ? single : (values[values.length - 1] as number));
          break;
        case 'min':
          sink.point('.min', 'gauge', values === undefined ? single : (values[0] as number));
          break;
        case 'median':
          sink.point('.median', 'gauge', values === undefined ? single : weightedAt(values, weights, Math.trunc((count - 1) / 2)));
          break;
        case 'avg':
          sink.point('.avg', 'gauge', this.#sum / count);
          break;
        case 'sum':
          sink.point('.sum', 'gauge', this.#sum);
          break;
        case 'count':
          sink.point('.count', 'rate', count / BUCKET_SECONDS);
          break;
      }
    }
    const { percentiles, percentileSuffixes } = config;
    for (let i = 0; i < percentiles.length; i++) {
      const target = Math.trunc(((percentiles[i] as number) * count - 1) / 100);
      // One value: every order statistic is that value, whatever its weight (the walk's first step).
      sink.point(percentileSuffixes[i] as string, 'gauge', values === undefined ? single : weightedAt(values, weights, target));
    }
  }

  /**
   * Sorts the values (with their weights) in place: a bucket is flushed once, then dropped, and
   * the flush of 100k contexts should not allocate per histogram (no result object, no closure).
   */
  #sort(): void {
    const values = this.#values as number[];
    const weights = this.#weights;
    if (weights === undefined) {
      sortAscending(values);
      return;
    }
    const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
    this.#values = order.map((i) => values[i] as number);
    this.#weights = order.map((i) => weights[i] as number);
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}

/** Below this, an insertion sort: Array#sort allocates its work arrays on every call (~400 B), for 2 values too. */
const INSERTION_SORT_MAX = 32;

/**
 * Sorts `values` ascending in place, as `values.sort((a, b) => a - b)` does (stable; the values
 * are finite: NaN and ±Inf are dropped when sampled), without allocating for the few values
 * most histograms hold per bucket.
 */
function sortAscending(values: number[]): void {
  const n = values.length;
  if (n > INSERTION_SORT_MAX) {
    values.sort(ascending);
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = v;
  }
}

/** The first sorted value whose cumulative weight exceeds `target` (the Agent's weighted walk). */
function weightedAt(values: readonly number[], weights: readonly number[] | undefined, target: number): number {
  if (weights === undefined) return values[Math.min(Math.max(target, 0), values.length - 1)] as number;
  let cumulative = 0;
  for (let i = 0; i < values.length; i++) {
    cumulative += weights[i] as number;
    if (cumulative > target) return values[i] as number;
  }
  // Unreachable with positive weights; the Agent leaves the value at 0 then.
  return 0;
}
