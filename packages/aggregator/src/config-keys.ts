import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

/** Datadog's default: 15 s between flushes (serverless-init uses 3). */
export const DEFAULT_FLUSH_INTERVAL_SEC = 15;
/**
 * agentkit's default context limit. The aggregator holds ~0.55 KB of heap per live context with
 * 5 tags (bench/aggregate/memory.mjs), so a million contexts cost ~0.6 GB: ten times the 100k
 * the benchmarks target, yet a runaway tag (a request id) is stopped before it exhausts a
 * typical container's memory. The Datadog Agent has no global limit (only the opt-in
 * per-origin limiter); 0 restores that.
 */
export const DEFAULT_CONTEXT_LIMIT = 1_000_000;

/** The aggregator's keys, with the Datadog Agent's names, env vars and defaults. */
export const aggregatorKeys = {
  flushInterval: defineKey({
    key: 'aggregator_flush_interval',
    datadog: { kind: 'agentkit' },
    type: 'number',
    default: DEFAULT_FLUSH_INTERVAL_SEC,
    min: 0.01,
    doc: 'Seconds between two flushes of closed 10 s buckets to the serializer. The Agent flushes every 15 s and serverless-init every 3, neither configurable.',
  }),
  pipelineCount: defineKey({
    key: 'dogstatsd_pipeline_count',
    datadog: { kind: 'differs', how: "Here it only shards the contexts over that many time samplers on one thread; the Agent runs each sampler on its own goroutine, so more pipelines use more CPU cores there and none here." },
    type: 'integer',
    default: 1,
    min: 1,
    max: 256,
    doc: 'Time samplers the contexts are sharded over. Node aggregates on one thread, so more than 1 only partitions the state.',
  }),
  expirySeconds: defineKey({
    key: 'dogstatsd_expiry_seconds',
    datadog: { kind: 'same' },
    type: 'number',
    default: 300,
    min: 0,
    doc: 'Seconds after its last sample during which a counter keeps being sent with a 0 value for buckets without samples.',
  }),
  contextExpirySeconds: defineKey({
    key: 'dogstatsd_context_expiry_seconds',
    datadog: { kind: 'same' },
    type: 'number',
    default: 20,
    min: 0,
    doc: 'Seconds after its last sample that a context is forgotten (counters: after their zero-fill ends).',
  }),
  flushIncompleteBuckets: defineKey({
    key: 'dogstatsd_flush_incomplete_buckets',
    datadog: { kind: 'differs', how: "Default true here, false in the Agent: stopping agentkit should not lose the last 10 s of metrics. serverless-init sets it to true as well." },
    type: 'boolean',
    default: true,
    doc: 'On stop, also flush the current, incomplete 10 s buckets so nothing received is lost.',
  }),
  noAggregationPipelineBatchSize: defineKey({
    key: 'dogstatsd_no_aggregation_pipeline_batch_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 2048,
    min: 1,
    doc: 'Timestamped samples handed to the serializer at once by the no-aggregation pipeline.',
  }),
  contextLimit: defineKey({
    key: 'dogstatsd_context_limit',
    datadog: { kind: 'agentkit' },
    type: 'integer',
    default: DEFAULT_CONTEXT_LIMIT,
    min: 0,
    doc: 'Most live contexts (name + host + tags); samples of new contexts beyond it are dropped and counted. 0 means unlimited, as in the Agent, whose nearest setting is the per-origin `dogstatsd_context_limiter.limit` (off by default).',
  }),
  histogramAggregates: defineKey({
    key: 'histogram_aggregates',
    datadog: { kind: 'same' },
    type: 'string-list',
    default: ['max', 'median', 'avg', 'count'],
    doc: 'Aggregates sent for histograms and timings, each as `<name>.<aggregate>`: any of `max`, `min`, `median`, `avg`, `sum`, `count`.',
  }),
  histogramPercentiles: defineKey({
    key: 'histogram_percentiles',
    datadog: { kind: 'same' },
    type: 'string-list',
    default: ['0.95'],
    doc: 'Percentiles sent for histograms and timings, as fractions from 0 to 1; `0.95` is sent as `<name>.95percentile`.',
  }),
  noAggregationPipeline: defineKey({
    key: 'dogstatsd_no_aggregation_pipeline',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Read client timestamps (`|T<seconds>`) and send those samples unaggregated, each with its own timestamp. When false the field is ignored.',
  }),
  expectedTagsDuration: defineKey({
    key: 'expected_tags_duration',
    datadog: { kind: 'same' },
    type: 'duration',
    default: 0,
    doc: 'How long after start every metric also carries the host tags (`tags`, `extra_tags`, `env:<env>`), added at flush to series and distributions; e.g. `30m`. A bare number is nanoseconds, as in the Agent. 0 means never: the host tags then reach Datadog only through the host metadata.',
  }),
  stopTimeout: defineKey({
    key: 'aggregator_stop_timeout',
    datadog: { kind: 'same' },
    type: 'number',
    default: 2,
    min: 0,
    doc: 'Seconds the final flush on stop may wait for the serializer; what is not accepted by then is counted and logged as dropped.',
  }),
} as const;

/** The aggregator keys as a collection, in documentation order, for `loadConfig({ keys })`. */
export const aggregatorConfigKeys: readonly AnyConfigKey[] = Object.freeze(Object.values(aggregatorKeys) as AnyConfigKey[]);
