import { commonKeys, defineKey, type AnyConfigKey } from '@agentkit/config';

/** The Datadog Agent's IPC port; agentkit serves its status and telemetry there. */
export const DEFAULT_CMD_PORT = 5001;

/** The status server's keys, with the Datadog Agent's names. */
export const statusKeys = {
  cmdPort: defineKey({
    key: 'cmd_port',
    datadog: {
      kind: 'differs',
      how: "Serves agentkit's status and telemetry over plain HTTP on 127.0.0.1, without authentication; the Agent serves its IPC API over HTTPS with an auth token on `cmd_host`. `0` picks a free port in both (the Agent just listens on it); `-1` turns the server off here, where the Agent fails to start.",
    },
    type: 'integer',
    default: DEFAULT_CMD_PORT,
    min: -1,
    max: 65535,
    doc: 'Port on 127.0.0.1 of the status server: `GET /status` (JSON) and `GET /telemetry` (Prometheus text), read by `agentkit status`. `0` picks a free port (logged at start); `-1` turns the server off (the `status` bundle). Unlike the Agent\'s, it has no authentication: it only listens on 127.0.0.1.',
  }),
  /** Declared in @agentkit/config (the local intake reads it too); the names this server also answers to. */
  localServerAllowedHosts: commonKeys.localServerAllowedHosts,
} as const;

/** The status keys as a collection, for `loadConfig({ keys })` and the agent's key list. */
export const statusConfigKeys: readonly AnyConfigKey[] = Object.freeze(Object.values(statusKeys) as AnyConfigKey[]);
