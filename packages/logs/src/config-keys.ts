import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

/** The Agent's `logs_config.batch_wait` default, in seconds. */
export const DEFAULT_LOGS_BATCH_WAIT_SEC = 5;
/** The Agent's `logs_config.payload_channel_size` default: payloads waiting for a send. */
export const DEFAULT_LOGS_PAYLOAD_CHANNEL_SIZE = 10;
/** Sends in flight when `logs_config.batch_max_concurrent_send` is 0: the Agent's ceiling for one pipeline (10 per pipeline). */
export const DEFAULT_LOGS_CONCURRENT_SENDS = 10;
/** The Agent's `logs_config.compression_level` default (gzip). */
export const DEFAULT_LOGS_COMPRESSION_LEVEL = 6;

/** The keys of the wrapped task's logs (`agentkit exec`), by the Datadog Agent's names. */
export const logsKeys = {
  enabled: defineKey({
    key: 'logs_enabled',
    type: 'boolean',
    default: false,
    datadog: {
      kind: 'differs',
      how: 'serverless-init reads `DD_LOGS_ENABLED` itself and takes only `true` (any case); agentkit reads it as every boolean key (`true`, `1`, …) and from the YAML file too. Under `agentkit exec` it collects the wrapped program\'s stdout and stderr (serverless-init\'s log collection), not files or containers; `agentkit run` has no program and collects nothing.',
    },
    doc: 'Under `agentkit exec`: read the program\'s stdout and stderr through pipes (the output still appears unchanged on the wrapper\'s own) and send each line to the logs intake. False: the program inherits the wrapper\'s stdout and stderr and nothing is sent. No effect on `agentkit run`.',
  }),
  logsDdUrl: defineKey({
    key: 'logs_config.logs_dd_url',
    type: 'string',
    default: '',
    // A relay URL may carry credentials: `agentkit config` stars the password.
    secret: 'url-password',
    datadog: { kind: 'same' },
    doc: 'Where logs are sent instead of `https://http-intake.logs.<site>`: `host:port` (HTTPS unless `logs_config.logs_no_ssl`), or a URL with `http://` or `https://` (its scheme decides). Logs are posted to `/api/v2/logs` there.',
  }),
  logsNoSsl: defineKey({
    key: 'logs_config.logs_no_ssl',
    type: 'boolean',
    default: false,
    datadog: { kind: 'same' },
    doc: 'With `logs_config.logs_dd_url` written as `host:port`: send over plain HTTP. A URL with a scheme keeps its scheme.',
  }),
  useCompression: defineKey({
    key: 'logs_config.use_compression',
    type: 'boolean',
    default: true,
    datadog: { kind: 'same' },
    doc: 'Gzip each logs payload (`Content-Encoding: gzip`).',
  }),
  compressionLevel: defineKey({
    key: 'logs_config.compression_level',
    type: 'integer',
    default: DEFAULT_LOGS_COMPRESSION_LEVEL,
    min: 0,
    max: 9,
    datadog: { kind: 'same' },
    doc: 'The gzip level of logs payloads, 0 (none) to 9 (smallest).',
  }),
  batchWait: defineKey({
    key: 'logs_config.batch_wait',
    type: 'number',
    default: DEFAULT_LOGS_BATCH_WAIT_SEC,
    min: 0.001,
    max: 10,
    datadog: { kind: 'same' },
    doc: 'Seconds a logs batch may wait for more lines before it is sent (a full batch, 1,000 logs or 5 MB, goes at once; so does everything at the stop).',
  }),
  batchMaxConcurrentSend: defineKey({
    key: 'logs_config.batch_max_concurrent_send',
    type: 'integer',
    default: 0,
    min: 0,
    datadog: {
      kind: 'differs',
      how: 'With 0 (the default) the Agent sizes a pool of senders by the intake\'s latency, up to 10 per pipeline; agentkit has one pipeline and no such pool: 0 means 10 at once. A number above 0 is that many, as in the Agent.',
    },
    doc: `Logs payloads sent at once (requests waiting for the intake's answer). 0: ${DEFAULT_LOGS_CONCURRENT_SENDS}.`,
  }),
  payloadChannelSize: defineKey({
    key: 'logs_config.payload_channel_size',
    type: 'integer',
    default: DEFAULT_LOGS_PAYLOAD_CHANNEL_SIZE,
    min: 1,
    datadog: {
      kind: 'differs',
      how: 'The same bound: payloads ready and waiting for a send. When it is full the Agent\'s pipeline blocks its tailers for as long as it takes; agentkit pauses the program\'s pipes for at most 2 s at a time (the program must not wait on its logs forever), then reads on, and what does not fit goes to the forwarder\'s byte-bounded retry queue (`forwarder_retry_queue_payloads_max_size`), whose drops are counted.',
    },
    doc: 'Logs payloads (gzipped batches, being compressed or waiting) held beside those being sent. When it is full the program\'s stdout and stderr are no longer read (the program waits, as on a slow terminal) until a payload is sent, for at most 2 s at a time; past that, payloads go to the retry queue (`forwarder_retry_queue_payloads_max_size`), which counts what it must drop.',
  }),
  source: defineKey({
    key: 'source',
    env: 'DD_SOURCE',
    type: 'string',
    default: '',
    datadog: {
      kind: 'differs',
      how: 'serverless-init reads the `DD_SOURCE` environment variable only; agentkit also reads `source` from the YAML file. Both lower-case it and default to the platform\'s origin.',
    },
    doc: 'The `ddsource` of the wrapped program\'s logs, lower-cased. Empty: the platform\'s origin (`cloudrun`, `cloudrunjobs`, `containerapp`, `appservice`, `local`), as serverless-init.',
  }),
} as const;

/** The logs keys as a collection, in documentation order, for `loadConfig({ keys })`. */
export const logsConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  logsKeys.enabled,
  logsKeys.logsDdUrl,
  logsKeys.logsNoSsl,
  logsKeys.useCompression,
  logsKeys.compressionLevel,
  logsKeys.batchWait,
  logsKeys.batchMaxConcurrentSend,
  logsKeys.payloadChannelSize,
  logsKeys.source,
]);
