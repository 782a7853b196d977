import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

/** `forwarder_retry_queue_payloads_max_size` default: 15 MiB of payload bytes, as the Agent. */
export const DEFAULT_RETRY_QUEUE_MAX_BYTES = 15 * 1024 * 1024;

/** `additional_endpoints`: intake URL → API keys. */
export type AdditionalEndpoints = Readonly<Record<string, readonly string[]>>;

/**
 * The forwarder's keys, with the Datadog Agent's names, env vars and defaults (reference §5
 * and §6.3). Durations keep the Agent's units (seconds, minutes) and accept fractions.
 * `api_key`, `site` and `dd_url` are common keys (`@agentkit/config`).
 */
export const forwarderKeys = {
  additionalEndpoints: defineKey<AdditionalEndpoints>({
    key: 'additional_endpoints',
    datadog: { kind: 'same' },
    type: 'json',
    default: {},
    doc: 'Dual shipping: more intakes and their API keys, e.g. `{"https://app.datadoghq.eu": ["key1", "key2"]}` (`DD_ADDITIONAL_ENDPOINTS` as JSON). Every payload is sent to every URL with every key, each copy with its own queues.',
  }),
  timeout: defineKey({
    key: 'forwarder_timeout',
    datadog: { kind: 'same' },
    type: 'number',
    default: 20,
    min: 0.001,
    doc: 'Seconds one HTTP request to the intake may take (connecting, then waiting for each part of the response) before it is abandoned and retried.',
  }),
  maxConcurrentRequests: defineKey({
    key: 'forwarder_max_concurrent_requests',
    datadog: { kind: 'differs', how: "Per destination (URL × API key) here, per domain worker in the Agent, where `forwarder_num_workers` (not supported here) multiplies it. `0` or less is a start error here; the Agent uses 1 and warns." },
    type: 'integer',
    default: 10,
    min: 1,
    max: 1000,
    doc: 'Requests in flight at once to each destination (URL × API key).',
  }),
  highPrioBufferSize: defineKey({
    key: 'forwarder_high_prio_buffer_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 100,
    min: 1,
    doc: 'New payloads waiting for a free request slot, per destination. When full, new payloads go to the retry queue.',
  }),
  lowPrioBufferSize: defineKey({
    key: 'forwarder_low_prio_buffer_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 100,
    min: 1,
    doc: 'Payloads taken from the retry queue and waiting for a free request slot, per destination.',
  }),
  retryQueueMaxBytes: defineKey({
    key: 'forwarder_retry_queue_payloads_max_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: DEFAULT_RETRY_QUEUE_MAX_BYTES,
    min: 0,
    doc: 'Bytes of payloads kept for retry, per destination (default 15 MiB). When full, the oldest payloads are dropped and counted (`dropped.retry_queue_full`).',
  }),
  backoffFactor: defineKey({
    key: 'forwarder_backoff_factor',
    datadog: { kind: 'same' },
    type: 'number',
    default: 2,
    min: 1,
    doc: 'Jitter of the retry backoff: after n errors an endpoint waits a random time between `base × 2^n / factor` and `base × 2^n` seconds.',
  }),
  backoffBase: defineKey({
    key: 'forwarder_backoff_base',
    datadog: { kind: 'same' },
    type: 'number',
    default: 2,
    min: 0.001,
    doc: 'Seconds: the base of the exponential retry backoff (see `forwarder_backoff_factor`).',
  }),
  backoffMax: defineKey({
    key: 'forwarder_backoff_max',
    datadog: { kind: 'same' },
    type: 'number',
    default: 64,
    min: 0.001,
    doc: 'Seconds: the longest an endpoint is blocked after errors.',
  }),
  recoveryInterval: defineKey({
    key: 'forwarder_recovery_interval',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 2,
    min: 1,
    doc: 'How many errors one successful request takes off an endpoint’s error count (which sets its backoff).',
  }),
  recoveryReset: defineKey({
    key: 'forwarder_recovery_reset',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: false,
    doc: 'Reset an endpoint’s error count to zero on the first success, instead of lowering it by `forwarder_recovery_interval`.',
  }),
  stopTimeout: defineKey({
    key: 'forwarder_stop_timeout',
    datadog: { kind: 'same' },
    type: 'number',
    default: 2,
    min: 0,
    doc: 'Seconds the forwarder may take on stop to send everything still queued (the retry queue included, once more) and wait for requests in flight. What is still unsent then is counted and logged.',
  }),
  stopWaitForInflight: defineKey({
    key: 'forwarder_stop_wait_for_inflight',
    datadog: { kind: 'differs', how: "Default true here, false in the Agent (serverless-init sets it to true): a stop should not abort the last flush in flight." },
    type: 'boolean',
    default: true,
    doc: 'On stop, let requests already in flight finish (within `forwarder_stop_timeout`). When false they are aborted at once and counted (`dropped.inflight_aborted`).',
  }),
  apiKeyValidationInterval: defineKey({
    key: 'forwarder_apikey_validation_interval',
    datadog: { kind: 'differs', how: "`0` checks the keys only at start here; the Agent replaces 0 or less with 60 and warns. Fractions of a minute are accepted here." },
    type: 'number',
    default: 60,
    min: 0,
    doc: 'Minutes between API key checks (`GET /api/v1/validate`, first at start, in the background). Invalid keys are logged; forwarding goes on. 0 checks only at start.',
  }),
} as const;

/** The forwarder keys as a collection, in documentation order, for `loadConfig({ keys })`. */
export const forwarderConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  forwarderKeys.additionalEndpoints,
  forwarderKeys.timeout,
  forwarderKeys.maxConcurrentRequests,
  forwarderKeys.highPrioBufferSize,
  forwarderKeys.lowPrioBufferSize,
  forwarderKeys.retryQueueMaxBytes,
  forwarderKeys.backoffFactor,
  forwarderKeys.backoffBase,
  forwarderKeys.backoffMax,
  forwarderKeys.recoveryInterval,
  forwarderKeys.recoveryReset,
  forwarderKeys.stopTimeout,
  forwarderKeys.stopWaitForInflight,
  forwarderKeys.apiKeyValidationInterval,
]);
