import { bundle, provide, type Bundle } from '@agentkit/core';
import { CLOUD_SERVICE, type CloudService } from './cloud/cloud-service.js';
import { DemuxEnhancedMetrics } from './enhanced-metrics/demux-enhanced-metrics.js';
import { ENHANCED_METRICS } from './enhanced-metrics/enhanced-metrics.def.js';

/**
 * The `serverless` bundle: `cloud` as CLOUD_SERVICE and the real EnhancedMetrics. It injects
 * DEMULTIPLEXER, so add the aggregator bundle (its serializer and forwarder too).
 */
export function serverlessBundle(cloud: CloudService): Bundle {
  return bundle('serverless', [provide(CLOUD_SERVICE, { useValue: cloud }), provide(ENHANCED_METRICS, DemuxEnhancedMetrics)]);
}
