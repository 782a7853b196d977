import { aggregatorConfigKeys } from '@agentkit/aggregator';
import { apmConfigKeys } from '@agentkit/apm';
import { commonConfigKeys, defineKey, type AnyConfigKey } from '@agentkit/config';
import { debuggerConfigKeys } from '@agentkit/debugger';
import { dogstatsdConfigKeys } from '@agentkit/dogstatsd';
import { forwarderConfigKeys } from '@agentkit/forwarder';
import { intakeConfigKeys } from '@agentkit/intake';
import { logConfigKeys } from '@agentkit/log';
// Its keys alone: the rest of @agentkit/logs is loaded only with logs_enabled (agentkit exec).
import { logsConfigKeys } from '@agentkit/logs/config-keys';
import { metadataConfigKeys } from '@agentkit/metadata';
import { serializerConfigKeys } from '@agentkit/serializer';
import { serverlessConfigKeys } from '@agentkit/serverless';
import { symdbConfigKeys } from '@agentkit/symdb';
import { statusConfigKeys } from './status/config-keys.js';

/** The agent's own keys (its V8 settings, see agent-v8-flags.ts). */
export const agentKeys = {
  heapTuning: defineKey({
    key: 'heap_tuning_enabled',
    datadog: { kind: 'agentkit' },
    type: 'boolean',
    default: true,
    doc: "`agentkit run` and `agentkit exec` collect V8's garbage early, when the heap has grown by a quarter (at least 24 MiB) over what the last full collection left, at most once every 2 s: V8 alone lets garbage reach several times the live heap, so after a burst of new contexts and during a flush RSS holds 60–100 MB more (docs/benchmarks.md, \"Issue 14 §3, V8's heap for an agent\"). Each collection pauses the event loop (tens of ms at 100k contexts; UDP datagrams wait in the socket's receive buffer meanwhile). `false` leaves V8's own schedule.",
  }),
} as const;

/** The agent's own keys as a collection. */
export const agentOwnConfigKeys: readonly AnyConfigKey[] = Object.freeze(Object.values(agentKeys) as AnyConfigKey[]);

/**
 * Every key the agent reads, in documentation order. Each package declares its own keys; a
 * package added to the agent adds its collection here (docs/configuration.md is generated
 * from this list, and a test fails when the file is stale). A key object shared by two
 * collections (e.g. `service`) is listed once.
 */
export const allConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  ...new Set([
    ...commonConfigKeys,
    ...logConfigKeys,
    ...dogstatsdConfigKeys,
    ...aggregatorConfigKeys,
    ...serializerConfigKeys,
    ...forwarderConfigKeys,
    ...metadataConfigKeys,
    ...statusConfigKeys,
    ...intakeConfigKeys,
    ...serverlessConfigKeys,
    ...symdbConfigKeys,
    ...debuggerConfigKeys,
    ...apmConfigKeys,
    ...logsConfigKeys,
    ...agentOwnConfigKeys,
  ]),
]);
