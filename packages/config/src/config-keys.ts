import { ALLOWED_HOSTS_KEY } from '@agentkit/core';
import type { AnyConfigKey } from './config-key.js';
import { defineKey } from './config-key.js';

/** The port of agentkit's built-in local intake (`agentkit intake`, and `agentkit run` without an API key). */
export const DEFAULT_LOCAL_INTAKE_PORT = 8127;

/** Keys every Datadog agent reads, with the Agent's names, env vars and defaults. */
export const commonKeys = {
  apiKey: defineKey({
    key: 'api_key',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    secret: true,
    doc: 'Your Datadog API key; nothing is accepted by the intake without it. Masked in all output except its last 5 characters.',
  }),
  site: defineKey({
    key: 'site',
    datadog: { kind: 'same' },
    type: 'string',
    default: 'datadoghq.com',
    doc: 'The Datadog site to send data to, e.g. `datadoghq.eu` or `us5.datadoghq.com`. Metrics go to `https://app.<site>` unless `dd_url` is set.',
  }),
  ddUrl: defineKey({
    key: 'dd_url',
    datadog: { kind: 'same' },
    type: 'string',
    default: '',
    envAliases: ['DD_URL'],
    doc: 'The metrics intake URL, overriding the one derived from `site` (for proxies and tests). Empty means `https://app.<site>`.',
  }),
  hostname: defineKey({
    key: 'hostname',
    datadog: { kind: 'differs', how: "Empty means the OS hostname here. The Agent first tries `hostname_file`, cloud metadata (GCE, Azure, EC2), the FQDN (`hostname_fqdn`) and the container runtime, so on a cloud VM the two may report different hosts when this is empty: set it to match." },
    type: 'string',
    default: '',
    doc: 'The hostname attached to metrics. Empty means detect it.',
  }),
  env: defineKey({
    key: 'env',
    type: 'string',
    default: '',
    datadog: { kind: 'differs', how: 'Under `agentkit exec` the value from the YAML file or a runtime override counts too (lower-cased, on every metric); serverless-init reads only `DD_ENV`. Under `agentkit run` as in the Agent.' },
    doc: 'The environment: `env:<env>` joins the host tags (host metadata, `expected_tags_duration`) and, under `agentkit exec`, every metric. Empty means none.',
  }),
  service: defineKey({
    key: 'service',
    type: 'string',
    default: '',
    datadog: { kind: 'differs', how: 'Under `agentkit exec` the value from the YAML file or a runtime override counts too (lower-cased, on every metric); serverless-init reads only `DD_SERVICE`. Under `agentkit run` as in the Agent.' },
    doc: 'The service name (unified service tagging, `DD_SERVICE`): `service:<service>` on every metric under `agentkit exec`, and the symbol database\'s service. Empty means none.',
  }),
  version: defineKey({
    key: 'version',
    type: 'string',
    default: '',
    datadog: { kind: 'differs', how: 'Under `agentkit exec` the value from the YAML file or a runtime override counts too (lower-cased, on every metric); serverless-init reads only `DD_VERSION`. Under `agentkit run` as in the Agent.' },
    doc: 'The version of the service (unified service tagging, `DD_VERSION`): `version:<version>` on every metric under `agentkit exec`. Empty means none.',
  }),
  tags: defineKey({
    key: 'tags',
    datadog: {
      kind: 'differs',
      how: 'Under `agentkit run` as in the Agent. Under `agentkit exec` the value from the YAML file or a runtime override counts too (on every metric, commas also separate tags, as serverless-init splits `DD_TAGS`); serverless-init reads only `DD_TAGS`.',
    },
    type: 'string-list',
    default: [],
    doc: "Host tags (`key:value`): sent in the host metadata every 30 minutes (`agentkit run`), where Datadog applies them to the host's metrics; on the metrics themselves only during `expected_tags_duration`. Under `agentkit exec` they are put on every metric, as serverless-init does (there a comma also separates tags). In `DD_TAGS` they are separated by spaces.",
  }),
  extraTags: defineKey({
    key: 'extra_tags',
    datadog: { kind: 'same' },
    type: 'string-list',
    default: [],
    doc: 'More host tags, added to `tags` (a second place to set them, e.g. `DD_EXTRA_TAGS` on top of a file\'s `tags`). Same rules as `tags`.',
  }),
  bindHost: defineKey({
    key: 'bind_host',
    type: 'string',
    default: 'localhost',
    datadog: { kind: 'same' },
    doc: 'The host the DogStatsD UDP listener (and agentkit\'s TCP listener) binds when `dogstatsd_non_local_traffic` is false, and the trace agent\'s receiver (`apm_config.receiver_port`) when `apm_config.apm_non_local_traffic` is false. A name is resolved as the Agent (Go) resolves it for UDP: its first IPv4 address, else its first address, so `localhost` is 127.0.0.1; `0.0.0.0`, `::` and empty listen on every interface, IPv4 and IPv6 (Go listens dual-stack on an unspecified address).',
  }),
  localIntakePort: defineKey({
    key: 'local_intake_port',
    datadog: { kind: 'agentkit' },
    type: 'integer',
    default: DEFAULT_LOCAL_INTAKE_PORT,
    min: 0,
    max: 65535,
    doc: "The port of agentkit's local intake on 127.0.0.1 (`agentkit intake`, and the one `agentkit run` embeds when neither `api_key` nor `dd_url` is set); symbol database uploads go there too when no API key is set. 0 picks a free port.",
  }),
  localServerAllowedHosts: defineKey({
    key: ALLOWED_HOSTS_KEY,
    datadog: { kind: 'agentkit' },
    type: 'string-list',
    default: [],
    doc: "More names agentkit's own HTTP servers (the local intake, the status server on `cmd_port`) answer to, besides the address they listen on, `localhost`, `*.localhost` and IP literals: e.g. a container's or a dev box's name you open the intake page under. `name`, `name:port` (the port is ignored) or `*.name` for its subdomains. A request whose `Host` is another name gets 421, and a POST from a page of another site (its `Origin`) 403: this is what keeps a web page from reading them through DNS rebinding. In `DD_LOCAL_SERVER_ALLOWED_HOSTS` they are separated by spaces.",
  }),
  serverlessEnabled: defineKey({
    key: 'serverless.enabled',
    datadog: { kind: 'differs', how: "The Agent's serverless builds set it internally and read no environment variable for it; here `DD_SERVERLESS_ENABLED` and the file set it too (`agentkit exec` forces it on)." },
    type: 'boolean',
    default: false,
    doc: 'Serverless mode, set (and forced) by `agentkit exec`: metrics, events and service checks get an empty host (`hostname` is ignored) and metrics carry serverless origin metadata. Rarely set by hand.',
  }),
} as const;

/**
 * The common keys as a collection, in documentation order, for `loadConfig({ keys })`.
 * `local_server_allowed_hosts` is left out: it is in the collections of the two servers that
 * read it (the local intake's and the status server's).
 */
export const commonConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  commonKeys.apiKey,
  commonKeys.site,
  commonKeys.ddUrl,
  commonKeys.hostname,
  commonKeys.env,
  commonKeys.service,
  commonKeys.version,
  commonKeys.tags,
  commonKeys.extraTags,
  commonKeys.bindHost,
  commonKeys.localIntakePort,
  commonKeys.serverlessEnabled,
]);
