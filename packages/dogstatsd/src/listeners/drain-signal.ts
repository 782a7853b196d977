import type { ConfigReader } from '@agentkit/core';
import { dogstatsdKeys } from '../config-keys.js';

/**
 * What a listener's drain on stop waits on: the App's stop signal, which aborts at the
 * listener's share of the stop budget (`dogstatsd_drain_timeout_ms`, or less when the budget
 * has less left). Called without one (outside an App), the key itself bounds the drain.
 */
export function drainSignal(config: ConfigReader, signal: AbortSignal | undefined): AbortSignal {
  return signal ?? AbortSignal.timeout(config.get(dogstatsdKeys.drainTimeoutMs));
}
