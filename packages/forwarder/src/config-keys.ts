import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

/** `forwarder_retry_queue_payloads_max_size` default: 15 MiB of payload bytes, as the Agent. */
export const DEFAULT_RETRY_QUEUE_MAX_BYTES = 15 * 1024 * 1024;

/** `min_tls_version` values, as the Agent's `pkg/util/http` maps them (any case). */
export const TLS_VERSIONS = ['tlsv1.0', 'tlsv1.1', 'tlsv1.2', 'tlsv1.3'] as const;
export type TlsVersionName = (typeof TLS_VERSIONS)[number];

/**
 * The keys of every outgoing HTTP client (forwarder, API key check, symbol database upload):
 * proxy and TLS, with the Datadog Agent's names, env vars and precedence (pkg/config/setup
 * `LoadProxyFromEnv`, pkg/util/http/transport.go). Declared here, next to the one mechanism
 * that applies them (`createHttpClient`); other packages add `httpClientConfigKeys`.
 */
export const httpClientKeys = {
  proxyHttp: defineKey({
    key: 'proxy.http',
    type: 'string',
    default: '',
    env: 'DD_PROXY_HTTP',
    envAliases: ['HTTP_PROXY', 'http_proxy'],
    envEmptyIsSet: true,
    secret: 'url-password',
    doc: 'The proxy for `http://` destinations, e.g. `http://user:pass@proxy:3128` (requests are sent to it with absolute URLs). Empty: none. `DD_PROXY_HTTP` wins over `HTTP_PROXY`, which wins over `http_proxy`; a variable set to the empty string counts (it turns off the file\'s proxy).',
    datadog: {
      kind: 'differs',
      how: 'A proxy URL that cannot be parsed fails at start naming the key (the Agent fails each request instead); one without a scheme is taken as `http://`, as Go\'s `httpproxy` does; a `socks5://` proxy (the Agent\'s Go transport takes one) is refused at start.',
    },
  }),
  proxyHttps: defineKey({
    key: 'proxy.https',
    type: 'string',
    default: '',
    env: 'DD_PROXY_HTTPS',
    envAliases: ['HTTPS_PROXY', 'https_proxy'],
    envEmptyIsSet: true,
    secret: 'url-password',
    doc: 'The proxy for `https://` destinations (every Datadog intake), e.g. `http://user:pass@proxy:3128`: a `CONNECT` tunnel, TLS to the intake inside it. Empty: none; `proxy.http` is not used for them. `DD_PROXY_HTTPS` wins over `HTTPS_PROXY`, which wins over `https_proxy`; a variable set to the empty string counts.',
    datadog: {
      kind: 'differs',
      how: 'A proxy URL that cannot be parsed fails at start naming the key (the Agent fails each request instead); one without a scheme is taken as `http://`, as Go\'s `httpproxy` does; a `socks5://` proxy (the Agent\'s Go transport takes one) is refused at start.',
    },
  }),
  proxyNoProxy: defineKey({
    key: 'proxy.no_proxy',
    type: 'string-list',
    default: [],
    env: 'DD_PROXY_NO_PROXY',
    envAliases: ['NO_PROXY', 'no_proxy'],
    envEmptyIsSet: true,
    envListSeparators: { DD_PROXY_NO_PROXY: ' ', NO_PROXY: ',', no_proxy: ',' },
    doc: 'Destinations reached directly, not through the proxy. By default (`no_proxy_nonexact_match: false`) an entry must equal the URL\'s `host[:port]` exactly as written in it. `DD_PROXY_NO_PROXY` is space-separated and wins over `NO_PROXY` / `no_proxy`, which are comma-separated.',
    datadog: { kind: 'same' },
  }),
  noProxyNonexactMatch: defineKey({
    key: 'no_proxy_nonexact_match',
    type: 'boolean',
    default: false,
    doc: 'Match `proxy.no_proxy` as most tools do (Go\'s `httpproxy`): a domain matches itself and its subdomains (`.example.com` only subdomains), `*` matches everything, IP addresses and CIDR ranges (`10.0.0.0/8`) match addresses, an entry may name a port; `localhost` and loopback addresses are never proxied.',
    datadog: { kind: 'same' },
  }),
  skipSslValidation: defineKey({
    key: 'skip_ssl_validation',
    type: 'boolean',
    default: false,
    doc: 'Accept any TLS certificate from intakes and `https://` proxies (self-signed, expired, another host\'s). For tests and TLS-inspecting proxies only: it turns off the protection TLS gives.',
    datadog: { kind: 'same' },
  }),
  minTlsVersion: defineKey({
    key: 'min_tls_version',
    type: 'enum',
    values: TLS_VERSIONS,
    default: 'tlsv1.2',
    doc: 'The oldest TLS version accepted from intakes and `https://` proxies: `tlsv1.0` to `tlsv1.3`, any case.',
    datadog: {
      kind: 'differs',
      how: 'An unknown value (an empty string in the file included) fails at start naming the key; the Agent logs a warning and uses `tlsv1.2`.',
    },
  }),
} as const;

/** The HTTP client keys as a collection, for `loadConfig({ keys })`. Part of `forwarderConfigKeys`. */
export const httpClientConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  httpClientKeys.proxyHttp,
  httpClientKeys.proxyHttps,
  httpClientKeys.proxyNoProxy,
  httpClientKeys.noProxyNonexactMatch,
  httpClientKeys.skipSslValidation,
  httpClientKeys.minTlsVersion,
]);

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
    secret: true,
    doc: 'Dual shipping: more intakes and their API keys, e.g. `{"https://app.datadoghq.eu": ["key1", "key2"]}` (`DD_ADDITIONAL_ENDPOINTS` as JSON). Every payload is sent to every URL with every key, each copy with its own queues.',
  }),
  timeout: defineKey({
    key: 'forwarder_timeout',
    datadog: {
      kind: 'differs',
      how: "The Agent gives it to Go's http.Client as one deadline for the whole request (connect, send, read the answer); here it bounds the connection (TCP, a proxy's tunnel, TLS), then each wait: for the response's headers and for each chunk of its body, so a slow but steady send or answer is not cut.",
    },
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
    datadog: { kind: 'differs', how: "`0` checks the keys only at start here; the Agent replaces 0 or less with 60 and warns. Fractions of a minute are accepted here. The first check is 250 ms after start, and none when the forwarder is stopping by then (a short `agentkit exec` task; serverless-init's SyncForwarder checks no key at all)." },
    type: 'number',
    default: 60,
    min: 0,
    doc: 'Minutes between API key checks (`GET /api/v1/validate`, first 250 ms after start, in the background; not when the forwarder is stopping by then, as a short `agentkit exec` task). Invalid keys are logged; forwarding goes on. 0 checks only at start.',
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
  ...httpClientConfigKeys,
]);
