import type { DropCounter } from '@agentkit/core';
import type { MetricSource, Serie, Serializer } from '@agentkit/serializer';
import { sortUniq } from '../context/tag-set.js';
import type { MetricSample } from '../demultiplexer/demultiplexer.def.js';
import type { PendingSends } from '../demultiplexer/pending-sends.js';
import { withHostTags } from '../host-tags/expected-host-tags.js';
import type { HostTagProvider } from '../host-tags/host-tag-provider.def.js';
import { BUCKET_SECONDS } from '../time-sampler/bucket-metrics.js';

/** The Agent checks every 2 s whether samples have waited with no new ones for 1 s. */
export const NO_AGGREGATION_IDLE_CHECK_MS = 2000;
const NO_AGGREGATION_IDLE_MS = 1000;

/**
 * The Agent's no-aggregation stream worker: samples carrying a client timestamp (`|T`) become
 * series as sent, at their own timestamp. Gauges stay GAUGE; counters become RATE of value / 10
 * with interval 10 (the sample rate is not applied, as in the Agent); other types are dropped.
 * Series go to the serializer every `dogstatsd_no_aggregation_pipeline_batch_size` samples,
 * when no sample arrived for 1 s (checked every 2 s), and on every flush.
 */
export class NoAggregationPipeline {
  readonly #serializer: Serializer;
  readonly #batchSize: number;
  readonly #drops: DropCounter;
  readonly #sends: PendingSends;
  readonly #defaultSource: MetricSource | undefined;
  readonly #hostTags: HostTagProvider | undefined;
  readonly #hostTagCache = new WeakMap<readonly string[], readonly string[]>();
  // Dedup'd tags per shared tags array; not interned with the contexts (they would never expire).
  readonly #tags = new WeakMap<readonly string[], readonly string[]>();
  #pending: Serie[] = [];
  #lastAddMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #samples = 0;

  /**
   * `defaultSource`: the source of samples that name none (undefined means `dogstatsd`);
   * `hostTags`: `expected_tags_duration`'s, added when the series are handed over.
   */
  public constructor(serializer: Serializer, batchSize: number, drops: DropCounter, sends: PendingSends, defaultSource?: MetricSource, hostTags?: HostTagProvider) {
    this.#serializer = serializer;
    this.#batchSize = batchSize;
    this.#drops = drops;
    this.#sends = sends;
    this.#defaultSource = defaultSource;
    this.#hostTags = hostTags;
  }

  public add(batch: readonly MetricSample[]): void {
    for (const sample of batch) {
      let type: 'gauge' | 'rate';
      let value = sample.value;
      if (sample.type === 'gauge') type = 'gauge';
      else if (sample.type === 'counter') {
        type = 'rate';
        value /= BUCKET_SECONDS;
      } else {
        this.#drops.drop('no_aggregation_unsupported_type', 1, { type: sample.type });
        continue;
      }
      if (!Number.isFinite(value)) {
        this.#drops.drop('invalid_value');
        continue;
      }
      this.#samples++;
      const source = sample.source ?? this.#defaultSource;
      const serie: { -readonly [K in keyof Serie]: Serie[K] } = {
        name: sample.name,
        points: [{ timestamp: Math.trunc(sample.timestamp), value }],
        tags: this.#dedup(sample.tags),
        host: sample.host,
        type,
        interval: BUCKET_SECONDS,
      };
      if (source !== undefined) serie.source = source;
      this.#pending.push(serie);
      if (this.#pending.length >= this.#batchSize) void this.flush();
    }
    this.#lastAddMs = Date.now();
  }

  /** Hands every pending serie to the serializer; resolves when it accepted them (never rejects). */
  public flush(): Promise<void> {
    if (this.#pending.length === 0) return Promise.resolve();
    let series = this.#pending;
    this.#pending = [];
    const hostTags = this.#hostTags?.hostTags();
    if (hostTags !== undefined) series = withHostTags(series, hostTags, this.#hostTagCache);
    return this.#sends.track(this.#serializer.sendSeries(series), series.length);
  }

  /** Starts the idle check (an unref'd interval: it never keeps the process alive). */
  public start(): void {
    this.#timer ??= setInterval(() => {
      if (this.#pending.length > 0 && Date.now() - this.#lastAddMs >= NO_AGGREGATION_IDLE_MS) void this.flush();
    }, NO_AGGREGATION_IDLE_CHECK_MS).unref();
  }

  public stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Series waiting for the next hand-off to the serializer. */
  public get pending(): number {
    return this.#pending.length;
  }

  /** Samples turned into series so far. */
  public get samples(): number {
    return this.#samples;
  }

  #dedup(tags: readonly string[]): readonly string[] {
    let out = this.#tags.get(tags);
    if (out === undefined) {
      out = Object.freeze(sortUniq(tags));
      this.#tags.set(tags, out);
    }
    return out;
  }
}
