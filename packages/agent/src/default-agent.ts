import type { Bundle, Replacement } from '@agentkit/core';

/**
 * The bundles of the default agent (`agentkit run`), in the order they are listed; the order
 * they start in comes from their injection edges. Pipeline packages add their bundles here
 * as they land: dogstatsd, aggregator, serializer, forwarder, intake.
 */
export function defaultAgentBundles(): (Bundle | Replacement)[] {
  return [];
}
