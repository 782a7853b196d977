import { token } from '@agentkit/core';
import type { Event, MetricSource, ServiceCheck } from '@agentkit/serializer';

/*
 * Events and service checks pass through the demultiplexer unchanged (it only fills a zero
 * timestamp and sort-uniqs the tags), so their shape is the serializer's. They are part of this
 * stage's contract all the same: a producer (DogStatsD) takes them from here and depends on the
 * aggregator only, never on the stage after it.
 */
export type { Event, EventAlertType, EventPriority, ServiceCheck, ServiceCheckStatus } from '@agentkit/serializer';

/** DogStatsD metric types: `g c h ms s d`. `timing` aggregates as a histogram. */
export type MetricType = 'gauge' | 'counter' | 'histogram' | 'timing' | 'set' | 'distribution';

/** Origin-detection fields a client may send; kept apart from tags, never part of the context. */
export interface SampleOrigin {
  /** `dd.internal.entity_id` tag. */
  readonly entityId?: string;
  /** `c:` field (container id or local data). */
  readonly localData?: string;
  /** `e:` field. */
  readonly externalData?: string;
  /** `card:` field, or the `dd.internal.card` tag. */
  readonly cardinality?: string;
}

/**
 * One parsed and enriched DogStatsD value. A packed line (`name:1:2:3|h`) gives one sample
 * per value.
 */
export interface MetricSample {
  readonly name: string;
  /** The value; NaN for sets (see `setValue`). */
  readonly value: number;
  /** For sets only: the raw member string, counted for uniqueness. */
  readonly setValue?: string;
  readonly type: MetricType;
  /**
   * Enriched tags (`host:` and origin tags removed, `dogstatsd_tags` appended), in arrival
   * order, possibly with duplicates. The same array instance is shared by every sample whose
   * raw tag string was the same, so it is immutable for everyone, and consumers may cache work
   * per array instance (e.g. in a WeakMap) instead of per sample.
   */
  readonly tags: readonly string[];
  /**
   * `tags` already sorted, deduplicated and joined with `,` (every tag non-empty and without
   * `,`), when the producer has that string and not the array: the aggregator then finds the
   * context by this string and never reads `tags` (see `KeyedSample`, whose `tags` splits it
   * only when read). Unset on ordinary samples.
   */
  readonly tagKey?: string;
  readonly host: string;
  /** In (0, 1]; 1 when the line had no `@rate`. */
  readonly sampleRate: number;
  /** Unix seconds (may be fractional): arrival time, or the client's `|T` timestamp. */
  readonly timestamp: number;
  readonly origin?: SampleOrigin;
  /**
   * Where the sample comes from, carried to the flushed series or sketch (the intake files it by
   * this origin). Unset: the demultiplexer's default, `dogstatsd`, or `serverless-custom` when
   * `serverless.enabled`. Not part of the context: a context keeps its first sample's source.
   */
  readonly source?: MetricSource;
}

/**
 * Receives everything the DogStatsD server parses. Injected by the server, so it starts
 * before the server and stops after it: on stop it first takes everything already handed
 * over, then flushes every bucket (the current, incomplete one included when
 * `dogstatsd_flush_incomplete_buckets`) to the serializer and waits for it.
 *
 * Every method takes ownership of the arrays and objects passed: the caller must not reuse or
 * modify them after the call. A call returns once the input is accepted — sampled, or queued
 * for sampling — so when the server's last call returns, its flush is acknowledged. Methods
 * never throw and never block on I/O; input refused (context limit, after stop) is counted
 * and logged with its reason.
 */
export interface Demultiplexer {
  /** Samples aggregated into 10 s buckets by the time samplers. */
  addSamples(batch: readonly MetricSample[]): void;
  /** Samples with a client timestamp (`|T`): the no-aggregation pipeline, each kept as sent. */
  addTimestampedSamples(batch: readonly MetricSample[]): void;
  /** Buffered and handed to the serializer with the next flush. */
  addEvents(events: readonly Event[]): void;
  /** Buffered and handed to the serializer with the next flush. */
  addServiceChecks(checks: readonly ServiceCheck[]): void;
}

export const DEMULTIPLEXER = token<Demultiplexer>('Demultiplexer');
