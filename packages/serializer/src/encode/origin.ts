import type { MetricSource } from '../serializer/metrics.def.js';

/** `metadata.origin` of a series or sketch: where the intake files the metric. */
export interface Origin {
  readonly product: number;
  readonly category: number;
  readonly service: number;
}

// Values of the Datadog Agent's metricSourceToOrigin{Product,Category,Service}: DogStatsD is
// product Agent (10), category DogStatsD (10); serverless-init's metrics are product Serverless
// (1). The Agent picks the serverless category per cloud (35 App Service, 36 Cloud Run, 37
// Container Apps); MetricSource carries no cloud, so Cloud Run, serverless-init's main target.
const ORIGINS: Readonly<Record<MetricSource, Origin>> = {
  dogstatsd: { product: 10, category: 10, service: 0 },
  'serverless-custom': { product: 1, category: 36, service: 472 },
  'serverless-enhanced': { product: 1, category: 36, service: 473 },
};

/** `metadata.origin.metric_type` marking a series hidden from the metrics UI (`agent_hidden`). */
export const ORIGIN_METRIC_TYPE_AGENT_HIDDEN = 9;

export function originOf(source: MetricSource | undefined): Origin {
  return ORIGINS[source ?? 'dogstatsd'];
}
