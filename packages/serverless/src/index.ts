export { CLOUD_KINDS, CLOUD_SERVICE } from './cloud/cloud-service.js';
export type { CloudKind, CloudService } from './cloud/cloud-service.js';
export { detectCloudService } from './cloud/detect-cloud-service.js';
export { withServerlessTags } from './cloud/serverless-tags.js';
export type { ServerlessTags } from './cloud/serverless-tags.js';
export { DEFAULT_METADATA_HOST, DEFAULT_METADATA_TIMEOUT_MS, lookupCloudMetadata } from './cloud/metadata.js';
export type { CloudMetadataOptions } from './cloud/metadata.js';
export { HIGH_CARDINALITY_TAG_KEYS, withoutHighCardinalityTags } from './cloud/tags.js';

export {
  SERVERLESS_AGGREGATOR_STOP_TIMEOUT_SEC,
  SERVERLESS_FLUSH_INTERVAL_SEC,
  SERVERLESS_FORWARDER_STOP_TIMEOUT_SEC,
  serverlessConfigLayers,
} from './config-layers.js';
export { DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC, serverlessConfigKeys, serverlessKeys } from './config-keys.js';

export { ENHANCED_METRICS } from './enhanced-metrics/enhanced-metrics.def.js';
export type { EnhancedMetrics, TaskResult } from './enhanced-metrics/enhanced-metrics.def.js';
export { DemuxEnhancedMetrics } from './enhanced-metrics/demux-enhanced-metrics.js';
export { FakeEnhancedMetrics, fakeServerlessBundle } from './enhanced-metrics/fake-enhanced-metrics.js';
export { serverlessBundle } from './serverless.module.js';
