import { commonKeys, defineKey } from '@agentkit/config';
import type { AnyConfigKey, ConfigKey } from '@agentkit/config';
import { forwarderKeys, httpClientConfigKeys, type AdditionalEndpoints } from '@agentkit/forwarder/config-keys';

/**
 * The trace agent's keys for the destinations of its debugger and symbol database proxies
 * (datadog-agent `comp/trace/config/setup.go`, `pkg/trace/api/debugger.go`, `symdb.go`): each
 * proxy has a URL (used verbatim: scheme, host and path), an API key that replaces `api_key`
 * for it, and additional endpoints (URL → API keys) that get a copy of each request.
 */
export const debuggerKeys = {
  symdbDdUrl: defineKey({
    key: 'apm_config.symdb_dd_url',
    env: 'DD_APM_SYMDB_DD_URL',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    doc: 'The full URL tracers\' symbol database uploads (`/symdb/v1/input` on the trace agent port) are forwarded to. Empty: `https://debugger-intake.<site>/api/v2/debugger` with an API key, the local intake without one. (`symdb_url` is where agentkit\'s own uploader posts, and does not change this.)',
  }),
  symdbApiKey: defineKey({
    key: 'apm_config.symdb_api_key',
    env: 'DD_APM_SYMDB_API_KEY',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    secret: true,
    doc: 'The API key sent with forwarded symbol database uploads instead of `api_key`.',
  }),
  symdbAdditionalEndpoints: defineKey<AdditionalEndpoints>({
    key: 'apm_config.symdb_additional_endpoints',
    env: 'DD_APM_SYMDB_ADDITIONAL_ENDPOINTS',
    datadog: { kind: 'same' },
    type: 'json',
    default: {},
    // The map holds API keys: `agentkit config` shows it starred whole.
    secret: true,
    doc: 'More destinations of each symbol database upload: full URL → API keys (JSON in the env var). Copies are sent once, not retried, and only for bodies small enough to be held for a retry.',
  }),
  debuggerDdUrl: defineKey({
    key: 'apm_config.debugger_dd_url',
    env: 'DD_APM_DEBUGGER_DD_URL',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    doc: 'The full URL `/debugger/v1/input` (Dynamic Instrumentation logs) is forwarded to. Empty: `https://http-intake.logs.<site>/api/v2/logs` with an API key, the local intake without one.',
  }),
  debuggerApiKey: defineKey({
    key: 'apm_config.debugger_api_key',
    env: 'DD_APM_DEBUGGER_API_KEY',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    secret: true,
    doc: 'The API key sent with forwarded `/debugger/v1/input` requests instead of `api_key`.',
  }),
  debuggerAdditionalEndpoints: defineKey<AdditionalEndpoints>({
    key: 'apm_config.debugger_additional_endpoints',
    env: 'DD_APM_DEBUGGER_ADDITIONAL_ENDPOINTS',
    datadog: { kind: 'same' },
    type: 'json',
    default: {},
    // The map holds API keys: `agentkit config` shows it starred whole.
    secret: true,
    doc: 'More destinations of each `/debugger/v1/input` request: full URL → API keys.',
  }),
  debuggerDiagnosticsDdUrl: defineKey({
    key: 'apm_config.debugger_diagnostics_dd_url',
    env: 'DD_APM_DEBUGGER_DIAGNOSTICS_DD_URL',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    doc: 'The full URL `/debugger/v1/diagnostics` and `/debugger/v2/input` are forwarded to. Empty: `https://debugger-intake.<site>/api/v2/debugger` with an API key, the local intake without one.',
  }),
  debuggerDiagnosticsApiKey: defineKey({
    key: 'apm_config.debugger_diagnostics_api_key',
    env: 'DD_APM_DEBUGGER_DIAGNOSTICS_API_KEY',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    secret: true,
    doc: 'The API key sent with forwarded `/debugger/v1/diagnostics` and `/debugger/v2/input` requests instead of `api_key`.',
  }),
  debuggerDiagnosticsAdditionalEndpoints: defineKey<AdditionalEndpoints>({
    key: 'apm_config.debugger_diagnostics_additional_endpoints',
    env: 'DD_APM_DEBUGGER_DIAGNOSTICS_ADDITIONAL_ENDPOINTS',
    datadog: { kind: 'same' },
    type: 'json',
    default: {},
    // The map holds API keys: `agentkit config` shows it starred whole.
    secret: true,
    doc: 'More destinations of each `/debugger/v1/diagnostics` and `/debugger/v2/input` request: full URL → API keys.',
  }),
} as const;

/** The keys of one proxied route's destination. */
export interface DestinationKeys {
  readonly url: ConfigKey<string>;
  readonly apiKey: ConfigKey<string>;
  readonly additionalEndpoints: ConfigKey<AdditionalEndpoints>;
}

/** The debugger keys as a collection, for `loadConfig({ keys })` and `allConfigKeys`. */
export const debuggerConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  debuggerKeys.symdbDdUrl,
  debuggerKeys.symdbApiKey,
  debuggerKeys.symdbAdditionalEndpoints,
  debuggerKeys.debuggerDdUrl,
  debuggerKeys.debuggerApiKey,
  debuggerKeys.debuggerAdditionalEndpoints,
  debuggerKeys.debuggerDiagnosticsDdUrl,
  debuggerKeys.debuggerDiagnosticsApiKey,
  debuggerKeys.debuggerDiagnosticsAdditionalEndpoints,
  // Read by the proxy, declared where they belong.
  commonKeys.apiKey,
  commonKeys.site,
  commonKeys.ddUrl,
  commonKeys.hostname,
  commonKeys.env,
  commonKeys.localIntakePort,
  commonKeys.serverlessEnabled,
  // The forwarder's request timeout and retry backoff apply to the proxy's requests too.
  forwarderKeys.timeout,
  forwarderKeys.backoffBase,
  forwarderKeys.backoffMax,
  forwarderKeys.backoffFactor,
  ...httpClientConfigKeys,
]);
