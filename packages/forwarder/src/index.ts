export { ENDPOINT_PATHS, FORWARDER } from './forwarder/forwarder.def.js';
export type { EndpointName, Forwarder, Payload } from './forwarder/forwarder.def.js';
export { FakeForwarder, fakeForwarderBundle } from './forwarder/fake-forwarder.js';

export { HttpForwarder, DEFAULT_RETRY_INTERVAL_MS, DEFAULT_API_KEY_CHECK_DELAY_MS } from './forwarder/http-forwarder.js';
export { forwarderBundle, forwarderStopHookTimeoutMs } from './forwarder/forwarder.module.js';
// The parts another sender (@agentkit/logs) builds its own destination from: one queueing,
// retry and drain mechanism, one HTTP client, for every intake.
export { DestinationWorker } from './forwarder/destination-worker.js';
export type { WorkerContext } from './forwarder/destination-worker.js';
export { ForwarderStats } from './forwarder/forwarder-stats.js';
export { readForwarderSettings } from './forwarder/forwarder-settings.js';
export type { ForwarderSettings } from './forwarder/forwarder-settings.js';
export { createNodeHttpTransport, failureHint } from './transport/node-http-transport.js';
export type { NodeHttpTransportOptions } from './transport/node-http-transport.js';
export type { HttpOutcome, HttpRequest, HttpTransport } from './transport/transport.def.js';

export { FORWARDER_CLOCK } from './clock/clock.def.js';
export type { Clock, ClockTimer } from './clock/clock.def.js';
export { systemClock } from './clock/system-clock.js';
export { FakeClock } from './clock/fake-clock.js';

export { resolveDestinations, withVersionedHost } from './endpoints/resolve-destinations.js';
export type { Destination, ResolvedDestinations } from './endpoints/resolve-destinations.js';

export { ExpBackoffPolicy } from './retry/backoff-policy.js';
export type { BackoffOptions } from './retry/backoff-policy.js';
export { classifyStatus } from './transport/response-policy.js';
export type { StatusVerdict } from './transport/response-policy.js';

export { forwarderConfigKeys, forwarderKeys, httpClientConfigKeys, httpClientKeys, DEFAULT_RETRY_QUEUE_MAX_BYTES, TLS_VERSIONS } from './config-keys.js';
export type { AdditionalEndpoints, TlsVersionName } from './config-keys.js';

export {
  CLOUD_METADATA_NO_PROXY,
  DEFAULT_HTTP_CLIENT_SETTINGS,
  proxyLabel,
  readHttpClientSettings,
} from './http-client/http-client-settings.js';
export type { HttpClientSettings, NodeTlsVersion } from './http-client/http-client-settings.js';
export { NoProxyMatcher, proxyFor } from './http-client/proxy-route.js';
export { createHttpClient } from './http-client/node-http-client.js';
export type { HttpClient, HttpClientOptions, HttpClientRequest, HttpClientResponse, HttpRequestBody } from './http-client/node-http-client.js';
export { TransportError, TransportErrorCode, transportErrorReason } from './http-client/transport-error.js';
export type { TransportErrorReason } from './http-client/transport-error.js';

export { ForwarderError, ForwarderErrorCode } from './errors.js';
export { AGENTKIT_VERSION, USER_AGENT } from './version.js';
