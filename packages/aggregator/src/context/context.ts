import type { MetricSource } from '@agentkit/serializer';
import type { AgentSketch } from '../sketch/agent-sketch.js';
import type { BucketMetric } from '../time-sampler/bucket-metrics.js';
import type { TagSet } from './tag-set.js';

/** No bucket: bucket starts are multiples of 10, never odd. */
export const NO_BUCKET = -1;

/**
 * One metric context: name + host + tag set (the type is not part of it, as in the Agent).
 * Besides its identity it carries the time sampler's per-context state, so the hot path
 * touches one object: the last bucket it was sampled into (most samples land there) and counter
 * zero-fill tracking.
 */
export class Context {
  public readonly name: string;
  public readonly host: string;
  public readonly tagSet: TagSet;
  /** Which time sampler owns this context's buckets. */
  public readonly shard: number;
  /** The origin of its series and sketches; undefined means `dogstatsd`. */
  public readonly source: MetricSource | undefined;
  /** Unix seconds of the newest sample (or zero-fill): contexts unseen for long expire. */
  public lastSeenSec = 0;
  /** Next context with the same name and tag set but another host. */
  public nextHost: Context | undefined;

  /** Fast path: the metric of the bucket this context was last sampled into. */
  public metricBucket = NO_BUCKET;
  public metric: BucketMetric | undefined;
  public sketchBucket = NO_BUCKET;
  public sketch: AgentSketch | undefined;

  /** Unix seconds of the last counter sample; counters are zero-filled for `dogstatsd_expiry_seconds` after it. */
  public counterLastSampledSec = 0;
  /** True while the sampler zero-fills this context as a counter. */
  public counterTracked = false;

  public constructor(name: string, host: string, tagSet: TagSet, shard: number, source?: MetricSource) {
    this.name = name;
    this.host = host;
    this.tagSet = tagSet;
    this.shard = shard;
    this.source = source;
  }

  public get tags(): readonly string[] {
    return this.tagSet.tags;
  }
}
