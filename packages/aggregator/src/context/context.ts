import type { MetricSource } from '@agentkit/serializer';
import type { TagSet } from './tag-set.js';

/** A context without a time sampler slot (not sampled yet, or released). */
export const NO_SLOT = -1;

/**
 * One metric context: name + host + tag set (the type is not part of it, as in the Agent), and
 * what its expiry needs. The time sampler's state for it (last bucket, counter zero-fill) lives
 * in that sampler (`ContextSlots`); the context only carries its slot number there.
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

  /**
   * True while its time sampler zero-fills this context as a counter: expiry keeps it, as the
   * sampler still holds it.
   */
  public counterTracked = false;
  /** Its index in its time sampler's `ContextSlots`, or NO_SLOT; written by that sampler only. */
  public samplerSlot = NO_SLOT;

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
