/**
 * The data the aggregator hands to the serializer: Datadog's series, sketches, events and
 * service checks, as plain objects. Arrays inside (tags, points, k, n) may be shared between
 * items and must be treated as immutable by everyone.
 */

/** Series types as the Datadog intake knows them (v2 enum: COUNT=1, RATE=2, GAUGE=3). */
export type SerieType = 'gauge' | 'count' | 'rate';

/** Where a metric comes from; the serializer maps it to the origin metadata Datadog expects. */
export type MetricSource = 'dogstatsd' | 'serverless-custom' | 'serverless-enhanced';

export interface SeriePoint {
  /** Unix seconds (integer): the bucket start for aggregated metrics. */
  readonly timestamp: number;
  readonly value: number;
}

export interface Serie {
  readonly name: string;
  readonly points: readonly SeriePoint[];
  readonly tags: readonly string[];
  /**
   * The same tags joined with ',' (`tags` is exactly `joinedTags.split(',')`), when the producer
   * keeps them so (the aggregator's contexts do): the encoders then write each tag straight from
   * this string, and `tags` need never be split during a flush.
   */
  readonly joinedTags?: string | undefined;
  /** May be empty (serverless sends no host); the v2 host resource is written anyway. */
  readonly host: string;
  readonly type: SerieType;
  /** Seconds; 10 for DogStatsD buckets, 0 when not aggregated. */
  readonly interval: number;
  readonly sourceTypeName?: string;
  /** Hidden from the metrics UI (`agent_hidden`); dropped from v1 payloads. */
  readonly noIndex?: boolean;
  /** Defaults to 'dogstatsd'. */
  readonly source?: MetricSource | undefined;
}

/** One 10 s bucket of an agent sketch, as the sketches payload carries it. */
export interface Dogsketch {
  /** Unix seconds: the bucket start. */
  readonly ts: number;
  readonly cnt: number;
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly sum: number;
  /** Bin keys (written as zig-zag sint32), ascending. */
  readonly k: ArrayLike<number>;
  /** Bin counts (uint32), one per key. */
  readonly n: ArrayLike<number>;
}

export interface SketchSeries {
  readonly name: string;
  readonly host: string;
  readonly tags: readonly string[];
  /** As {@link Serie.joinedTags}. */
  readonly joinedTags?: string | undefined;
  readonly interval: number;
  /** One per flushed bucket. */
  readonly points: readonly Dogsketch[];
  readonly source?: MetricSource | undefined;
}

export type EventPriority = 'normal' | 'low';
export type EventAlertType = 'error' | 'warning' | 'info' | 'success';

/** A DogStatsD event (`_e{…}`), enriched. */
export interface Event {
  readonly title: string;
  readonly text: string;
  /** Unix seconds; 0 means "when flushed" (the aggregator fills it in). */
  readonly timestamp: number;
  readonly host: string;
  readonly tags: readonly string[];
  readonly priority: EventPriority;
  readonly alertType: EventAlertType;
  readonly aggregationKey?: string;
  readonly sourceTypeName?: string;
}

/** 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export type ServiceCheckStatus = 0 | 1 | 2 | 3;

/** A DogStatsD service check (`_sc|…`), enriched. */
export interface ServiceCheck {
  readonly name: string;
  readonly status: ServiceCheckStatus;
  /** Unix seconds; 0 means "when flushed" (the aggregator fills it in). */
  readonly timestamp: number;
  readonly host: string;
  readonly tags: readonly string[];
  readonly message: string;
}
