import { commonKeys, defineKey, type AnyConfigKey } from '@agentkit/config';
import { dogstatsdKeys } from '@agentkit/dogstatsd/config-keys';

/** The trace agent's port, `apm_config.receiver_port`'s default. */
export const DEFAULT_APM_RECEIVER_PORT = 8126;
/** 25 MiB: the trace agent's `MaxRequestBytes` default (`apm_config.max_payload_size`). */
export const DEFAULT_APM_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

/** The trace agent's receiver keys, with the Datadog Agent's names (pkg/config/setup/apm.go). */
export const apmKeys = {
  enabled: defineKey({
    key: 'apm_config.enabled',
    env: 'DD_APM_ENABLED',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: "Run the trace agent's receiver (`/info`, `/dogstatsd/v2/proxy`, traces, the debugger proxies) on `apm_config.receiver_port`, as the Agent runs its trace agent. Traces are decoded and counted but not forwarded to Datadog (`dropped.traces_not_forwarded`).",
  }),
  receiverPort: defineKey({
    key: 'apm_config.receiver_port',
    env: 'DD_APM_RECEIVER_PORT',
    envAliases: ['DD_RECEIVER_PORT'],
    datadog: {
      kind: 'differs',
      how: 'The Agent stops its trace agent when the port cannot be listened on; here the rest of the agent (DogStatsD) runs on and the error is logged and counted (`listen_errors`), since both live in one process.',
    },
    type: 'integer',
    default: DEFAULT_APM_RECEIVER_PORT,
    max: 65535,
    doc: "TCP port of the trace agent's receiver (tracers send to 127.0.0.1:8126 by default). `0` (or less) turns TCP off, as in the Agent, e.g. when tracers use `apm_config.receiver_socket`. Bound to `bind_host`, or to every interface with `apm_config.apm_non_local_traffic`. A port already in use is logged as an error and the receiver runs without TCP.",
  }),
  nonLocalTraffic: defineKey({
    key: 'apm_config.apm_non_local_traffic',
    env: 'DD_APM_NON_LOCAL_TRAFFIC',
    datadog: {
      kind: 'differs',
      how: 'The Agent also turns it on by itself in a container when neither it nor `bind_host` is set; agentkit does not detect containers, so set it there.',
    },
    type: 'boolean',
    default: false,
    doc: "Listen for tracers on every interface, IPv4 and IPv6, instead of `bind_host` (tracers in other containers). Requests must still name this host in `Host`: an IP address, `localhost`, `bind_host`, this machine's hostname, `hostname`, or a name in `local_server_allowed_hosts` (e.g. the container name tracers use in `DD_AGENT_HOST`).",
  }),
  receiverSocket: defineKey({
    key: 'apm_config.receiver_socket',
    env: 'DD_APM_RECEIVER_SOCKET',
    datadog: { kind: 'differs', how: 'Default empty (off) here; the Agent listens on `/var/run/datadog/apm.socket` on Linux. Off so that `agentkit run` needs no root and no `/var/run/datadog`.' },
    type: 'string',
    default: '',
    doc: "Path of a Unix socket the receiver also listens on (HTTP over the socket, as tracers' `DD_TRACE_AGENT_URL=unix:///…`). Empty means off. As in the Agent, a socket that cannot be created is logged as an error and the receiver goes on without it.",
  }),
  maxPayloadSize: defineKey({
    key: 'apm_config.max_payload_size',
    env: 'DD_APM_MAX_PAYLOAD_SIZE',
    datadog: { kind: 'differs', how: 'Same default and meaning for traces; here it also bounds `/dogstatsd/v2/proxy` bodies, which the Agent reads whole without a limit.' },
    type: 'integer',
    default: DEFAULT_APM_MAX_PAYLOAD_BYTES,
    min: 1,
    doc: 'Largest request body the receiver reads (traces, `/dogstatsd/v2/proxy`), in bytes; a larger one is answered 413 and counted (`dropped.payload_too_large`).',
  }),
} as const;

/**
 * The receiver's keys for `loadConfig({ keys })`, with the common ones it reads (`bind_host`,
 * `hostname` and `local_server_allowed_hosts` for the names it answers to, `env` and
 * `dogstatsd_port` for `/info`).
 */
export const apmConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  apmKeys.enabled,
  apmKeys.receiverPort,
  apmKeys.nonLocalTraffic,
  apmKeys.receiverSocket,
  apmKeys.maxPayloadSize,
  commonKeys.bindHost,
  commonKeys.hostname,
  commonKeys.env,
  commonKeys.localServerAllowedHosts,
  // Declared by @agentkit/dogstatsd; `/info` reports it (`config.statsd_port`).
  dogstatsdKeys.port,
]);
