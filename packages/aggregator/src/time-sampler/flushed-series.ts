import type { Dogsketch, MetricSource, Serie, SeriePoint, SerieType, SketchSeries } from '@agentkit/serializer';
import type { Context, TagKey } from '../context/context.js';
import { BUCKET_SECONDS } from './bucket-metrics.js';

/**
 * A context's tags as a flushed item carries them: the joined string itself (the encoders write
 * from it) and, only when a consumer reads `tags`, the split array, made once per item.
 */
abstract class JoinedTagsItem {
  public readonly joinedTags: string | undefined;
  #key: TagKey;

  protected constructor(key: TagKey) {
    this.#key = key;
    this.joinedTags = typeof key === 'string' ? key : undefined;
  }

  /** Sorted, unique, frozen; split from `joinedTags` on first read (the serializer never reads it). */
  public get tags(): readonly string[] {
    const key = this.#key;
    if (typeof key !== 'string') return key;
    const split = Object.freeze(key.split(','));
    this.#key = split;
    return split;
  }
}

/**
 * A serie of a flush, made as the serializer pulls it: its tags stay the context's joined string
 * (no array of tag strings per serie, the bulk of a flush's short-lived heap otherwise).
 */
export class FlushedSerie extends JoinedTagsItem implements Serie {
  public readonly name: string;
  public readonly points: SeriePoint[];
  public readonly host: string;
  public readonly type: SerieType;
  public readonly interval = BUCKET_SECONDS;
  public readonly source: MetricSource | undefined;

  public constructor(ctx: Context, name: string, type: SerieType, first: SeriePoint) {
    super(ctx.tagKey);
    this.name = name;
    this.points = [first];
    this.host = ctx.host;
    this.type = type;
    this.source = ctx.source;
  }
}

/** A sketch series of a flush; tags as {@link FlushedSerie}'s. */
export class FlushedSketchSeries extends JoinedTagsItem implements SketchSeries {
  public readonly name: string;
  public readonly host: string;
  public readonly interval = BUCKET_SECONDS;
  public readonly points: readonly Dogsketch[];
  public readonly source: MetricSource | undefined;

  public constructor(ctx: Context, points: readonly Dogsketch[]) {
    super(ctx.tagKey);
    this.name = ctx.name;
    this.host = ctx.host;
    this.points = points;
    this.source = ctx.source;
  }
}
