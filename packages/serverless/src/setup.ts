// `@agentkit/serverless/setup`: what `agentkit exec` needs before its program starts (the
// platform, its tags, the configuration layers), without the enhanced metrics and the
// aggregator they feed, which load with the pipeline.
export { CLOUD_SERVICE } from './cloud/cloud-service.js';
export type { CloudKind, CloudService } from './cloud/cloud-service.js';
export { detectCloudService } from './cloud/detect-cloud-service.js';
export { withServerlessTags } from './cloud/serverless-tags.js';
export { lookupCloudMetadata } from './cloud/metadata.js';
export { serverlessConfigLayers } from './config-layers.js';
export { DEFAULT_SERVERLESS_SHUTDOWN_TIMEOUT_SEC, serverlessKeys } from './config-keys.js';
export { ENHANCED_METRICS } from './enhanced-metrics/enhanced-metrics.def.js';
export type { EnhancedMetrics } from './enhanced-metrics/enhanced-metrics.def.js';
