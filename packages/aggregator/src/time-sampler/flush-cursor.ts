import type { Dogsketch, MetricSource, Serie, SerieType, SketchSeries } from '@agentkit/serializer';
import type { Context, TagKey } from '../context/context.js';
import type { AgentSketch, ReusedDogsketch } from '../sketch/agent-sketch.js';
import { BUCKET_SECONDS, type BucketMetric, type HistogramConfig, type PointSink } from './bucket-metrics.js';
import { takeLater, type BucketIndexes, type ClosedBucket } from './closed-bucket.js';

const NO_TAGS: readonly string[] = Object.freeze([]);

interface MutablePoint {
  timestamp: number;
  value: number;
}

/**
 * A reused item: its tags are the context's joined string (`joinedTags`), split only when a
 * consumer reads `tags` (the serializer does not), once per context it is reset to.
 */
abstract class ReusedItem {
  public name = '';
  public host = '';
  public readonly interval = BUCKET_SECONDS;
  public source: MetricSource | undefined;
  public joinedTags: string | undefined;
  #key: TagKey = NO_TAGS;
  #split: readonly string[] | undefined;

  protected resetTo(ctx: Context): void {
    this.host = ctx.host;
    this.source = ctx.source;
    if (ctx.tagKey !== this.#key) {
      this.#key = ctx.tagKey;
      this.#split = undefined;
      this.joinedTags = typeof ctx.tagKey === 'string' ? ctx.tagKey : undefined;
    }
  }

  public get tags(): readonly string[] {
    const key = this.#key;
    if (typeof key !== 'string') return key;
    return (this.#split ??= Object.freeze(key.split(',')));
  }
}

/** One serie position of a context; its points array and point objects are reused too. */
class SerieSlot extends ReusedItem implements Serie {
  public type: SerieType = 'gauge';
  public readonly points: MutablePoint[] = [];
  // Private, as `#key`: a consumer copying an item's own fields (`ItemDetacher`) sees a serie's fields only.
  #suffix = '';
  #count = 0;
  #base = '';

  public get suffix(): string {
    return this.#suffix;
  }

  public reset(ctx: Context, suffix: string, type: SerieType): void {
    this.resetTo(ctx);
    // The same name and suffix as the slot's last context (a histogram's series, one name with
    // many tag sets): the same name string, not a new concatenation.
    if (ctx.name !== this.#base || suffix !== this.#suffix || this.name === '') {
      this.#base = ctx.name;
      this.#suffix = suffix;
      this.name = suffix === '' ? ctx.name : ctx.name + suffix;
    }
    this.type = type;
    this.#count = 0;
  }

  public add(timestamp: number, value: number): void {
    const point = this.points[this.#count];
    if (point === undefined) {
      this.points.push({ timestamp, value });
    } else {
      point.timestamp = timestamp;
      point.value = value;
    }
    this.#count++;
  }

  /** Drops the points left from an earlier context (trimmed in place: never to 0, so the array keeps its storage). */
  public seal(): void {
    if (this.points.length > this.#count) this.points.length = this.#count;
  }
}

/** The sketch series of one context, reused. */
class SketchSlot extends ReusedItem implements SketchSeries {
  public points: readonly Dogsketch[] = [];

  public reset(ctx: Context, points: readonly Dogsketch[]): void {
    this.resetTo(ctx);
    this.name = ctx.name;
    this.points = points;
  }
}

/** A reused Dogsketch; its number fields start as doubles (NaN) so V8 stores them in place, unboxed per write. */
class SketchPoint implements ReusedDogsketch {
  public ts = NaN;
  public cnt = NaN;
  public min = NaN;
  public max = NaN;
  public avg = NaN;
  public sum = NaN;
  public readonly k: number[] = [];
  public readonly n: number[] = [];
}

type Result<T> = { done: boolean; value: T | undefined };

/** Iterates the contexts of closed buckets in ascending start order, a context's later entries taken with it. */
abstract class BucketWalk<E, T> implements IterableIterator<T> {
  readonly #buckets: readonly ClosedBucket<E>[];
  readonly #indexes: BucketIndexes;
  #bucket = 0;
  #at = 0;
  readonly #result: Result<T> = { done: false, value: undefined };

  protected constructor(buckets: readonly ClosedBucket<E>[], indexes: BucketIndexes) {
    this.#buckets = buckets;
    this.#indexes = indexes;
  }

  public [Symbol.iterator](): this {
    return this;
  }

  public next(): IteratorResult<T> {
    const result = this.#result;
    const item = this.pull();
    if (item === undefined) {
      result.done = true;
      result.value = undefined;
    } else {
      result.value = item;
    }
    // One result object for the whole walk: the iterator protocol reads it before the next call.
    return result as IteratorResult<T>;
  }

  /** The next item, or undefined at the end. */
  protected abstract pull(): T | undefined;

  /**
   * Visits the next context: its entry in the current bucket, then its entries in later buckets
   * (each with that bucket's start), which are deleted so they are not visited again. False at the end.
   */
  protected nextContext(visit: (entry: E, startSec: number) => void): boolean {
    const buckets = this.#buckets;
    for (;;) {
      const i = this.#bucket;
      if (i >= buckets.length) return false;
      const { startSec, contexts, entries } = buckets[i] as ClosedBucket<E>;
      if (this.#at >= contexts.length) {
        // The bucket is done: its arrays go now, not with the flush.
        contexts.length = entries.length = 0;
        this.#bucket++;
        this.#at = 0;
        continue;
      }
      const p = this.#at++;
      const ctx = contexts[p];
      const entry = entries[p];
      // Taken with the context of an earlier bucket already.
      if (ctx === undefined || entry === undefined) continue;
      contexts[p] = entries[p] = undefined;
      this.context = ctx;
      visit(entry, startSec);
      for (let j = i + 1; j < buckets.length; j++) {
        const later = buckets[j] as ClosedBucket<E>;
        const next = takeLater(later, this.#indexes, j, ctx);
        if (next !== undefined) visit(next, later.startSec);
      }
      return true;
    }
  }

  protected context: Context | undefined;
}

/**
 * The series of closed buckets as {@link ClosedBuckets.series} makes them, but written into
 * reused objects: an item is valid only until the next is pulled (what a serializer needs: it
 * encodes an item when pulled and keeps nothing). A flush then allocates almost nothing per
 * context: no serie, point or tags array, no Map iterator entry, no generator result.
 */
export class SeriesCursor extends BucketWalk<BucketMetric, Serie> implements PointSink {
  readonly #histograms: HistogramConfig;
  readonly #slots: SerieSlot[] = [];
  #count = 0;
  #emitted = 0;
  #timestamp = 0;
  readonly #visit = (metric: BucketMetric, startSec: number): void => {
    this.#timestamp = startSec;
    metric.flush(this, this.#histograms);
  };

  public constructor(buckets: readonly ClosedBucket<BucketMetric>[], indexes: BucketIndexes, histograms: HistogramConfig) {
    super(buckets, indexes);
    this.#histograms = histograms;
  }

  protected pull(): Serie | undefined {
    while (this.#emitted >= this.#count) {
      this.#count = 0;
      this.#emitted = 0;
      if (!this.nextContext(this.#visit)) return undefined;
      for (let i = 0; i < this.#count; i++) (this.#slots[i] as SerieSlot).seal();
    }
    return this.#slots[this.#emitted++];
  }

  /** A point of the context being visited: into its serie of that suffix and type (signature). */
  public point(suffix: string, type: SerieType, value: number): void {
    const slots = this.#slots;
    for (let i = 0; i < this.#count; i++) {
      const slot = slots[i] as SerieSlot;
      if (slot.type === type && slot.suffix === suffix) {
        slot.add(this.#timestamp, value);
        return;
      }
    }
    let slot = slots[this.#count];
    if (slot === undefined) {
      slot = new SerieSlot();
      slots.push(slot);
    }
    this.#count++;
    slot.reset(this.context as Context, suffix, type);
    slot.add(this.#timestamp, value);
  }
}

/** The sketch series of closed buckets, one reused object (see {@link SeriesCursor}). */
export class SketchCursor extends BucketWalk<AgentSketch, SketchSeries> {
  readonly #slot = new SketchSlot();
  /** The context's Dogsketches, one per bucket: reused objects, trimmed in place (as a serie slot's points). */
  readonly #points: ReusedDogsketch[] = [];
  #count = 0;
  readonly #visit = (sketch: AgentSketch, startSec: number): void => {
    let point = this.#points[this.#count];
    if (point === undefined) {
      point = new SketchPoint();
      this.#points.push(point);
    }
    if (sketch.finishInto(startSec, point)) this.#count++;
  };

  public constructor(buckets: readonly ClosedBucket<AgentSketch>[], indexes: BucketIndexes) {
    super(buckets, indexes);
  }

  protected pull(): SketchSeries | undefined {
    for (;;) {
      this.#count = 0;
      if (!this.nextContext(this.#visit)) return undefined;
      if (this.#count === 0) continue;
      if (this.#points.length > this.#count) this.#points.length = this.#count;
      this.#slot.reset(this.context as Context, this.#points);
      return this.#slot;
    }
  }
}
