import type { ConfigReader } from '@agentkit/core';
import { forwarderKeys } from '../config-keys.js';

/** The forwarder's config, read once at construction, in milliseconds and bytes. */
export interface ForwarderSettings {
  readonly timeoutMs: number;
  readonly maxConcurrentRequests: number;
  readonly highPrioBufferSize: number;
  readonly lowPrioBufferSize: number;
  readonly retryQueueMaxBytes: number;
  readonly backoffFactor: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly recoveryInterval: number;
  readonly recoveryReset: boolean;
  readonly stopTimeoutMs: number;
  readonly stopWaitForInflight: boolean;
  readonly apiKeyValidationIntervalMs: number;
}

export function readForwarderSettings(config: ConfigReader): ForwarderSettings {
  const base = config.get(forwarderKeys.backoffBase) * 1000;
  return {
    timeoutMs: config.get(forwarderKeys.timeout) * 1000,
    maxConcurrentRequests: config.get(forwarderKeys.maxConcurrentRequests),
    highPrioBufferSize: config.get(forwarderKeys.highPrioBufferSize),
    lowPrioBufferSize: config.get(forwarderKeys.lowPrioBufferSize),
    retryQueueMaxBytes: config.get(forwarderKeys.retryQueueMaxBytes),
    backoffFactor: config.get(forwarderKeys.backoffFactor),
    backoffBaseMs: base,
    // A max below the base would make every wait the max: keep the Agent's arithmetic sane.
    backoffMaxMs: Math.max(base, config.get(forwarderKeys.backoffMax) * 1000),
    recoveryInterval: config.get(forwarderKeys.recoveryInterval),
    recoveryReset: config.get(forwarderKeys.recoveryReset),
    stopTimeoutMs: config.get(forwarderKeys.stopTimeout) * 1000,
    stopWaitForInflight: config.get(forwarderKeys.stopWaitForInflight),
    apiKeyValidationIntervalMs: config.get(forwarderKeys.apiKeyValidationInterval) * 60_000,
  };
}
