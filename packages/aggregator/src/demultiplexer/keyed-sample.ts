import type { MetricSample, MetricType } from './demultiplexer.def.js';

/**
 * A sample that carries its tags as one string (`tagKey`: sorted, unique, joined with `,`)
 * instead of an array. A producer that has only that string (DogStatsD, for a tag string its
 * cache did not keep) hands it over as is: the aggregator finds the context by the string, so
 * nothing is split per sample. `tags` is split from it on first read, for any other consumer.
 * Not for sets (no `setValue`) and without an origin.
 */
export class KeyedSample implements MetricSample {
  public readonly name: string;
  public readonly value: number;
  public readonly type: MetricType;
  public readonly tagKey: string;
  public readonly host: string;
  public readonly sampleRate: number;
  public readonly timestamp: number;
  #tags: readonly string[] | undefined;

  /** `tagKey` must be a flat string (not a slice of a packet) holding sorted, unique, non-empty tags without `,`. */
  public constructor(name: string, value: number, type: MetricType, tagKey: string, host: string, sampleRate: number, timestamp: number) {
    this.name = name;
    this.value = value;
    this.type = type;
    this.tagKey = tagKey;
    this.host = host;
    this.sampleRate = sampleRate;
    this.timestamp = timestamp;
  }

  /** The tags, split from `tagKey` once (frozen, so the same array on every read). */
  public get tags(): readonly string[] {
    return (this.#tags ??= Object.freeze(this.tagKey.split(',')));
  }
}
