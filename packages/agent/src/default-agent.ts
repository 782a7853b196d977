import { aggregatorBundle } from '@agentkit/aggregator';
import type { ConfigReader, Bundle, Replacement } from '@agentkit/core';
import { dogstatsdBundle } from '@agentkit/dogstatsd';
import { forwarderBundleFor } from '@agentkit/forwarder';
import { serializerBundle } from '@agentkit/serializer';

/**
 * The bundles of the default agent, listed in pipeline order; the order they start in comes
 * from their injection edges (forwarder first, listeners last). The local intake, telemetry
 * and `agentkit run` itself come with issue 6.
 */
export function defaultAgentBundles(config: ConfigReader): (Bundle | Replacement)[] {
  return [dogstatsdBundle, aggregatorBundle, serializerBundle, forwarderBundleFor(config)];
}
