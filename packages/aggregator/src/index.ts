export { DEMULTIPLEXER } from './demultiplexer/demultiplexer.def.js';
export type {
  Demultiplexer,
  Event,
  EventAlertType,
  EventPriority,
  MetricSample,
  MetricType,
  SampleOrigin,
  ServiceCheck,
  ServiceCheckStatus,
} from './demultiplexer/demultiplexer.def.js';
export { FLUSH_HEAP_SCOPE } from './demultiplexer/flush-heap-scope.def.js';
export { KeyedSample } from './demultiplexer/keyed-sample.js';
export { FakeDemultiplexer, fakeAggregatorBundle } from './demultiplexer/fake-demultiplexer.js';

export { aggregatorBundle } from './demultiplexer/demultiplexer.module.js';
export { HOST_TAG_PROVIDER } from './host-tags/host-tag-provider.def.js';
export type { HostTagProvider } from './host-tags/host-tag-provider.def.js';
export { ExpectedHostTags, expectedHostTagsFromConfig } from './host-tags/expected-host-tags.js';
export { TimeSamplingDemultiplexer } from './demultiplexer/time-sampling-demultiplexer.js';

export { aggregatorConfigKeys, aggregatorKeys, DEFAULT_CONTEXT_LIMIT, DEFAULT_FLUSH_INTERVAL_SEC } from './config-keys.js';
export { AggregatorError, AggregatorErrorCode } from './errors.js';

export { TimeSampler, bucketStart } from './time-sampler/time-sampler.js';
export type { TimeSamplerOptions } from './time-sampler/time-sampler.js';
export { SeriesCollector } from './time-sampler/series-collector.js';
export { ClosedBuckets } from './time-sampler/closed-buckets.js';
export type { ClosedBucket } from './time-sampler/closed-buckets.js';
export { parseHistogramConfig } from './time-sampler/histogram-config.js';
export { BUCKET_SECONDS } from './time-sampler/bucket-metrics.js';
export type { HistogramAggregate, HistogramConfig } from './time-sampler/bucket-metrics.js';
export { ContextResolver } from './context/context-resolver.js';
export type { ContextResolverOptions } from './context/context-resolver.js';
export { Context } from './context/context.js';

export { AgentSketch } from './sketch/agent-sketch.js';
export {
  SKETCH_BIAS,
  SKETCH_BIN_LIMIT,
  SKETCH_GAMMA,
  SKETCH_INF_KEY,
  SKETCH_LN_GAMMA,
  SKETCH_MAX_BIN_COUNT,
  SKETCH_MAX_KEY,
  SKETCH_NORM_MIN,
  sketchKey,
  sketchKeyValue,
} from './sketch/sketch-config.js';
