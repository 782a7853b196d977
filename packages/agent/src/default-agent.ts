import { aggregatorBundle } from '@agentkit/aggregator';
import type { Bundle, Replacement } from '@agentkit/core';
import { dogstatsdBundle } from '@agentkit/dogstatsd';
import { forwarderBundle } from '@agentkit/forwarder';
import { serializerBundle } from '@agentkit/serializer';

/**
 * The bundles of the default agent, listed in pipeline order; the order they start in comes
 * from their injection edges (forwarder first, listeners last). The local intake, telemetry
 * and `agentkit run` itself come with issue 6.
 */
export function defaultAgentBundles(): (Bundle | Replacement)[] {
  return [dogstatsdBundle, aggregatorBundle, serializerBundle, forwarderBundle];
}
