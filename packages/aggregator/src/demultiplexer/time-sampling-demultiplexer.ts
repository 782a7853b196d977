import { CONFIG, DropCounter, inject, injectable, LOGGER, optional, settleWithin, type ConfigReader, type HeapScope, type Logger, type TelemetrySource } from '@agentkit/core';
import { commonKeys } from '@agentkit/config';
import { SERIALIZER, type Event, type MetricSource, type Serie, type Serializer, type ServiceCheck, type SketchSeries } from '@agentkit/serializer';
import { aggregatorKeys } from '../config-keys.js';
import { ContextResolver } from '../context/context-resolver.js';
import type { Context } from '../context/context.js';
import { sortUniq } from '../context/tag-set.js';
import { expectedHostTagsFromConfig, withHostTag } from '../host-tags/expected-host-tags.js';
import { HOST_TAG_PROVIDER, type HostTagProvider } from '../host-tags/host-tag-provider.def.js';
import { NoAggregationPipeline } from '../no-aggregation/no-aggregation-pipeline.js';
import { parseHistogramConfig } from '../time-sampler/histogram-config.js';
import type { ClosedBuckets } from '../time-sampler/closed-buckets.js';
import { TimeSampler } from '../time-sampler/time-sampler.js';
import type { Demultiplexer, MetricSample } from './demultiplexer.def.js';
import { FLUSH_HEAP_SCOPE } from './flush-heap-scope.def.js';
import { PendingSends } from './pending-sends.js';

/**
 * The Demultiplexer: samples synchronously, inside `addSamples`, into `dogstatsd_pipeline_count`
 * time samplers, and flushes closed buckets to the serializer every `aggregator_flush_interval`.
 *
 * Why no queue: Node runs this on one thread, so a queue between the server and the samplers
 * would only add a copy and a delay, and would have to be drained on stop (bench/aggregate/
 * queue-vs-sync.mjs measures it). Sampling in the call means "accepted" is "sampled": when the
 * server's last call returns, nothing is in flight here, and a flush (which detaches the closed
 * buckets synchronously; their series are then pulled by the serializer) never interleaves with
 * sampling into them: a late sample opens a new bucket.
 */
@injectable()
export class TimeSamplingDemultiplexer implements Demultiplexer, TelemetrySource {
  readonly #log: Logger;
  readonly #serializer: Serializer;
  readonly #drops: DropCounter;
  readonly #sends = new PendingSends();
  readonly #resolver: ContextResolver;
  readonly #samplers: TimeSampler[] = [];
  /** An expired context's sampler frees its state for it (made once, not per flush). */
  readonly #forget = (ctx: Context): void => (this.#samplers[ctx.shard] as TimeSampler).forget(ctx);
  readonly #noAggregation: NoAggregationPipeline | undefined;
  readonly #flushIntervalMs: number;
  readonly #stopTimeoutMs: number;
  readonly #contextExpirySec: number;
  readonly #flushIncompleteBuckets: boolean;
  /** The source of samples that name none: serverless mode files DogStatsD metrics as serverless custom metrics. */
  readonly #defaultSource: MetricSource | undefined;
  /** `expected_tags_duration`'s host tags; undefined when off, so a flush does not even ask. */
  readonly #hostTags: HostTagProvider | undefined;
  readonly #hostTagCache = new WeakMap<readonly string[], readonly string[]>();
  readonly #heapScope: HeapScope | undefined;
  #events: Event[] = [];
  #serviceChecks: ServiceCheck[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #stopped = false;
  readonly #counts = { samples: 0, timestampedSamples: 0, events: 0, serviceChecks: 0, flushes: 0, flushesSkipped: 0, series: 0, sketches: 0, eventsSent: 0, serviceChecksSent: 0, contextsExpired: 0 };

  public constructor(
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
    @inject(SERIALIZER) serializer: Serializer,
    @inject(HOST_TAG_PROVIDER) @optional() hostTags?: HostTagProvider,
    @inject(FLUSH_HEAP_SCOPE) @optional() heapScope?: HeapScope,
  ) {
    this.#heapScope = heapScope;
    this.#log = logger.child({ component: 'Demultiplexer' });
    this.#serializer = serializer;
    this.#drops = new DropCounter(this.#log);
    const histograms = parseHistogramConfig(config.get(aggregatorKeys.histogramAggregates), config.get(aggregatorKeys.histogramPercentiles));
    const shards = config.get(aggregatorKeys.pipelineCount);
    this.#resolver = new ContextResolver({ contextLimit: config.get(aggregatorKeys.contextLimit), shards });
    const counterExpirySec = config.get(aggregatorKeys.expirySeconds);
    for (let i = 0; i < shards; i++) this.#samplers.push(new TimeSampler({ counterExpirySec, histograms }));
    this.#flushIntervalMs = config.get(aggregatorKeys.flushInterval) * 1000;
    this.#stopTimeoutMs = config.get(aggregatorKeys.stopTimeout) * 1000;
    this.#contextExpirySec = config.get(aggregatorKeys.contextExpirySeconds);
    this.#flushIncompleteBuckets = config.get(aggregatorKeys.flushIncompleteBuckets);
    this.#defaultSource = config.get(commonKeys.serverlessEnabled) ? 'serverless-custom' : undefined;
    this.#hostTags = hostTags ?? expectedHostTagsFromConfig(config);
    if (config.get(aggregatorKeys.noAggregationPipeline)) {
      const batchSize = config.get(aggregatorKeys.noAggregationPipelineBatchSize);
      this.#noAggregation = new NoAggregationPipeline(serializer, batchSize, this.#drops, this.#sends, this.#defaultSource, this.#hostTags);
    }
  }

  public addSamples(batch: readonly MetricSample[]): void {
    if (this.#refuse(batch.length)) return;
    this.#sample(batch);
    this.#counts.samples += batch.length;
  }

  public addTimestampedSamples(batch: readonly MetricSample[]): void {
    if (this.#refuse(batch.length)) return;
    this.#counts.timestampedSamples += batch.length;
    // Without the pipeline they are aggregated like the others, in the bucket of their timestamp.
    if (this.#noAggregation === undefined) this.#sample(batch);
    else this.#noAggregation.add(batch);
  }

  public addEvents(events: readonly Event[]): void {
    if (this.#refuse(events.length)) return;
    this.#counts.events += events.length;
    for (const event of events) this.#events.push(event);
  }

  public addServiceChecks(checks: readonly ServiceCheck[]): void {
    if (this.#refuse(checks.length)) return;
    this.#counts.serviceChecks += checks.length;
    for (const check of checks) this.#serviceChecks.push(check);
  }

  public onStart(): void {
    // OTel's PeriodicExportingMetricReader loop: unref'd (never keeps the process alive), a tick
    // that never rejects, and no overlapping flushes.
    this.#timer = setInterval(() => this.#tick(), this.#flushIntervalMs).unref();
    this.#noAggregation?.start();
  }

  /**
   * Flushes everything, the current incomplete buckets too when `dogstatsd_flush_incomplete_buckets`,
   * and resolves once the serializer accepted it all, or when `signal` aborts: the App aborts it at
   * the demultiplexer's share of the stop budget, `aggregator_stop_timeout` unless the budget has
   * less left. What is not confirmed by then is counted as dropped (`stop_timeout`) and logged.
   * Without a signal it waits for the serializer however long it takes.
   */
  public async onStop(signal?: AbortSignal): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#noAggregation?.stop();
    // The flush detaches everything synchronously and hands it to the serializer, which pulls it
    // at its pace; only its confirmation is awaited, so it may overlap a periodic flush still
    // being serialized (each has its own detached buckets).
    const done = this.#flush(Date.now(), this.#flushIncompleteBuckets).then(() => this.#sends.idle());
    let finished = true;
    if (signal === undefined) await done;
    else finished = (await settleWithin(done, signal)).settled;
    if (!finished) {
      const lost = this.#sends.pendingItems;
      if (lost > 0) this.#drops.drop('stop_timeout', lost, { stopTimeoutMs: this.#stopTimeoutMs });
    }
    this.#drops.flushLog();
    this.#log.debug({ ...this.telemetry() }, 'demultiplexer stopped');
  }

  public telemetry(): Record<string, number> {
    let buckets = 0;
    let counters = 0;
    for (const sampler of this.#samplers) {
      buckets += sampler.bucketCount;
      counters += sampler.counterCount;
    }
    const c = this.#counts;
    return {
      samples: c.samples,
      timestamped_samples: c.timestampedSamples,
      events: c.events,
      service_checks: c.serviceChecks,
      // No `tag_sets`: there is no object per tag set any more, and counting them walks every
      // context (15-45 ms at 100k), too slow for a snapshot exec reads while it stops.
      contexts: this.#resolver.size,
      buckets,
      zero_filled_counters: counters,
      flushes: c.flushes,
      flushes_skipped: c.flushesSkipped,
      series_sent: c.series,
      sketches_sent: c.sketches,
      events_sent: c.eventsSent,
      service_checks_sent: c.serviceChecksSent,
      contexts_expired: c.contextsExpired,
      // Queue depths: what waits for the next flush, and what the serializer has not confirmed.
      queued_events: this.#events.length,
      queued_service_checks: this.#serviceChecks.length,
      pending_serializer_items: this.#sends.pendingItems,
      ...(this.#noAggregation === undefined
        ? {}
        : { no_aggregation_series: this.#noAggregation.samples, queued_no_aggregation_series: this.#noAggregation.pending }),
      ...this.#drops.snapshot(),
    };
  }

  #sample(batch: readonly MetricSample[]): void {
    const nowSec = Date.now() / 1000;
    const resolver = this.#resolver;
    const samplers = this.#samplers;
    let overLimit = 0;
    let invalid = 0;
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i] as MetricSample;
      const source = s.source ?? this.#defaultSource;
      const key = s.tagKey;
      const ctx = key === undefined ? resolver.resolve(s.name, s.host, s.tags, source) : resolver.resolveKey(s.name, s.host, key, source);
      if (ctx === undefined) {
        overLimit++;
        continue;
      }
      const tsSec = s.timestamp > 0 ? s.timestamp : nowSec;
      const sampler = samplers[ctx.shard] as TimeSampler;
      if (!sampler.sample(ctx, s.type, s.value, s.setValue, s.sampleRate, tsSec)) invalid++;
    }
    // Counted once per batch: DropCounter reads the clock on every call.
    if (overLimit > 0) this.#drops.drop('context_limit', overLimit);
    if (invalid > 0) this.#drops.drop('invalid_value', invalid);
  }

  #refuse(count: number): boolean {
    if (!this.#stopped || count === 0) return false;
    this.#drops.drop('after_stop', count);
    return true;
  }

  #tick(): void {
    if (this.#flushing !== undefined) {
      this.#counts.flushesSkipped++;
      return;
    }
    this.#flushing = this.#flush(Date.now(), false).finally(() => {
      this.#flushing = undefined;
    });
  }

  /**
   * Moves closed buckets (all, when `forceAll`), events and service checks to the serializer,
   * series and sketches with the host tags while `expected_tags_duration` lasts; never rejects.
   * Series and sketches are streamed: the buckets are detached here, synchronously, and each
   * context's series are written only when the serializer pulls them, into reused objects (no
   * array of all series, and almost no allocation per context). With series or sketches to send,
   * it runs inside the bound `FLUSH_HEAP_SCOPE` (if any) until the serializer has handed them on.
   */
  async #flush(nowMs: number, forceAll: boolean): Promise<void> {
    const nowSec = nowMs / 1000;
    const closed = this.#samplers.map((sampler) => sampler.flush(nowSec, forceAll));
    this.#counts.contextsExpired += this.#resolver.expire(nowSec - this.#contextExpirySec, this.#forget);
    const flushSec = Math.floor(nowSec);
    const events = this.#events.map((e) => ({ ...e, timestamp: e.timestamp === 0 ? flushSec : e.timestamp, tags: sortUniq(e.tags) }));
    const checks = this.#serviceChecks.map((c) => ({ ...c, timestamp: c.timestamp === 0 ? flushSec : c.timestamp, tags: sortUniq(c.tags) }));
    this.#events = [];
    this.#serviceChecks = [];
    let seriesCount = 0;
    let sketchCount = 0;
    for (const shard of closed) {
      seriesCount += shard.seriesCount;
      sketchCount += shard.sketchCount;
    }
    this.#counts.flushes++;
    this.#counts.series += seriesCount;
    this.#counts.sketches += sketchCount;
    this.#counts.eventsSent += events.length;
    this.#counts.serviceChecksSent += checks.length;
    // Read once per flush: every serie of this flush gets the same host tags.
    const hostTags = this.#hostTags?.hostTags();
    const leaveHeapScope = seriesCount + sketchCount > 0 ? this.#heapScope?.enter() : undefined;
    try {
      const sends: Promise<void>[] = [];
      if (seriesCount > 0) sends.push(this.#send(() => this.#serializer.sendSeries(this.#tagged(closed, (c) => c.seriesCursor(), hostTags)), seriesCount));
      if (sketchCount > 0) sends.push(this.#send(() => this.#serializer.sendSketches(this.#tagged(closed, (c) => c.sketchCursor(), hostTags)), sketchCount));
      if (events.length > 0) sends.push(this.#send(() => this.#serializer.sendEvents(events), events.length));
      if (checks.length > 0) sends.push(this.#send(() => this.#serializer.sendServiceChecks(checks), checks.length));
      if (this.#noAggregation !== undefined) sends.push(this.#noAggregation.flush());
      await Promise.all(sends);
    } finally {
      leaveHeapScope?.();
    }
    const failed = this.#sends.takeFailedItems();
    if (failed > 0) this.#drops.drop('serializer_error', failed);
  }

  /** Every shard's series (or sketch series), in shard order, with `hostTags` when given. */
  *#tagged<T extends Serie | SketchSeries>(closed: readonly ClosedBuckets[], of: (c: ClosedBuckets) => Iterable<T>, hostTags: readonly string[] | undefined): Generator<T, void, undefined> {
    for (const shard of closed) {
      if (hostTags === undefined) yield* of(shard);
      else for (const serie of of(shard)) yield withHostTag(serie, hostTags, this.#hostTagCache);
    }
  }

  #send(send: () => Promise<void>, items: number): Promise<void> {
    try {
      return this.#sends.track(send(), items);
    } catch (error) {
      this.#drops.drop('serializer_error', items, { error });
      return Promise.resolve();
    }
  }
}
